//! Export buttons: the file is fetched with the session's token, then saved by the browser.

use leptos::prelude::*;

use crate::api::{self, ApiError};

/// What a button exports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Export {
    /// `GET /segments/export.csv`: the custom segments with their metrics.
    Segments,
    /// `GET /users/export.csv[?segment=ID]`: users with their RFM, of one segment or all.
    Users(Option<i64>),
}

#[component]
pub fn ExportButton(
    what: Export,
    #[prop(into)] label: String,
    testid: &'static str,
    #[prop(optional)] small: bool,
    /// Accessible name when the visible label is short (e.g. in a table row).
    #[prop(optional, into)]
    aria_label: Option<String>,
) -> impl IntoView {
    let action = Action::new_local(move |_: &()| async move {
        match what {
            Export::Segments => api::export_segments().await,
            Export::Users(segment) => api::export_users(segment).await,
        }
    });
    let error = move || action.value().get().and_then(Result::err);
    view! {
        <span class="export">
            <button
                type="button"
                class="btn"
                class:btn-small=small
                data-testid=testid
                aria-label=aria_label
                disabled=move || action.pending().get()
                on:click=move |_| {
                    action.dispatch(());
                }
            >
                <span aria-hidden="true">"⤓"</span>
                {move || if action.pending().get() { "Preparing…".to_owned() } else { label.clone() }}
            </button>
            {move || {
                error()
                    .map(|e: ApiError| {
                        view! {
                            <span class="export-error" role="alert">
                                {e.message}
                            </span>
                        }
                    })
            }}
        </span>
    }
}
