//! Dynamic SQL with bound parameters, for the statements diesel's DSL cannot express
//! portably (condition trees, bulk upserts with a file's column set, metrics). Values are
//! always bound, never spliced into the text. Placeholders are written `?` and renumbered to
//! `$n` for PostgreSQL; the few spots where the dialects differ ask [`Dialect`].

use std::marker::PhantomData;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::pg::{Pg, PgConnection, PgValue};
use diesel::query_builder::BoxedSqlQuery;
use diesel::query_dsl::RunQueryDsl;
use diesel::query_dsl::methods::LoadQuery;
use diesel::sql_types::{BigInt, Bool, Double, Nullable, Text, Timestamp};
use diesel::sqlite::{Sqlite, SqliteConnection, SqliteType, SqliteValue};
use diesel::{QueryResult, QueryableByName, sql_query};

use crate::DbConn;

mod dialect;
pub use dialect::*;

/// A bound value with its SQL type (PostgreSQL needs the type even of a NULL).
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    I64(Option<i64>),
    F64(Option<f64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Ts(Option<NaiveDateTime>),
}

impl Param {
    pub fn text(s: impl Into<String>) -> Param {
        Param::Text(Some(s.into()))
    }
}

/// SQL text with `?` placeholders and their values in order.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub sql: String,
    pub params: Vec<Param>,
}

