//! The form's connection settings: `[tls]` (extra CAs, `insecure`) and `[dpop]` (the proofs'
//! alg and key), checked and built into the profile's sections.

use std::collections::BTreeMap;

use crate::core::model::profile::{DpopConfig, SecretSource};
use crate::core::model::tls_config::TlsConfig;
use crate::core::oauth::dpop::DPOP_ALGS;

use super::super::form_fields::{FieldId, document_source, optional};
use super::FormState;

/// Algorithms tokdbg can only sign with a given key (it generates EC and Ed25519 keys only).
const NEEDS_KEY: [&str; 2] = ["RS256", "PS256"];

impl FormState {
    /// `[tls]`: `ca_file` as typed (relative to the profile's directory), `insecure` as chosen;
    /// where the file was loaded from is kept.
    pub(super) fn build_tls(&self, errs: &mut BTreeMap<FieldId, String>) -> Option<TlsConfig> {
        let base = &self.base.tls;
        let ca_file = self.field(errs, FieldId::TlsCaFile, Some(&base.ca_file), |t| Ok(optional(t)))?;
        Some(TlsConfig { ca_file, insecure: self.insecure(), ..base.clone() })
    }

    /// `[dpop]`: `None` when both its fields are empty; an alg tokdbg signs proofs with, and
    /// the key RS256 and PS256 need.
    pub(super) fn build_dpop(&self, errs: &mut BTreeMap<FieldId, String>) -> Option<Option<DpopConfig>> {
        let base = self.base.dpop.as_ref();
        let base_alg = base.map(|d| Some(d.alg.clone()));
        let alg = self.field(errs, FieldId::DpopAlg, base_alg.as_ref(), parse_dpop_alg);
        let key = self.field(errs, FieldId::DpopPrivateKey, base.map(|d| &d.private_key), document_source);
        let (alg, private_key) = (alg?, key?);
        // A key written into the file is not shown (its field starts empty) but kept.
        let literal = private_key.as_ref().is_some_and(SecretSource::is_literal);
        match (alg, private_key) {
            (None, None) => Some(None),
            (None, Some(_)) => {
                let written = if literal { " (one is written in the file)" } else { "" };
                errs.insert(
                    FieldId::DpopAlg,
                    format!("required with a dpop.private_key{written}: the proofs' alg, e.g. ES256"),
                );
                None
            }
            (Some(alg), None) if NEEDS_KEY.contains(&alg.as_str()) => {
                errs.insert(
                    FieldId::DpopPrivateKey,
                    format!("required by dpop.alg {alg}: tokdbg generates only ES256, ES384 and EdDSA keys"),
                );
                None
            }
            (Some(alg), private_key) => Some(Some(DpopConfig { alg, private_key })),
        }
    }
}

/// A DPoP proof alg, in its canonical spelling; empty: no DPoP.
pub fn parse_dpop_alg(text: &str) -> Result<Option<String>, String> {
    let Some(text) = optional(text) else { return Ok(None) };
    DPOP_ALGS
        .iter()
        .find(|known| known.eq_ignore_ascii_case(&text))
        .map(|known| Some((*known).to_owned()))
        .ok_or_else(|| format!("\"{text}\" is not an alg tokdbg signs proofs with ({})", DPOP_ALGS.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::parse_dpop_alg;
    use rstest::rstest;

    #[rstest]
    #[case::empty_is_no_dpop("  ", Ok(None))]
    #[case::canonical_spelling("es256", Ok(Some("ES256".to_owned())))]
    #[case::eddsa("EDDSA", Ok(Some("EdDSA".to_owned())))]
    #[case::hmac_refused("HS256", Err(()))]
    #[case::none_refused("none", Err(()))]
    fn dpop_algs(#[case] text: &str, #[case] expected: Result<Option<String>, ()>) {
        assert_eq!(parse_dpop_alg(text).map_err(|_| ()), expected);
    }
}
