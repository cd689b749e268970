//! segmenta's product logic, free of IO: everything of `docs/` (rfm.md, metrics.md,
//! conditions.md, data.md) that can be computed from values lives here first, with unit and
//! property tests.

pub mod conditions;
pub mod csv_safe;
pub mod import;
pub mod metrics;
pub mod money;
pub mod rfm;
pub mod scores;
pub mod scoring_run;
pub mod segment_events;
pub mod segments;
pub mod sign_in;
pub mod webhooks;
