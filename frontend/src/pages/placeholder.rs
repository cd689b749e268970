//! Pages whose endpoints are not there yet, and the not-found page.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::set_title;

#[component]
fn ComingSoon(title: &'static str, lead: &'static str) -> impl IntoView {
    set_title(title);
    view! {
        <section class="page-section">
            <header class="page-header">
                <h1>{title}</h1>
            </header>
            <div class="card placeholder">
                <p class="placeholder-lead">{lead}</p>
                <p class="muted">"This page is coming soon."</p>
                <A href="/users" attr:class="btn">"Go to Users"</A>
            </div>
        </section>
    }
}

#[component]
pub fn Dashboard() -> impl IntoView {
    view! {
        <ComingSoon
            title="Dashboard"
            lead="Users overview, purchase activity, the RFM matrix and RFM transitions of your workspace."
        />
    }
}

#[component]
pub fn Segments() -> impl IntoView {
    view! {
        <ComingSoon
            title="Segments"
            lead="RFM segments with their metrics, and custom segments built from conditions."
        />
    }
}

#[component]
pub fn Scoring() -> impl IntoView {
    view! {
        <ComingSoon
            title="Scoring"
            lead="The scoring matrix: users by fit and engagement score."
        />
    }
}

#[component]
pub fn Settings() -> impl IntoView {
    view! {
        <ComingSoon
            title="Settings"
            lead="Workspace, scores, RFM thresholds, operators and API keys."
        />
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_title("Not found");
    view! {
        <section class="page-section">
            <div class="card placeholder">
                <h1>"Page not found"</h1>
                <p class="muted">"There is nothing at this address."</p>
                <A href="/" attr:class="btn">"Back to the dashboard"</A>
            </div>
        </section>
    }
}
