//! The people and programs of the workspace (admins): operators with their roles, and API keys
//! with their scopes (the key shown once).

use api_types::auth::{ApiKey, CreateApiKey, CreateOperator, Operator, Role, Scope, UpdateOperator};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::feedback::{Empty, ErrorBox, FieldError, Notice, loaded};
use crate::components::secret::ShownOnce;
use crate::components::table::{Col, Table};
use crate::components::{Branch, confirm};
use crate::fetch::Fetch;
use crate::{format, use_session};

const ROLES: [(Role, &str); 3] = [(Role::Admin, "Admin"), (Role::Editor, "Editor"), (Role::Viewer, "Viewer")];

/// What a key may do, as the form offers it.
const SCOPES: [(Scope, &str); 3] = [
    (Scope::Read, "Read: everything, changes nothing"),
    (Scope::Write, "Write: data, segments and imports"),
    (Scope::Admin, "Admin: also operators, keys and settings"),
];

fn role_options(current: Role) -> impl IntoView {
    ROLES.iter().map(|(r, l)| view! { <option value=r.key() selected=*r == current>{*l}</option> }).collect_view()
}

#[component]
pub(super) fn Operators() -> impl IntoView {
    let session = use_session();
    let me = session.operator.with_untracked(|o| o.as_ref().map(|o| o.id));
    let list = Fetch::new(api::operators);
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let change_role = move |op: Operator, role: String| {
        let Some(role) = Role::parse(&role) else { return };
        spawn_local(async move {
            let input = UpdateOperator { role: Some(role), name: None, password: None };
            match api::update_operator(op.id, &input).await {
                Ok(o) => {
                    error.set(None);
                    notice.set(Some(format!("{} is now {}.", o.email, o.role.key())));
                }
                Err(e) => error.set(Some(e)),
            }
            list.refetch();
        });
    };
    let remove = move |op: Operator| {
        if !confirm(&format!("Remove {} from the workspace?", op.email)) {
            return;
        }
        spawn_local(async move {
            match api::delete_operator(op.id).await {
                Ok(()) => {
                    error.set(None);
                    notice.set(Some(format!("Removed {}.", op.email)));
                }
                Err(e) => error.set(Some(e)),
            }
            list.refetch();
        });
    };
    view! {
        <section class="card" id="operators">
            <h2>"Operators"</h2>
            <p class="muted small">"People who sign in to this workspace. Admins manage settings, operators and API keys; editors change segments and filters; viewers read."</p>
            {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
            <Notice message=notice/>
            {loaded(list, "Loading operators…", move |ops: Vec<Operator>| {
                let rows = ops
                    .into_iter()
                    .map(|op| {
                        let is_me = Some(op.id) == me;
                        let (o1, o2) = (op.clone(), op.clone());
                        view! {
                            <tr data-testid="operator-row">
                                <td>
                                    {op.email.clone()}
                                    {is_me.then(|| view! { <span class="tag tag-muted">"you"</span> })}
                                </td>
                                <td>{format::opt_str(op.name.as_ref())}</td>
                                <td>
                                    <select
                                        data-testid="operator-role"
                                        aria-label=format!("Role of {}", op.email)
                                        on:change=move |ev| change_role(o1.clone(), event_target_value(&ev))
                                    >
                                        {role_options(op.role)}
                                    </select>
                                </td>
                                <td>{format::date(&op.created_at)}</td>
                                <td>
                                    <button
                                        type="button"
                                        class="btn btn-small btn-danger-ghost"
                                        data-testid="operator-remove"
                                        disabled=is_me
                                        title=is_me.then_some("You cannot remove yourself")
                                        on:click=move |_| remove(o2.clone())
                                    >
                                        "Remove"
                                    </button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <Table columns=&[Col::Text("Email"), Col::Text("Name"), Col::Text("Role"), Col::Text("Since"), Col::Hidden("Actions")] testid="operators-table" rows/>
                }
            })}
            <InviteOperator on_done=Callback::new(move |email: String| {
                notice.set(Some(format!("Invited {email}.")));
                list.refetch();
            })/>
        </section>
    }
}

#[component]
fn InviteOperator(on_done: Callback<String>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new("editor".to_owned());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let invite = move |input: CreateOperator| {
        pending.set(true);
        spawn_local(async move {
            match api::create_operator(&input).await {
                Ok(op) => {
                    failure.set(None);
                    email.set(String::new());
                    name.set(String::new());
                    password.set(String::new());
                    on_done.run(op.email);
                }
                Err(e) => failure.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let error = Signal::derive(move || failure.get());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let n = name.get_untracked();
        invite(CreateOperator {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::Viewer),
            name: (!n.trim().is_empty()).then(|| n.trim().to_owned()),
        });
    };
    view! {
        <form class="inline-form" on:submit=on_submit aria-label="Invite an operator">
            <h3 class="subhead">"Invite an operator"</h3>
            <div class="form-grid">
                <div class="field">
                    <label for="invite-email">"Email"</label>
                    <input id="invite-email" type="email" required data-testid="invite-email" bind:value=email/>
                    <FieldError error field="email"/>
                </div>
                <div class="field">
                    <label for="invite-name">"Name " <span class="muted">"(optional)"</span></label>
                    <input id="invite-name" type="text" data-testid="invite-name" bind:value=name/>
                </div>
                <div class="field">
                    <label for="invite-password">"Initial password"</label>
                    <input id="invite-password" type="password" autocomplete="new-password" required data-testid="invite-password" bind:value=password/>
                    <FieldError error field="password"/>
                </div>
                <div class="field">
                    <label for="invite-role">"Role"</label>
                    <select id="invite-role" data-testid="invite-role" on:change=move |ev| role.set(event_target_value(&ev))>
                        {role_options(Role::Editor)}
                    </select>
                </div>
            </div>
            {move || {
                error
                    .get()
                    .filter(|e| e.field("email").is_none() && e.field("password").is_none())
                    .map(|e| view! { <ErrorBox error=e/> })
            }}
            <div class="form-actions">
                <button type="submit" class="btn" data-testid="invite-submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Inviting…" } else { "Invite" }}
                </button>
            </div>
        </form>
    }
}

// ---- API keys --------------------------------------------------------------------------------

#[component]
pub(super) fn ApiKeys() -> impl IntoView {
    let list = Fetch::new(api::api_keys);
    let error = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<(String, String)>);
    let name = RwSignal::new(String::new());
    let scope = RwSignal::new("write".to_owned());
    let creating = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let create = move |input: CreateApiKey| {
        creating.set(true);
        spawn_local(async move {
            match api::create_api_key(&input).await {
                Ok(k) => {
                    failure.set(None);
                    created.set(Some((format!("The key “{}”", k.api_key.name), k.key)));
                    name.set(String::new());
                    list.refetch();
                }
                Err(e) => failure.set(Some(e)),
            }
            creating.set(false);
        });
    };
    let create_error = Signal::derive(move || failure.get());
    let revoke = move |k: ApiKey| {
        if !confirm(&format!("Revoke the key “{}”? Integrations using it stop working at once.", k.name)) {
            return;
        }
        spawn_local(async move {
            match api::revoke_api_key(k.id).await {
                Ok(_) => error.set(None),
                Err(e) => error.set(Some(e)),
            }
            list.refetch();
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        create(CreateApiKey {
            name: name.get_untracked().trim().to_owned(),
            scope: Scope::parse(&scope.get_untracked()).unwrap_or(Scope::Read),
        });
    };
    view! {
        <section class="card" id="api-keys">
            <h2>"API keys"</h2>
            <p class="muted small">"For integrations and scripts: send the key as “Authorization: Bearer …”. Keys are stored hashed and shown once."</p>
            {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
            <ShownOnce shown=created testid="api-key-value" label="The new API key"/>
            {loaded(list, "Loading API keys…", move |keys: Vec<ApiKey>| {
                if keys.is_empty() {
                    return view! { <Empty title="No API keys yet" hint="Create one below for an integration."/> }.left();
                }
                let rows = keys
                    .into_iter()
                    .map(|k| {
                        let revoked = k.revoked_at.is_some();
                        let key = k.clone();
                        view! {
                            <tr data-testid="api-key-row" class:muted-row=revoked>
                                <td>{k.name.clone()}</td>
                                <td class="mono">{format!("{}…", k.prefix)}</td>
                                <td>{k.scope.key()}</td>
                                <td>{format::date(&k.created_at)}</td>
                                <td>{k.last_used_at.map(|t| format::relative(&t)).unwrap_or_else(|| "Never".into())}</td>
                                <td>
                                    {match k.revoked_at {
                                        Some(t) => view! { <span class="muted">{format!("Revoked {}", format::date(&t))}</span> }.left(),
                                        None => view! {
                                            <button
                                                type="button"
                                                class="btn btn-small btn-danger-ghost"
                                                data-testid="api-key-revoke"
                                                aria-label=format!("Revoke {}", k.name)
                                                on:click=move |_| revoke(key.clone())
                                            >
                                                "Revoke"
                                            </button>
                                        }
                                            .right(),
                                    }}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <Table columns=&[Col::Text("Name"), Col::Text("Key"), Col::Text("Scope"), Col::Text("Created"), Col::Text("Last used"), Col::Hidden("Status")] testid="api-keys-table" rows/>
                }
                    .right()
            })}
            <form class="inline-form" on:submit=on_submit aria-label="Create an API key">
                <h3 class="subhead">"Create a key"</h3>
                <div class="form-grid">
                    <div class="field">
                        <label for="api-key-name">"Name"</label>
                        <input id="api-key-name" type="text" required placeholder="e.g. CRM sync" data-testid="api-key-name" bind:value=name/>
                        <FieldError error=create_error field="name"/>
                    </div>
                    <div class="field">
                        <label for="api-key-scope">"Scope"</label>
                        <select id="api-key-scope" data-testid="api-key-scope" on:change=move |ev| scope.set(event_target_value(&ev))>
                            {SCOPES
                                .iter()
                                .map(|(s, l)| view! { <option value=s.key() selected=*s == Scope::Write>{*l}</option> })
                                .collect_view()}
                        </select>
                    </div>
                </div>
                {move || {
                    create_error
                        .get()
                        .filter(|e| e.field("name").is_none())
                        .map(|e| view! { <ErrorBox error=e/> })
                }}
                <div class="form-actions">
                    <button type="submit" class="btn" data-testid="api-key-create" disabled=move || creating.get()>
                        {move || if creating.get() { "Creating…" } else { "Create key" }}
                    </button>
                </div>
            </form>
        </section>
    }
}
