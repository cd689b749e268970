//! A segment's activity: its size per day over the last 30 days and its latest entries and
//! exits (`GET /segments/{id}/history` and `/events`, docs/segment-events.md).

use api_types::Page;
use api_types::segment_events::{SegmentEvent, SegmentEventType, SegmentHistory};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::components::Branch;
use crate::components::chart::{ColumnChart, Point};
use crate::components::feedback::loaded;
use crate::components::table::{Col, Table};
use crate::fetch::Fetch;
use crate::format;
use crate::pages::user::trigger_label;

/// Entries and exits listed under the chart.
const LATEST: u32 = 10;

#[component]
pub fn SegmentActivity(id: i64) -> impl IntoView {
    let data = Fetch::new(move || async move {
        Ok::<_, ApiError>((api::segment_history(id).await?, api::segment_events(id, LATEST).await?))
    });
    view! {
        <section class="card" data-testid="segment-activity">
            <h2>"Activity"</h2>
            {loaded(data, "Loading the segment's activity…", |(history, events): (SegmentHistory, Page<SegmentEvent>)| {
                let points: Vec<Point> = history
                    .points
                    .iter()
                    .map(|p| Point {
                        label: p.date.format("%d %b").to_string(),
                        value: p.size as f64,
                        title: format!("{}: {} members, {} entered, {} left", p.date, p.size, p.entered, p.exited),
                    })
                    .collect();
                let rows = events
                    .items
                    .into_iter()
                    .map(|e| {
                        let entered = e.kind == SegmentEventType::Entered;
                        let who = e.external_id.clone().unwrap_or_else(|| format!("deleted user {}", e.user_id));
                        view! {
                            <tr data-testid="segment-event">
                                <td>{if entered { "Entered" } else { "Left" }}</td>
                                <td>
                                    {if e.external_id.is_some() {
                                        view! { <A href=format!("/users/{}", e.user_id)>{who}</A> }.left()
                                    } else {
                                        view! { <span class="muted">{who}</span> }.right()
                                    }}
                                </td>
                                <td>{format::relative(&e.at)}</td>
                                <td class="muted">{trigger_label(&e.trigger)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <ColumnChart
                        points
                        label="Members at the end of each day over the last 30 days"
                        line=true
                        testid="segment-history-chart"
                    />
                    <h3 class="subhead">"Latest entries and exits"</h3>
                    <Table columns=&[Col::Text("Change"), Col::Text("User"), Col::Text("When"), Col::Text("Why")] rows/>
                }
            })}
        </section>
    }
}
