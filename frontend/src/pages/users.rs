//! The Users page: every customer with their RFM segment, last product usage and company.
//! Search, sort, segment and filters live in the URL (so reload, back and links from other
//! pages work); the cursor stack is local. The active segment scopes the list.

use std::time::Duration;

use api_types::Page;
use api_types::filters::{Condition, ConditionGroup, ConditionNode, CustomFilterInput, FilterCatalog, MatchKind, Op};
use api_types::users::User;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use serde_json::json;

use crate::api::{self, ApiError, UserSelection, UsersQuery};
use crate::components::Branch;
use crate::components::conditions::{Catalog, CondState, ConditionRow, describe, describe_node};
use crate::components::export::{Export, ExportButton};
use crate::components::feedback::{Empty, ErrorBox, Loading, built, switch, switch_inline};
use crate::components::rfm::{RFM_SEGMENTS, RfmBadge};
use crate::components::scope::ScopeNote;
use crate::fetch::Fetch;
use crate::{format, set_title, use_session};

const PAGE_SIZE: u32 = 50;

/// The list's URL state: `/users?q=…&sort=…&segment=…&filter=…&conditions=…`.
#[derive(Debug, Clone, Default, PartialEq)]
struct ListState {
    q: String,
    sort: String,
    /// A custom segment's id (links from segments and user pages).
    segment: String,
    /// A custom filter's id.
    filter: String,
    /// A condition tree as JSON (default filters, scoring matrix cells).
    conditions: String,
}

impl ListState {
    fn href(&self) -> String {
        format!(
            "/users{}",
            api::query(&[
                ("q", Some(self.q.trim())),
                ("sort", Some(&self.sort)),
                ("segment", Some(&self.segment)),
                ("filter", Some(&self.filter)),
                ("conditions", Some(&self.conditions)),
            ])
        )
    }

    fn tree(&self) -> Option<ConditionGroup> {
        serde_json::from_str(&self.conditions).ok()
    }

    fn with_tree(self, tree: ConditionGroup) -> ListState {
        let conditions =
            if tree.conditions.is_empty() { String::new() } else { serde_json::to_string(&tree).unwrap_or_default() };
        ListState { conditions, ..self }
    }

    /// `segment=` and `conditions=` for the API: the active segment scopes the list; a
    /// different segment named by the page becomes a membership condition.
    fn scoped(&self, active: Option<i64>) -> (Option<String>, Option<String>) {
        let own = self.segment.trim();
        let conditions = (!self.conditions.trim().is_empty()).then(|| self.conditions.clone());
        match (own.parse::<i64>().ok(), active) {
            (Some(own), Some(active)) if own != active => {
                let member = json!({"field": "segment", "op": "eq", "value": own});
                let items = match self.tree() {
                    Some(tree) => json!([tree, member]),
                    None => json!([member]),
                };
                let tree = json!({"match": "all", "conditions": items});
                (Some(active.to_string()), Some(tree.to_string()))
            }
            _ if !own.is_empty() => (Some(own.to_owned()), conditions),
            (_, active) => (active.map(|a| a.to_string()), conditions),
        }
    }

    /// The users the page lists (and its export button exports) under the active segment.
    fn selection(&self, active: Option<i64>) -> UserSelection {
        let (segment, conditions) = self.scoped(active);
        UserSelection { q: Some(self.q.trim().to_owned()), segment, filter: Some(self.filter.clone()), conditions }
    }
}

