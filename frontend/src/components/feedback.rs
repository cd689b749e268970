//! Loading, empty and error states, shown where the content would be.

use leptos::prelude::*;
use leptos::tachys::view::Mountable;
use wasm_bindgen::JsCast;

use crate::api::ApiError;
use crate::fetch::Fetch;

/// A quiet placeholder while something loads for the first time.
#[component]
pub fn Loading(#[prop(default = "Loading…")] label: &'static str) -> impl IntoView {
    view! {
        <div class="state state-loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{label}</span>
        </div>
    }
}

/// Nothing to show, and what to do about it.
#[component]
pub fn Empty(#[prop(into)] title: String, #[prop(optional, into)] hint: Option<String>) -> impl IntoView {
    view! {
        <div class="state state-empty">
            <p class="state-title">{title}</p>
            {hint.map(|h| view! { <p class="muted">{h}</p> })}
        </div>
    }
}

/// A failed request: the server's message, its per-field or per-row items, and a retry.
#[component]
pub fn ErrorBox(error: ApiError, #[prop(optional, into)] retry: Option<Callback<()>>) -> impl IntoView {
    let items = error.items.clone();
    view! {
        <div class="alert alert-error" role="alert">
            <p class="alert-title">{error.message.clone()}</p>
            <Show when={
                let empty = items.is_empty();
                move || !empty
            }>
                <ErrorItems items=items.clone()/>
            </Show>
            {retry.map(|retry| {
                view! {
                    <button type="button" class="btn btn-small" on:click=move |_| retry.run(())>
                        "Try again"
                    </button>
                }
            })}
        </div>
    }
}

