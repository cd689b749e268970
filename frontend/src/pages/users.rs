//! The Users page: every customer with their RFM segment, last product usage and company.
//! Search, sort and segment live in the URL (so reload and back work); the cursor stack is local.

use std::time::Duration;

use api_types::Page;
use api_types::users::User;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, UsersQuery};
use crate::components::feedback::{Empty, ErrorBox, Loading};
use crate::components::rfm::RfmBadge;
use crate::{format, set_title};

const PAGE_SIZE: u32 = 50;

/// The list's URL state: `/users?q=…&sort=…&segment=…`.
#[derive(Debug, Clone, Default, PartialEq)]
struct ListState {
    q: String,
    sort: String,
    segment: String,
}

impl ListState {
    fn href(&self) -> String {
        format!(
            "/users{}",
            api::query(&[
                ("q", Some(self.q.trim())),
                ("sort", Some(&self.sort)),
                ("segment", Some(&self.segment)),
            ])
        )
    }
}

/// A sortable column: the API sort key and the direction a first click sorts in.
#[derive(Clone, Copy)]
struct SortKey {
    key: &'static str,
    descending_first: bool,
}

/// The `sort` value after clicking a column: first click sorts in the column's natural
/// direction, the next click reverses it.
fn next_sort(current: &str, col: SortKey) -> String {
    let desc = format!("-{}", col.key);
    if current == col.key {
        desc
    } else if current == desc {
        col.key.to_owned()
    } else if col.descending_first {
        desc
    } else {
        col.key.to_owned()
    }
}

