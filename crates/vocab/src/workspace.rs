//! The vocabularies of a workspace's data and settings.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::words;

/// `orders` (retail, e-commerce, subscriptions) or `donations` (non-profits): only changes
/// labels (AOF/AOV become ADF/ADV, "orders" become "donations").
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray,
)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum WorkspaceKind {
    #[default]
    Orders,
    Donations,
}

/// What an import loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ImportKind {
    Users,
    Companies,
    Orders,
    Events,
}

/// Who sees a segment: every operator of the workspace, or its owner only.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray,
)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Visibility {
    #[default]
    Public,
    Private,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ScoringState {
    /// The stored scores are as of today with the current data.
    Current,
    /// A run is due or under way (data or settings changed, or a new day began).
    Pending,
    /// The latest run failed; the scores of the last successful run stay until a retry succeeds.
    Failed,
}

/// `all_or_nothing` (default): one bad row rejects the file and nothing is written;
/// `skip_invalid`: the good rows are written and the bad ones reported.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray,
)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ImportMode {
    #[default]
    AllOrNothing,
    SkipInvalid,
}

words!(WorkspaceKind, ImportKind, ImportMode, Visibility, ScoringState);

impl ImportKind {
    /// Whether extra columns are kept as custom properties (users and companies).
    pub fn has_properties(self) -> bool {
        matches!(self, ImportKind::Users | ImportKind::Companies)
    }
}