/// `tree` with `cond` added (replacing a top-level condition on the same field when
/// `replace`), combined with "all".
fn add_condition(tree: Option<ConditionGroup>, cond: Condition, replace: bool) -> ConditionGroup {
    let mut g = tree.unwrap_or_default();
    if g.r#match == MatchKind::Any && g.conditions.len() > 1 {
        g = ConditionGroup { r#match: MatchKind::All, conditions: vec![ConditionNode::Group(g)] };
    }
    g.r#match = MatchKind::All;
    if replace {
        g.conditions.retain(|n| !matches!(n, ConditionNode::Condition(c) if c.field == cond.field));
    }
    g.conditions.push(ConditionNode::Condition(cond));
    g
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
            filter: q.get("filter").unwrap_or_default(),
            conditions: q.get("conditions").unwrap_or_default(),
        }
    });
    let session = use_session();
    let active = session.active_segment();
    // The list state and the active segment: a change of either starts at the first page.
    let owner = Memo::new(move |_| (state.get(), active.get()));

    // Cursors of the pages before the current one, tagged with the list state they belong to:
    // a new search or sort starts again at the first page without a second fetch.
    type Owner = (ListState, Option<i64>);
    let cursors: RwSignal<(Owner, Vec<String>)> = RwSignal::new((owner.get_untracked(), Vec::new()));
    let page_cursors = move || {
        let o = owner.get();
        cursors.with(|(tag, stack)| if *tag == o { stack.clone() } else { Vec::new() })
    };
    let page_no = move || {
        let o = owner.get_untracked();
        cursors.with_untracked(|(tag, stack)| if *tag == o { stack.len() + 1 } else { 1 })
    };

    let users = Fetch::new(move || {
        let (s, active) = owner.get();
        let cursor = page_cursors().last().cloned();
        async move {
            let selection = s.selection(active);
            api::list_users(&UsersQuery { selection, sort: Some(s.sort), cursor, limit: Some(PAGE_SIZE) }).await
        }
    });
    // A reload keeps the current rows (dimmed) until the new ones are there.
    let pending = users.loading;
    let catalog = Fetch::new(api::catalog);
    let cat = Memo::new(move |_| catalog.get().and_then(Result::ok).map(|c| Catalog::new(&c)));

    // `use_navigate` is not `Send`; kept aside so the handlers below can live inside views.
    let navigate = StoredValue::new_local(navigate);
    let go = move |s: ListState| {
        navigate.with_value(|navigate| {
            navigate(&s.href(), NavigateOptions { replace: true, scroll: false, ..Default::default() })
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
    let mut search_later = leptos::leptos_dom::helpers::debounce(Duration::from_millis(300), move |q: String| {
        let s = state.get_untracked();
        if s.q.trim() != q.trim() {
            go(ListState { q, ..s });
        }
    });

    // The table is rebuilt for each answer: the control that asked for it gets the focus back.
    let refocus = StoredValue::new(None::<String>);
    let sort_by = move |col: SortKey| {
        refocus.set_value(Some(format!("[data-sort=\"{}\"]", col.key)));
        let s = state.get_untracked();
        let sort = next_sort(&s.sort, col);
        go(ListState { sort, ..s });
    };
    let apply = Callback::new(move |s: ListState| go(s));

    let next_page = move |cursor: String| {
        let o = owner.get_untracked();
        cursors.update(|(tag, stack)| {
            if *tag != o {
                *tag = o;
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

    let header = move |label: &'static str, col: SortKey| {
        view! {
            <th scope="col" aria-sort=move || aria_sort(&state.get().sort, col.key)>
                <button type="button" class="th-sort" data-sort=col.key on:click=move |_| sort_by(col)>
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
            <ScopeNote/>

            <div class="toolbar">
                <div class="search">
                    <label for="user-search" class="visually-hidden">"Search users"</label>
                    <input
                        id="user-search"
                        data-testid="users-search"
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
                <FilterMenu state apply catalog cat/>
                <span class="toolbar-status" aria-live="polite">
                    {move || (pending.get() && users.has_value()).then_some("Updating…")}
                </span>
                <span class="toolbar-end">
                    {move || {
                        let (s, active) = owner.get();
                        let selection = s.selection(active);
                        let aria_label = if selection.is_all() {
                            "Export all users as CSV"
                        } else {
                            "Export the listed users as CSV"
                        };
                        view! {
                            <ExportButton
                                what=Export::Users(selection)
                                label="Export CSV"
                                testid="export-users"
                                aria_label=aria_label
                            />
                        }
                    }}
                </span>
            </div>
            <FilterChips state apply cat/>

            {switch(move || users.get(), move |result| {
                    match result {
                        None => built(view! { <Loading label="Loading users…"/> }),
                        Some(Err(e)) => {
                            built(view! { <ErrorBox error=e retry=Callback::new(move |_| users.refetch())/> })
                        }
                        Some(Ok(page)) => {
                            if let Some(target) = refocus.try_update_value(Option::take).flatten() {
                                crate::components::conditions::focus_later(target);
                            }
                            let ListState { q, segment, filter, conditions, .. } = state.get_untracked();
                            let page_no = page_no();
                            if page.items.is_empty() && page_no == 1 {
                                let (title, hint) = if !q.trim().is_empty() {
                                    (
                                        format!("No users match “{}”", q.trim()),
                                        "Try a shorter search or another spelling.".to_owned(),
                                    )
                                } else if !filter.is_empty() || !conditions.is_empty() {
                                    (
                                        "No users match these filters".to_owned(),
                                        "Remove a filter to see more users.".to_owned(),
                                    )
                                } else if !segment.is_empty() {
                                    (
                                        "No users in this segment".to_owned(),
                                        "Its members will show here once users match its conditions.".to_owned(),
                                    )
                                } else {
                                    (
                                        "No users yet".to_owned(),
                                        "Import users, orders and events to see your customers here.".to_owned(),
                                    )
                                };
                                built(view! { <Empty title hint/> })
                            } else {
                                let total = page.total;
                                let next_cursor = page.next_cursor.clone();
                                let has_next = next_cursor.is_some();
                                built(view! {
                                    <UsersTable page pending header/>
                                    <Pager
                                        page_no
                                        total
                                        has_next
                                        on_prev=Callback::new(move |_| {
                                            refocus.set_value(Some("[data-testid=pager-prev]".into()));
                                            prev_page()
                                        })
                                        on_next=Callback::new(move |_| {
                                            refocus.set_value(Some("[data-testid=pager-next]".into()));
                                            if let Some(c) = next_cursor.clone() {
                                                next_page(c)
                                            }
                                        })
                                    />
                                })
                            }
                        }
                    }
            })}
        </section>
    }
}

/// The filter menu: RFM segments, the workspace's custom filters, and any default filter
/// from the catalog as one condition. Applying sets `filter=` or adds to `conditions=`.
#[component]
fn FilterMenu(
    state: Memo<ListState>,
    apply: Callback<ListState>,
    catalog: Fetch<FilterCatalog>,
    cat: Memo<Option<Catalog>>,
) -> impl IntoView {
    let session = use_session();
    let open = RwSignal::new(false);
    let draft = RwSignal::new(CondState::empty());
    // A new draft's signals belong to the menu: an event handler runs under the owner of the
    // view it sits in, here the panel, which is rebuilt when the catalog reloads.
    let owner = StoredValue::new(Owner::current().unwrap_or_default());
    let close = move || {
        open.set(false);
        crate::components::conditions::focus_later("[data-testid=filter-menu]".into());
    };
    let active_count = move || {
        let s = state.get();
        let conditions = s.tree().map(|t| t.conditions.len()).unwrap_or(0);
        conditions + usize::from(!s.filter.is_empty())
    };
    let rfm_applied = move |key: &str| {
        state.with(|s| {
            s.tree().is_some_and(|t| {
                t.r#match == MatchKind::All
                    && t.conditions.iter().any(|n| {
                        matches!(n, ConditionNode::Condition(c)
                            if c.field == "rfm.segment" && c.op == Op::Eq && c.value == key)
                    })
            })
        })
    };
    let toggle_rfm = move |key: &'static str| {
        let s = state.get_untracked();
        let tree = if rfm_applied(key) {
            let mut t = s.tree().unwrap_or_default();
            t.conditions.retain(|n| !matches!(n, ConditionNode::Condition(c) if c.field == "rfm.segment"));
            t
        } else {
            let cond = Condition { field: "rfm.segment".into(), op: Op::Eq, value: key.into() };
            add_condition(s.tree(), cond, true)
        };
        apply.run(s.with_tree(tree));
    };
    let apply_draft = move || {
        let Some(c) = cat.get_untracked() else { return };
        let d = draft.get_untracked();
        let Some(cond) = d.to_api(&c) else { return };
        let s = state.get_untracked();
        apply.run(s.clone().with_tree(add_condition(s.tree(), cond, false)));
        draft.set(owner.with_value(|o| o.with(CondState::empty)));
    };
    let save_name = RwSignal::new(String::new());
    let save_error = RwSignal::new(None::<ApiError>);
    let save_filter = move || {
        let s = state.get_untracked();
        let Some(tree) = s.tree() else { return };
        let input = CustomFilterInput {
            name: Some(save_name.get_untracked().trim().to_owned()),
            conditions: serde_json::to_value(&tree).ok(),
        };
        spawn_local(async move {
            match api::create_custom_filter(&input).await {
                Ok(f) => {
                    save_error.set(None);
                    save_name.set(String::new());
                    catalog.refetch();
                    apply.run(ListState { filter: f.id.to_string(), conditions: String::new(), ..s });
                }
                Err(e) => save_error.set(Some(e)),
            }
        });
    };
    let delete_filter = move |id: i64, name: String| {
        let sure = web_sys::window()
            .and_then(|w| w.confirm_with_message(&format!("Delete the custom filter “{name}”?")).ok())
            .unwrap_or(false);
        if !sure {
            return;
        }
        spawn_local(async move {
            match api::delete_custom_filter(id).await {
                Ok(()) => {
                    catalog.refetch();
                    let s = state.get_untracked();
                    if s.filter == id.to_string() {
                        apply.run(ListState { filter: String::new(), ..s });
                    }
                }
                Err(e) => save_error.set(Some(e)),
            }
        });
    };

    let panel = move || {
        let c = cat.get()?;
        let custom = catalog.get().and_then(Result::ok).map(|c| c.custom_filters).unwrap_or_default();
        let rfm = RFM_SEGMENTS
            .iter()
            .map(|(key, name, symbol)| {
                let key = *key;
                view! {
                    <button
                        type="button"
                        class=format!("chip-button rfm rfm-{key}")
                        data-testid=format!("filter-rfm-{key}")
                        aria-pressed=move || rfm_applied(key).to_string()
                        on:click=move |_| toggle_rfm(key)
                    >
                        <span class="rfm-symbol" aria-hidden="true">{*symbol}</span>
                        {*name}
                    </button>
                }
            })
            .collect_view();
        let custom_list = if custom.is_empty() {
            view! { <p class="muted small">"No custom filters yet: build one below and save it."</p> }.left()
        } else {
            let can_edit = session.can_edit();
            custom
                .into_iter()
                .map(|f| {
                    let id = f.id;
                    let name = f.name.clone();
                    let applied = move || state.with(|s| s.filter == id.to_string());
                    view! {
                        <span class="custom-filter">
                            <button
                                type="button"
                                class="chip-button"
                                data-testid="custom-filter"
                                data-id=id.to_string()
                                aria-pressed=move || applied().to_string()
                                on:click=move |_| {
                                    let s = state.get_untracked();
                                    let filter = if applied() { String::new() } else { id.to_string() };
                                    apply.run(ListState { filter, ..s });
                                }
                            >
                                {f.name.clone()}
                            </button>
                            {can_edit.then(|| {
                                let label = format!("Delete the custom filter {name}");
                                view! {
                                    <button
                                        type="button"
                                        class="btn-icon"
                                        aria-label=label
                                        on:click=move |_| delete_filter(id, name.clone())
                                    >
                                        "×"
                                    </button>
                                }
                            })}
                        </span>
                    }
                })
                .collect_view()
                .right()
        };
        let draft_cat = c.clone();
        let complete = move || draft.get().is_complete(&draft_cat);
        let has_tree = Memo::new(move |_| state.with(|s| s.tree().is_some_and(|t| !t.conditions.is_empty())));
        Some(view! {
            <section>
                <h3 class="subhead">"RFM segment"</h3>
                <div class="chips">{rfm}</div>
            </section>
            <section>
                <h3 class="subhead">"Custom filters"</h3>
                <div class="chips">{custom_list}</div>
            </section>
            <section>
                <h3 class="subhead">"Add a filter"</h3>
                <form
                    class="filter-add"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        apply_draft();
                    }
                >
                    {switch_inline(move || draft.get(), move |cond| {
                        built(view! { <ConditionRow cond catalog=c.clone()/> })
                    })}
                    <button type="submit" class="btn btn-primary btn-small" data-testid="filter-apply" disabled=move || !complete()>
                        "Apply filter"
                    </button>
                </form>
            </section>
            {move || has_tree.get().then(|| view! {
                <section>
                    <h3 class="subhead">"Save these filters"</h3>
                    <form
                        class="filter-save"
                        on:submit=move |ev| {
                            ev.prevent_default();
                            save_filter();
                        }
                    >
                        <label for="custom-filter-name" class="visually-hidden">"Name of the custom filter"</label>
                        <input
                            id="custom-filter-name"
                            type="text"
                            data-testid="custom-filter-name"
                            placeholder="Name, e.g. Dutch champions"
                            bind:value=save_name
                        />
                        <button type="submit" class="btn btn-small" data-testid="custom-filter-save">"Save as custom filter"</button>
                    </form>
                </section>
            })}
            {move || save_error.get().map(|e| view! { <ErrorBox error=e/> })}
        })
    };

    view! {
        <div
            class="filter-menu"
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" && open.get_untracked() {
                    close();
                }
            }
        >
            <button
                type="button"
                class="btn"
                data-testid="filter-menu"
                aria-expanded=move || open.get().to_string()
                aria-controls="filter-panel"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "Filters"
                {move || {
                    let n = active_count();
                    (n > 0).then(|| view! { <span class="badge">{n}</span> })
                }}
            </button>
            <div id="filter-panel" class="popover" data-testid="filter-panel" role="region" aria-label="Filters" hidden=move || !open.get()>
                <div class="popover-head">
                    <strong>"Filters"</strong>
                    <button type="button" class="btn-icon" aria-label="Close filters" on:click=move |_| close()>"×"</button>
                </div>
                {move || match catalog.get() {
                    None => view! { <Loading label="Loading filters…"/> }.into_any(),
                    Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| catalog.refetch())/> }.into_any(),
                    Some(Ok(_)) => panel.into_any(),
                }}
            </div>
        </div>
    }
}

