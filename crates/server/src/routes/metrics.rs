//! Segment metrics and dashboard metrics. Every endpoint takes `segment=` (a segment id, custom
//! or RFM) to restrict it to that segment's members; bad parameters are 422 problems naming the
//! parameter.

use actix_web::{get, web};
use api_types::metrics::{
    ConsentCounts, EvolutionPoint, MetricDef, MonthRevenue, Overview, PurchaseActivity, RfmEvolution, RfmMatrix,
    RfmMatrixCell, RfmSegmentCount, RfmSegmentMetrics, RfmTransitions, ScoringMatrix, ScoringMatrixCell,
    SegmentMetricValues, SegmentMetricsReport, TransitionCell,
};
use chrono::{Datelike, Months, NaiveDate};
use domain::metrics::{MetricKey, SegmentTotals, WorkspaceKind};
use domain::money::to_major;
use domain::rfm::{RfmSegment, segment_key};
use domain::segment_events::SegmentRef;
use engine::analytics::{ConsentFilter, MetricsWindow, PurchaseFilter, RecencyFilter, Scope};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::params::{parse_date, today};
use crate::views::segment_ref;
use crate::{ApiError, ApiResult, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(segments)
        .service(overview)
        .service(purchases)
        .service(rfm_matrix)
        .service(rfm_transitions)
        .service(rfm_evolution)
        .service(scoring_matrix);
}

/// Months the evolution chart may span.
const MAX_EVOLUTION_MONTHS: usize = 60;

// ---------------------------------------------------------------------------------------
// Parameters shared with the export

/// `segment=ID`: a custom segment of the workspace visible to the caller, or an RFM segment's
/// id (−1 … −8, docs/segment-events.md).
pub(crate) async fn parse_scope(state: &AppState, auth: &Auth, value: Option<&str>) -> ApiResult<Scope> {
    let Some(text) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(Scope::All);
    };
    let id = match text.parse::<i64>().ok().and_then(SegmentRef::of_id) {
        Some(SegmentRef::Rfm(segment)) => return Ok(Scope::Rfm(segment)),
        Some(SegmentRef::Custom(id)) => id,
        None => return Err(ApiError::invalid("segment", format!("'{text}' is not a segment id"))),
    };
    let (ws, operator) = (auth.workspace_id, auth.operator_id);
    state
        .run(move |db| match db.read(|c| engine::analytics::check_segment(c, ws, id, operator)) {
            Ok(()) => Ok(Scope::Segment(id)),
            Err(db::Error::NotFound) => {
                Err(ApiError::invalid("segment", format!("{id} is not a segment of this workspace")))
            }
            Err(e) => Err(e.into()),
        })
        .await
}

fn scope_id(scope: Scope) -> Option<i64> {
    match scope {
        Scope::All => None,
        Scope::Segment(id) => Some(id),
        Scope::Rfm(segment) => Some(segment.id()),
    }
}

