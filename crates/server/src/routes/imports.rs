use std::io::{self, Read};

use actix_web::{HttpRequest, post, web};
use api_types::Problem;
use api_types::auth::Scope;
use api_types::imports::{CompanyRow, CsvFile, EventRow, ImportMode, ImportReport, OrderRow, RowError, UserRow};
use bytes_reader::ChannelReader;
use db::imports::{Format, ImportError};
use domain::import::ImportKind;
use domain::segment_events::Trigger;
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiError, ApiResult, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(import_users).service(import_companies).service(import_orders).service(import_events);
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ImportQuery {
    /// `all_or_nothing` (default: one bad row rejects the file) or `skip_invalid`.
    #[serde(default)]
    #[param(value_type = Option<ImportMode>)]
    mode: Option<String>,
}

/// One documented operation per kind, each with the rows of its kind; all four run
/// [`import`].
macro_rules! import_operation {
    (
        $handler:ident, $path:literal, $kind:expr, $row:ty, $operation_id:literal, $what:literal,
        csv: $csv:literal, json: $json:tt
    ) => {
        #[utoipa::path(
            operation_id = $operation_id,
            summary = concat!("Import ", $what),
            description = "From CSV (`text/csv`, a header row naming the columns) or a JSON array of row objects \
                (`application/json`). Rows are upserted by their key, so re-importing changes nothing. The body \
                streams; its size is limited (413 beyond). The answer comes after the workspace is rescored and its \
                segments refreshed (`scoring` says how that went).",
            tag = "imports",
            security(("bearer" = ["write"])),
            params(ImportQuery),
            request_body(
                description = "CSV with a header row, or a JSON array of row objects",
                content(
                    (inline(CsvFile) = "text/csv", example = json!($csv)),
                    (Vec<$row> = "application/json", example = json!($json)),
                ),
            ),
            responses(
                (status = 200, description = "Imported (with `skip_invalid`, bad rows are listed), with the state of the \
                    scoring run that follows (`scoring`; a failed run leaves the rows imported and is retried)",
                    body = ImportReport),
                (status = 400, description = "Not CSV or JSON, or malformed", body = Problem,
                    content_type = "application/problem+json"),
                (status = 422, description = "A bad header or `mode`, or bad rows in an all-or-nothing import (nothing \
                    written; every bad row listed with its row number, from 1, and column or key)",
                    body = Problem, content_type = "application/problem+json"),
            )
        )]
        #[post($path)]
        async fn $handler(
            state: web::Data<AppState>,
            auth: Auth,
            query: web::Query<ImportQuery>,
            req: HttpRequest,
            payload: web::Payload,
        ) -> ApiResult<web::Json<ImportReport>> {
            import(state, auth, $kind, query.into_inner(), req, payload).await
        }
    };
}

import_operation!(
    import_users,
    "/imports/users",
    ImportKind::Users,
    UserRow,
    "importUsers",
    "users",
    csv: "external_id,email,name,company_id,created_at,country\nu-1001,ada@example.com,Ada Lovelace,c-17,2025-03-04,GB\n",
    json: [{"external_id": "u-1001", "email": "ada@example.com", "name": "Ada Lovelace", "company_id": "c-17",
        "created_at": "2025-03-04", "country": "GB", "email_consent": true, "plan_tier": "gold"}]
);
import_operation!(
    import_companies,
    "/imports/companies",
    ImportKind::Companies,
    CompanyRow,
    "importCompanies",
    "companies",
    csv: "external_id,name,industry,plan,arr\nc-17,Analytical Engines Ltd,Manufacturing,pro,48000\n",
    json: [{"external_id": "c-17", "name": "Analytical Engines Ltd", "industry": "Manufacturing", "plan": "pro",
        "arr": 48000.0, "employees": 120}]
);
import_operation!(
    import_orders,
    "/imports/orders",
    ImportKind::Orders,
    OrderRow,
    "importOrders",
    "orders (refunds with a negative amount)",
    csv: "order_id,customer_id,ordered_at,amount\no-5001,u-1001,2025-11-02,29.33\no-5002,u-1001,2025-11-09,-5.00\n",
    json: [{"order_id": "o-5001", "customer_id": "u-1001", "ordered_at": "2025-11-02T14:05:00Z", "amount": 29.33},
        {"order_id": "o-5002", "customer_id": "u-1001", "ordered_at": "2025-11-09", "amount": -5.0}]
);
import_operation!(
    import_events,
    "/imports/events",
    ImportKind::Events,
    EventRow,
    "importEvents",
    "product-usage events",
    csv: "customer_id,name,occurred_at\nu-1001,login,2025-11-02T14:00:00Z\n",
    json: [{"customer_id": "u-1001", "name": "login", "occurred_at": "2025-11-02T14:00:00Z"}]
);

