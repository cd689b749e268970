//! Who may do what: operators' roles and the scopes of API keys.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::words;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    Admin,
    Editor,
    Viewer,
}

impl Role {
    /// What an operator of this role may do.
    pub fn scope(self) -> Scope {
        match self {
            Role::Admin => Scope::Admin,
            Role::Editor => Scope::Write,
            Role::Viewer => Scope::Read,
        }
    }
}

/// What a caller may do, each scope including the ones before it: `read` everything of its
/// workspace; `write` users, companies, segments and custom filters, and import; `admin`
/// operators, API keys and settings. An API key has one scope; an operator has the scope of
/// their role (viewer: read, editor: write, admin: admin). Each operation names the scope it
/// needs in the document's security requirements.
// A stored scope is also read as the role a key was created with before keys had scopes
// (`viewer`, `editor`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    IntoStaticStr,
    EnumString,
    VariantArray,
)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Scope {
    #[serde(alias = "viewer")]
    #[strum(to_string = "read", serialize = "viewer")]
    Read,
    #[serde(alias = "editor")]
    #[strum(to_string = "write", serialize = "editor")]
    Write,
    Admin,
}

words!(Role, Scope);
