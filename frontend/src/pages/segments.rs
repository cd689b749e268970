//! The Segments page: the eight RFM segments with every metric of docs/metrics.md and a
//! sizes chart; the custom segments with their counts, search, reorder, edit, clone, refresh,
//! delete; exports of the table and of each segment's users.

use std::time::Duration;

use api_types::filters::{Condition, ConditionGroup, ConditionNode, MatchKind, Op};
use api_types::metrics::{MetricDef, SegmentMetricValues, SegmentMetricsReport};
use api_types::segments::{Segment, Visibility};
use chrono::Months;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::api::{self, ApiError, UserSelection};
use crate::components::Branch;
use crate::components::chart::{Bar, BarList};
use crate::components::conditions::focus_later;
use crate::components::export::{Export, ExportButton};
use crate::components::feedback::{Empty, ErrorBox, Notice, built, loaded, switch, switch_inline};
use crate::components::scope::ScopeNote;
use crate::fetch::Fetch;
use crate::{format, set_title, use_session};

#[component]
pub fn Segments() -> impl IntoView {
    set_title("Segments");
    let session = use_session();
    view! {
        <section class="page-section">
            <header class="page-header page-header-actions">
                <div>
                    <h1>"Segments"</h1>
                    <p class="muted">"RFM segments with their metrics, and your own segments built from conditions."</p>
                </div>
                <div class="actions">
                    <ExportButton what=Export::Segments label="Export segments" testid="export-segments"/>
                    {session.can_edit().then(|| view! {
                        <A href="/segments/new" attr:class="btn btn-primary" attr:data-testid="new-segment">
                            "New segment"
                        </A>
                    })}
                </div>
            </header>
            <ScopeNote/>
            <RfmSegments/>
            <CustomSegments/>
        </section>
    }
}

// ---- RFM segments ----------------------------------------------------------------------------

/// `/users` filtered to one RFM segment.
fn rfm_users_href(key: &str) -> String {
    let tree = ConditionGroup {
        r#match: MatchKind::All,
        conditions: vec![ConditionNode::Condition(Condition {
            field: "rfm.segment".into(),
            op: Op::Eq,
            value: key.into(),
        })],
    };
    let json = serde_json::to_string(&tree).unwrap_or_default();
    format!("/users?conditions={}", api::encode(&json))
}

fn metric(v: &SegmentMetricValues, key: &str) -> String {
    let money = |m: Option<f64>| m.map(format::money).unwrap_or_else(|| "—".into());
    match key {
        "size" => format::int(v.size),
        "contacts" => format::int(v.contacts),
        "online" => format::int(v.online),
        "offline" => format::int(v.offline),
        "avg_health_score" => v.avg_health_score.map(|h| format!("{h:.1}")).unwrap_or_else(|| "—".into()),
        "total_arr" => format::money(v.total_arr),
        "aof" => format::ratio(v.aof),
        "aov" => money(v.aov),
        "acv" => money(v.acv),
        "total_value" => format::money(v.total_value),
        _ => "—".into(),
    }
}

fn metric_cells(v: &SegmentMetricValues, defs: &[MetricDef]) -> impl IntoView + use<> {
    defs.iter()
        .map(|d| {
            view! { <td class="num" data-metric=d.key.clone()>{metric(v, &d.key)}</td> }
        })
        .collect_view()
}

const PERIODS: [(&str, &str); 4] =
    [("", "All history"), ("12", "Last 12 months"), ("3", "Last 3 months"), ("1", "Last month")];

