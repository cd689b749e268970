//! The streaming importer (DESIGN section 7): CSV or a JSON array in, rows upserted in bounded
//! batches inside one transaction. All-or-nothing by default (every bad row is reported and
//! nothing is kept); `SkipInvalid` keeps the good rows. Orders and events that name an unknown
//! user create a bare one; users that name an unknown company create a bare one. Purchase
//! aggregates of every touched user are recomputed before the transaction commits.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use chrono::NaiveDateTime;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use domain::import::{Cell, ColumnType, ImportKind, Layout, ParsedRow, parse_row, property_type};
use serde::{Deserialize, Serialize};

use crate::sql::{Count, Dialect, Param, Query};
use crate::{Db, DbConn, Error};

/// Rows per statement; kept under SQLite's 32766 bound parameters.
const BATCH_ROWS: usize = 1000;
/// Row errors listed in a report; the count covers all of them.
pub const MAX_LISTED_ERRORS: usize = 1000;
/// Above this many touched users aggregates are recomputed for the whole workspace at once.
const WHOLE_WORKSPACE_THRESHOLD: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    AllOrNothing,
    SkipInvalid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// One bad row: its 1-based number among the data rows (the header is not counted), the
/// column when one cell is at fault, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub row: u64,
    pub column: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub rows: u64,
    /// Rows written (inserted or updated) — 0 when an all-or-nothing import was rejected.
    pub imported: u64,
    pub skipped: u64,
    /// Bare users (or companies, for a users import) created for unknown references.
    pub created_references: u64,
    pub committed: bool,
    pub error_count: u64,
    pub errors: Vec<RowError>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Db(#[from] Error),
    /// The header does not fit the kind (missing required columns, duplicates).
    #[error("{0}")]
    Header(String),
    /// The body is not well-formed CSV/JSON at all.
    #[error("row {row}: {message}")]
    Syntax { row: u64, message: String },
    /// Reading the body failed (e.g. the body-size limit was hit).
    #[error("reading the body: {0}")]
    Io(std::io::Error),
    #[error("rejected")]
    Rejected(Box<ImportReport>),
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Db(Error::Query(e))
    }
}

/// Imports `body` into `workspace_id`. An all-or-nothing import with bad rows returns a report
/// with `committed: false` and the errors; nothing is written.
pub fn run(
    db: &Db,
    workspace_id: i64,
    kind: ImportKind,
    mode: Mode,
    format: Format,
    body: impl Read,
) -> Result<ImportReport, ImportError> {
    let result = db.write_with(|conn| {
        let mut importer = Importer::new(conn, workspace_id, kind, mode);
        match format {
            Format::Csv => read_csv(body, &mut importer)?,
            Format::Json => read_json(body, &mut importer)?,
        }
        importer.finish()
    });
    match result {
        Err(ImportError::Rejected(report)) => Ok(*report),
        other => other,
    }
}

/// Feeds the importer from CSV, one record at a time (the reader buffers only a block).
fn read_csv(body: impl Read, importer: &mut Importer<'_>) -> Result<(), ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(body);
    let header = reader.byte_headers().map_err(csv_error)?.clone();
    let names: Vec<&str> = header
        .iter()
        .map(|f| std::str::from_utf8(f).map_err(|_| ImportError::Header("the header is not UTF-8".into())))
        .collect::<Result<_, _>>()?;
    if names.iter().all(|n| n.trim().is_empty()) {
        return Err(ImportError::Header("the file is empty or has no header row".into()));
    }
    let layout = Layout::new(importer.kind, &names).map_err(ImportError::Header)?;
    let mut record = csv::ByteRecord::new();
    let mut row = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(e)),
        }
        row += 1;
        if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty()) {
            continue; // a blank line
        }
        if record.len() != names.len() {
            importer.reject(row, None, format!("has {} fields, the header has {}", record.len(), names.len()));
            continue;
        }
        let mut fields: Vec<&str> = Vec::with_capacity(names.len());
        let mut utf8 = true;
        for f in record.iter() {
            match std::str::from_utf8(f) {
                Ok(s) => fields.push(s),
                Err(_) => {
                    utf8 = false;
                    break;
                }
            }
        }
        if !utf8 {
            importer.reject(row, None, "is not valid UTF-8".into());
            continue;
        }
        importer.push(row, &layout, &fields)?;
    }
    Ok(())
}

