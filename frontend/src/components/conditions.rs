//! Condition trees in the browser: an editable, reactive copy of a `ConditionGroup`, the
//! editor of one condition (field, operator, value by type) and of a group (all/any, nested
//! groups), and one-line descriptions for filter chips.
//!
//! Values are edited as text and turned into JSON of the right kind (number, segment id,
//! list, pair) only when the tree is sent, so a half-typed number is never lost.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use api_types::filters::{Condition, ConditionGroup, ConditionNode, FilterCatalog, FilterField, MatchKind};
use api_types::problem::ProblemItem;
use leptos::prelude::*;
use serde_json::Value;

use crate::components::feedback::{Built, built, switch_inline};

/// The filter catalog indexed by field key; cheap to clone.
#[derive(Clone)]
pub struct Catalog(Arc<CatalogInner>);

impl PartialEq for Catalog {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

struct CatalogInner {
    fields: Vec<FilterField>,
    max_depth: usize,
    max_conditions: usize,
}

/// Field groups in the order the picker shows them.
const GROUPS: [(&str, &str); 6] = [
    ("user", "User"),
    ("company", "Company"),
    ("property", "Custom properties"),
    ("behaviour", "Behaviour"),
    ("score", "Scores and RFM"),
    ("segment", "Segments"),
];

impl Catalog {
    pub fn new(c: &FilterCatalog) -> Self {
        Catalog(Arc::new(CatalogInner {
            fields: c.fields.clone(),
            max_depth: c.max_depth.max(1) as usize,
            max_conditions: c.max_conditions.max(1) as usize,
        }))
    }

    /// A field by key (a scan: a few hundred fields at most, and a map's hashing code is not
    /// worth its size in the app).
    pub fn field(&self, key: &str) -> Option<&FilterField> {
        self.0.fields.iter().find(|f| f.key == key)
    }

    pub fn max_depth(&self) -> usize {
        self.0.max_depth
    }

    pub fn max_conditions(&self) -> usize {
        self.0.max_conditions
    }

    fn type_of(&self, key: &str) -> String {
        self.field(key).map(|f| f.type_.clone()).unwrap_or_else(|| "text".into())
    }

    /// Whether the field's value is picked from its listed values (enum, segment).
    fn picks(&self, key: &str) -> bool {
        self.field(key).is_some_and(|f| matches!(f.type_.as_str(), "enum" | "segment") && f.values.is_some())
    }

    /// The display label of one of a field's values.
    pub fn value_label(&self, key: &str, value: &str) -> String {
        self.field(key)
            .and_then(|f| {
                let i = f.values.as_ref()?.iter().position(|v| v == value)?;
                f.value_labels.as_ref()?.get(i).cloned()
            })
            .unwrap_or_else(|| value.to_owned())
    }
}

pub fn op_label(op: &str) -> &'static str {
    match op {
        "eq" => "is",
        "ne" => "is not",
        "contains" => "contains",
        "not_contains" => "does not contain",
        "starts_with" => "starts with",
        "ends_with" => "ends with",
        "in" => "is one of",
        "not_in" => "is none of",
        "is_set" => "is set",
        "is_not_set" => "is not set",
        "gt" => "is more than",
        "gte" => "is at least",
        "lt" => "is less than",
        "lte" => "is at most",
        "between" => "is between",
        "before" => "is before",
        "after" => "is after",
        "in_last_days" => "in the last",
        "not_in_last_days" => "not in the last",
        "is_true" => "is true",
        "is_false" => "is false",
        _ => "?",
    }
}

fn takes_no_value(op: &str) -> bool {
    matches!(op, "is_set" | "is_not_set" | "is_true" | "is_false")
}

fn is_list_op(op: &str) -> bool {
    matches!(op, "in" | "not_in")
}

fn is_days_op(op: &str) -> bool {
    matches!(op, "in_last_days" | "not_in_last_days")
}

fn next_key() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A JSON value as the text an input shows.
fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn number(text: &str) -> Value {
    let t = text.trim();
    if let Ok(i) = t.parse::<i64>() {
        return i.into();
    }
    t.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
        // Sent as typed: the server names the condition whose value is not a number.
        .unwrap_or_else(|| Value::String(t.to_owned()))
}

