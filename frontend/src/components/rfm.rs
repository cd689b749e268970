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
            .left()
        }
        None => view! { <span class="rfm rfm-none" title="No purchase in range: not scored">"—"</span> }.right(),
    }
}

/// The eight RFM segments in the product's order: key, name, symbol (docs/rfm.md).
pub const RFM_SEGMENTS: [(&str, &str, &str); 8] = [
    ("champion", "Champion", "♥︎"),
    ("loyalist", "Loyalist", "☻"),
    ("potential_loyalist", "Potential Loyalist", "[☺︎]"),
    ("new", "New", "⊕"),
    ("need_attention", "Need Attention", "‼"),
    ("at_risk", "At Risk", "☹︎"),
    ("hibernating", "Hibernating", "☾"),
    ("lost", "Lost", "⊖"),
];

/// Name and symbol of a segment key; `none` (no segment) reads "No segment".
pub fn rfm_name(key: &str) -> (&'static str, &'static str) {
    RFM_SEGMENTS.iter().find(|(k, ..)| *k == key).map(|(_, n, s)| (*n, *s)).unwrap_or(("No segment", "–"))
}

/// `♥︎ Champion`.
pub fn rfm_label(key: &str) -> String {
    let (name, symbol) = rfm_name(key);
    format!("{symbol} {name}")
}
use crate::components::Branch;
