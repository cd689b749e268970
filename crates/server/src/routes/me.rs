//! The signed-in operator's active segment: it scopes every list, metric and chart of theirs
//! until unset (the SPA passes it as `segment=`). `GET /me` returns it.

use actix_web::{delete, put, web};
use api_types::Problem;
use api_types::auth::Operator;
use api_types::segments::ActiveSegmentInput;
use db::filters::Viewer;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::body::Json;
use crate::views::operator_view;
use crate::{ApiResult, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(set_active).service(unset_active);
}

/// Sets (`Some`) or unsets the operator's active segment and returns the operator.
async fn apply(state: &AppState, auth: &Auth, segment: Option<i64>) -> ApiResult<Operator> {
    let id = auth.operator()?;
    let (ws, viewer) = (auth.workspace_id, Viewer { operator_id: Some(id) });
    let (row, name) = state
        .run(move |db| {
            Ok(db.write(|c| {
                if let Some(segment) = segment {
                    db::segments::get(c, ws, viewer, segment).map_err(|e| match e {
                        db::Error::NotFound | db::Error::Query(diesel::result::Error::NotFound) => {
                            db::Error::invalid("segment_id", format!("{segment} is not a segment you can see"))
                        }
                        other => other,
                    })?;
                }
                db::auth::set_active_segment(c, id, segment)?;
                let row = db::auth::operator(c, id)?;
                let name = db::auth::workspace_name(c, row.workspace_id)?;
                Ok((row, name))
            })?)
        })
        .await?;
    Ok(operator_view(row, name))
}

/// Make a custom segment (public, or private and yours) the active one.
#[utoipa::path(operation_id = "setActiveSegment", tag = "auth", security(("bearer" = ["read"])), request_body = ActiveSegmentInput, responses(
    (status = 200, body = Operator),
    (status = 403, description = "Called with an API key", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Not a segment the operator can see", body = Problem, content_type = "application/problem+json"),
))]
#[put("/me/active-segment")]
async fn set_active(
    state: web::Data<AppState>,
    auth: Auth,
    body: Json<ActiveSegmentInput>,
) -> ApiResult<web::Json<Operator>> {
    Ok(web::Json(apply(&state, &auth, Some(body.segment_id)).await?))
}

/// Unset the active segment.
#[utoipa::path(operation_id = "unsetActiveSegment", tag = "auth", security(("bearer" = ["read"])), responses(
    (status = 200, body = Operator),
    (status = 403, description = "Called with an API key", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/me/active-segment")]
async fn unset_active(state: web::Data<AppState>, auth: Auth) -> ApiResult<web::Json<Operator>> {
    Ok(web::Json(apply(&state, &auth, None).await?))
}
