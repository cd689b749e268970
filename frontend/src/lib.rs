//! segmenta browser app: the router, the session and the app shell.

pub mod api;
pub mod components;
pub mod format;
pub mod pages;

use api_types::auth::Operator;
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::components::shell::Shell;
use crate::pages::auth::{SignIn, SignUp};
use crate::pages::placeholder::{Dashboard, NotFound, Scoring, Segments, Settings};
use crate::pages::user::UserPage;
use crate::pages::users::UsersPage;

/// Who is signed in. Provided as context by [`App`].
#[derive(Clone, Copy)]
pub struct Session {
    /// Tokens are stored; pages behind the shell may load.
    pub signed_in: RwSignal<bool>,
    /// The operator, once `/me` (or sign-in) has told us.
    pub operator: RwSignal<Option<Operator>>,
    /// The session ended on its own (refresh refused): sign-in brings the operator back.
    pub expired: RwSignal<bool>,
}

impl Session {
    fn new() -> Self {
        Session {
            signed_in: RwSignal::new(api::tokens::present()),
            operator: RwSignal::new(None),
            expired: RwSignal::new(false),
        }
    }

    /// Records a successful sign-in or sign-up (tokens are already stored by `api`).
    pub fn start(&self, operator: Operator) {
        self.operator.set(Some(operator));
        self.expired.set(false);
        self.signed_in.set(true);
    }

    /// Forgets the session in the UI (tokens are already cleared by `api`).
    pub fn end(&self, expired: bool) {
        self.expired.set(expired);
        self.operator.set(None);
        self.signed_in.set(false);
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Sets the document title: `Users · segmenta`.
pub fn set_title(page: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(&format!("{page} · segmenta"));
    }
}

#[component]
pub fn App() -> impl IntoView {
    let session = Session::new();
    provide_context(session);
    api::on_signed_out(move || session.end(true));

    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/signin") view=SignIn/>
                <Route path=path!("/signup") view=SignUp/>
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("") view=Dashboard/>
                    <Route path=path!("users") view=UsersPage/>
                    <Route path=path!("users/:id") view=UserPage/>
                    <Route path=path!("segments") view=Segments/>
                    <Route path=path!("scoring") view=Scoring/>
                    <Route path=path!("settings") view=Settings/>
                    <Route path=path!("*any") view=NotFound/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
