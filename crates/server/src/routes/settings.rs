//! Workspace settings: kind, activity window, RFM window and scoring; score configuration.
//! Reading is open to every role; changing is for admins and rescores the workspace.

use actix_web::{get, put, web};
use api_types::Problem;
use api_types::auth::Scope;
use api_types::settings::{
    Factor, FactorMetric, RfmScoring, ScoreConfig, ScoreSettings, ScoringMethod, ScoringStatus, Settings, SettingsInput,
};
use db::settings::{GeneralChanges, WorkspaceSettings};
use domain::conditions::money_to_minor;
use domain::metrics::WorkspaceKind;
use domain::money::to_major;
use domain::rfm::Thresholds;
use domain::segment_events::Trigger;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::body::Json;
use crate::{ApiError, ApiResult, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_settings).service(put_settings).service(get_scores).service(put_scores);
}

fn scoring_view(scoring: &domain::rfm::RfmScoring) -> RfmScoring {
    match scoring {
        domain::rfm::RfmScoring::Ranked => {
            RfmScoring { method: ScoringMethod::Ranked, recency_days: None, frequency: None, monetary: None }
        }
        domain::rfm::RfmScoring::Fixed(t) => RfmScoring {
            method: ScoringMethod::Fixed,
            recency_days: Some(t.recency_days),
            frequency: Some(t.frequency),
            monetary: Some(t.monetary.map(to_major)),
        },
    }
}

fn settings_view(s: &WorkspaceSettings, scoring: ScoringStatus) -> Settings {
    Settings {
        kind: s.kind,
        activity_window_days: s.activity_window_days,
        rfm_window_days: s.rfm_window_days,
        rfm_scoring: scoring_view(&s.rfm_scoring),
        updated_at: s.updated_at,
        scoring,
    }
}

fn parse_scoring(input: &RfmScoring) -> ApiResult<domain::rfm::RfmScoring> {
    match input.method {
        ScoringMethod::Ranked => Ok(domain::rfm::RfmScoring::Ranked),
        ScoringMethod::Fixed => {
            let missing =
                |field: &str| ApiError::invalid(format!("rfm_scoring.{field}"), "is required for fixed thresholds");
            let recency_days = input.recency_days.ok_or_else(|| missing("recency_days"))?;
            let frequency = input.frequency.ok_or_else(|| missing("frequency"))?;
            let monetary = input.monetary.ok_or_else(|| missing("monetary"))?;
            if monetary.iter().any(|m| !m.is_finite()) {
                return Err(ApiError::invalid("rfm_scoring.monetary", "must be finite numbers"));
            }
            Ok(domain::rfm::RfmScoring::Fixed(Thresholds {
                recency_days,
                frequency,
                monetary: monetary.map(money_to_minor),
            }))
        }
    }
}

/// The workspace's kind, activity window and RFM configuration.
#[utoipa::path(operation_id = "getSettings", tag = "settings", security(("bearer" = ["read"])), responses(
    (status = 200, body = Settings),
))]
#[get("/settings")]
async fn get_settings(state: web::Data<AppState>, auth: Auth) -> ApiResult<web::Json<Settings>> {
    let ws = auth.workspace_id;
    let (s, run) = state
        .run(move |db| Ok(db.read(|c| Ok((db::settings::get(c, ws)?, db::settings::scoring_run(c, ws)?)))?))
        .await?;
    Ok(web::Json(settings_view(&s, crate::jobs::scoring_status(&run, db::now()))))
}

/// Change the kind (`orders`/`donations`), activity window, RFM look-back window or RFM
/// scoring (admins). Absent fields stay; the workspace is rescored.
#[utoipa::path(operation_id = "updateSettings", tag = "settings", security(("bearer" = ["admin"])), request_body = SettingsInput, responses(
    (status = 200, body = Settings),
    (status = 422, description = "A value is out of range; `errors[].field` names it", body = Problem,
        content_type = "application/problem+json"),
))]
#[put("/settings")]
async fn put_settings(
    state: web::Data<AppState>,
    auth: Auth,
    body: Json<SettingsInput>,
) -> ApiResult<web::Json<Settings>> {
    auth.require(Scope::Admin)?;
    let input = body.into_inner();
    let kind = input
        .kind
        .as_deref()
        .map(|k| {
            WorkspaceKind::parse(k)
                .ok_or_else(|| ApiError::invalid("kind", format!("'{k}' is not orders or donations")))
        })
        .transpose()?;
    let rfm_scoring = input.rfm_scoring.as_ref().map(parse_scoring).transpose()?;
    let changes = GeneralChanges {
        kind,
        activity_window_days: input.activity_window_days,
        rfm_window_days: input.rfm_window_days,
        rfm_scoring,
    };
    let ws = auth.workspace_id;
    let s = state.run(move |db| Ok(db.write(|c| db::settings::update_general(c, ws, &changes))?)).await?;
    let scoring = crate::jobs::after_data_change(&state, ws, Trigger::Settings).await?;
    Ok(web::Json(settings_view(&s, scoring)))
}

