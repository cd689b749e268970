//! The users CSV export over HTTP: rows per second to the last byte, the first byte, and the
//! memory of the process while it streams.

use std::io::{BufRead, BufReader, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use db::sql::{Param, Query};

/// The export's target rate (issue 4).
pub(crate) const EXPORT_TARGET_ROWS_PER_S: f64 = 500_000.0;

pub(crate) struct Export {
    pub(crate) what: String,
    pub(crate) path: String,
    pub(crate) rows: u64,
    pub(crate) median: Duration,
    pub(crate) worst: Duration,
    pub(crate) first_byte: Duration,
    /// The process's resident memory when the export started, and its peak during the export
    /// (the largest over the runs), in bytes.
    pub(crate) rss_start: u64,
    pub(crate) rss_peak: u64,
    /// How the peak was read.
    pub(crate) peak_source: &'static str,
    /// The anonymous part of the resident memory (`RssAnon`: the heap, not the pages of the
    /// memory-mapped database file), at the start and its peak, of the same run.
    pub(crate) heap_start: u64,
    pub(crate) heap_peak: u64,
}

/// `GET /users/export.csv` of every user, then of the segment's members, `runs` times each.
pub(crate) fn users_export(
    database: &db::Db,
    ws: i64,
    segment: i64,
    base: &str,
    token: &str,
    runs: usize,
) -> anyhow::Result<Vec<Export>> {
    let count = |sql: &str, id: i64| -> anyhow::Result<u64> {
        let n = database.read(|c| {
            let mut q = Query::new(sql);
            q.bind(Param::I64(Some(id)));
            Ok(q.load::<db::sql::Count>(c)?[0].n)
        })?;
        Ok(u64::try_from(n)?)
    };
    let as_of = db::now().date();
    let cases = [
        (
            "all users of the workspace",
            format!("/users/export.csv?as_of={as_of}"),
            count("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM users WHERE workspace_id = ", ws)?,
        ),
        (
            "members of the segment",
            format!("/users/export.csv?as_of={as_of}&segment={segment}"),
            count("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM segment_members WHERE segment_id = ", segment)?,
        ),
    ];
    let mut out = Vec::new();
    for (what, path, expected) in cases {
        let url = format!("{base}{path}");
        let (mut times, mut firsts) = (Vec::new(), Vec::new());
        let (mut rss_start, mut rss_peak, mut peak_source, mut heap) = (0, 0, "", (0, 0));
        for _ in 0..runs.max(1) {
            let memory = MemoryWatch::start();
            let streamed = stream_export(&url, token)?;
            let (start, peak, source, heap_of_run) = memory.stop();
            if streamed.rows != expected {
                bail!("{path}: the export sent {} rows, the database holds {expected}", streamed.rows);
            }
            times.push(streamed.total);
            firsts.push(streamed.first_byte);
            if peak >= rss_peak {
                (rss_start, rss_peak, peak_source, heap) = (start, peak, source, heap_of_run);
            }
        }
        times.sort();
        firsts.sort();
        out.push(Export {
            what: what.into(),
            path,
            rows: expected,
            median: times[times.len() / 2],
            worst: times[times.len() - 1],
            first_byte: firsts[firsts.len() / 2],
            rss_start,
            rss_peak,
            peak_source,
            heap_start: heap.0,
            heap_peak: heap.1,
        });
    }
    Ok(out)
}

/// This process's `VmRSS`, `VmHWM` or `RssAnon`, in bytes.
pub(crate) fn proc_status(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?;
    let kib: u64 = line.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib * 1024)
}

/// The peak resident memory of this process (where the server runs) over a span: the kernel's
/// high-water mark `VmHWM`, reset to the current RSS at the start (`5` into
/// `/proc/self/clear_refs`), or, where that reset is refused, the largest `VmRSS` sampled
/// every 5 ms; and the largest `RssAnon` sampled every 5 ms.
pub(crate) struct MemoryWatch {
    pub(crate) start: u64,
    pub(crate) heap_start: u64,
    pub(crate) reset: bool,
    pub(crate) stop: Arc<AtomicBool>,
    /// The largest `VmRSS` and `RssAnon` sampled.
    pub(crate) sampler: std::thread::JoinHandle<(u64, u64)>,
}