#[component]
fn RfmSegments() -> impl IntoView {
    let scope = use_session().active_segment();
    let months = RwSignal::new(String::new());
    let data = Fetch::new(move || {
        let s = scope.get();
        let from = months.get().parse::<u32>().ok().map(|m| {
            let today = format::today();
            today.checked_sub_months(Months::new(m)).unwrap_or(today).to_string()
        });
        async move { api::segment_metrics(from.as_deref(), s).await }
    });
    view! {
        <section class="card">
            <div class="card-head">
                <h2>"RFM segments"</h2>
                <div class="field field-inline">
                    <label for="metrics-period">"Purchases"</label>
                    <select id="metrics-period" data-testid="metrics-period" on:change=move |ev| months.set(event_target_value(&ev))>
                        {PERIODS.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            {loaded(data, "Loading segment metrics…", |r: SegmentMetricsReport| rfm_report(r))}
        </section>
    }
}

fn rfm_report(r: SegmentMetricsReport) -> impl IntoView {
    if r.total.size == 0 {
        return view! {
            <Empty title="No active users yet" hint="Import users and orders to see the RFM segments fill."/>
        }
        .left();
    }
    let defs = r.definitions.clone();
    let head = defs
        .iter()
        .map(|d| {
            view! {
                <th scope="col" class="num" title=d.description.clone() data-metric=d.key.clone()>
                    {d.label.clone()}
                </th>
            }
        })
        .collect_view();
    let rows = r
        .rfm
        .iter()
        .map(|s| {
            let key = s.segment.key.clone();
            let symbol = s.segment.symbol.clone();
            let name = s.segment.name.clone();
            view! {
                <tr data-testid="rfm-row" data-key=key.clone()>
                    <th scope="row">
                        <A href=rfm_users_href(&key) attr:class=format!("rfm rfm-{key}")>
                            <span class="rfm-symbol" aria-hidden="true">{symbol.clone()}</span>
                            <span class="rfm-name">{name.clone()}</span>
                        </A>
                    </th>
                    {metric_cells(&s.metrics, &defs)}
                </tr>
            }
        })
        .collect_view();
    let bars: Vec<Bar> = r
        .rfm
        .iter()
        .map(|s| Bar {
            label: format!("{} {}", s.segment.symbol, s.segment.name),
            value: s.metrics.size as f64,
            shown: format::int(s.metrics.size),
            class: format!("rfm-{}", s.segment.key),
        })
        .collect();
    let period = match r.from {
        Some(from) => format!("Purchases from {from} to {}", r.to),
        None => format!("All purchases up to {}", r.to),
    };
    view! {
        <div class="table-wrap">
            <table class="table metrics-table" data-testid="rfm-segments-table">
                <thead>
                    <tr>
                        <th scope="col">"Segment"</th>
                        {head}
                    </tr>
                </thead>
                <tbody>
                    {rows}
                    <tr data-testid="rfm-row" data-key="none" class="muted-row">
                        <th scope="row">"No segment " <span class="muted">"(no purchase in range)"</span></th>
                        {metric_cells(&r.unscored, &defs)}
                    </tr>
                </tbody>
                <tfoot>
                    <tr data-testid="rfm-total">
                        <th scope="row">"Total"</th>
                        {metric_cells(&r.total, &defs)}
                    </tr>
                </tfoot>
            </table>
        </div>
        <p class="muted small">
            {format!("Active members, RFM as of {}. {period}. Hover a column name for its definition.", r.as_of)}
        </p>
        <h3 class="subhead">"Segment sizes"</h3>
        <BarList bars label="Active users per RFM segment" testid="segment-sizes-chart"/>
    }
    .right()
}

// ---- custom segments -------------------------------------------------------------------------

#[component]
fn CustomSegments() -> impl IntoView {
    let session = use_session();
    let search = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    let mut search_later = leptos::leptos_dom::helpers::debounce(Duration::from_millis(250), move |v: String| q.set(v));
    let list = Fetch::new(move || {
        let q = q.get();
        session.segments_changed.track();
        async move { api::segments(Some(q.trim())).await }
    });
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    view! {
        <section class="card">
            <div class="card-head">
                <h2>"Custom segments"</h2>
                <div class="search">
                    <label for="segments-search" class="visually-hidden">"Search segments by name"</label>
                    <input
                        id="segments-search"
                        type="search"
                        data-testid="segments-search"
                        placeholder="Search by name"
                        autocomplete="off"
                        prop:value=move || search.get()
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            search.set(v.clone());
                            search_later(v);
                        }
                    />
                </div>
            </div>
            <Notice message=notice/>
            {move || {
                error
                    .get()
                    .map(|e| view! { <ErrorBox error=e retry=Callback::new(move |_| error.set(None))/> })
            }}
            {loaded(list, "Loading segments…", move |segments: Vec<Segment>| {
                if segments.is_empty() {
                    let q = q.get_untracked();
                    return if q.trim().is_empty() {
                        view! {
                            <Empty
                                title="No custom segments yet"
                                hint="Create one from conditions on your users, their companies, behaviour and scores."
                            />
                        }
                            .left()
                    } else {
                        view! {
                            <Empty title=format!("No segment matches “{}”", q.trim()) hint="Try another part of the name."/>
                        }
                            .left().right()
                    };
                }
                view! { <SegmentsTable segments notice error/> }.right().right()
            })}
        </section>
    }
}