impl Query {
    pub fn new(sql: impl Into<String>) -> Query {
        Query { sql: sql.into(), params: Vec::new() }
    }

    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Adds a value and returns its placeholder, to be written where it belongs.
    pub fn param(&mut self, p: Param) -> &'static str {
        self.params.push(p);
        "?"
    }

    /// Appends a placeholder bound to `p`.
    pub fn bind(&mut self, p: Param) -> &mut Self {
        self.params.push(p);
        self.sql.push('?');
        self
    }

    /// Appends another query's text and parameters.
    pub fn append(&mut self, other: Query) -> &mut Self {
        self.sql.push_str(&other.sql);
        self.params.extend(other.params);
        self
    }

    fn text_for(&self, dialect: Dialect) -> String {
        match dialect {
            Dialect::Sqlite => self.sql.clone(), // diesel owns the text it prepares
            Dialect::Postgres => {
                let mut out = String::with_capacity(self.sql.len() + 16);
                for (n, piece) in self.pieces().into_iter().enumerate() {
                    if n > 0 {
                        out.push('$');
                        out.push_str(&n.to_string());
                    }
                    out.push_str(piece);
                }
                out
            }
        }
    }

    /// The text around the `?` placeholders: a `?` inside a quoted SQL string is text.
    fn pieces(&self) -> Vec<&str> {
        let mut pieces = Vec::new();
        let (mut start, mut in_string) = (0, false);
        for (i, byte) in self.sql.bytes().enumerate() {
            match byte {
                b'\'' => in_string = !in_string,
                b'?' if !in_string => {
                    pieces.push(&self.sql[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        pieces.push(&self.sql[start..]);
        pieces
    }

    /// Runs a statement; returns the number of affected rows.
    pub fn execute(&self, conn: &mut DbConn) -> QueryResult<usize> {
        match conn {
            DbConn::Sqlite(c) => bind_sqlite(self).execute(c),
            DbConn::Pg(c) => bind_pg(self).execute(c),
        }
    }

    /// Runs a statement through the connection's prepared-statement cache (keyed by its text):
    /// for statements repeated many times with the same shape, such as import batches. Not
    /// for one-off texts (the cache keeps every distinct text for the connection's life).
    pub fn execute_cached(&self, conn: &mut DbConn) -> QueryResult<usize> {
        self.prepared(conn, true, |p, c| p.execute(c), |p, c| p.execute(c))
    }

    /// Loads rows into `T` (a `#[derive(QueryableByName)]` struct).
    pub fn load<T>(&self, conn: &mut DbConn) -> QueryResult<Vec<T>>
    where
        T: QueryableByName<Sqlite> + QueryableByName<Pg> + 'static,
    {
        match conn {
            DbConn::Sqlite(c) => bind_sqlite(self).load(c),
            DbConn::Pg(c) => bind_pg(self).load(c),
        }
    }

    /// [`Query::load`] through the connection's prepared-statement cache, for queries of a
    /// few fixed shapes asked again and again (the same caveat as [`Query::execute_cached`]).
    pub fn load_cached<T>(&self, conn: &mut DbConn) -> QueryResult<Vec<T>>
    where
        T: QueryableByName<Sqlite> + QueryableByName<Pg> + 'static,
    {
        self.prepared(conn, true, |p, c| p.load(c), |p, c| p.load(c))
    }

    /// [`Query::load_cached`] for rows whose columns have the SQL types `ST` in order: they
    /// decode by position (into a `Queryable` type) instead of by name.
    pub fn load_typed<ST, T>(&self, conn: &mut DbConn) -> QueryResult<Vec<T>>
    where
        ST: 'static,
        for<'a> Typed<'a, ST>: LoadQuery<'a, SqliteConnection, T> + LoadQuery<'a, PgConnection, T>,
    {
        self.typed(conn, true)
    }

    /// [`Query::load_typed`] for a text of many shapes (a condition tree's): not kept in the
    /// connection's prepared-statement cache.
    pub fn load_typed_once<ST, T>(&self, conn: &mut DbConn) -> QueryResult<Vec<T>>
    where
        ST: 'static,
        for<'a> Typed<'a, ST>: LoadQuery<'a, SqliteConnection, T> + LoadQuery<'a, PgConnection, T>,
    {
        self.typed(conn, false)
    }

    fn typed<ST, T>(&self, conn: &mut DbConn, keep: bool) -> QueryResult<Vec<T>>
    where
        ST: 'static,
        for<'a> Typed<'a, ST>: LoadQuery<'a, SqliteConnection, T> + LoadQuery<'a, PgConnection, T>,
    {
        self.prepared(
            conn,
            keep,
            |prepared, c| Typed { prepared, st: PhantomData }.load(c),
            |prepared, c| Typed { prepared, st: PhantomData }.load(c),
        )
    }

    /// Runs `sqlite` or `pg` (by backend) with this query as a [`Prepared`] one, kept in the
    /// connection's prepared-statement cache or not.
    fn prepared<R>(
        &self,
        conn: &mut DbConn,
        keep: bool,
        sqlite: impl for<'a> FnOnce(Prepared<'a>, &mut SqliteConnection) -> R,
        pg: impl for<'a> FnOnce(Prepared<'a>, &mut PgConnection) -> R,
    ) -> R {
        let pieces = self.pieces();
        let prepared = Prepared { pieces: &pieces, params: &self.params, timestamps: None, keep };
        match conn {
            DbConn::Sqlite(c) => {
                let timestamps = self.sqlite_timestamps();
                sqlite(Prepared { timestamps: Some(&timestamps), ..prepared }, c)
            }
            DbConn::Pg(c) => pg(prepared, c),
        }
    }

    /// The `Ts` params in order as SQLite stores them (see [`sqlite_timestamp`]).
    fn sqlite_timestamps(&self) -> Vec<Option<String>> {
        self.params
            .iter()
            .filter_map(|p| match p {
                Param::Ts(t) => Some(t.map(sqlite_timestamp)),
                _ => None,
            })
            .collect()
    }
}

/// Binds every param in order; `Ts` through `$ts` (SQLite takes them as text, see
/// [`sqlite_timestamp`]).
macro_rules! bind_all {
    ($query:expr, $params:expr, $ts_type:ty, $ts:expr) => {{
        let mut q = $query;
        for p in $params {
            q = match p {
                Param::I64(v) => q.bind::<Nullable<BigInt>, _>(*v),
                Param::F64(v) => q.bind::<Nullable<Double>, _>(*v),
                Param::Text(v) => q.bind::<Nullable<Text>, _>(v.as_deref()),
                Param::Bool(v) => q.bind::<Nullable<Bool>, _>(*v),
                Param::Ts(v) => q.bind::<$ts_type, _>($ts(*v)),
            };
        }
        q
    }};
}

fn bind_sqlite(query: &Query) -> BoxedSqlQuery<'_, Sqlite, diesel::query_builder::SqlQuery> {
    let q = sql_query(query.text_for(Dialect::Sqlite)).into_boxed::<Sqlite>();
    bind_all!(q, &query.params, Nullable<Text>, |v: Option<NaiveDateTime>| v.map(sqlite_timestamp))
}

fn bind_pg(query: &Query) -> BoxedSqlQuery<'_, Pg, diesel::query_builder::SqlQuery> {
    let q = sql_query(query.text_for(Dialect::Postgres)).into_boxed::<Pg>();
    bind_all!(q, &query.params, Nullable<Timestamp>, |v: Option<NaiveDateTime>| v)
}

