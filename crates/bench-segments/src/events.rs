//! Segment events (docs/segment-events.md): refreshes that move 100 000 users with and without
//! their history, the webhook outbox delivered on loopback, a year of daily history.

use std::time::{Duration, Instant};

use crate::measure::*;
use anyhow::bail;
use db::filters::Viewer;
use db::segments::SegmentDraft;
use db::sql::Query;
use diesel::connection::SimpleConnection;

/// Segment events (docs/segment-events.md): refreshes that move 100 000 users and record their
/// events (and write the messages of a subscribed webhook), the outbox delivered to a receiver
/// on loopback, and a year of daily history over a segment with a year of events.
pub(crate) fn segment_events(database: &db::Db, ws: i64, runs: usize) -> anyhow::Result<Vec<Row>> {
    const MOVERS: i64 = 100_000;
    let viewer = Viewer::default();
    let mut rows = Vec::new();
    // the revenue of the 100 000th biggest spender: "revenue ≥ it" has about 100 000 members
    let threshold = database.read(|c| {
        let mut q = Query::new("SELECT revenue AS n FROM users WHERE workspace_id = ");
        q.bind(db::sql::Param::I64(Some(ws)))
            .push(" ORDER BY revenue DESC LIMIT 1 OFFSET ")
            .bind(db::sql::Param::I64(Some(MOVERS - 1)));
        Ok(q.load::<db::sql::Count>(c)?.first().map_or(0, |c| c.n))
    })?;
    let tree = |minor: i64| {
        serde_json::json!({"match": "all", "conditions": [
            {"field": "behaviour.revenue_total", "op": "gte", "value": minor as f64 / 100.0}]})
    };
    let draft = |name: String, minor: i64| SegmentDraft {
        name: Some(name),
        conditions: Some(tree(minor)),
        ..SegmentDraft::default()
    };
    // a receiver on loopback and a webhook to it, so that the refreshes also write the outbox
    // (the webhooks of an earlier run on a reused database are removed with their messages)
    database.write(|c| {
        Query::new("DELETE FROM webhook_deliveries").execute(c)?;
        Query::new("DELETE FROM webhooks").execute(c)?;
        Ok(())
    })?;
    let (port, received) = receiver()?;
    let secret = server::webhooks::new_secret();
    database.write(|c| {
        let hook = db::webhooks::WebhookChanges {
            url: Some(format!("http://127.0.0.1:{port}/hook")),
            events: Some(domain::webhooks::WebhookEvent::ALL.to_vec()),
            ..db::webhooks::WebhookChanges::default()
        };
        db::webhooks::create(c, ws, &secret, hook).map(drop)
    })?;
    // `runs` rounds, each: a save that makes ~100 000 users enter and one that makes them exit,
    // with their history, then the same two with the membership alone; each round starts from a
    // checkpointed file, as the server's idle checkpoints leave it
    let events_before = count(database, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM segment_events")?;
    let (mut entered, mut exited, mut plain_entered, mut plain_exited) = (vec![], vec![], vec![], vec![]);
    let (mut grown, mut created) = (0, vec![]);
    for round in 0..runs.max(1) {
        let (loud, quiet) = (format!("Big spenders (events {round})"), format!("Big spenders (no events {round})"));
        checkpoint(database)?;
        let used_before = database_bytes(database)?;
        let start = Instant::now();
        let segment = db::segments::save(database, ws, viewer, None, draft(loud.clone(), threshold))?;
        entered.push(start.elapsed());
        let start = Instant::now();
        db::segments::save(database, ws, viewer, Some(segment.id), draft(loud, i64::MAX / 4))?;
        exited.push(start.elapsed());
        checkpoint(database)?;
        grown += database_bytes(database)? - used_before;
        let (plain, enter, exit) = db::faults::without_history(|| -> anyhow::Result<_> {
            let start = Instant::now();
            let plain = db::segments::save(database, ws, viewer, None, draft(quiet.clone(), threshold))?;
            let enter = start.elapsed();
            let start = Instant::now();
            db::segments::save(database, ws, viewer, Some(plain.id), draft(quiet, i64::MAX / 4))?;
            Ok((plain, enter, start.elapsed()))
        })?;
        plain_entered.push(enter);
        plain_exited.push(exit);
        created.extend([segment.id, plain.id]);
    }
    let events = count(database, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM segment_events")? - events_before;
    let messages = count(database, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM webhook_deliveries")?;
    let per_event = grown as f64 / events.max(1) as f64;
    for (what, took, plain) in
        [("save: ~100 000 users enter", entered, plain_entered), ("save: the same users exit", exited, plain_exited)]
    {
        let (median, worst) = median_worst(took);
        rows.push(Row {
            what: format!("{what} (refresh, events and webhook outbox in its transaction)"),
            median,
            worst,
            target: "≤ 1 s",
            duckdb: None,
            note: format!(
                "without history (the membership alone): {} (median); {events} events and {messages} webhook messages over the {} rounds; about {per_event:.0} bytes of database pages an event (row, two indexes, daily counts)",
                ms(median_worst(plain).0),
                runs.max(1)
            ),
        });
    }

    // the outbox, delivered: every message signed and sent to the receiver on loopback
    let state = server::AppState::new(
        database.clone(),
        server::Config { webhooks_allow_private: true, ..server::Config::default() },
    );
    let start = Instant::now();
    server::webhooks::spawn_deliveries(state)?;
    while received.load(std::sync::atomic::Ordering::Relaxed) < messages as usize {
        if start.elapsed() > Duration::from_secs(300) {
            bail!("the outbox was not delivered within 300 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let took = start.elapsed();
    rows.push(Row {
        what: "webhook outbox delivered to a receiver on loopback".into(),
        median: took,
        worst: took,
        target: "≥ 5 000 changes/s",
        duckdb: None,
        note: format!(
            "{messages} signed messages, {events} changes: {:.0} changes/s",
            events as f64 / took.as_secs_f64()
        ),
    });

    // the rounds' segments go, with their events (so that a reused database does not grow)
    database.write(|c| {
        for id in &created {
            db::segments::delete(c, ws, viewer, *id)?;
        }
        Ok(())
    })?;

    // a year of history: 1 000 entries and 1 000 exits a day for 365 days on an RFM segment id
    // that no rescoring writes (−8 … −1 are RFM; this writes under −8 of a workspace of its own)
    // a workspace of its own on each run (an earlier run's stays in a reused database)
    let history_email = format!("history-{}@bench.test", chrono::Utc::now().timestamp_millis());
    let year_ws = database.write(|c| {
        let new = db::auth::NewOperator {
            workspace_id: 0,
            email: &history_email,
            name: None,
            password_hash: "x",
            role: db::auth::Role::Admin,
            created_at: db::now(),
        };
        Ok(db::auth::create_workspace(c, "History", new)?.0)
    })?;
    let today = chrono::Utc::now().date_naive();
    database.write(|c| {
        for day in 0..365 {
            let at = (today - chrono::Duration::days(day)).and_hms_opt(12, 0, 0).expect("noon");
            let moves: Vec<(i64, i64, domain::segment_events::EventType)> = (0..2000)
                .map(|i| {
                    (
                        -8,
                        i,
                        if i % 2 == 0 {
                            domain::segment_events::EventType::Entered
                        } else {
                            domain::segment_events::EventType::Exited
                        },
                    )
                })
                .collect();
            db::segment_events::record(c, year_ws, at, domain::segment_events::Trigger::Schedule, &moves)?;
        }
        Ok(())
    })?;
    let from = today - chrono::Duration::days(364);
    let (median, worst, points) = timed(7, || {
        Ok(database.read(|c| {
            let segment = domain::segment_events::SegmentRef::Rfm(domain::rfm::RfmSegment::Lost);
            let current = db::segment_events::member_count(c, year_ws, segment)?;
            let changes = db::segment_events::daily_changes(c, year_ws, segment, from)?;
            Ok(domain::segment_events::size_history(current, from, today, &changes).len())
        })?)
    })?;
    rows.push(Row {
        what: "history: a year of daily points (730 000 events)".into(),
        median,
        worst,
        target: "≤ 50 ms",
        duckdb: None,
        note: format!("{points} points"),
    });
    Ok(rows)
}

pub(crate) fn count(database: &db::Db, sql: &str) -> anyhow::Result<i64> {
    let q = Query::new(sql);
    Ok(database.read(|c| Ok(q.load::<db::sql::Count>(c)?.first().map_or(0, |c| c.n)))?)
}

/// Folds the write-ahead log into the database file.
fn checkpoint(database: &db::Db) -> anyhow::Result<()> {
    Ok(database.read(|c| Ok(c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")?))?)
}

/// The median and the worst of some timings.
fn median_worst(mut took: Vec<Duration>) -> (Duration, Duration) {
    took.sort();
    (took[took.len() / 2], took[took.len() - 1])
}

/// Bytes of the database file in use (its pages less the free ones, which a reused file
/// fills first).
pub(crate) fn database_bytes(database: &db::Db) -> anyhow::Result<i64> {
    count(
        database,
        "SELECT CAST((page_count - freelist_count) * page_size AS BIGINT) AS n \
         FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()",
    )
}

/// A receiver on a free loopback port that answers 204 to every request (keep-alive), counting
/// them.
pub(crate) fn receiver() -> anyhow::Result<(u16, std::sync::Arc<std::sync::atomic::AtomicUsize>)> {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let counted = counted.clone();
            std::thread::spawn(move || {
                let Ok(mut writer) = stream.try_clone() else { return };
                let mut reader = BufReader::new(stream);
                loop {
                    let mut length = 0usize;
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                            break;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0; length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if writer.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n").is_err() {
                        return;
                    }
                }
            });
        }
    });
    Ok((port, count))
}