#[component]
fn SegmentsTable(
    segments: Vec<Segment>,
    notice: RwSignal<Option<String>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let session = use_session();
    let rows = RwSignal::new(segments);
    // The row whose delete waits for confirmation, and the row an action is running on.
    let confirming = RwSignal::new(None::<i64>);
    let busy = RwSignal::new(None::<i64>);
    let can_edit = session.can_edit();
    let active = session.active_segment();

    let name_of = move |id: i64| {
        rows.with_untracked(|r| r.iter().find(|s| s.id == id).map(|s| s.name.clone())).unwrap_or_default()
    };
    let move_row = move |id: i64, up: bool| {
        let before = rows.get_untracked();
        let Some(i) = before.iter().position(|s| s.id == id) else {
            return;
        };
        let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < before.len()) };
        let Some(j) = j else { return };
        let mut after = before.clone();
        after.swap(i, j);
        let ids: Vec<i64> = after.iter().map(|s| s.id).collect();
        let last = after.len() - 1;
        rows.set(after);
        // Keep the keyboard on the moved row; at an end the other button is the one left.
        let dir = match (up, j) {
            (true, 0) => "down",
            (false, j) if j == last => "up",
            (true, _) => "up",
            (false, _) => "down",
        };
        focus_later(format!("[data-testid=segment-row][data-segment-id=\"{id}\"] [data-testid=segment-move-{dir}]"));
        let name = name_of(id);
        spawn_local(async move {
            match api::reorder_segments(ids).await {
                Ok(list) => {
                    session.segment_names.set(list.into_iter().map(|s| (s.id, s.name)).collect());
                    notice.set(Some(format!("Moved “{name}” {}.", if up { "up" } else { "down" })));
                }
                Err(e) => {
                    rows.set(before);
                    error.set(Some(e));
                }
            }
        });
    };
    let run = move |id: i64, what: &'static str| {
        busy.set(Some(id));
        error.set(None);
        let name = name_of(id);
        spawn_local(async move {
            match what {
                "clone" => match api::clone_segment(id).await {
                    Ok(copy) => {
                        notice.set(Some(format!("Created “{}”.", copy.name)));
                        session.bump_segments();
                    }
                    Err(e) => error.set(Some(e)),
                },
                "refresh" => match api::refresh_segment(id).await {
                    Ok(s) => {
                        let msg = match &s.refresh_error {
                            Some(err) => format!("Refreshing “{}” failed: {err}", s.name),
                            None => format!("Refreshed “{}”: {} members.", s.name, format::int(s.size)),
                        };
                        notice.set(Some(msg));
                        rows.update(|r| {
                            if let Some(row) = r.iter_mut().find(|x| x.id == id) {
                                *row = s;
                            }
                        });
                    }
                    Err(e) => error.set(Some(e)),
                },
                _ => match api::delete_segment(id).await {
                    Ok(()) => {
                        confirming.set(None);
                        notice.set(Some(format!("Deleted “{name}”.")));
                        // The server unsets a deleted active segment; take the operator anew.
                        if active.get_untracked() == Some(id)
                            && let Ok(op) = api::me().await
                        {
                            session.operator.set(Some(op));
                        }
                        session.bump_segments();
                    }
                    Err(e) => {
                        confirming.set(None);
                        error.set(Some(e));
                    }
                },
            }
            busy.set(None);
        });
    };

    let row = move |s: Segment| {
        let id = s.id;
        let first = move || rows.with(|r| r.first().map(|x| x.id) == Some(id));
        let last = move || rows.with(|r| r.last().map(|x| x.id) == Some(id));
        let is_busy = move || busy.get() == Some(id);
        let name = s.name.clone();
        let refreshed = s.refreshed_at.map(|t| (format::relative(&t), format::datetime(&t), format::iso(&t)));
        let private = s.visibility == Visibility::Private;
        let confirm_name = name.clone();
        let title = s.name.clone();
        let export_label = format!("Export the users of {}", s.name);
        let actions = move |confirm: bool| {
            if confirm {
                let n = confirm_name.clone();
                built(view! {
                    <span class="confirm" role="group" aria-label="Confirm delete">
                        <span>{format!("Delete “{n}”?")}</span>
                        <button
                            type="button"
                            class="btn btn-small btn-danger"
                            data-testid="segment-delete-confirm"
                            disabled=is_busy
                            on:click=move |_| run(id, "delete")
                        >
                            "Delete"
                        </button>
                        <button
                            type="button"
                            class="btn btn-small"
                            data-testid="segment-delete-cancel"
                            on:click=move |_| {
                                confirming.set(None);
                                focus_later(format!("[data-segment-id=\"{id}\"] [data-testid=segment-delete]"));
                            }
                        >
                            "Cancel"
                        </button>
                    </span>
                })
            } else {
                let n = confirm_name.clone();
                built(view! {
                    <A href=format!("/segments/{id}/edit") attr:class="btn btn-small" attr:data-testid="segment-edit">
                        "Edit"
                    </A>
                    <button type="button" class="btn btn-small" data-testid="segment-clone" disabled=is_busy on:click=move |_| run(id, "clone")>
                        "Clone"
                    </button>
                    <button type="button" class="btn btn-small" data-testid="segment-refresh" disabled=is_busy on:click=move |_| run(id, "refresh")>
                        "Refresh"
                    </button>
                    <button
                        type="button"
                        class="btn btn-small btn-danger-ghost"
                        data-testid="segment-delete"
                        aria-label=format!("Delete {n}")
                        disabled=is_busy
                        on:click=move |_| {
                            confirming.set(Some(id));
                            focus_later(format!("[data-segment-id=\"{id}\"] [data-testid=segment-delete-confirm]"));
                        }
                    >
                        "Delete"
                    </button>
                })
            }
        };
        view! {
            <tr data-testid="segment-row" data-segment-id=id.to_string() class:is-busy=is_busy>
                <td class="reorder">
                    {can_edit.then(|| view! {
                        <button
                            type="button"
                            class="btn-icon"
                            data-testid="segment-move-up"
                            aria-label=format!("Move {name} up")
                            disabled=first
                            on:click=move |_| move_row(id, true)
                        >
                            "↑"
                        </button>
                        <button
                            type="button"
                            class="btn-icon"
                            data-testid="segment-move-down"
                            aria-label=format!("Move {name} down")
                            disabled=last
                            on:click=move |_| move_row(id, false)
                        >
                            "↓"
                        </button>
                    })}
                </td>
                <td class="cell-user">
                    <A href=format!("/users?segment={id}") attr:class="user-link" attr:data-testid="segment-name">
                        {title.clone()}
                    </A>
                    {private.then(|| view! { <span class="tag tag-muted">"private"</span> })}
                    {s.show_on_user_page.then(|| view! { <span class="tag tag-muted" title="Shown on its members' user page">"user page"</span> })}
                    {s.description.clone().filter(|d| !d.is_empty()).map(|d| view! { <div class="cell-sub">{d}</div> })}
                    {s.refresh_error.clone().map(|e| view! { <div class="field-error">{format!("Last refresh failed: {e}")}</div> })}
                </td>
                <td class="num" data-testid="segment-size" data-value=s.size.to_string()>{format::int(s.size)}</td>
                <td class="num" data-testid="segment-online">{format::int(s.online)}</td>
                <td class="num" data-testid="segment-offline">{format::int(s.offline)}</td>
                <td>
                    {match refreshed {
                        Some((rel, exact, iso)) => view! { <time datetime=iso title=exact>{rel}</time> }.left(),
                        None => view! { <span class="muted">"Never"</span> }.right(),
                    }}
                </td>
                <td>{if private { "Private" } else { "Public" }}</td>
                <td class="row-actions">
                    <ExportButton
                        what=Export::Users(UserSelection::segment(id))
                        label="Users"
                        aria_label=export_label
                        testid="segment-export-users"
                        small=true
                    />
                    {can_edit.then(|| switch_inline(move || confirming.get() == Some(id), actions))}
                </td>
            </tr>
        }
    };

    // Rebuilt whole on each change (a reorder moves rows): see `switch`.
    switch(
        move || rows.get(),
        move |list| {
            built(view! {
                <div class="table-wrap">
                    <table class="table segments-table" data-testid="segments-table">
                        <thead>
                            <tr>
                                <th scope="col"><span class="visually-hidden">"Order"</span></th>
                                <th scope="col">"Name"</th>
                                <th scope="col" class="num">"Size"</th>
                                <th scope="col" class="num" title="Seen within the activity window">"Active"</th>
                                <th scope="col" class="num" title="Not seen within the activity window">"Offline"</th>
                                <th scope="col">"Refreshed"</th>
                                <th scope="col">"Visibility"</th>
                                <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                            </tr>
                        </thead>
                        <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                    </table>
                </div>
            })
        },
    )
}
