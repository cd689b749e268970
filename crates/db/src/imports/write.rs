//! The writing side of an import: rows upserted in bounded batches inside one transaction,
//! references resolved or created, the search indexes rebuilt after a first load.

// foldhash: the importer hashes every row's keys (batch dedupe, id cache); SipHash showed.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::io::Read;
use std::sync::Arc;

use chrono::NaiveDateTime;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use domain::import::{Cell, ColumnType, ImportKind, Layout, ParsedRow, property_type};

use super::aggregates::*;
use super::read::*;
use super::report::*;
use crate::sql::{Count, Dialect, Param, Query, push_list};
use crate::{Db, DbConn};

/// Rows per statement; kept under SQLite's 32766 bound parameters.
pub(super) const BATCH_ROWS: usize = 1000;
/// Above this many touched users aggregates are recomputed for the whole workspace at once.
pub(super) const WHOLE_WORKSPACE_THRESHOLD: usize = 20_000;

/// Imports `body` into `workspace_id`. An all-or-nothing import with bad rows returns a report
/// with `committed: false` and the errors; nothing is written.
///
/// Two threads: one reads and validates the body, the calling one writes what it is handed,
/// with at most [`PIPELINE_DEPTH`] chunks of [`CHUNK_ROWS`] rows in between (bounded memory).
pub fn run(
    db: &Db,
    workspace_id: i64,
    kind: ImportKind,
    mode: ImportMode,
    format: Format,
    body: impl Read + Send,
) -> Result<ImportReport, ImportError> {
    // Every reference the importer writes is resolved or created in the same transaction.
    let result = db.bulk_write_with(|conn| {
        crate::settings::data_changed(conn, workspace_id)?;
        let mut importer = Importer::new(conn, workspace_id, kind, mode);
        importer.check_fresh()?;
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Item>>(PIPELINE_DEPTH);
            let reader = scope.spawn(move || {
                let mut feed = Feed::new(kind, tx);
                let read = match format {
                    Format::Csv => read_csv(body, &mut feed),
                    Format::Json => read_json(body, &mut feed),
                };
                read.and_then(|()| feed.send())
            });
            let written = rx.iter().flatten().try_for_each(|item| importer.take(item));
            drop(rx); // a failed writer stops the reader at its next chunk
            let read = reader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            written.and(read)
        })?;
        importer.finish()
    });
    match result {
        Err(ImportError::Rejected(report)) => Ok(*report),
        other => other,
    }
}

/// The full-text search index of each table that has one (migrations `search_index` and
/// `user_search_company`), with the statements that rebuild it from the table after a first
/// load: kept by triggers otherwise. The users' index holds no content of its own (it also
/// indexes each user's company name), so it is emptied and filled rather than rebuilt, then
/// merged into one segment (a search then reads one list per trigram instead of one per batch
/// the filling wrote: on 1M users 14 lists, and a search's first page in half the time).
pub(super) const SEARCH_INDEXES: [(&str, &[&str]); 2] = [
    (
        "users",
        &[
            "INSERT INTO user_search (user_search) VALUES ('delete-all')",
            "INSERT INTO user_search (rowid, name, email, external_id, company) \
             SELECT u.id, u.name, u.email, u.external_id, c.name FROM users u LEFT JOIN companies c ON c.id = u.company_id",
            "INSERT INTO user_search (user_search) VALUES ('optimize')",
        ],
    ),
    ("companies", &["INSERT INTO company_search (company_search) VALUES ('rebuild')"]),
];

/// Known external ids → row ids during one import (users or companies), so that a file
/// sorted by customer does not look the same user up once per batch. Bounded: cleared when full.
pub(super) const ID_CACHE_LIMIT: usize = 2_000_000;

pub(super) struct Importer<'c> {
    conn: &'c mut DbConn,
    dialect: Dialect,
    workspace_id: i64,
    kind: ImportKind,
    mode: ImportMode,
    report: ImportReport,
    batch: Vec<ParsedRow>,
    batch_layout: Option<Arc<Layout>>,
    touched_users: HashSet<i64>,
    /// The latest `ordered_at` imported.
    latest_order: Option<NaiveDateTime>,
    /// Whether the aggregates will be refreshed for the whole workspace anyway (many users
    /// touched), which makes looking up the previous owner of each re-imported order moot.
    whole_workspace: bool,
    /// External id → row id of the referenced table (users; companies in a users import).
    ids: HashMap<String, i64>,
    /// Whether the workspace had no rows of the referenced table (users, or companies for a
    /// users import) when the import began: then an id missing from `ids` is surely unknown.
    fresh_refs: bool,
    /// Whether the workspace had no orders when the import began: then no order of this file
    /// can move away from a user the import did not touch.
    fresh_orders: bool,
    properties: HashMap<String, &'static str>,
    now: NaiveDateTime,
    /// The statements that restore what a first load dropped (indexes, search triggers, the
    /// search index rebuild), run at the end.
    deferred_indexes: Vec<String>,
    /// Time spent writing batches (logged at debug level).
    write_time: std::time::Duration,
}

