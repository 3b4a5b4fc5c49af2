//! Reading the API's answer against what tokdbg found locally: which local finding the
//! server corroborates, or — when the token verifies locally — what the server's
//! configuration must look like for it to answer as it did.

use crate::core::diagnose::evidence;
use crate::core::diagnose::facts::Facts;
use crate::core::diagnose::hints;
use crate::core::diagnose::wording;
use crate::core::findings::{Code, Evidence, Finding};
use crate::core::probe::ProbeResponse;
use crate::core::server_message::ServerReason;

/// The local finding codes the server's reason confirms, most specific first.
pub fn corroborated_codes(reason: &ServerReason, token_alg: Option<&str>, status: u16) -> Vec<Code> {
    match reason {
        ServerReason::TokenMissing => vec![Code::TokenMissing],
        ServerReason::BadScheme | ServerReason::Malformed => vec![Code::MalformedToken, Code::AlgNone],
        ServerReason::Expired { .. } => vec![Code::Expired],
        ServerReason::NotYetValid => vec![Code::NotYetValid],
        ServerReason::InvalidSignature => vec![Code::SignatureInvalid, Code::KidNotFound],
        ServerReason::InvalidAlgorithm => vec![Code::AlgNone, Code::AlgNotAllowed],
        ServerReason::NoVerificationKey => {
            if token_alg.is_some_and(|a| a.starts_with("HS")) {
                vec![Code::AlgNotAllowed, Code::KidNotFound]
            } else {
                vec![Code::KidNotFound, Code::AlgNotAllowed, Code::AlgNone, Code::JwksUnreachable]
            }
        }
        ServerReason::AudienceInvalid { .. } => vec![Code::AudienceMismatch],
        ServerReason::IssuerInvalid { .. } => vec![Code::IssuerMismatch],
        ServerReason::InsufficientScope { .. } | ServerReason::ClaimMissing { .. } => {
            vec![Code::ScopeClaimMismatch, Code::ScopeMissing]
        }
        ServerReason::JwksFailure { .. } => vec![],
        ServerReason::InvalidToken { .. } => chain_codes(),
        ServerReason::Unrecognized => match status {
            401 => chain_codes(),
            403 => vec![Code::ScopeClaimMismatch, Code::ScopeMissing],
            _ => vec![],
        },
    }
}

/// Every token-side code, in the diagnosis chain order.
fn chain_codes() -> Vec<Code> {
    vec![
        Code::MalformedToken,
        Code::JwksUnreachable,
        Code::KidNotFound,
        Code::SignatureInvalid,
        Code::AlgNone,
        Code::AlgNotAllowed,
        Code::Expired,
        Code::NotYetValid,
        Code::IssuerMismatch,
        Code::AudienceMismatch,
        Code::ScopeClaimMismatch,
        Code::ScopeMissing,
    ]
}

