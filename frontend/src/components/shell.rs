//! The signed-in frame: header with product name, navigation and operator; the page below.
//! Visitors without a session are sent to sign-in, with the page they wanted as `next`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Outlet, Redirect};
use leptos_router::hooks::use_location;

use crate::api;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::scope::SegmentPicker;
use crate::components::scoring::ScoringBanner;
use crate::use_session;

#[component]
pub fn Shell() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    move || {
        if session.signed_in.get() {
            view! { <Frame/> }.into_any()
        } else {
            let pathname = location.pathname.get_untracked();
            let path = if session.remember_page.get_untracked() && pathname != "/" {
                let search = location.search.get_untracked();
                let here = if search.is_empty() { pathname } else { format!("{pathname}?{search}") };
                format!("/signin?next={}", api::encode(&here))
            } else {
                "/signin".to_owned()
            };
            view! { <Redirect path=path/> }.into_any()
        }
    }
}

#[component]
fn Frame() -> impl IntoView {
    let session = use_session();
    let me_error = RwSignal::new(None);
    // Pages wait for the operator: their lists and metrics are scoped to its active segment.
    let load_me = move || {
        me_error.set(None);
        spawn_local(async move {
            match api::me().await {
                Ok(op) => session.operator.set(Some(op)),
                // A 401 has already ended the session; anything else is worth saying.
                Err(e) if e.status != 401 => me_error.set(Some(e)),
                Err(_) => {}
            }
        });
    };
    if session.operator.get_untracked().is_none() {
        load_me();
    }
    // Whether the operator is known: pages wait for it (see above); a Memo, so that a change of
    // the operator (a new active segment) does not mount the pages again.
    let known = Memo::new(move |_| session.operator.with(Option::is_some));
    let sign_out = Action::new_local(move |_: &()| async move {
        api::logout().await;
        session.end(false);
    });

    view! {
        <header class="topbar">
            <div class="topbar-inner">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    "segmenta"
                </A>
                <nav class="mainnav" aria-label="Main">
                    <A href="/" exact=true>"Dashboard"</A>
                    <A href="/users">"Users"</A>
                    <A href="/segments">"Segments"</A>
                    <A href="/scoring">"Scoring"</A>
                    <A href="/settings">"Settings"</A>
                </nav>
                {move || known.get().then(|| view! { <SegmentPicker/> })}
                <div class="account">
                    {move || {
                        session
                            .operator
                            .get()
                            .map(|op| {
                                let workspace = op.workspace_name.clone();
                                view! {
                                    <span class="account-who" title=workspace>
                                        <span class="account-email">{op.email}</span>
                                        <span class="account-workspace muted">{op.workspace_name}</span>
                                    </span>
                                }
                            })
                    }}
                    <button
                        type="button"
                        class="btn btn-ghost btn-small"
                        on:click=move |_| {
                            sign_out.dispatch(());
                        }
                        disabled=move || sign_out.pending().get()
                    >
                        "Sign out"
                    </button>
                </div>
            </div>
        </header>
        <main id="main" class="page">
            {move || {
                me_error
                    .get()
                    .map(|e| view! { <ErrorBox error=e retry=Callback::new(move |_| load_me())/> })
            }}
            {move || known.get().then(|| view! { <ScoringBanner/> })}
            {move || {
                if known.get() {
                    view! { <Outlet/> }.into_any()
                } else if me_error.with(Option::is_none) {
                    view! { <Loading/> }.into_any()
                } else {
                    ().into_any()
                }
            }}
        </main>
    }
}
