//! Webhooks in Settings (admins; docs/webhooks.md): endpoints with their state, adding one
//! (its secret shown once), a test send, pause and resume, the latest deliveries, removal.

use api_types::segments::Segment;
use api_types::webhooks::{DeliveryStatus, Webhook, WebhookDelivery, WebhookEventType, WebhookInput};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::feedback::{Empty, ErrorBox, FieldError, loaded};
use crate::components::rfm::RFM_SEGMENTS;
use crate::components::secret::ShownOnce;
use crate::components::table::{Col, Table};
use crate::components::{Branch, confirm};
use crate::fetch::Fetch;
use crate::format;

const EVENTS: [(WebhookEventType, &str); 2] =
    [(WebhookEventType::SegmentEntered, "segment.entered"), (WebhookEventType::SegmentExited, "segment.exited")];

/// What a button of an endpoint's row does.
#[derive(Clone)]
enum Action {
    Test,
    /// Pause (`true`) or resume.
    Pause(bool),
    Deliveries,
    /// Remove, after confirming (the URL names it).
    Remove(String),
}

fn state(w: &Webhook) -> (&'static str, &'static str) {
    if w.disabled_at.is_some() {
        ("Disabled after failing for 3 days", "tag tag-danger")
    } else if w.paused {
        ("Paused", "tag tag-muted")
    } else if w.failing_since.is_some() {
        ("Failing", "tag tag-warn")
    } else {
        ("Active", "tag")
    }
}

