//! Vocabulary of custom segments.

pub use vocab::Visibility;
