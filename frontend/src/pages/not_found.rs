//! The not-found page.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::set_title;

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
