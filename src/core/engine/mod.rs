//! The engine: one object holding the HTTP clients, the caches and the clock, and the
//! pipeline of a call. Every stage writes its own report; no stage fails the call: an error
//! is that stage's report, and diagnosis reads whatever stages ran.
//!
//! ```text
//!  Profile + Endpoint + TokenChoice                       (clock: every stage is stamped `at`)
//!        │
//!  resolve ──► DiscoveryReport          discovery doc (cached per issuer) → token endpoint, JWKS URI
//!        │        └─ error: discovery_failed / network_error; explicit endpoints carry on
//!  obtain  ──► TokenRequestReport       cache (fresh?) → client_credentials request → token response
//!        │        │                     (client auth: secret, assertion or certificate; a DPoP proof,
//!        │        │                      asked again once with the server's nonce: DpopReport)
//!        │        └─ OAuth error / not OAuth / unreachable: no token, the call stops before `probe`
//!  decode  ──► TokenInfo                header, claims, expiry (instants), scopes; opaque/JWE noted
//!  introspect ► IntrospectionReport     an opaque token asked about (RFC 7662), its scope the evidence
//!  verify  ──► Verification             alg, key (JWKS cache, kid refetch), signature, exp, nbf, iat, iss, aud, typ
//!  scopes  ──► ScopeGap                 required vs granted, all-of / any-of
//!  probe   ──► ProbeResponse            the request (scrubbed answer; client certificate, DPoP proof
//!        │                              with the nonce retry) — or an HttpError
//!        │        └─ ServerVerdict      server_message reads the answer: which failure, in whose words
//!        ▼
//!  Facts { each stage optional } ──► diagnose ──► Verdict + ranked Findings
//!        ▼
//!  CallReport (JSON of `call`), TokenFetch (`token`), TokenReport (`verify`)
//!        + trace: one hop per request the stages made (or answered from a cache)
//! ```

pub mod api_check;
pub mod as_stacks;
pub mod dpop;
mod exchange;
mod init;
pub(crate) mod inspect;
pub mod introspect;
mod introspect_run;
mod obtain;
pub(crate) mod report;
mod resolve;
pub mod tls;
pub mod token_cache;
pub mod trace;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use crate::core::clock::{Clock, SystemClock};
use crate::core::diagnose::{self, Facts};
use crate::core::engine::dpop::DpopKeys;
use crate::core::engine::token_cache::{CachedToken, TokenCache};
use crate::core::engine::trace::{HopKind, TraceBuilder};
use crate::core::model::credentials::Credentials;
use crate::core::model::profile::{Endpoint, Profile};
use crate::core::model::secret::Secret;
use crate::core::net::discovery::Discovery;
use crate::core::net::http::{Http, HttpConfig};
use crate::core::net::jwks::JwksCache;
use crate::core::net::scrub::Scrubber;
use crate::core::net::transport::{ClientIdentity, TlsNeeds};
use crate::core::oauth::token_request::TokenResponse;
use crate::core::probe::ProbeRequest;
use crate::core::server_message;
use crate::core::token::jwt::{self, DecodedToken};
use crate::core::token::scopes;
use crate::core::token::verify::{self, Verification, VerifyOptions};
use obtain::trace_obtained;

pub use crate::core::engine::introspect::{IntrospectionReport, RevocationReport};
pub use crate::core::engine::introspect_run::{IntrospectionRun, RevocationRun};
pub use crate::core::engine::report::{
    CallReport, DiscoveryReport, EndpointInfo, TokenFetch, TokenInfo, TokenReport, TokenRequestReport, TokenSource,
};
pub use crate::core::engine::trace::Hop;

/// How the caller wants the token obtained.
#[derive(Debug, Clone)]
pub enum TokenChoice {
    /// From the cache, else the token endpoint with these credentials (those the client's
    /// auth method needs, read). `force` skips the cache.
    Fetch { credentials: Credentials, force: bool },
    /// Use this token as is.
    Given(Secret),
    /// A fresh token the caller took from this engine's cache (`Engine::cached_token`): used
    /// as is and reported as cached; no client secret was read for it.
    Cached(Secret),
    /// Send the request without a token (the 401 baseline).
    None,
}

/// The token endpoint and JWKS URI of a profile, and how they were found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Resolved {
    pub token_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    pub discovery: Option<DiscoveryReport>,
}

/// What to call and how.
#[derive(Debug, Clone)]
pub struct CallSpec {
    /// Identifies the profile for the token cache and in the report (the file stem).
    pub profile_key: String,
    pub profile: Profile,
    pub endpoint: Endpoint,
    pub token: TokenChoice,
}