fn scalar(ty: &str, text: &str) -> Value {
    match ty {
        "number" | "money" => number(text),
        "segment" => {
            text.trim().parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::String(text.trim().to_owned()))
        }
        "date" => Value::String(text.trim().to_owned()),
        _ => Value::String(text.to_owned()),
    }
}

/// One condition being edited.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CondState {
    pub key: u64,
    pub field: RwSignal<String>,
    pub op: RwSignal<String>,
    /// The value, or the first bound of `between`, or a comma-separated list of text values.
    pub v1: RwSignal<String>,
    /// The second bound of `between`.
    pub v2: RwSignal<String>,
    /// The picked values of `in`/`not_in` on enum and segment fields.
    pub list: RwSignal<Vec<String>>,
}

impl CondState {
    pub fn empty() -> Self {
        CondState {
            key: next_key(),
            field: RwSignal::new(String::new()),
            op: RwSignal::new(String::new()),
            v1: RwSignal::new(String::new()),
            v2: RwSignal::new(String::new()),
            list: RwSignal::new(Vec::new()),
        }
    }

    pub fn from_api(c: &Condition, cat: &Catalog) -> Self {
        let s = CondState::empty();
        s.field.set(c.field.clone());
        s.op.set(c.op.clone());
        let items: Vec<String> = match &c.value {
            Value::Array(items) => items.iter().map(as_text).collect(),
            _ => Vec::new(),
        };
        if is_list_op(&c.op) {
            if cat.picks(&c.field) {
                s.list.set(items);
            } else {
                s.v1.set(items.join(", "));
            }
        } else if c.op == "between" {
            s.v1.set(items.first().cloned().unwrap_or_default());
            s.v2.set(items.get(1).cloned().unwrap_or_default());
        } else {
            s.v1.set(as_text(&c.value));
        }
        s
    }

    /// The condition as the API takes it (reads the signals: tracked).
    pub fn to_api(&self, cat: &Catalog) -> Condition {
        let field = self.field.get();
        let op = self.op.get();
        let ty = cat.type_of(&field);
        let v1 = self.v1.get();
        let value = if takes_no_value(&op) {
            Value::Null
        } else if is_list_op(&op) {
            let items: Vec<Value> = if cat.picks(&field) {
                self.list.get().iter().map(|v| scalar(&ty, v)).collect()
            } else {
                v1.split(',').map(str::trim).filter(|v| !v.is_empty()).map(|v| scalar(&ty, v)).collect()
            };
            Value::Array(items)
        } else if op == "between" {
            Value::Array(vec![scalar(&ty, &v1), scalar(&ty, &self.v2.get())])
        } else if is_days_op(&op) {
            number(&v1)
        } else {
            scalar(&ty, &v1)
        };
        Condition { field, op, value }
    }

    /// Field, operator and value(s) are all filled in (tracked).
    pub fn is_complete(&self, cat: &Catalog) -> bool {
        let field = self.field.get();
        let op = self.op.get();
        if field.is_empty() || op.is_empty() {
            return false;
        }
        let filled = |s: RwSignal<String>| s.with(|v| !v.trim().is_empty());
        if takes_no_value(&op) {
            true
        } else if is_list_op(&op) {
            if cat.picks(&field) {
                self.list.with(|l| !l.is_empty())
            } else {
                self.v1.with(|v| v.split(',').any(|x| !x.trim().is_empty()))
            }
        } else if op == "between" {
            filled(self.v1) && filled(self.v2)
        } else {
            filled(self.v1)
        }
    }
}

/// A group being edited.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupState {
    pub key: u64,
    pub match_: RwSignal<MatchKind>,
    pub items: RwSignal<Vec<NodeState>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NodeState {
    Cond(CondState),
    Group(GroupState),
}

impl NodeState {
    fn key(&self) -> u64 {
        match self {
            NodeState::Cond(c) => c.key,
            NodeState::Group(g) => g.key,
        }
    }
}

impl GroupState {
    pub fn new(match_: MatchKind, items: Vec<NodeState>) -> Self {
        GroupState { key: next_key(), match_: RwSignal::new(match_), items: RwSignal::new(items) }
    }

    pub fn from_api(g: &ConditionGroup, cat: &Catalog) -> Self {
        let items = g
            .conditions
            .iter()
            .map(|n| match n {
                ConditionNode::Condition(c) => NodeState::Cond(CondState::from_api(c, cat)),
                ConditionNode::Group(g) => NodeState::Group(GroupState::from_api(g, cat)),
            })
            .collect();
        GroupState::new(g.match_, items)
    }

