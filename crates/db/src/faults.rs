//! Fault injection for tests (feature `test-support`): real failures of the database, on both
//! backends, where a test needs a step to fail.

use std::cell::Cell;

use diesel::connection::SimpleConnection;

use crate::Db;

/// Makes every write of a user's health score fail, as a scoring run that breaks would (a
/// trigger that raises), until [`mend_scoring`].
pub fn break_scoring(db: &Db) -> crate::Result<()> {
    let sql = if db.url().is_sqlite() {
        "CREATE TRIGGER scoring_breaks BEFORE UPDATE OF health_score ON users \
         BEGIN SELECT RAISE(ABORT, 'scoring breaks here'); END;"
    } else {
        "CREATE FUNCTION scoring_breaks() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN RAISE EXCEPTION 'scoring breaks here'; END $$; \
         CREATE TRIGGER scoring_breaks BEFORE UPDATE OF health_score ON users \
         FOR EACH ROW EXECUTE FUNCTION scoring_breaks();"
    };
    db.write(|c| Ok(c.batch_execute(sql)?))
}

/// Undoes [`break_scoring`].
pub fn mend_scoring(db: &Db) -> crate::Result<()> {
    let sql = if db.url().is_sqlite() {
        "DROP TRIGGER scoring_breaks"
    } else {
        "DROP TRIGGER scoring_breaks ON users; DROP FUNCTION scoring_breaks();"
    };
    db.write(|c| Ok(c.batch_execute(sql)?))
}

thread_local! {
    pub(crate) static HISTORY_OFF: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work` with the segment refreshes of this thread recording no segment events (nor
/// their daily counts and webhook messages): the refresh as it was before its history, which
/// the benchmark sets beside the refresh that records it.
pub fn without_history<T>(work: impl FnOnce() -> T) -> T {
    HISTORY_OFF.set(true);
    let out = work();
    HISTORY_OFF.set(false);
    out
}
