//! Pieces shared by the pages.

pub mod feedback;
pub mod rfm;
pub mod shell;
