//! Vocabulary of custom segments.

/// Who sees a custom segment: everyone of the workspace, or its owner alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Visibility {
    #[default]
    Public,
    Private,
}

impl Visibility {
    pub fn key(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Private => "private",
        }
    }

    pub fn parse(key: &str) -> Option<Visibility> {
        match key {
            "public" => Some(Visibility::Public),
            "private" => Some(Visibility::Private),
            _ => None,
        }
    }
}

/// A stored visibility is one of the two keys; another is an error of the read, never taken
/// as public.
impl TryFrom<String> for Visibility {
    type Error = String;

    fn try_from(key: String) -> std::result::Result<Visibility, String> {
        Visibility::parse(&key).ok_or_else(|| format!("unknown segment visibility '{key}'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visibility_reads_back_its_key_and_nothing_else() {
        for v in [Visibility::Public, Visibility::Private] {
            assert_eq!(Visibility::try_from(v.key().to_owned()), Ok(v));
        }
        assert!(Visibility::try_from("Private".to_owned()).is_err());
        assert!(Visibility::try_from(String::new()).is_err());
    }
}