/// A timestamp as SQLite stores it: the text diesel's `Timestamp` writes (`%F %T%.f`), made
/// without chrono's run-time format interpreter in the usual case of whole seconds (a bulk
/// import binds one per row).
pub(crate) fn sqlite_timestamp(t: NaiveDateTime) -> String {
    use chrono::Timelike;
    if t.nanosecond() != 0 || !(0..=9999).contains(&t.year()) {
        return t.format("%F %T%.f").to_string();
    }
    let digits = |n: u32, width: usize, out: &mut Vec<u8>| {
        for i in (0..width).rev() {
            out.push(b'0' + (n / 10u32.pow(i as u32) % 10) as u8);
        }
    };
    let mut out = Vec::with_capacity(19);
    digits(t.year() as u32, 4, &mut out);
    for (sep, n) in [(b'-', t.month()), (b'-', t.day()), (b' ', t.hour()), (b':', t.minute()), (b':', t.second())] {
        out.push(sep);
        digits(n, 2, &mut out);
    }
    String::from_utf8(out).unwrap_or_default() // ASCII digits and separators only
}

/// A query diesel may keep prepared: its text with `?` where `params` go. Diesel renders each
/// placeholder for the backend (`?` or `$n`).
#[derive(Debug, Clone, Copy)]
struct Prepared<'a> {
    /// The text around the `?` placeholders (split once: diesel walks the query several times).
    pieces: &'a [&'a str],
    params: &'a [Param],
    /// On SQLite, the `Ts` params in order already as stored text (see [`sqlite_timestamp`]).
    timestamps: Option<&'a [Option<String>]>,
    /// Kept in the connection's prepared-statement cache.
    keep: bool,
}

impl diesel::query_builder::QueryId for Prepared<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<DB> diesel::query_builder::QueryFragment<DB> for Prepared<'_>
where
    DB: diesel::backend::Backend
        + diesel::sql_types::HasSqlType<BigInt>
        + diesel::sql_types::HasSqlType<Double>
        + diesel::sql_types::HasSqlType<Text>
        + diesel::sql_types::HasSqlType<Bool>
        + diesel::sql_types::HasSqlType<Timestamp>,
    Option<i64>: diesel::serialize::ToSql<Nullable<BigInt>, DB>,
    Option<f64>: diesel::serialize::ToSql<Nullable<Double>, DB>,
    Option<String>: diesel::serialize::ToSql<Nullable<Text>, DB>,
    Option<bool>: diesel::serialize::ToSql<Nullable<Bool>, DB>,
    Option<NaiveDateTime>: diesel::serialize::ToSql<Nullable<Timestamp>, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> QueryResult<()> {
        if !self.keep {
            out.unsafe_to_cache_prepared();
        }
        let mut params = self.params.iter();
        let mut timestamps = self.timestamps.map(|t| t.iter());
        for (i, piece) in self.pieces.iter().enumerate() {
            if i > 0 {
                match params.next() {
                    Some(Param::I64(v)) => out.push_bind_param::<Nullable<BigInt>, _>(v)?,
                    Some(Param::F64(v)) => out.push_bind_param::<Nullable<Double>, _>(v)?,
                    Some(Param::Text(v)) => out.push_bind_param::<Nullable<Text>, _>(v)?,
                    Some(Param::Bool(v)) => out.push_bind_param::<Nullable<Bool>, _>(v)?,
                    Some(Param::Ts(v)) => match timestamps.as_mut().and_then(Iterator::next) {
                        Some(text) => out.push_bind_param::<Nullable<Text>, _>(text)?,
                        None => out.push_bind_param::<Nullable<Timestamp>, _>(v)?,
                    },
                    None => return Err(diesel::result::Error::QueryBuilderError("too few parameters".into())),
                }
            }
            out.push_sql(piece);
        }
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for Prepared<'_> {}

/// A [`Prepared`] query whose columns have the SQL types `ST`, in order.
pub struct Typed<'a, ST> {
    prepared: Prepared<'a>,
    st: PhantomData<ST>,
}