    /// The tree as the API takes it (tracked).
    pub fn to_api(&self, cat: &Catalog) -> ConditionGroup {
        ConditionGroup {
            match_: self.match_.get(),
            conditions: self
                .items
                .get()
                .iter()
                .map(|n| match n {
                    NodeState::Cond(c) => ConditionNode::Condition(c.to_api(cat)),
                    NodeState::Group(g) => ConditionNode::Group(g.to_api(cat)),
                })
                .collect(),
        }
    }

    /// Conditions at every level (tracked).
    pub fn count(&self) -> usize {
        self.items.with(|items| {
            items
                .iter()
                .map(|n| match n {
                    NodeState::Cond(_) => 1,
                    NodeState::Group(g) => g.count(),
                })
                .sum()
        })
    }

    /// Paths of the conditions without a field, under the group at `prefix` (untracked).
    pub fn unfinished(&self, prefix: &str) -> Vec<String> {
        self.items.with_untracked(|items| {
            items
                .iter()
                .enumerate()
                .flat_map(|(i, n)| {
                    let path = child_path(prefix, i);
                    match n {
                        NodeState::Cond(c) if c.field.with_untracked(String::is_empty) => vec![path],
                        NodeState::Cond(_) => Vec::new(),
                        NodeState::Group(g) => g.unfinished(&path),
                    }
                })
                .collect()
        })
    }

    /// Every condition is filled in (tracked).
    pub fn is_complete(&self, cat: &Catalog) -> bool {
        self.items.get().iter().all(|n| match n {
            NodeState::Cond(c) => c.is_complete(cat),
            NodeState::Group(g) => g.is_complete(cat),
        })
    }
}

/// The API's path of item `i` of the group at `prefix` (`""` is the root).
pub fn child_path(prefix: &str, i: usize) -> String {
    if prefix.is_empty() { format!("conditions[{i}]") } else { format!("{prefix}.conditions[{i}]") }
}

/// One line for a condition: `Country is one of NL, BE`, `Last seen at in the last 30 days`.
pub fn describe(c: &Condition, cat: &Catalog) -> String {
    let label = cat.field(&c.field).map(|f| f.label.clone()).unwrap_or_else(|| c.field.clone());
    let value = |v: &Value| cat.value_label(&c.field, &as_text(v));
    let shown = match &c.value {
        Value::Null => String::new(),
        Value::Array(items) => {
            let sep = if c.op == "between" { " and " } else { ", " };
            items.iter().map(value).collect::<Vec<_>>().join(sep)
        }
        v => value(v),
    };
    let days = if is_days_op(&c.op) { " days" } else { "" };
    format!("{label} {} {shown}{days}", op_label(&c.op)).trim_end().to_owned()
}

/// One line for a node of a tree.
pub fn describe_node(n: &ConditionNode, cat: &Catalog) -> String {
    match n {
        ConditionNode::Condition(c) => describe(c, cat),
        ConditionNode::Group(g) => {
            let parts: Vec<String> = g.conditions.iter().map(|n| describe_node(n, cat)).collect();
            let sep = match g.match_ {
                MatchKind::All => " and ",
                MatchKind::Any => " or ",
            };
            format!("({})", parts.join(sep))
        }
    }
}

/// Puts the keyboard focus on the element matching `selector` once it is rendered.
pub fn focus_later(selector: String) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&selector).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

fn input_type(ty: &str) -> &'static str {
    match ty {
        "number" | "money" => "number",
        "date" => "date",
        _ => "text",
    }
}