/// The finding for an answer no local finding explains: the server's config differs.
pub fn server_side(facts: &Facts<'_>, response: &ProbeResponse) -> Finding {
    let (profile, baseline) = (facts.profile, facts.baseline);
    let server = facts.server;
    let said = server.and_then(|s| s.message.clone()).unwrap_or_else(|| format!("HTTP {}", response.status));
    let reason = server.map(|s| s.reason.clone()).unwrap_or(ServerReason::Unrecognized);
    let decoded = facts.token().decoded.as_ref();
    let status = response.status;
    let server_evidence = |expected: Option<String>, actual: Option<String>| Evidence::new(expected, actual);

    if let Some(location) = &response.unfollowed_redirect {
        return Finding::error(
            Code::ServerRejected,
            format!("the API redirects to another origin ({location}); not followed, so the token is not sent there"),
            Evidence::new(Some(facts.endpoint_url().to_owned()), Some(location.clone())),
            "Call the final URL directly (fix the endpoint's url).",
        );
    }

    // The server's named cause, when tokdbg's own check for it could not run: trusted.
    let unchecked = evidence::unchecked_cause(facts, &reason);

    match reason {
        // A refusal of a request sent without a token is that, whatever the server's words.
        _ if baseline && (status == 401 || status == 403) => Finding::error(
            Code::TokenMissing,
            format!("no token was sent, and the API answers {status}: the endpoint is protected (the baseline)"),
            server_evidence(Some("Authorization: Bearer <token>".to_owned()), Some(said)),
            "Send the request with a token.",
        ),
        ServerReason::TokenMissing if baseline => Finding::error(
            Code::TokenMissing,
            format!("no token was sent, and the API answers {status}: the endpoint is protected (the baseline)"),
            server_evidence(Some("Authorization: Bearer <token>".to_owned()), Some(said)),
            "Send the request with a token.",
        ),
        ServerReason::TokenMissing => Finding::error(
            Code::ServerRejected,
            "a token was sent, but the API says it found none".to_owned(),
            server_evidence(Some("Authorization: Bearer <token>".to_owned()), Some(said)),
            "A proxy in front of the API may strip the Authorization header, or the API reads the token elsewhere (another header, a cookie, a query parameter).",
        ),
        ServerReason::AudienceInvalid { expected } => {
            let auds = decoded.and_then(|d| d.audiences()).unwrap_or_default();
            let expected_list: Vec<String> = expected.iter().flat_map(|e| e.split(" or ").map(str::to_owned)).collect();
            let azp = decoded.and_then(|d| d.claim_str("azp").or_else(|| d.claim_str("client_id")));
            let hint =
                hints::audience_near_miss(&expected_list, &auds, profile.client.as_ref().map(|c| c.id.as_str()), azp);
            Finding::error(
                Code::AudienceMismatch,
                format!(
                    "the API expects audience {}, the token's aud is {} ({}){}",
                    expected.as_deref().map(|e| format!("\"{e}\"")).unwrap_or_else(|| "(not said)".to_owned()),
                    quote(&auds),
                    if unchecked.is_some() {
                        "the profile's expect.audience did not check it"
                    } else {
                        "which the profile's expect.audience accepts"
                    },
                    hint.map(|h| format!(": {h}")).unwrap_or_default()
                ),
                server_evidence(expected.clone(), Some(auds.join(", "))),
                format!(
                    "The API's configuration and the profile's [expect] disagree: align {} with the token's aud, or have the issuer mint the audience the API expects; then set expect.audience to the same value.",
                    wording::api_stack(facts).audience
                ),
            )
        }
        ServerReason::IssuerInvalid { expected } => {
            let iss = decoded.and_then(|d| d.claim_str("iss")).unwrap_or_default().to_owned();
            let hint = expected.as_deref().and_then(|e| hints::issuer_near_miss(e, &iss));
            Finding::error(
                Code::IssuerMismatch,
                format!(
                    "the API expects issuer {}, the token's iss is \"{iss}\" ({}){}",
                    expected.as_deref().map(|e| format!("\"{e}\"")).unwrap_or_else(|| "(not said)".to_owned()),
                    if unchecked.is_some() {
                        "the profile's expect.issuer did not check it"
                    } else {
                        "which the profile's expect.issuer accepts"
                    },
                    hint.map(|h| format!(": {h}")).unwrap_or_default()
                ),
                server_evidence(expected.clone(), Some(iss.clone())),
                format!(
                    "The API's configuration and the profile's [expect] disagree: set {} to exactly \"{iss}\" (the issuer's own spelling, trailing slash included).",
                    wording::api_stack(facts).issuer
                ),
            )
        }
        ServerReason::InsufficientScope { scopes } => {
            let granted = facts.scope_gap.map(|g| g.granted.join(" ")).unwrap_or_default();
            let server_wants: Vec<&String> =
                scopes.iter().filter(|s| !facts.scope_gap.is_some_and(|g| g.granted.contains(s))).collect();
            if !server_wants.is_empty() {
                let wanted = server_wants.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ");
                return Finding::error(
                    Code::ScopeMissing,
                    format!("the API requires {wanted}, which the token lacks (the profile's required_scopes differ)"),
                    server_evidence(Some(scopes.join(" ")), Some(granted)),
                    format!(
                        "Grant {wanted} to this client and request it; update the endpoint's required_scopes to match the API."
                    ),
                );
            }
            Finding::error(
                Code::ScopeClaimMismatch,
                format!(
                    "the token has the required scopes ({granted}), yet the API says they are insufficient ({status}: {said}): it reads them from elsewhere"
                ),
                server_evidence(facts.endpoint.map(|e| e.required_scopes.join(" ")), Some(granted)),
                wording::api_stack(facts).scope_check,
            )
        }
        ServerReason::ClaimMissing { claim } => claim_missing(facts, &claim, said),
        ServerReason::Expired { .. }
        | ServerReason::NotYetValid
        | ServerReason::InvalidSignature
        | ServerReason::NoVerificationKey
        | ServerReason::InvalidAlgorithm
            if let Some(code) = unchecked =>
        {
            trusted(facts, code, &reason, said)
        }
        ServerReason::Expired { .. } => Finding::error(
            Code::Expired,
            format!(
                "the API says the token expired, but by this machine's clock it is valid until {}",
                facts.token().expires.map(|e| e.to_string()).unwrap_or_else(|| "(no exp)".to_owned())
            ),
            server_evidence(None, Some(said)),
            "The API's clock is ahead of the issuer's, or it allows no leeway: sync clocks (NTP) on the API host, or allow a small clock tolerance.",
        ),
        ServerReason::NotYetValid => Finding::error(
            Code::NotYetValid,
            "the API says the token is not valid yet, but by this machine's clock it is".to_owned(),
            server_evidence(None, Some(said)),
            "The API's clock is behind the issuer's: sync clocks (NTP) on the API host, or allow a small clock tolerance.",
        ),
        ServerReason::InvalidSignature => Finding::error(
            Code::SignatureInvalid,
            "the API says the signature is invalid, but it verifies against the issuer's JWKS here: the API checks it with other keys".to_owned(),
            server_evidence(None, Some(said)),
            format!(
                "The API verifies with another key or secret than the issuer signs with. {}",
                wording::api_stack(facts).jwks
            ),
        ),
        ServerReason::NoVerificationKey => Finding::error(
            Code::KidNotFound,
            format!(
                "the API found no key for kid {}, which the issuer's JWKS has: the API reads another key set",
                facts.token().kid.as_deref().unwrap_or("(none)")
            ),
            server_evidence(facts.token().kid.clone(), Some(said)),
            format!(
                "The API's key source points elsewhere (another tenant, a path without the issuer's full path, or a static key), or its cache predates a key rotation. {}",
                wording::api_stack(facts).jwks
            ),
        ),
        ServerReason::InvalidAlgorithm => {
            let alg = facts.token().alg.as_deref().unwrap_or("?");
            Finding::error(
                Code::AlgNotAllowed,
                format!(
                    "the API rejects the algorithm {alg}, which the profile's expect.algorithms ({}) accepts",
                    profile.expect.algorithms.join(", ")
                ),
                server_evidence(Some(profile.expect.algorithms.join(" ")), Some(said)),
                format!(
                    "The API's configuration and the profile's [expect] disagree: add {alg} to {} (with a public key or JWKS, not a shared secret, for RS/PS/ES/EdDSA), or have the issuer sign with one the API accepts; then make expect.algorithms mirror the API.",
                    wording::api_stack(facts).algorithms
                ),
            )
        }
        ServerReason::JwksFailure { detail } => Finding::error(
            Code::JwksUnreachable,
            format!("the API cannot get its signing keys: {}", detail.unwrap_or(said.clone())),
            server_evidence(None, Some(format!("HTTP {status}"))),
            wording::api_stack(facts).jwks,
        ),
        _ if status >= 500 => Finding::error(
            Code::ServerError,
            format!("the API failed with HTTP {status}: {said}"),
            server_evidence(None, Some(said.clone())),
            "Look at the API's logs: a 5xx is the server's own failure (e.g. its JWKS fetch or rate limit), not the token's.",
        ),
        _ if status == 401 || status == 403 => Finding::error(
            Code::ServerRejected,
            format!("the API answered {status} to {}: {said}", evidence::local_standing(facts)),
            server_evidence(None, Some(said.clone())),
            match wording::api_stack(facts).hidden_cause {
                Some(how) => how.to_owned(),
                None => "The API's verifier is configured differently from this profile's [expect]: compare issuer, audience, algorithms and JWKS, and read the API's logs.".to_owned(),
            },
        ),
        _ => Finding::error(
            Code::ServerRejected,
            format!("the API answered HTTP {status}: {said}"),
            server_evidence(None, Some(said.clone())),
            match status {
                404 => "Check the endpoint's URL and method.",
                405 => "Check the endpoint's method.",
                400 | 422 => "The request itself is rejected: check its body and headers.",
                _ => "Read the response body.",
            },
        ),
    }
}

