//! The picture of a call: one hop per HTTP request the engine made for it (discovery, token,
//! JWKS, API) or that a cache answered instead, with its status, latency and place in time, and
//! which hop the call failed at. Assembled by the engine from facts it already has; no I/O.

use serde::Serialize;

use crate::core::findings::{Code, Finding, Severity};
use crate::core::net::discovery::DiscoveryError;
use crate::core::net::http::HttpError;
use crate::core::net::jwks::JwksError;
use crate::core::oauth::token_request::{TokenError, TokenRequestReport};
use crate::core::token::verify::{JwksAccess, Verification};

/// Which request of the exchange a hop is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HopKind {
    /// The OIDC / RFC 8414 discovery document.
    Discovery,
    /// The client_credentials token request.
    Token,
    /// The issuer's key set.
    Jwks,
    /// The request to the API.
    Api,
    /// RFC 7662 token introspection.
    Introspection,
    /// RFC 7009 token revocation.
    Revocation,
}

impl HopKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HopKind::Discovery => "discovery",
            HopKind::Token => "token",
            HopKind::Jwks => "jwks",
            HopKind::Api => "api",
            HopKind::Introspection => "introspection",
            HopKind::Revocation => "revocation",
        }
    }

    /// Who answers this hop (the caller always asks).
    pub fn peer(self) -> Peer {
        match self {
            HopKind::Api => Peer::Api,
            _ => Peer::Issuer,
        }
    }
}

/// The party a hop goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Peer {
    Issuer,
    Api,
}

impl Peer {
    pub fn as_str(self) -> &'static str {
        match self {
            Peer::Issuer => "issuer",
            Peer::Api => "API",
        }
    }
}

/// One request of a call, as the trace reports it (an element of `trace` in `call --json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hop {
    pub hop: HopKind,
    /// Who answered: `issuer` or `api`.
    pub to: Peer,
    pub method: String,
    /// The URL asked, credentials in its query redacted.
    pub url: String,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// What went wrong, as a short kind (`connect`, `timeout`, `not_json`, an OAuth error code…).
    pub error: Option<String>,
    /// By the engine's clock; `None` for a cache hit (nothing was sent).
    pub latency_ms: Option<f64>,
    /// When the hop started, counted from the call's start: the hops run one after the other,
    /// so this is the sum of the latencies before it (local work between them is not drawn).
    pub offset_ms: f64,
    /// A cache answered instead of the network: no request was sent.
    pub cached: bool,
    /// The hop the call failed at (at most one per trace).
    pub failed: bool,
}

impl Hop {
    /// Sent, and answered with something other than a 2xx (or not answered at all).
    pub fn went_wrong(&self) -> bool {
        !self.cached && (self.error.is_some() || self.status.is_none_or(|s| !(200..300).contains(&s)))
    }
}

/// The index of the hop a call failed at, if any.
pub fn failing_hop(trace: &[Hop]) -> Option<usize> {
    trace.iter().position(|hop| hop.failed)
}

/// Collects hops as the engine makes its requests, in order.
#[derive(Debug, Default)]
pub(crate) struct TraceBuilder {
    hops: Vec<Hop>,
    elapsed_ms: f64,
}

impl TraceBuilder {
    /// A request that was sent: its answer's status or why there was none, and how long it took.
    pub fn sent(
        &mut self,
        kind: HopKind,
        method: &str,
        url: &str,
        status: Option<u16>,
        error: Option<String>,
        latency_ms: f64,
    ) {
        self.hops.push(Hop {
            hop: kind,
            to: kind.peer(),
            method: method.trim().to_ascii_uppercase(),
            url: redact_url(url),
            status,
            error,
            latency_ms: Some(latency_ms),
            offset_ms: round_ms(self.elapsed_ms),
            cached: false,
            failed: false,
        });
        self.elapsed_ms += latency_ms;
    }

    /// A request a cache made unnecessary: drawn, marked cached, without latency.
    pub fn cached(&mut self, kind: HopKind, method: &str, url: &str) {
        self.hops.push(Hop {
            hop: kind,
            to: kind.peer(),
            method: method.to_owned(),
            url: redact_url(url),
            status: None,
            error: None,
            latency_ms: None,
            offset_ms: round_ms(self.elapsed_ms),
            cached: true,
            failed: false,
        });
    }