/// The items of a problem+json error: `field: message`, `row 3, column email: message`.
#[component]
pub fn ErrorItems(items: Vec<api_types::problem::ProblemItem>) -> impl IntoView {
    view! {
        <ul class="alert-items">
            {items
                .into_iter()
                .map(|i| {
                    let mut place = Vec::new();
                    if let Some(row) = i.row {
                        place.push(format!("row {row}"));
                    }
                    if let Some(column) = i.column {
                        place.push(format!("column {column}"));
                    }
                    if let Some(field) = i.field {
                        place.push(field);
                    }
                    let place = if place.is_empty() { String::new() } else { format!("{}: ", place.join(", ")) };
                    view! {
                        <li>
                            <span class="alert-place">{place}</span>
                            {i.message}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The message for one form field, from the last failed submit.
#[component]
pub fn FieldError(#[prop(into)] error: Signal<Option<ApiError>>, field: &'static str) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.field(field));
    view! {
        <Show when=move || message().is_some()>
            <p class="field-error" id=format!("{field}-error")>
                {message}
            </p>
        </Show>
    }
}

/// A built view, ready to mount: what the arms of a [`switch`] return (see [`built`]).
pub struct Built(Box<dyn Mountable>);

/// Builds a view for a [`switch`].
pub fn built<V>(view: V) -> Built
where
    V: IntoView,
    V::State: 'static,
{
    Built(Box::new(view.build()))
}

/// A part of the page that is built afresh whenever `source` changes: `render` (run untracked)
/// picks what to show. Used instead of a reactive closure returning `AnyView`, for which tachys
/// also compiles a diffing `rebuild` of every view type it may hold — a large part of the
/// app's size, of no use where the content is replaced as a whole anyway. The content sits in
/// a block `<div class="switch">`.
pub fn switch<S, R>(source: impl Fn() -> S + 'static, render: R) -> impl IntoView
where
    S: 'static,
    R: Fn(S) -> Built + 'static,
{
    let host = NodeRef::<leptos::html::Div>::new();
    mount_on_change(host, source, render);
    view! { <div class="switch" node_ref=host></div> }
}

/// A [`switch`] within a line (a `display: contents` `<span>`), e.g. in a form row or a cell.
pub fn switch_inline<S, R>(source: impl Fn() -> S + 'static, render: R) -> impl IntoView
where
    S: 'static,
    R: Fn(S) -> Built + 'static,
{
    let host = NodeRef::<leptos::html::Span>::new();
    mount_on_change(host, source, render);
    view! { <span class="switch-inline" node_ref=host></span> }
}

fn mount_on_change<E, S, R>(host: NodeRef<E>, source: impl Fn() -> S + 'static, render: R)
where
    E: leptos::html::ElementType + 'static,
    E::Output: JsCast + Clone + 'static,
    S: 'static,
    R: Fn(S) -> Built + 'static,
{
    // Each view gets its own owner, a child of the caller's (for contexts), disposed only
    // after the view is unmounted: unmounting still reads the view's reactive parts.
    let parent_owner = Owner::current().unwrap_or_default();
    let mounted = StoredValue::new_local(None::<(Owner, Built)>);
    Effect::new(move |_| {
        let value = source();
        let Some(parent) = host.get() else { return };
        let parent: &web_sys::Element = parent.unchecked_ref();
        mounted.update_value(|old| {
            if let Some((owner, mut view)) = old.take() {
                view.0.unmount();
                drop(view);
                owner.cleanup();
            }
        });
        let owner = parent_owner.child();
        let mut view = owner.with(|| untrack(|| render(value)));
        view.0.mount(parent, None);
        mounted.set_value(Some((owner, view)));
    });
}

/// A resource's content once loaded: a spinner the first time, the error with a retry when it
/// fails, `render` otherwise; while it reloads the old content stays.
pub fn loaded<T, F, V>(resource: Fetch<T>, label: &'static str, render: F) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> V + 'static,
    V: IntoView + 'static,
{
    switch(
        move || resource.get(),
        move |value| match value {
            None => built(view! { <Loading label/> }),
            Some(Ok(value)) => built(render(value)),
            Some(Err(e)) => built(view! { <ErrorBox error=e retry=Callback::new(move |_| resource.refetch())/> }),
        },
    )
}

/// A short-lived outcome of an action, announced politely: `Saved.`, `Deleted “VIP”.`
#[component]
pub fn Notice(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="notice" role="status" aria-live="polite">
            {move || message.get()}
        </p>
    }
}

/// A form's save: whether one runs, the latest one's error, the notice of its success.
#[derive(Clone, Copy, Default)]
pub struct Save {
    pub busy: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    pub notice: RwSignal<Option<String>>,
}

impl Save {
    /// Sends `request`; its success shows `done`, its failure the error.
    pub fn run<T: 'static>(
        self,
        request: impl std::future::Future<Output = Result<T, ApiError>> + 'static,
        done: &'static str,
    ) {
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            match request.await {
                Ok(_) => {
                    self.error.set(None);
                    self.notice.set(Some(done.into()));
                }
                Err(e) => {
                    self.notice.set(None);
                    self.error.set(Some(e));
                }
            }
            self.busy.set(false);
        });
    }
}

/// The end of a form that saves: the latest save's error with the items no field shows beside
/// itself (`beside_field` tells those a field shows), its notice, and for admins the button.
#[component]
pub fn SaveFooter(
    save: Save,
    admin: bool,
    label: &'static str,
    testid: &'static str,
    beside_field: fn(&str) -> bool,
) -> impl IntoView {
    view! {
        {move || {
            save.error.get().map(|e| {
                let items: Vec<api_types::problem::ProblemItem> =
                    e.items.iter().filter(|i| i.field.as_deref().is_none_or(|f| !beside_field(f))).cloned().collect();
                view! {
                    <div class="alert alert-error" role="alert">
                        <p class="alert-title">{e.message.clone()}</p>
                        {(!items.is_empty()).then(|| view! { <ErrorItems items/> })}
                    </div>
                }
            })
        }}
        <Notice message=save.notice/>
        {admin.then(|| view! {
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-testid=testid disabled=move || save.busy.get()>
                    {move || if save.busy.get() { "Saving…" } else { label }}
                </button>
            </div>
        })}
    }
}
