//! The OpenAPI document: paths are collected from the handlers by `utoipa-actix-web`; this
//! module adds the frame (info, security, the problem responses of every operation) and the
//! docs UI.

use utoipa::openapi::Required;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ArrayItems, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, OpenApiBuilder, Ref, RefOr, ResponseBuilder};
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
        (name = "webhooks", description = "Endpoints that receive segment events, signed (Standard Webhooks)"),
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
                    .description(Some(
                        "An access token from /auth/login or an API key. Each operation names the scope it needs: \
                         `read` (every signed-in caller), `write` (change data, import) or `admin` (operators, API \
                         keys, settings); each scope includes the ones before it. An API key has one scope; an \
                         operator has that of their role (viewer: read, editor: write, admin: admin). A caller \
                         without the scope gets a 403. Every operator and API key has a budget of requests a \
                         minute (the server's `SEGMENTA_REQUESTS_PER_MINUTE`, per replica): answers state it in \
                         `RateLimit-Policy` (`\"default\";q=<requests>;w=60`) and `RateLimit` \
                         (`\"default\";r=<left>;t=<seconds until all are back>`), as the IETF \
                         httpapi-ratelimit-headers draft writes them; past it the answer is a 429 with \
                         `Retry-After`.",
                    ))
                    .build(),
            ),
        );
    }
}

pub fn base() -> OpenApi {
    ApiDoc::openapi()
}

/// Applies what needs the collected paths: the product's version and the problem responses of
/// every operation. (`#[openapi(modifiers(..))]` runs before `utoipa-actix-web` adds the
/// handlers' paths, so these are applied here.)
pub fn finish(api: OpenApi) -> OpenApi {
    let mut api = OpenApiBuilder::from(api).build();
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    ProblemResponses.modify(&mut api);
    page_items_by_reference(&mut api);
    idempotency_keys(&mut api);
    api
}

/// Every POST a signed-in caller sends takes an `Idempotency-Key` (`crate::idempotency`).
fn idempotency_keys(api: &mut OpenApi) {
    for item in api.paths.paths.values_mut() {
        let Some(post) = item.post.as_mut().filter(|post| post.security.is_some()) else { continue };
        let parameter = ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "A key of the caller's choosing (1 to 255 characters): a retry with the same key and request gets \
                 the first answer again (`Idempotent-Replayed: true`) instead of doing the work twice, for 24 hours; \
                 the same key with another request is a 422, and while the first is under way a 409.",
            ))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(255))))
            .build();
        post.parameters.get_or_insert_with(Vec::new).push(parameter);
    }
}

/// utoipa writes the argument of a generic into its schema (juhaku/utoipa#1586): each
/// `Page_X` would hold a copy of `X`, and a generated client a second model of it
/// (`PageUserItemsItem` beside `User`). The items of each page refer to `X` instead.
fn page_items_by_reference(api: &mut OpenApi) {
    let Some(components) = api.components.as_mut() else { return };
    let pages: Vec<String> = components.schemas.keys().filter(|name| name.starts_with("Page_")).cloned().collect();
    for page in pages {
        let item = &page["Page_".len()..];
        if !components.schemas.contains_key(item) {
            continue;
        }
        if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(&page)
            && let Some(RefOr::T(Schema::Array(items))) = object.properties.get_mut("items")
        {
            items.items = ArrayItems::RefOrSchema(Box::new(RefOr::Ref(Ref::from_schema_name(item))));
        }
    }
}

/// The problems any operation may answer with (RFC 9457 bodies, see `error.rs`): status,
/// name of the shared response, description.
const PROBLEMS: &[(u16, &str, &str)] = &[
    (400, "BadRequest", "The request is malformed: its body, query or path cannot be read"),
    (401, "Unauthorized", "Missing, invalid or expired credentials"),
    (403, "Forbidden", "The caller's role or key may not do this"),
    (404, "NotFound", "No such resource in the caller's workspace"),
    (409, "Conflict", "Conflicts with existing data"),
    (413, "PayloadTooLarge", "The request body is larger than the server takes"),
    (415, "UnsupportedMediaType", "The body's content type is not one the operation takes"),
    (422, "Unprocessable", "A value is not valid; `errors` names each field or row"),
    (
        429,
        "TooManyRequests",
        "Too many requests (the caller's budget, or failed sign-ins); `Retry-After` says when to try again",
    ),
    (500, "InternalError", "An error of the server; its detail is in the server's log"),
];

/// The headers of a 429: when to try again, and the budget (see `crate::limits`).
const LIMIT_HEADERS: [(&str, &str); 3] = [
    ("Retry-After", "Seconds until a request may be tried again"),
    ("RateLimit-Policy", "The caller's budget: `\"default\";q=<requests>;w=60`"),
    ("RateLimit", "What is left of it: `\"default\";r=0;t=<seconds until all requests are back>`"),
];

/// Declares [`PROBLEMS`] once, as shared responses, and refers every operation to each of them
/// unless the operation documents that status itself (with a description of its own).
struct ProblemResponses;

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (status, name, description) in PROBLEMS {
            let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
            let mut response =
                ResponseBuilder::new().description(*description).content("application/problem+json", content);
            if *status == 429 {
                for (header, description) in LIMIT_HEADERS {
                    response = response.header(header, HeaderBuilder::new().description(Some(description)).build());
                }
            }
            let response = response.build();
            components.responses.insert((*name).to_owned(), response.into());
        }
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
                &mut item.head,
                &mut item.options,
                &mut item.trace,
            ];
            for operation in operations.into_iter().flatten() {
                for (status, name, _) in PROBLEMS {
                    // only an operation that takes a body refuses one of another type
                    if *status == 415 && operation.request_body.is_none() {
                        continue;
                    }
                    operation
                        .responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(*name)));
                }
            }
        }
    }
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