    /// The hops, with the failing one marked: the first hop of the stage the primary finding
    /// (the first error) belongs to, else the first hop that was not answered with a 2xx.
    pub fn finish(mut self, findings: &[Finding]) -> Vec<Hop> {
        let primary = findings.iter().find(|f| f.severity == Severity::Error).and_then(|f| stage_of(f.code));
        let by_stage = primary.and_then(|kind| self.hops.iter().position(|h| h.hop == kind && !h.cached));
        if let Some(index) = by_stage.or_else(|| self.hops.iter().position(Hop::went_wrong)) {
            self.hops[index].failed = true;
        }
        self.hops
    }
}

impl TraceBuilder {
    /// The token request as a hop, if it was sent (a profile without a client sends none).
    pub fn token_request(&mut self, report: &TokenRequestReport) {
        if report.status.is_none() && report.error_kind.is_none() {
            return;
        }
        let error = report.error_kind.as_ref().and_then(|e| match e {
            // A refused request's status says it all, unless OAuth named the reason.
            TokenError::NotOAuth { .. } | TokenError::Redirected { .. } => None,
            other => Some(token_error_kind(other)),
        });
        self.sent(HopKind::Token, &report.request.method, &report.request.url, report.status, error, report.latency_ms);
    }

    /// The JWKS as a hop, if verifying consulted it: fetched (timed by `latency_ms`), failed, or
    /// served from the cache.
    pub fn key_lookup(&mut self, verification: &Verification, uri: Option<&str>, latency_ms: f64) {
        let Some(uri) = uri else { return };
        match verification.jwks_access {
            JwksAccess::NotUsed => {}
            JwksAccess::Cached => self.cached(HopKind::Jwks, "GET", uri),
            JwksAccess::Fetched(status) => self.sent(HopKind::Jwks, "GET", uri, Some(status), None, latency_ms),
            JwksAccess::Failed => {
                let (status, error) = verification.jwks_error_kind.as_ref().map(jwks_outcome).unwrap_or_default();
                self.sent(HopKind::Jwks, "GET", uri, status, error, latency_ms);
            }
        }
    }
}

/// The request a finding's code is about, when it is about one request rather than the token.
fn stage_of(code: Code) -> Option<HopKind> {
    match code {
        Code::DiscoveryFailed => Some(HopKind::Discovery),
        Code::TokenRequestFailed
        | Code::InvalidClient
        | Code::UnauthorizedClient
        | Code::InvalidScope
        | Code::InvalidTarget => Some(HopKind::Token),
        Code::JwksUnreachable => Some(HopKind::Jwks),
        Code::IntrospectionFailed | Code::TokenInactive => Some(HopKind::Introspection),
        Code::ServerRejected | Code::ServerError => Some(HopKind::Api),
        // The token's own faults are found locally; the hop that answered for them (the API's
        // 401) is the first that went wrong. A network error is on whichever hop had it.
        _ => None,
    }
}

fn round_ms(ms: f64) -> f64 {
    (ms * 10.0).round() / 10.0
}

/// The kind of a transport failure, as a hop's `error`.
pub fn http_error_kind(error: &HttpError) -> &'static str {
    match error {
        HttpError::InvalidUrl { .. } => "invalid_url",
        HttpError::Dns { .. } => "dns",
        HttpError::Connect { .. } => "connect",
        HttpError::Tls { .. } => "tls",
        HttpError::Untrusted { .. } => "tls_untrusted",
        HttpError::Timeout { .. } => "timeout",
        HttpError::Broken { .. } => "broken",
        HttpError::TooManyRedirects { .. } => "too_many_redirects",
        HttpError::ClientSetup { .. } => "client_setup",
    }
}

/// A failed discovery as a hop's status and error.
pub fn discovery_outcome(error: &DiscoveryError) -> (Option<u16>, Option<String>) {
    match error {
        DiscoveryError::Http(e) => (None, Some(http_error_kind(e).to_owned())),
        DiscoveryError::Status { status, .. } => (Some(*status), None),
        DiscoveryError::NotJson { .. } => (None, Some("not_json".to_owned())),
        DiscoveryError::NotObject { .. } => (None, Some("not_an_object".to_owned())),
    }
}

/// A failed JWKS fetch as a hop's status and error.
pub fn jwks_outcome(error: &JwksError) -> (Option<u16>, Option<String>) {
    match error {
        JwksError::Http(e) => (None, Some(http_error_kind(e).to_owned())),
        JwksError::Status { status, .. } => (Some(*status), None),
        JwksError::NotJson { .. } => (None, Some("not_json".to_owned())),
        JwksError::NotAKeySet { .. } => (None, Some("not_a_key_set".to_owned())),
    }
}

