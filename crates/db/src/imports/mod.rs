//! The streaming importer (docs/data.md): CSV or a JSON array in, rows upserted in bounded
//! batches inside one transaction. All-or-nothing by default (every bad row is reported and
//! nothing is kept); `SkipInvalid` keeps the good rows. Orders and events that name an unknown
//! user create a bare one; users that name an unknown company create a bare one. Purchase
//! aggregates of every touched user are recomputed before the transaction commits.

mod aggregates;
mod read;
mod report;
mod write;

pub use aggregates::refresh_purchase_aggregates;
pub use report::*;
pub use write::run;