fn check_order(from: Option<NaiveDate>, to: Option<NaiveDate>) -> ApiResult<()> {
    match (from, to) {
        (Some(from), Some(to)) if from > to => Err(ApiError::invalid("to", "must not be before from")),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------
// Segment metrics

#[derive(Debug, Deserialize, IntoParams)]
pub struct SegmentsQuery {
    /// RFM membership and activity as of this date, `YYYY-MM-DD` (default today, UTC).
    as_of: Option<String>,
    /// First day of the purchases period (default: the beginning).
    from: Option<String>,
    /// Last day of the purchases period (default: `as_of`).
    to: Option<String>,
    /// Restrict to the members of this segment (a custom segment's id, or an RFM segment's, −1 … −8).
    segment: Option<String>,
}

fn values(t: &SegmentTotals) -> SegmentMetricValues {
    let m = domain::metrics::segment_metrics(t);
    SegmentMetricValues {
        size: m.size,
        contacts: m.contacts,
        online: m.online,
        offline: m.offline,
        avg_health_score: m.avg_health_score,
        total_arr: to_major(m.total_arr),
        aof: m.aof,
        aov: m.aov.map(to_major),
        acv: m.acv.map(to_major),
        total_value: to_major(m.total_value),
        purchases: t.purchases,
    }
}

pub(crate) fn definitions(kind: WorkspaceKind) -> Vec<MetricDef> {
    MetricKey::ALL
        .iter()
        .map(|k| MetricDef {
            key: k.key().to_owned(),
            label: k.label(kind).to_owned(),
            description: k.description(kind).to_owned(),
            money: k.is_money(),
        })
        .collect()
}

fn rfm_ref(segment: RfmSegment) -> api_types::users::RfmSegmentRef {
    segment_ref(Some(segment.key())).expect("a known key")
}

/// Metrics of the eight RFM segments (docs/metrics.md) over their active members, plus the
/// users without a segment and the total; with `segment=`, within that custom segment.
#[utoipa::path(operation_id = "getSegmentMetrics", tag = "metrics", security(("bearer" = ["read"])), params(SegmentsQuery), responses(
    (status = 200, body = SegmentMetricsReport),
))]
#[get("/metrics/segments")]
async fn segments(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<SegmentsQuery>,
) -> ApiResult<web::Json<SegmentMetricsReport>> {
    let as_of = parse_date("as_of", query.as_of.as_deref())?.unwrap_or_else(today);
    let from = parse_date("from", query.from.as_deref())?;
    let to = parse_date("to", query.to.as_deref())?;
    check_order(from, to)?;
    let scope = parse_scope(&state, &auth, query.segment.as_deref()).await?;
    let ws = auth.workspace_id;
    let window = MetricsWindow::new(as_of, from, to, db::now());
    let (kind, report) = state
        .run(move |db| {
            let (history, users) = (engine::order_history(db, ws)?, engine::user_columns(db, ws)?);
            Ok(db.read(|c| {
                let kind = db::settings::get(c, ws)?.kind;
                Ok((kind, engine::analytics::segment_metrics(c, &history, &users, ws, scope, window)?))
            })?)
        })
        .await?;
    Ok(web::Json(SegmentMetricsReport {
        as_of,
        from,
        to: window.to,
        segment: scope_id(scope),
        kind,
        definitions: definitions(kind),
        rfm: report
            .rfm
            .iter()
            .map(|(segment, totals)| RfmSegmentMetrics { segment: rfm_ref(*segment), metrics: values(totals) })
            .collect(),
        unscored: values(&report.unscored),
        total: values(&report.total),
    }))
}

// ---------------------------------------------------------------------------------------
// Users overview

#[derive(Debug, Deserialize, IntoParams)]
pub struct ScopeQuery {
    /// Restrict to the members of this segment (a custom segment's id, or an RFM segment's, −1 … −8).
    segment: Option<String>,
}

/// Users, consented users (in total and per channel; consent counts only with a valid
/// address), and new users in the last 30 days and 12 months.
#[utoipa::path(operation_id = "getMetricsOverview", tag = "metrics", security(("bearer" = ["read"])), params(ScopeQuery), responses(
    (status = 200, body = Overview),
))]
#[get("/metrics/overview")]
async fn overview(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<ScopeQuery>,
) -> ApiResult<web::Json<Overview>> {
    let scope = parse_scope(&state, &auth, query.segment.as_deref()).await?;
    let ws = auth.workspace_id;
    let o = state
        .run(move |db| {
            let users = engine::user_columns(db, ws)?;
            Ok(db.read(|c| engine::analytics::overview(c, &users, scope, db::now()))?)
        })
        .await?;
    Ok(web::Json(Overview {
        users: o.users,
        active_users: o.active_users,
        churned_users: o.churned_users,
        consented_users: o.consented_users,
        consent: ConsentCounts { email: o.email_consented, sms: o.sms_consented },
        new_users_30d: o.new_users_30d,
        new_users_12m: o.new_users_12m,
        segment: scope_id(scope),
    }))
}

// ---------------------------------------------------------------------------------------
// Purchase activity