/// `aria-sort` of a column header under the current `sort` value.
fn aria_sort(current: &str, key: &str) -> &'static str {
    match current.strip_prefix('-') {
        Some(k) if k == key => "descending",
        None if current == key => "ascending",
        _ => "none",
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    set_title("Users");
    let query = use_query_map();
    let navigate = use_navigate();
    let state = Memo::new(move |_| {
        let q = query.read();
        ListState {
            q: q.get("q").unwrap_or_default(),
            sort: q.get("sort").unwrap_or_default(),
            segment: q.get("segment").unwrap_or_default(),
        }
    });

    // Cursors of the pages before the current one, tagged with the list state they belong to:
    // a new search or sort starts again at the first page without a second fetch.
    let cursors: RwSignal<(ListState, Vec<String>)> =
        RwSignal::new((state.get_untracked(), Vec::new()));
    let page_cursors = move || {
        let s = state.get();
        cursors.with(|(owner, stack)| {
            if *owner == s {
                stack.clone()
            } else {
                Vec::new()
            }
        })
    };
    let page_no = move || {
        let s = state.get_untracked();
        cursors.with_untracked(|(owner, stack)| if *owner == s { stack.len() + 1 } else { 1 })
    };

    let users = LocalResource::new(move || {
        let s = state.get();
        let cursor = page_cursors().last().cloned();
        async move {
            api::list_users(&UsersQuery {
                q: Some(s.q.trim().to_owned()),
                sort: Some(s.sort),
                cursor,
                segment: Some(s.segment),
                limit: Some(PAGE_SIZE),
            })
            .await
        }
    });

    // `use_navigate` is not `Send`; kept aside so the handlers below can live inside views.
    let navigate = StoredValue::new_local(navigate);
    let go = move |s: ListState| {
        navigate.with_value(|navigate| {
            navigate(
                &s.href(),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            )
        })
    };

    // The search box: typed text shows at once, the URL (and so the fetch) follows 300 ms later.
    let search = RwSignal::new(state.get_untracked().q);
    Effect::new(move |_| {
        let q = state.get().q;
        if search.get_untracked().trim() != q.trim() {
            search.set(q);
        }
    });
    let mut search_later =
        leptos::leptos_dom::helpers::debounce(Duration::from_millis(300), move |q: String| {
            let s = state.get_untracked();
            if s.q.trim() != q.trim() {
                go(ListState { q, ..s });
            }
        });

    let sort_by = move |col: SortKey| {
        let s = state.get_untracked();
        let sort = next_sort(&s.sort, col);
        go(ListState { sort, ..s });
    };
    let clear_segment = move || {
        go(ListState {
            segment: String::new(),
            ..state.get_untracked()
        })
    };

    let next_page = move |cursor: String| {
        let s = state.get_untracked();
        cursors.update(|(owner, stack)| {
            if *owner != s {
                *owner = s;
                stack.clear();
            }
            stack.push(cursor);
        });
    };
    let prev_page = move || {
        cursors.update(|(_, stack)| {
            stack.pop();
        })
    };

    let (pending, set_pending) = signal(false);

    let header = move |label: &'static str, col: SortKey| {
        view! {
            <th scope="col" aria-sort=move || aria_sort(&state.get().sort, col.key)>
                <button type="button" class="th-sort" on:click=move |_| sort_by(col)>
                    {label}
                    <span class="sort-arrow" aria-hidden="true">
                        {move || match aria_sort(&state.get().sort, col.key) {
                            "ascending" => "▲",
                            "descending" => "▼",
                            _ => "↕",
                        }}
                    </span>
                </button>
            </th>
        }
    };

    view! {
        <section class="page-section">
            <header class="page-header">
                <h1>"Users"</h1>
                <p class="muted">"Your customers, their RFM segment, when they last used your product and their company."</p>
            </header>

            <div class="toolbar">
                <div class="search">
                    <label for="user-search" class="visually-hidden">"Search users"</label>
                    <input
                        id="user-search"
                        type="search"
                        placeholder="Search by name, email, external id or company"
                        autocomplete="off"
                        prop:value=move || search.get()
                        on:input=move |ev| {
                            let q = event_target_value(&ev);
                            search.set(q.clone());
                            search_later(q);
                        }
                    />
                </div>
                {move || {
                    let segment = state.get().segment;
                    (!segment.is_empty())
                        .then(|| {
                            view! {
                                <span class="chip">
                                    {format!("Segment #{segment}")}
                                    <button
                                        type="button"
                                        class="chip-remove"
                                        aria-label="Show all users"
                                        on:click=move |_| clear_segment()
                                    >
                                        "×"
                                    </button>
                                </span>
                            }
                        })
                }}
                <span class="toolbar-status" aria-live="polite">
                    {move || pending.get().then_some("Updating…")}
                </span>
            </div>

            <Transition fallback=|| view! { <Loading label="Loading users…"/> } set_pending>
                {move || Suspend::new(async move {
                    match users.await {
                        Err(e) => {
                            view! { <ErrorBox error=e retry=Callback::new(move |_| users.refetch())/> }.into_any()
                        }
                        Ok(page) => {
                            let q = state.get_untracked().q;
                            let page_no = page_no();
                            if page.items.is_empty() && page_no == 1 {
                                let (title, hint) = if q.trim().is_empty() {
                                    (
                                        "No users yet".to_owned(),
                                        "Import users, orders and events to see your customers here.".to_owned(),
                                    )
                                } else {
                                    (
                                        format!("No users match “{}”", q.trim()),
                                        "Try a shorter search or another spelling.".to_owned(),
                                    )
                                };
                                view! { <Empty title hint/> }.into_any()
                            } else {
                                let total = page.total;
                                let next_cursor = page.next_cursor.clone();
                                let has_next = next_cursor.is_some();
                                view! {
                                    <UsersTable page pending header/>
                                    <Pager
                                        page_no
                                        total
                                        has_next
                                        on_prev=Callback::new(move |_| prev_page())
                                        on_next=Callback::new(move |_| {
                                            if let Some(c) = next_cursor.clone() {
                                                next_page(c)
                                            }
                                        })
                                    />
                                }
                                    .into_any()
                            }
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn UsersTable<H, V>(page: Page<User>, pending: ReadSignal<bool>, header: H) -> impl IntoView
where
    H: Fn(&'static str, SortKey) -> V,
    V: IntoView,
{
    let rows = page
        .items
        .into_iter()
        .map(|u| view! { <UserRow user=u/> })
        .collect_view();
    view! {
        <div class="table-wrap" class:is-pending=move || pending.get()>
            <table class="table users-table">
                <thead>
                    <tr>
                        {header("User", SortKey { key: "name", descending_first: false })}
                        {header("Segment", SortKey { key: "rfm_segment", descending_first: false })}
                        {header("Last product usage", SortKey { key: "last_seen_at", descending_first: true })}
                        {header("Company", SortKey { key: "company", descending_first: false })}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn UserRow(user: User) -> impl IntoView {
    let href = format!("/users/{}", user.id);
    let title = user
        .name
        .clone()
        .filter(|n| !n.is_empty())
        .or_else(|| user.email.clone())
        .unwrap_or_else(|| user.external_id.clone());
    let email = user.email.clone().filter(|e| Some(e) != Some(&title));
    let last_seen = user
        .last_seen_at
        .map(|t| (format::relative(&t), format::datetime(&t)));
    let company = user
        .company
        .map(|c| c.name.filter(|n| !n.is_empty()).unwrap_or(c.external_id));
    let churned = user.churned_at.is_some();
    view! {
        <tr>
            <td class="cell-user">
                <A href=href attr:class="user-link">{title}</A>
                {churned.then(|| view! { <span class="tag tag-muted">"churned"</span> })}
                <div class="cell-sub">
                    {email.map(|e| view! { <span>{e}</span> })}
                    <span class="mono" title="External id">{user.external_id}</span>
                </div>
            </td>
            <td>
                <RfmBadge segment=user.rfm_segment/>
            </td>
            <td>
                {match last_seen {
                    Some((rel, exact)) => view! { <time title=exact.clone() datetime=exact>{rel}</time> }.into_any(),
                    None => view! { <span class="muted">"Never"</span> }.into_any(),
                }}
            </td>
            <td>{company.unwrap_or_else(|| "—".to_owned())}</td>
        </tr>
    }
}

#[component]
fn Pager(
    page_no: usize,
    total: Option<i64>,
    has_next: bool,
    on_prev: Callback<()>,
    on_next: Callback<()>,
) -> impl IntoView {
    view! {
        <nav class="pager" aria-label="Pages">
            <span class="muted">
                {format!("Page {page_no}")}
                {total.map(|t| format!(" · {} users", format::int(t)))}
            </span>
            <div class="pager-buttons">
                <button type="button" class="btn" disabled=page_no <= 1 on:click=move |_| on_prev.run(())>
                    "← Previous"
                </button>
                <button type="button" class="btn" disabled=!has_next on:click=move |_| on_next.run(())>
                    "Next →"
                </button>
            </div>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_toggles() {
        let name = SortKey {
            key: "name",
            descending_first: false,
        };
        let seen = SortKey {
            key: "last_seen_at",
            descending_first: true,
        };
        assert_eq!(next_sort("", name), "name");
        assert_eq!(next_sort("name", name), "-name");
        assert_eq!(next_sort("-name", name), "name");
        assert_eq!(next_sort("name", seen), "-last_seen_at");
        assert_eq!(next_sort("-last_seen_at", seen), "last_seen_at");
        assert_eq!(aria_sort("-last_seen_at", "last_seen_at"), "descending");
        assert_eq!(aria_sort("name", "name"), "ascending");
        assert_eq!(aria_sort("name", "company"), "none");
    }
}