fn csv_error(e: csv::Error) -> ImportError {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => ImportError::Io(io),
        other => {
            let row = match &other {
                csv::ErrorKind::Utf8 { pos, .. } | csv::ErrorKind::UnequalLengths { pos, .. } => {
                    pos.as_ref().map_or(0, |p| p.record().saturating_sub(0))
                }
                _ => 0,
            };
            ImportError::Syntax { row, message: format!("{other:?}") }
        }
    }
}

/// Feeds the importer from a JSON array of objects, streaming element by element. Keys absent
/// from an object leave the stored value untouched, like a column absent from a CSV file.
fn read_json(body: impl Read, importer: &mut Importer<'_>) -> Result<(), ImportError> {
    use serde::de::{Deserializer as _, SeqAccess, Visitor};

    struct Rows<'a, 'b> {
        importer: &'a mut Importer<'b>,
        failure: &'a mut Option<ImportError>,
    }

    impl<'de> Visitor<'de> for Rows<'_, '_> {
        type Value = ();

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON array of objects")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut row = 0u64;
            let mut layout: Option<(Vec<String>, Layout)> = None;
            while let Some(value) = seq.next_element::<serde_json::Value>()? {
                row += 1;
                let serde_json::Value::Object(object) = value else {
                    self.importer.reject(row, None, "is not a JSON object".into());
                    continue;
                };
                let keys: Vec<String> = object.keys().cloned().collect();
                if layout.as_ref().is_none_or(|(k, _)| *k != keys) {
                    let names: Vec<&str> = keys.iter().map(String::as_str).collect();
                    match Layout::new(self.importer.kind, &names) {
                        Ok(l) => layout = Some((keys.clone(), l)),
                        Err(message) => {
                            self.importer.reject(row, None, message);
                            continue;
                        }
                    }
                }
                let texts: Vec<String> = object.values().map(json_cell).collect();
                let fields: Vec<&str> = texts.iter().map(String::as_str).collect();
                let (_, l) = layout.as_ref().expect("layout set above");
                if let Err(e) = self.importer.push(row, l, &fields) {
                    *self.failure = Some(e);
                    return Err(serde::de::Error::custom("import aborted"));
                }
            }
            Ok(())
        }
    }

    let mut failure = None;
    let mut de = serde_json::Deserializer::from_reader(body);
    let outcome = de.deserialize_seq(Rows { importer, failure: &mut failure });
    if let Some(e) = failure {
        return Err(e);
    }
    match outcome.and_then(|()| de.end()) {
        Ok(()) => Ok(()),
        Err(e) if e.is_io() => Err(ImportError::Io(e.into())),
        Err(e) => Err(ImportError::Syntax { row: 0, message: format!("invalid JSON: {e}") }),
    }
}

fn json_cell(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A row that parsed, waiting in the batch.
struct Pending {
    row: ParsedRow,
}

struct Importer<'c> {
    conn: &'c mut DbConn,
    dialect: Dialect,
    workspace_id: i64,
    kind: ImportKind,
    mode: Mode,
    report: ImportReport,
    batch: Vec<Pending>,
    batch_layout: Option<Layout>,
    touched_users: HashSet<i64>,
    properties: HashMap<String, &'static str>,
    now: NaiveDateTime,
}

