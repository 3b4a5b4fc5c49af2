//! `[expect]` as written, and how a stack's preset fills what it leaves out.
//!
//! The file is read into [`ExpectationsToml`] (every defaultable field optional), so tokdbg
//! knows which fields the user wrote: those win; the others come from the stack's preset, or
//! from tokdbg's own defaults when there is no stack (a profile without `stack` reads exactly
//! as before presets existed).

use serde::Deserialize;

use crate::core::model::profile::{Expectations, ScopeMatch, default_algorithms, default_scope_claim, one_or_many};
use crate::core::model::secret_source::SecretSource;
use crate::core::verifier::{Stack, preset};

/// `[expect]` exactly as the file has it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectationsToml {
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    audience: Vec<String>,
    #[serde(default)]
    algorithms: Option<Vec<String>>,
    #[serde(default)]
    leeway_secs: Option<u64>,
    #[serde(default)]
    scope_claim: Option<String>,
    #[serde(default)]
    scope_match: Option<ScopeMatch>,
    #[serde(default)]
    hmac_secret: Option<SecretSource>,
    #[serde(default)]
    stack: Option<Stack>,
}

/// Which defaultable `[expect]` fields were written (or set by a command-line flag).
///
/// Provenance, not a value: two expectations with equal values are equal however they were
/// reached (a saved form reads back with more fields written than it started with).
#[derive(Debug, Clone, Copy, Default, Eq)]
pub struct WrittenFields {
    pub algorithms: bool,
    pub leeway_secs: bool,
    pub scope_claim: bool,
    pub scope_match: bool,
}

impl PartialEq for WrittenFields {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl From<ExpectationsToml> for Expectations {
    fn from(raw: ExpectationsToml) -> Self {
        let written = WrittenFields {
            algorithms: raw.algorithms.is_some(),
            leeway_secs: raw.leeway_secs.is_some(),
            scope_claim: raw.scope_claim.is_some(),
            scope_match: raw.scope_match.is_some(),
        };
        let expect = Expectations {
            issuer: raw.issuer,
            audience: raw.audience,
            algorithms: raw.algorithms.unwrap_or_else(default_algorithms),
            leeway_secs: raw.leeway_secs.unwrap_or(0),
            scope_claim: raw.scope_claim.unwrap_or_else(default_scope_claim),
            scope_match: raw.scope_match.unwrap_or_default(),
            hmac_secret: raw.hmac_secret,
            stack: None,
            written,
        };
        expect.with_stack(raw.stack, &default_algorithms())
    }
}

impl Expectations {
    /// These expectations as `stack`'s verifier would hold them: every field not written
    /// takes the stack's default (`None`: tokdbg's own). `fallback_algorithms` is the list
    /// used when neither the file nor the stack names one (a library that demands the
    /// app's list, or no stack).
    pub fn with_stack(&self, stack: Option<Stack>, fallback_algorithms: &[String]) -> Expectations {
        let mut out = self.clone();
        out.stack = stack;
        let preset = stack.map(preset);
        let written = self.written;
        if !written.leeway_secs {
            out.leeway_secs = preset.map(|p| p.leeway_secs).unwrap_or(0);
        }
        if !written.algorithms {
            out.algorithms = match preset.and_then(|p| p.algorithms) {
                Some(list) => list.iter().map(|a| (*a).to_owned()).collect(),
                None => fallback_algorithms.to_vec(),
            };
        }
        if !written.scope_claim {
            out.scope_claim = preset.map(|p| p.scope_claim.to_owned()).unwrap_or_else(default_scope_claim);
        }
        if !written.scope_match {
            out.scope_match = match preset {
                Some(p) if p.scope_any => ScopeMatch::Any,
                _ => ScopeMatch::All,
            };
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Expectations {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn without_a_stack_the_defaults_are_as_before() {
        let expect = read("issuer = \"https://i.example/\"");
        assert_eq!((expect.leeway_secs, expect.algorithms.clone()), (0, vec!["RS256".to_owned()]));
        assert_eq!((expect.scope_claim.as_str(), expect.scope_match, expect.stack), ("scope", ScopeMatch::All, None));
    }

    #[test]
    fn a_stack_fills_what_is_not_written() {
        let expect = read("stack = \"spring\"\nscope_match = \"any\"");
        assert_eq!(expect.leeway_secs, 60);
        assert_eq!(expect.algorithms, vec!["RS256".to_owned()]);
        assert_eq!(expect.scope_match, ScopeMatch::Any, "written: kept");
        assert_eq!(read("stack = \"aspnet\"\nleeway_secs = 7").leeway_secs, 7);
    }

    #[test]
    fn an_unknown_stack_is_an_error_naming_the_known_ones() {
        let error = toml::from_str::<Expectations>("stack = \"spirng\"").unwrap_err().to_string();
        assert!(error.contains("did you mean \"spring\""), "{error}");
        assert!(error.contains("known: "), "{error}");
    }

    #[test]
    fn unknown_fields_are_still_refused() {
        assert!(toml::from_str::<Expectations>("leway_secs = 5").is_err());
    }

    #[test]
    fn a_stack_without_default_algorithms_warns_when_none_are_written() {
        let profile = |expect: &str| -> crate::core::model::profile::Profile {
            toml::from_str(&format!("[issuer]\njwks_uri = \"https://i.example/jwks\"\n[expect]\n{expect}")).unwrap()
        };
        let warned =
            |p: &crate::core::model::profile::Profile| p.warnings().iter().any(|w| w.contains("no default algorithms"));
        assert!(warned(&profile("stack = \"pyjwt\"")));
        assert!(!warned(&profile("stack = \"pyjwt\"\nalgorithms = [\"RS256\"]")));
        assert!(!warned(&profile("stack = \"spring\"")));
    }

    #[test]
    fn another_stack_keeps_what_was_written() {
        let expect = read("stack = \"spring\"\nleeway_secs = 10");
        let aspnet = expect.with_stack(Some(Stack::Aspnet), &default_algorithms());
        assert_eq!((aspnet.leeway_secs, aspnet.scope_claim.as_str()), (10, "scp"));
        let none = expect.with_stack(None, &default_algorithms());
        assert_eq!(none.leeway_secs, 10);
    }
}