const METRICS: [(&str, &str, bool, bool); 11] = [
    ("days_since_last_seen", "Days since last seen", false, false),
    ("days_since_last_purchase", "Days since last purchase", false, false),
    ("events_in_last_days", "Events in the last N days", true, true),
    ("r_score", "R score", false, false),
    ("f_score", "F score", false, false),
    ("m_score", "M score", false, false),
    ("revenue_in_last_days", "Revenue in the last N days", true, false),
    ("purchases_in_last_days", "Purchases in the last N days", true, false),
    ("user_property", "User property (number)", false, true),
    ("company_property", "Company property (number)", false, true),
    ("company_arr", "Company ARR", false, false),
];

fn config_view(config: &domain::scores::ScoreConfig) -> ScoreConfig {
    ScoreConfig {
        factors: config
            .factors
            .iter()
            .filter_map(|f| serde_json::to_value(f).ok().and_then(|v| serde_json::from_value::<Factor>(v).ok()))
            .collect(),
    }
}

fn scores_view(s: &domain::scores::ScoreSettings) -> ScoreSettings {
    ScoreSettings {
        health: config_view(&s.health),
        engagement: config_view(&s.engagement),
        fit: config_view(&s.fit),
        metrics: METRICS
            .iter()
            .map(|(key, label, takes_days, takes_name)| FactorMetric {
                key: (*key).into(),
                label: (*label).into(),
                takes_days: *takes_days,
                takes_name: *takes_name,
            })
            .collect(),
    }
}

/// The API's factors as the domain's, naming the path of a factor that does not fit.
fn parse_config(score: &str, config: &ScoreConfig) -> ApiResult<domain::scores::ScoreConfig> {
    let mut factors = Vec::with_capacity(config.factors.len());
    for (i, factor) in config.factors.iter().enumerate() {
        let at = |field: &str| format!("{score}.factors[{i}].{field}");
        if !METRICS.iter().any(|(key, ..)| *key == factor.metric) {
            return Err(ApiError::invalid(at("metric"), format!("'{}' is not a known metric", factor.metric)));
        }
        let value = serde_json::to_value(factor).map_err(ApiError::internal)?;
        let parsed: domain::scores::Factor = serde_json::from_value(value).map_err(|e| {
            let message = e.to_string();
            let field = message.split('`').nth(1).filter(|_| message.contains("missing field")).unwrap_or("metric");
            ApiError::invalid(at(field), message.clone())
        })?;
        factors.push(parsed);
    }
    Ok(domain::scores::ScoreConfig { factors })
}

/// Health, engagement and fit score configuration, with the metrics a factor can use.
#[utoipa::path(operation_id = "getScoreSettings", tag = "settings", security(("bearer" = ["read"])), responses(
    (status = 200, body = ScoreSettings),
))]
#[get("/settings/scores")]
async fn get_scores(state: web::Data<AppState>, auth: Auth) -> ApiResult<web::Json<ScoreSettings>> {
    let ws = auth.workspace_id;
    let s = state.run(move |db| Ok(db.read(|c| db::settings::get(c, ws))?)).await?;
    Ok(web::Json(scores_view(&s.scores)))
}

/// Replace the score configuration (admins). Weights must be ≥ 0 with one > 0, `good` ≠
/// `bad`, metrics known, windows 1–3650 days; the 422 names the bad factor's path, e.g.
/// `health.factors[1].good`. The workspace is rescored.
#[utoipa::path(operation_id = "updateScoreSettings", tag = "settings", security(("bearer" = ["admin"])), request_body = ScoreSettings, responses(
    (status = 200, body = ScoreSettings),
))]
#[put("/settings/scores")]
async fn put_scores(
    state: web::Data<AppState>,
    auth: Auth,
    body: Json<ScoreSettings>,
) -> ApiResult<web::Json<ScoreSettings>> {
    auth.require(Scope::Admin)?;
    let input = body.into_inner();
    let scores = domain::scores::ScoreSettings {
        health: parse_config("health", &input.health)?,
        engagement: parse_config("engagement", &input.engagement)?,
        fit: parse_config("fit", &input.fit)?,
    };
    let ws = auth.workspace_id;
    let s = state.run(move |db| Ok(db.write(|c| db::settings::update_scores(c, ws, &scores))?)).await?;
    crate::jobs::after_data_change(&state, ws, Trigger::Settings).await?;
    Ok(web::Json(scores_view(&s.scores)))
}
