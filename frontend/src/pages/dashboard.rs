//! The dashboard at `/` (and `/dashboard`): three tabs — users overview, purchase activity
//! with its four filters, and RFM (matrix with a table/chart toggle, transition matrix between
//! two dates, one segment's evolution). Everything is scoped to the active segment.

use std::time::Duration;

use api_types::metrics::{Overview, PurchaseActivity, RfmEvolution, RfmMatrix, RfmTransitions};
use chrono::Months;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, PurchaseFilters};
use crate::components::Branch;
use crate::components::chart::{Bar, BarList, Cell, ColumnChart, HeatGrid, Point};
use crate::components::conditions::focus_later;
use crate::components::feedback::{Empty, built, loaded, switch};
use crate::components::rfm::{RFM_SEGMENTS, rfm_label, rfm_name};
use crate::components::scope::ScopeNote;
use crate::components::stat::Stat;
use crate::fetch::Fetch;
use crate::{format, set_title, use_session};

const TABS: [(&str, &str); 3] = [("overview", "Users overview"), ("purchases", "Purchase activity"), ("rfm", "RFM")];

#[component]
pub fn Dashboard() -> impl IntoView {
    set_title("Dashboard");
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let tab = Memo::new(move |_| {
        let t = query.read().get("tab").unwrap_or_default();
        if TABS.iter().any(|(k, _)| *k == t) { t } else { "overview".to_owned() }
    });
    let select = move |key: &str, focus: bool| {
        navigate.with_value(|n| {
            n(&format!("?tab={key}"), NavigateOptions { replace: true, scroll: false, ..Default::default() })
        });
        if focus {
            focus_later(format!("#tab-{key}"));
        }
    };
    // Arrow keys move between tabs (WAI-ARIA tabs pattern); Tab moves into the panel.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let i = TABS.iter().position(|(k, _)| *k == tab.get_untracked()).unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" => (i + 1) % TABS.len(),
            "ArrowLeft" => (i + TABS.len() - 1) % TABS.len(),
            "Home" => 0,
            "End" => TABS.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        select(TABS[next].0, true);
    };

    view! {
        <section class="page-section">
            <header class="page-header">
                <h1>"Dashboard"</h1>
                <p class="muted">"Your users, their purchases and how they move between RFM segments."</p>
            </header>
            <ScopeNote/>
            <div class="tabs" role="tablist" aria-label="Dashboard" on:keydown=on_key>
                {TABS
                    .iter()
                    .map(|(key, label)| {
                        let key = *key;
                        let selected = move || tab.get() == key;
                        view! {
                            <button
                                type="button"
                                role="tab"
                                class="tab"
                                id=format!("tab-{key}")
                                data-testid=format!("tab-{key}")
                                aria-controls="dashboard-panel"
                                aria-selected=move || selected().to_string()
                                tabindex=move || if selected() { "0" } else { "-1" }
                                on:click=move |_| select(key, false)
                            >
                                {*label}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div
                class="tab-panel"
                role="tabpanel"
                id="dashboard-panel"
                aria-labelledby=move || format!("tab-{}", tab.get())
            >
                {switch(move || tab.get(), |t| match t.as_str() {
                    "purchases" => built(view! { <PurchasesTab/> }),
                    "rfm" => built(view! { <RfmTab/> }),
                    _ => built(view! { <OverviewTab/> }),
                })}
            </div>
        </section>
    }
}

// ---- users overview --------------------------------------------------------------------------

#[component]
fn OverviewTab() -> impl IntoView {
    let scope = use_session().active_segment();
    let data = Fetch::new(move || {
        let s = scope.get();
        async move { api::overview(s).await }
    });
    loaded(data, "Loading the overview…", |o: Overview| {
        if o.users == 0 {
            return view! {
                <Empty title="No users yet" hint="Import users and orders to see them counted here."/>
            }
            .left();
        }
        let n = |v: i64| (format::int(v), v.to_string());
        let share = |v: i64| format!("{} of the users", format::percent(v, o.users));
        view! {
            <div class="stats-grid">
                <Stat testid="overview-users" label="Users" value=n(o.users).0 raw=n(o.users).1 hint="Buyers or not"/>
                <Stat testid="overview-active-users" label="Active users" value=n(o.active_users).0 raw=n(o.active_users).1 hint=share(o.active_users)/>
                <Stat testid="overview-churned-users" label="Churned users" value=n(o.churned_users).0 raw=n(o.churned_users).1 hint=share(o.churned_users)/>
                <Stat testid="overview-consented-users" label="Consented users" value=n(o.consented_users).0 raw=n(o.consented_users).1 hint="Reachable on at least one channel"/>
                <Stat testid="overview-email-consent" label="Email consent" value=n(o.consent.email).0 raw=n(o.consent.email).1 hint="With a valid email address"/>
                <Stat testid="overview-sms-consent" label="SMS consent" value=n(o.consent.sms).0 raw=n(o.consent.sms).1 hint="With a phone number"/>
                <Stat testid="overview-new-30d" label="New users, 30 days" value=n(o.new_users_30d).0 raw=n(o.new_users_30d).1/>
                <Stat testid="overview-new-12m" label="New users, 12 months" value=n(o.new_users_12m).0 raw=n(o.new_users_12m).1/>
            </div>
        }
        .right()
    })
}

// ---- purchase activity -----------------------------------------------------------------------

#[component]
fn PurchasesTab() -> impl IntoView {
    let scope = use_session().active_segment();
    let filters = RwSignal::new(PurchaseFilters::default());
    let store = RwSignal::new(String::new());
    let mut store_later = leptos::leptos_dom::helpers::debounce(Duration::from_millis(350), move |s: String| {
        filters.update(|f| f.store = s)
    });
    let data = Fetch::new(move || {
        let f = filters.get();
        let s = scope.get();
        async move { api::purchases(&f, s).await }
    });
    let pick = |label: &'static str,
                testid: &'static str,
                options: &'static [(&'static str, &'static str)],
                set: fn(&mut PurchaseFilters, String)| {
        let id = format!("purchases-{testid}");
        view! {
            <div class="field field-inline">
                <label for=id.clone()>{label}</label>
                <select
                    id=id
                    data-testid=testid
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        filters.update(|f| set(f, v));
                    }
                >
                    {options
                        .iter()
                        .map(|(v, l)| view! { <option value=*v>{*l}</option> })
                        .collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <div class="filters" role="group" aria-label="Filters">
            {pick(
                "Consent",
                "filter-consent",
                &[("", "Any"), ("with", "With consent"), ("without", "Without consent")],
                |f, v| f.consent = v,
            )}
            {pick(
                "Recency",
                "filter-recency",
                &[("", "Any"), ("new_30d", "New in the last 30 days"), ("new_12m", "New in the last 12 months")],
                |f, v| f.recency = v,
            )}
            {pick(
                "Channel",
                "filter-channel",
                &[("", "Any"), ("web", "Web"), ("store", "Store")],
                |f, v| f.channel = v,
            )}
            <div class="field field-inline">
                <label for="purchases-store">"Store"</label>
                <input
                    id="purchases-store"
                    type="search"
                    data-testid="filter-store"
                    placeholder="Store name"
                    prop:value=move || store.get()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        store.set(v.clone());
                        store_later(v);
                    }
                />
            </div>
        </div>
        {loaded(data, "Loading purchases…", |p: PurchaseActivity| {
            if p.purchases == 0 && p.refunds == 0 {
                return view! {
                    <Empty
                        title="No purchases match"
                        hint="Try other filters, or import orders to see purchase activity."
                    />
                }
                    .left();
            }
            let points: Vec<Point> = p
                .revenue_by_month
                .iter()
                .map(|m| Point {
                    label: m.month.clone(),
                    value: m.revenue,
                    title: format!(
                        "{}: revenue {} from {} purchases",
                        m.month,
                        format::money(m.revenue),
                        format::int(m.purchases),
                    ),
                })
                .collect();
            let months = points.len();
            view! {
                <div class="stats-grid">
                    <Stat testid="purchases-count" label=p.purchases_label.clone() value=format::int(p.purchases) raw=p.purchases.to_string()/>
                    <Stat testid="purchases-buyers" label="Buyers" value=format::int(p.buyers) raw=p.buyers.to_string()/>
                    <Stat testid="purchases-revenue" label="Revenue" value=format::money(p.revenue) raw=format!("{:.2}", p.revenue) hint="Refunds netted"/>
                    <Stat testid="purchases-aov" label=p.aov_label.clone() value=p.aov.map(format::money).unwrap_or_else(|| "—".into())/>
                    <Stat testid="purchases-items" label="Items per purchase" value=format::ratio(p.items_per_purchase)/>
                    <Stat testid="purchases-refunds" label="Refunds" value=format::int(p.refunds) raw=p.refunds.to_string() hint=format!("{} refunded", format::money(p.refunded))/>
                    <Stat testid="purchases-discount" label="Discount" value=format::money(p.discount) hint="Gross price not paid"/>
                    <Stat testid="purchases-discount-rate" label="Discount rate" value=p.discount_rate.map(|r| format!("{:.1}%", r * 100.0)).unwrap_or_else(|| "—".into())/>
                </div>
                <section class="card">
                    <h2>"Revenue per month"</h2>
                    {if months == 0 {
                        view! { <p class="muted">"No months with orders."</p> }.left()
                    } else {
                        view! {
                            <ColumnChart
                                points
                                label=format!("Revenue per month over {months} months")
                                testid="revenue-chart"
                            />
                        }
                            .right()
                    }}
                </section>
            }
                .right()
        })}
    }
}

// ---- RFM -------------------------------------------------------------------------------------

#[component]
fn RfmTab() -> impl IntoView {
    view! {
        <RfmMatrixCard/>
        <TransitionsCard/>
        <EvolutionCard/>
    }
}

#[component]
fn RfmMatrixCard() -> impl IntoView {
    let scope = use_session().active_segment();
    let chart = RwSignal::new(false);
    let data = Fetch::new(move || {
        let s = scope.get();
        async move { api::rfm_matrix(s).await }
    });
    let toggle = move |as_chart: bool, label: &'static str, testid: &'static str| {
        view! {
            <button
                type="button"
                class="toggle"
                data-testid=testid
                aria-pressed=move || (chart.get() == as_chart).to_string()
                on:click=move |_| chart.set(as_chart)
            >
                {label}
            </button>
        }
    };
    view! {
        <section class="card">
            <div class="card-head">
                <h2>"RFM matrix"</h2>
                <div class="toggles" role="group" aria-label="View">
                    {toggle(false, "Table", "rfm-view-table")}
                    {toggle(true, "Chart", "rfm-view-chart")}
                </div>
            </div>
            {loaded(data, "Loading the RFM matrix…", move |m: RfmMatrix| {
                if m.scored == 0 {
                    return view! {
                        <Empty
                            title="No RFM scores yet"
                            hint="Users get RFM scores once they have a purchase."
                        />
                    }
                        .left();
                }
                let note = format!(
                    "{} users scored, {} without a purchase in range (as of {}).",
                    format::int(m.scored),
                    format::int(m.unscored),
                    m.as_of
                );
                view! {
                    {switch(move || chart.get(), move |as_chart| {
                        if as_chart { built(rfm_chart(&m)) } else { built(rfm_table(&m)) }
                    })}
                    <p class="muted small">{note}</p>
                }
                    .right()
            })}
        </section>
    }
}

fn rfm_table(m: &RfmMatrix) -> impl IntoView + use<> {
    let rows = (1..=5u8)
        .rev()
        .map(|r| {
            let cells = (1..=5u8)
                .map(|fm| {
                    let cell = m.cells.iter().find(|c| c.r == r && c.fm == fm);
                    let count = cell.map(|c| c.count).unwrap_or(0);
                    let key = cell.map(|c| c.segment.clone()).unwrap_or_default();
                    let (name, symbol) = rfm_name(&key);
                    view! {
                        <td class=format!("num rfm-cell rfm-{key}") title=format!("R {r}, FM {fm}: {name}") data-r=r.to_string() data-fm=fm.to_string()>
                            <span class="rfm-cell-count">{format::int(count)}</span>
                            <span class="rfm-cell-symbol" aria-label=name>{symbol}</span>
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{format!("R {r}")}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let segments = m
        .segments
        .iter()
        .map(|s| {
            view! {
                <li class=format!("rfm rfm-{}", s.segment.key)>
                    <span class="rfm-symbol" aria-hidden="true">{s.segment.symbol.clone()}</span>
                    <span>{s.segment.name.clone()}</span>
                    <strong class="num">{format::int(s.count)}</strong>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="rfm-layout">
            <div class="table-wrap">
                <table class="table matrix" data-testid="rfm-matrix">
                    <caption class="visually-hidden">"Users by recency score (rows) and frequency-monetary score (columns)"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"R \\ FM"</th>
                            {(1..=5).map(|fm| view! { <th scope="col" class="num">{format!("FM {fm}")}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <ul class="segment-counts">{segments}</ul>
        </div>
    }
}

fn rfm_chart(m: &RfmMatrix) -> impl IntoView + use<> {
    let cells: Vec<Cell> = m
        .cells
        .iter()
        .map(|c| {
            let (name, symbol) = rfm_name(&c.segment);
            Cell {
                row: usize::from(5 - c.r),
                col: usize::from(c.fm - 1),
                count: c.count,
                note: format!("{symbol} {name}"),
                title: format!("R {}, FM {}: {} ({name})", c.r, c.fm, format::int(c.count)),
                class: format!("rfm-{}", c.segment),
            }
        })
        .collect();
    let bars: Vec<Bar> = m
        .segments
        .iter()
        .map(|s| Bar {
            label: format!("{} {}", s.segment.symbol, s.segment.name),
            value: s.count as f64,
            shown: format::int(s.count),
            class: format!("rfm-{}", s.segment.key),
        })
        .collect();
    view! {
        <div class="grid grid-2">
            <HeatGrid
                cells
                rows=(1..=5).rev().map(|r| format!("R {r}")).collect()
                cols=(1..=5).map(|f| format!("FM {f}")).collect()
                corner="R \\ FM"
                label="RFM matrix: users by R score and FM score"
                testid="rfm-heat"
            />
            <BarList bars label="Users per RFM segment" testid="rfm-bars"/>
        </div>
    }
}

/// The transition matrix's order: the eight segments, then `none`.
fn transition_keys() -> Vec<&'static str> {
    RFM_SEGMENTS.iter().map(|(k, ..)| *k).chain(["none"]).collect()
}

#[component]
fn TransitionsCard() -> impl IntoView {
    let scope = use_session().active_segment();
    let today = format::today();
    let year_ago = today.checked_sub_months(Months::new(12)).unwrap_or(today);
    let from = RwSignal::new(year_ago.to_string());
    let to = RwSignal::new(today.to_string());
    let dates = Memo::new(move |_| {
        let (f, t) = (from.get(), to.get());
        match (format::parse_date(&f), format::parse_date(&t)) {
            (Some(a), Some(b)) if a <= b => Ok((f, t)),
            (Some(_), Some(_)) => Err("The first date must not be after the second."),
            _ => Err("Enter two dates."),
        }
    });
    let data = Fetch::new(move || {
        let d = dates.get();
        let s = scope.get();
        async move {
            match d {
                Ok((f, t)) => api::rfm_transitions(&f, &t, s).await.map(Some),
                Err(_) => Ok(None),
            }
        }
    });
    view! {
        <section class="card">
            <div class="card-head">
                <h2>"RFM transitions"</h2>
                <div class="filters">
                    <div class="field field-inline">
                        <label for="transition-from">"From"</label>
                        <input id="transition-from" type="date" data-testid="transition-from" bind:value=from/>
                    </div>
                    <div class="field field-inline">
                        <label for="transition-to">"To"</label>
                        <input id="transition-to" type="date" data-testid="transition-to" bind:value=to/>
                    </div>
                </div>
            </div>
            <p class="muted small">"Rows: the segment users were in on the first date. Columns: their segment on the second date."</p>
            {move || dates.get().err().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            {loaded(data, "Loading transitions…", |t: Option<RfmTransitions>| {
                t.map(transition_table)
            })}
        </section>
    }
}

fn transition_table(t: RfmTransitions) -> impl IntoView {
    let keys = transition_keys();
    let count = |f: &str, to: &str| t.cells.iter().find(|c| c.from == f && c.to == to).map(|c| c.count).unwrap_or(0);
    let max = t.cells.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    let total: u64 = t.cells.iter().map(|c| c.count).sum();
    let head = keys
        .iter()
        .map(|k| {
            view! { <th scope="col" class="num" data-key=*k>{rfm_label(k)}</th> }
        })
        .collect_view();
    let rows = keys
        .iter()
        .map(|f| {
            let cells = keys
                .iter()
                .map(|to| {
                    let n = count(f, to);
                    let alpha = if n == 0 { 0.0 } else { 0.08 + 0.6 * n as f64 / max as f64 };
                    view! {
                        <td
                            class="num"
                            class:diagonal=f == to
                            data-from=*f
                            data-to=*to
                            data-count=n.to_string()
                            style=format!("background: rgba(67, 56, 202, {alpha:.2})")
                            title=format!("{} → {}: {}", rfm_label(f), rfm_label(to), format::int(n as i64))
                        >
                            {format::int(n as i64)}
                        </td>
                    }
                })
                .collect_view();
            let row_total: u64 = keys.iter().map(|to| count(f, to)).sum();
            view! {
                <tr>
                    <th scope="row">{rfm_label(f)}</th>
                    {cells}
                    <td class="num total">{format::int(row_total as i64)}</td>
                </tr>
            }
        })
        .collect_view();
    let col_totals = keys
        .iter()
        .map(|to| {
            let n: u64 = keys.iter().map(|f| count(f, to)).sum();
            view! { <td class="num total">{format::int(n as i64)}</td> }
        })
        .collect_view();
    let caption = format!("Users by RFM segment on {} (rows) and on {} (columns)", t.from, t.to);
    view! {
        <div class="table-wrap">
            <table class="table matrix transitions" data-testid="transition-matrix" data-from=t.from.to_string() data-to=t.to.to_string()>
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{format!("{} ↓ / {} →", t.from, t.to)}</th>
                        {head}
                        <th scope="col" class="num">"Total"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row">"Total"</th>
                        {col_totals}
                        <td class="num total">{format::int(total as i64)}</td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

#[component]
fn EvolutionCard() -> impl IntoView {
    let scope = use_session().active_segment();
    let key = RwSignal::new("champion".to_owned());
    let data = Fetch::new(move || {
        let k = key.get();
        let s = scope.get();
        async move { api::rfm_evolution(&k, s).await }
    });
    view! {
        <section class="card">
            <div class="card-head">
                <h2>"Segment evolution"</h2>
                <div class="field field-inline">
                    <label for="evolution-segment">"Segment"</label>
                    <select
                        id="evolution-segment"
                        data-testid="evolution-segment"
                        on:change=move |ev| key.set(event_target_value(&ev))
                    >
                        {transition_keys()
                            .into_iter()
                            .map(|k| view! { <option value=k selected=k == "champion">{rfm_label(k)}</option> })
                            .collect_view()}
                    </select>
                </div>
            </div>
            {loaded(data, "Loading the evolution…", |e: RfmEvolution| {
                if e.points.is_empty() {
                    return view! { <p class="muted">"No months in range."</p> }.left();
                }
                let label = rfm_label(&e.segment_key);
                let points: Vec<Point> = e
                    .points
                    .iter()
                    .map(|p| Point {
                        label: p.month.clone(),
                        value: p.count as f64,
                        title: format!(
                            "{} (as of {}): {} users, {} of the scored",
                            p.month,
                            p.as_of,
                            format::int(p.count),
                            format::percent(p.count, p.scored)
                        ),
                    })
                    .collect();
                let aria = format!("Users in {label} at the end of each month from {} to {}", e.from, e.to);
                view! {
                    <ColumnChart points label=aria line=true testid="evolution-chart"/>
                    <p class="muted small">{format!("Users in {label} at the end of each month.")}</p>
                }
                    .right()
            })}
        </section>
    }
}