/// The engine both front-ends share: one HTTP client, caches of discovery, JWKS and tokens.
pub struct Engine {
    http: Http,
    jwks: JwksCache,
    tokens: TokenCache,
    discoveries: tokio::sync::Mutex<HashMap<String, Discovery>>,
    token_fetches: AtomicU64,
    clock: Arc<dyn Clock>,
    /// The client certificate each profile presented last (by token cache key): a cached or
    /// given token goes to the API with it though no credential was read for the call.
    identities: std::sync::Mutex<HashMap<String, Result<ClientIdentity, String>>>,
    dpop_keys: DpopKeys,
    ca_bundles: tls::CaBundles,
}

impl Engine {
    /// An engine on the system's clock.
    pub fn new(config: HttpConfig) -> Self {
        Self::with_clock(config, Arc::new(SystemClock))
    }

    /// An engine whose "now" comes from `clock` (tests pin it).
    pub fn with_clock(config: HttpConfig, clock: Arc<dyn Clock>) -> Self {
        let http = Http::new(config);
        Engine {
            jwks: JwksCache::new(http.clone()),
            http,
            tokens: TokenCache::default(),
            discoveries: tokio::sync::Mutex::new(HashMap::new()),
            token_fetches: AtomicU64::new(0),
            clock,
            identities: Default::default(),
            dpop_keys: DpopKeys::default(),
            ca_bundles: tls::CaBundles::default(),
        }
    }