/// The field picker's options, grouped as the catalog groups them.
fn field_options(cat: &Catalog, current: &str) -> impl IntoView + use<> {
    let fields = &cat.0.fields;
    let mut groups: Vec<(String, String)> = GROUPS.iter().map(|(k, l)| ((*k).to_owned(), (*l).to_owned())).collect();
    for f in fields {
        if !groups.iter().any(|(k, _)| *k == f.group) {
            groups.push((f.group.clone(), f.group.clone()));
        }
    }
    let unknown = (!current.is_empty() && cat.field(current).is_none()).then(|| {
        let c = current.to_owned();
        view! { <option value=c.clone() selected=true>{format!("{c} (unknown field)")}</option> }
    });
    let grouped = groups
        .into_iter()
        .filter_map(|(key, label)| {
            let options: Vec<_> = fields
                .iter()
                .filter(|f| f.group == key)
                .map(|f| {
                    view! {
                        <option value=f.key.clone() selected=f.key == current>{f.label.clone()}</option>
                    }
                })
                .collect();
            (!options.is_empty()).then(|| view! { <optgroup label=label>{options}</optgroup> })
        })
        .collect_view();
    view! {
        <option value="" selected=current.is_empty()>"Choose a field…"</option>
        {unknown}
        {grouped}
    }
}

fn value_editor(cond: CondState, field: Option<FilterField>, op: &str) -> Built {
    let ty = field.as_ref().map(|f| f.type_.clone()).unwrap_or_else(|| "text".into());
    if op.is_empty() || takes_no_value(op) {
        return built(());
    }
    let values: Vec<(String, String)> = field
        .as_ref()
        .and_then(|f| f.values.clone())
        .map(|values| {
            let labels = field.as_ref().and_then(|f| f.value_labels.clone()).unwrap_or_default();
            values
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    let l = labels.get(i).cloned().unwrap_or_else(|| v.clone());
                    (v, l)
                })
                .collect()
        })
        .unwrap_or_default();
    let picks = matches!(ty.as_str(), "enum" | "segment") && field.as_ref().is_some_and(|f| f.values.is_some());

    if is_list_op(op) && picks {
        let boxes = values
            .into_iter()
            .map(|(v, l)| {
                let (v1, v2) = (v.clone(), v.clone());
                view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            value=v
                            prop:checked=move || cond.list.with(|l| l.contains(&v1))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                cond.list
                                    .update(|l| {
                                        l.retain(|x| *x != v2);
                                        if on {
                                            l.push(v2.clone());
                                        }
                                    });
                            }
                        />
                        {l}
                    </label>
                }
            })
            .collect_view();
        return built(view! {
            <fieldset class="cond-multi" data-testid="cond-value">
                <legend class="visually-hidden">"Values"</legend>
                {boxes}
            </fieldset>
        });
    }
    if picks {
        let options = values
            .into_iter()
            .map(|(v, l)| {
                let v1 = v.clone();
                view! { <option value=v prop:selected=move || cond.v1.with(|x| *x == v1)>{l}</option> }
            })
            .collect_view();
        return built(view! {
            <select
                class="cond-value"
                data-testid="cond-value"
                aria-label="Value"
                on:change=move |ev| cond.v1.set(event_target_value(&ev))
            >
                <option value="" prop:selected=move || cond.v1.with(String::is_empty)>"Choose…"</option>
                {options}
            </select>
        });
    }
    if is_days_op(op) {
        return built(view! {
            <span class="cond-days">
                <input
                    type="number"
                    min="1"
                    step="1"
                    class="cond-value cond-value-short"
                    data-testid="cond-value"
                    aria-label="Days"
                    bind:value=cond.v1
                />
                <span class="muted">"days"</span>
            </span>
        });
    }
    // A stored instant (RFC 3339) does not fit a date input: edit it as text.
    let kind = if ty == "date" && cond.v1.with_untracked(|v| v.len() > 10) { "text" } else { input_type(&ty) };
    if op == "between" {
        return built(view! {
            <span class="cond-between">
                <input type=kind step="any" class="cond-value" data-testid="cond-value" aria-label="From" bind:value=cond.v1/>
                <span class="muted">"and"</span>
                <input type=kind step="any" class="cond-value" data-testid="cond-value-to" aria-label="To" bind:value=cond.v2/>
            </span>
        });
    }
    let list_id = format!("cond-suggest-{}", cond.key);
    let suggestions = (!values.is_empty() && kind == "text").then(|| {
        let options = values.into_iter().map(|(v, _)| view! { <option value=v></option> }).collect_view();
        view! { <datalist id=list_id.clone()>{options}</datalist> }
    });
    let placeholder = if is_list_op(op) { "a, b, c" } else { "" };
    built(view! {
        <input
            type=kind
            step="any"
            class="cond-value"
            data-testid="cond-value"
            aria-label="Value"
            placeholder=placeholder
            list=suggestions.is_some().then_some(list_id)
            bind:value=cond.v1
        />
        {suggestions}
    })
}

