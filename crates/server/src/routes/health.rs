use actix_web::{HttpResponse, web};
use api_types::Health;

use crate::{ApiResult, AppState};

/// Liveness: the process answers.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok".into() })
}

/// Readiness: the database answers.
pub async fn readyz(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    state.run(|db| Ok(db.ping()?)).await?;
    Ok(HttpResponse::Ok().json(Health { status: "ready".into() }))
}