    /// Now, by the engine's clock.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    pub fn http(&self) -> &Http {
        &self.http
    }

    pub fn jwks(&self) -> &JwksCache {
        &self.jwks
    }

    /// The connection settings a profile's requests need: its `[tls]`, and the client
    /// certificate when `identity` holds one (discovery and JWKS go without).
    pub(crate) fn tls_needs(&self, profile: &Profile, identity: Option<&Result<ClientIdentity, String>>) -> TlsNeeds {
        tls::tls_needs(profile, identity, &self.ca_bundles)
    }

    pub fn tokens(&self) -> &TokenCache {
        &self.tokens
    }

    /// Token requests sent so far (for tests and benchmarks).
    pub fn token_fetch_count(&self) -> u64 {
        self.token_fetches.load(Ordering::Relaxed)
    }

    /// The cache key of a profile's token: the client settings that shape the token.
    pub fn token_cache_key(profile_key: &str, profile: &Profile) -> String {
        // A DPoP-bound token is only good with its key: its own cache entry.
        if let Some(dpop) = &profile.dpop {
            let plain = Profile { dpop: None, ..profile.clone() };
            return format!("{}|dpop:{}", Self::token_cache_key(profile_key, &plain), dpop.alg);
        }
        match &profile.client {
            Some(c) => format!(
                "{profile_key}|{}|{}|{}|{}|{}",
                c.id,
                c.scopes.join(" "),
                c.audience.as_deref().unwrap_or(""),
                c.resource.as_deref().unwrap_or(""),
                profile.issuer.token_endpoint.as_deref().or(profile.issuer.url.as_deref()).unwrap_or("")
            ),
            None => profile_key.to_owned(),
        }
    }

    /// A fresh cached token for the profile, if there is one (no network).
    pub fn cached_token(&self, profile_key: &str, profile: &Profile) -> Option<CachedToken> {
        self.tokens.get(&Self::token_cache_key(profile_key, profile), self.now())
    }

    /// Sends the client_credentials request for a profile (no cache involved).
    pub async fn request_token(
        &self,
        profile: &Profile,
        token_endpoint: &str,
        credentials: Credentials,
    ) -> (TokenRequestReport, Option<TokenResponse>) {
        let exchange = self.request_token_bound(profile, token_endpoint, credentials).await;
        (exchange.report, exchange.response)
    }

    /// The options to verify a token the way the profile's API does.
    pub fn verify_options(
        &self,
        profile: &Profile,
        jwks_uri: Option<String>,
        hmac_secret: Option<Secret>,
        now: i64,
    ) -> VerifyOptions {
        VerifyOptions {
            jwks_tls: self.tls_needs(profile, None),
            algorithms: profile.expect.algorithms.clone(),
            issuer: profile.expect.issuer.clone(),
            audience: profile.expect.audience.clone(),
            leeway_secs: profile.expect.leeway_secs,
            jwks_uri,
            hmac_secret,
            now,
            rules: crate::core::verifier::presets::rules_of(profile.expect.stack),
        }
    }

    pub async fn verify(&self, token: &DecodedToken, options: &VerifyOptions) -> Verification {
        verify::verify(&self.jwks, token, options).await
    }

    /// Verifies, adding the JWKS request (or cache hit) to `trace`. Verifying is otherwise
    /// local work of microseconds, so its span by the engine's clock is the fetch's latency.
    async fn verify_traced(
        &self,
        token: &DecodedToken,
        options: &VerifyOptions,
        trace: &mut TraceBuilder,
    ) -> Verification {
        let started = std::time::Instant::now();
        let verification = self.verify(token, options).await;
        trace.key_lookup(&verification, options.jwks_uri.as_deref(), milliseconds(self.clock.elapsed(started)));
        verification
    }

    /// Gets a token for a profile (cache first unless `force`) and verifies it as the API would.
    pub async fn fetch_token(
        &self,
        profile_key: &str,
        profile: &Profile,
        credentials: Credentials,
        force: bool,
        hmac_secret: Option<Secret>,
    ) -> TokenFetch {
        let now = self.now();
        let mut trace = TraceBuilder::default();
        let resolved = self.resolve_traced(profile, &mut trace).await;
        let endpoint = resolved.token_endpoint.as_deref();
        let obtained = self.obtain_token(profile_key, profile, endpoint, credentials.clone(), force, now).await;
        trace_obtained(&mut trace, &obtained, endpoint);
        // An opaque token is shown with what the issuer says of it.
        let introspection = match &obtained.access_token {
            Some(token) => {
                self.introspect_if_opaque(profile, &resolved, &obtained.token, token, credentials, &mut trace).await
            }
            None => None,
        };
        let verification = match &obtained.token.decoded {
            Some(decoded) => {
                let options = self.verify_options(profile, resolved.jwks_uri.clone(), hmac_secret, now);
                Some(self.verify_traced(decoded, &options, &mut trace).await)
            }
            None => None,
        };
        let facts = Facts {
            discovery: resolved.discovery.as_ref(),
            token_request: obtained.token_request.as_ref(),
            token: Some(&obtained.token),
            verification: verification.as_ref(),
            dpop: obtained.dpop.as_ref(),
            ..Facts::new(profile, now)
        };
        let findings = diagnose::token_fetch_findings(&facts);
        TokenFetch {
            trace: trace.finish(&findings),
            profile: profile_key.to_owned(),
            discovery: resolved.discovery,
            token_endpoint: resolved.token_endpoint,
            jwks_uri: resolved.jwks_uri,
            token_request: obtained.token_request,
            token: obtained.token,
            verification,
            findings,
            access_token: obtained.access_token,
            introspection,
            dpop: obtained.dpop,
            client_certificate: obtained.client_certificate,
        }
    }

    /// The whole flow for one endpoint; never fails: every problem ends up in the report.
    pub async fn call(&self, spec: CallSpec, hmac_secret: Option<Secret>) -> CallReport {
        self.call_introspecting(spec, hmac_secret, None).await
    }

    /// [`Engine::call`], with the client's credentials for introspecting an opaque token that
    /// was given or cached (a fetched token's request already read them).
    pub async fn call_introspecting(
        &self,
        spec: CallSpec,
        hmac_secret: Option<Secret>,
        client_credentials: Option<Credentials>,
    ) -> CallReport {
        let CallSpec { profile_key, profile, endpoint, token: choice } = spec;
        let client_credentials = client_credentials.or_else(|| match &choice {
            TokenChoice::Fetch { credentials, .. } => Some(credentials.clone()),
            _ => None,
        });
        let baseline = matches!(choice, TokenChoice::None);
        let now = self.now();
        let mut trace = TraceBuilder::default();
        let resolved = self.resolve_traced(&profile, &mut trace).await;
        let mut report =
            CallReport::new(profile_key.clone(), EndpointInfo::from(&endpoint), resolved.discovery.clone(), now);

        let scope_claim = profile.expect.scope_claim.clone();
        // Every secret this call knows, to scrub from the API's answer (the token is added
        // by the probe itself).
        let mut known = Scrubber::new();
        if let (Some(credentials), Some(client)) = (&client_credentials, &profile.client)
            && let Some(secret) = &credentials.secret
        {
            known.add_client_secret(&client.id, secret);
        }
        if let Some(hmac) = &hmac_secret {
            known.add_secret(hmac);
        }
        let token: Option<Secret> = match choice {
            TokenChoice::None => None,
            TokenChoice::Given(token) => {
                report.token = TokenInfo::describe(TokenSource::Given, token.expose(), &scope_claim, now);
                Some(Secret::new(jwt::clean_pasted(token.expose())))
            }
            TokenChoice::Cached(token) => {
                if let Some(url) = &resolved.token_endpoint {
                    trace.cached(HopKind::Token, "POST", url);
                }
                report.token = TokenInfo::describe(TokenSource::Cached, token.expose(), &scope_claim, now);
                Some(token)
            }
            TokenChoice::Fetch { credentials, force } => {
                let endpoint = resolved.token_endpoint.as_deref();
                let obtained = self.obtain_token(&profile_key, &profile, endpoint, credentials, force, now).await;
                trace_obtained(&mut trace, &obtained, endpoint);
                report.token_request = obtained.token_request;
                report.token = obtained.token;
                report.dpop = obtained.dpop;
                report.token_client_certificate = obtained.client_certificate;
                obtained.access_token
            }
        };

        // The certificate the credentials read for this call hold, for the API request.
        let credential_identity = client_credentials.as_ref().and_then(tls::identity);
        if let (Some(token), Some(credentials)) = (&token, client_credentials) {
            report.introspection =
                self.introspect_if_opaque(&profile, &resolved, &report.token, token, credentials, &mut trace).await;
        }
        let introspected_scopes =
            report.introspection.as_ref().and_then(|i| i.answer.as_ref()).filter(|a| a.active).and_then(|a| a.scopes());
        if let Some(decoded) = &report.token.decoded {
            let options = self.verify_options(&profile, resolved.jwks_uri.clone(), hmac_secret, now);
            report.verification = Some(self.verify_traced(decoded, &options, &mut trace).await);
            let granted = scopes::granted_scopes(&decoded.claims, &scope_claim).map(|g| g.scopes).unwrap_or_default();
            report.scope_gap = Some(scopes::scope_gap(&endpoint.required_scopes, &granted, profile.expect.scope_match));
        } else if let Some(granted) = introspected_scopes {
            // Introspection is the issuer's word on an opaque token: it outranks the token response.
            report.scope_gap = Some(scopes::scope_gap(&endpoint.required_scopes, &granted, profile.expect.scope_match));
        } else if let Some(granted) = report.token_request.as_ref().and_then(granted_by_token_response) {
            // An opaque token carries no claims: the token response's scope is the evidence.
            report.scope_gap = Some(scopes::scope_gap(&endpoint.required_scopes, &granted, profile.expect.scope_match));
        }

        // The API sees the certificate the token request presented (read for it, or kept from
        // the request that got a cached token).
        let identity = credential_identity.or_else(|| {
            self.identities
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(&Self::token_cache_key(&profile_key, &profile))
                .cloned()
        });
        let api_needs = self.tls_needs(&profile, identity.as_ref());
        // Over plain http no certificate is presented, whatever the profile holds.
        let over_tls = endpoint.url.get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"));
        report.client_certificate =
            api_needs.identity.as_ref().filter(|_| over_tls).and_then(ClientIdentity::certificate);
        report.access_token = token.clone();
        // Without a token where one was wanted, the request would only show the baseline: skip it.
        if token.is_some() || baseline {
            let request = ProbeRequest {
                method: endpoint.method.clone(),
                url: endpoint.url.clone(),
                headers: endpoint.headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                body: endpoint.body.clone(),
                token,
            };
            report.notes = request.header_notes();
            let (outcome, latency_ms) =
                self.send_api(&profile, &request, &api_needs, &known, &mut trace, &mut report.dpop).await;
            if let Some(outcome) = outcome {
                match outcome {
                    Ok(mut response) => {
                        response.latency_ms = latency_ms;
                        report.server = (!response.is_success()).then(|| {
                            server_message::interpret_answer(
                                response.status,
                                response.bearer.as_ref(),
                                &response.headers,
                                &response.body,
                                !baseline,
                            )
                        });
                        report.response = Some(response);
                        report.notes.extend(as_stacks::dialect_note(profile.expect.stack, report.server.as_ref()));
                    }
                    Err(error) => {
                        report.request_error = Some(error.to_string());
                        report.request_error_kind = Some(error);
                    }
                }
            }
        }

        let diagnosis = diagnose::diagnose(&report.facts(&profile, baseline));
        report.verdict = diagnosis.verdict;
        report.findings = diagnosis.findings;
        report.trace = trace.finish(&report.findings);
        report
    }
}

/// A span in milliseconds with one decimal, as reports show latencies.
fn milliseconds(span: std::time::Duration) -> f64 {
    (span.as_secs_f64() * 10_000.0).round() / 10.0
}

/// The scopes a token response says it granted (RFC 6749 §5.1 `scope`), if it says.
fn granted_by_token_response(request: &crate::core::oauth::token_request::TokenRequestReport) -> Option<Vec<String>> {
    let scope = request.response.as_ref()?.get("scope")?.as_str()?;
    Some(scope.split_whitespace().map(str::to_owned).collect())
}