#[component]
pub fn Webhooks() -> impl IntoView {
    let list = Fetch::new(api::webhooks);
    let error = RwSignal::new(None::<ApiError>);
    let secret = RwSignal::new(None::<(String, String)>);
    let shown = RwSignal::new(None::<i64>);
    let url = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let entered = RwSignal::new(true);
    let exited = RwSignal::new(true);
    // The segments a new endpoint hears of; none chosen means every segment.
    let chosen = RwSignal::new(Vec::<i64>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let run = move |id: i64, action: Action| {
        if let Action::Deliveries = action {
            shown.set(if shown.get_untracked() == Some(id) { None } else { Some(id) });
            return;
        }
        if let Action::Remove(url) = &action
            && !confirm(&format!("Remove the webhook to {url}? Undelivered messages are dropped."))
        {
            return;
        }
        spawn_local(async move {
            let done = match action {
                Action::Test => api::test_webhook(id).await.map(drop),
                Action::Pause(paused) => {
                    let input = WebhookInput { paused: Some(paused), ..WebhookInput::default() };
                    api::update_webhook(id, &input).await.map(drop)
                }
                Action::Remove(_) => api::delete_webhook(id).await,
                Action::Deliveries => Ok(()),
            };
            error.set(done.err());
            list.refetch();
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let events: Vec<WebhookEventType> = EVENTS
            .iter()
            .zip([entered.get_untracked(), exited.get_untracked()])
            .filter(|(_, on)| *on)
            .map(|((e, _), _)| *e)
            .collect();
        let text = description.get_untracked().trim().to_owned();
        let input = WebhookInput {
            url: Some(url.get_untracked().trim().to_owned()),
            events: Some(events),
            segment_ids: Some(Some(chosen.get_untracked()).filter(|ids| !ids.is_empty())),
            description: Some((!text.is_empty()).then_some(text)),
            ..WebhookInput::default()
        };
        spawn_local(async move {
            match api::create_webhook(&input).await {
                Ok(created) => {
                    failure.set(None);
                    secret.set(Some((format!("The signing secret of {}", created.url), created.secret)));
                    url.set(String::new());
                    description.set(String::new());
                    chosen.set(Vec::new());
                    list.refetch();
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let create_error = Signal::derive(move || failure.get());
    view! {
        <section class="card" id="webhooks">
            <h2>"Webhooks"</h2>
            <p class="muted small">
                "Endpoints that receive a signed message (Standard Webhooks) when users enter or leave a segment."
            </p>
            {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
            <ShownOnce shown=secret testid="webhook-secret" label="The signing secret"/>
            {loaded(list, "Loading webhooks…", move |hooks: Vec<Webhook>| {
                if hooks.is_empty() {
                    return view! { <Empty title="No webhooks yet" hint="Add an endpoint below."/> }.left();
                }
                let rows = hooks
                    .into_iter()
                    .map(|w| {
                        let id = w.id;
                        let (label, class) = state(&w);
                        let paused = w.paused || w.disabled_at.is_some();
                        let events: Vec<&str> = EVENTS.iter().filter(|(e, _)| w.events.contains(e)).map(|(_, k)| *k).collect();
                        let segments = match &w.segment_ids {
                            None => "every segment".to_owned(),
                            Some(ids) if ids.len() == 1 => "1 segment".to_owned(),
                            Some(ids) => format!("{} segments", ids.len()),
                        };
                        let cells = [
                            match &w.description {
                                Some(d) => format!("{} ({d})", w.url),
                                None => w.url.clone(),
                            },
                            format!("{} · {segments}", events.join(", ")),
                        ];
                        let actions = [
                            ("Test", Action::Test),
                            (if paused { "Resume" } else { "Pause" }, Action::Pause(!paused)),
                            ("Deliveries", Action::Deliveries),
                            ("Remove", Action::Remove(w.url.clone())),
                        ];
                        view! {
                            <tr data-testid="webhook-row">
                                {cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                                <td><span class=class>{label}</span></td>
                                <td class="actions">
                                    {actions
                                        .into_iter()
                                        .map(|(label, action)| view! {
                                            <button type="button" class="btn btn-small btn-ghost" on:click=move |_| run(id, action.clone())>
                                                {label}
                                            </button>
                                        })
                                        .collect_view()}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <Table columns=&[Col::Text("Endpoint"), Col::Text("Events"), Col::Text("State"), Col::Hidden("Actions")] testid="webhooks-table" rows/>
                }
                    .right()
            })}
            {move || shown.get().map(|id| view! { <Deliveries id/> })}
            <form class="inline-form" on:submit=on_submit aria-label="Add a webhook">
                <h3 class="subhead">"Add an endpoint"</h3>
                <div class="form-grid">
                    <div class="field">
                        <label for="webhook-url">"URL"</label>
                        <input id="webhook-url" type="url" required placeholder="https://crm.example.com/hooks" data-testid="webhook-url" bind:value=url/>
                        <FieldError error=create_error field="url"/>
                    </div>
                    <div class="field">
                        <label for="webhook-description">"Description " <span class="muted">"(optional)"</span></label>
                        <input id="webhook-description" type="text" bind:value=description/>
                    </div>
                </div>
                <fieldset class="field">
                    <legend>"Events"</legend>
                    <label><input type="checkbox" bind:checked=entered/>" segment.entered"</label>
                    " "
                    <label><input type="checkbox" bind:checked=exited/>" segment.exited"</label>
                    <FieldError error=create_error field="events"/>
                </fieldset>
                <SegmentChoice chosen/>
                <FieldError error=create_error field="segment_ids"/>
                <div class="form-actions">
                    <button type="submit" class="btn" data-testid="webhook-create">"Add webhook"</button>
                </div>
            </form>
        </section>
    }
}

/// Checkboxes for the RFM segments and the custom segments the operator sees.
#[component]
fn SegmentChoice(chosen: RwSignal<Vec<i64>>) -> impl IntoView {
    let custom = Fetch::new(|| api::segments(None));
    let option = move |id: i64, name: String| {
        let toggle = move |on: bool| {
            chosen.update(|ids| {
                ids.retain(|other| *other != id);
                if on {
                    ids.push(id);
                }
            })
        };
        view! {
            <label class="choice">
                <input
                    type="checkbox"
                    data-testid="webhook-segment"
                    prop:checked=move || chosen.with(|ids| ids.contains(&id))
                    on:change=move |ev| toggle(event_target_checked(&ev))
                />
                " "
                {name}
            </label>
        }
    };
    let rfm = RFM_SEGMENTS
        .iter()
        .zip(1..)
        .map(|((_, name, symbol), n): (&(&str, &str, &str), i64)| option(-n, format!("{symbol} {name}")))
        .collect_view();
    view! {
        <fieldset class="field choices">
            <legend>"Segments " <span class="muted">"(none checked: every segment)"</span></legend>
            <div class="choice-group" aria-label="RFM segments">{rfm}</div>
            {loaded(custom, "Loading segments…", move |segments: Vec<Segment>| {
                view! {
                    <div class="choice-group" aria-label="Custom segments">
                        {segments.into_iter().map(|s| option(s.id, s.name)).collect_view()}
                    </div>
                }
            })}
        </fieldset>
    }
}

/// An endpoint's latest messages.
#[component]
fn Deliveries(id: i64) -> impl IntoView {
    let list = Fetch::new(move || api::webhook_deliveries(id));
    view! {
        {loaded(list, "Loading deliveries…", |items: Vec<WebhookDelivery>| {
            if items.is_empty() {
                return view! { <p class="muted small">"No messages yet."</p> }.left();
            }
            let rows = items
                .into_iter()
                .map(|d| {
                    let status = match d.status {
                        DeliveryStatus::Delivered => "delivered".to_owned(),
                        DeliveryStatus::Failed => "failed".to_owned(),
                        DeliveryStatus::Pending => match d.next_attempt_at {
                            Some(t) => format!("pending, next try {}", format::relative(&t)),
                            None => "pending".to_owned(),
                        },
                    };
                    let cells = [
                        d.event_type,
                        d.users.to_string(),
                        status,
                        d.attempts.to_string(),
                        d.last_error.unwrap_or_default(),
                        format::relative(&d.created_at),
                    ];
                    view! {
                        <tr data-testid="webhook-delivery">{cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                    }
                })
                .collect_view();
            view! {
                <Table columns=&[Col::Text("Event"), Col::Text("Users"), Col::Text("Status"), Col::Text("Attempts"), Col::Text("Last error"), Col::Text("Written")] compact=true rows/>
            }
                .right()
        })}
    }
}
