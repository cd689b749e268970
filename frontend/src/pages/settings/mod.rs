//! Settings at `/settings`: the workspace (kind, activity window, RFM look-back window and
//! scoring), the health/engagement/fit score factors ([`scores`]), and for admins the
//! operators and API keys ([`people`]) and the webhooks (`pages::webhooks`). Every role may
//! read; changes are for admins (the server says so with a 403).

mod people;
mod scores;

use api_types::problem::ProblemItem;
use api_types::settings::{RfmScoring, ScoreSettings, ScoringMethod, Settings, SettingsInput, WorkspaceKind};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use self::people::{ApiKeys, Operators};
use self::scores::ScoresForm;
use crate::api::{self, ApiError};
use crate::components::feedback::{FieldError, Save, SaveFooter, loaded};
use crate::components::scoring::ScoringLine;
use crate::fetch::Fetch;
use crate::{set_title, use_session};

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
    let fixed = RwSignal::new(settings.rfm_scoring.method == ScoringMethod::Fixed);
    let recency = join(settings.rfm_scoring.recency_days);
    let frequency = join(settings.rfm_scoring.frequency);
    let monetary = join(settings.rfm_scoring.monetary);
    let saved = Save::default();
    let error = saved.error;
    let save = move |input: SettingsInput| {
        saved
            .run(async move { api::update_settings(&input).await }, "Saved. Users are rescored with the new settings.");
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
            RfmScoring { method: ScoringMethod::Fixed, recency_days: Some(r), frequency: Some(f), monetary: Some(m) }
        } else {
            RfmScoring { method: ScoringMethod::Ranked, recency_days: None, frequency: None, monetary: None }
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
                <SaveFooter
                    save=saved
                    admin
                    label="Save workspace settings"
                    testid="settings-save"
                    beside_field=|f| ["kind", "activity_window_days", "rfm_window_days"].contains(&f)
                />
            </fieldset>
        </form>
    }
}
