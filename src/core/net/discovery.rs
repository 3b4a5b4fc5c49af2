//! OpenID Connect discovery: `{issuer}/.well-known/openid-configuration`.

use serde::Serialize;

use crate::core::net::http::{Http, HttpError, excerpt};

/// The parts of a discovery document tokdbg uses, plus the whole document.
#[derive(Debug, Clone, Serialize)]
pub struct Discovery {
    pub url: String,
    /// The status the document came with (a 2xx), for the call's trace.
    pub status: u16,
    pub issuer: Option<String>,
    pub token_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    pub document: serde_json::Value,
}

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum DiscoveryError {
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("no discovery document at {url}: HTTP {status} ({body})")]
    Status { url: String, status: u16, body: String },
    #[error("the discovery document at {url} is not JSON (content-type \"{content_type}\"): {body}")]
    NotJson { url: String, content_type: String, body: String },
    #[error("the discovery document at {url} is JSON but not an object")]
    NotObject { url: String },
}

impl DiscoveryError {
    pub fn url(&self) -> &str {
        match self {
            DiscoveryError::Http(e) => e.url(),
            DiscoveryError::Status { url, .. }
            | DiscoveryError::NotJson { url, .. }
            | DiscoveryError::NotObject { url } => url,
        }
    }
}

/// The discovery URL of an issuer (a trailing slash on the issuer is tolerated).
pub fn discovery_url(issuer: &str) -> String {
    format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/'))
}

pub async fn fetch(http: &Http, issuer: &str) -> Result<Discovery, DiscoveryError> {
    fetch_with(http, issuer, &crate::core::net::transport::TlsNeeds::default()).await
}

/// Discovery over a connection with `tls` (the profile's trust roots and certificate).
pub async fn fetch_with(
    http: &Http,
    issuer: &str,
    tls: &crate::core::net::transport::TlsNeeds,
) -> Result<Discovery, DiscoveryError> {
    let url = discovery_url(issuer);
    let response = http.get_with(&url, tls).await?;
    if !response.is_success() {
        return Err(DiscoveryError::Status { url, status: response.status, body: response.body_excerpt(160) });
    }
    let document: serde_json::Value = serde_json::from_slice(&response.body).map_err(|_| DiscoveryError::NotJson {
        url: url.clone(),
        content_type: response.content_type().to_owned(),
        body: if response.body.is_empty() { "(empty body)".to_owned() } else { excerpt(&response.body_text(), 160) },
    })?;
    let object = document.as_object().ok_or_else(|| DiscoveryError::NotObject { url: url.clone() })?;
    let field = |name: &str| object.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    Ok(Discovery {
        issuer: field("issuer"),
        token_endpoint: field("token_endpoint"),
        jwks_uri: field("jwks_uri"),
        status: response.status,
        url,
        document,
    })
}

/// What discovery found for a call (a stage report; `document` is kept for checks, never shown).
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
