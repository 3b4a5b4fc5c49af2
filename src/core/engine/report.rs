//! What the engine reports: the token request, the token, the verification, the API's answer
//! and the findings, for a whole call (`CallReport`), a token fetch and a token examined alone.
//! These are the JSON contract of `call`, `token` and `verify --json`.

use serde::Serialize;

use crate::core::clock;
use crate::core::diagnose::Verdict;
use crate::core::diagnose::findings::Finding;
use crate::core::model::profile::Endpoint;
use crate::core::model::secret::Secret;
use crate::core::net::discovery::DiscoveryError;
use crate::core::net::http::HttpError;
use crate::core::oauth::token_request::{RequestView, TokenError};
use crate::core::probe::ProbeResponse;
use crate::core::server_message::ServerVerdict;
use crate::core::token::jwt::{self, DecodeError, DecodedToken, NumericDate};
use crate::core::token::scopes::{self, GrantedScopes, ScopeGap};
use crate::core::token::verify::Verification;

/// Where the token of a call came from (a JSON contract value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenSource {
    Fetched,
    Cached,
    Given,
    None,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiscoveryReport {
    pub url: String,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip)]
    pub error_kind: Option<DiscoveryError>,
    /// The document as read (for checks of its endpoints and issuer); never serialized.
    #[serde(skip)]
    pub document: Option<serde_json::Value>,
}

/// The token request as sent (secret redacted) and what came back.
#[derive(Debug, Clone, Serialize)]
pub struct TokenRequestReport {
    pub request: RequestView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejected_scope: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub latency_ms: f64,
    #[serde(skip)]
    pub error_kind: Option<TokenError>,
}

/// What is known about the token used (never its signature).
#[derive(Debug, Clone, Serialize)]
pub struct TokenInfo {
    pub source: TokenSource,
    pub alg: Option<String>,
    pub kid: Option<String>,
    pub typ: Option<String>,
    /// Scopes read from the claim the API reads (`expect.scope_claim`).
    pub scopes: Option<Vec<String>>,
    pub expires_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    pub size: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<serde_json::Map<String, serde_json::Value>>,
    /// Why the token could not be decoded, if it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decode_error: Option<String>,
    #[serde(skip)]
    pub decode_error_kind: Option<DecodeError>,
    #[serde(skip)]
    pub decoded: Option<DecodedToken>,
    /// Where scopes sit in this token, whichever claim.
    pub scope_claims: Vec<GrantedScopes>,
}

impl TokenInfo {
    pub fn none() -> Self {
        TokenInfo {
            source: TokenSource::None,
            alg: None,
            kid: None,
            typ: None,
            scopes: None,
            expires_at: None,
            expires: None,
            size: None,
            header: None,
            claims: None,
            decode_error: None,
            decode_error_kind: None,
            decoded: None,
            scope_claims: Vec::new(),
        }
    }

