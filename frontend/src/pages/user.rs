//! User 360 at `/users/:id`: profile, company, scores, RFM, segments, orders and events.

use api_types::segment_events::SegmentEventType;
use api_types::segment_events::TimelineEntry;
use api_types::users::{Company, Event, Order, Rfm, SegmentMembership, User, UserDetail};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde_json::{Map, Value};

use crate::api;
use crate::components::Branch;
use crate::components::feedback::{Empty, ErrorBox, Loading, built, switch};
use crate::components::rfm::RfmBadge;
use crate::components::table::{Col, Table};
use crate::fetch::Fetch;
use crate::{format, set_title};

#[component]
pub fn UserPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|id| id.parse::<i64>().ok()));
    let detail = Fetch::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::user(id).await,
                None => Err(api::ApiError {
                    status: 404,
                    code: "not_found".into(),
                    message: "There is no such user.".into(),
                    items: Vec::new(),
                }),
            }
        }
    });

    view! {
        <section class="page-section">
            <nav class="breadcrumb" aria-label="Breadcrumb">
                <A href="/users">"← Users"</A>
            </nav>
            {switch(move || detail.get(), move |d| match d {
                None => built(view! { <Loading label="Loading user…"/> }),
                Some(Ok(d)) => built(view! { <UserView detail=d/> }),
                Some(Err(e)) if e.is_not_found() => {
                    set_title("User not found");
                    built(view! {
                        <Empty
                            title="User not found"
                            hint="It may have been deleted, or the link is wrong."
                        />
                    })
                }
                Some(Err(e)) => built(view! { <ErrorBox error=e retry=Callback::new(move |_| detail.refetch())/> }),
            })}
        </section>
    }
}

fn display_name(u: &User) -> String {
    u.name.clone().filter(|n| !n.is_empty()).or_else(|| u.email.clone()).unwrap_or_else(|| u.external_id.clone())
}

#[component]
fn UserView(detail: UserDetail) -> impl IntoView {
    let UserDetail { user, company, rfm, segments, segment_timeline, orders, events } = detail;
    let name = display_name(&user);
    set_title(&name);
    let churned = user.churned_at;
    let segment = user.rfm_segment.clone();
    let sub: Vec<String> =
        [user.email.clone().filter(|e| *e != name), Some(user.external_id.clone())].into_iter().flatten().collect();

    view! {
        <header class="page-header user-header">
            <div>
                <h1>{name}</h1>
                <p class="muted">{sub.join(" · ")}</p>
            </div>
            <div class="user-header-tags">
                {segment.map(|s| view! { <RfmBadge segment=Some(s)/> })}
                {churned.map(|t| view! { <span class="tag tag-muted">{format!("Churned {}", format::date(&t))}</span> })}
            </div>
        </header>

        <div class="grid">
            <Scores user=user.clone()/>
            <Purchases user=user.clone()/>
            <RfmCard rfm/>
        </div>
        <div class="grid grid-2">
            <Profile user/>
            <CompanyCard company/>
        </div>
        <Segments segments/>
        <Timeline entries=segment_timeline/>
        <Orders orders/>
        <Events events/>
    }
}

/// A `<dl>` row; empty values show as a dash.
fn row(label: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="dl-row">
            <dt>{label}</dt>
            <dd>{if value.is_empty() { "—".to_owned() } else { value }}</dd>
        </div>
    }
}

#[component]
fn Scores(user: User) -> impl IntoView {
    let score = |label: &'static str, v: Option<i32>| {
        let pct = v.unwrap_or(0).clamp(0, 100);
        let level = match pct {
            0..=39 => "low",
            40..=69 => "mid",
            _ => "high",
        };
        view! {
            <div class="score">
                <div class="score-head">
                    <span>{label}</span>
                    <strong>{v.map(|v| v.to_string()).unwrap_or_else(|| "—".into())}</strong>
                </div>
                <div
                    class=format!("meter meter-{level}")
                    role="meter"
                    aria-label=label
                    aria-valuemin="0"
                    aria-valuemax="100"
                    aria-valuenow=pct.to_string()
                >
                    <span style=format!("width: {pct}%")></span>
                </div>
            </div>
        }
    };
    view! {
        <section class="card">
            <h2>"Scores"</h2>
            {score("Health", user.health_score)}
            {score("Engagement", user.engagement_score)}
            {score("Fit", user.fit_score)}
        </section>
    }
}

