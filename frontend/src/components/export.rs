//! Export buttons: the file is fetched with the session's token, then saved by the browser.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError, UserSelection};

/// What a button exports.
#[derive(Debug, Clone, PartialEq)]
pub enum Export {
    /// `GET /segments/export.csv`: the custom segments with their metrics.
    Segments,
    /// `GET /users/export.csv?…`: users with their RFM, as the Users list selects them for the
    /// same search, filter, conditions and segment.
    Users(UserSelection),
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
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let run = move || {
        pending.set(true);
        error.set(None);
        let what = what.clone();
        spawn_local(async move {
            let result = match what {
                Export::Segments => api::export_segments().await,
                Export::Users(selection) => api::export_users(&selection).await,
            };
            error.set(result.err());
            pending.set(false);
        });
    };
    view! {
        <span class="export">
            <button
                type="button"
                class="btn"
                class:btn-small=small
                data-testid=testid
                aria-label=aria_label
                disabled=move || pending.get()
                on:click=move |_| run()
            >
                <span aria-hidden="true">"⤓"</span>
                {move || if pending.get() { "Preparing…".to_owned() } else { label.clone() }}
            </button>
            {move || {
                error
                    .get()
                    .map(|e| {
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
