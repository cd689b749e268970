//! The RFM segment of a user: its symbol next to its name, everywhere a segment is shown.

use api_types::users::RfmSegmentRef;
use leptos::prelude::*;

#[component]
pub fn RfmBadge(segment: Option<RfmSegmentRef>) -> impl IntoView {
    match segment {
        Some(s) => {
            let title = format!("RFM segment: {}", s.name);
            view! {
            <span class=format!("rfm rfm-{}", s.key) title=title>
                <span class="rfm-symbol" aria-hidden="true">{s.symbol}</span>
                <span class="rfm-name">{s.name}</span>
            </span>
            }
            .into_any()
        }
        None => {
            view! { <span class="rfm rfm-none" title="No purchase in range: not scored">"—"</span> }
                .into_any()
        }
    }
}