impl<'c> Importer<'c> {
    fn new(conn: &'c mut DbConn, workspace_id: i64, kind: ImportKind, mode: Mode) -> Self {
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
            properties: HashMap::new(),
            now: crate::now(),
        }
    }

    fn reject(&mut self, row: u64, column: Option<String>, message: String) {
        self.report.rows = self.report.rows.max(row);
        self.report.error_count += 1;
        self.report.skipped += 1;
        if self.report.errors.len() < MAX_LISTED_ERRORS {
            self.report.errors.push(RowError { row, column, message });
        }
    }

    fn push(&mut self, row: u64, layout: &Layout, fields: &[&str]) -> Result<(), ImportError> {
        self.report.rows = self.report.rows.max(row);
        let parsed = match parse_row(layout, fields) {
            Ok(parsed) => parsed,
            Err(errors) => {
                self.report.skipped += 1;
                self.report.error_count += errors.len() as u64;
                for e in errors {
                    if self.report.errors.len() < MAX_LISTED_ERRORS {
                        self.report.errors.push(RowError { row, column: e.column, message: e.message });
                    }
                }
                return Ok(());
            }
        };
        if self.mode == Mode::AllOrNothing && self.report.error_count > 0 {
            return Ok(()); // keep validating, stop writing: the import will be rejected
        }
        for (key, value) in &parsed.properties {
            if let Some(ty) = property_type(value) {
                self.properties.entry(key.clone()).or_insert(ty);
            }
        }
        let same_layout = self
            .batch_layout
            .as_ref()
            .is_some_and(|l| l.columns == layout.columns && l.properties == layout.properties);
        if !same_layout {
            self.flush()?;
            self.batch_layout = Some(layout.clone());
        }
        self.batch.push(Pending { row: parsed });
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
        let layout = self.batch_layout.clone().expect("a batch has a layout");
        let batch = std::mem::take(&mut self.batch);
        let written = match self.kind {
            ImportKind::Companies => self.write_companies(&layout, &batch)?,
            ImportKind::Users => self.write_users(&layout, &batch)?,
            ImportKind::Orders => self.write_orders(&layout, &batch)?,
            ImportKind::Events => self.write_events(&layout, &batch)?,
        };
        self.report.imported += written;
        self.batch = batch;
        self.batch.clear();
        Ok(())
    }

    fn finish(mut self) -> Result<ImportReport, ImportError> {
        if self.mode == Mode::AllOrNothing && self.report.error_count > 0 {
            self.report.imported = 0;
            self.report.skipped = self.report.rows;
            self.report.created_references = 0;
            return Err(ImportError::Rejected(Box::new(self.report)));
        }
        self.flush()?;
        if self.kind == ImportKind::Orders {
            let touched: Vec<i64> = self.touched_users.iter().copied().collect();
            refresh_purchase_aggregates(self.conn, self.workspace_id, &touched)?;
        }
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
    /// the unknown ones (`created_at` for the new ones from `first_seen`).
    fn ensure_refs(
        &mut self,
        table: &'static str,
        refs: &HashMap<&str, Option<NaiveDateTime>>,
    ) -> Result<HashMap<String, i64>, ImportError> {
        let mut ids = self.lookup_ids(table, refs.keys().copied())?;
        let missing: Vec<(&str, Option<NaiveDateTime>)> =
            refs.iter().filter(|(k, _)| !ids.contains_key(**k)).map(|(k, v)| (*k, *v)).collect();
        if !missing.is_empty() {
            let mut q = Query::new(format!(
                "INSERT INTO {table} (workspace_id, external_id, created_at, updated_at) VALUES "
            ));
            for (i, (ext, created)) in missing.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.push("(").bind(Param::I64(Some(self.workspace_id))).push(", ");
                q.bind(Param::text(*ext)).push(", ").bind(Param::Ts(*created)).push(", ");
                q.bind(Param::Ts(Some(self.now))).push(")");
            }
            q.push(" ON CONFLICT DO NOTHING");
            self.report.created_references += q.execute(self.conn)? as u64;
            ids.extend(self.lookup_ids(table, missing.iter().map(|(k, _)| *k))?);
        }
        Ok(ids)
    }

    fn lookup_ids<'a>(
        &mut self,
        table: &'static str,
        externals: impl Iterator<Item = &'a str>,
    ) -> Result<HashMap<String, i64>, ImportError> {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = BigInt)]
            id: i64,
            #[diesel(sql_type = Text)]
            external_id: String,
        }
        let mut out = HashMap::new();
        let externals: Vec<&str> = externals.collect();
        for chunk in externals.chunks(BATCH_ROWS) {
            let mut q = Query::new(format!("SELECT id, external_id FROM {table} WHERE workspace_id = "));
            q.bind(Param::I64(Some(self.workspace_id))).push(" AND external_id IN (");
            push_list(&mut q, chunk.iter().map(|e| Param::text(*e)));
            q.push(")");
            for r in q.load::<Row>(self.conn)? {
                out.insert(r.external_id, r.id);
            }
        }
        Ok(out)
    }

    /// `INSERT … ON CONFLICT (workspace_id, <key>) DO UPDATE` of the batch's columns.
    fn upsert(
        &mut self,
        table: &str,
        key: &str,
        columns: &[String],
        rows: Vec<Vec<Param>>,
        properties: Option<Vec<String>>,
    ) -> Result<u64, ImportError> {
        let mut q = Query::new(format!("INSERT INTO {table} (workspace_id, "));
        q.push(&columns.join(", "));
        if properties.is_some() {
            q.push(", properties");
        }
        let has_updated_at = table != "orders";
        if has_updated_at {
            q.push(", updated_at");
        }
        q.push(") VALUES ");
        for (i, row) in rows.into_iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push("(").bind(Param::I64(Some(self.workspace_id)));
            for p in row {
                q.push(", ").bind(p);
            }
            if let Some(props) = &properties {
                q.push(", ").bind(Param::text(props[i].as_str()));
            }
            if has_updated_at {
                q.push(", ").bind(Param::Ts(Some(self.now)));
            }
            q.push(")");
        }
        q.push(&format!(" ON CONFLICT (workspace_id, {key}) DO UPDATE SET "));
        let mut sets: Vec<String> =
            columns.iter().filter(|c| *c != key).map(|c| format!("{c} = excluded.{c}")).collect();
        if properties.is_some() {
            let merged = self.dialect.json_merge(&format!("{table}.properties"), "excluded.properties");
            sets.push(format!("properties = {merged}"));
        }
        if has_updated_at {
            sets.push("updated_at = excluded.updated_at".into());
        }
        q.push(&sets.join(", "));
        Ok(q.execute(self.conn)? as u64)
    }

    fn write_companies(&mut self, layout: &Layout, batch: &[Pending]) -> Result<u64, ImportError> {
        let columns: Vec<String> = layout.columns.iter().map(|(_, c)| c.name.to_owned()).collect();
        let batch = dedupe(batch, layout, "external_id");
        let rows = batch.iter().map(|p| p.row.cells.iter().zip(&layout.columns).map(|(c, (_, s))| param(c, s.ty)).collect()).collect();
        let props = (!layout.properties.is_empty()).then(|| {
            batch.iter().map(|p| serde_json::Value::Object(p.row.properties.clone()).to_string()).collect()
        });
        self.upsert("companies", "external_id", &columns, rows, props)
    }

    fn write_users(&mut self, layout: &Layout, batch: &[Pending]) -> Result<u64, ImportError> {
        let batch = dedupe(batch, layout, "external_id");
        let company_ids = if layout.has("company_id") {
            let refs: HashMap<&str, Option<NaiveDateTime>> =
                batch.iter().filter_map(|p| p.row.text(layout, "company_id")).map(|c| (c, None)).collect();
            self.ensure_refs("companies", &refs)?
        } else {
            HashMap::new()
        };
        let columns: Vec<String> = layout.columns.iter().map(|(_, c)| c.name.to_owned()).collect();
        let rows = batch
            .iter()
            .map(|p| {
                p.row
                    .cells
                    .iter()
                    .zip(&layout.columns)
                    .map(|(cell, (_, spec))| match (spec.name, cell) {
                        ("company_id", Cell::Text(ext)) => Param::I64(company_ids.get(ext).copied()),
                        ("company_id", _) => Param::I64(None),
                        _ => param(cell, spec.ty),
                    })
                    .collect()
            })
            .collect();
        let props = (!layout.properties.is_empty()).then(|| {
            batch.iter().map(|p| serde_json::Value::Object(p.row.properties.clone()).to_string()).collect()
        });
        self.upsert("users", "external_id", &columns, rows, props)
    }

    fn write_orders(&mut self, layout: &Layout, batch: &[Pending]) -> Result<u64, ImportError> {
        let batch = dedupe(batch, layout, "order_id");
        let mut refs: HashMap<&str, Option<NaiveDateTime>> = HashMap::new();
        for p in &batch {
            let (Some(customer), Some(at)) = (p.row.text(layout, "customer_id"), p.row.timestamp(layout, "ordered_at")) else {
                continue;
            };
            let first = refs.entry(customer).or_insert(Some(at));
            *first = (*first).min(Some(at));
        }
        let user_ids = self.ensure_refs("users", &refs)?;
        // Users of orders that this batch re-assigns need their aggregates refreshed too.
        let mut previous = Query::new("SELECT user_id AS n FROM orders WHERE workspace_id = ");
        previous.bind(Param::I64(Some(self.workspace_id))).push(" AND order_id IN (");
        push_list(&mut previous, batch.iter().filter_map(|p| p.row.text(layout, "order_id")).map(Param::text));
        previous.push(")");
        self.touched_users.extend(previous.load::<Count>(self.conn)?.into_iter().map(|c| c.n));
        self.touched_users.extend(user_ids.values().copied());

        let mut columns = vec!["user_id".to_owned()];
        columns.extend(layout.columns.iter().filter(|(_, c)| c.name != "customer_id").map(|(_, c)| c.name.to_owned()));
        let rows = batch
            .iter()
            .map(|p| {
                let customer = p.row.text(layout, "customer_id").unwrap_or_default();
                let mut row = vec![Param::I64(user_ids.get(customer).copied())];
                row.extend(
                    p.row
                        .cells
                        .iter()
                        .zip(&layout.columns)
                        .filter(|(_, (_, s))| s.name != "customer_id")
                        .map(|(cell, (_, s))| param(cell, s.ty)),
                );
                row
            })
            .collect();
        self.upsert("orders", "order_id", &columns, rows, None)
    }

    fn write_events(&mut self, layout: &Layout, batch: &[Pending]) -> Result<u64, ImportError> {
        let mut refs: HashMap<&str, Option<NaiveDateTime>> = HashMap::new();
        for p in batch {
            let (Some(customer), Some(at)) = (p.row.text(layout, "customer_id"), p.row.timestamp(layout, "occurred_at")) else {
                continue;
            };
            let first = refs.entry(customer).or_insert(Some(at));
            *first = (*first).min(Some(at));
        }
        let user_ids = self.ensure_refs("users", &refs)?;
        let mut q = Query::new("INSERT INTO events (workspace_id, user_id, name, occurred_at) VALUES ");
        let mut latest: HashMap<i64, NaiveDateTime> = HashMap::new();
        for (i, p) in batch.iter().enumerate() {
            let user = user_ids[p.row.text(layout, "customer_id").unwrap_or_default()];
            let at = p.row.timestamp(layout, "occurred_at").expect("required column");
            let seen = latest.entry(user).or_insert(at);
            *seen = (*seen).max(at);
            if i > 0 {
                q.push(", ");
            }
            q.push("(").bind(Param::I64(Some(self.workspace_id))).push(", ").bind(Param::I64(Some(user)));
            q.push(", ").bind(Param::text(p.row.text(layout, "name").unwrap_or_default()));
            q.push(", ").bind(Param::Ts(Some(at))).push(")");
        }
        q.push(" ON CONFLICT DO NOTHING");
        let written = q.execute(self.conn)? as u64;
        // last_seen_at = the latest of what is stored and the new events.
        let mut update = Query::new("UPDATE users SET last_seen_at = v.column2 FROM (VALUES ");
        for (i, (user, at)) in latest.iter().enumerate() {
            if i > 0 {
                update.push(", ");
            }
            update.push("(").bind(Param::I64(Some(*user))).push(", ").bind(Param::Ts(Some(*at))).push(")");
        }
        update.push(") AS v WHERE users.id = v.column1 AND (users.last_seen_at IS NULL OR users.last_seen_at < v.column2)");
        update.execute(self.conn)?;
        Ok(written)
    }
}

