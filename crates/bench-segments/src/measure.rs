//! A measured row of the report, and timing over several runs.

use std::time::{Duration, Instant};

use anyhow::Context;

pub(crate) struct Row {
    pub(crate) what: String,
    pub(crate) median: Duration,
    pub(crate) worst: Duration,
    pub(crate) target: &'static str,
    pub(crate) duckdb: Option<Duration>,
    pub(crate) note: String,
}

pub(crate) fn ms(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 10.0 { format!("{:.1} ms", s * 1000.0) } else { format!("{s:.1} s") }
}

/// Runs `f` `runs` times; the median and the worst time, and the last result.
pub(crate) fn timed<T>(
    runs: usize,
    mut f: impl FnMut() -> anyhow::Result<T>,
) -> anyhow::Result<(Duration, Duration, T)> {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        last = Some(f()?);
        times.push(start.elapsed());
    }
    times.sort();
    let out = last.context("at least one run")?;
    Ok((times[times.len() / 2], times[times.len() - 1], out))
}
