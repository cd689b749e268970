//! One way to answer with a CSV file: streamed from a thread of its own into a bounded channel
//! that the response body reads, so the file is never held whole and a client that goes away
//! stops the work at its next chunk. The users export and the segments export both answer so.

use std::io;

use actix_web::HttpResponse;
use actix_web::http::header::{CONTENT_DISPOSITION, HeaderValue};
use actix_web::web::Bytes;

use crate::{ApiResult, AppState};

type Chunk = Result<Bytes, io::Error>;

/// Where a CSV producer writes: chunks of whole rows, in order.
pub struct CsvSink {
    tx: tokio::sync::mpsc::Sender<Chunk>,
}

impl CsvSink {
    /// Sends a chunk; `false` when the client has gone (the producer should stop).
    pub fn send(&self, bytes: Bytes) -> bool {
        bytes.is_empty() || self.tx.blocking_send(Ok(bytes)).is_ok()
    }

    /// Writes rows with `fill` into one chunk and sends it; `Ok(false)` when the client has gone.
    pub fn rows(&self, fill: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>) -> db::Result<bool> {
        Ok(self.send(csv_bytes(4096, fill)?))
    }
}

/// Rows written by `fill` as one chunk of CSV.
pub fn csv_bytes(
    capacity: usize,
    fill: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>,
) -> db::Result<Bytes> {
    let failed = |e: String| db::Error::Migration(format!("writing CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::with_capacity(capacity));
    fill(&mut w).map_err(|e| failed(e.to_string()))?;
    w.into_inner().map(Bytes::from).map_err(|e| failed(e.to_string()))
}

/// `200 text/csv` with `filename` as the attachment's name, its body what `produce` writes on
/// the thread `what`. A failure after the first chunk is logged and cuts the body (the status
/// is sent by then); checks that can fail belong before, in the handler.
pub fn csv_download(
    state: &AppState,
    what: &'static str,
    filename: &str,
    produce: impl FnOnce(&db::Db, &CsvSink) -> db::Result<()> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Chunk>(4);
    state.spawn_long(what, move |db| {
        let sink = CsvSink { tx };
        if let Err(e) = produce(db, &sink) {
            tracing::error!(error = %e, "{what} failed");
            let _ = sink.tx.blocking_send(Err(io::Error::other(format!("the {what} failed"))));
        }
    })?;
    let body = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let disposition = format!("attachment; filename=\"{filename}\"");
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
        ))
        .streaming(body))
}
