//! What introspection (RFC 7662) and revocation (RFC 7009) came to, for reports and diagnosis: the request as sent, the answer, the error.

use serde::Serialize;

use crate::core::oauth::client_post::EndpointError;
use crate::core::oauth::introspection::Introspection;
use crate::core::oauth::request::RequestView;

/// What introspection found (the `introspection` object of `call --json`).
#[derive(Debug, Clone, Serialize)]
pub struct IntrospectionReport {
    /// The endpoint asked, if one is known.
    pub endpoint: Option<String>,
    /// The request as sent, token and secret redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The answer: `active`, the members read, and `members` (all of them).
    #[serde(flatten)]
    pub answer: Option<Introspection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth_error: Option<String>,
    /// The endpoint's error body (scrubbed), when it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_body: Option<String>,
    pub latency_ms: f64,
    #[serde(skip)]
    pub error_kind: Option<EndpointError>,
}

impl IntrospectionReport {
    /// What the issuer said: active or not; `None` when it gave no answer.
    pub fn active(&self) -> Option<bool> {
        self.answer.as_ref().map(|a| a.active)
    }

    /// The endpoint could not be reached at all (CLI exit code 3).
    pub fn unreachable(&self) -> bool {
        self.error_kind.as_ref().is_some_and(EndpointError::is_unreachable)
    }

    /// No request was made, and why.
    pub fn not_asked(why: &str) -> Self {
        Self::failed(None, None, why.to_owned())
    }

    pub(crate) fn failed(endpoint: Option<String>, request: Option<RequestView>, error: String) -> Self {
        IntrospectionReport {
            endpoint,
            request,
            status: None,
            answer: None,
            error: Some(error),
            oauth_error: None,
            raw_body: None,
            latency_ms: 0.0,
            error_kind: None,
        }
    }
}

/// What revocation did (`revoke --json`).
#[derive(Debug, Clone, Serialize)]
pub struct RevocationReport {
    pub endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// RFC 7009: the issuer answered 200 (also for a token it does not know).
    pub revoked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_body: Option<String>,
    pub latency_ms: f64,
    #[serde(skip)]
    pub error_kind: Option<EndpointError>,
}

impl RevocationReport {
    pub fn unreachable(&self) -> bool {
        self.error_kind.as_ref().is_some_and(EndpointError::is_unreachable)
    }
}
