//! Findings from what tokdbg saw itself: discovery, the token request, the token's form,
//! each failed verification check, and the scope gap. Each with a concrete fix.

use crate::core::clock;
use crate::core::diagnose::facts::Facts;
use crate::core::diagnose::hints;
use crate::core::diagnose::wording::{self, IssuerVendor};
use crate::core::findings::{Code, Evidence, Finding, Severity};
use crate::core::model::profile::Profile;
use crate::core::net::discovery::DiscoveryError;
use crate::core::net::discovery::DiscoveryReport;
use crate::core::token::info::TokenSource;
use crate::core::token::jwt::{DecodeError, NumericDate};
use crate::core::token::verify::{Check, CheckStatus};

pub fn discovery(discovery: Option<&DiscoveryReport>, profile: &Profile) -> Vec<Finding> {
    let Some(discovery) = discovery else { return Vec::new() };
    if discovery.ok {
        return discovery_document(discovery, profile);
    }
    let error = discovery.error.clone().unwrap_or_default();
    // With explicit endpoints the call can go on: then it is only a warning.
    let explicit = profile.issuer.token_endpoint.is_some() && profile.issuer.jwks_uri.is_some();
    let severity =
        if explicit { crate::core::findings::Severity::Warning } else { crate::core::findings::Severity::Error };
    let issuer = profile.issuer.url.clone().unwrap_or_default();
    let finding = match &discovery.error_kind {
        Some(DiscoveryError::Http(http))
            if let Some(finding) = crate::core::diagnose::tls::untrusted(http, "discovery failed", severity) =>
        {
            finding
        }
        Some(DiscoveryError::Http(http)) if http.is_unreachable() => Finding::new(
            severity,
            Code::NetworkError,
            format!("cannot reach the issuer: {http}"),
            Evidence::new(Some(discovery.url.clone()), Some(error)),
            http.local_fix()
                .unwrap_or("Check the host and port of issuer.url, that the issuer is up, and any proxy or VPN in the way."),
        ),
        _ => Finding::new(
            severity,
            Code::DiscoveryFailed,
            format!("no usable discovery document at {}", discovery.url),
            Evidence::new(Some("an OpenID Provider configuration (JSON)".to_owned()), Some(error)),
            match hints::discovery_hint(&issuer, profile.expect.issuer.as_deref(), IssuerVendor::of(profile)) {
                Some(hint) => format!("{hint}. Set issuer.url to the token's iss, or give issuer.token_endpoint and issuer.jwks_uri."),
                None => "Set issuer.url to the issuer exactly as in the token's iss, or give issuer.token_endpoint and issuer.jwks_uri explicitly.".to_owned(),
            },
        ),
    };
    vec![finding]
}

/// What a discovery document that was read lacks or gets wrong for this profile: an endpoint
/// the profile takes from it (missing, not a string, not an absolute URL), or another issuer.
fn discovery_document(discovery: &DiscoveryReport, profile: &Profile) -> Vec<Finding> {
    use serde_json::Value;
    let Some(document) = &discovery.document else { return Vec::new() };
    let url = &discovery.url;
    let mut findings = Vec::new();
    let wanted = [
        ("jwks_uri", profile.issuer.jwks_uri.is_none(), "no key can be fetched to check signatures"),
        (
            "token_endpoint",
            profile.issuer.token_endpoint.is_none() && profile.client.is_some(),
            "no token can be requested",
        ),
    ];
    for (field, wanted, consequence) in wanted {
        let problem = match document.get(field) {
            _ if !wanted => continue,
            None | Some(Value::Null) => format!("has no {field}"),
            Some(Value::String(value)) => match crate::core::store::profile_store::check_http_url(value) {
                Ok(_) => continue,
                Err(e) => format!("gives {field} \"{value}\", not an absolute http(s) URL: {e}"),
            },
            Some(other) => format!("gives a {field} that is not a string: {other}"),
        };
        findings.push(Finding::error(
            Code::DiscoveryFailed,
            format!("the discovery document at {url} {problem}, so {consequence}"),
            Evidence::new(
                Some(format!("{field}: an absolute https URL")),
                Some(document.get(field).map_or("(missing)".to_owned(), Value::to_string)),
            ),
            format!("Fix the issuer's discovery document, or set issuer.{field} in the profile explicitly."),
        ));
    }
    // OpenID Connect Discovery §4.3: the document's issuer is the URL discovery started from.
    if let (Some(said), Some(configured)) = (&discovery.issuer, &profile.issuer.url)
        && said != configured
    {
        let hint = if said.trim_end_matches('/') == configured.trim_end_matches('/') {
            ": only a trailing slash differs, and issuers are compared character by character"
        } else {
            ""
        };
        // The document was read: what differs is the issuer, and tokens will carry that iss.
        findings.push(Finding::warning(
            Code::IssuerMismatch,
            format!("the discovery document at {url} names the issuer \"{said}\", not issuer.url \"{configured}\"{hint}"),
            Evidence::new(Some(configured.clone()), Some(said.clone())),
            format!("Its tokens carry iss \"{said}\": set issuer.url (and expect.issuer) to exactly that, or check that issuer.url points at the right tenant."),
        ));
    }
    findings
}

