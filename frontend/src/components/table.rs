//! One table for the app's lists of rows: its scrolling wrapper, the column headers (text,
//! numbers aligned right, or a column of buttons named for screen readers only), and the rows
//! its caller builds.

use leptos::prelude::*;

/// A column's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Text(&'static str),
    /// Numbers, aligned right.
    Num(&'static str),
    /// A column without a visible header (actions, a status): the label is for screen readers.
    Hidden(&'static str),
}

/// The rows are a typed view (a prop, not `Children`: children would be an `AnyView`, whose
/// diffing code each caller's row type would bring into the app).
#[component]
pub fn Table<R: IntoView + 'static>(
    columns: &'static [Col],
    #[prop(optional)] testid: Option<&'static str>,
    /// Tighter rows, without the scrolling wrapper (a table inside another section).
    #[prop(optional)]
    compact: bool,
    rows: R,
) -> impl IntoView {
    let head = columns
        .iter()
        .map(|c| {
            let (label, num, hidden) = match *c {
                Col::Text(label) => (label, false, false),
                Col::Num(label) => (label, true, false),
                Col::Hidden(label) => (label, false, true),
            };
            view! { <th scope="col" class:num=num><span class:visually-hidden=hidden>{label}</span></th> }
        })
        .collect_view();
    let table = view! {
        <table class="table" class:table-compact=compact data-testid=testid>
            <thead>
                <tr>{head}</tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    };
    view! { <div class:table-wrap=!compact>{table}</div> }
}
