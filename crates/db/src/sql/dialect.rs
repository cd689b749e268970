//! Every difference between the two backends' SQL, in one place: the [`Dialect`] of a
//! connection and what it writes differently (JSON, text search and folding, ordering of
//! NULLs, temporary tables, row locks, planner hints) or does differently (which backend has
//! the trigram search index, reads whole passes in id order, defers an import's indexes).
//! Besides the placeholders a [`Query`] renders (`?` or `$n`), no other module of the store or
//! the engine matches on a dialect.

use domain::conditions::FieldType;

use super::{Param, Query};
use crate::DbConn;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    pub fn of(conn: &DbConn) -> Dialect {
        match conn {
            DbConn::Sqlite(_) => Dialect::Sqlite,
            DbConn::Pg(_) => Dialect::Postgres,
        }
    }

    /// The text value at `$.<key>` of a JSON text column; the key is bound as a parameter.
    pub fn json_text(self, column: &str, q: &mut Query, key: &str) -> String {
        match self {
            Dialect::Sqlite => {
                let path = q.param(Param::text(format!("$.\"{}\"", key.replace('"', ""))));
                format!("json_extract({column}, {path})")
            }
            Dialect::Postgres => {
                let key = q.param(Param::text(key));
                format!("(({column})::jsonb ->> {key})")
            }
        }
    }

    /// Numeric value at a JSON key (NULL when absent or not a number).
    pub fn json_number(self, column: &str, q: &mut Query, key: &str) -> String {
        match self {
            Dialect::Sqlite => {
                // The placeholder appears twice, so the value is bound twice.
                let path = Param::text(format!("$.\"{}\"", key.replace('"', "")));
                let (first, second) = (q.param(path.clone()), q.param(path));
                format!(
                    "(CASE WHEN json_type({column}, {first}) IN ('integer','real') \
                     THEN json_extract({column}, {second}) END)"
                )
            }
            Dialect::Postgres => {
                let (first, second) = (q.param(Param::text(key)), q.param(Param::text(key)));
                format!(
                    "(CASE WHEN jsonb_typeof(({column})::jsonb -> {first}) = 'number' \
                     THEN (({column})::jsonb ->> {second})::double precision END)"
                )
            }
        }
    }

    /// Merges the JSON object text `patch` into `current`; keys whose patch value is null are
    /// removed (an emptied cell clears a property).
    pub fn json_merge(self, current: &str, patch: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_patch({current}, {patch})"),
            Dialect::Postgres => format!(
                "(SELECT COALESCE(jsonb_object_agg(k, v), '{{}}'::jsonb)::text FROM \
                 jsonb_each(({current})::jsonb || ({patch})::jsonb) AS e(k, v) \
                 WHERE v <> 'null'::jsonb)"
            ),
        }
    }

    /// Case-insensitive LIKE.
    pub fn ilike(self) -> &'static str {
        match self {
            Dialect::Sqlite => "LIKE",
            Dialect::Postgres => "ILIKE",
        }
    }

    /// An inner join that reads its left side first, in that side's order: SQLite keeps a
    /// `CROSS JOIN`'s order; PostgreSQL orders joins itself.
    pub fn ordered_join(self) -> &'static str {
        match self {
            Dialect::Sqlite => "CROSS JOIN",
            Dialect::Postgres => "JOIN",
        }
    }

    /// ASCII-only lower case of a text expression (both backends fold the same letters).
    pub fn fold(self, v: Query) -> Query {
        let mut q = Query::new(match self {
            Dialect::Sqlite => "lower(",
            Dialect::Postgres => "translate(",
        });
        q.append(v);
        if self == Dialect::Postgres {
            q.push(", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'");
        }
        q.push(")");
        q
    }

    /// The function that finds a text in another (1-based, 0 when absent), with its `(`.
    pub fn position(self) -> &'static str {
        match self {
            Dialect::Sqlite => "instr(",
            Dialect::Postgres => "strpos(",
        }
    }

    /// The last `chars` characters of a text expression.
    pub fn last_chars(self, q: &mut Query, v: Query, chars: i64) {
        match self {
            Dialect::Sqlite => {
                q.push("substr(").append(v).push(", -").bind(Param::I64(Some(chars))).push(")");
            }
            Dialect::Postgres => {
                q.push("right(").append(v).push(", CAST(").bind(Param::I64(Some(chars))).push(" AS INTEGER))");
            }
        }
    }

    /// A custom property of type `ty` read from the JSON text `column` (NULL when absent or of
    /// another type).
    pub fn json_property(self, column: &str, name: &str, ty: FieldType) -> Query {
        let mut q = Query::default();
        match self {
            Dialect::Sqlite => {
                // A quoted path label; SQLite's path syntax has no escape for '"'.
                let path = format!("$.\"{}\"", name.replace('"', ""));
                let kind_test = match ty {
                    FieldType::Number | FieldType::Money => "IN ('integer', 'real')",
                    FieldType::Boolean => "IN ('true', 'false')",
                    _ => "= 'text'",
                };
                q.push("(CASE WHEN json_type(")
                    .push(column)
                    .push(", ")
                    .bind(Param::text(path.as_str()))
                    .push(") ")
                    .push(kind_test)
                    .push(" THEN json_extract(")
                    .push(column)
                    .push(", ")
                    .bind(Param::text(path))
                    .push(") END)");
            }
            Dialect::Postgres => {
                let (kind, cast) = match ty {
                    FieldType::Number | FieldType::Money => ("number", "::double precision"),
                    FieldType::Boolean => ("boolean", "::boolean"),
                    _ => ("string", ""),
                };
                q.push("(CASE WHEN jsonb_typeof((")
                    .push(column)
                    .push(")::jsonb -> ")
                    .bind(Param::text(name))
                    .push(") = ")
                    .bind(Param::text(kind))
                    .push(" THEN ((")
                    .push(column)
                    .push(")::jsonb ->> ")
                    .bind(Param::text(name))
                    .push(")")
                    .push(cast)
                    .push(" END)");
            }
        }
        q
    }

    /// The direction of an `ORDER BY` and where NULLs go: first when ascending, last when
    /// descending, as SQLite places them.
    pub fn order(self, desc: bool) -> (&'static str, &'static str) {
        match (desc, self) {
            (false, Dialect::Postgres) => (" ASC", " NULLS FIRST"),
            (true, Dialect::Postgres) => (" DESC", " NULLS LAST"),
            (false, Dialect::Sqlite) => (" ASC", ""),
            (true, Dialect::Sqlite) => (" DESC", ""),
        }
    }

    /// The ids of a bound JSON array text, as a subquery: its opening (before the parameter)
    /// and its closing.
    pub fn json_ids(self) -> (&'static str, &'static str) {
        match self {
            Dialect::Sqlite => ("SELECT value FROM json_each(", "))"),
            Dialect::Postgres => ("SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(", " AS json)))"),
        }
    }

    /// What a `SELECT` that claims rows for one worker ends with: rows another transaction
    /// holds are skipped (PostgreSQL); SQLite has one writer at a time.
    pub fn skip_locked(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    /// Whole seconds since 1970 of a timestamp expression, rounded down (NULL stays NULL).
    pub fn epoch_seconds(self, expr: &str) -> String {
        match self {
            Dialect::Sqlite => format!("unixepoch({expr})"),
            Dialect::Postgres => format!("CAST(FLOOR(EXTRACT(EPOCH FROM {expr})) AS BIGINT)"),
        }
    }

    /// ` AND <column> = ` for a column whose index the planner must not take: SQLite's `+`
    /// keeps a pass over an id range on that range (the workspace's index would read the whole
    /// workspace each time); PostgreSQL plans that itself.
    pub fn and_unindexed(self, column: &str) -> String {
        match self {
            Dialect::Sqlite => format!(" AND +{column} = "),
            Dialect::Postgres => format!(" AND {column} = "),
        }
    }

    /// `table` read through `index` (SQLite's `INDEXED BY`; PostgreSQL chooses itself).
    pub fn indexed_by(self, table: &str, index: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{table} INDEXED BY {index}"),
            Dialect::Postgres => table.to_owned(),
        }
    }

    /// Whether the trigram search tables (`user_search`, `company_search`, FTS5) exist: on
    /// SQLite; PostgreSQL searches with its trigram indexes through `ILIKE`.
    pub fn has_search_tables(self) -> bool {
        self == Dialect::Sqlite
    }

    /// Whether a pass over a workspace's users is laid out by hand (read in id order over id
    /// ranges, see `segments::evaluation::pass`): on SQLite; PostgreSQL plans and parallelises
    /// full passes itself.
    pub fn passes_by_hand(self) -> bool {
        self == Dialect::Sqlite
    }

    /// Whether a bulk import drops its table's indexes and builds them once at the end (on
    /// SQLite, see `imports::write`).
    pub fn defers_import_indexes(self) -> bool {
        self == Dialect::Sqlite
    }
}

