//! Searching the lists: `LIKE` patterns, SQLite's trigram phrase, PostgreSQL's lookup.

use crate::sql::{Count, Dialect, Param, Query};
use crate::{DbConn, Result};

/// `%text%` for LIKE with `\` as the escape character.
pub(super) fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

/// Whether `workspace_id` is the only workspace with users (two probes of the workspace index).
pub(super) fn sole_workspace(conn: &mut DbConn, workspace_id: i64) -> Result<bool> {
    let workspace = || Param::I64(Some(workspace_id));
    let mut q = Query::new("SELECT CAST(NOT EXISTS (SELECT 1 FROM users WHERE workspace_id < ");
    q.bind(workspace()).push(") AND NOT EXISTS (SELECT 1 FROM users WHERE workspace_id > ");
    q.bind(workspace()).push(") AS BIGINT) AS n");
    Ok(q.load_cached::<Count>(conn)?.first().is_some_and(|c| c.n == 1))
}

/// `text` as an FTS5 phrase for the trigram indexes, which find any substring of three
/// characters or more (case folded); `None` when shorter.
pub(super) fn trigram_phrase(text: &str) -> Option<String> {
    (text.chars().count() >= 3).then(|| format!("\"{}\"", text.replace('"', "\"\"")))
}

/// `(<columns> LIKE '%text%' OR …)`, case-insensitive: what the trigram indexes answer,
/// spelt out where they cannot (PostgreSQL's pg_trgm serves it as it is).
pub(super) fn like_any(q: &mut Query, dialect: Dialect, text: &str, columns: &[&str]) {
    let pattern = like_pattern(text);
    q.push("(");
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            q.push(" OR ");
        }
        q.push(column)
            .push(" ")
            .push(dialect.ilike())
            .push(" ")
            .bind(Param::text(pattern.as_str()))
            .push(" ESCAPE '\\'");
    }
    q.push(")");
}

/// ` AND u.id IN (…)`: users whose name, email or external id contains `text`, or whose
/// company's name does, ignoring case, looked up by `LIKE` (which PostgreSQL's pg_trgm indexes
/// serve for three characters or more; on SQLite such a text is rather a phrase for the
/// trigram index `user_search`, see [`SelectedUsers::body`]).
pub(super) fn search_users(q: &mut Query, dialect: Dialect, text: &str) {
    q.push(" AND u.id IN (SELECT id FROM users WHERE ");
    like_any(q, dialect, text, &["name", "email", "external_id"]);
    q.push(" UNION ALL SELECT su.id FROM users su JOIN companies sc ON sc.id = su.company_id WHERE ");
    like_any(q, dialect, text, &["sc.name"]);
    q.push(")");
}

/// ` AND (…)`: the same test as [`search_users`] for a text of one or two characters, which
/// has no trigram to look up and matches many users: each user's texts are tested as the list
/// reads them, so that a page stops at its last match instead of waiting for every match of a
/// one-letter search to be listed first. Each user's company is looked up only if some company
/// of the workspace matches (found once per statement): a rare text does not cost a lookup per
/// user.
pub(super) fn search_users_by_row(q: &mut Query, dialect: Dialect, workspace_id: i64, text: &str) {
    q.push(" AND (");
    like_any(q, dialect, text, &["u.name", "u.email", "u.external_id"]);
    q.push(" OR EXISTS (SELECT 1 FROM companies WHERE workspace_id = ").bind(Param::I64(Some(workspace_id)));
    q.push(" AND ");
    like_any(q, dialect, text, &["name"]);
    q.push(") AND EXISTS (SELECT 1 FROM companies sc WHERE sc.id = u.company_id AND ");
    like_any(q, dialect, text, &["sc.name"]);
    q.push("))");
}

/// ` AND c.id IN (…)`: companies whose name or external id contains `text`, ignoring case.
pub(super) fn search_companies(q: &mut Query, dialect: Dialect, text: &str) {
    q.push(" AND c.id IN (");
    match trigram_phrase(text).filter(|_| dialect.has_search_tables()) {
        Some(phrase) => {
            q.push("SELECT rowid FROM company_search WHERE company_search MATCH ").bind(Param::text(phrase.as_str()));
        }
        None => {
            q.push("SELECT id FROM companies WHERE ");
            like_any(q, dialect, text, &["name", "external_id"]);
        }
    }
    q.push(")");
}
