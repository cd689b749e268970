//! The health, engagement and fit scores' factors: one editor ([`FactorTable`]) for the three.

use std::sync::atomic::{AtomicU64, Ordering};

use api_types::problem::ProblemItem;
use api_types::settings::{Factor, FactorMetric, ScoreConfig, ScoreSettings};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::feedback::{Save, SaveFooter, built, switch};

fn next_key() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One factor being edited; numbers stay text until saved.
#[derive(Debug, Clone, Copy, PartialEq)]
struct FactorRow {
    key: u64,
    metric: RwSignal<String>,
    days: RwSignal<String>,
    name: RwSignal<String>,
    good: RwSignal<String>,
    bad: RwSignal<String>,
    weight: RwSignal<String>,
    skip_missing: RwSignal<bool>,
}

impl FactorRow {
    fn new(f: &Factor) -> Self {
        FactorRow {
            key: next_key(),
            metric: RwSignal::new(f.metric.clone()),
            days: RwSignal::new(f.days.map(|d| d.to_string()).unwrap_or_default()),
            name: RwSignal::new(f.name.clone().unwrap_or_default()),
            good: RwSignal::new(f.good.to_string()),
            bad: RwSignal::new(f.bad.to_string()),
            weight: RwSignal::new(f.weight.to_string()),
            skip_missing: RwSignal::new(f.skip_missing),
        }
    }

    /// The factor, or the path of the first input that is not a number and why.
    fn read(&self, path: &str, metrics: &[FactorMetric]) -> Result<Factor, ProblemItem> {
        let item = |field: &str, message: &str| ProblemItem {
            field: Some(format!("{path}.{field}")),
            row: None,
            column: None,
            message: message.into(),
        };
        let num = |field: &str, s: RwSignal<String>| {
            s.get_untracked()
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| item(field, "must be a number"))
        };
        let metric = self.metric.get_untracked();
        let def = metrics.iter().find(|m| m.key == metric);
        let days = if def.is_some_and(|m| m.takes_days) {
            Some(
                self.days
                    .get_untracked()
                    .trim()
                    .parse::<u32>()
                    .map_err(|_| item("days", "must be a whole number of days"))?,
            )
        } else {
            None
        };
        let name = self.name.get_untracked().trim().to_owned();
        let name = (def.is_some_and(|m| m.takes_name) && !name.is_empty()).then_some(name);
        Ok(Factor {
            metric,
            days,
            name,
            good: num("good", self.good)?,
            bad: num("bad", self.bad)?,
            weight: num("weight", self.weight)?,
            skip_missing: self.skip_missing.get_untracked(),
        })
    }
}

const SCORES: [(&str, &str, &str); 3] = [
    ("health", "Health score", "How healthy a customer relationship is."),
    ("engagement", "Engagement score", "How much a user uses your product."),
    ("fit", "Fit score", "How well a customer's company fits your ideal customer."),
];

#[component]
pub(super) fn ScoresForm(scores: ScoreSettings, admin: bool) -> impl IntoView {
    let metrics = StoredValue::new(scores.metrics.clone());
    let rows = |c: &ScoreConfig| RwSignal::new(c.factors.iter().map(FactorRow::new).collect::<Vec<_>>());
    let lists = [rows(&scores.health), rows(&scores.engagement), rows(&scores.fit)];
    let saved = Save::default();
    let error = saved.error;
    let save = move |input: ScoreSettings| {
        saved.run(
            async move { api::update_score_settings(&input).await },
            "Saved. Users are rescored with the new factors.",
        );
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let m = metrics.get_value();
        let mut configs = Vec::new();
        for ((score, ..), list) in SCORES.iter().zip(lists) {
            let mut factors = Vec::new();
            for (i, row) in list.get_untracked().iter().enumerate() {
                match row.read(&format!("{score}.factors[{i}]"), &m) {
                    Ok(f) => factors.push(f),
                    Err(item) => {
                        saved.notice.set(None);
                        error.set(Some(ApiError {
                            status: 422,
                            code: "validation".into(),
                            message: "Some factors are not valid.".into(),
                            items: vec![item],
                        }));
                        return;
                    }
                }
            }
            configs.push(ScoreConfig { factors });
        }
        let mut configs = configs.into_iter();
        let mut next = || configs.next().unwrap_or(ScoreConfig { factors: Vec::new() });
        save(ScoreSettings { health: next(), engagement: next(), fit: next(), metrics: Vec::new() });
    };
    let sections = SCORES
        .iter()
        .zip(lists)
        .map(|((score, title, lead), list)| {
            let score = *score;
            view! {
                <section class="score-config" data-testid=format!("score-{score}")>
                    <h3 class="subhead">{*title}</h3>
                    <p class="muted small">{*lead} " Each factor scores 100 at or beyond “good”, 0 at or beyond “bad”; weights are normalised."</p>
                    <FactorTable score list metrics error admin/>
                </section>
            }
        })
        .collect_view();
    view! {
        <form class="form" on:submit=on_submit>
            <fieldset class="plain" disabled=!admin>
                {sections}
                <SaveFooter
                    save=saved
                    admin
                    label="Save scores"
                    testid="scores-save"
                    beside_field=|f| f.contains(".factors[")
                />
            </fieldset>
        </form>
    }
}

