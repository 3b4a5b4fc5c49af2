//! Findings about the TLS side of a call: a server certificate that is not trusted
//! (`tls_untrusted`), the dev-only `insecure` switch (`insecure_tls`), and a
//! certificate-bound token (RFC 8705 `cnf.x5t#S256`) sent without its certificate or with
//! another (`token_binding_mismatch`, the certificate half; DPoP's `cnf.jkt` is the other).

use crate::core::diagnose::facts::Facts;
use crate::core::findings::{Code, Evidence, Finding, Severity};
use crate::core::model::profile::Profile;
use crate::core::net::http::HttpError;

/// `tls_untrusted` for a request refused for its server certificate; `None` for any other error.
pub(crate) fn untrusted(error: &HttpError, what: &str, severity: Severity) -> Option<Finding> {
    let HttpError::Untrusted { url, untrusted } = error else { return None };
    let expected = format!("a certificate from a trusted CA, valid now, for {}", host_of(url));
    Some(Finding::new(
        severity,
        Code::TlsUntrusted,
        format!("{what}: the server's certificate at {url} is not trusted: {}", untrusted.describe()),
        Evidence::new(Some(expected), Some(untrusted.describe())),
        untrusted.fix(),
    ))
}

fn host_of(url: &str) -> String {
    url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_else(|| url.to_owned())
}

/// `insecure_tls`: every call with `insecure` on says so, and where it was turned on.
pub(crate) fn insecure(profile: &Profile) -> Vec<Finding> {
    if !profile.tls.insecure {
        return Vec::new();
    }
    vec![Finding::warning(
        Code::InsecureTls,
        format!(
            "TLS certificate checks are off ({}): any server, or anyone on the path, is trusted with the secrets and tokens of this call",
            profile.tls.insecure_label()
        ),
        Evidence::new(Some("verified server certificates".to_owned()), Some("tls.insecure = true".to_owned())),
        "Trust the server's CA instead: set tls.ca_file (or pass --cacert FILE) to its PEM certificate, and drop tls.insecure / --insecure.",
    )]
}

/// The `x5t#S256` a token is bound to (RFC 8705 §3.1), if it is certificate-bound.
pub fn bound_thumbprint(claims: &serde_json::Map<String, serde_json::Value>) -> Option<&str> {
    claims.get("cnf")?.get("x5t#S256")?.as_str()
}

/// `token_binding_mismatch` when a certificate-bound token went to the API without the
/// certificate it is bound to.
pub(crate) fn binding(facts: &Facts<'_>) -> Vec<Finding> {
    let Some(claims) = facts.token().decoded.as_ref().map(|d| &d.claims) else { return Vec::new() };
    let Some(bound) = bound_thumbprint(claims) else { return Vec::new() };
    // Only a request that went out can present the wrong certificate.
    if facts.response.is_none() {
        return Vec::new();
    }
    let evidence =
        |actual: String| Evidence::new(Some(format!("a client certificate with x5t#S256 {bound}")), Some(actual));
    match facts.client_certificate {
        None => vec![Finding::error(
            Code::TokenBindingMismatch,
            "the token is certificate-bound (cnf.x5t#S256) but the call presented no client certificate".to_owned(),
            evidence("no client certificate".to_owned()),
            "Give the profile the certificate the token was issued to (client.certificate and client.private_key): it is presented to the API as well as the token endpoint.",
        )],
        Some(cert) if cert.thumbprint != bound => vec![Finding::error(
            Code::TokenBindingMismatch,
            format!(
                "the token is bound to another certificate than the one presented ({}, x5t#S256 {})",
                cert.subject, cert.thumbprint
            ),
            evidence(format!("x5t#S256 {} ({})", cert.thumbprint, cert.subject)),
            "Present the certificate the token was issued to, or get a new token with the certificate this profile presents.",
        )],
        Some(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::tls_config::TlsOrigin;

    #[test]
    fn insecure_is_warned_with_where_it_came_from() {
        let mut profile = Profile::default();
        assert!(insecure(&profile).is_empty());
        profile.tls.insecure = true;
        let found = insecure(&profile);
        assert_eq!((found[0].code, found[0].severity), (Code::InsecureTls, Severity::Warning));
        assert!(found[0].message.contains("tls.insecure"), "{}", found[0].message);
        profile.tls.insecure_origin = TlsOrigin::Flag;
        assert!(insecure(&profile)[0].message.contains("--insecure"));
    }

    #[test]
    fn the_bound_thumbprint_is_read_from_cnf() {
        let claims = serde_json::json!({"cnf": {"x5t#S256": "abc"}});
        assert_eq!(bound_thumbprint(claims.as_object().unwrap()), Some("abc"));
        let unbound = serde_json::json!({"cnf": {"jkt": "abc"}});
        assert_eq!(bound_thumbprint(unbound.as_object().unwrap()), None);
    }
}
