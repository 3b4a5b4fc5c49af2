//! The verdict and ranked findings of a call: the primary cause first (the one the server's
//! answer corroborates; else the earliest failure in the chain), then every other problem.

mod client_assertion;
mod dpop;
pub(crate) mod evidence;
pub mod explain;
pub(crate) mod facts;
pub(crate) mod hints;
mod introspection;
mod mtls_binding;
mod mtls_refusal;
pub(crate) mod reconcile;
pub mod tls;
mod token_alone;
mod token_endpoint;
pub(crate) mod wording;

use serde::Serialize;

use crate::core::findings::{Code, Evidence, Finding, Severity};
pub use facts::Facts;

/// How a call ended (a JSON contract value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The API answered 2xx.
    Allowed,
    /// The API answered, and not 2xx.
    Denied,
    /// The API request could not be made.
    Error,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Denied => "denied",
            Verdict::Error => "error",
        }
    }
}

pub struct Diagnosis {
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
}

/// Position of a code in the chain token request → form → key/signature → alg → time → iss → aud → scopes.
pub fn chain_rank(code: Code) -> u8 {
    match code {
        Code::NetworkError | Code::DiscoveryFailed | Code::TlsUntrusted => 0,
        Code::TokenRequestFailed
        | Code::InvalidClient
        | Code::UnauthorizedClient
        | Code::InvalidScope
        | Code::InvalidTarget
        | Code::DpopProofInvalid => 1,
        Code::MalformedToken | Code::TokenMissing | Code::TokenInactive | Code::TokenBindingMismatch => 2,
        Code::JwksUnreachable | Code::KidNotFound | Code::SignatureInvalid | Code::IntrospectionFailed => 3,
        Code::AlgNone | Code::AlgNotAllowed => 4,
        Code::Expired | Code::NotYetValid => 5,
        Code::IssuerMismatch => 6,
        Code::AudienceMismatch => 7,
        Code::ScopeClaimMismatch | Code::ScopeMissing => 8,
        Code::ServerRejected | Code::ServerError => 9,
        Code::Ok | Code::InsecureTransport | Code::InsecureTls => 10,
        // A JWKS URI that answers something else: where an unreachable one ranks.
        Code::JwksNotAKeySet => 3,
    }
}

/// Every local finding the facts support, errors before warnings, each in chain order (a
/// stable sort keeps the checklist order inside one rank).
fn local_findings(facts: &Facts<'_>) -> Vec<Finding> {
    let mut local: Vec<Finding> = Vec::new();
    local.extend(explain::discovery(facts.discovery, facts.profile));
    local.extend(dpop::findings(facts));
    local.extend(dpop::without_generic_token_failure(
        facts,
        token_endpoint::token_request_with(
            facts.token_request,
            facts.profile,
            facts.discovery.and_then(|d| d.document.as_ref()),
        ),
    ));
    local.extend(explain::token_form(facts));
    local.extend(explain::checks(facts));
    local.extend(explain::scopes(facts));
    local.extend(explain::transport(facts));
    local.extend(tls::insecure(facts.profile));
    local.extend(tls::binding(facts));
    local.extend(mtls_binding::certificate_missing_at_token_endpoint(facts));
    local.extend(introspection::introspection(facts));
    local.sort_by_key(|f| (f.severity, chain_rank(f.code)));
    local
}