/// Keeps the last row of each key within one batch (one statement may not upsert a row twice).
fn dedupe<'a>(batch: &'a [Pending], layout: &Layout, key: &str) -> Vec<&'a Pending> {
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(batch.len());
    for (i, p) in batch.iter().enumerate() {
        if let Some(k) = p.row.text(layout, key) {
            last.insert(k, i);
        }
    }
    batch.iter().enumerate().filter(|(i, p)| p.row.text(layout, key).is_some_and(|k| last[k] == *i)).map(|(_, p)| p).collect()
}

fn param(cell: &Cell, ty: ColumnType) -> Param {
    match (cell, ty) {
        (Cell::Text(s), _) => Param::text(s.as_str()),
        (Cell::Timestamp(t), _) => Param::Ts(Some(*t)),
        (Cell::Money(m), _) | (Cell::Integer(m), _) => Param::I64(Some(*m)),
        (Cell::Boolean(b), _) => Param::Bool(Some(*b)),
        (Cell::Null, ColumnType::Text) => Param::Text(None),
        (Cell::Null, ColumnType::Timestamp) => Param::Ts(None),
        (Cell::Null, ColumnType::Money | ColumnType::Integer) => Param::I64(None),
        (Cell::Null, ColumnType::Boolean) => Param::Bool(None),
    }
}

