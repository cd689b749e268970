//! Settings at `/settings`: the workspace (kind, activity window, RFM look-back window and
//! scoring), the health/engagement/fit score factors, and for admins the operators and API
//! keys. Every role may read; changes are for admins (the server says so with a 403).

use std::sync::atomic::{AtomicU64, Ordering};

use api_types::auth::{ApiKey, CreateApiKey, CreateOperator, Operator, Role, Scope, UpdateOperator};
use api_types::problem::ProblemItem;
use api_types::settings::{
    Factor, FactorMetric, RfmScoring, ScoreConfig, ScoreSettings, Settings, SettingsInput, WorkspaceKind,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::Branch;
use crate::components::confirm;
use crate::components::feedback::{Empty, ErrorBox, ErrorItems, FieldError, Notice, built, loaded, switch};
use crate::components::scoring::ScoringLine;
use crate::components::secret::ShownOnce;
use crate::fetch::Fetch;
use crate::{format, set_title, use_session};

#[component]
pub fn Settings() -> impl IntoView {
    set_title("Settings");
    let session = use_session();
    let admin = session.is_admin();
    let settings = Fetch::new(api::settings);
    let scores = Fetch::new(api::score_settings);
    view! {
        <section class="page-section">
            <header class="page-header">
                <h1>"Settings"</h1>
                <p class="muted">
                    {if admin {
                        "Changes to the workspace or the scores rescore every user."
                    } else {
                        "Only admins can change these settings."
                    }}
                </p>
            </header>
            <nav class="subnav" aria-label="Settings sections">
                <a href="#workspace">"Workspace"</a>
                <a href="#scores">"Scores"</a>
                {admin.then(|| view! {
                    <a href="#operators">"Operators"</a>
                    <a href="#api-keys">"API keys"</a>
                    <a href="#webhooks">"Webhooks"</a>
                })}
            </nav>
            <section class="card" id="workspace">
                <h2>"Workspace"</h2>
                {loaded(settings, "Loading settings…", move |s: Settings| view! { <WorkspaceForm settings=s admin/> })}
            </section>
            <section class="card" id="scores">
                <h2>"Scores"</h2>
                {loaded(scores, "Loading scores…", move |s: ScoreSettings| view! { <ScoresForm scores=s admin/> })}
            </section>
            {admin.then(|| view! {
                <Operators/>
                <ApiKeys/>
                <crate::pages::webhooks::Webhooks/>
            })}
        </section>
    }
}

// ---- workspace -------------------------------------------------------------------------------

fn join<T: ToString>(v: Option<[T; 4]>) -> [RwSignal<String>; 4] {
    let v: Vec<String> =
        v.map(|a| a.iter().map(ToString::to_string).collect()).unwrap_or_else(|| vec![String::new(); 4]);
    std::array::from_fn(|i| RwSignal::new(v[i].clone()))
}

/// Four numbers from their inputs; `None` when one does not parse.
fn read4<T: std::str::FromStr>(cells: &[RwSignal<String>; 4]) -> Option<[T; 4]> {
    let parsed: Vec<T> = cells.iter().filter_map(|c| c.get_untracked().trim().parse().ok()).collect();
    parsed.try_into().ok()
}

#[component]
fn WorkspaceForm(settings: Settings, admin: bool) -> impl IntoView {
    let scoring = settings.scoring.clone();
    let donations = settings.kind == WorkspaceKind::Donations;
    let kind = RwSignal::new(if donations { "donations" } else { "orders" }.to_owned());
    let activity = RwSignal::new(settings.activity_window_days.to_string());
    let all_history = RwSignal::new(settings.rfm_window_days.is_none());
    let window = RwSignal::new(settings.rfm_window_days.map(|d| d.to_string()).unwrap_or_else(|| "730".into()));
    let fixed = RwSignal::new(settings.rfm_scoring.method == "fixed");
    let recency = join(settings.rfm_scoring.recency_days);
    let frequency = join(settings.rfm_scoring.frequency);
    let monetary = join(settings.rfm_scoring.monetary);
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let save = move |input: SettingsInput| {
        saving.set(true);
        spawn_local(async move {
            match api::update_settings(&input).await {
                Ok(_) => {
                    error.set(None);
                    notice.set(Some("Saved. Users are rescored with the new settings.".into()));
                }
                Err(e) => {
                    notice.set(None);
                    error.set(Some(e));
                }
            }
            saving.set(false);
        });
    };
    let local_error = |field: &str, message: &str| ApiError {
        status: 422,
        code: "validation".into(),
        message: "Some values are not valid.".into(),
        items: vec![ProblemItem { field: Some(field.into()), row: None, column: None, message: message.into() }],
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Ok(activity_window_days) = activity.get_untracked().trim().parse::<u32>() else {
            error.set(Some(local_error("activity_window_days", "must be a whole number of days")));
            return;
        };
        let rfm_window_days = if all_history.get_untracked() {
            Some(None)
        } else {
            match window.get_untracked().trim().parse::<u32>() {
                Ok(d) => Some(Some(d)),
                Err(_) => {
                    error.set(Some(local_error("rfm_window_days", "must be a whole number of days")));
                    return;
                }
            }
        };
        let rfm_scoring = if fixed.get_untracked() {
            let (Some(r), Some(f), Some(m)) = (read4(&recency), read4(&frequency), read4(&monetary)) else {
                error.set(Some(local_error("rfm_scoring", "every threshold must be a number")));
                return;
            };
            RfmScoring { method: "fixed".into(), recency_days: Some(r), frequency: Some(f), monetary: Some(m) }
        } else {
            RfmScoring { method: "ranked".into(), recency_days: None, frequency: None, monetary: None }
        };
        save(SettingsInput {
            kind: Some(kind.get_untracked()),
            activity_window_days: Some(activity_window_days),
            rfm_window_days,
            rfm_scoring: Some(rfm_scoring),
        });
    };
    let err = Signal::derive(move || error.get());
    let threshold_row = move |label: &'static str,
                              hint: &'static str,
                              cells: [RwSignal<String>; 4],
                              scores: [u8; 4],
                              field: &'static str,
                              examples: [&'static str; 4]| {
        let inputs = cells
            .into_iter()
            .zip(scores)
            .zip(examples)
            .map(|((cell, score), example)| {
                view! {
                    <td>
                        <input
                            type="number"
                            step="any"
                            data-testid=format!("threshold-{field}-{score}")
                            aria-label=format!("{label} for score {score}")
                            placeholder=format!("e.g. {example}")
                            bind:value=cell
                        />
                    </td>
                }
            })
            .collect_view();
        view! {
            <tr>
                <th scope="row">{label} <span class="th-sub">{hint}</span></th>
                {inputs}
            </tr>
        }
    };
    view! {
        <ScoringLine status=scoring/>
        <form class="form" on:submit=on_submit>
            <fieldset class="plain" disabled=!admin>
                <div class="form-grid">
                    <div class="field">
                        <label for="settings-kind">"Workspace kind"</label>
                        <select id="settings-kind" data-testid="settings-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                            <option value="orders" selected=!donations>"Orders (retail, e-commerce, subscriptions)"</option>
                            <option value="donations" selected=donations>"Donations (non-profits)"</option>
                        </select>
                        <p class="field-hint">"Changes labels only: AOF/AOV become ADF/ADV for donations."</p>
                        <FieldError error=err field="kind"/>
                    </div>
                    <div class="field">
                        <label for="settings-activity">"Activity window (days)"</label>
                        <input id="settings-activity" type="number" min="1" data-testid="settings-activity-window" bind:value=activity/>
                        <p class="field-hint">"Users seen within it are active, the others offline."</p>
                        <FieldError error=err field="activity_window_days"/>
                    </div>
                    <div class="field">
                        <label for="settings-rfm-window">"RFM look-back window (days)"</label>
                        <input
                            id="settings-rfm-window"
                            type="number"
                            min="1"
                            data-testid="settings-rfm-window"
                            disabled=move || all_history.get()
                            bind:value=window
                        />
                        <label class="check">
                            <input
                                type="checkbox"
                                data-testid="settings-rfm-all-history"
                                prop:checked=move || all_history.get()
                                on:change=move |ev| all_history.set(event_target_checked(&ev))
                            />
                            "Use all history"
                        </label>
                        <FieldError error=err field="rfm_window_days"/>
                    </div>
                </div>
                <fieldset class="field radios">
                    <legend>"RFM scoring"</legend>
                    <label class="check">
                        <input type="radio" name="rfm-method" value="ranked" data-testid="rfm-method-ranked" prop:checked=move || !fixed.get() on:change=move |_| fixed.set(false)/>
                        "Ranked " <span class="muted">"— scores 1–5 by rank among the scored users"</span>
                    </label>
                    <label class="check">
                        <input type="radio" name="rfm-method" value="fixed" data-testid="rfm-method-fixed" prop:checked=move || fixed.get() on:change=move |_| fixed.set(true)/>
                        "Fixed thresholds"
                    </label>
                </fieldset>
                {move || fixed.get().then(|| view! {
                    <div class="table-wrap">
                        <table class="table thresholds">
                            <thead>
                                <tr>
                                    <th scope="col">"Threshold"</th>
                                    <th scope="col">"Score 5 / 2"</th>
                                    <th scope="col">"Score 4 / 3"</th>
                                    <th scope="col">"Score 3 / 4"</th>
                                    <th scope="col">"Score 2 / 5"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {threshold_row("Recency (days)", "at most, for R = 5, 4, 3, 2", recency, [5, 4, 3, 2], "recency", ["30", "90", "180", "365"])}
                                {threshold_row("Frequency", "at least, for F = 2, 3, 4, 5", frequency, [2, 3, 4, 5], "frequency", ["2", "3", "5", "10"])}
                                {threshold_row("Monetary", "at least, for M = 2, 3, 4, 5", monetary, [2, 3, 4, 5], "monetary", ["50", "100", "250", "500"])}
                            </tbody>
                        </table>
                    </div>
                    <p class="field-hint">"Each row needs four strictly increasing numbers."</p>
                })}
                {move || {
                    error
                        .get()
                        .map(|e| {
                            let shown = ["kind", "activity_window_days", "rfm_window_days"];
                            let items = e.other_items(&shown);
                            view! {
                                <div class="alert alert-error" role="alert">
                                    <p class="alert-title">{e.message.clone()}</p>
                                    {(!items.is_empty()).then(|| view! { <ErrorItems items/> })}
                                </div>
                            }
                        })
                }}
                <Notice message=notice/>
                {admin.then(|| view! {
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" data-testid="settings-save" disabled=move || saving.get()>
                            {move || if saving.get() { "Saving…" } else { "Save workspace settings" }}
                        </button>
                    </div>
                })}
            </fieldset>
        </form>
    }
}

// ---- scores ----------------------------------------------------------------------------------

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
fn ScoresForm(scores: ScoreSettings, admin: bool) -> impl IntoView {
    let metrics = StoredValue::new(scores.metrics.clone());
    let rows = |c: &ScoreConfig| RwSignal::new(c.factors.iter().map(FactorRow::new).collect::<Vec<_>>());
    let lists = [rows(&scores.health), rows(&scores.engagement), rows(&scores.fit)];
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let save = move |input: ScoreSettings| {
        saving.set(true);
        spawn_local(async move {
            match api::update_score_settings(&input).await {
                Ok(_) => {
                    error.set(None);
                    notice.set(Some("Saved. Users are rescored with the new factors.".into()));
                }
                Err(e) => {
                    notice.set(None);
                    error.set(Some(e));
                }
            }
            saving.set(false);
        });
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
                        notice.set(None);
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
                {move || {
                    error
                        .get()
                        .map(|e| {
                            let items: Vec<ProblemItem> = e
                                .items
                                .iter()
                                .filter(|i| i.field.as_deref().is_none_or(|f| !f.contains(".factors[")))
                                .cloned()
                                .collect();
                            view! {
                                <div class="alert alert-error" role="alert">
                                    <p class="alert-title">{e.message.clone()}</p>
                                    {(!items.is_empty()).then(|| view! { <ErrorItems items/> })}
                                </div>
                            }
                        })
                }}
                <Notice message=notice/>
                {admin.then(|| view! {
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" data-testid="scores-save" disabled=move || saving.get()>
                            {move || if saving.get() { "Saving…" } else { "Save scores" }}
                        </button>
                    </div>
                })}
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

// ---- operators -------------------------------------------------------------------------------

const ROLES: [(Role, &str); 3] = [(Role::Admin, "Admin"), (Role::Editor, "Editor"), (Role::Viewer, "Viewer")];

/// What a key may do, as the form offers it.
const SCOPES: [(Scope, &str); 3] = [
    (Scope::Read, "Read: everything, changes nothing"),
    (Scope::Write, "Write: data, segments and imports"),
    (Scope::Admin, "Admin: also operators, keys and settings"),
];

fn role_options(current: Role) -> impl IntoView {
    ROLES.iter().map(|(r, l)| view! { <option value=r.key() selected=*r == current>{*l}</option> }).collect_view()
}

#[component]
fn Operators() -> impl IntoView {
    let session = use_session();
    let me = session.operator.with_untracked(|o| o.as_ref().map(|o| o.id));
    let list = Fetch::new(api::operators);
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let change_role = move |op: Operator, role: String| {
        let Some(role) = Role::parse(&role) else { return };
        spawn_local(async move {
            let input = UpdateOperator { role: Some(role), name: None, password: None };
            match api::update_operator(op.id, &input).await {
                Ok(o) => {
                    error.set(None);
                    notice.set(Some(format!("{} is now {}.", o.email, o.role.key())));
                }
                Err(e) => error.set(Some(e)),
            }
            list.refetch();
        });
    };
    let remove = move |op: Operator| {
        if !confirm(&format!("Remove {} from the workspace?", op.email)) {
            return;
        }
        spawn_local(async move {
            match api::delete_operator(op.id).await {
                Ok(()) => {
                    error.set(None);
                    notice.set(Some(format!("Removed {}.", op.email)));
                }
                Err(e) => error.set(Some(e)),
            }
            list.refetch();
        });
    };
    view! {
        <section class="card" id="operators">
            <h2>"Operators"</h2>
            <p class="muted small">"People who sign in to this workspace. Admins manage settings, operators and API keys; editors change segments and filters; viewers read."</p>
            {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
            <Notice message=notice/>
            {loaded(list, "Loading operators…", move |ops: Vec<Operator>| {
                let rows = ops
                    .into_iter()
                    .map(|op| {
                        let is_me = Some(op.id) == me;
                        let (o1, o2) = (op.clone(), op.clone());
                        view! {
                            <tr data-testid="operator-row">
                                <td>
                                    {op.email.clone()}
                                    {is_me.then(|| view! { <span class="tag tag-muted">"you"</span> })}
                                </td>
                                <td>{format::opt_str(op.name.as_ref())}</td>
                                <td>
                                    <select
                                        data-testid="operator-role"
                                        aria-label=format!("Role of {}", op.email)
                                        on:change=move |ev| change_role(o1.clone(), event_target_value(&ev))
                                    >
                                        {role_options(op.role)}
                                    </select>
                                </td>
                                <td>{format::date(&op.created_at)}</td>
                                <td>
                                    <button
                                        type="button"
                                        class="btn btn-small btn-danger-ghost"
                                        data-testid="operator-remove"
                                        disabled=is_me
                                        title=is_me.then_some("You cannot remove yourself")
                                        on:click=move |_| remove(o2.clone())
                                    >
                                        "Remove"
                                    </button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="operators-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Email"</th>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Role"</th>
                                    <th scope="col">"Since"</th>
                                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
            })}
            <InviteOperator on_done=Callback::new(move |email: String| {
                notice.set(Some(format!("Invited {email}.")));
                list.refetch();
            })/>
        </section>
    }
}

#[component]
fn InviteOperator(on_done: Callback<String>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new("editor".to_owned());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let invite = move |input: CreateOperator| {
        pending.set(true);
        spawn_local(async move {
            match api::create_operator(&input).await {
                Ok(op) => {
                    failure.set(None);
                    email.set(String::new());
                    name.set(String::new());
                    password.set(String::new());
                    on_done.run(op.email);
                }
                Err(e) => failure.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let error = Signal::derive(move || failure.get());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let n = name.get_untracked();
        invite(CreateOperator {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::Viewer),
            name: (!n.trim().is_empty()).then(|| n.trim().to_owned()),
        });
    };
    view! {
        <form class="inline-form" on:submit=on_submit aria-label="Invite an operator">
            <h3 class="subhead">"Invite an operator"</h3>
            <div class="form-grid">
                <div class="field">
                    <label for="invite-email">"Email"</label>
                    <input id="invite-email" type="email" required data-testid="invite-email" bind:value=email/>
                    <FieldError error field="email"/>
                </div>
                <div class="field">
                    <label for="invite-name">"Name " <span class="muted">"(optional)"</span></label>
                    <input id="invite-name" type="text" data-testid="invite-name" bind:value=name/>
                </div>
                <div class="field">
                    <label for="invite-password">"Initial password"</label>
                    <input id="invite-password" type="password" autocomplete="new-password" required data-testid="invite-password" bind:value=password/>
                    <FieldError error field="password"/>
                </div>
                <div class="field">
                    <label for="invite-role">"Role"</label>
                    <select id="invite-role" data-testid="invite-role" on:change=move |ev| role.set(event_target_value(&ev))>
                        {role_options(Role::Editor)}
                    </select>
                </div>
            </div>
            {move || {
                error
                    .get()
                    .filter(|e| e.field("email").is_none() && e.field("password").is_none())
                    .map(|e| view! { <ErrorBox error=e/> })
            }}
            <div class="form-actions">
                <button type="submit" class="btn" data-testid="invite-submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Inviting…" } else { "Invite" }}
                </button>
            </div>
        </form>
    }
}

// ---- API keys --------------------------------------------------------------------------------

#[component]
fn ApiKeys() -> impl IntoView {
    let list = Fetch::new(api::api_keys);
    let error = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<(String, String)>);
    let name = RwSignal::new(String::new());
    let scope = RwSignal::new("write".to_owned());
    let creating = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let create = move |input: CreateApiKey| {
        creating.set(true);
        spawn_local(async move {
            match api::create_api_key(&input).await {
                Ok(k) => {
                    failure.set(None);
                    created.set(Some((format!("The key “{}”", k.api_key.name), k.key)));
                    name.set(String::new());
                    list.refetch();
                }
                Err(e) => failure.set(Some(e)),
            }
            creating.set(false);
        });
    };
    let create_error = Signal::derive(move || failure.get());
    let revoke = move |k: ApiKey| {
        if !confirm(&format!("Revoke the key “{}”? Integrations using it stop working at once.", k.name)) {
            return;
        }
        spawn_local(async move {
            match api::revoke_api_key(k.id).await {
                Ok(_) => error.set(None),
                Err(e) => error.set(Some(e)),
            }
            list.refetch();
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        create(CreateApiKey {
            name: name.get_untracked().trim().to_owned(),
            scope: Scope::parse(&scope.get_untracked()).unwrap_or(Scope::Read),
        });
    };
    view! {
        <section class="card" id="api-keys">
            <h2>"API keys"</h2>
            <p class="muted small">"For integrations and scripts: send the key as “Authorization: Bearer …”. Keys are stored hashed and shown once."</p>
            {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
            <ShownOnce shown=created testid="api-key-value" label="The new API key"/>
            {loaded(list, "Loading API keys…", move |keys: Vec<ApiKey>| {
                if keys.is_empty() {
                    return view! { <Empty title="No API keys yet" hint="Create one below for an integration."/> }.left();
                }
                let rows = keys
                    .into_iter()
                    .map(|k| {
                        let revoked = k.revoked_at.is_some();
                        let key = k.clone();
                        view! {
                            <tr data-testid="api-key-row" class:muted-row=revoked>
                                <td>{k.name.clone()}</td>
                                <td class="mono">{format!("{}…", k.prefix)}</td>
                                <td>{k.scope.key()}</td>
                                <td>{format::date(&k.created_at)}</td>
                                <td>{k.last_used_at.map(|t| format::relative(&t)).unwrap_or_else(|| "Never".into())}</td>
                                <td>
                                    {match k.revoked_at {
                                        Some(t) => view! { <span class="muted">{format!("Revoked {}", format::date(&t))}</span> }.left(),
                                        None => view! {
                                            <button
                                                type="button"
                                                class="btn btn-small btn-danger-ghost"
                                                data-testid="api-key-revoke"
                                                aria-label=format!("Revoke {}", k.name)
                                                on:click=move |_| revoke(key.clone())
                                            >
                                                "Revoke"
                                            </button>
                                        }
                                            .right(),
                                    }}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="api-keys-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Key"</th>
                                    <th scope="col">"Scope"</th>
                                    <th scope="col">"Created"</th>
                                    <th scope="col">"Last used"</th>
                                    <th scope="col"><span class="visually-hidden">"Status"</span></th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                    .right()
            })}
            <form class="inline-form" on:submit=on_submit aria-label="Create an API key">
                <h3 class="subhead">"Create a key"</h3>
                <div class="form-grid">
                    <div class="field">
                        <label for="api-key-name">"Name"</label>
                        <input id="api-key-name" type="text" required placeholder="e.g. CRM sync" data-testid="api-key-name" bind:value=name/>
                        <FieldError error=create_error field="name"/>
                    </div>
                    <div class="field">
                        <label for="api-key-scope">"Scope"</label>
                        <select id="api-key-scope" data-testid="api-key-scope" on:change=move |ev| scope.set(event_target_value(&ev))>
                            {SCOPES
                                .iter()
                                .map(|(s, l)| view! { <option value=s.key() selected=*s == Scope::Write>{*l}</option> })
                                .collect_view()}
                        </select>
                    </div>
                </div>
                {move || {
                    create_error
                        .get()
                        .filter(|e| e.field("name").is_none())
                        .map(|e| view! { <ErrorBox error=e/> })
                }}
                <div class="form-actions">
                    <button type="submit" class="btn" data-testid="api-key-create" disabled=move || creating.get()>
                        {move || if creating.get() { "Creating…" } else { "Create key" }}
                    </button>
                </div>
            </form>
        </section>
    }
}
