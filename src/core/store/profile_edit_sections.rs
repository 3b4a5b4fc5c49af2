//! Saving a profile's `[tls]` and `[dpop]` sections: values synced in place (comments kept), a
//! section removed when the form emptied it.

use toml_edit::Value;

use crate::core::model::profile::{DpopConfig, SecretSource};
use crate::core::model::tls_config::TlsConfig;
use crate::core::store::toml_doc::{opt_str, sync};

use super::Editor;

impl Editor<'_> {
    pub(super) fn tls(&mut self, tls: &TlsConfig) {
        let old = self.before.map(|b| &b.tls);
        if old == Some(tls) || (tls.is_default() && !self.doc.contains_key("tls")) {
            return;
        }
        self.section("tls", |table| {
            sync(table, "ca_file", &tls.ca_file, old.map(|o| &o.ca_file), opt_str);
            // `insecure = false` is the default: spelled out only when the file already says it.
            sync(table, "insecure", &tls.insecure, old.map(|o| &o.insecure), |on| on.then(|| Value::from(true)));
        });
    }

    pub(super) fn dpop(&mut self, dpop: Option<&DpopConfig>) {
        let old = self.before.and_then(|b| b.dpop.as_ref());
        let Some(dpop) = dpop else {
            self.doc.as_table_mut().remove("dpop");
            return;
        };
        if old == Some(dpop) {
            return;
        }
        self.section("dpop", |table| {
            sync(table, "alg", &dpop.alg, old.map(|o| &o.alg), |alg| Some(Value::from(alg.as_str())));
            let source = |v: &Option<SecretSource>| v.as_ref().map(|s| Value::from(s.to_profile_text()));
            sync(table, "private_key", &dpop.private_key, old.map(|o| &o.private_key), source);
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::core::model::profile::{DpopConfig, SecretSource};
    use crate::core::model::secret::Secret;
    use crate::core::store::profile_edit::{EditError, render_profile};
    use crate::core::store::profile_store::parse_profile;

    const BOUND: &str = include_str!("../../../tests/fixtures/profiles_connection/bound.toml");

    fn loaded() -> crate::core::model::profile::Profile {
        parse_profile(BOUND, "bound.toml").unwrap()
    }

    #[test]
    fn an_unchanged_profile_renders_byte_identical() {
        assert_eq!(render_profile(BOUND, &loaded()).unwrap(), BOUND);
    }

    #[test]
    fn emptied_sections_are_removed() {
        let mut profile = loaded();
        profile.tls.ca_file = None;
        profile.dpop = None;
        let text = render_profile(BOUND, &profile).unwrap();
        assert!(!text.contains("[tls]") && !text.contains("[dpop]"), "{text}");
        assert!(text.contains("[expect]\nissuer"), "{text}");
    }

    #[test]
    fn insecure_is_written_only_when_on() {
        let mut profile = loaded();
        profile.tls.insecure = true;
        let text = render_profile(BOUND, &profile).unwrap();
        assert!(text.contains("ca_file = \"certs/dev-ca.pem\"  # beside this profile\ninsecure = true\n"), "{text}");
        profile.tls.insecure = false;
        assert_eq!(render_profile(&text, &profile).unwrap(), BOUND);
    }

    #[test]
    fn a_literal_dpop_key_that_reads_as_a_source_is_refused() {
        let mut profile = loaded();
        let literal = SecretSource::Literal(Secret::new("env:NOT_A_KEY"));
        profile.dpop = Some(DpopConfig { alg: "ES256".into(), private_key: Some(literal) });
        assert_eq!(
            render_profile(BOUND, &profile).unwrap_err(),
            EditError::AmbiguousLiteral { field: "dpop.private_key" }
        );
    }
}
