//! Getting a call's token: the engine's cache while it is fresh, else the token endpoint.

use super::Engine;
use super::dpop::DpopReport;
use super::tls;
use super::trace::{HopKind, TraceBuilder};
use crate::core::engine::token_cache::CachedToken;
use crate::core::model::credentials::Credentials;
use crate::core::model::profile::Profile;
use crate::core::model::secret::Secret;
use crate::core::net::cert_info::CertInfo;
use crate::core::oauth::token_request::TokenRequestReport;
use crate::core::token::info::{TokenInfo, TokenSource};

/// A token obtained for a call, and how.
pub(super) struct Obtained {
    pub(super) token_request: Option<TokenRequestReport>,
    pub(super) token: TokenInfo,
    pub(super) access_token: Option<Secret>,
    /// The DPoP proofs of the token request, when the profile has `[dpop]`.
    pub(super) dpop: Option<DpopReport>,
    /// The first attempt, when the token endpoint demanded a DPoP nonce and was asked again.
    pub(super) first_attempt: Option<TokenRequestReport>,
    /// The client certificate presented to the token endpoint (mTLS): read for this request,
    /// or the one the request that got a cached token presented.
    pub(super) client_certificate: Option<CertInfo>,
}

impl Engine {
    /// The cached token if fresh (unless `force`), else a new one from `token_endpoint`.
    pub(super) async fn obtain_token(
        &self,
        profile_key: &str,
        profile: &Profile,
        token_endpoint: Option<&str>,
        credentials: Credentials,
        force: bool,
        now: i64,
    ) -> Obtained {
        let scope_claim = &profile.expect.scope_claim;
        let key = Self::token_cache_key(profile_key, profile);
        let cached = if force { None } else { self.tokens.get(&key, now) };
        if let Some(cached) = cached {
            let kept = self.identities.lock().unwrap_or_else(|p| p.into_inner()).get(&key).cloned();
            return Obtained {
                client_certificate: tls::presented_certificate(kept.as_ref(), token_endpoint),
                token_request: None,
                token: TokenInfo {
                    obtained_at: Some(cached.fetched_at),
                    ..TokenInfo::describe(TokenSource::Cached, cached.token.expose(), scope_claim, now)
                },
                access_token: Some(cached.token),
                dpop: None,
                first_attempt: None,
            };
        }
        // No token endpoint: discovery failed or the profile names none.
        let Some(endpoint_url) = token_endpoint else {
            return Obtained {
                token_request: None,
                token: TokenInfo::none(),
                access_token: None,
                dpop: None,
                first_attempt: None,
                client_certificate: None,
            };
        };
        let identity = tls::identity(&credentials);
        let client_certificate = tls::presented_certificate(identity.as_ref(), Some(endpoint_url));
        if let Some(identity) = identity {
            self.identities.lock().unwrap_or_else(|p| p.into_inner()).insert(key.clone(), identity);
        }
        let exchange = self.request_token_bound(profile, endpoint_url, credentials).await;
        let (request_report, response) = (exchange.report, exchange.response);
        let mut token = TokenInfo::none();
        let access_token = response.map(|response| {
            token = TokenInfo {
                obtained_at: Some(now),
                ..TokenInfo::describe(TokenSource::Fetched, response.access_token.expose(), scope_claim, now)
            };
            let expires_at = token
                .expires_at
                .or_else(|| response.expires_in.and_then(|s| i64::try_from(s).ok()).map(|s| now.saturating_add(s)));
            self.tokens.put(&key, CachedToken { token: response.access_token.clone(), fetched_at: now, expires_at });
            response.access_token
        });
        Obtained {
            token_request: Some(request_report),
            token,
            access_token,
            dpop: exchange.dpop,
            first_attempt: exchange.first_attempt,
            client_certificate,
        }
    }
}

/// The token request of `obtained` as a hop: sent, or served from the token cache.
pub(super) fn trace_obtained(trace: &mut TraceBuilder, obtained: &Obtained, token_endpoint: Option<&str>) {
    if let Some(first) = &obtained.first_attempt {
        trace.token_request(first);
    }
    match (&obtained.token_request, obtained.token.source, token_endpoint) {
        (Some(request), _, _) => trace.token_request(request),
        (None, TokenSource::Cached, Some(url)) => trace.cached(HopKind::Token, "POST", url),
        _ => {}
    }
}
