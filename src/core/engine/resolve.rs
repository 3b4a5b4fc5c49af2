//! Where a profile's token endpoint and JWKS URI come from: its own settings, else the
//! issuer's discovery document (cached per issuer), each request added to the call's trace.

use crate::core::engine::trace::{self, HopKind, TraceBuilder};
use crate::core::engine::{DiscoveryReport, Engine, Resolved, milliseconds};
use crate::core::model::profile::Profile;
use crate::core::net::discovery::{self, Discovery, DiscoveryError};
use crate::core::net::transport::TlsNeeds;

impl Engine {
    /// Discovery, cached per issuer for the engine's lifetime.
    pub async fn discover(&self, issuer: &str) -> Result<Discovery, DiscoveryError> {
        self.discover_traced(issuer, &TlsNeeds::default(), &mut TraceBuilder::default()).await
    }

    /// Discovery, its request (or the cache hit) added to `trace`.
    pub(super) async fn discover_traced(
        &self,
        issuer: &str,
        tls: &TlsNeeds,
        trace: &mut TraceBuilder,
    ) -> Result<Discovery, DiscoveryError> {
        let url = discovery::discovery_url(issuer);
        if let Some(found) = self.discoveries.lock().await.get(issuer) {
            trace.cached(HopKind::Discovery, "GET", &url);
            return Ok(found.clone());
        }
        let started = std::time::Instant::now();
        let outcome = discovery::fetch_with(&self.http, issuer, tls).await;
        let latency_ms = milliseconds(self.clock.elapsed(started));
        let (status, error) = match &outcome {
            Ok(found) => (Some(found.status), None),
            Err(error) => trace::discovery_outcome(error),
        };
        trace.sent(HopKind::Discovery, "GET", &url, status, error, latency_ms);
        let found = outcome?;
        self.discoveries.lock().await.insert(issuer.to_owned(), found.clone());
        Ok(found)
    }

    /// The token endpoint and JWKS URI: explicit ones win, discovery fills the rest.
    pub async fn resolve(&self, profile: &Profile) -> Resolved {
        self.resolve_traced(profile, &mut TraceBuilder::default()).await
    }

    pub(super) async fn resolve_traced(&self, profile: &Profile, trace: &mut TraceBuilder) -> Resolved {
        let mut resolved = Resolved {
            token_endpoint: profile.issuer.token_endpoint.clone(),
            jwks_uri: profile.issuer.jwks_uri.clone(),
            discovery: None,
        };
        let needs_discovery = resolved.token_endpoint.is_none() || resolved.jwks_uri.is_none();
        if let (true, Some(issuer)) = (needs_discovery, &profile.issuer.url) {
            let url = discovery::discovery_url(issuer);
            match self.discover_traced(issuer, &self.tls_needs(profile, None), trace).await {
                Ok(found) => {
                    // RFC 8705 §5: a client that presents a certificate uses the mTLS aliases.
                    let alias =
                        presents_certificate(profile).then(|| mtls_alias(&found.document, "token_endpoint")).flatten();
                    resolved.token_endpoint = resolved.token_endpoint.or(alias).or(found.token_endpoint.clone());
                    resolved.jwks_uri = resolved.jwks_uri.or(found.jwks_uri.clone());
                    resolved.discovery = Some(DiscoveryReport {
                        url,
                        ok: true,
                        issuer: found.issuer,
                        error: None,
                        error_kind: None,
                        document: Some(found.document),
                    });
                }
                Err(error) => {
                    resolved.discovery = Some(DiscoveryReport {
                        url,
                        ok: false,
                        issuer: None,
                        error: Some(error.to_string()),
                        error_kind: Some(error),
                        document: None,
                    });
                }
            }
        }
        resolved
    }
}

/// True when the profile's client presents a certificate on its connections.
fn presents_certificate(profile: &Profile) -> bool {
    profile.client.as_ref().is_some_and(|c| c.certificate.is_some())
}

/// An endpoint of the discovery document's `mtls_endpoint_aliases` (RFC 8705 §5), when it is
/// an absolute http(s) URL.
pub(crate) fn mtls_alias(document: &serde_json::Value, name: &str) -> Option<String> {
    let value = document.get("mtls_endpoint_aliases")?.get(name)?.as_str()?;
    crate::core::store::profile_store::check_http_url(value).ok().map(|_| value.to_owned())
}
