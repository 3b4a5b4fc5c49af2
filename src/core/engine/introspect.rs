//! The introspection and revocation stages: where each endpoint is (the profile's, else the
//! discovery document's), the request sent with the client's own credentials, and the report.

use crate::core::engine::trace::{self, HopKind, TraceBuilder};
use crate::core::engine::{DiscoveryReport, Engine, milliseconds};
use crate::core::model::credentials::Credentials;
use crate::core::model::profile::{ClientConfig, Profile};
use crate::core::model::secret::Secret;
use crate::core::net::transport::TlsNeeds;
use crate::core::oauth::client_post::{EndpointError, TokenPost};
use crate::core::oauth::introspection;
pub use crate::core::oauth::introspection_report::{IntrospectionReport, RevocationReport};
use crate::core::oauth::revocation;

/// Which of the issuer's token endpoints (other than the token endpoint itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuerEndpoint {
    Introspection,
    Revocation,
    /// The token endpoint: a client assertion's audience at the other two (OIDC Core §9).
    Token,
}

impl IssuerEndpoint {
    /// The profile field and the discovery member (OIDC and RFC 8414 name them alike).
    pub fn field(self) -> &'static str {
        match self {
            IssuerEndpoint::Introspection => "introspection_endpoint",
            IssuerEndpoint::Revocation => "revocation_endpoint",
            IssuerEndpoint::Token => "token_endpoint",
        }
    }

    fn configured(self, profile: &Profile) -> Option<&String> {
        match self {
            IssuerEndpoint::Introspection => profile.issuer.introspection_endpoint.as_ref(),
            IssuerEndpoint::Revocation => profile.issuer.revocation_endpoint.as_ref(),
            IssuerEndpoint::Token => profile.issuer.token_endpoint.as_ref(),
        }
    }
}

fn error_body(error: &EndpointError) -> Option<String> {
    match error {
        EndpointError::OAuth { raw_body, .. } => Some(raw_body.clone()),
        EndpointError::Unexpected { body, .. } if !body.is_empty() => Some(body.clone()),
        _ => None,
    }
}

impl Engine {
    /// A client assertion's audience at the introspection and revocation endpoints: the
    /// token endpoint, as at the token request (OIDC Core §9; many servers take no other).
    /// `None` for the other methods, or when no token endpoint is known (the endpoint's own
    /// URL is then used).
    async fn assertion_audience(&self, profile: &Profile, trace: &mut TraceBuilder) -> Option<String> {
        let signs = profile.client.as_ref().is_some_and(|c| c.auth_method.signs_assertion());
        if !signs {
            return None;
        }
        self.issuer_endpoint(profile, IssuerEndpoint::Token, None, trace).await
    }

    /// The profile's introspection or revocation endpoint, else its discovery document's
    /// (the call's own, or fetched now: cached per issuer).
    pub(crate) async fn issuer_endpoint(
        &self,
        profile: &Profile,
        which: IssuerEndpoint,
        discovery: Option<&DiscoveryReport>,
        trace: &mut TraceBuilder,
    ) -> Option<String> {
        if let Some(url) = which.configured(profile) {
            return Some(url.clone());
        }
        let from = |document: &serde_json::Value| document.get(which.field())?.as_str().map(str::to_owned);
        // The call's own discovery, if it ran (a failed one is not asked again).
        if let Some(report) = discovery {
            return report.document.as_ref().and_then(from);
        }
        let issuer = profile.issuer.url.as_ref()?;
        let found = self.discover_traced(issuer, &self.tls_needs(profile, None), trace).await.ok()?;
        from(&found.document)
    }

    /// The client-authenticated POST of `token` to `endpoint` that introspection and
    /// revocation share, and the connection it goes over: the client's certificate, when it
    /// has one, is presented here as at the token endpoint.
    async fn token_post(
        &self,
        profile: &Profile,
        client: &ClientConfig,
        endpoint: &str,
        token: &Secret,
        credentials: Credentials,
        trace: &mut TraceBuilder,
    ) -> (TokenPost, TlsNeeds) {
        let needs = self.tls_needs(profile, super::tls::identity(&credentials).as_ref());
        let assertion_audience = self.assertion_audience(profile, trace).await;
        let post = TokenPost {
            endpoint: endpoint.to_owned(),
            client_id: client.id.clone(),
            auth_method: client.auth_method,
            credentials,
            token: token.clone(),
            token_type_hint: Some("access_token".to_owned()),
            assertion_audience,
        };
        (post, needs)
    }

