//! The scoring matrix at `/scoring`: users by fit score (rows) × engagement score (columns);
//! each cell links to the Users page filtered to that cell's score ranges.

use api_types::metrics::ScoringMatrix;
use leptos::prelude::*;
use leptos_router::components::A;
use serde_json::json;

use crate::api;
use crate::components::Branch;
use crate::components::feedback::{Empty, loaded};
use crate::components::scope::ScopeNote;
use crate::fetch::Fetch;
use crate::{format, set_title, use_session};

#[component]
pub fn Scoring() -> impl IntoView {
    set_title("Scoring");
    let scope = use_session().active_segment();
    let data = Fetch::new(move || {
        let s = scope.get();
        async move { api::scoring_matrix(s).await }
    });
    view! {
        <section class="page-section">
            <header class="page-header">
                <h1>"Scoring matrix"</h1>
                <p class="muted">
                    "Users by fit score (rows) and engagement score (columns). Select a cell to see its users."
                </p>
            </header>
            <ScopeNote/>
            <section class="card">{loaded(data, "Loading the scoring matrix…", matrix)}</section>
        </section>
    }
}

/// `/users` filtered to fit and engagement scores within the given bounds.
fn cell_href(fit: (u8, u8), engagement: (u8, u8)) -> String {
    let tree = json!({
        "match": "all",
        "conditions": [
            {"field": "score.fit", "op": "between", "value": [fit.0, fit.1]},
            {"field": "score.engagement", "op": "between", "value": [engagement.0, engagement.1]},
        ],
    });
    format!("/users?conditions={}", api::encode(&tree.to_string()))
}

fn matrix(m: ScoringMatrix) -> impl IntoView {
    if m.scored == 0 {
        return view! {
            <Empty
                title="No scores yet"
                hint="Fit and engagement scores come from company properties and product usage; their factors are in Settings."
            />
        }
        .left();
    }
    let max = m.cells.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    let columns: Vec<(u8, u8, u8)> = (1..=5u8)
        .filter_map(|e| m.cells.iter().find(|c| c.engagement == e).map(|c| (e, c.engagement_min, c.engagement_max)))
        .collect();
    let head = columns
        .iter()
        .map(|(e, lo, hi)| {
            view! {
                <th scope="col" class="num">
                    {format!("Engagement {e}")}
                    <span class="th-sub">{format!("{lo}–{hi}")}</span>
                </th>
            }
        })
        .collect_view();
    let rows = (1..=5u8)
        .rev()
        .map(|fit| {
            let cells: Vec<_> = m.cells.iter().filter(|c| c.fit == fit).cloned().collect();
            let range = cells.first().map(|c| format!("{}–{}", c.fit_min, c.fit_max)).unwrap_or_default();
            let tds = cells
                .into_iter()
                .map(|c| {
                    let alpha = if c.count == 0 { 0.0 } else { 0.08 + 0.55 * c.count as f64 / max as f64 };
                    let label = format!(
                        "{} users with fit {}–{} and engagement {}–{}",
                        format::int(c.count),
                        c.fit_min,
                        c.fit_max,
                        c.engagement_min,
                        c.engagement_max
                    );
                    view! {
                        <td class="num scoring-cell" style=format!("background: rgba(21, 128, 61, {alpha:.2})")>
                            <A
                                href=cell_href((c.fit_min, c.fit_max), (c.engagement_min, c.engagement_max))
                                attr:data-testid="scoring-cell"
                                attr:data-fit=c.fit.to_string()
                                attr:data-engagement=c.engagement.to_string()
                                attr:data-count=c.count.to_string()
                                attr:aria-label=label.clone()
                                attr:title=label
                            >
                                {format::int(c.count)}
                            </A>
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">
                        {format!("Fit {fit}")}
                        <span class="th-sub">{range}</span>
                    </th>
                    {tds}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table matrix scoring" data-testid="scoring-matrix">
                <caption class="visually-hidden">"Users by fit score (rows) and engagement score (columns)"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Fit ↓ / Engagement →"</th>
                        {head}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="muted small">
            {format!(
                "{} users scored; {} without a fit or engagement score are not shown. High fit with low engagement is a churn risk; high fit with high engagement, a sales opportunity.",
                format::int(m.scored),
                format::int(m.unscored)
            )}
        </p>
    }
    .right()
}