impl<'c> Importer<'c> {
    fn new(conn: &'c mut DbConn, workspace_id: i64, kind: ImportKind, mode: ImportMode) -> Self {
        let dialect = Dialect::of(conn);
        Importer {
            conn,
            dialect,
            workspace_id,
            kind,
            mode,
            report: ImportReport::default(),
            batch: Vec::with_capacity(BATCH_ROWS),
            batch_layout: None,
            touched_users: HashSet::new(),
            latest_order: None,
            whole_workspace: false,
            ids: HashMap::new(),
            fresh_refs: false,
            fresh_orders: false,
            properties: HashMap::new(),
            now: crate::now(),
            deferred_indexes: Vec::new(),
            write_time: std::time::Duration::ZERO,
        }
    }

    fn check_fresh(&mut self) -> Result<(), ImportError> {
        let empty = |conn: &mut DbConn, table: &str, ws: i64| -> Result<bool, ImportError> {
            let mut q = Query::new(format!("SELECT COUNT(*) AS n FROM (SELECT 1 FROM {table} WHERE workspace_id = "));
            q.bind(Param::I64(Some(ws))).push(" LIMIT 1) AS t");
            Ok(q.load::<Count>(conn)?.first().is_none_or(|c| c.n == 0))
        };
        let refs = if self.kind == ImportKind::Users { "companies" } else { "users" };
        self.fresh_refs = empty(self.conn, refs, self.workspace_id)?;
        self.fresh_orders = self.kind == ImportKind::Orders && empty(self.conn, "orders", self.workspace_id)?;
        self.defer_indexes()?;
        Ok(())
    }

    /// A first load into an empty SQLite table (the import's own, or the one its references
    /// create rows in): its non-unique indexes are dropped and built once at the end (a sort),
    /// which is several times cheaper than growing them row by row, and so is its search index
    /// (its triggers are dropped, and the index rebuilt from the table at the end). The unique
    /// indexes stay (upserts need them). Readers keep seeing the last committed snapshot,
    /// indexes included, and a failed import rolls the drops back. The statements come from
    /// the schema itself, so they are the migrations' own.
    fn defer_indexes(&mut self) -> Result<(), ImportError> {
        if !self.dialect.defers_import_indexes() {
            return Ok(());
        }
        let refs = match self.kind {
            ImportKind::Users => Some("companies"),
            ImportKind::Orders | ImportKind::Events => Some("users"),
            ImportKind::Companies => None,
        };
        // The kinds are named after their tables.
        for table in std::iter::once(self.kind.key()).chain(refs) {
            let any = Query::new(format!("SELECT COUNT(*) AS n FROM (SELECT 1 FROM {table} LIMIT 1) AS t"));
            if any.load::<Count>(self.conn)?.first().is_some_and(|c| c.n > 0) {
                continue;
            }
            #[derive(QueryableByName)]
            struct Object {
                #[diesel(sql_type = Text)]
                kind: String,
                #[diesel(sql_type = Text)]
                name: String,
                #[diesel(sql_type = Text)]
                sql: String,
            }
            let mut q = Query::new(
                "SELECT type AS kind, name, sql FROM sqlite_master \
                 WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name = ",
            );
            q.bind(Param::text(table));
            for object in q.load::<Object>(self.conn)? {
                if object.sql.trim_start().to_ascii_uppercase().starts_with("CREATE UNIQUE") {
                    continue;
                }
                let name = object.name.replace('"', "\"\"");
                Query::new(format!("DROP {} \"{name}\"", object.kind.to_ascii_uppercase())).execute(self.conn)?;
                self.deferred_indexes.push(object.sql);
            }
            if let Some((_, rebuild)) = SEARCH_INDEXES.iter().find(|(t, _)| *t == table) {
                self.deferred_indexes.extend(rebuild.iter().map(|sql| (*sql).to_owned()));
            }
        }
        Ok(())
    }

