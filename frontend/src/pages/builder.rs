//! The segment builder at `/segments/new` and `/segments/:id/edit`: name, description,
//! visibility, show-on-user-page and the condition tree, with a live count from the preview
//! endpoint and the server's validation errors shown at the offending row.

use std::time::Duration;

use api_types::filters::{FilterCatalog, MatchKind};
use api_types::problem::ProblemItem;
use api_types::segments::{Segment, SegmentInput, SegmentPreview, Visibility};
use leptos::ev::SubmitEvent;
use leptos::leptos_dom::helpers::set_timeout;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::api::{self, ApiError};
use crate::components::activity::SegmentActivity;
use crate::components::conditions::{Catalog, EditorCtx, GroupState, group_editor};
use crate::components::feedback::{Empty, ErrorBox, ErrorItems, Loading, built, switch};
use crate::fetch::Fetch;
use crate::{format, set_title, use_session};

#[component]
pub fn SegmentBuilder() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let data = Fetch::new(move || {
        let id = id.get();
        async move {
            let segment = match id {
                Some(id) => Some(api::segment(id).await?),
                None => None,
            };
            Ok::<_, ApiError>((api::catalog().await?, segment))
        }
    });
    view! {
        <section class="page-section">
            <nav class="breadcrumb" aria-label="Breadcrumb">
                <A href="/segments">"← Segments"</A>
            </nav>
            {switch(move || data.get(), move |d| match d {
                None => built(view! { <Loading label="Loading the builder…"/> }),
                Some(Ok((catalog, segment))) => {
                    let id = segment.as_ref().map(|s| s.id);
                    built(view! {
                        <BuilderForm catalog segment/>
                        {id.map(|id| view! { <SegmentActivity id/> })}
                    })
                }
                Some(Err(e)) if e.is_not_found() => {
                    set_title("Segment not found");
                    built(view! {
                        <Empty
                            title="Segment not found"
                            hint="It may have been deleted, or it is private to another operator."
                        />
                    })
                }
                Some(Err(e)) => built(view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }),
            })}
        </section>
    }
}

/// Where the live count stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Live {
    /// A condition lacks its field or value.
    Incomplete,
    Loading,
    Ready,
    Failed,
}

impl Live {
    fn key(self) -> &'static str {
        match self {
            Live::Incomplete => "incomplete",
            Live::Loading => "loading",
            Live::Ready => "ready",
            Live::Failed => "error",
        }
    }
}

/// Condition paths (`conditions[0]…`) and the root (`conditions`) belong to the tree editor.
fn is_tree_field(f: &str) -> bool {
    f == "conditions" || f.starts_with("conditions[") || f.starts_with("conditions.")
}

