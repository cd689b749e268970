//! A headline number with its label, as on the dashboard cards.

use leptos::prelude::*;

/// `raw` goes into `data-value` (unformatted) so tests and scripts can read the number.
#[component]
pub fn Stat(
    #[prop(into)] label: String,
    #[prop(into)] value: String,
    #[prop(optional, into)] raw: Option<String>,
    #[prop(optional, into)] hint: Option<String>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <div class="stat-card" data-testid=testid data-value=raw>
            <span class="stat-card-label">{label}</span>
            <span class="stat-card-value">{value}</span>
            {hint.map(|h| view! { <span class="stat-card-hint muted">{h}</span> })}
        </div>
    }
}