async fn import(
    state: web::Data<AppState>,
    auth: Auth,
    kind: ImportKind,
    query: ImportQuery,
    req: HttpRequest,
    mut payload: web::Payload,
) -> ApiResult<web::Json<ImportReport>> {
    auth.require(Scope::Write)?;
    let mode = match query.mode.as_deref() {
        None => ImportMode::default(),
        Some(key) => ImportMode::parse(key)
            .ok_or_else(|| ApiError::invalid("mode", format!("'{key}' is not all_or_nothing or skip_invalid")))?,
    };
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let format = match content_type.as_str() {
        "text/csv" | "application/csv" | "text/plain" => Format::Csv,
        "application/json" => Format::Json,
        _ => {
            return Err(ApiError::UnsupportedMediaType("send text/csv or application/json".into()));
        }
    };

    let limit = state.config.import_limit_bytes;
    let (tx, rx) = tokio::sync::mpsc::channel::<io::Result<web::Bytes>>(16);
    let feed = async move {
        let mut total = 0usize;
        while let Some(chunk) = payload.next().await {
            let item = match chunk {
                Ok(bytes) => {
                    total += bytes.len();
                    if total > limit { Err(io::Error::other(TooLarge)) } else { Ok(bytes) }
                }
                Err(e) => Err(io::Error::other(e.to_string())),
            };
            let stop = item.is_err();
            if tx.send(item).await.is_err() || stop {
                break;
            }
        }
    };
    let ws = auth.workspace_id;
    let work = state.run_long("import", move |db| {
        db::imports::run(db, ws, kind, mode, format, ChannelReader::new(rx)).map_err(|e| import_error(e, limit))
    });
    let ((), report) = futures_util::join!(feed, work);
    let report = view(report?, kind, mode);
    if !report.committed && report.error_count > 0 {
        return Err(ApiError::ImportRejected(Box::new(report)));
    }
    let report = ImportReport {
        scoring: Some(crate::jobs::after_data_change(&state, ws, Trigger::Import(kind)).await?),
        ..report
    };
    Ok(web::Json(report))
}

#[derive(Debug)]
struct TooLarge;

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("body too large")
    }
}

impl std::error::Error for TooLarge {}

fn import_error(e: ImportError, limit: usize) -> ApiError {
    match e {
        ImportError::Db(e) => e.into(),
        ImportError::Header(message) => ApiError::invalid("header", message),
        ImportError::Syntax { row, message } => ApiError::BadRequest {
            code: "malformed_body",
            detail: message.clone(),
            errors: vec![api_types::problem::ProblemItem { field: None, row: Some(row), column: None, message }],
        },
        ImportError::Io(io) if io.get_ref().is_some_and(|inner| inner.is::<TooLarge>()) => {
            ApiError::PayloadTooLarge { limit }
        }
        ImportError::Io(io) => ApiError::bad_request(format!("reading the body failed: {io}")),
        ImportError::Rejected(report) => ApiError::internal(format!("unhandled rejection of {} rows", report.rows)),
        ImportError::WriterStopped => ApiError::internal("the import's writer stopped without an error"),
    }
}

fn view(report: db::imports::ImportReport, kind: ImportKind, mode: ImportMode) -> ImportReport {
    ImportReport {
        kind,
        mode,
        rows: report.rows,
        imported: report.imported,
        skipped: report.skipped,
        created_references: report.created_references,
        committed: report.committed,
        error_count: report.error_count,
        errors: report
            .errors
            .into_iter()
            .map(|e| RowError { row: e.row, column: e.column, message: e.message })
            .collect(),
        scoring: None,
    }
}

mod bytes_reader {
    use super::*;

    /// A blocking `Read` over chunks sent from the async side (bounded channel = bounded
    /// memory).
    pub struct ChannelReader {
        rx: tokio::sync::mpsc::Receiver<io::Result<web::Bytes>>,
        current: web::Bytes,
    }

    impl ChannelReader {
        pub fn new(rx: tokio::sync::mpsc::Receiver<io::Result<web::Bytes>>) -> Self {
            ChannelReader { rx, current: web::Bytes::new() }
        }
    }

    impl Read for ChannelReader {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            while self.current.is_empty() {
                match self.rx.blocking_recv() {
                    Some(Ok(bytes)) => self.current = bytes,
                    Some(Err(e)) => return Err(e),
                    None => return Ok(0),
                }
            }
            let n = buf.len().min(self.current.len());
            buf[..n].copy_from_slice(&self.current.split_to(n));
            Ok(n)
        }
    }
}
