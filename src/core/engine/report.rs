//! What the engine reports: the token request, the token, the verification, the API's answer
//! and the findings, for a whole call (`CallReport`), a token fetch and a token examined alone.
//! These are the JSON contract of `call`, `token` and `verify --json`.

use serde::Serialize;

use crate::core::diagnose::{Facts, Verdict};
use crate::core::engine::dpop::DpopReport;
use crate::core::engine::introspect::IntrospectionReport;
use crate::core::engine::trace::Hop;
use crate::core::findings::Finding;
use crate::core::model::profile::Profile;
use crate::core::model::secret::Secret;
use crate::core::net::discovery::DiscoveryError;
use crate::core::net::http::HttpError;
use crate::core::oauth::token_request::TokenError;
use crate::core::probe::ProbeResponse;
use crate::core::server_message::ServerVerdict;
use crate::core::token::scopes::ScopeGap;
use crate::core::token::verify::Verification;

// Each stage's own report lives with its stage (diagnosis reads them without the engine);
// re-exported here, where the whole report is assembled.
pub use crate::core::net::discovery::DiscoveryReport;
pub use crate::core::oauth::token_request::TokenRequestReport;
pub use crate::core::probe::EndpointInfo;
pub use crate::core::token::info::{TokenInfo, TokenSource};

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
    /// The client certificate presented to the token endpoint and the API (mTLS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_certificate: Option<crate::core::net::cert_info::CertInfo>,
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    /// How the request was put together, where that is not obvious from the profile (e.g. its
    /// Authorization header giving way to the token). Left out of JSON when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// When the call was made (unix seconds).
    pub at: i64,
    /// The exchange hop by hop (discovery, token, JWKS, API), the failing hop marked.
    pub trace: Vec<Hop>,
    /// The token sent, for copying and re-sending; never serialized.
    #[serde(skip)]
    pub access_token: Option<Secret>,
    /// What the issuer's introspection endpoint said of an opaque token (RFC 7662).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub introspection: Option<IntrospectionReport>,
    /// The DPoP proofs (decoded) and the key's thumbprint, when the profile has `[dpop]`.
    pub dpop: Option<DpopReport>,
    /// The client certificate presented to the token endpoint when this call fetched or reused
    /// a token (`client_certificate` is the API's); for the TUI's Token tab, not in the JSON.
    #[serde(skip)]
    pub token_client_certificate: Option<crate::core::net::cert_info::CertInfo>,
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
            client_certificate: None,
            verdict: Verdict::Error,
            findings: Vec::new(),
            notes: Vec::new(),
            at,
            trace: Vec::new(),
            access_token: None,
            introspection: None,
            dpop: None,
            token_client_certificate: None,
        }
    }

    /// The facts this report holds, for diagnosis (`baseline`: sent without a token on purpose).
    pub fn facts<'a>(&'a self, profile: &'a Profile, baseline: bool) -> Facts<'a> {
        Facts {
            baseline,
            endpoint: Some(&self.endpoint),
            discovery: self.discovery.as_ref(),
            token_request: self.token_request.as_ref(),
            token: Some(&self.token),
            verification: self.verification.as_ref(),
            scope_gap: self.scope_gap.as_ref(),
            response: self.response.as_ref(),
            request_error: self.request_error_kind.as_ref(),
            server: self.server.as_ref(),
            client_certificate: self.client_certificate.as_ref(),
            introspection: self.introspection.as_ref(),
            dpop: self.dpop.as_ref(),
            ..Facts::new(profile, self.at)
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
    /// The requests made for the token (discovery, token, JWKS), the failing one marked.
    pub trace: Vec<Hop>,
    /// The token itself, for the next request; never serialized.
    #[serde(skip)]
    pub access_token: Option<Secret>,
    /// What the issuer's introspection endpoint said of an opaque token (RFC 7662).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub introspection: Option<IntrospectionReport>,
    /// The token request's DPoP proofs (decoded), when the profile has `[dpop]`.
    pub dpop: Option<DpopReport>,
    /// The client certificate presented to the token endpoint (mTLS; never its key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_certificate: Option<crate::core::net::cert_info::CertInfo>,
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
pub(crate) fn unreachable(discovery: Option<&DiscoveryReport>, token_request: Option<&TokenRequestReport>) -> bool {
    let discovery = discovery
        .and_then(|d| d.error_kind.as_ref())
        .is_some_and(|e| matches!(e, DiscoveryError::Http(h) if h.is_unreachable()));
    let token = token_request
        .and_then(|t| t.error_kind.as_ref())
        .is_some_and(|e| matches!(e, TokenError::Http(h) if h.is_unreachable()));
    discovery || token
}