impl MemoryWatch {
    pub(crate) fn start() -> Self {
        let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
        let (start, heap_start) = (proc_status("VmRSS").unwrap_or(0), proc_status("RssAnon").unwrap_or(0));
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let sampler = std::thread::spawn(move || {
            let (mut peak, mut heap) = (0, 0);
            while !flag.load(Ordering::Relaxed) {
                peak = peak.max(proc_status("VmRSS").unwrap_or(0));
                heap = heap.max(proc_status("RssAnon").unwrap_or(0));
                std::thread::sleep(Duration::from_millis(5));
            }
            (peak, heap)
        });
        Self { start, heap_start, reset, stop, sampler }
    }

    /// The RSS at the start, the peak, how the peak was read, and the heap (`RssAnon`) at
    /// the start and its peak.
    pub(crate) fn stop(self) -> (u64, u64, &'static str, (u64, u64)) {
        self.stop.store(true, Ordering::Relaxed);
        let (peak, heap) = self.sampler.join().unwrap_or((0, 0));
        let sampled = peak.max(proc_status("VmRSS").unwrap_or(0));
        let heap = (self.heap_start, heap.max(proc_status("RssAnon").unwrap_or(0)));
        match proc_status("VmHWM").filter(|_| self.reset) {
            Some(hwm) => (self.start, hwm.max(sampled), "VmHWM after a reset", heap),
            None => (self.start, sampled, "VmRSS sampled every 5 ms", heap),
        }
    }
}

pub(crate) struct Streamed {
    /// Data rows: lines after the header.
    pub(crate) rows: u64,
    /// From the request's start to the first byte of the body (the header row, written once
    /// the RFM of the selection is computed).
    pub(crate) first_byte: Duration,
    /// From the request's start to the last byte.
    pub(crate) total: Duration,
}

/// One GET of a CSV, its body streamed through a 64 KiB buffer and its lines counted.
pub(crate) fn stream_export(url: &str, token: &str) -> anyhow::Result<Streamed> {
    let rest = url.strip_prefix("http://").context("http URL")?;
    let (host, path) = rest.split_once('/').context("a path")?;
    let start = Instant::now();
    let mut stream = std::net::TcpStream::connect(host)?;
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )?;
    let mut reader = BufReader::with_capacity(1 << 16, stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    if !line.starts_with("HTTP/1.1 200") {
        bail!("{url}: {}", line.trim_end());
    }
    let (mut chunked, mut length) = (false, None);
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let Some((name, value)) = line.trim_end().split_once(':') else { break };
        if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.trim().eq_ignore_ascii_case("chunked");
        } else if name.eq_ignore_ascii_case("content-length") {
            length = Some(value.trim().parse::<u64>()?);
        }
    }
    let (mut lines, mut first_byte) = (0u64, None);
    let mut count = |body: &mut dyn BufRead| -> std::io::Result<u64> {
        let mut read = 0;
        loop {
            let buf = body.fill_buf()?;
            if buf.is_empty() {
                return Ok(read);
            }
            first_byte.get_or_insert_with(|| start.elapsed());
            lines += buf.iter().filter(|&&b| b == b'\n').count() as u64;
            let n = buf.len();
            read += n as u64;
            body.consume(n);
        }
    };
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let size = line.trim_end().split(';').next().unwrap_or_default();
            let size = u64::from_str_radix(size.trim(), 16).with_context(|| format!("{url}: a chunk size"))?;
            if size == 0 {
                break;
            }
            if count(&mut (&mut reader).take(size))? != size {
                bail!("{url}: the body stopped inside a chunk");
            }
            line.clear();
            reader.read_line(&mut line)?;
        }
    } else if let Some(length) = length {
        count(&mut (&mut reader).take(length))?;
    } else {
        count(&mut reader)?;
    }
    let total = start.elapsed();
    Ok(Streamed { rows: lines.saturating_sub(1), first_byte: first_byte.unwrap_or(total), total })
}
