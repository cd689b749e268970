//! The editors: one condition (field, operator, value by type) and a group (all/any, nested
//! groups).

use api_types::filters::{FieldGroup, FieldType, FilterField, MatchKind, Op};
use api_types::problem::ProblemItem;
use leptos::prelude::*;

use super::catalog::*;
use super::state::*;
use crate::components::feedback::{Built, built, switch_inline};

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

pub(super) fn input_type(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Number | FieldType::Money => "number",
        FieldType::Date => "date",
        _ => "text",
    }
}

/// The field picker's options, grouped as the catalog groups them.
pub(super) fn field_options(cat: &Catalog, current: &str) -> impl IntoView + use<> {
    let fields = &cat.0.fields;
    let unknown = (!current.is_empty() && cat.field(current).is_none()).then(|| {
        let c = current.to_owned();
        view! { <option value=c.clone() selected=true>{format!("{c} (unknown field)")}</option> }
    });
    let grouped = FieldGroup::ALL
        .iter()
        .filter_map(|&key| {
            let options: Vec<_> = fields
                .iter()
                .filter(|f| f.group == key)
                .map(|f| {
                    view! {
                        <option value=f.key.clone() selected=f.key == current>{f.label.clone()}</option>
                    }
                })
                .collect();
            (!options.is_empty()).then(|| view! { <optgroup label=group_label(key)>{options}</optgroup> })
        })
        .collect_view();
    view! {
        <option value="" selected=current.is_empty()>"Choose a field…"</option>
        {unknown}
        {grouped}
    }
}

pub(super) fn value_editor(cond: CondState, field: Option<FilterField>, op: Option<Op>) -> Built {
    let ty = field.as_ref().map_or(FieldType::Text, |f| f.type_);
    let Some(op) = op.filter(|op| !op.takes_no_value()) else { return built(()) };
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
    let picks =
        matches!(ty, FieldType::Enum | FieldType::Segment) && field.as_ref().is_some_and(|f| f.values.is_some());

    if op.takes_list() && picks {
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
    if op.takes_days() {
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
    let kind = if ty == FieldType::Date && cond.v1.with_untracked(|v| v.len() > 10) { "text" } else { input_type(ty) };
    if op == Op::Between {
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
    let placeholder = if op.takes_list() { "a, b, c" } else { "" };
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
        if !cond.op.get_untracked().is_some_and(|op| ops.contains(&op)) {
            cond.op.set(ops.first().copied());
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
                view! { <option value=op.key() prop:selected=move || cond.op.get() == Some(op)>{op_label(op)}</option> }
            })
            .collect_view()
    };
    let cat = catalog.clone();
    let value = switch_inline(
        move || (cond.field.get(), cond.op.get()),
        move |(field, op)| value_editor(cond, cat.field(&field).cloned(), op),
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
                    on:change=move |ev| cond.op.set(Op::parse(&event_target_value(&ev)))
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