#[component]
fn FactorTable(
    score: &'static str,
    list: RwSignal<Vec<FactorRow>>,
    metrics: StoredValue<Vec<FactorMetric>>,
    error: RwSignal<Option<ApiError>>,
    admin: bool,
) -> impl IntoView {
    let add = move |_| {
        let first = metrics.with_value(|m| m.first().map(|m| m.key.clone()).unwrap_or_default());
        list.update(|l| {
            l.push(FactorRow::new(&Factor {
                metric: first,
                days: Some(30),
                name: None,
                good: 1.0,
                bad: 0.0,
                weight: 1.0,
                skip_missing: false,
            }))
        });
    };
    // Rows are built again whenever one is added or removed: their index is fixed.
    let row = move |(i, r): (usize, FactorRow)| {
        let key = r.key;
        let messages = move || {
            let prefix = format!("{score}.factors[{i}]");
            error.with(|e| {
                e.as_ref()
                    .map(|e| {
                        e.items
                            .iter()
                            .filter(|i| {
                                i.field.as_deref().is_some_and(|f| f == prefix || f.starts_with(&format!("{prefix}.")))
                            })
                            .map(|i| {
                                let what = i
                                    .field
                                    .as_deref()
                                    .and_then(|f| f.rsplit('.').next())
                                    .filter(|w| !w.starts_with("factors["))
                                    .unwrap_or("factor");
                                format!("{what}: {}", i.message)
                            })
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
        };
        let takes = move |days: bool| {
            let m = r.metric.get();
            metrics.with_value(|ms| {
                ms.iter().find(|x| x.key == m).is_some_and(|x| if days { x.takes_days } else { x.takes_name })
            })
        };
        let options = metrics.with_value(|ms| {
            ms.iter()
                .map(|m| {
                    let k = m.key.clone();
                    view! { <option value=m.key.clone() prop:selected=move || r.metric.with(|x| *x == k)>{m.label.clone()}</option> }
                })
                .collect_view()
        });
        let label = move |what: &str| format!("{what} of factor {}", i + 1);
        view! {
            <tr data-testid="factor-row" class:has-error=move || !messages().is_empty()>
                <td>
                    <select data-testid="factor-metric" aria-label=label("Metric") on:change=move |ev| r.metric.set(event_target_value(&ev))>
                        {options}
                    </select>
                    <ul class="field-error factor-errors" hidden=move || messages().is_empty()>
                        {move || messages().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                    </ul>
                </td>
                <td>
                    <input type="number" min="1" class="input-short" data-testid="factor-days" aria-label=label("Days") hidden=move || !takes(true) bind:value=r.days/>
                </td>
                <td>
                    <input type="text" class="input-medium" data-testid="factor-name" aria-label=label("Event or property name") hidden=move || !takes(false) bind:value=r.name/>
                </td>
                <td><input type="number" step="any" class="input-short" data-testid="factor-good" aria-label=label("Good value") bind:value=r.good/></td>
                <td><input type="number" step="any" class="input-short" data-testid="factor-bad" aria-label=label("Bad value") bind:value=r.bad/></td>
                <td><input type="number" step="any" min="0" class="input-short" data-testid="factor-weight" aria-label=label("Weight") bind:value=r.weight/></td>
                <td class="center">
                    <input
                        type="checkbox"
                        data-testid="factor-skip-missing"
                        aria-label=label("Skip users missing the input")
                        prop:checked=move || r.skip_missing.get()
                        on:change=move |ev| r.skip_missing.set(event_target_checked(&ev))
                    />
                </td>
                <td>
                    {admin.then(|| view! {
                        <button
                            type="button"
                            class="btn-icon"
                            data-testid="factor-remove"
                            aria-label=label("Remove")
                            on:click=move |_| list.update(|l| l.retain(|x| x.key != key))
                        >
                            "×"
                        </button>
                    })}
                </td>
            </tr>
        }
    };
    // Rows are rebuilt whole when one is added or removed: see `switch`.
    let table = switch(
        move || list.get(),
        move |rows| {
            built(view! {
                <div class="table-wrap">
                    <table class="table factors">
                        <thead>
                            <tr>
                                <th scope="col">"Metric"</th>
                                <th scope="col">"Days"</th>
                                <th scope="col">"Name"</th>
                                <th scope="col">"Good"</th>
                                <th scope="col">"Bad"</th>
                                <th scope="col">"Weight"</th>
                                <th scope="col" title="Leave the factor out for users missing its input">"Skip missing"</th>
                                <th scope="col"><span class="visually-hidden">"Remove"</span></th>
                            </tr>
                        </thead>
                        <tbody>{rows.into_iter().enumerate().map(row).collect_view()}</tbody>
                    </table>
                </div>
            })
        },
    );
    view! {
        {table}
        {move || list.with(Vec::is_empty).then(|| view! { <p class="muted small">"No factors: every user scores 0."</p> })}
        {admin.then(|| view! {
            <button type="button" class="btn btn-small" data-testid=format!("factor-add-{score}") on:click=add>
                "+ Add factor"
            </button>
        })}
    }
}