#[derive(Debug, Deserialize, IntoParams)]
pub struct PurchasesQuery {
    /// `with`: users reachable on at least one channel; `without`: the others.
    consent: Option<String>,
    /// `new_30d` / `new_12m`: users created in the last 30 days / 12 months.
    recency: Option<String>,
    /// Orders of this channel (e.g. `web`, `store`).
    channel: Option<String>,
    /// Orders of this store.
    store: Option<String>,
    /// First day, `YYYY-MM-DD`.
    from: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    to: Option<String>,
    /// Restrict to the members of this segment (a custom segment's id, or an RFM segment's, −1 … −8).
    segment: Option<String>,
}

fn text_param(name: &str, value: Option<&str>) -> ApiResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) if v.chars().count() > 200 => Err(ApiError::invalid(name, "is longer than 200 characters")),
        Some(v) => Ok(Some(v.to_owned())),
    }
}

fn ratio(numerator: i64, divisor: i64) -> Option<f64> {
    (divisor != 0).then(|| numerator as f64 / divisor as f64)
}

/// Purchases, buyers, revenue (refunds netted), AOV, items per purchase, discount and revenue
/// per month of the orders that pass the filters.
#[utoipa::path(operation_id = "getPurchaseMetrics", tag = "metrics", security(("bearer" = ["read"])), params(PurchasesQuery), responses(
    (status = 200, body = PurchaseActivity),
))]
#[get("/metrics/purchases")]
async fn purchases(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<PurchasesQuery>,
) -> ApiResult<web::Json<PurchaseActivity>> {
    let query = query.into_inner();
    let consent = match query.consent.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("with") => Some(ConsentFilter::With),
        Some("without") => Some(ConsentFilter::Without),
        Some(other) => {
            return Err(ApiError::invalid("consent", format!("'{other}' is not with or without")));
        }
    };
    let recency = match query.recency.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("new_30d") => Some(RecencyFilter::New30d),
        Some("new_12m") => Some(RecencyFilter::New12m),
        Some(other) => {
            return Err(ApiError::invalid("recency", format!("'{other}' is not new_30d or new_12m")));
        }
    };
    let from = parse_date("from", query.from.as_deref())?;
    let to = parse_date("to", query.to.as_deref())?;
    check_order(from, to)?;
    let filter = PurchaseFilter {
        scope: parse_scope(&state, &auth, query.segment.as_deref()).await?,
        consent,
        recency,
        channel: text_param("channel", query.channel.as_deref())?,
        store: text_param("store", query.store.as_deref())?,
        from,
        to,
    };
    let ws = auth.workspace_id;
    let (kind, p) = state
        .run(move |db| {
            let (history, users) = (engine::order_history(db, ws)?, engine::user_columns(db, ws)?);
            Ok(db.read(|c| {
                let kind = db::settings::get(c, ws)?.kind;
                Ok((kind, engine::analytics::purchases(c, &history, &users, &filter, db::now())?))
            })?)
        })
        .await?;
    let m = domain::metrics::segment_metrics(&SegmentTotals {
        purchases: p.purchases,
        revenue: p.revenue,
        ..Default::default()
    });
    let discount_rate = (p.gross != 0).then(|| (p.discount as f64 / p.gross as f64 * 10_000.0).round() / 10_000.0);
    Ok(web::Json(PurchaseActivity {
        purchases: p.purchases,
        buyers: p.buyers,
        revenue: to_major(p.revenue),
        refunds: p.refunds,
        refunded: to_major(p.refunded),
        aov: m.aov.map(to_major),
        items_per_purchase: ratio(p.items, p.purchases_with_quantity),
        discount: to_major(p.discount),
        discount_rate,
        revenue_by_month: p
            .by_month
            .into_iter()
            .map(|(month, purchases, revenue)| MonthRevenue { month, purchases, revenue: to_major(revenue) })
            .collect(),
        purchases_label: match kind {
            WorkspaceKind::Orders => "Orders",
            WorkspaceKind::Donations => "Donations",
        }
        .to_owned(),
        aov_label: MetricKey::Aov.label(kind).to_owned(),
    }))
}

// ---------------------------------------------------------------------------------------
// RFM matrix, transitions, evolution

#[derive(Debug, Deserialize, IntoParams)]
pub struct MatrixQuery {
    /// `YYYY-MM-DD` (default: today, from the stored scores of the latest rescoring).
    as_of: Option<String>,
    /// Restrict to the members of this segment (a custom segment's id, or an RFM segment's, −1 … −8).
    segment: Option<String>,
}