    /// One item from the reading thread: a bad row is counted and listed, a good one joins the
    /// batch (unless the import is already bound to be rejected).
    fn take(&mut self, item: Item) -> Result<(), ImportError> {
        let (row, layout, parsed) = match item {
            Item::Row { row, layout, parsed } => (row, layout, parsed),
            Item::Invalid { row, errors } => {
                self.report.rows = self.report.rows.max(row);
                self.report.skipped += 1;
                self.report.error_count += errors.len() as u64;
                let room = MAX_LISTED_ERRORS.saturating_sub(self.report.errors.len());
                self.report.errors.extend(errors.into_iter().take(room));
                return Ok(());
            }
        };
        self.report.rows = self.report.rows.max(row);
        if self.mode == ImportMode::AllOrNothing && self.report.error_count > 0 {
            return Ok(()); // keep validating, stop writing: the import will be rejected
        }
        for (key, value) in &parsed.properties {
            if let Some(ty) = property_type(value) {
                self.properties.entry(key.clone()).or_insert(ty);
            }
        }
        let same_layout = self.batch_layout.as_ref().is_some_and(|l| {
            Arc::ptr_eq(l, &layout) || (l.columns == layout.columns && l.properties == layout.properties)
        });
        if !same_layout {
            self.flush()?;
            self.batch_layout = Some(Arc::clone(&layout));
        }
        self.batch.push(parsed);
        let width = layout.columns.len() + 4;
        if self.batch.len() >= BATCH_ROWS.min(30_000 / width) {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ImportError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let started = std::time::Instant::now();
        let layout = Arc::clone(self.batch_layout.as_ref().expect("a batch has a layout"));
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_ROWS));
        let written = match self.kind {
            ImportKind::Companies => self.write_companies(&layout, batch)?,
            ImportKind::Users => self.write_users(&layout, batch)?,
            ImportKind::Orders => self.write_orders(&layout, batch)?,
            ImportKind::Events => self.write_events(&layout, batch)?,
        };
        self.report.imported += written;
        self.write_time += started.elapsed();
        Ok(())
    }

    fn finish(mut self) -> Result<ImportReport, ImportError> {
        if self.mode == ImportMode::AllOrNothing && self.report.error_count > 0 {
            self.report.imported = 0;
            self.report.skipped = self.report.rows;
            self.report.created_references = 0;
            return Err(ImportError::Rejected(Box::new(self.report)));
        }
        self.flush()?;
        let started = std::time::Instant::now();
        for sql in std::mem::take(&mut self.deferred_indexes) {
            Query::new(sql).execute(self.conn)?;
        }
        if self.kind == ImportKind::Orders {
            if let Some(latest) = self.latest_order {
                crate::settings::orders_imported(self.conn, self.workspace_id, latest)?;
            }
            if self.whole_workspace {
                refresh_purchase_aggregates(self.conn, self.workspace_id, None)?;
            } else {
                let touched: Vec<i64> = self.touched_users.iter().copied().collect();
                refresh_purchase_aggregates(self.conn, self.workspace_id, Some(&touched))?;
            }
        }
        tracing::debug!(
            kind = self.kind.key(),
            rows = self.report.rows,
            batches_ms = self.write_time.as_millis() as u64,
            aggregates_ms = started.elapsed().as_millis() as u64,
            "import written"
        );
        if self.kind.has_properties() && !self.properties.is_empty() {
            let entity = if self.kind == ImportKind::Users { "user" } else { "company" };
            let mut q = Query::new("INSERT INTO property_keys (workspace_id, entity, name, value_type) VALUES ");
            for (i, (name, ty)) in self.properties.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.push("(").bind(Param::I64(Some(self.workspace_id))).push(", ");
                q.bind(Param::text(entity)).push(", ").bind(Param::text(name.as_str())).push(", ");
                q.bind(Param::text(*ty)).push(")");
            }
            q.push(" ON CONFLICT DO NOTHING");
            q.execute(self.conn)?;
        }
        self.report.committed = true;
        Ok(self.report)
    }

    /// Ids of the workspace's rows in `table` with these external ids, creating bare rows for
    /// the unknown ones (`created_at` of the new ones from the given time).
    fn ensure_refs(
        &mut self,
        table: &'static str,
        refs: &HashMap<&str, Option<NaiveDateTime>>,
    ) -> Result<HashMap<String, i64>, ImportError> {
        let mut ids: HashMap<String, i64> = HashMap::with_capacity(refs.len());
        let mut unknown: Vec<&str> = Vec::new();
        for key in refs.keys() {
            match self.ids.get(*key) {
                Some(id) => {
                    ids.insert((*key).to_owned(), *id);
                }
                None => unknown.push(key),
            }
        }
        if !unknown.is_empty() && !self.fresh_refs {
            ids.extend(self.lookup_ids(table, unknown.iter().copied())?);
        }
        let missing: Vec<(&str, Option<NaiveDateTime>)> =
            refs.iter().filter(|(k, _)| !ids.contains_key(**k)).map(|(k, v)| (*k, *v)).collect();
        if !missing.is_empty() {
            let mut q =
                Query::new(format!("INSERT INTO {table} (workspace_id, external_id, created_at, updated_at) VALUES "));
            for (i, (ext, created)) in missing.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.push("(").bind(Param::I64(Some(self.workspace_id))).push(", ");
                q.bind(Param::text(*ext)).push(", ").bind(Param::Ts(*created)).push(", ");
                q.bind(Param::Ts(Some(self.now))).push(")");
            }
            q.push(" ON CONFLICT DO NOTHING RETURNING id, external_id");
            let created = q.load::<IdRow>(self.conn)?;
            self.report.created_references += created.len() as u64;
            ids.extend(created.into_iter().map(|r| (r.external_id, r.id)));
            if ids.len() < refs.len() {
                // created meanwhile by someone else: look the rest up
                let rest: Vec<&str> = refs.keys().copied().filter(|k| !ids.contains_key(*k)).collect();
                ids.extend(self.lookup_ids(table, rest.into_iter())?);
            }
        }
        if self.ids.len() + ids.len() > ID_CACHE_LIMIT {
            self.ids.clear();
            self.fresh_refs = false; // a missing id may now be a forgotten one
        }
        self.ids.extend(ids.iter().map(|(k, v)| (k.clone(), *v)));
        Ok(ids)
    }

    fn lookup_ids<'a>(
        &mut self,
        table: &'static str,
        externals: impl Iterator<Item = &'a str>,
    ) -> Result<HashMap<String, i64>, ImportError> {
        let mut out = HashMap::new();
        let externals: Vec<&str> = externals.collect();
        for chunk in externals.chunks(BATCH_ROWS) {
            let mut q = Query::new(format!("SELECT id, external_id FROM {table} WHERE workspace_id = "));
            q.bind(Param::I64(Some(self.workspace_id))).push(" AND external_id IN (");
            push_list(&mut q, chunk.iter().map(|e| Param::text(*e)));
            q.push(")");
            for r in q.load::<IdRow>(self.conn)? {
                out.insert(r.external_id, r.id);
            }
        }
        Ok(out)
    }

    /// `INSERT … ON CONFLICT (workspace_id, <key>) DO UPDATE` of the batch's columns; columns
    /// absent from the file are neither written nor cleared. (Passing the batch as one bound
    /// JSON array instead of thousands of parameters was measured: no faster on SQLite.)
    fn upsert(
        &mut self,
        table: &str,
        key: &str,
        columns: &[(&str, ColumnType)],
        rows: Vec<Vec<Param>>,
        properties: Option<Vec<String>>,
    ) -> Result<u64, ImportError> {
        let has_updated_at = table != "orders";
        let mut all: Vec<(&str, ColumnType)> = columns.to_vec();
        if properties.is_some() {
            all.push(("properties", ColumnType::Text));
        }
        let mut q = Query::new(format!("INSERT INTO {table} (workspace_id, "));
        q.params.reserve(rows.len() * (all.len() + 2));
        q.push(&all.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", "));
        if has_updated_at {
            q.push(", updated_at");
        }
        q.push(") VALUES ");
        let mut properties = properties.map(Vec::into_iter);
        for (i, row) in rows.into_iter().enumerate() {
            if i > 0 {
                q.push(",");
            }
            q.push("(").bind(Param::I64(Some(self.workspace_id)));
            for p in row {
                q.push(",").bind(p);
            }
            if let Some(props) = properties.as_mut() {
                q.push(",").bind(Param::Text(props.next()));
            }
            if has_updated_at {
                q.push(",").bind(Param::Ts(Some(self.now)));
            }
            q.push(")");
        }
        q.push(&format!(" ON CONFLICT (workspace_id, {key}) DO UPDATE SET "));
        let mut sets: Vec<String> =
            columns.iter().filter(|(c, _)| *c != key).map(|(c, _)| format!("{c} = excluded.{c}")).collect();
        if properties.is_some() {
            let merged = self.dialect.json_merge(&format!("{table}.properties"), "excluded.properties");
            sets.push(format!("properties = {merged}"));
        }
        if has_updated_at {
            sets.push("updated_at = excluded.updated_at".into());
        }
        q.push(&sets.join(", "));
        Ok(q.execute_cached(self.conn)? as u64)
    }

    fn write_companies(&mut self, layout: &Layout, batch: Vec<ParsedRow>) -> Result<u64, ImportError> {
        let columns: Vec<(&str, ColumnType)> = layout.columns.iter().map(|(_, c)| (c.name, c.ty)).collect();
        let batch = dedupe(batch, layout, "external_id");
        let props = properties_of(layout, &batch);
        let rows = batch
            .into_iter()
            .map(|row| row.cells.into_iter().zip(&layout.columns).map(|(c, (_, s))| param(c, s.ty)).collect())
            .collect();
        self.upsert("companies", "external_id", &columns, rows, props)
    }

    fn write_users(&mut self, layout: &Layout, batch: Vec<ParsedRow>) -> Result<u64, ImportError> {
        let batch = dedupe(batch, layout, "external_id");
        let company_ids = if layout.has("company_id") {
            let refs: HashMap<&str, Option<NaiveDateTime>> =
                batch.iter().filter_map(|p| p.text(layout, "company_id")).map(|c| (c, None)).collect();
            self.ensure_refs("companies", &refs)? // in a users import the cache holds companies
        } else {
            HashMap::new()
        };
        let columns: Vec<(&str, ColumnType)> = layout
            .columns
            .iter()
            .map(|(_, c)| (c.name, if c.name == "company_id" { ColumnType::Integer } else { c.ty }))
            .collect();
        let props = properties_of(layout, &batch);
        let rows = batch
            .into_iter()
            .map(|row| {
                row.cells
                    .into_iter()
                    .zip(&layout.columns)
                    .map(|(cell, (_, spec))| match (spec.name, cell) {
                        ("company_id", Cell::Text(ext)) => Param::I64(company_ids.get(&ext).copied()),
                        ("company_id", _) => Param::I64(None),
                        (_, cell) => param(cell, spec.ty),
                    })
                    .collect()
            })
            .collect();
        self.upsert("users", "external_id", &columns, rows, props)
    }

    fn write_orders(&mut self, layout: &Layout, batch: Vec<ParsedRow>) -> Result<u64, ImportError> {
        let batch = dedupe(batch, layout, "order_id");
        let customer = layout.index_of("customer_id").expect("required column");
        let user_ids = {
            let mut refs: HashMap<&str, Option<NaiveDateTime>> = HashMap::new();
            for p in &batch {
                let (Some(customer), Some(at)) = (p.text(layout, "customer_id"), p.timestamp(layout, "ordered_at"))
                else {
                    continue;
                };
                let first = refs.entry(customer).or_insert(Some(at));
                *first = (*first).min(Some(at));
                self.latest_order = self.latest_order.max(Some(at));
            }
            self.ensure_refs("users", &refs)?
        };
        self.touched_users.extend(user_ids.values().copied());
        self.whole_workspace |= self.touched_users.len() > WHOLE_WORKSPACE_THRESHOLD;
        if !self.whole_workspace && !self.fresh_orders {
            // Users of orders that this batch re-assigns need their aggregates refreshed too.
            let mut previous = Query::new("SELECT user_id AS n FROM orders WHERE workspace_id = ");
            previous.bind(Param::I64(Some(self.workspace_id))).push(" AND order_id IN (");
            push_list(&mut previous, batch.iter().filter_map(|p| p.text(layout, "order_id")).map(Param::text));
            previous.push(")");
            self.touched_users.extend(previous.load::<Count>(self.conn)?.into_iter().map(|c| c.n));
        }

        let mut columns = vec![("user_id", ColumnType::Integer)];
        columns.extend(layout.columns.iter().filter(|(_, c)| c.name != "customer_id").map(|(_, c)| (c.name, c.ty)));
        let rows = batch
            .into_iter()
            .map(|row| {
                let mut params = Vec::with_capacity(layout.columns.len());
                let user = match &row.cells[customer] {
                    Cell::Text(c) => user_ids.get(c).copied(),
                    _ => None,
                };
                params.push(Param::I64(user));
                params.extend(
                    row.cells
                        .into_iter()
                        .zip(&layout.columns)
                        .filter(|(_, (_, s))| s.name != "customer_id")
                        .map(|(cell, (_, s))| param(cell, s.ty)),
                );
                params
            })
            .collect();
        self.upsert("orders", "order_id", &columns, rows, None)
    }

    fn write_events(&mut self, layout: &Layout, batch: Vec<ParsedRow>) -> Result<u64, ImportError> {
        let mut refs: HashMap<&str, Option<NaiveDateTime>> = HashMap::new();
        for p in &batch {
            let (Some(customer), Some(at)) = (p.text(layout, "customer_id"), p.timestamp(layout, "occurred_at")) else {
                continue;
            };
            let first = refs.entry(customer).or_insert(Some(at));
            *first = (*first).min(Some(at));
        }
        let user_ids = self.ensure_refs("users", &refs)?;
        let mut q = Query::new("INSERT INTO events (workspace_id, user_id, name, occurred_at) VALUES ");
        let mut latest: HashMap<i64, NaiveDateTime> = HashMap::new();
        for (i, p) in batch.iter().enumerate() {
            let user = user_ids[p.text(layout, "customer_id").unwrap_or_default()];
            let at = p.timestamp(layout, "occurred_at").expect("required column");
            let seen = latest.entry(user).or_insert(at);
            *seen = (*seen).max(at);
            if i > 0 {
                q.push(", ");
            }
            q.push("(").bind(Param::I64(Some(self.workspace_id))).push(", ").bind(Param::I64(Some(user)));
            q.push(", ").bind(Param::text(p.text(layout, "name").unwrap_or_default()));
            q.push(", ").bind(Param::Ts(Some(at))).push(")");
        }
        q.push(" ON CONFLICT DO NOTHING");
        let written = q.execute_cached(self.conn)? as u64;
        // last_seen_at = the latest of what is stored and the new events.
        let mut update = Query::new("UPDATE users SET last_seen_at = v.column2 FROM (VALUES ");
        for (i, (user, at)) in latest.iter().enumerate() {
            if i > 0 {
                update.push(", ");
            }
            update.push("(").bind(Param::I64(Some(*user))).push(", ").bind(Param::Ts(Some(*at))).push(")");
        }
        update.push(
            ") AS v WHERE users.id = v.column1 AND (users.last_seen_at IS NULL OR users.last_seen_at < v.column2)",
        );
        update.execute(self.conn)?;
        Ok(written)
    }
}

