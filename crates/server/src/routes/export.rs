//! `GET /users/export.csv`: the users the Users list selects for the same `q`, `filter`,
//! `conditions` and `segment` (every user of the workspace without them) with RFM as of a date
//! and the current scores, streamed ([`crate::csv_stream`]): blocks of users by id, read and
//! formatted by a few workers, sent in id order.

use actix_web::{HttpResponse, get, web};
use api_types::Problem;
use db::lists::{ExportRow, SelectedUsers};
use domain::csv_safe::neutralise;
use domain::money::format_major;
use domain::rfm::RfmScore;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::csv_stream::{CsvSink, csv_bytes, csv_download};
use crate::params::{UserSelectionQuery, parse_date, today, viewer};
use crate::{ApiResult, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(export_users);
}

/// The export's columns, in order.
pub const COLUMNS: [&str; 15] = [
    "external_id",
    "email",
    "name",
    "company",
    "recency_days",
    "frequency",
    "monetary",
    "r_score",
    "f_score",
    "m_score",
    "fm_score",
    "rfm_segment",
    "health_score",
    "engagement_score",
    "fit_score",
];

#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// RFM as of this date, `YYYY-MM-DD` (default: today, UTC).
    as_of: Option<String>,
}

/// Writes one user's row: cells straight into the writer, numbers without allocating.
fn write_row(w: &mut csv::Writer<Vec<u8>>, row: &ExportRow, rfm: Option<&RfmScore>) -> csv::Result<()> {
    let mut digits = itoa::Buffer::new();
    let text = |w: &mut csv::Writer<Vec<u8>>, v: Option<&str>| w.write_field(neutralise(v.unwrap_or("")).as_bytes());
    text(w, Some(&row.external_id))?;
    text(w, row.email.as_deref())?;
    text(w, row.name.as_deref())?;
    text(w, row.company.as_deref())?;
    let mut num = |w: &mut csv::Writer<Vec<u8>>, v: Option<i64>| match v {
        Some(n) => w.write_field(digits.format(n)),
        None => w.write_field(""),
    };
    num(w, rfm.map(|r| r.recency_days))?;
    num(w, rfm.map(|r| r.frequency))?;
    w.write_field(rfm.map(|r| format_major(r.monetary)).unwrap_or_default())?;
    for score in rfm.map_or([None; 4], |r| [r.r_score, r.f_score, r.m_score, r.fm_score].map(Some)) {
        num(w, score.map(i64::from))?;
    }
    w.write_field(rfm.map_or("", |r| r.segment.key()))?;
    for score in [row.health_score, row.engagement_score, row.fit_score] {
        num(w, score.map(i64::from))?;
    }
    w.write_record(None::<&[u8]>)
}

/// Ids per block of the walk over the selection.
const BLOCK_IDS: i64 = 8192;

/// Writes the CSV into `sink`; stops quietly when the client has gone. The selection is walked
/// in blocks of ids, read and formatted by one worker per core (each on its own pooled
/// connection), and sent in id order; at most two blocks per worker wait, so memory stays
/// flat whatever the size of the export.
fn produce(db: &db::Db, ws: i64, selected: &SelectedUsers, as_of: chrono::NaiveDate, sink: &CsvSink) -> db::Result<()> {
    // RFM from each row's stored columns when they are current, else computed for all first.
    let (s, stored, span) = db.read(|c| {
        let s = db::settings::get(c, ws)?;
        let stored = engine::analytics::stored_serve(c, ws, as_of, s.rfm_window_days, &s.rfm_scoring)?;
        Ok((s, stored, db::lists::user_id_span(c, ws)?))
    })?;
    let computed = if stored {
        None
    } else {
        let history = engine::order_history(db, ws)?;
        Some(engine::analytics::computed_rfm(&history, as_of, s.rfm_window_days, &s.rfm_scoring))
    };
    if !sink.rows(|w| w.write_record(COLUMNS))? {
        return Ok(());
    }
    let Some((lo, hi)) = span else { return Ok(()) };
    let blocks = usize::try_from((hi - lo) / BLOCK_IDS + 1).unwrap_or(usize::MAX);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4).min(blocks);
    let format = |rows: &[ExportRow]| -> db::Result<web::Bytes> {
        csv_bytes(rows.len() * 128, |w| {
            for row in rows {
                let score = match &computed {
                    Some(rfm) => rfm.binary_search_by_key(&row.id, |(id, _)| *id).ok().map(|i| rfm[i].1),
                    None => row.stored_rfm(as_of),
                };
                write_row(w, row, score.as_ref())?;
            }
            Ok(())
        })
    };
    std::thread::scope(|scope| {
        let inboxes: Vec<_> = (0..workers)
            .map(|worker| {
                let (out, inbox) = std::sync::mpsc::sync_channel::<db::Result<web::Bytes>>(2);
                let format = &format;
                scope.spawn(move || {
                    for block in (worker..blocks).step_by(workers) {
                        let first = lo + block as i64 * BLOCK_IDS;
                        let rows = db.read(|c| db::lists::export_block(c, selected, first, first + BLOCK_IDS - 1));
                        // A closed inbox: the client has gone or another block failed.
                        if out.send(rows.and_then(|rows| format(&rows))).is_err() {
                            break;
                        }
                    }
                });
                inbox
            })
            .collect();
        // Blocks in order, each from the worker that has it; an early return drops the inboxes,
        // which ends the workers at their next block.
        for block in 0..blocks {
            let Ok(bytes) = inboxes[block % workers].recv() else { break };
            if !sink.send(bytes?) {
                break;
            }
        }
        Ok(())
    })
}

/// Users as CSV with RFM as of `as_of` (`recency_days`, `frequency`, `monetary` in major
/// units, `r_score`, `f_score`, `m_score`, `fm_score`, `rfm_segment` key; empty when the user
/// has no purchase in range) and the current health, engagement and fit scores. One row per
/// user the Users list shows for the same `q`, `filter`, `conditions` and `segment` (all
/// users of the workspace without them; churned members of a segment too), by id. Text cells
/// that a spreadsheet would run as a formula are prefixed with `'`.
#[utoipa::path(operation_id = "exportUsersCsv", tag = "users", security(("bearer" = ["read"])), params(ExportQuery, UserSelectionQuery), responses(
    (status = 200, description = "CSV with a header row", content_type = "text/csv", body = String),
    (status = 422, description = "A bad parameter, or a condition tree that does not validate (`errors[].field` names the condition's path)",
        body = Problem, content_type = "application/problem+json"),
))]
#[get("/users/export.csv")]
async fn export_users(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<ExportQuery>,
    selection: web::Query<UserSelectionQuery>,
) -> ApiResult<HttpResponse> {
    let as_of = parse_date("as_of", query.as_of.as_deref())?.unwrap_or_else(today);
    let (ws, viewer) = (auth.workspace_id, viewer(&auth));
    // Resolved before the response starts, so that a bad parameter is a 422, not a cut stream.
    let selection = selection.into_inner();
    let selected = state.run(move |db| Ok(db.read(|c| selection.resolve(c, ws, viewer)?.compile(c, ws))?)).await?;
    csv_download(&state, "users export", &format!("users-{as_of}.csv"), move |db, sink| {
        produce(db, ws, &selected, as_of, sink)
    })
}