pub(crate) fn push_list(q: &mut Query, params: impl Iterator<Item = Param>) {
    let mut any = false;
    for (i, p) in params.enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(p);
        any = true;
    }
    if !any {
        q.push("NULL");
    }
}

/// Recomputes first/last purchase, purchases and revenue of these users from their orders
/// (or of every user of the workspace when there are many).
pub fn refresh_purchase_aggregates(conn: &mut DbConn, workspace_id: i64, users: &[i64]) -> Result<(), Error> {
    const AGGREGATE: &str = "SELECT user_id, \
        MIN(CASE WHEN amount > 0 THEN ordered_at END) AS f, \
        MAX(CASE WHEN amount > 0 THEN ordered_at END) AS l, \
        CAST(SUM(CASE WHEN amount > 0 THEN 1 ELSE 0 END) AS BIGINT) AS p, \
        CAST(SUM(amount) AS BIGINT) AS r FROM orders WHERE ";
    let apply = |conn: &mut DbConn, filter: Query, reset: Query| -> Result<(), Error> {
        reset.execute(conn)?;
        let mut q = Query::new(
            "UPDATE users SET first_purchase_at = a.f, last_purchase_at = a.l, purchases = a.p, revenue = a.r FROM (",
        );
        q.push(AGGREGATE).append(filter).push(" GROUP BY user_id) AS a WHERE users.id = a.user_id");
        q.execute(conn)?;
        Ok(())
    };
    let reset_sql = "UPDATE users SET first_purchase_at = NULL, last_purchase_at = NULL, purchases = 0, revenue = 0 WHERE ";
    if users.len() > WHOLE_WORKSPACE_THRESHOLD {
        let mut filter = Query::new("workspace_id = ");
        filter.bind(Param::I64(Some(workspace_id)));
        let mut reset = Query::new(reset_sql);
        reset.push("workspace_id = ").bind(Param::I64(Some(workspace_id)));
        return apply(conn, filter, reset);
    }
    for chunk in users.chunks(BATCH_ROWS) {
        let mut filter = Query::new("user_id IN (");
        push_list(&mut filter, chunk.iter().map(|u| Param::I64(Some(*u))));
        filter.push(")");
        let mut reset = Query::new(reset_sql);
        reset.push("id IN (");
        push_list(&mut reset, chunk.iter().map(|u| Param::I64(Some(*u))));
        reset.push(")");
        apply(conn, filter, reset)?;
    }
    Ok(())
}