#[derive(QueryableByName)]
pub(super) struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    external_id: String,
}

/// The custom-property JSON of each row, when the file has property columns.
pub(super) fn properties_of(layout: &Layout, batch: &[ParsedRow]) -> Option<Vec<String>> {
    (!layout.properties.is_empty())
        .then(|| batch.iter().map(|p| serde_json::Value::Object(p.properties.clone()).to_string()).collect())
}

/// Keeps the last row of each key within one batch (one statement may not upsert a row twice).
pub(super) fn dedupe(batch: Vec<ParsedRow>, layout: &Layout, key: &str) -> Vec<ParsedRow> {
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(batch.len());
    for (i, p) in batch.iter().enumerate() {
        if let Some(k) = p.text(layout, key) {
            last.insert(k, i);
        }
    }
    if last.len() == batch.len() {
        return batch;
    }
    let keep: HashSet<usize> = last.into_values().collect();
    batch.into_iter().enumerate().filter(|(i, _)| keep.contains(i)).map(|(_, p)| p).collect()
}

pub(super) fn param(cell: Cell, ty: ColumnType) -> Param {
    match (cell, ty) {
        (Cell::Text(s), _) => Param::Text(Some(s)),
        (Cell::Timestamp(t), _) => Param::Ts(Some(t)),
        (Cell::Money(m), _) | (Cell::Integer(m), _) => Param::I64(Some(m)),
        (Cell::Boolean(b), _) => Param::Bool(Some(b)),
        (Cell::Null, ColumnType::Text) => Param::Text(None),
        (Cell::Null, ColumnType::Timestamp) => Param::Ts(None),
        (Cell::Null, ColumnType::Money | ColumnType::Integer) => Param::I64(None),
        (Cell::Null, ColumnType::Boolean) => Param::Bool(None),
    }
}
