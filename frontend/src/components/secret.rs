//! A secret shown once (a new API key, a webhook's signing secret): selectable, with Copy and
//! Done, and a line that says whether copying worked.

use leptos::prelude::*;

use wasm_bindgen::{JsCast, JsValue};

/// The panel of a secret just created. `shown` holds (title, secret); Done empties it.
#[component]
pub fn ShownOnce(
    shown: RwSignal<Option<(String, String)>>,
    testid: &'static str,
    label: &'static str,
) -> impl IntoView {
    let copied = RwSignal::new(None::<&'static str>);
    move || {
        shown.get().map(|(title, secret)| {
            copied.set(None);
            let kept = secret.clone();
            view! {
                <div class="alert alert-info new-key" role="status">
                    <p class="alert-title">{format!("{title}. Copy it now: it will not be shown again.")}</p>
                    <div class="key-row">
                        <input type="text" readonly class="mono" data-testid=testid aria-label=label value=secret on:focus=move |ev| {
                            use wasm_bindgen::JsCast;
                            if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                input.select();
                            }
                        }/>
                        <button
                            type="button"
                            class="btn btn-small"
                            data-testid=format!("{testid}-copy")
                            on:click=move |_| {
                                copied.set(Some(if copy_to_clipboard(&kept) {
                                    "Copied."
                                } else {
                                    "Copying is not available here: select it and copy it by hand."
                                }));
                            }
                        >
                            "Copy"
                        </button>
                        <button type="button" class="btn btn-small btn-ghost" on:click=move |_| shown.set(None)>"Done"</button>
                    </div>
                    <p class="small" aria-live="polite">{move || copied.get()}</p>
                </div>
            }
        })
    }
}

/// Copies text with the asynchronous clipboard API (absent on plain-HTTP origins other than
/// localhost); `false` when it is not available.
fn copy_to_clipboard(text: &str) -> bool {
    let get = |target: &JsValue, key: &str| js_sys::Reflect::get(target, &JsValue::from_str(key)).ok();
    let Some(window) = web_sys::window() else { return false };
    let Some(clipboard) = get(&window, "navigator").and_then(|n| get(&n, "clipboard")) else {
        return false;
    };
    if clipboard.is_undefined() {
        return false;
    }
    let Some(write) = get(&clipboard, "writeText").and_then(|f| f.dyn_into::<js_sys::Function>().ok()) else {
        return false;
    };
    write.call1(&clipboard, &JsValue::from_str(text)).is_ok()
}
