//! Statements built with `db::sql::Query`, on both backends: a `?` inside a quoted SQL string
//! is text, not a placeholder, in every way a query runs (plain, kept prepared, typed).

use db::sql::{Count, Param, Query};
use diesel::sql_types::BigInt;

mod common;
use common::*;

#[test]
fn a_question_mark_in_a_string_is_text() {
    let dir = tempfile::tempdir().unwrap();
    for backend in backends("query_text", &dir) {
        let db = &backend.db;
        let mut q = Query::new("SELECT CAST(CASE WHEN 'a?b' = ");
        q.bind(Param::text("a?b")).push(" THEN ").bind(Param::I64(Some(7))).push(" ELSE 0 END AS BIGINT) AS n");
        let plain = db.read(|c| Ok(q.load::<Count>(c)?)).unwrap();
        let cached = db.read(|c| Ok(q.load_cached::<Count>(c)?)).unwrap();
        let typed = db.read(|c| Ok(q.load_typed::<(BigInt,), (i64,)>(c)?)).unwrap();
        assert_eq!((plain[0].n, cached[0].n, typed[0].0), (7, 7, 7), "{:?}", db.url());
    }
}