/// The 5×5 grid of users by R score (rows 5..1) and FM score (columns 1..5), and the count
/// of each RFM segment.
#[utoipa::path(operation_id = "getRfmMatrix", tag = "metrics", security(("bearer" = ["read"])), params(MatrixQuery), responses(
    (status = 200, body = RfmMatrix),
))]
#[get("/metrics/rfm-matrix")]
async fn rfm_matrix(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<MatrixQuery>,
) -> ApiResult<web::Json<RfmMatrix>> {
    let as_of = parse_date("as_of", query.as_of.as_deref())?;
    let scope = parse_scope(&state, &auth, query.segment.as_deref()).await?;
    let today = today();
    let computed = as_of.filter(|d| *d != today);
    let ws = auth.workspace_id;
    let m = state
        .run(move |db| {
            let history = computed.map(|_| engine::order_history(db, ws)).transpose()?;
            let as_of = computed.zip(history.as_deref());
            let users = engine::user_columns(db, ws)?;
            Ok(db.read(|c| engine::analytics::rfm_matrix(c, &users, ws, scope, as_of))?)
        })
        .await?;
    let mut cells = Vec::with_capacity(25);
    for r in (1..=5u8).rev() {
        for fm in 1..=5u8 {
            cells.push(RfmMatrixCell {
                r,
                fm,
                segment: RfmSegment::from_scores(r, fm).key().to_owned(),
                count: m.counts[usize::from(r - 1)][usize::from(fm - 1)],
            });
        }
    }
    Ok(web::Json(RfmMatrix {
        as_of: as_of.unwrap_or(today),
        cells,
        segments: m
            .segment_counts()
            .into_iter()
            .map(|(segment, count)| RfmSegmentCount { segment: rfm_ref(segment), count })
            .collect(),
        scored: m.scored,
        unscored: m.unscored,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct TransitionsQuery {
    /// The first date, `YYYY-MM-DD` (required).
    from: Option<String>,
    /// The second date, `YYYY-MM-DD` (required, not before `from`).
    to: Option<String>,
    /// Restrict to the members of this segment (a custom segment's id, or an RFM segment's, −1 … −8).
    segment: Option<String>,
}

/// Users in RFM segment `from` as of the first date and `to` as of the second: all 81
/// cells, the eight segments and `none` (no purchase in range).
#[utoipa::path(operation_id = "getRfmTransitions", tag = "metrics", security(("bearer" = ["read"])), params(TransitionsQuery), responses(
    (status = 200, body = RfmTransitions),
))]
#[get("/metrics/rfm-transitions")]
async fn rfm_transitions(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<TransitionsQuery>,
) -> ApiResult<web::Json<RfmTransitions>> {
    let from = parse_date("from", query.from.as_deref())?.ok_or_else(|| ApiError::invalid("from", "is required"))?;
    let to = parse_date("to", query.to.as_deref())?.ok_or_else(|| ApiError::invalid("to", "is required"))?;
    check_order(Some(from), Some(to))?;
    let scope = parse_scope(&state, &auth, query.segment.as_deref()).await?;
    let ws = auth.workspace_id;
    let cells = state
        .run(move |db| {
            let (history, users) = (engine::order_history(db, ws)?, engine::user_columns(db, ws)?);
            Ok(db.read(|c| engine::analytics::rfm_transitions(c, &history, &users, ws, scope, from, to))?)
        })
        .await?;
    Ok(web::Json(RfmTransitions {
        from,
        to,
        cells: cells
            .into_iter()
            .map(|cell| TransitionCell {
                from: segment_key(cell.from).to_owned(),
                to: segment_key(cell.to).to_owned(),
                count: cell.count,
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct EvolutionQuery {
    /// The RFM segment key (`champion`, …, or `none`).
    segment_key: Option<String>,
    /// First month, `YYYY-MM-DD` (default: eleven months before `to`).
    from: Option<String>,
    /// Last day, `YYYY-MM-DD` (default: today).
    to: Option<String>,
    /// Restrict to the members of this segment (a custom segment's id, or an RFM segment's, −1 … −8).
    segment: Option<String>,
}

/// One RFM segment's size at the end of each month from `from` to `to` (at most 60 months).
#[utoipa::path(operation_id = "getRfmEvolution", tag = "metrics", security(("bearer" = ["read"])), params(EvolutionQuery), responses(
    (status = 200, body = RfmEvolution),
))]
#[get("/metrics/rfm-evolution")]
async fn rfm_evolution(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<EvolutionQuery>,
) -> ApiResult<web::Json<RfmEvolution>> {
    let key = query.segment_key.as_deref().map(str::trim).unwrap_or_default();
    if key.is_empty() {
        return Err(ApiError::invalid("segment_key", "is required"));
    }
    let segment = domain::rfm::parse_segment_key(key)
        .ok_or_else(|| ApiError::invalid("segment_key", format!("'{key}' is not an RFM segment key")))?;
    let to = parse_date("to", query.to.as_deref())?.unwrap_or_else(today);
    let from = match parse_date("from", query.from.as_deref())? {
        Some(from) => from,
        None => {
            let first = NaiveDate::from_ymd_opt(to.year(), to.month(), 1).unwrap_or(to);
            first.checked_sub_months(Months::new(11)).unwrap_or(first)
        }
    };
    check_order(Some(from), Some(to))?;
    let ends = engine::analytics::month_ends(from, to);
    if ends.len() > MAX_EVOLUTION_MONTHS {
        return Err(ApiError::invalid("from", format!("the range spans more than {MAX_EVOLUTION_MONTHS} months")));
    }
    let scope = parse_scope(&state, &auth, query.segment.as_deref()).await?;
    let ws = auth.workspace_id;
    let points = state
        .run(move |db| {
            let history = engine::order_history(db, ws)?;
            let users = engine::user_columns(db, ws)?;
            Ok(db.read(|c| {
                let ids = engine::analytics::scope_members(c, &users, scope)?;
                engine::analytics::rfm_evolution(c, &history, ws, ids.as_deref(), segment, from, to)
            })?)
        })
        .await?;
    Ok(web::Json(RfmEvolution {
        segment_key: key.to_owned(),
        from,
        to,
        points: points
            .into_iter()
            .map(|(as_of, count, scored)| EvolutionPoint {
                month: as_of.format("%Y-%m").to_string(),
                as_of,
                count,
                scored,
            })
            .collect(),
    }))
}

// ---------------------------------------------------------------------------------------
// Scoring matrix

fn bucket_range(bucket: u8) -> (u8, u8) {
    let min = (bucket - 1) * 20;
    (min, if bucket == 5 { 100 } else { min + 19 })
}

/// Users by fit score (rows, buckets 5..1) × engagement score (columns, buckets 1..5); bucket
/// b holds scores 20(b−1) to 20b−1 (the last one up to 100).
#[utoipa::path(operation_id = "getScoringMatrix", tag = "metrics", security(("bearer" = ["read"])), params(ScopeQuery), responses(
    (status = 200, body = ScoringMatrix),
))]
#[get("/metrics/scoring-matrix")]
async fn scoring_matrix(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<ScopeQuery>,
) -> ApiResult<web::Json<ScoringMatrix>> {
    let scope = parse_scope(&state, &auth, query.segment.as_deref()).await?;
    let ws = auth.workspace_id;
    let m = state
        .run(move |db| {
            let users = engine::user_columns(db, ws)?;
            Ok(db.read(|c| engine::analytics::scoring_matrix(c, &users, scope))?)
        })
        .await?;
    let mut cells = Vec::with_capacity(25);
    for fit in (1..=5u8).rev() {
        for engagement in 1..=5u8 {
            let (fit_min, fit_max) = bucket_range(fit);
            let (engagement_min, engagement_max) = bucket_range(engagement);
            cells.push(ScoringMatrixCell {
                fit,
                engagement,
                fit_min,
                fit_max,
                engagement_min,
                engagement_max,
                count: m.counts[usize::from(fit - 1)][usize::from(engagement - 1)],
            });
        }
    }
    Ok(web::Json(ScoringMatrix { cells, scored: m.scored, unscored: m.unscored }))
}
