//! What the issuer's introspection answer (RFC 7662) explains: an inactive token, an
//! endpoint that gave no answer, and the introspected `exp`/`aud`/`iss` as evidence for an
//! opaque token no local check could read.

use crate::core::diagnose::explain::is_insecure_http;
use crate::core::diagnose::facts::Facts;
use crate::core::findings::{Code, Evidence, Finding};
use crate::core::oauth::client_post::EndpointError;

/// The findings the introspection answer supports (none when there was none).
pub fn introspection(facts: &Facts<'_>) -> Vec<Finding> {
    let Some(report) = facts.introspection else { return Vec::new() };
    let mut findings = Vec::new();
    let endpoint = report.endpoint.clone().unwrap_or_default();
    if let Some(request) = &report.request
        && is_insecure_http(&request.url)
    {
        findings.push(Finding::warning(
            Code::InsecureTransport,
            format!("the token and the client's credentials were sent over plain http to {}", request.url),
            Evidence::new(Some("https://".to_owned()), Some(request.url.clone())),
            "Use the issuer's https introspection endpoint; treat the secret as exposed if the network is not yours.",
        ));
    }
    let Some(answer) = &report.answer else {
        let error = report.error.clone().unwrap_or_else(|| "no answer".to_owned());
        let fix = match &report.error_kind {
            None if report.endpoint.is_none() => {
                "Set issuer.introspection_endpoint in the profile (or an issuer.url whose discovery names one)."
            }
            Some(EndpointError::OAuth { error, .. }) if error == "invalid_client" || error == "unauthorized_client" => {
                "The issuer refused the client's credentials at its introspection endpoint: check client.id, the secret or key, and that this client may introspect (some issuers allow only resource servers)."
            }
            Some(EndpointError::Http(http)) if http.is_unreachable() => {
                "Check that the introspection endpoint is up and reachable (host, port, scheme)."
            }
            Some(EndpointError::ClientAuth(_)) => "Give the client the credential its auth_method needs.",
            _ => "Check issuer.introspection_endpoint: it must answer RFC 7662 JSON with a boolean \"active\".",
        };
        findings.push(Finding::error(
            Code::IntrospectionFailed,
            format!("introspection failed: {error}"),
            Evidence::new(Some("an RFC 7662 answer".to_owned()), report.status.map(|s| format!("HTTP {s}"))),
            fix,
        ));
        return findings;
    };
    if !answer.active {
        findings.push(Finding::error(
            Code::TokenInactive,
            format!("the issuer's introspection endpoint says the token is not active ({endpoint})"),
            Evidence::new(Some("\"active\": true".to_owned()), Some("\"active\": false".to_owned())),
            "The token was revoked, has expired, or is not one this issuer knows: get a new token (tokdbg token PROFILE), and check it is the issuer's token for this client.",
        ));
        return findings;
    }
    if let Some(exp) = answer.exp
        && exp <= facts.at
    {
        findings.push(Finding::error(
            Code::Expired,
            format!("introspection says the token expired at {exp} (now {})", facts.at),
            Evidence::new(Some(format!("exp > {}", facts.at)), Some(format!("exp {exp}"))),
            "Get a new token; the issuer still calls it active, so check the issuer's clock too.",
        ));
    }
    if let Some(expected) = &facts.profile.expect.issuer
        && let Some(iss) = &answer.iss
        && iss != expected
    {
        findings.push(Finding::error(
            Code::IssuerMismatch,
            format!("introspection says the token was issued by \"{iss}\", not expect.issuer \"{expected}\""),
            Evidence::new(Some(expected.clone()), Some(iss.clone())),
            "Get the token from the issuer the API trusts, or fix expect.issuer.",
        ));
    }
    if !facts.profile.expect.audience.is_empty()
        && !answer.aud.is_empty()
        && !answer.aud.iter().any(|aud| facts.profile.expect.audience.contains(aud))
    {
        findings.push(Finding::error(
            Code::AudienceMismatch,
            format!(
                "introspection says the token is for {}, not for {}",
                answer.aud.join(", "),
                facts.profile.expect.audience.join(", ")
            ),
            Evidence::new(Some(facts.profile.expect.audience.join(" ")), Some(answer.aud.join(" "))),
            "Ask for a token for this API (client.audience or client.resource), or fix expect.audience.",
        ));
    }
    findings
}