impl<ST> diesel::query_builder::QueryId for Typed<'_, ST> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<'a, ST, DB> diesel::query_builder::QueryFragment<DB> for Typed<'a, ST>
where
    DB: diesel::backend::Backend,
    Prepared<'a>: diesel::query_builder::QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, out: diesel::query_builder::AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.prepared.walk_ast(out)
    }
}

impl<ST> diesel::query_builder::Query for Typed<'_, ST> {
    type SqlType = ST;
}

impl<ST, Conn> RunQueryDsl<Conn> for Typed<'_, ST> {}

/// Rows of a [`Prepared`] query load into `#[derive(QueryableByName)]` structs.
impl diesel::query_builder::Query for Prepared<'_> {
    type SqlType = diesel::sql_types::Untyped;
}

/// One `BIGINT` column named `n`, for counts and ids.
#[derive(Debug, QueryableByName)]
pub struct Count {
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// A nullable timestamp column read as [`Option<NaiveDateTime>`]
/// (`#[diesel(deserialize_as = StoredTime)]`). On SQLite the stored text in the form diesel
/// writes (`2026-11-23 07:18:07`, with an optional fraction) is decoded digit by digit; diesel's
/// own decoding tries chrono's format parser with up to 18 formats, which was a tenth of a
/// Users list page's time. Anything else goes through diesel's decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct StoredTime(pub Option<NaiveDateTime>);

impl From<StoredTime> for Option<NaiveDateTime> {
    fn from(t: StoredTime) -> Self {
        t.0
    }
}

/// `YYYY-MM-DD HH:MM:SS` (or `T` between date and time) with an optional fraction of up to
/// nine digits; `None` for any other text.
fn parse_stored_time(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let punctuation = b.len() >= 19
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b' ' || b[10] == b'T')
        && b[13] == b':'
        && b[16] == b':';
    if !punctuation {
        return None;
    }
    let nanos = match &b[19..] {
        [] => 0,
        [b'.', fraction @ ..] if (1..=9).contains(&fraction.len()) => {
            digits(20..b.len())? * 10u32.pow(9 - fraction.len() as u32)
        }
        _ => return None,
    };
    let date = chrono::NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)?;
    date.and_hms_nano_opt(digits(11..13)?, digits(14..16)?, digits(17..19)?, nanos)
}

impl FromSql<Nullable<Timestamp>, Sqlite> for StoredTime {
    fn from_sql(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
        if value.value_type() == Some(SqliteType::Text)
            && let Some(t) = parse_stored_time(value.read_text())
        {
            return Ok(StoredTime(Some(t)));
        }
        let t = <NaiveDateTime as FromSql<Timestamp, Sqlite>>::from_sql(value)?;
        Ok(StoredTime(Some(t)))
    }

    fn from_nullable_sql(value: Option<SqliteValue<'_, '_, '_>>) -> deserialize::Result<Self> {
        value.map_or(Ok(StoredTime(None)), <Self as FromSql<Nullable<Timestamp>, Sqlite>>::from_sql)
    }
}