/// One condition: field picker, operator for the field's type, value editor for both.
#[component]
pub fn ConditionRow(
    cond: CondState,
    catalog: Catalog,
    /// The API path (`conditions[0]`), to match validation errors and for tests.
    #[prop(optional)]
    path: Option<Signal<String>>,
    #[prop(optional)] error: Option<Signal<Option<String>>>,
    #[prop(optional)] on_remove: Option<Callback<()>>,
) -> impl IntoView {
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    let fields = field_options(&catalog, &cond.field.get_untracked());
    let cat = catalog.clone();
    let on_field = move |ev: leptos::ev::Event| {
        let key = event_target_value(&ev);
        let ops = cat.field(&key).map(|f| f.operators.clone()).unwrap_or_default();
        // The operator first: the operator list, rebuilt for the new field, shows it.
        if !ops.contains(&cond.op.get_untracked()) {
            cond.op.set(ops.first().cloned().unwrap_or_default());
        }
        cond.v1.set(String::new());
        cond.v2.set(String::new());
        cond.list.set(Vec::new());
        cond.field.set(key);
    };
    let cat = catalog.clone();
    let ops = move || {
        let field = cond.field.get();
        cat.field(&field)
            .map(|f| f.operators.clone())
            .unwrap_or_default()
            .into_iter()
            .map(|op| {
                let label = op_label(&op);
                let o = op.clone();
                view! { <option value=op prop:selected=move || cond.op.with(|x| *x == o)>{label}</option> }
            })
            .collect_view()
    };
    let cat = catalog.clone();
    let value = switch_inline(
        move || (cond.field.get(), cond.op.get()),
        move |(field, op)| value_editor(cond, cat.field(&field).cloned(), &op),
    );
    let error_id = format!("cond-error-{}", cond.key);
    view! {
        <div
            class="cond-row"
            class:has-error=move || error.with(Option::is_some)
            data-testid="condition-row"
            data-key=cond.key.to_string()
            data-path=move || path.map(|p| p.get())
        >
            <div class="cond-controls">
                <select
                    class="cond-field"
                    data-testid="cond-field"
                    aria-label="Field"
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby=error_id.clone()
                    on:change=on_field
                >
                    {fields}
                </select>
                <select
                    class="cond-op"
                    data-testid="cond-op"
                    aria-label="Operator"
                    disabled=move || cond.field.with(String::is_empty)
                    on:change=move |ev| cond.op.set(event_target_value(&ev))
                >
                    {ops}
                </select>
                {value}
                {on_remove
                    .map(|remove| {
                        view! {
                            <button
                                type="button"
                                class="btn-icon"
                                data-testid="remove-condition"
                                aria-label="Remove this condition"
                                title="Remove this condition"
                                on:click=move |_| remove.run(())
                            >
                                "×"
                            </button>
                        }
                    })}
            </div>
            <p class="field-error" id=error_id data-testid="condition-error" hidden=move || error.with(Option::is_none)>
                {move || error.get()}
            </p>
        </div>
    }
}

/// What a group editor needs from the page.
#[derive(Clone)]
pub struct EditorCtx {
    pub catalog: Catalog,
    /// Validation errors of the last preview or save, by condition path.
    pub errors: RwSignal<Vec<ProblemItem>>,
    /// The root, to count conditions against the limit.
    pub root: GroupState,
}

impl EditorCtx {
    /// The message for the item at `path`; a condition also takes messages about its parts.
    fn error_at(&self, path: Signal<String>, condition: bool) -> Signal<Option<String>> {
        let errors = self.errors;
        Signal::derive(move || {
            let p = path.get();
            let p = if p.is_empty() { "conditions".to_owned() } else { p };
            let prefix = format!("{p}.");
            errors.with(|es| {
                es.iter()
                    .find(|e| e.field.as_deref().is_some_and(|f| f == p || (condition && f.starts_with(&prefix))))
                    .map(|e| e.message.clone())
            })
        })
    }
}