pub fn token_form(facts: &Facts<'_>) -> Option<Finding> {
    let error = facts.token().decode_error_kind.as_ref()?;
    // An opaque token the issuer answered for is explained by that answer, not by its form:
    // one it issued (fetched), or one it calls active. A pasted string it does not know may
    // just as well be a paste mistake: then its form is told first.
    if error.looks_opaque()
        && let Some(answer) = facts.introspection.and_then(|i| i.answer.as_ref())
        && (answer.active || facts.token().source != TokenSource::Given)
    {
        return None;
    }
    let (message, fix) = match error {
        DecodeError::SegmentCount(1) => (
            "an opaque (reference) token: it cannot be decoded or verified locally".to_owned(),
            "The API must introspect it (RFC 7662); an API expecting JWTs needs the issuer to issue JWT access tokens (set an audience/resource, or the app's token format).".to_owned(),
        ),
        DecodeError::Encrypted => (
            "an encrypted token (JWE): only its recipient can read it".to_owned(),
            "Disable access-token encryption for this API at the issuer, or decrypt on the API side.".to_owned(),
        ),
        other => (format!("not a JWT: {other}"), "Pass the access token itself (three base64url parts separated by dots), without quotes or extra text.".to_owned()),
    };
    Some(Finding::error(
        Code::MalformedToken,
        message,
        Evidence::new(Some("a JWS compact token".to_owned()), facts.token().size.map(|s| format!("{s} bytes"))),
        fix,
    ))
}

/// One finding per failed check, in the order of the checklist.
pub fn checks(facts: &Facts<'_>) -> Vec<Finding> {
    let Some(verification) = facts.verification else { return Vec::new() };
    let mut findings: Vec<Finding> = Vec::new();
    for check in verification.checks.iter().filter(|c| c.status == CheckStatus::Fail) {
        let Some(code) = check.code else { continue };
        if findings.iter().any(|f| f.code == code) {
            continue;
        }
        findings.push(check_finding(check, code, facts));
    }
    findings
}

