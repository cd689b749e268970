//! Loading, empty and error states, shown where the content would be.

use leptos::prelude::*;

use crate::api::ApiError;

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
pub fn Empty(
    #[prop(into)] title: String,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    view! {
        <div class="state state-empty">
            <p class="state-title">{title}</p>
            {hint.map(|h| view! { <p class="muted">{h}</p> })}
        </div>
    }
}

/// A failed request: the server's message, its per-field or per-row items, and a retry.
#[component]
pub fn ErrorBox(
    error: ApiError,
    #[prop(optional, into)] retry: Option<Callback<()>>,
) -> impl IntoView {
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
pub fn FieldError(
    #[prop(into)] error: Signal<Option<ApiError>>,
    field: &'static str,
) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.field(field));
    view! {
        <Show when=move || message().is_some()>
            <p class="field-error" id=format!("{field}-error")>
                {message}
            </p>
        </Show>
    }
}

/// A resource's content once loaded: a spinner the first time, the error with a retry when it
/// fails, `render` otherwise. Later reloads keep the old content until the new one is there.
pub fn loaded<T, F, V>(
    resource: LocalResource<Result<T, ApiError>>,
    label: &'static str,
    render: F,
) -> impl IntoView
where
    T: Clone + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=move || view! { <Loading label/> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => render(value).into_any(),
                        Err(e) => {
                            view! { <ErrorBox error=e retry=Callback::new(move |_| resource.refetch())/> }
                                .into_any()
                        }
                    }
                })
            }}
        </Transition>
    }
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
