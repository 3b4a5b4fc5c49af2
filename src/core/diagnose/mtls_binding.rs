//! The certificate half of a token request refused for want of a binding: an issuer whose
//! discovery says it issues certificate-bound tokens (RFC 8705 §3.3
//! `tls_client_certificate_bound_access_tokens`) refused a request that presented no client
//! certificate with a vague grant error; a client registered for bound tokens needs one.
//! (DPoP's half, for `dpop_signing_alg_values_supported`, lives in `dpop.rs`.)

use crate::core::diagnose::facts::Facts;
use crate::core::findings::{Code, Evidence, Finding};

/// A `token_binding_mismatch` warning for that refusal, or nothing.
pub(crate) fn certificate_missing_at_token_endpoint(facts: &Facts<'_>) -> Option<Finding> {
    let request = facts.token_request?;
    if request.client_certificate.is_some() {
        return None;
    }
    let error = request.oauth_error.as_deref()?;
    // Issuers hide why they refuse a grant (oidc-provider in production: invalid_grant, "grant
    // request is invalid"); a clearer error is read on its own elsewhere.
    if !matches!(error, "invalid_grant" | "invalid_request") {
        return None;
    }
    let document = facts.discovery.and_then(|d| d.document.as_ref())?;
    if document.get("tls_client_certificate_bound_access_tokens").and_then(|v| v.as_bool()) != Some(true) {
        return None;
    }
    Some(Finding::warning(
        Code::TokenBindingMismatch,
        format!(
            "the issuer issues certificate-bound tokens (tls_client_certificate_bound_access_tokens: true) and \
             refused ({error}) a request that presented no client certificate: a client registered for \
             certificate-bound tokens (tls_client_certificate_bound_access_tokens) needs one"
        ),
        Evidence::new(
            Some("a client certificate, if the client's tokens are certificate-bound".to_owned()),
            Some("no client certificate".to_owned()),
        ),
        "Give the profile the client's certificate (client.certificate and client.private_key; the token endpoint \
         must be https): tokdbg presents it to the token endpoint and the API, and the token is bound to it \
         (cnf.x5t#S256).",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::profile::Profile;
    use crate::core::net::discovery::DiscoveryReport;
    use crate::core::oauth::token_request::TokenRequestReport;

    fn refused(error: &str) -> TokenRequestReport {
        TokenRequestReport::refused_for_tests(400, error, None)
    }

    fn discovery(bound: bool) -> DiscoveryReport {
        DiscoveryReport {
            url: "https://id.example/.well-known/openid-configuration".into(),
            ok: true,
            issuer: None,
            error: None,
            error_kind: None,
            document: Some(serde_json::json!({"tls_client_certificate_bound_access_tokens": bound})),
        }
    }

    #[test]
    fn a_vague_refusal_by_an_issuer_of_bound_tokens_warns_without_a_certificate() {
        let profile = Profile::default();
        let (request, found) = (refused("invalid_grant"), discovery(true));
        let facts = Facts { token_request: Some(&request), discovery: Some(&found), ..Facts::new(&profile, 0) };
        let warning = certificate_missing_at_token_endpoint(&facts).expect("warning");
        assert_eq!(warning.code, Code::TokenBindingMismatch);
        assert!(warning.message.contains("tls_client_certificate_bound_access_tokens"), "{}", warning.message);
    }

    #[test]
    fn nothing_when_the_issuer_does_not_bind_or_the_error_is_clear() {
        let profile = Profile::default();
        let (grant, scope) = (refused("invalid_grant"), refused("invalid_scope"));
        let (unbound, bound) = (discovery(false), discovery(true));
        let facts = Facts { token_request: Some(&grant), discovery: Some(&unbound), ..Facts::new(&profile, 0) };
        assert!(certificate_missing_at_token_endpoint(&facts).is_none());
        let facts = Facts { token_request: Some(&scope), discovery: Some(&bound), ..Facts::new(&profile, 0) };
        assert!(certificate_missing_at_token_endpoint(&facts).is_none());
    }
}
