//! Findings from the token request: what the issuer's answer (or its silence) means, read in
//! the dialect of the issuer it looks like (`core::issuers`), with the fix in that issuer's words.

use serde_json::Value;

use crate::core::diagnose::wording;
use crate::core::findings::{Code, Evidence, Finding};
use crate::core::issuers::{self, Clues, IssuerVendor, TokenFailure};
use crate::core::model::profile::Profile;
use crate::core::oauth::token_request::{TokenError, TokenRequestReport};

/// What the token request's outcome means, read with the issuer's discovery document (when
/// read) to help tell its product.
pub fn token_request_with(
    request: Option<&TokenRequestReport>,
    profile: &Profile,
    document: Option<&Value>,
) -> Vec<Finding> {
    let Some(request) = request else { return Vec::new() };
    let mut clues = Clues::of_profile(profile);
    clues.urls.push(request.request.url.as_str());
    clues.document = document;
    clues.error = request.error_kind.as_ref();
    let vendor = IssuerVendor::detect(&clues);
    let client = profile.client.as_ref();
    let client_id = client.map(|c| c.id.as_str()).unwrap_or("?");
    let mut findings = Vec::new();
    if let Some(refused) = super::client_assertion::refused_assertion(request, profile, document, vendor) {
        findings.push(refused);
    } else if let Some(refused) = super::mtls_refusal::refused_certificate(request, profile, document) {
        findings.push(refused);
    } else if let Some(error) = &request.error_kind {
        findings.push(token_error(error, request.request.url.as_str(), profile, client_id, vendor));
    } else if let Some(error) = &request.error {
        findings.push(Finding::error(
            Code::TokenRequestFailed,
            error.clone(),
            Evidence::none(),
            "Add a [client] section with id and secret.",
        ));
    }
    if let Some(rejected) = &request.rejected_scope {
        findings.push(Finding::warning(
            Code::InvalidScope,
            format!("the issuer left out scope(s) it will not grant this client: {rejected}"),
            Evidence::new(client.map(|c| c.scopes.join(" ")), Some(format!("rejected_scope = \"{rejected}\""))),
            format!(
                "Grant {rejected} to client {client_id} at the issuer{}, or stop requesting it.",
                wording::where_scopes_are_granted(vendor)
            ),
        ));
    }
    findings
}

fn token_error(error: &TokenError, url: &str, profile: &Profile, client_id: &str, vendor: IssuerVendor) -> Finding {
    let failure = issuers::read_token_error(vendor, error).or_else(|| standard_reading(error));
    let evidence_status = |status: Option<u16>, body: &str| {
        Evidence::new(
            None,
            Some(format!("HTTP {} {}", status.map(|s| s.to_string()).unwrap_or_default(), body).trim().to_owned()),
        )
    };
    match error {
        TokenError::ClientAuth(problem) => Finding::error(
            Code::TokenRequestFailed,
            format!("no token request was sent: {problem}"),
            Evidence::new(Some("the credentials client.auth_method needs".to_owned()), Some(problem.to_string())),
            if matches!(problem, crate::core::oauth::client_auth::ClientAuthError::Assertion(_)) {
                "The client assertion cannot be signed: correct client.private_key or client.assertion_alg as said above (remove client.assertion_alg to sign with the key's own algorithm)."
            } else {
                "Give the profile what its client.auth_method needs (client.secret, client.private_key, client.certificate), or choose the method the issuer registered for the client."
            },
        ),
        TokenError::Http(http)
            if let Some(finding) = crate::core::diagnose::tls::untrusted(
                http,
                "the token request failed",
                crate::core::findings::Severity::Error,
            ) =>
        {
            finding
        }
        TokenError::Http(http) => Finding::error(
            Code::TokenRequestFailed,
            format!("the token endpoint cannot be reached: {http}"),
            Evidence::new(Some(url.to_owned()), None),
            http.local_fix().unwrap_or(
                "Check issuer.token_endpoint (or the discovery document's), that the issuer is up, and any proxy in the way.",
            ),
        ),
        TokenError::OAuth { status, error: code, description, raw_body, .. } => {
            let said = description.as_deref().map(|d| format!(": {d}")).unwrap_or_default();
            let evidence = evidence_status(Some(*status), raw_body);
            if let Some(failure) = failure {
                return refusal(failure, &Refusal { code, said: &said, evidence, profile, client_id, vendor });
            }
            Finding::error(
                Code::TokenRequestFailed,
                format!("the token endpoint answered the OAuth error {code}{said}"),
                evidence,
                match code.as_str() {
                    "unsupported_grant_type" => "This endpoint does not offer client_credentials: check the token endpoint URL and the app's grant types.",
                    "invalid_request" => "The request lacks or repeats a parameter: check client.extra, audience/resource, and that only one client auth method is used.",
                    _ => "Read the issuer's description above; the request sent is shown beside it.",
                },
            )
        }
        TokenError::NotOAuth { status, body, .. } if failure.is_some() => {
            let code = format!("HTTP {status}");
            let evidence = evidence_status(Some(*status), body);
            // The guard saw a reading; the default is never taken.
            let refused = Refusal { code: &code, said: "", evidence, profile, client_id, vendor };
            refusal(failure.unwrap_or(TokenFailure::ClientRefused), &refused)
        }
        TokenError::NotOAuth { status, what, body, .. } => Finding::error(
            Code::TokenRequestFailed,
            format!("the token endpoint answered HTTP {status} {what}"),
            evidence_status(Some(*status), body),
            match status {
                404 | 405 => "This URL is not the token endpoint: check issuer.token_endpoint or the discovery document.".to_owned(),
                // Some issuers (Glewlwyd) answer a client they reject with a bare 401/403:
                // the client's own settings are the likelier cause than a gateway.
                401 | 403 if body.is_empty() => {
                    "The issuer refused the client without saying why. Check, in this order: the client auth method (client_secret_basic vs client_secret_post) the issuer registered for this client, the secret, and the scopes the client may request (an empty or unknown scope can be refused); a gateway or IP allow-list in front of the issuer answers this way too.".to_owned()
                }
                s if *s >= 500 => "The issuer failed: retry, and check its status page or logs.".to_owned(),
                _ => "Check the token endpoint URL: it should answer JSON per RFC 6749 §5.".to_owned(),
            },
        ),
        TokenError::Redirected { location, .. } => Finding::error(
            Code::TokenRequestFailed,
            format!("the token endpoint redirects to another origin ({location}); not followed, so the secret stays home"),
            Evidence::new(Some(url.to_owned()), Some(location.clone())),
            "Set issuer.token_endpoint to the final URL.",
        ),
    }
}