impl FromSql<Nullable<Timestamp>, Pg> for StoredTime {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        let t = <NaiveDateTime as FromSql<Timestamp, Pg>>::from_sql(value)?;
        Ok(StoredTime(Some(t)))
    }

    fn from_nullable_sql(value: Option<PgValue<'_>>) -> deserialize::Result<Self> {
        value.map_or(Ok(StoredTime(None)), <Self as FromSql<Nullable<Timestamp>, Pg>>::from_sql)
    }
}

impl FromSql<Nullable<Timestamp>, crate::MultiBackend> for StoredTime {
    fn from_sql(value: crate::MultiRawValue<'_>) -> deserialize::Result<Self> {
        value.from_sql::<Self, Nullable<Timestamp>>()
    }

    fn from_nullable_sql(value: Option<crate::MultiRawValue<'_>>) -> deserialize::Result<Self> {
        value.map_or(Ok(StoredTime(None)), |v| v.from_sql::<Self, Nullable<Timestamp>>())
    }
}

/// 1970-01-01 counted in days from 0001-01-01 (chrono's "days from CE", which is 1 for it).
const EPOCH_CE_DAYS: i64 = 719_163;

/// The date of a [`day_number`].
pub fn date_of_day(day: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(day + EPOCH_CE_DAYS).ok()?)
}

/// A date as a [`day_number`].
pub fn day_of_date(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - EPOCH_CE_DAYS
}

/// ` p1, p2, …` bound, or `NULL` for none (so that `IN (…)` stays valid SQL).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_timestamps_are_the_text_diesel_writes() {
        use chrono::Timelike;
        let base = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap().and_hms_opt(7, 5, 9).unwrap();
        for t in [
            base,
            base.with_nanosecond(123_000_000).unwrap(),
            base.with_nanosecond(1).unwrap(),
            chrono::NaiveDate::from_ymd_opt(999, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(),
            chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap().and_hms_opt(23, 59, 59).unwrap(),
            chrono::NaiveDate::from_ymd_opt(-5, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(),
        ] {
            assert_eq!(sqlite_timestamp(t), t.format("%F %T%.f").to_string(), "{t:?}");
        }
    }

    #[test]
    fn stored_times_decode_the_text_diesel_writes() {
        use chrono::Timelike;
        let day = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        let base = day.and_hms_opt(7, 5, 9).unwrap();
        for t in [
            base,
            base.with_nanosecond(123_000_000).unwrap(),
            base.with_nanosecond(120_000).unwrap(),
            base.with_nanosecond(1).unwrap(),
            chrono::NaiveDate::from_ymd_opt(999, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(),
            chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap().and_hms_opt(23, 59, 59).unwrap(),
        ] {
            assert_eq!(parse_stored_time(&sqlite_timestamp(t)), Some(t), "{t:?}");
        }
        assert_eq!(parse_stored_time("2024-02-29T07:05:09"), Some(base));
        assert_eq!(parse_stored_time("2024-02-29 07:05:09.5"), Some(base.with_nanosecond(500_000_000).unwrap()));
        // Everything else is left to diesel's decoding.
        for text in [
            "2023-02-29 07:05:09",
            "2024-02-29 24:00:00",
            "2024-02-29 07:05",
            "2024-02-29 07:05:09Z",
            "2024-02-29 07:05:09+01:00",
            "2024-02-29 07:05:09.",
            "2024-02-29 07:05:09.1234567890",
            "-0005-01-01 00:00:00",
            "2024-2-29 07:05:09",
            "2460000.5",
        ] {
            assert_eq!(parse_stored_time(text), None, "{text}");
        }
    }

    #[test]
    fn renumbers_placeholders_for_postgres_outside_strings() {
        let mut q = Query::new("SELECT '?' FROM t WHERE a = ");
        q.bind(Param::I64(Some(1))).push(" AND b = ").bind(Param::text("x"));
        assert_eq!(q.text_for(Dialect::Postgres), "SELECT '?' FROM t WHERE a = $1 AND b = $2");
        assert_eq!(q.text_for(Dialect::Sqlite), "SELECT '?' FROM t WHERE a = ? AND b = ?");
        assert_eq!(q.pieces(), ["SELECT '?' FROM t WHERE a = ", " AND b = ", ""]);
    }
}
