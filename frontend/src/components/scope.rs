//! The active segment: the header's picker, and the note pages show while one is active.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::fetch::Fetch;
use crate::use_session;

/// Lists the custom segments the operator sees; picking one makes it active (it scopes every
/// list, metric and chart), "All users" unsets it.
#[component]
pub fn SegmentPicker() -> impl IntoView {
    let session = use_session();
    let active = session.active_segment();
    let segments = Fetch::new(move || {
        session.segments_changed.track();
        async move { api::segments(None).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(list)) = segments.get() {
            session.segment_names.set(list.into_iter().map(|s| (s.id, s.name)).collect());
        }
    });
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let choose = move |value: String| {
        let id = value.parse::<i64>().ok();
        pending.set(true);
        spawn_local(async move {
            match api::set_active_segment(id).await {
                Ok(op) => {
                    error.set(None);
                    session.operator.set(Some(op));
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let options = move || {
        let current = active.get();
        let mut list = session.segment_names.get();
        if let Some(id) = current
            && !list.iter().any(|(i, _)| *i == id)
        {
            list.push((id, format!("Segment #{id}")));
        }
        list.into_iter()
            .map(|(id, name)| {
                view! { <option value=id.to_string() prop:selected=current == Some(id)>{name}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="picker" class:picker-active=move || active.get().is_some()>
            <label for="active-segment" class="picker-label">"Segment"</label>
            <select
                id="active-segment"
                data-testid="active-segment-picker"
                title="The active segment scopes every page until you unset it"
                disabled=move || pending.get()
                on:change=move |ev| choose(event_target_value(&ev))
            >
                <option value="" prop:selected=move || active.get().is_none()>"All users"</option>
                {options}
            </select>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <span class="picker-error" role="alert" title=e.message.clone()>
                                "Could not change the segment"
                            </span>
                        }
                    })
            }}
        </div>
    }
}

/// "Showing segment X" above a page's numbers while a segment is active, with a way out.
#[component]
pub fn ScopeNote() -> impl IntoView {
    let session = use_session();
    let active = session.active_segment();
    let unset = move |_| {
        spawn_local(async move {
            if let Ok(op) = api::set_active_segment(None).await {
                session.operator.set(Some(op));
            }
        });
    };
    move || {
        active.get().map(|id| {
            let name = session.segment_name(id);
            view! {
                <p class="scope-note" data-testid="scope-note">
                    "Showing the members of the active segment "
                    <A href=format!("/users?segment={id}")>{name}</A>
                    " only. "
                    <button type="button" class="link-button" on:click=unset>"Show all users"</button>
                </p>
            }
        })
    }
}