/// The filters in force, each removable: segment, custom filter, conditions.
#[component]
fn FilterChips(state: Memo<ListState>, apply: Callback<ListState>, cat: Memo<Option<Catalog>>) -> impl IntoView {
    let session = use_session();
    move || {
        let s = state.get();
        let c = cat.get();
        let mut chips: Vec<(String, ListState)> = Vec::new();
        if !s.segment.is_empty() {
            let label = match s.segment.parse::<i64>() {
                Ok(id) => format!("Segment: {}", session.segment_name(id)),
                Err(_) => format!("Segment: {}", s.segment),
            };
            chips.push((label, ListState { segment: String::new(), ..s.clone() }));
        }
        if !s.filter.is_empty() {
            chips.push((format!("Custom filter #{}", s.filter), ListState { filter: String::new(), ..s.clone() }));
        }
        if let Some(tree) = s.tree() {
            let text = |n: &ConditionNode| match (&c, n) {
                (Some(c), ConditionNode::Condition(cond)) => describe(cond, c),
                (Some(c), n) => describe_node(n, c),
                (None, ConditionNode::Condition(cond)) => format!("{} {}", cond.field, cond.op.key()),
                (None, _) => "A group of conditions".to_owned(),
            };
            if tree.r#match == MatchKind::Any && tree.conditions.len() > 1 {
                let label = match &c {
                    Some(c) => describe_node(&ConditionNode::Group(tree.clone()), c),
                    None => "Any of several conditions".to_owned(),
                };
                chips.push((label, s.clone().with_tree(ConditionGroup::default())));
            } else {
                for (i, n) in tree.conditions.iter().enumerate() {
                    let mut rest = tree.clone();
                    rest.conditions.remove(i);
                    chips.push((text(n), s.clone().with_tree(rest)));
                }
            }
        }
        if chips.is_empty() {
            return None;
        }
        let clear = ListState { segment: String::new(), filter: String::new(), conditions: String::new(), ..s.clone() };
        let many = chips.len() > 1;
        let items = chips
            .into_iter()
            .map(|(label, without)| {
                let aria = format!("Remove the filter {label}");
                view! {
                    <li class="chip" data-testid="filter-chip">
                        {label}
                        <button type="button" class="chip-remove" aria-label=aria on:click=move |_| apply.run(without.clone())>
                            "×"
                        </button>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <ul class="chips" aria-label="Filters in force">
                {items}
                {many.then(|| view! {
                    <li>
                        <button type="button" class="link-button" on:click=move |_| apply.run(clear.clone())>"Clear all"</button>
                    </li>
                })}
            </ul>
        })
    }
}