/// The UTC date of a timestamp expression as days since 1970-01-01 (NULL stays NULL).
pub fn day_number(dialect: Dialect, expr: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("CAST(julianday(substr({expr}, 1, 10)) - 2440587.5 AS BIGINT)"),
        Dialect::Postgres => format!("CAST(CAST({expr} AS DATE) - DATE '1970-01-01' AS BIGINT)"),
    }
}

/// Creates an empty temporary table of this connection (`name (columns)`, a BIGINT `user_id`
/// key first, an INTEGER PRIMARY KEY on SQLite), dropped at the commit on PostgreSQL and by
/// [`drop_temp_table`] on SQLite.
pub(crate) fn temp_table(conn: &mut DbConn, name: &str, columns: &str) -> crate::Result<()> {
    drop_temp_table(conn, name)?;
    let sql = match Dialect::of(conn) {
        Dialect::Sqlite => format!("CREATE TEMP TABLE {name} (user_id INTEGER PRIMARY KEY, {columns})"),
        Dialect::Postgres => format!("CREATE TEMP TABLE {name} (user_id BIGINT PRIMARY KEY, {columns}) ON COMMIT DROP"),
    };
    Query::new(sql).execute(conn)?;
    Ok(())
}

/// Drops a [`temp_table`] if it exists.
pub(crate) fn drop_temp_table(conn: &mut DbConn, name: &str) -> crate::Result<()> {
    let schema = match Dialect::of(conn) {
        Dialect::Sqlite => "temp",
        Dialect::Postgres => "pg_temp",
    };
    Query::new(format!("DROP TABLE IF EXISTS {schema}.{name}")).execute(conn)?;
    Ok(())
}