fn check_finding(check: &Check, code: Code, facts: &Facts<'_>) -> Finding {
    let profile = facts.profile;
    let evidence = Evidence::new(check.expected.clone(), check.actual.clone());
    let actual = check.actual.clone().unwrap_or_default();
    let expected = check.expected.clone().unwrap_or_default();
    let decoded = facts.token().decoded.as_ref();
    match code {
        Code::AlgNone => Finding::error(
            code,
            "the token is unsigned (alg none): no API may accept it",
            evidence,
            "Fix the issuer's signing configuration (choose RS256); never allow \"none\" in the API.",
        ),
        Code::AlgNotAllowed => {
            let fix = if actual.starts_with("HS") {
                format!(
                    "{} If the API really verifies HS256, add it to expect.algorithms and give expect.hmac_secret.",
                    wording::switch_to_rs256(wording::issuer_of(facts))
                )
            } else {
                format!(
                    "Make the issuer sign with one of {expected}, or add {actual} to expect.algorithms if the API accepts it."
                )
            };
            Finding::error(
                code,
                format!("the token is signed with {actual}, which the API does not accept ({expected})"),
                evidence,
                fix,
            )
        }
        Code::KidNotFound => {
            let kid = actual.clone();
            Finding::error(
                code,
                format!(
                    "no key with kid {kid} in the JWKS{}",
                    if facts.verification.is_some_and(|v| v.jwks_refetched) {
                        " (fetched again to be sure)"
                    } else {
                        ""
                    }
                ),
                evidence,
                "The token comes from another issuer or tenant than this JWKS, or its key was rotated out: compare the token's iss with issuer.url, and check issuer.jwks_uri.",
            )
        }
        // The JWKS host's certificate was refused: that, named, is the cause.
        Code::JwksUnreachable
            if let Some(crate::core::net::jwks::JwksError::Http(http)) =
                facts.verification.and_then(|v| v.jwks_error_kind.as_ref())
                && let Some(finding) =
                    crate::core::diagnose::tls::untrusted(http, "the JWKS cannot be read", Severity::Error) =>
        {
            finding
        }
        Code::JwksUnreachable => {
            let uri =
                facts.verification.and_then(|v| v.key.as_ref().map(|k| k.source.clone())).unwrap_or(expected.clone());
            let hint = hints::jwks_uri_hint(&uri, profile.issuer.url.as_deref().or(profile.expect.issuer.as_deref()));
            Finding::error(
                code,
                format!("the JWKS cannot be read: {}", check.detail),
                evidence,
                hint.map(|h| format!("{h}.")).unwrap_or_else(|| "Check issuer.jwks_uri (or the discovery document's jwks_uri): it must answer {\"keys\": [...]}.".to_owned()),
            )
        }
        // The key check fails with this code when the kid's key exists but cannot verify this alg.
        Code::SignatureInvalid if check.name == crate::core::token::verify::CheckName::Key => Finding::error(
            code,
            format!("the JWKS publishes kid {actual}, but with a key that cannot verify this token: {}", check.detail),
            evidence,
            if check.detail.contains(crate::core::net::jwks::KEY_REJECTED) {
                "The crypto backend (aws-lc) verifies RSA only with 2048- to 8192-bit keys, as most current libraries do: the issuer must sign with a key of at least 2048 bits (rotate the key)."
            } else {
                "The issuer's key set is inconsistent (wrong key type, curve, use or alg for this kid): check the issuer's signing key configuration, or whether the token's alg header was altered."
            },
        ),
        Code::SignatureInvalid => Finding::error(
            code,
            // The check's detail may open with the same words ("does not verify: …").
            format!("the signature does not verify: {}", check.detail.trim_start_matches("does not verify: ")),
            evidence,
            "The token was signed by another key (another tenant, environment or issuer) or altered: fetch a fresh token from the issuer this profile names.",
        ),
        Code::Expired => {
            let mut fix = "Fetch a new token (tokdbg re-fetches cached ones before they expire).".to_owned();
            if let (Some(decoded), TokenSource::Fetched) = (decoded, facts.token().source)
                && let NumericDate::Valid(iat) = decoded.numeric_date("iat")
                && facts.at.saturating_sub(iat) > 120
            {
                fix = format!(
                    "The token was issued {} before it arrived: the issuer's clock is behind by about that much. Fix the issuer's clock (NTP); raising expect.leeway_secs only hides it.",
                    clock::humanize_duration(facts.at.abs_diff(iat))
                );
            }
            Finding::error(code, format!("the token {}", check.detail), evidence, fix)
        }
        Code::NotYetValid => Finding::error(
            code,
            format!("the token is {}", check.detail),
            evidence,
            "The issuer's clock is ahead of this machine's: sync clocks (NTP), or allow a small expect.leeway_secs if the API does too.",
        ),
        Code::IssuerMismatch => {
            let hint = hints::issuer_near_miss(&expected, &actual);
            Finding::error(
                code,
                format!(
                    "the token's iss is \"{actual}\", the API expects \"{expected}\"{}",
                    hint.as_deref().map(|h| format!(": {h}")).unwrap_or_default()
                ),
                evidence,
                format!(
                    "Set the API's issuer (and expect.issuer) to exactly \"{actual}\" — or fetch the token from the issuer the API trusts."
                ),
            )
        }
        Code::AudienceMismatch => {
            let auds = decoded.and_then(|d| d.audiences()).unwrap_or_default();
            let azp = decoded.and_then(|d| d.claim_str("azp").or_else(|| d.claim_str("client_id")));
            let client_id = profile.client.as_ref().map(|c| c.id.as_str());
            let hint = hints::audience_near_miss(&profile.expect.audience, &auds, client_id, azp);
            Finding::error(
                code,
                format!(
                    "the token's aud is {actual}, the API expects {expected}{}",
                    hint.as_deref().map(|h| format!(": {h}")).unwrap_or_default()
                ),
                evidence,
                "Make the API's audience setting (and expect.audience) match the token's aud, or request the right audience (client.audience / client.resource).",
            )
        }
        // The signature check fails with this code when the header forbids accepting the token.
        Code::MalformedToken if check.name == crate::core::token::verify::CheckName::Signature => Finding::error(
            code,
            format!("the token's header makes it invalid whatever the key: {}", check.detail),
            evidence,
            decoded.and_then(|d| d.header_problem()).map(|p| p.fix()).unwrap_or_else(|| {
                "The issuer's token header breaks RFC 7515/7797: report it; a strict verifier rejects it.".to_owned()
            }),
        ),
        Code::MalformedToken => Finding::error(
            code,
            format!("{}: {}", check.name.label(), check.detail),
            evidence,
            "The issuer emits a malformed claim: report it; most APIs reject such tokens.",
        ),
        other => {
            Finding::error(other, format!("{}: {}", check.name.label(), check.detail), evidence, "See the checklist.")
        }
    }
}

