//! Pieces shared by the pages.

pub mod chart;
pub mod conditions;
pub mod export;
pub mod feedback;
pub mod rfm;
pub mod scope;
pub mod shell;
pub mod stat;