/// The standard OAuth codes read without a dialect (RFC 6749 §5.2, RFC 8707).
fn standard_reading(error: &TokenError) -> Option<TokenFailure> {
    let TokenError::OAuth { error: code, description, .. } = error else { return None };
    match code.as_str() {
        "invalid_client" => {
            let about_method = description.as_deref().is_some_and(|d| {
                let d = d.to_lowercase();
                d.contains("client_secret_")
                    || d.contains("method")
                    || d.contains("basic")
                    || d.contains("authentication type")
            });
            Some(if about_method { TokenFailure::WrongAuthMethod } else { TokenFailure::BadCredentials })
        }
        "unauthorized_client" => Some(TokenFailure::GrantNotAllowed),
        "invalid_scope" => Some(TokenFailure::ScopeNotGranted),
        "invalid_target" => Some(TokenFailure::UnknownTarget),
        _ => None,
    }
}

/// What a refusal's finding is built from.
struct Refusal<'a> {
    /// The server's code as it said it (`invalid_client`, or `HTTP 403` for a bare status).
    code: &'a str,
    /// ": its description", or "".
    said: &'a str,
    evidence: Evidence,
    profile: &'a Profile,
    client_id: &'a str,
    vendor: IssuerVendor,
}

/// The finding for a refusal whose meaning is known, its fix in the detected issuer's words.
fn refusal(failure: TokenFailure, r: &Refusal<'_>) -> Finding {
    let console = r.vendor.console();
    let (code, said, client_id) = (r.code, r.said, r.client_id);
    // basic ↔ post send the same secret two ways; other methods have no twin to suggest.
    let other_method = r.profile.client.as_ref().map(|c| c.auth_method).unwrap_or_default().other();
    let switch = match other_method {
        Some(other) => format!("set client.auth_method = \"{}\"", other.as_str()),
        None => "set client.auth_method to the method the issuer registered for it".to_owned(),
    };
    let other = other_method.map_or("another auth method", |m| m.as_str());
    let rejected = || format!("the issuer rejected the client credentials ({code}){said}");
    let (message, evidence, fix) = match failure {
        TokenFailure::BadCredentials => (
            rejected(),
            r.evidence.clone(),
            format!(
                "Check client.id ({client_id}) and the secret behind client.secret{}. If both are right, the client may be registered for {other}: {switch}{}.",
                console.credentials, console.auth_method
            ),
        ),
        TokenFailure::ExpiredSecret => (
            rejected(),
            r.evidence.clone(),
            format!(
                "The client's secret has expired: create a new one{} and put it in client.secret.",
                console.credentials
            ),
        ),
        TokenFailure::UnknownClient => (
            format!("the issuer does not know client {client_id} ({code}){said}"),
            r.evidence.clone(),
            format!(
                "Check client.id ({client_id}), and that issuer.url names the tenant or realm the client is registered in{}.",
                console.credentials
            ),
        ),
        TokenFailure::WrongAuthMethod => (
            rejected(),
            r.evidence.clone(),
            format!("The client must authenticate another way: {switch}{}.", console.auth_method),
        ),
        TokenFailure::ClientRefused => (
            format!("the issuer refused the client without saying why ({code}){said}"),
            r.evidence.clone(),
            if console.refused.is_empty() {
                format!(
                    "Check the client auth method the issuer registered for this client ({switch} if it is {other}), then the secret."
                )
            } else {
                console.refused.to_owned()
            },
        ),
        TokenFailure::GrantNotAllowed => (
            format!("this client may not use the client_credentials grant ({code}){said}"),
            r.evidence.clone(),
            format!(
                "Enable the client_credentials grant for the app{}.",
                wording::where_the_grant_is_enabled(r.vendor)
            ),
        ),
        TokenFailure::ScopeNotGranted => {
            let requested = r.profile.client.as_ref().map(|c| c.scopes.join(" ")).unwrap_or_default();
            (
                format!("a requested scope is not granted to this client ({code}){said}"),
                Evidence::new(Some(format!("scopes granted to {client_id}")), Some(format!("requested: {requested}"))),
                format!(
                    "Grant the scope to this client at the issuer{}, or remove it from client.scopes.",
                    wording::where_scopes_are_granted(r.vendor)
                ),
            )
        }
        TokenFailure::UnknownTarget => {
            let client = r.profile.client.as_ref();
            let target = client.and_then(|c| c.audience.clone().or_else(|| c.resource.clone())).unwrap_or_default();
            (
                format!("the issuer does not know the requested audience/resource ({code}){said}"),
                Evidence::new(Some("an API identifier registered at the issuer".to_owned()), Some(target)),
                format!(
                    "Set client.audience (or client.resource) to the API identifier exactly as registered at the issuer{}, or remove it.",
                    console.target
                ),
            )
        }
    };
    Finding::error(failure.code(), message, evidence, fix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::oauth::token_request::RequestView;

    fn report(url: &str, error: TokenError) -> TokenRequestReport {
        TokenRequestReport {
            request: RequestView { method: "POST".into(), url: url.into(), headers: vec![], form: vec![] },
            status: error.status(),
            response: None,
            error: Some(error.to_string()),
            oauth_error: error.oauth_error().map(str::to_owned),
            rejected_scope: None,
            notes: vec![],
            latency_ms: 0.0,
            error_kind: Some(error),
            assertion: None,
            client_certificate: None,
        }
    }

    #[test]
    fn a_discovery_document_tells_a_bare_403_is_glewlwyd_refusing_the_client() {
        let bare =
            TokenError::NotOAuth { status: 403, what: String::new(), content_type: String::new(), body: String::new() };
        let request = report("https://id.example/token", bare);
        let profile = Profile::default();
        let plain = token_request_with(Some(&request), &profile, None);
        assert_eq!(plain[0].code, Code::TokenRequestFailed);
        assert!(!plain[0].fix.contains("Glewlwyd"), "{}", plain[0].fix);
        let document = serde_json::json!({"check_session_iframe": "https://id.example/check_session_iframe"});
        let told = token_request_with(Some(&request), &profile, Some(&document));
        assert_eq!(told[0].code, Code::InvalidClient);
        assert!(
            told[0].fix.contains("Glewlwyd") && told[0].fix.contains("Token endpoint auth method"),
            "{}",
            told[0].fix
        );
    }

    #[test]
    fn keycloak_invalid_client_secret_is_the_credentials_whatever_the_url() {
        let error = TokenError::OAuth {
            status: 401,
            error: "unauthorized_client".into(),
            description: Some("Invalid client secret".into()),
            uri: None,
            raw_body: r#"{"error":"unauthorized_client","error_description":"Invalid client secret"}"#.into(),
        };
        let findings =
            token_request_with(Some(&report("http://127.0.0.1:8080/token", error)), &Profile::default(), None);
        assert_eq!(findings[0].code, Code::InvalidClient);
        assert!(findings[0].fix.contains("Keycloak: Clients"), "{}", findings[0].fix);
    }
}
