//! The OpenAPI document: paths are collected from the handlers by `utoipa-actix-web`; this
//! module adds the frame (info, security, shared error responses) and the docs UI.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi, OpenApiBuilder};
use utoipa::{Modify, OpenApi as _};
use utoipa_swagger_ui::SwaggerUi;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "segmenta",
        description = "Customer segmentation and customer-health platform. All money values are \
                       major units with two decimals; errors are application/problem+json.",
    ),
    components(schemas(api_types::Problem, api_types::problem::ProblemItem)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign up, sign in, tokens"),
        (name = "operators", description = "People who sign in to the workspace"),
        (name = "api-keys", description = "Keys for integrations"),
        (name = "imports", description = "Bulk data in: users, companies, orders, events"),
        (name = "users", description = "End customers"),
        (name = "companies", description = "Organisations of users"),
        (name = "segments", description = "RFM segments and custom segments"),
        (name = "filters", description = "The filter catalog and custom filters"),
        (name = "metrics", description = "Dashboard and segment metrics"),
        (name = "settings", description = "Workspace settings: scores, RFM, kind, activity window"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT or API key")
                    .description(Some("An access token from /auth/login or an API key"))
                    .build(),
            ),
        );
    }
}

pub fn base() -> OpenApi {
    ApiDoc::openapi()
}

/// Applies what needs the collected paths: the version and server list.
pub fn finish(api: OpenApi) -> OpenApi {
    let mut api = OpenApiBuilder::from(api).build();
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    api
}

/// The document as served, without running a server (for `segmenta openapi`).
pub fn document() -> OpenApi {
    use utoipa_actix_web::AppExt;
    let (_, api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(base())
        .service(utoipa_actix_web::scope("/api/v1").configure(crate::routes::configure))
        .split_for_parts();
    finish(api)
}

/// Pretty JSON of the document, as checked in at `openapi/openapi.json`.
pub fn document_json() -> String {
    let mut text = document().to_pretty_json().expect("the OpenAPI document serialises");
    text.push('\n');
    text
}

/// Swagger UI at `/api/docs/`, assets vendored into the binary; the document itself at
/// `/api/v1/openapi.json`.
pub fn docs(api: OpenApi) -> SwaggerUi {
    SwaggerUi::new("/api/docs/{_:.*}").url("/api/v1/openapi.json", api)
}