#[component]
fn Purchases(user: User) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Purchases"</h2>
            <div class="stats">
                <div class="stat">
                    <span class="stat-value">{format::int(user.purchases)}</span>
                    <span class="stat-label">"purchases"</span>
                </div>
                <div class="stat">
                    <span class="stat-value">{format::money(user.revenue)}</span>
                    <span class="stat-label">"revenue"</span>
                </div>
            </div>
            <dl class="dl">
                {row("First purchase", format::opt_date(user.first_purchase_at.as_ref()))}
                {row("Last purchase", format::opt_date(user.last_purchase_at.as_ref()))}
            </dl>
        </section>
    }
}

#[component]
fn RfmCard(rfm: Option<Rfm>) -> impl IntoView {
    let body = match rfm {
        None => view! {
            <p class="muted">"Not scored: no purchase in the RFM range."</p>
        }
        .left(),
        Some(r) => view! {
            <div class="rfm-scores" aria-label="R, F and M scores">
                <div class="rfm-score"><span class="rfm-letter">"R"</span><strong>{r.r_score}</strong></div>
                <div class="rfm-score"><span class="rfm-letter">"F"</span><strong>{r.f_score}</strong></div>
                <div class="rfm-score"><span class="rfm-letter">"M"</span><strong>{r.m_score}</strong></div>
                <div class="rfm-score"><span class="rfm-letter">"FM"</span><strong>{r.fm_score}</strong></div>
            </div>
            <p><RfmBadge segment=Some(r.segment)/></p>
            <dl class="dl">
                {row("Recency", format!("{} days", format::int(r.recency_days)))}
                {row("Frequency", format::int(r.frequency))}
                {row("Monetary", format::money(r.monetary))}
            </dl>
        }
        .right(),
    };
    view! {
        <section class="card">
            <h2>"RFM"</h2>
            {body}
        </section>
    }
}

fn property_rows(props: Map<String, Value>) -> impl IntoView {
    props
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                Value::String(s) => s,
                Value::Null => String::new(),
                other => other.to_string(),
            };
            view! {
                <div class="dl-row">
                    <dt class="mono">{k}</dt>
                    <dd>{if v.is_empty() { "—".to_owned() } else { v }}</dd>
                </div>
            }
        })
        .collect_view()
}

#[component]
fn Profile(user: User) -> impl IntoView {
    let o = |s: &Option<String>| format::opt_str(s.as_ref());
    let last_seen = user
        .last_seen_at
        .map(|t| format!("{} ({})", format::datetime(&t), format::relative(&t)))
        .unwrap_or_else(|| "Never".into());
    view! {
        <section class="card">
            <h2>"Profile"</h2>
            <dl class="dl">
                {row("Name", o(&user.name))}
                {row("Email", o(&user.email))}
                {row("External id", user.external_id.clone())}
                {row("Phone", o(&user.phone))}
                {row("Country", o(&user.country))}
                {row("Role", o(&user.role))}
                {row("Created", format::opt_datetime(user.created_at.as_ref()))}
                {row("Last product usage", last_seen)}
                {row("Churned", format::opt_datetime(user.churned_at.as_ref()))}
                {row("Acquisition channel", o(&user.acquisition_channel))}
                {row("Client type", o(&user.client_type))}
                {row("Payment type", o(&user.payment_type))}
                {row("Invoice period", o(&user.invoice_period))}
                {row("Complaint reason", o(&user.complaint_reason))}
                {row("Email consent", format::yes_no(user.email_consent).to_owned())}
                {row("SMS consent", format::yes_no(user.sms_consent).to_owned())}
                {property_rows(user.properties)}
            </dl>
        </section>
    }
}

#[component]
fn CompanyCard(company: Option<Company>) -> impl IntoView {
    let body = match company {
        None => view! { <p class="muted">"Not part of a company."</p> }.left(),
        Some(c) => {
            let o = |s: &Option<String>| format::opt_str(s.as_ref());
            view! {
                <dl class="dl">
                    {row("Name", o(&c.name))}
                    {row("External id", c.external_id.clone())}
                    {row("Industry", o(&c.industry))}
                    {row("Plan", o(&c.plan))}
                    {row("ARR", c.arr.map(format::money).unwrap_or_default())}
                    {row("Owner", o(&c.owner))}
                    {row("Users", c.users.map(format::int).unwrap_or_default())}
                    {row("Created", format::opt_date(c.created_at.as_ref()))}
                    {property_rows(c.properties)}
                </dl>
            }
            .right()
        }
    };
    view! {
        <section class="card">
            <h2>"Company"</h2>
            {body}
        </section>
    }
}

