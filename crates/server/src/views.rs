//! Conversions from the domain's vocabularies to their API types, shared by the route modules.

use domain::metrics::WorkspaceKind;

pub fn workspace_kind(kind: WorkspaceKind) -> api_types::settings::WorkspaceKind {
    match kind {
        WorkspaceKind::Orders => api_types::settings::WorkspaceKind::Orders,
        WorkspaceKind::Donations => api_types::settings::WorkspaceKind::Donations,
    }
}
