//! segmenta browser app: the router, the session and the app shell.

pub mod api;
pub mod components;
pub mod fetch;
pub mod format;
pub mod pages;

use api_types::auth::Operator;
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::components::shell::Shell;
use crate::pages::auth::{SignIn, SignUp};
use crate::pages::builder::SegmentBuilder;
use crate::pages::dashboard::Dashboard;
use crate::pages::not_found::NotFound;
use crate::pages::scoring::Scoring;
use crate::pages::segments::Segments;
use crate::pages::settings::Settings;
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
    /// Sign-in should lead back to the page that sent the visitor there: true for a visit
    /// without a session and for an expired one, false after a deliberate sign-out.
    pub remember_page: RwSignal<bool>,
    /// Bumped after a custom segment is created, changed, reordered or deleted: lists of
    /// segments (the header's picker) load again.
    pub segments_changed: RwSignal<u64>,
    /// The custom segments the operator sees, `(id, name)`, as the picker last loaded them.
    pub segment_names: RwSignal<Vec<(i64, String)>>,
}

impl Session {
    fn new() -> Self {
        Session {
            signed_in: RwSignal::new(api::tokens::present()),
            operator: RwSignal::new(None),
            expired: RwSignal::new(false),
            remember_page: RwSignal::new(true),
            segments_changed: RwSignal::new(0),
            segment_names: RwSignal::new(Vec::new()),
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
        self.remember_page.set(expired);
        self.operator.set(None);
        self.signed_in.set(false);
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

impl Session {
    /// The operator's active segment: every list and metric is scoped to it (`segment=`).
    pub fn active_segment(&self) -> Memo<Option<i64>> {
        let operator = self.operator;
        Memo::new(move |_| operator.with(|o| o.as_ref().and_then(|o| o.active_segment_id)))
    }

    /// Lists of segments should load again.
    pub fn bump_segments(&self) {
        self.segments_changed.update(|n| *n += 1);
    }

    /// The operator's role, as the page was built (roles do not change while signed in).
    pub fn is_admin(&self) -> bool {
        self.operator.with_untracked(|o| o.as_ref().is_some_and(|o| o.role == api_types::auth::Role::Admin))
    }

    pub fn can_edit(&self) -> bool {
        self.operator.with_untracked(|o| o.as_ref().is_some_and(|o| o.role != api_types::auth::Role::Viewer))
    }

    /// The display name of a custom segment, when the picker knows it.
    pub fn segment_name(&self, id: i64) -> String {
        self.segment_names
            .with(|names| names.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()))
            .unwrap_or_else(|| format!("Segment #{id}"))
    }
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
                    <Route path=path!("dashboard") view=|| view! { <Redirect path="/"/> }/>
                    <Route path=path!("users") view=UsersPage/>
                    <Route path=path!("users/:id") view=UserPage/>
                    <Route path=path!("segments") view=Segments/>
                    <Route path=path!("segments/new") view=SegmentBuilder/>
                    <Route path=path!("segments/:id/edit") view=SegmentBuilder/>
                    <Route path=path!("scoring") view=Scoring/>
                    <Route path=path!("settings") view=Settings/>
                    <Route path=path!("*any") view=NotFound/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