#[component]
fn Segments(segments: Vec<SegmentMembership>) -> impl IntoView {
    let body = if segments.is_empty() {
        view! { <p class="muted">"Not a member of any custom segment."</p> }.left()
    } else {
        view! {
            <ul class="chips">
                {segments
                    .into_iter()
                    .map(|s| {
                        let since = format!("since {}", format::date(&s.entered_at));
                        let title = format!("Member {since}");
                        view! {
                            <li class="chip" title=title>
                                <A href=format!("/users?segment={}", s.id)>{s.name}</A>
                                <span class="muted">{since}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .right()
    };
    view! {
        <section class="card">
            <h2>"Segments"</h2>
            {body}
        </section>
    }
}

/// The user's entries into and exits from segments, newest first.
#[component]
fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    let body = if entries.is_empty() {
        view! { <p class="muted">"No segment changes recorded yet."</p> }.left()
    } else {
        view! {
            <ol class="timeline" data-testid="segment-timeline">
                {entries
                    .into_iter()
                    .map(|e| {
                        let entered = e.kind == SegmentEventType::Entered;
                        let what = if entered { "Entered" } else { "Left" };
                        view! {
                            <li class:timeline-exit=!entered>
                                <span class="timeline-what">{what}</span>
                                " "
                                <strong>{e.segment_name}</strong>
                                <span class="muted small">
                                    {format!(" · {} · {}", format::relative(&e.at), trigger_label(&e.trigger))}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .right()
    };
    view! {
        <section class="card">
            <h2>"Segment timeline"</h2>
            {body}
        </section>
    }
}

/// What changed a membership, in words.
pub fn trigger_label(trigger: &str) -> String {
    match trigger {
        "save" => "segment saved".into(),
        "refresh" => "refreshed".into(),
        "settings" => "settings changed".into(),
        "schedule" => "daily update".into(),
        "user_deleted" => "user deleted".into(),
        other => match other.strip_prefix("import:") {
            Some(kind) => format!("{kind} import"),
            None => other.to_owned(),
        },
    }
}

#[component]
fn Orders(orders: Vec<Order>) -> impl IntoView {
    let count = orders.len();
    let body = if orders.is_empty() {
        view! { <p class="muted">"No orders."</p> }.left()
    } else {
        let rows = orders
            .into_iter()
            .map(|o| {
                let refund = o.amount < 0.0;
                let o_ = |s: Option<String>| s.unwrap_or_else(|| "—".into());
                view! {
                    <tr class:refund=refund>
                        <td>{format::datetime(&o.ordered_at)}</td>
                        <td class="mono">{o.order_id}</td>
                        <td>{o_(o.product)}</td>
                        <td class="num">{o.quantity.map(format::int).unwrap_or_else(|| "—".into())}</td>
                        <td>{o_(o.channel)}</td>
                        <td>{o_(o.store)}</td>
                        <td class="num">{o.gross_amount.map(format::money).unwrap_or_else(|| "—".into())}</td>
                        <td class="num">{format::money(o.amount)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <Table columns=&[Col::Text("Date"), Col::Text("Order"), Col::Text("Product"), Col::Num("Qty"), Col::Text("Channel"), Col::Text("Store"), Col::Num("Gross"), Col::Num("Amount")] rows/>
        }
        .right()
    };
    view! {
        <section class="card">
            <h2>
                "Orders "
                <span class="muted count">{if count >= 100 { "latest 100".to_owned() } else { count.to_string() }}</span>
            </h2>
            {body}
        </section>
    }
}

#[component]
fn Events(events: Vec<Event>) -> impl IntoView {
    let count = events.len();
    let body = if events.is_empty() {
        view! { <p class="muted">"No product usage recorded."</p> }.left()
    } else {
        view! {
            <ol class="events">
                {events
                    .into_iter()
                    .map(|e| {
                        let exact = format::datetime(&e.occurred_at);
                        let iso = format::iso(&e.occurred_at);
                        view! {
                            <li>
                                <span class="event-name">{e.name}</span>
                                <time class="muted" datetime=iso>
                                    {format!("{exact} · {}", format::relative(&e.occurred_at))}
                                </time>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .right()
    };
    view! {
        <section class="card">
            <h2>
                "Events "
                <span class="muted count">{if count >= 100 { "latest 100".to_owned() } else { count.to_string() }}</span>
            </h2>
            {body}
        </section>
    }
}