#[component]
fn UsersTable<H, V>(page: Page<User>, pending: RwSignal<bool>, header: H) -> impl IntoView
where
    H: Fn(&'static str, SortKey) -> V,
    V: IntoView,
{
    let rows = page.items.into_iter().map(|u| view! { <UserRow user=u/> }).collect_view();
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
    let last_seen = user.last_seen_at.map(|t| (format::relative(&t), format::datetime(&t), format::iso(&t)));
    let company = user.company.map(|c| c.name.filter(|n| !n.is_empty()).unwrap_or(c.external_id));
    let churned = user.churned_at.is_some();
    let segment_key = user.rfm_segment.as_ref().map(|s| s.key.clone()).unwrap_or_else(|| "none".into());
    view! {
        <tr data-testid="user-row" data-user-id=user.id.to_string()>
            <td class="cell-user">
                <A href=href attr:class="user-link">{title}</A>
                {churned.then(|| view! { <span class="tag tag-muted">"churned"</span> })}
                <div class="cell-sub">
                    {email.map(|e| view! { <span>{e}</span> })}
                    <span class="mono" title="External id">{user.external_id}</span>
                </div>
            </td>
            <td data-testid="user-segment" data-segment=segment_key>
                <RfmBadge segment=user.rfm_segment/>
            </td>
            <td>
                {match last_seen {
                    Some((rel, exact, iso)) => view! { <time title=exact datetime=iso>{rel}</time> }.left(),
                    None => view! { <span class="muted">"Never"</span> }.right(),
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
                <button type="button" class="btn" data-testid="pager-prev" disabled=page_no <= 1 on:click=move |_| on_prev.run(())>
                    "← Previous"
                </button>
                <button type="button" class="btn" data-testid="pager-next" disabled=!has_next on:click=move |_| on_next.run(())>
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
        let name = SortKey { key: "name", descending_first: false };
        let seen = SortKey { key: "last_seen_at", descending_first: true };
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
