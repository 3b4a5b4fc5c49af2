//! Findings: the stable codes of DESIGN §5 and the shape every diagnosis is made of.

use serde::Serialize;

/// A finding's stable code. The serialized names are a JSON contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    Ok,
    TokenRequestFailed,
    InvalidClient,
    UnauthorizedClient,
    InvalidScope,
    InvalidTarget,
    DiscoveryFailed,
    JwksUnreachable,
    MalformedToken,
    AlgNotAllowed,
    AlgNone,
    KidNotFound,
    SignatureInvalid,
    Expired,
    NotYetValid,
    IssuerMismatch,
    AudienceMismatch,
    ScopeMissing,
    ScopeClaimMismatch,
    ServerRejected,
    ServerError,
    NetworkError,
    TokenMissing,
    /// A secret or token goes over plain http to a host that is not this machine.
    InsecureTransport,
    /// The server's certificate is not trusted or not for the URL's host.
    TlsUntrusted,
    /// Certificate checks are off (`tls.insecure` / `--insecure`).
    InsecureTls,
    /// A sender-constrained token (mTLS `cnf.x5t#S256`, DPoP `cnf.jkt`) sent without its
    /// certificate or proof key, or with another.
    TokenBindingMismatch,
    /// Introspection (RFC 7662) says the token is not active.
    TokenInactive,
    /// The introspection endpoint gave no usable answer.
    IntrospectionFailed,
    /// A DPoP proof the server refused (`invalid_dpop_proof`, a nonce still missing after the
    /// retry), or one tokdbg could not make.
    DpopProofInvalid,
    /// A JWKS URI (an API's configured one) answers, but not with a JWK set (a 404 page, HTML,
    /// a single JWK): reachable, so not `jwks_unreachable`.
    JwksNotAKeySet,
}

impl Code {
    /// The code as it appears in JSON and in human output.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Ok => "ok",
            Code::TokenRequestFailed => "token_request_failed",
            Code::InvalidClient => "invalid_client",
            Code::UnauthorizedClient => "unauthorized_client",
            Code::InvalidScope => "invalid_scope",
            Code::InvalidTarget => "invalid_target",
            Code::DiscoveryFailed => "discovery_failed",
            Code::JwksUnreachable => "jwks_unreachable",
            Code::MalformedToken => "malformed_token",
            Code::AlgNotAllowed => "alg_not_allowed",
            Code::AlgNone => "alg_none",
            Code::KidNotFound => "kid_not_found",
            Code::SignatureInvalid => "signature_invalid",
            Code::Expired => "expired",
            Code::NotYetValid => "not_yet_valid",
            Code::IssuerMismatch => "issuer_mismatch",
            Code::AudienceMismatch => "audience_mismatch",
            Code::ScopeMissing => "scope_missing",
            Code::ScopeClaimMismatch => "scope_claim_mismatch",
            Code::ServerRejected => "server_rejected",
            Code::ServerError => "server_error",
            Code::NetworkError => "network_error",
            Code::TokenMissing => "token_missing",
            Code::InsecureTransport => "insecure_transport",
            Code::TlsUntrusted => "tls_untrusted",
            Code::InsecureTls => "insecure_tls",
            Code::TokenBindingMismatch => "token_binding_mismatch",
            Code::TokenInactive => "token_inactive",
            Code::IntrospectionFailed => "introspection_failed",
            Code::DpopProofInvalid => "dpop_proof_invalid",
            Code::JwksNotAKeySet => "jwks_not_a_key_set",
        }
    }

    /// Every code, in the order of DESIGN §5.
    pub const ALL: [Code; 31] = [
        Code::Ok,
        Code::TokenRequestFailed,
        Code::InvalidClient,
        Code::UnauthorizedClient,
        Code::InvalidScope,
        Code::InvalidTarget,
        Code::DiscoveryFailed,
        Code::JwksUnreachable,
        Code::MalformedToken,
        Code::AlgNotAllowed,
        Code::AlgNone,
        Code::KidNotFound,
        Code::SignatureInvalid,
        Code::Expired,
        Code::NotYetValid,
        Code::IssuerMismatch,
        Code::AudienceMismatch,
        Code::ScopeMissing,
        Code::ScopeClaimMismatch,
        Code::ServerRejected,
        Code::ServerError,
        Code::NetworkError,
        Code::TokenMissing,
        Code::InsecureTransport,
        Code::TlsUntrusted,
        Code::InsecureTls,
        Code::TokenBindingMismatch,
        Code::TokenInactive,
        Code::IntrospectionFailed,
        Code::DpopProofInvalid,
        Code::JwksNotAKeySet,
    ];
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// What was expected and what was found, as text; either may be absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub expected: Option<String>,
    pub actual: Option<String>,
    /// Where the value was found, `file:line` (`check-api`: the API's own config); absent
    /// for findings about a call, whose JSON stays as it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

impl Evidence {
    pub fn new(expected: impl Into<Option<String>>, actual: impl Into<Option<String>>) -> Self {
        Self { expected: expected.into(), actual: actual.into(), location: None }
    }

    /// The same evidence, found at `location` (`file:line`).
    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    pub fn none() -> Self {
        Self::default()
    }
}

/// One explained problem (or the all-clear), with the fix to try.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub evidence: Evidence,
    pub fix: String,
}

impl Finding {
    pub fn new(
        severity: Severity,
        code: Code,
        message: impl Into<String>,
        evidence: Evidence,
        fix: impl Into<String>,
    ) -> Self {
        Self { severity, code, message: message.into(), evidence, fix: fix.into() }
    }

    pub fn error(code: Code, message: impl Into<String>, evidence: Evidence, fix: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message, evidence, fix)
    }

    pub fn warning(code: Code, message: impl Into<String>, evidence: Evidence, fix: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message, evidence, fix)
    }

    pub fn info(code: Code, message: impl Into<String>, evidence: Evidence, fix: impl Into<String>) -> Self {
        Self::new(Severity::Info, code, message, evidence, fix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_their_contract_names() {
        for code in Code::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