/// The API names a claim it requires and the token lacks: the claim it reads scopes from.
fn claim_missing(facts: &Facts<'_>, claim: &str, said: String) -> Finding {
    let profile_claim = &facts.profile.expect.scope_claim;
    let carried: Vec<String> =
        facts.token().scope_claims.iter().map(|g| format!("{}: {}", g.claim, g.scopes.join(" "))).collect();
    let evidence = Evidence::new(Some(format!("a \"{claim}\" claim")), Some(said));
    if claim != profile_claim {
        return Finding::error(
            Code::ScopeClaimMismatch,
            format!(
                "the API reads scopes from \"{claim}\", which the token lacks (the profile reads \"{profile_claim}\"; the token carries {})",
                if carried.is_empty() { "no scope claim".to_owned() } else { carried.join(", ") }
            ),
            evidence,
            format!(
                "Have the issuer put the scopes in \"{claim}\", or make the API read the claim the token carries; then set expect.scope_claim = \"{claim}\" so tokdbg checks what the API checks."
            ),
        );
    }
    Finding::error(
        Code::ScopeMissing,
        format!("the token has no \"{claim}\" claim, which the API requires"),
        evidence,
        "Have the issuer grant this client the scopes the endpoint requires, then fetch a new token.",
    )
}

/// A cause the server names and tokdbg could not check itself: the server's word, trusted.
fn trusted(facts: &Facts<'_>, code: Code, reason: &ServerReason, said: String) -> Finding {
    let (cause, fix) = match code {
        Code::Expired => ("the token has expired", "Fetch a new token."),
        Code::NotYetValid => (
            "the token is not valid yet",
            "The issuer's clock is ahead of the API's: sync clocks (NTP), or allow a small leeway in the API.",
        ),
        Code::SignatureInvalid => (
            "the signature is invalid",
            "The token was signed by another key than the API trusts: fetch a token from the issuer the API trusts.",
        ),
        Code::AlgNotAllowed => (
            "it does not accept the token's algorithm",
            "Have the issuer sign with an algorithm the API accepts, and make expect.algorithms mirror the API.",
        ),
        _ => (
            "it has no key for the token",
            "The token comes from another issuer or tenant than the API trusts, or its key was rotated out: compare the token's iss with the API's issuer and JWKS URL.",
        ),
    };
    Finding::error(
        code,
        format!("the API says {cause} ({}): {said}", evidence::why_unchecked(facts, reason)),
        Evidence::new(None, Some(said.clone())),
        fix,
    )
}

fn quote(values: &[String]) -> String {
    if values.is_empty() {
        "(none)".to_owned()
    } else {
        values.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ")
    }
}