    /// Introspects `token` at `endpoint` with the client's own credentials and auth method.
    pub(crate) async fn introspect_at(
        &self,
        profile: &Profile,
        endpoint: &str,
        token: &Secret,
        credentials: Credentials,
        trace: &mut TraceBuilder,
    ) -> IntrospectionReport {
        let Some(client) = &profile.client else {
            let error = "the profile has no [client] section: introspection needs the client's credentials";
            return IntrospectionReport::failed(Some(endpoint.to_owned()), None, error.to_owned());
        };
        let (post, needs) = self.token_post(profile, client, endpoint, token, credentials, trace).await;
        let started = std::time::Instant::now();
        let outcome = introspection::introspect(&post, &self.http, &needs).await;
        let latency_ms = milliseconds(self.clock.elapsed(started));
        let mut report = IntrospectionReport {
            request: Some(post.view()),
            latency_ms,
            ..IntrospectionReport::failed(Some(endpoint.to_owned()), None, String::new())
        };
        report.error = None;
        match outcome {
            Ok(answer) => {
                report.status = Some(answer.status);
                report.answer = Some(answer);
            }
            Err(error) => {
                report.status = error.status();
                report.oauth_error = error.oauth_error().map(str::to_owned);
                report.raw_body = error_body(&error);
                report.error = Some(error.to_string());
                report.error_kind = Some(error);
            }
        }
        let error = report.error_kind.as_ref().map(|e| match e {
            EndpointError::Http(http) => trace::http_error_kind(http).to_owned(),
            EndpointError::OAuth { error, .. } => error.clone(),
            EndpointError::Unexpected { .. } => "unexpected_answer".to_owned(),
            EndpointError::Redirected { .. } => "redirected".to_owned(),
            EndpointError::ClientAuth(_) => "client_auth".to_owned(),
        });
        if !matches!(report.error_kind, Some(EndpointError::ClientAuth(_))) {
            trace.sent(HopKind::Introspection, "POST", endpoint, report.status, error, latency_ms);
        }
        report
    }

    /// Introspects `token` for `profile`: the endpoint resolved, then asked.
    pub(crate) async fn introspect_token(
        &self,
        profile: &Profile,
        discovery: Option<&DiscoveryReport>,
        token: &Secret,
        credentials: Credentials,
        trace: &mut TraceBuilder,
    ) -> IntrospectionReport {
        match self.issuer_endpoint(profile, IssuerEndpoint::Introspection, discovery, trace).await {
            Some(endpoint) => self.introspect_at(profile, &endpoint, token, credentials, trace).await,
            None => IntrospectionReport::failed(None, None, no_endpoint(profile, IssuerEndpoint::Introspection)),
        }
    }

    /// Revokes `token` for `profile` with the client's own credentials (RFC 7009).
    pub(crate) async fn revoke_token(
        &self,
        profile: &Profile,
        token: &Secret,
        credentials: Credentials,
        trace: &mut TraceBuilder,
    ) -> RevocationReport {
        let mut report = RevocationReport {
            endpoint: None,
            request: None,
            status: None,
            revoked: false,
            error: None,
            oauth_error: None,
            raw_body: None,
            latency_ms: 0.0,
            error_kind: None,
        };
        let Some(endpoint) = self.issuer_endpoint(profile, IssuerEndpoint::Revocation, None, trace).await else {
            report.error = Some(no_endpoint(profile, IssuerEndpoint::Revocation));
            return report;
        };
        report.endpoint = Some(endpoint.clone());
        let Some(client) = &profile.client else {
            report.error =
                Some("the profile has no [client] section: revocation needs the client's credentials".into());
            return report;
        };
        let (post, needs) = self.token_post(profile, client, &endpoint, token, credentials, trace).await;
        let started = std::time::Instant::now();
        let outcome = revocation::revoke(&post, &self.http, &needs).await;
        report.latency_ms = milliseconds(self.clock.elapsed(started));
        report.request = Some(post.view());
        match outcome {
            Ok(done) => {
                report.status = Some(done.status);
                report.revoked = true;
            }
            Err(error) => {
                report.status = error.status();
                report.oauth_error = error.oauth_error().map(str::to_owned);
                report.raw_body = error_body(&error);
                report.error = Some(error.to_string());
                report.error_kind = Some(error);
            }
        }
        let error = report.error_kind.as_ref().and_then(|e| match e {
            EndpointError::Http(http) => Some(trace::http_error_kind(http).to_owned()),
            EndpointError::OAuth { error, .. } => Some(error.clone()),
            _ => None,
        });
        trace.sent(HopKind::Revocation, "POST", &endpoint, report.status, error, report.latency_ms);
        report
    }
}

/// Why no endpoint is known, and where one would come from.
fn no_endpoint(profile: &Profile, which: IssuerEndpoint) -> String {
    let field = which.field();
    match &profile.issuer.url {
        Some(url) => format!("no {field}: the discovery document of {url} names none; set issuer.{field}"),
        None => format!("no {field}: set issuer.{field} (or issuer.url, for discovery)"),
    }
}

impl Engine {
    /// Introspects the call's token when it is opaque (a JWT is verified locally instead) and
    /// an introspection endpoint is known; `None` otherwise.
    pub(crate) async fn introspect_if_opaque(
        &self,
        profile: &Profile,
        resolved: &crate::core::engine::Resolved,
        info: &crate::core::token::info::TokenInfo,
        token: &Secret,
        credentials: Credentials,
        trace: &mut TraceBuilder,
    ) -> Option<IntrospectionReport> {
        let opaque = info.decode_error_kind.as_ref().is_some_and(|e| e.looks_opaque());
        if !opaque || profile.client.is_none() {
            return None;
        }
        let discovery = resolved.discovery.as_ref();
        let endpoint = self.issuer_endpoint(profile, IssuerEndpoint::Introspection, discovery, trace).await?;
        Some(self.introspect_at(profile, &endpoint, token, credentials, trace).await)
    }
}