    pub fn describe(source: TokenSource, token: &str, scope_claim: &str, now: i64) -> Self {
        let mut info = TokenInfo { source, ..TokenInfo::none() };
        match jwt::decode(token) {
            Ok(decoded) => {
                info.alg = decoded.alg.clone();
                info.kid = decoded.kid.clone();
                info.typ = decoded.typ.clone();
                info.size = Some(decoded.size);
                info.scopes = scopes::granted_scopes(&decoded.claims, scope_claim).map(|g| g.scopes);
                info.scope_claims = scopes::scope_claims_present(&decoded.claims);
                if let NumericDate::Valid(exp) = decoded.numeric_date("exp") {
                    info.expires_at = Some(exp);
                    info.expires = Some(clock::expiry_phrase(exp, now));
                }
                info.header = Some(decoded.header.clone());
                info.claims = Some(decoded.claims.clone());
                info.decoded = Some(decoded);
            }
            Err(error) => {
                info.size = Some(jwt::clean_pasted(token).len());
                info.decode_error = Some(error.to_string());
                info.decode_error_kind = Some(error);
            }
        }
        info
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EndpointInfo {
    pub name: String,
    pub method: String,
    pub url: String,
    pub required_scopes: Vec<String>,
}

impl From<&Endpoint> for EndpointInfo {
    fn from(e: &Endpoint) -> Self {
        EndpointInfo {
            name: e.name.clone(),
            method: e.method.clone(),
            url: e.url.clone(),
            required_scopes: e.required_scopes.clone(),
        }
    }
}

/// Everything one call found out, and the diagnosis. Serialized as `call --json`.
#[derive(Debug, Clone, Serialize)]
pub struct CallReport {
    pub profile: String,
    pub endpoint: EndpointInfo,
    pub discovery: Option<DiscoveryReport>,
    pub token_request: Option<TokenRequestReport>,
    pub token: TokenInfo,
    pub verification: Option<Verification>,
    pub scope_gap: Option<ScopeGap>,
    pub response: Option<ProbeResponse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_error: Option<String>,
    #[serde(skip)]
    pub request_error_kind: Option<HttpError>,
    pub server: Option<ServerVerdict>,
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    /// How the request was put together, where that is not obvious from the profile (e.g. its
    /// Authorization header giving way to the token). Left out of JSON when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// When the call was made (unix seconds).
    pub at: i64,
    /// The token sent, for copying and re-sending; never serialized.
    #[serde(skip)]
    pub access_token: Option<Secret>,
}

impl CallReport {
    /// A report of a call that has not happened yet: every stage empty, verdict `error`.
    pub fn new(profile: String, endpoint: EndpointInfo, discovery: Option<DiscoveryReport>, at: i64) -> Self {
        CallReport {
            profile,
            endpoint,
            discovery,
            token_request: None,
            token: TokenInfo::none(),
            verification: None,
            scope_gap: None,
            response: None,
            request_error: None,
            request_error_kind: None,
            server: None,
            verdict: Verdict::Error,
            findings: Vec::new(),
            notes: Vec::new(),
            at,
            access_token: None,
        }
    }

    /// A host could not be reached at all (CLI exit code 3).
    pub fn network_unreachable(&self) -> bool {
        let request = self.request_error_kind.as_ref().is_some_and(HttpError::is_unreachable);
        unreachable(self.discovery.as_ref(), self.token_request.as_ref()) || request
    }
}

/// The result of [`Engine::fetch_token`]: the request, the token and its verification.
#[derive(Debug, Clone, Serialize)]
pub struct TokenFetch {
    pub profile: String,
    pub discovery: Option<DiscoveryReport>,
    pub token_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    pub token_request: Option<TokenRequestReport>,
    pub token: TokenInfo,
    pub verification: Option<Verification>,
    /// Why no token came (discovery and token request findings).
    pub findings: Vec<Finding>,
    /// The token itself, for the next request; never serialized.
    #[serde(skip)]
    pub access_token: Option<Secret>,
}

impl TokenFetch {
    pub fn network_unreachable(&self) -> bool {
        unreachable(self.discovery.as_ref(), self.token_request.as_ref())
    }
}

/// A token examined on its own (no API call): decode, verify against a profile, findings.
#[derive(Debug, Clone, Serialize)]
pub struct TokenReport {
    pub valid: bool,
    pub token: TokenInfo,
    pub discovery: Option<DiscoveryReport>,
    pub jwks_uri: Option<String>,
    pub verification: Option<Verification>,
    pub findings: Vec<Finding>,
}

impl TokenReport {
    pub fn network_unreachable(&self) -> bool {
        let discovery = unreachable(self.discovery.as_ref(), None);
        let jwks = self
            .verification
            .as_ref()
            .and_then(|v| v.jwks_error_kind.as_ref())
            .is_some_and(|e| matches!(e, crate::core::net::jwks::JwksError::Http(h) if h.is_unreachable()));
        discovery || jwks
    }
}

/// The issuer or its token endpoint could not be reached at all (CLI exit code 3).
fn unreachable(discovery: Option<&DiscoveryReport>, token_request: Option<&TokenRequestReport>) -> bool {
    let discovery = discovery
        .and_then(|d| d.error_kind.as_ref())
        .is_some_and(|e| matches!(e, DiscoveryError::Http(h) if h.is_unreachable()));
    let token = token_request
        .and_then(|t| t.error_kind.as_ref())
        .is_some_and(|e| matches!(e, TokenError::Http(h) if h.is_unreachable()));
    discovery || token
}
