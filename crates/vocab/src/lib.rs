//! The words segmenta's wire format and its domain share, defined once: the condition tree
//! and its operators (docs/conditions.md), the catalog's field types and groups, and the
//! other closed vocabularies (workspace kind, import kind, segment visibility, scoring
//! state, operator role and API scope).
//!
//! Each word has one key, its name on the wire and in the store (`in_last_days`,
//! `skip_invalid`): [`key`](Op::key) gives it, [`parse`](Op::parse) reads it back and
//! nothing else, `ALL` lists the words in order. The domain adds what the words mean; the
//! `openapi` feature adds their schemas for the served document.

mod access;
mod conditions;
mod workspace;

pub use access::*;
pub use conditions::*;
pub use workspace::*;

/// `key`, `parse` and `ALL` of a vocabulary, from its strum derives (`IntoStaticStr`,
/// `EnumString`, `VariantArray`, all in snake_case).
macro_rules! words {
    ($($word:ty),* $(,)?) => {$(
        impl $word {
            /// Every word, in declaration order.
            pub const ALL: &'static [$word] = <$word as strum::VariantArray>::VARIANTS;

            /// Its name on the wire and in the store.
            pub fn key(self) -> &'static str {
                self.into()
            }

            /// The word of a key; `None` for anything else (no case folding).
            pub fn parse(key: &str) -> Option<$word> {
                key.parse().ok()
            }
        }

        impl std::fmt::Display for $word {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.key())
            }
        }

        impl From<$word> for String {
            fn from(word: $word) -> String {
                word.key().to_owned()
            }
        }

        /// A stored key is one of the words; another is an error of the read, never a default.
        impl TryFrom<String> for $word {
            type Error = String;

            fn try_from(key: String) -> Result<$word, String> {
                <$word>::parse(&key)
                    .ok_or_else(|| format!("unknown {} '{key}'", stringify!($word)))
            }
        }
    )*};
}
pub(crate) use words;

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T>(all: &[T])
    where
        T: Copy + PartialEq + std::fmt::Debug + serde::Serialize + Into<&'static str>,
    {
        for &word in all {
            let key: &'static str = word.into();
            assert_eq!(serde_json::to_value(word).unwrap(), key, "{word:?}");
        }
    }

    #[test]
    fn every_key_is_the_name_serde_writes_and_parses_back() {
        round_trips(Op::ALL);
        round_trips(MatchKind::ALL);
        round_trips(FieldType::ALL);
        round_trips(FieldGroup::ALL);
        round_trips(WorkspaceKind::ALL);
        round_trips(ImportKind::ALL);
        round_trips(ImportMode::ALL);
        round_trips(Visibility::ALL);
        round_trips(ScoringState::ALL);
        round_trips(Role::ALL);
        round_trips(Scope::ALL);
        for op in Op::ALL {
            assert_eq!(Op::parse(op.key()), Some(*op));
        }
        assert_eq!(Op::parse("like"), None);
        // keys written before API keys had scopes
        assert_eq!(Scope::parse("viewer"), Some(Scope::Read));
        assert_eq!(Scope::parse("editor"), Some(Scope::Write));
        assert_eq!(Scope::Read.key(), "read");
        assert_eq!(Visibility::parse("Private"), None);
        assert!(Visibility::try_from(String::new()).is_err());
    }
}
