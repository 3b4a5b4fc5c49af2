//! `invalid_client` for a client that authenticated with its TLS certificate (RFC 8705 §2:
//! `tls_client_auth`, `self_signed_tls_client_auth`): the refusal is about the certificate
//! presented, never a secret, so the evidence is that certificate and the fix names what the
//! issuer compares it with for the method (RFC 8705 client metadata).

use serde_json::Value;

use crate::core::findings::{Code, Evidence, Finding};
use crate::core::model::profile::{AuthMethod, Profile};
use crate::core::oauth::token_request::{TokenError, TokenRequestReport};

/// The finding for a certificate the issuer refused as the client's credential, or `None` when
/// the client did not authenticate with a certificate or was not refused as a client.
pub fn refused_certificate(
    request: &TokenRequestReport,
    profile: &Profile,
    document: Option<&Value>,
) -> Option<Finding> {
    let client = profile.client.as_ref()?;
    let method = client.auth_method;
    if !method.uses_certificate() {
        return None;
    }
    let Some(TokenError::OAuth { error, description, status, raw_body, .. }) = &request.error_kind else {
        return None;
    };
    if error != "invalid_client" {
        return None;
    }
    let said = description.as_deref().map(|d| format!(": {d}")).unwrap_or_default();
    let client_id = client.id.as_str();
    let presented = request.client_certificate.as_ref().map_or_else(
        || format!("no client certificate reached the token endpoint (HTTP {status} {raw_body})"),
        |cert| format!("{} (issuer {}, x5t#S256 {})", cert.subject, cert.issuer, cert.thumbprint),
    );
    let (expected, fix) = if request.client_certificate.is_none() {
        (
            "a client certificate presented over https".to_owned(),
            format!(
                "No certificate was presented: check client.certificate and client.private_key, and that the token \
                 endpoint is https (for {}, the certificate is the client's only credential).",
                method.as_str()
            ),
        )
    } else if let Some(listed) = offered_methods(document).filter(|m| !m.iter().any(|m| m == method.as_str())) {
        (
            format!("{} among the issuer's token_endpoint_auth_methods_supported", method.as_str()),
            format!(
                "The issuer does not offer {}: set client.auth_method to one it lists ({}), or enable the method at the issuer.",
                method.as_str(),
                listed.join(", ")
            ),
        )
    } else if method == AuthMethod::SelfSignedTlsClientAuth {
        (
            format!("a certificate registered in client {client_id}'s jwks or jwks_uri (x5c, matched by x5t#S256)"),
            format!(
                "Register this certificate for client {client_id} (its JWKS entry's x5c; the issuer matches the \
                 x5t#S256 above), or point client.certificate and client.private_key at the registered one."
            ),
        )
    } else {
        (
            format!(
                "a certificate from a CA the issuer trusts, with the subject DN (or SAN) registered for client {client_id}"
            ),
            format!(
                "Compare this certificate's subject with the one registered for client {client_id} \
                 (tls_client_auth_subject_dn, or a tls_client_auth_san_* value), and check the issuer trusts its CA; \
                 or point client.certificate and client.private_key at the certificate registered for it."
            ),
        )
    };
    Some(Finding::error(
        Code::InvalidClient,
        format!(
            "the issuer refused the client certificate presented for {client_id} ({}, invalid_client){said}",
            method.as_str()
        ),
        Evidence::new(Some(expected), Some(presented)),
        fix,
    ))
}

/// The discovery document's `token_endpoint_auth_methods_supported`, when it has one.
fn offered_methods(document: Option<&Value>) -> Option<Vec<String>> {
    let list = document?.get("token_endpoint_auth_methods_supported")?.as_array()?;
    Some(list.iter().filter_map(Value::as_str).map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::net::cert_info::CertInfo;

    fn report(certificate: Option<CertInfo>) -> TokenRequestReport {
        TokenRequestReport {
            client_certificate: certificate,
            ..TokenRequestReport::refused_for_tests(401, "invalid_client", Some("client authentication failed"))
        }
    }

    fn certificate() -> CertInfo {
        CertInfo {
            subject: "CN=stranger".into(),
            issuer: "CN=test CA".into(),
            names: vec![],
            not_before: 0,
            not_after: 1,
            thumbprint: "THUMB".into(),
        }
    }

    fn profile(method: &str) -> Profile {
        let mut profile = Profile::default();
        let client = toml::from_str::<crate::core::model::profile::ClientConfig>(&format!(
            "id = \"app\"\nauth_method = \"{method}\"\ncertificate = \"file:c.pem\"\nprivate_key = \"file:c.key\""
        ))
        .expect("client");
        profile.client = Some(client);
        profile
    }

    #[test]
    fn a_refused_tls_client_auth_certificate_is_the_evidence_and_the_subject_is_the_fix() {
        let found =
            refused_certificate(&report(Some(certificate())), &profile("tls_client_auth"), None).expect("finding");
        assert_eq!(found.code, Code::InvalidClient);
        assert!(found.evidence.actual.as_deref().is_some_and(|a| a.contains("THUMB") && a.contains("CN=stranger")));
        assert!(found.fix.contains("tls_client_auth_subject_dn"), "{}", found.fix);
        assert!(!found.fix.contains("client.secret"), "{}", found.fix);
    }

    #[test]
    fn a_refused_self_signed_certificate_points_at_the_registered_jwks() {
        let found = refused_certificate(&report(Some(certificate())), &profile("self_signed_tls_client_auth"), None)
            .expect("finding");
        assert!(found.fix.contains("x5c"), "{}", found.fix);
    }

    #[test]
    fn a_method_the_issuer_does_not_list_is_said_first() {
        let document = serde_json::json!({"token_endpoint_auth_methods_supported": ["client_secret_basic"]});
        let found = refused_certificate(&report(Some(certificate())), &profile("tls_client_auth"), Some(&document))
            .expect("finding");
        assert!(found.fix.contains("does not offer tls_client_auth"), "{}", found.fix);
    }

    #[test]
    fn no_certificate_presented_is_said_as_such() {
        let found = refused_certificate(&report(None), &profile("tls_client_auth"), None).expect("finding");
        assert!(found.evidence.actual.as_deref().is_some_and(|a| a.contains("no client certificate")));
    }

    #[test]
    fn secret_methods_are_left_to_the_generic_reading() {
        let client =
            toml::from_str("id = \"app\"\nsecret = \"s\"\nauth_method = \"client_secret_basic\"").expect("client");
        let profile = Profile { client: Some(client), ..Profile::default() };
        assert!(refused_certificate(&report(None), &profile, None).is_none());
    }
}