#[component]
fn BuilderForm(catalog: FilterCatalog, segment: Option<Segment>) -> impl IntoView {
    let session = use_session();
    let navigate = StoredValue::new_local(use_navigate());
    let cat = Catalog::new(&catalog);
    let id = segment.as_ref().map(|s| s.id);
    set_title(&match &segment {
        Some(s) => format!("Edit {}", s.name),
        None => "New segment".to_owned(),
    });
    let heading = match &segment {
        Some(s) => format!("Edit “{}”", s.name),
        None => "New segment".to_owned(),
    };
    let name = RwSignal::new(segment.as_ref().map(|s| s.name.clone()).unwrap_or_default());
    let description = RwSignal::new(segment.as_ref().and_then(|s| s.description.clone()).unwrap_or_default());
    let private = RwSignal::new(segment.as_ref().is_some_and(|s| s.visibility == Visibility::Private));
    let on_user_page = RwSignal::new(segment.as_ref().is_some_and(|s| s.show_on_user_page));
    let root = match &segment {
        Some(s) => GroupState::from_api(&s.conditions, &cat),
        None => GroupState::new(MatchKind::All, Vec::new()),
    };
    let tree_errors = RwSignal::new(Vec::<ProblemItem>::new());
    let ctx = EditorCtx { catalog: cat.clone(), errors: tree_errors, root };

    // ---- live count: the draft tree, previewed 400 ms after the last change ----
    let draft_cat = cat.clone();
    let draft = Memo::new(move |_| {
        let tree = serde_json::to_value(root.to_api(&draft_cat)).unwrap_or_default();
        (tree, root.is_complete(&draft_cat))
    });
    let live = RwSignal::new(Live::Loading);
    let preview = RwSignal::new(None::<SegmentPreview>);
    let preview_error = RwSignal::new(None::<ApiError>);
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let (tree, complete) = draft.get();
        let this = generation.get_value() + 1;
        generation.set_value(this);
        if !complete {
            live.set(Live::Incomplete);
            return;
        }
        live.set(Live::Loading);
        set_timeout(
            move || {
                if generation.get_value() != this {
                    return;
                }
                spawn_local(async move {
                    let result = api::preview_segment(tree).await;
                    // A newer draft has been sent meanwhile: its answer is the one to show.
                    if generation.get_value() != this {
                        return;
                    }
                    match result {
                        Ok(p) => {
                            preview.set(Some(p));
                            preview_error.set(None);
                            tree_errors.set(Vec::new());
                            live.set(Live::Ready);
                        }
                        Err(e) => {
                            tree_errors.set(
                                e.items
                                    .iter()
                                    .filter(|i| i.field.as_deref().is_some_and(is_tree_field))
                                    .cloned()
                                    .collect(),
                            );
                            preview_error.set(Some(e));
                            live.set(Live::Failed);
                        }
                    }
                });
            },
            Duration::from_millis(400),
        );
    });

    // ---- save ----
    let save_error = RwSignal::new(None::<ApiError>);
    let save_cat = cat.clone();
    let saving = RwSignal::new(false);
    let save = move |input: SegmentInput| {
        saving.set(true);
        spawn_local(async move {
            match api::save_segment(id, &input).await {
                Ok(_) => {
                    session.bump_segments();
                    navigate.with_value(|n| n("/segments", Default::default()));
                }
                Err(e) => {
                    let tree: Vec<ProblemItem> =
                        e.items.iter().filter(|i| i.field.as_deref().is_some_and(is_tree_field)).cloned().collect();
                    if !tree.is_empty() {
                        tree_errors.set(tree);
                    }
                    save_error.set(Some(e));
                }
            }
            saving.set(false);
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        save_error.set(None);
        // A row without a field is caught here, with a plainer message than the server's.
        let unfinished: Vec<ProblemItem> = root
            .unfinished("")
            .into_iter()
            .map(|path| ProblemItem {
                field: Some(path),
                row: None,
                column: None,
                message: "Choose a field for this condition, or remove it.".into(),
            })
            .collect();
        if !unfinished.is_empty() {
            tree_errors.set(unfinished.clone());
            save_error.set(Some(ApiError {
                status: 422,
                code: "validation".into(),
                message: "Some conditions are not complete.".into(),
                items: unfinished,
            }));
            return;
        }
        let conditions = serde_json::to_value(root.to_api(&save_cat)).ok();
        save(SegmentInput {
            name: Some(name.get_untracked().trim().to_owned()),
            description: Some(description.get_untracked().trim().to_owned()),
            visibility: Some(if private.get_untracked() { Visibility::Private } else { Visibility::Public }),
            show_on_user_page: Some(on_user_page.get_untracked()),
            conditions,
        });
    };
    let name_error = Signal::derive(move || {
        save_error
            .with(|e| e.as_ref().and_then(|e| if e.status == 409 { Some(e.message.clone()) } else { e.field("name") }))
    });
    // The save's message, unless it only concerns the name (shown at the field).
    let form_error = move || {
        save_error.get().filter(|e| e.status != 409).map(|e| {
            let others: Vec<ProblemItem> = e
                .items
                .iter()
                .filter(|i| i.field.as_deref().is_none_or(|f| f != "name" && !is_tree_field(f)))
                .cloned()
                .collect();
            let at_rows = e.items.iter().any(|i| i.field.as_deref().is_some_and(is_tree_field));
            // Row messages are shown at the rows: the summary only points there.
            let title = if at_rows && others.is_empty() {
                "Some conditions are not valid: see the marked rows below.".to_owned()
            } else {
                e.message.clone()
            };
            view! {
                <div class="alert alert-error" role="alert" data-testid="save-error">
                    <p class="alert-title">{title}</p>
                    {(!others.is_empty()).then(|| view! { <ErrorItems items=others/> })}
                </div>
            }
        })
    };
    let count = move || root.count();
    let max_conditions = cat.max_conditions();

    view! {
        <header class="page-header">
            <h1>{heading}</h1>
            <p class="muted">"Users who match the conditions are members; membership is refreshed on save, daily and after each import."</p>
        </header>
        <form class="builder" on:submit=on_submit novalidate>
            <div class="builder-main">
                {form_error}
                <section class="card form">
                    <div class="field">
                        <label for="segment-name">"Name"</label>
                        <input
                            id="segment-name"
                            type="text"
                            data-testid="segment-name-input"
                            required
                            autocomplete="off"
                            bind:value=name
                            aria-invalid=move || name_error.with(Option::is_some).to_string()
                            aria-describedby="segment-name-error"
                        />
                        <p class="field-error" id="segment-name-error" data-testid="segment-name-error" hidden=move || name_error.with(Option::is_none)>
                            {move || name_error.get()}
                        </p>
                    </div>
                    <div class="field">
                        <label for="segment-description">"Description " <span class="muted">"(optional)"</span></label>
                        <textarea
                            id="segment-description"
                            data-testid="segment-description"
                            rows="2"
                            prop:value=move || description.get()
                            on:input=move |ev| description.set(event_target_value(&ev))
                        ></textarea>
                    </div>
                    <div class="field-row">
                        <fieldset class="field radios">
                            <legend>"Visibility"</legend>
                            <label class="check">
                                <input
                                    type="radio"
                                    name="visibility"
                                    value="public"
                                    data-testid="visibility-public"
                                    prop:checked=move || !private.get()
                                    on:change=move |_| private.set(false)
                                />
                                "Public " <span class="muted">"— every operator"</span>
                            </label>
                            <label class="check">
                                <input
                                    type="radio"
                                    name="visibility"
                                    value="private"
                                    data-testid="visibility-private"
                                    prop:checked=move || private.get()
                                    on:change=move |_| private.set(true)
                                />
                                "Private " <span class="muted">"— only you"</span>
                            </label>
                        </fieldset>
                        <div class="field">
                            <span class="field-label">"User page"</span>
                            <label class="check">
                                <input
                                    type="checkbox"
                                    data-testid="segment-show-on-user-page"
                                    prop:checked=move || on_user_page.get()
                                    on:change=move |ev| on_user_page.set(event_target_checked(&ev))
                                />
                                "Show on its members’ user page"
                            </label>
                        </div>
                    </div>
                </section>
                <section class="card">
                    <div class="card-head">
                        <h2>"Conditions"</h2>
                        <span class="muted small">{move || format!("{} of {max_conditions} conditions", count())}</span>
                    </div>
                    {group_editor(root, ctx, Signal::derive(String::new), 1, None)}
                </section>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="save-segment" disabled=move || saving.get()>
                        {move || if saving.get() { "Saving…" } else { "Save segment" }}
                    </button>
                    <A href="/segments" attr:class="btn btn-ghost">"Cancel"</A>
                </div>
            </div>
            <aside class="card builder-live" data-testid="live-preview" data-state=move || live.get().key() aria-live="polite">
                <h2>"Live count"</h2>
                {move || live_view(live.get(), preview.get(), preview_error.get())}
            </aside>
        </form>
    }
}

fn live_view(live: Live, preview: Option<SegmentPreview>, error: Option<ApiError>) -> impl IntoView {
    let stale = live != Live::Ready;
    let status = match live {
        Live::Incomplete => Some("Complete every condition to update the count."),
        Live::Loading => Some("Counting…"),
        Live::Failed => None,
        Live::Ready => None,
    };
    let failure = (live == Live::Failed).then(|| {
        let message = error
            .map(|e| {
                if e.items.iter().any(|i| i.field.as_deref().is_some_and(is_tree_field)) {
                    "A condition is not valid yet: see the marked row.".to_owned()
                } else {
                    e.message
                }
            })
            .unwrap_or_default();
        view! { <p class="field-error">{message}</p> }
    });
    let body = preview.map(|p| {
        let sample = p
            .sample
            .iter()
            .take(8)
            .map(|u| {
                let name = u
                    .name
                    .clone()
                    .filter(|n| !n.is_empty())
                    .or_else(|| u.email.clone())
                    .unwrap_or_else(|| u.external_id.clone());
                let symbol = u.rfm_segment.as_ref().map(|s| format!("{} ", s.symbol));
                view! {
                    <li>
                        <span class="muted">{symbol}</span>
                        <A href=format!("/users/{}", u.id)>{name}</A>
                    </li>
                }
            })
            .collect_view();
        let churned = p.total - p.size;
        view! {
            <div class:is-stale=stale>
                <p class="live-count">
                    <strong data-testid="live-count" data-count=p.size.to_string()>{format::int(p.size)}</strong>
                    " users match"
                </p>
                <p class="muted small" title="Active: seen within the workspace's activity window. Churned users are never counted.">
                    {format!(
                        "{} active, {} offline{}",
                        format::int(p.online),
                        format::int(p.offline),
                        if churned > 0 { format!(", {} churned not counted", format::int(churned)) } else { String::new() },
                    )}
                </p>
                {(!p.sample.is_empty()).then(|| view! {
                    <h3 class="subhead">"Some of them"</h3>
                    <ul class="sample" data-testid="live-sample">{sample}</ul>
                })}
            </div>
        }
    });
    view! {
        {status.map(|s| view! { <p class="muted">{s}</p> })}
        {failure}
        {body}
    }
}