/// A group: all/any, its conditions and nested groups, buttons to add more. `path` is the
/// group's API path (`""` for the root), `depth` its level (the root is 1).
pub fn group_editor(
    group: GroupState,
    ctx: EditorCtx,
    path: Signal<String>,
    depth: usize,
    on_remove: Option<Callback<()>>,
) -> AnyView {
    let cat = ctx.catalog.clone();
    let root = ctx.root;
    let max_conditions = cat.max_conditions();
    let can_nest = depth < cat.max_depth();
    let full = move || root.count() >= max_conditions;
    let add_condition = move |_| {
        let cond = CondState::empty();
        group.items.update(|v| v.push(NodeState::Cond(cond)));
        focus_later(format!("[data-key=\"{}\"] [data-testid=cond-field]", cond.key));
    };
    let add_group = move |_| {
        let cond = CondState::empty();
        let g = GroupState::new(MatchKind::Any, vec![NodeState::Cond(cond)]);
        group.items.update(|v| v.push(NodeState::Group(g)));
        focus_later(format!("[data-key=\"{}\"] [data-testid=cond-field]", cond.key));
    };
    let group_error = ctx.error_at(path, false);
    let is_root = depth == 1;
    let path_attr = move || {
        let p = path.get();
        if p.is_empty() { "root".to_owned() } else { p }
    };
    let child_ctx = ctx.clone();
    let children = move |node: NodeState| {
        let ctx = child_ctx.clone();
        let key = node.key();
        let index = Signal::derive(move || group.items.with(|v| v.iter().position(|n| n.key() == key).unwrap_or(0)));
        let child = Signal::derive(move || child_path(&path.get(), index.get()));
        let remove = Callback::new(move |_| group.items.update(|v| v.retain(|n| n.key() != key)));
        match node {
            NodeState::Cond(c) => {
                let error = ctx.error_at(child, true);
                view! {
                    <ConditionRow cond=c catalog=ctx.catalog.clone() path=child error on_remove=remove/>
                }
                .into_any()
            }
            NodeState::Group(g) => group_editor(g, ctx, child, depth + 1, Some(remove)),
        }
    };
    view! {
        <fieldset
            class="cond-group"
            class:cond-group-nested=!is_root
            data-testid="condition-group"
            data-path=path_attr
            data-key=group.key.to_string()
        >
            <legend class="visually-hidden">{if is_root { "Conditions" } else { "Group of conditions" }}</legend>
            <div class="cond-group-head">
                <label class="match">
                    <span>{if is_root { "Users who match" } else { "Match" }}</span>
                    <select
                        data-testid="match-toggle"
                        aria-label="Match all or any of the conditions"
                        on:change=move |ev| {
                            let any = event_target_value(&ev) == "any";
                            group.match_.set(if any { MatchKind::Any } else { MatchKind::All });
                        }
                    >
                        <option value="all" prop:selected=move || group.match_.get() == MatchKind::All>"all"</option>
                        <option value="any" prop:selected=move || group.match_.get() == MatchKind::Any>"any"</option>
                    </select>
                    <span>"of these conditions"</span>
                </label>
                {on_remove
                    .map(|remove| {
                        view! {
                            <button
                                type="button"
                                class="btn btn-ghost btn-small"
                                data-testid="remove-group"
                                on:click=move |_| remove.run(())
                            >
                                "Remove group"
                            </button>
                        }
                    })}
            </div>
            <p class="field-error" hidden=move || group_error.with(Option::is_none) data-testid="condition-error">
                {move || group_error.get()}
            </p>
            <div class="cond-items">
                <For each=move || group.items.get() key=|n| n.key() children/>
                {move || {
                    group
                        .items
                        .with(Vec::is_empty)
                        .then(|| {
                            view! {
                                <p class="muted cond-empty">
                                    {if is_root {
                                        "No conditions yet: every user matches."
                                    } else {
                                        "An empty group: add a condition to it, or remove it."
                                    }}
                                </p>
                            }
                        })
                }}
            </div>
            <div class="cond-group-actions">
                <button
                    type="button"
                    class="btn btn-small"
                    data-testid="add-condition"
                    data-path=path_attr
                    disabled=full
                    on:click=add_condition
                >
                    "+ Add condition"
                </button>
                <button
                    type="button"
                    class="btn btn-small"
                    data-testid="add-group"
                    data-path=path_attr
                    disabled=move || !can_nest || full()
                    title=(!can_nest).then_some("Groups cannot nest deeper")
                    on:click=add_group
                >
                    "+ Add group"
                </button>
            </div>
        </fieldset>
    }
    .into_any()
}