/// Missing scopes, and scopes sitting where the API does not read them.
pub fn scopes(facts: &Facts<'_>) -> Vec<Finding> {
    let profile = facts.profile;
    let Some(gap) = facts.scope_gap.filter(|g| !g.satisfied) else { return Vec::new() };
    let mut findings = Vec::new();
    let claim = &profile.expect.scope_claim;
    let elsewhere = facts
        .token()
        .scope_claims
        .iter()
        .find(|g| g.claim != *claim && gap.missing.iter().any(|m| g.scopes.contains(m)));
    if let Some(other) = elsewhere {
        findings.push(Finding::error(
            Code::ScopeClaimMismatch,
            format!(
                "the token carries {} in \"{}\", but the API reads \"{claim}\"",
                gap.missing.join(" "),
                other.claim
            ),
            Evidence::new(Some(format!("{claim}: {}", gap.required.join(" "))), Some(format!("{}: {}", other.claim, other.scopes.join(" ")))),
            format!(
                "Make the API read \"{}\" ({}), or have the issuer put the scopes in \"{claim}\". If the API already reads \"{}\", set expect.scope_claim = \"{}\".",
                other.claim,
                wording::api_stack(facts).scope_claim_setting(&other.claim),
                other.claim,
                other.claim
            ),
        ));
    }
    let requested = profile.client.as_ref().map(|c| c.scopes.clone()).unwrap_or_default();
    let not_requested: Vec<&String> = gap.missing.iter().filter(|m| !requested.contains(m)).collect();
    let fix = if !not_requested.is_empty() && profile.client.is_some() {
        format!(
            "Add {} to client.scopes, and make sure the issuer grants it to client {}.",
            not_requested.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "),
            profile.client.as_ref().map(|c| c.id.as_str()).unwrap_or("?")
        )
    } else {
        format!(
            "Grant {} to client {} at the issuer{}, then fetch a new token.",
            gap.missing.join(" "),
            profile.client.as_ref().map(|c| c.id.as_str()).unwrap_or("this client"),
            wording::where_scopes_are_granted(wording::issuer_of(facts))
        )
    };
    let needs = match gap.mode {
        crate::core::model::profile::ScopeMatch::All => "all of",
        crate::core::model::profile::ScopeMatch::Any => "any of",
    };
    findings.push(Finding::error(
        Code::ScopeMissing,
        format!("the token lacks {} for \"{}\"", gap.missing.join(" "), facts.endpoint_name()),
        Evidence::new(
            Some(format!("{needs} {}", gap.required.join(" "))),
            Some(if gap.granted.is_empty() { "(no scopes)".to_owned() } else { gap.granted.join(" ") }),
        ),
        fix,
    ));
    findings
}

/// True for http:// URLs whose host is not this machine (where anyone on the path can read).
pub fn is_insecure_http(url: &str) -> bool {
    let Ok(parsed) = url::Url::parse(url) else { return false };
    if parsed.scheme() != "http" {
        return false;
    }
    match parsed.host() {
        Some(url::Host::Ipv4(ip)) => !ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => !ip.is_loopback(),
        Some(url::Host::Domain(domain)) => {
            !(domain.eq_ignore_ascii_case("localhost") || domain.to_ascii_lowercase().ends_with(".localhost"))
        }
        None => false,
    }
}

/// Warnings for a client secret or a token sent over plain http to another machine.
pub fn transport(facts: &Facts<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(request) = facts.token_request
        && is_insecure_http(&request.request.url)
    {
        findings.push(Finding::warning(
            Code::InsecureTransport,
            format!("the client secret was sent over plain http to {}", request.request.url),
            Evidence::new(Some("https://".to_owned()), Some(request.request.url.clone())),
            "Use the issuer's https URL; treat this secret as exposed and rotate it if the network is not yours.",
        ));
    }
    if facts.token().source != TokenSource::None && facts.response.is_some() && is_insecure_http(facts.endpoint_url()) {
        findings.push(Finding::warning(
            Code::InsecureTransport,
            format!("the bearer token was sent over plain http to {}", facts.endpoint_url()),
            Evidence::new(Some("https://".to_owned()), Some(facts.endpoint_url().to_owned())),
            "Call the API over https: anyone on the path can replay a bearer token until it expires.",
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::is_insecure_http;

    #[test]
    fn only_plain_http_to_other_machines_is_insecure() {
        assert!(is_insecure_http("http://api.example.com/x"));
        assert!(is_insecure_http("http://10.0.0.5:8080/x"));
        assert!(!is_insecure_http("https://api.example.com/x"));
        assert!(!is_insecure_http("http://127.0.0.1:4455/x"));
        assert!(!is_insecure_http("http://127.8.9.10/x"));
        assert!(!is_insecure_http("http://localhost:5000/api"));
        assert!(!is_insecure_http("http://[::1]:80/"));
        assert!(!is_insecure_http("not a url"));
    }
}
