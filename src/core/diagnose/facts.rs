//! `Facts`: what each stage of the pipeline produced, each optional, for diagnosis to read.
//!
//! Diagnosis runs on any subset: a whole call, a token fetch, a token alone, a captured
//! answer. No stage has to be faked for another to be explained.

use std::sync::LazyLock;

use crate::core::model::profile::Profile;
use crate::core::net::discovery::DiscoveryReport;
use crate::core::net::http::HttpError;
use crate::core::oauth::dpop_report::DpopReport;
use crate::core::oauth::introspection_report::IntrospectionReport;
use crate::core::oauth::token_request::TokenRequestReport;
use crate::core::probe::{EndpointInfo, ProbeResponse};
use crate::core::server_message::ServerVerdict;
use crate::core::token::info::TokenInfo;
use crate::core::token::scopes::ScopeGap;
use crate::core::token::verify::Verification;

/// What was found out, stage by stage.
#[derive(Clone, Copy)]
pub struct Facts<'a> {
    /// The profile whose `[expect]` mirrors the API, and whose client asked for the token.
    pub profile: &'a Profile,
    /// When the facts were gathered (unix seconds), from the engine's clock.
    pub at: i64,
    /// The request went out without a token on purpose (the 401 baseline).
    pub baseline: bool,
    pub endpoint: Option<&'a EndpointInfo>,
    pub discovery: Option<&'a DiscoveryReport>,
    pub token_request: Option<&'a TokenRequestReport>,
    pub token: Option<&'a TokenInfo>,
    pub verification: Option<&'a Verification>,
    pub scope_gap: Option<&'a ScopeGap>,
    pub response: Option<&'a ProbeResponse>,
    /// Why the API request could not be made.
    pub request_error: Option<&'a HttpError>,
    /// What the server's answer says, read.
    pub server: Option<&'a ServerVerdict>,
    /// The client certificate the call presented (mTLS), if any.
    pub client_certificate: Option<&'a crate::core::net::cert_info::CertInfo>,
    /// What the issuer said of the token when asked (RFC 7662).
    pub introspection: Option<&'a IntrospectionReport>,
    /// The DPoP proofs sent and the key, when the profile has `[dpop]`.
    pub dpop: Option<&'a DpopReport>,
}

static NO_TOKEN: LazyLock<TokenInfo> = LazyLock::new(TokenInfo::none);

impl<'a> Facts<'a> {
    /// Nothing known yet but the profile and the time.
    pub fn new(profile: &'a Profile, at: i64) -> Self {
        Facts {
            profile,
            at,
            baseline: false,
            endpoint: None,
            discovery: None,
            token_request: None,
            token: None,
            verification: None,
            scope_gap: None,
            response: None,
            request_error: None,
            server: None,
            client_certificate: None,
            introspection: None,
            dpop: None,
        }
    }

    /// The token, or "no token" when none was used.
    pub fn token(&self) -> &'a TokenInfo {
        self.token.unwrap_or(&NO_TOKEN)
    }

    /// The endpoint's name, for messages ("" when there is no endpoint).
    pub fn endpoint_name(&self) -> &'a str {
        self.endpoint.map_or("", |e| e.name.as_str())
    }

    /// The endpoint's URL ("" when there is no endpoint).
    pub fn endpoint_url(&self) -> &'a str {
        self.endpoint.map_or("", |e| e.url.as_str())
    }
}