/// A failed token request as a hop's error (its status is the report's).
pub fn token_error_kind(error: &TokenError) -> String {
    match error {
        TokenError::Http(e) => http_error_kind(e).to_owned(),
        // The server's own word for it, kept short: it is outside text.
        TokenError::OAuth { error, .. } => error.chars().take(40).collect(),
        TokenError::NotOAuth { .. } => "not_oauth".to_owned(),
        TokenError::Redirected { .. } => "redirected".to_owned(),
        TokenError::ClientAuth(_) => "client_auth".to_owned(),
    }
}

/// Query parameters whose values are credentials: a trace shows that they were there, not what.
const CREDENTIAL_PARAMS: &[&str] = &[
    "access_token",
    "id_token",
    "refresh_token",
    "token",
    "client_secret",
    "client_assertion",
    "assertion",
    "code",
    "password",
    "secret",
    "api_key",
    "apikey",
    "key",
    "sig",
    "signature",
];

/// The URL with any password and credential-like query values replaced (`[redacted]`); a URL
/// that does not parse is shown as given (it was never sent).
pub fn redact_url(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else { return url.to_owned() };
    let mut changed = false;
    if parsed.password().is_some() {
        changed |= parsed.set_password(Some("redacted")).is_ok();
    }
    if let Some(query) = parsed.query().map(str::to_owned) {
        // Piece by piece on the raw query, so the other parameters keep their exact spelling.
        let pieces: Vec<String> = query
            .split('&')
            .map(|piece| {
                let name = piece.split('=').next().unwrap_or_default();
                let decoded = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
                if is_credential_param(&decoded) { format!("{name}=[redacted]") } else { piece.to_owned() }
            })
            .collect();
        let redacted = pieces.join("&");
        if redacted != query {
            parsed.set_query(Some(&redacted));
            changed = true;
        }
    }
    if changed { parsed.to_string() } else { url.to_owned() }
}

fn is_credential_param(name: &str) -> bool {
    CREDENTIAL_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(name.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::findings::Evidence;

    #[test]
    fn offsets_add_up_and_cache_hits_take_no_time() {
        let mut trace = TraceBuilder::default();
        trace.sent(HopKind::Discovery, "GET", "http://i/.well-known/openid-configuration", Some(200), None, 2.0);
        trace.cached(HopKind::Token, "POST", "http://i/token");
        trace.sent(HopKind::Jwks, "get", "http://i/jwks", Some(200), None, 1.5);
        trace.sent(HopKind::Api, "GET", "http://a/x", Some(200), None, 3.25);
        let hops = trace.finish(&[]);
        let offsets: Vec<f64> = hops.iter().map(|h| h.offset_ms).collect();
        assert_eq!(offsets, [0.0, 2.0, 2.0, 3.5]);
        assert_eq!(hops[1].latency_ms, None);
        assert!(hops[1].cached && !hops[1].went_wrong());
        assert_eq!(hops[2].method, "GET");
        assert_eq!(failing_hop(&hops), None);
    }

    #[test]
    fn the_failing_hop_follows_the_primary_finding_else_the_first_bad_answer() {
        let build = || {
            let mut trace = TraceBuilder::default();
            trace.sent(HopKind::Jwks, "GET", "http://i/jwks", Some(404), None, 1.0);
            trace.sent(HopKind::Api, "GET", "http://a/x", Some(403), None, 1.0);
            trace
        };
        let finding = |code| Finding::error(code, "m", Evidence::none(), "f");
        assert_eq!(failing_hop(&build().finish(&[finding(Code::ServerRejected)])), Some(1));
        assert_eq!(failing_hop(&build().finish(&[finding(Code::Expired)])), Some(0));
        assert_eq!(failing_hop(&build().finish(&[])), Some(0));
        // Only one hop is ever marked.
        assert_eq!(build().finish(&[finding(Code::ServerRejected)]).iter().filter(|h| h.failed).count(), 1);
    }

    #[test]
    fn credentials_in_a_query_are_redacted() {
        assert_eq!(
            redact_url("https://api.example/x?access_token=abc&page=2"),
            "https://api.example/x?access_token=[redacted]&page=2"
        );
        assert_eq!(redact_url("https://u:pw@api.example/x"), "https://u:redacted@api.example/x");
        assert_eq!(redact_url("https://api.example/x?page=2"), "https://api.example/x?page=2");
        assert_eq!(redact_url("not a url"), "not a url");
    }
}
