//! Sign in and sign up. A visitor with a session is sent on to the app (or to `next`).

use api_types::auth::{LoginRequest, SignupRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::{A, Redirect};
use leptos_router::hooks::use_query_map;

use crate::api::{self, ApiError};
use crate::components::feedback::{ErrorItems, FieldError};
use crate::{set_title, use_session};

/// Where to go after signing in: the `next` query parameter when it is a path of this app.
fn next_path() -> Signal<String> {
    let query = use_query_map();
    Signal::derive(move || {
        query
            .read()
            .get("next")
            .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\"))
            .unwrap_or_else(|| "/".to_owned())
    })
}

/// The form's overall error: the message and the items no field shows.
#[component]
fn FormError(error: Signal<Option<ApiError>>, fields: &'static [&'static str]) -> impl IntoView {
    move || {
        error.get().map(|e| {
            let items = e.other_items(fields);
            view! {
                <div class="alert alert-error" role="alert">
                    <p class="alert-title">{e.message.clone()}</p>
                    {(!items.is_empty()).then(|| view! { <ErrorItems items=items/> })}
                </div>
            }
        })
    }
}

#[component]
fn AuthCard(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="auth">
            <div class="auth-brand">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                "segmenta"
            </div>
            <section class="card auth-card">
                <h1>{title}</h1>
                {children()}
            </section>
        </div>
    }
}

#[component]
pub fn SignIn() -> impl IntoView {
    set_title("Sign in");
    let session = use_session();
    let next = next_path();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let action = Action::new_local(move |req: &LoginRequest| {
        let req = req.clone();
        async move { api::login(&req).await.map(|t| session.start(t.operator)) }
    });
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        action.dispatch(LoginRequest { email: email.get_untracked(), password: password.get_untracked() });
    };
    let invalid = move |field: &'static str| move || error.get().and_then(|e| e.field(field)).is_some();

    view! {
        <Show
            when=move || !session.signed_in.get()
            fallback=move || view! { <Redirect path=next.get_untracked()/> }
        >
            <AuthCard title="Sign in">
                <Show when=move || session.expired.get()>
                    <p class="alert alert-info">"Your session has ended. Sign in again to go on where you were."</p>
                </Show>
                <FormError error=error fields=&["email", "password"]/>
                <form class="form" on:submit=on_submit>
                    <div class="field">
                        <label for="email">"Email"</label>
                        <input
                            id="email"
                            data-testid="signin-email"
                            type="email"
                            autocomplete="username"
                            required
                            autofocus
                            bind:value=email
                            aria-invalid=move || invalid("email")().to_string()
                            aria-describedby="email-error"
                        />
                        <FieldError error=error field="email"/>
                    </div>
                    <div class="field">
                        <label for="password">"Password"</label>
                        <input
                            id="password"
                            data-testid="signin-password"
                            type="password"
                            autocomplete="current-password"
                            required
                            bind:value=password
                            aria-invalid=move || invalid("password")().to_string()
                            aria-describedby="password-error"
                        />
                        <FieldError error=error field="password"/>
                    </div>
                    <button type="submit" class="btn btn-primary btn-block" data-testid="signin-submit" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </form>
                <p class="auth-switch">
                    "New to segmenta? " <A href="/signup">"Create a workspace"</A>
                </p>
            </AuthCard>
        </Show>
    }
}

#[component]
pub fn SignUp() -> impl IntoView {
    set_title("Sign up");
    let session = use_session();
    let workspace_name = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let action = Action::new_local(move |req: &SignupRequest| {
        let req = req.clone();
        async move { api::signup(&req).await.map(|t| session.start(t.operator)) }
    });
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let name = name.get_untracked();
        action.dispatch(SignupRequest {
            workspace_name: workspace_name.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
            name: (!name.trim().is_empty()).then_some(name),
        });
    };
    let invalid = move |field: &'static str| move || error.get().and_then(|e| e.field(field)).is_some();

    view! {
        <Show when=move || !session.signed_in.get() fallback=|| view! { <Redirect path="/"/> }>
            <AuthCard title="Create your workspace">
                <FormError error=error fields=&["workspace_name", "name", "email", "password"]/>
                <form class="form" on:submit=on_submit>
                    <div class="field">
                        <label for="workspace_name">"Workspace name"</label>
                        <input
                            id="workspace_name"
                            type="text"
                            autocomplete="organization"
                            required
                            autofocus
                            bind:value=workspace_name
                            aria-invalid=move || invalid("workspace_name")().to_string()
                            aria-describedby="workspace_name-error"
                        />
                        <p class="field-hint">"Your business, as your team knows it."</p>
                        <FieldError error=error field="workspace_name"/>
                    </div>
                    <div class="field">
                        <label for="name">"Your name " <span class="muted">"(optional)"</span></label>
                        <input id="name" type="text" autocomplete="name" bind:value=name/>
                        <FieldError error=error field="name"/>
                    </div>
                    <div class="field">
                        <label for="email">"Email"</label>
                        <input
                            id="email"
                            type="email"
                            autocomplete="username"
                            required
                            bind:value=email
                            aria-invalid=move || invalid("email")().to_string()
                            aria-describedby="email-error"
                        />
                        <FieldError error=error field="email"/>
                    </div>
                    <div class="field">
                        <label for="password">"Password"</label>
                        <input
                            id="password"
                            type="password"
                            autocomplete="new-password"
                            required
                            bind:value=password
                            aria-invalid=move || invalid("password")().to_string()
                            aria-describedby="password-error"
                        />
                        <FieldError error=error field="password"/>
                    </div>
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Creating…" } else { "Create workspace" }}
                    </button>
                </form>
                <p class="auth-switch">
                    "Already have an account? " <A href="/signin">"Sign in"</A>
                </p>
            </AuthCard>
        </Show>
    }
}