/// The verdict and ranked findings of a call (whatever stages it reached).
pub fn diagnose(facts: &Facts<'_>) -> Diagnosis {
    let mut local = local_findings(facts);
    if let Some(response) = facts.response {
        if response.is_success() {
            let mut findings = vec![Finding::info(
                Code::Ok,
                format!("allowed: the API answered {} in {} ms", response.status, response.latency_ms),
                Evidence::new(None, Some(format!("HTTP {}", response.status))),
                "Nothing to fix.",
            )];
            // The API accepted: local doubts mean the profile mirrors the API imperfectly.
            findings.extend(local.into_iter().map(|mut f| {
                if f.code != Code::InsecureTransport && f.code != Code::InsecureTls {
                    f.severity = Severity::Warning;
                    f.message = format!("the API accepted the call, but locally: {}", f.message);
                }
                f
            }));
            return Diagnosis { verdict: Verdict::Allowed, findings };
        }
        let reason =
            facts.server.map(|s| s.reason.clone()).unwrap_or(crate::core::server_message::ServerReason::Unrecognized);
        let status = response.status;
        let names_cause = evidence::names_a_cause(&reason);
        let wanted = reconcile::corroborated_codes(&reason, facts.token().alg.as_deref(), status);
        let is_failure = |f: &Finding| f.severity == Severity::Error;
        let mut witness = if facts.baseline {
            None
        } else {
            wanted.iter().find_map(|code| local.iter().position(|f| f.code == *code && is_failure(f)))
        };
        // A DPoP refusal (the API's DPoP challenge, the token's binding) is the cause itself.
        let dpop_cause = local
            .iter()
            .position(|f| matches!(f.code, Code::DpopProofInvalid | Code::TokenBindingMismatch) && is_failure(f));
        let dpop_witness = !facts.baseline && dpop_cause.is_some();
        if dpop_witness {
            witness = dpop_cause;
        }
        // A refusal that names no cause never outranks a failed local check: the earliest
        // local failure is the primary finding, the status its corroboration.
        if witness.is_none() && !names_cause && !facts.baseline && (status == 401 || status == 403) {
            witness = local.iter().position(is_failure);
        }
        let mut findings = Vec::new();
        match witness {
            Some(index) => {
                let mut primary = local.remove(index);
                let message = facts.server.and_then(|s| s.message.clone());
                primary.message = match message {
                    // A DPoP finding already quotes the API's challenge.
                    _ if dpop_witness => format!("{} (HTTP {status})", primary.message),
                    Some(message) if names_cause => {
                        format!("{} — the API agrees: \"{message}\" (HTTP {status})", primary.message)
                    }
                    Some(message) => {
                        format!(
                            "{} — the API answered {status} without naming the cause: \"{message}\"",
                            primary.message
                        )
                    }
                    None => format!("{} — the API answered {status}", primary.message),
                };
                findings.push(primary);
            }
            None => findings.push(reconcile::server_side(facts, response)),
        }
        // A 5xx whose body names a verification failure is that failure, mishandled.
        if status >= 500 && names_cause {
            let (message, fix) = match reason {
                // A key outage is the server's own failure: a 5xx is the right kind of answer.
                crate::core::server_message::ServerReason::JwksFailure { .. } => (
                    format!("the API failed with HTTP {status}: it could not get its signing keys"),
                    "Fix the API's key source; until then every token is refused.",
                ),
                _ => (
                    format!("the API failed with HTTP {status} instead of refusing the token with 401"),
                    "The API's error handling lets a token verification failure through as a server error: map it to 401 (with a WWW-Authenticate challenge).",
                ),
            };
            findings.push(Finding::error(
                Code::ServerError,
                message,
                Evidence::new(Some("HTTP 401".to_owned()), Some(format!("HTTP {status}"))),
                fix,
            ));
        }
        findings.extend(local);
        dedupe(&mut findings);
        return Diagnosis { verdict: Verdict::Denied, findings };
    }

    if let Some(finding) =
        facts.request_error.and_then(|e| tls::untrusted(e, "the API request failed", Severity::Error))
    {
        local.push(finding);
    } else if let Some(error) = facts.request_error {
        local.push(Finding::error(
            Code::NetworkError,
            format!("the API request failed: {error}"),
            Evidence::new(Some(facts.endpoint_url().to_owned()), None),
            if let Some(fix) = error.local_fix() {
                fix
            } else if error.is_unreachable() {
                "Check that the API is running and reachable at the endpoint's URL (host, port, scheme)."
            } else {
                "Fix the endpoint's URL or method."
            },
        ));
    }
    if local.is_empty() {
        local.push(Finding::error(
            Code::TokenRequestFailed,
            "no token could be obtained and no request was sent".to_owned(),
            Evidence::none(),
            "Give the profile an issuer.url or issuer.token_endpoint, or use a token you already have.",
        ));
    }
    local.sort_by_key(|f| (f.severity, chain_rank(f.code)));
    dedupe(&mut local);
    Diagnosis { verdict: Verdict::Error, findings: local }
}

fn dedupe(findings: &mut Vec<Finding>) {
    let mut seen = std::collections::HashSet::new();
    findings.retain(|f| seen.insert((f.code, f.message.clone())));
}

/// Findings about a token on its own (the `verify` command): discovery, its form and its
/// checks; no server. "Verifies" only when every check ran and passed.
pub fn token_findings(facts: &Facts<'_>) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    findings.extend(explain::discovery(facts.discovery, facts.profile));
    findings.extend(explain::token_form(facts));
    findings.extend(explain::checks(facts));
    findings.extend(token_alone::unchecked_hmac_signature(facts));
    findings.extend(tls::insecure(facts.profile));
    findings.sort_by_key(|f| (f.severity, chain_rank(f.code)));
    if findings.is_empty()
        && let Some(verification) = facts.verification.filter(|v| v.valid)
    {
        findings.push(token_alone::verified(verification));
    }
    findings
}

/// Findings about fetching a token (the `token` command): discovery, the token request, and
/// the transport it went over.
pub fn token_fetch_findings(facts: &Facts<'_>) -> Vec<Finding> {
    let mut findings: Vec<Finding> = explain::discovery(facts.discovery, facts.profile);
    findings.extend(dpop::findings(facts));
    findings.extend(dpop::without_generic_token_failure(
        facts,
        token_endpoint::token_request_with(
            facts.token_request,
            facts.profile,
            facts.discovery.and_then(|d| d.document.as_ref()),
        ),
    ));
    findings.extend(explain::transport(facts));
    findings.extend(tls::insecure(facts.profile));
    findings.extend(mtls_binding::certificate_missing_at_token_endpoint(facts));
    findings
}

/// Findings about a token introspected on its own (the `introspect` command): discovery, the
/// token request if the token was fetched, and the introspection answer.
pub fn introspection_findings(facts: &Facts<'_>) -> Vec<Finding> {
    let mut findings = token_fetch_findings(facts);
    findings.extend(introspection::introspection(facts));
    findings.sort_by_key(|f| (f.severity, chain_rank(f.code)));
    dedupe(&mut findings);
    findings
}

#[cfg(test)]
mod evidence_tests;
