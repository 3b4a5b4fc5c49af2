//! `check-api`'s live facts: discovery at the issuer, and every JWKS URI that matters (the
//! discovery document's and the API's own), fetched with the engine's HTTP settings, TLS
//! needs and timeouts, for the pure comparison in `core::api_config::compare`.

use crate::core::api_config::compare::{JwksProblem, LiveDiscovery, LiveFacts, LiveToken};
use crate::core::api_config::{ApiSetting, SettingKind};
use crate::core::engine::Engine;
use crate::core::engine::trace::TraceBuilder;
use crate::core::net::jwks::JwksError;
use crate::core::net::transport::TlsNeeds;
use crate::core::token::jwt::DecodedToken;

/// At most this many JWKS URIs are fetched: a tree naming more is not one API.
const MAX_JWKS_URIS: usize = 8;

impl Engine {
    /// Discovery at `issuer` and the key sets of `settings`' JWKS URIs (plus discovery's).
    pub async fn api_live_facts(
        &self,
        issuer: &str,
        settings: &[ApiSetting],
        tls: &TlsNeeds,
        token: Option<LiveToken>,
        client_id: Option<String>,
    ) -> LiveFacts {
        let discovery = self
            .discover_traced(issuer, tls, &mut TraceBuilder::default())
            .await
            .map(|found| LiveDiscovery { url: found.url, issuer: found.issuer, jwks_uri: found.jwks_uri })
            .map_err(|error| error.to_string());
        let mut uris: Vec<String> = Vec::new();
        let configured = settings
            .iter()
            .filter(|s| s.setting == SettingKind::JwksUri)
            .filter_map(|s| s.comparable().and_then(|values| values.first()).cloned());
        for uri in discovery.as_ref().ok().and_then(|d| d.jwks_uri.clone()).into_iter().chain(configured) {
            if !uris.contains(&uri) && uris.len() < MAX_JWKS_URIS {
                uris.push(uri);
            }
        }
        let mut key_sets = Vec::new();
        for uri in uris {
            let outcome = match crate::core::store::profile_store::check_http_url(&uri) {
                Err(error) => Err(JwksProblem::Unreachable(format!("not an http(s) URL: {error}"))),
                Ok(_) => self.jwks.lookup(&uri, tls, None).await.map(|found| (*found.set).clone()).map_err(problem),
            };
            key_sets.push((uri, outcome));
        }
        LiveFacts { asked: issuer.to_owned(), discovery, key_sets, token, client_id }
    }
}

/// No answer, or an answer that is not a key set.
fn problem(error: JwksError) -> JwksProblem {
    match error {
        JwksError::Http(error) => JwksProblem::Unreachable(error.to_string()),
        other => JwksProblem::NotAKeySet(other.to_string()),
    }
}

/// The token as the API would receive it: its `alg` and claims.
pub fn live_token(decoded: &DecodedToken) -> LiveToken {
    LiveToken { alg: decoded.alg.clone(), claims: decoded.claims.clone() }
}
