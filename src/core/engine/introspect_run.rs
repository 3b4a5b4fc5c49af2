//! The `introspect` and `revoke` commands as engine runs: the token (given, or fetched for the
//! profile), the request with the client's own credentials, the findings and the trace.

use serde::Serialize;

use crate::core::diagnose::{self, Facts};
use crate::core::engine::introspect::{IntrospectionReport, RevocationReport};
use crate::core::engine::obtain::trace_obtained;
use crate::core::engine::trace::{Hop, TraceBuilder};
use crate::core::engine::{DiscoveryReport, Engine, TokenInfo, TokenRequestReport, TokenSource};
use crate::core::findings::Finding;
use crate::core::model::credentials::Credentials;
use crate::core::model::profile::Profile;
use crate::core::model::secret::Secret;
use crate::core::token::jwt;

/// A token introspected on its own (`tokdbg introspect`).
#[derive(Debug, Clone, Serialize)]
pub struct IntrospectionRun {
    pub profile: String,
    pub discovery: Option<DiscoveryReport>,
    /// The token request, when the token was fetched for the profile.
    pub token_request: Option<TokenRequestReport>,
    pub token: TokenInfo,
    pub introspection: IntrospectionReport,
    pub findings: Vec<Finding>,
    pub trace: Vec<Hop>,
}

impl IntrospectionRun {
    /// A host could not be reached at all (CLI exit code 3).
    pub fn network_unreachable(&self) -> bool {
        self.introspection.unreachable()
            || crate::core::engine::report::unreachable(self.discovery.as_ref(), self.token_request.as_ref())
    }
}

/// A token revoked (`tokdbg revoke`).
#[derive(Debug, Clone, Serialize)]
pub struct RevocationRun {
    pub profile: String,
    #[serde(flatten)]
    pub revocation: RevocationReport,
    pub trace: Vec<Hop>,
}

impl Engine {
    /// Introspects `token` (or, without one, a token fetched for the profile as `token` does)
    /// with the client's own credentials.
    pub async fn introspect(
        &self,
        profile_key: &str,
        profile: &Profile,
        token: Option<Secret>,
        credentials: Credentials,
    ) -> IntrospectionRun {
        let now = self.now();
        let mut trace = TraceBuilder::default();
        let resolved = self.resolve_traced(profile, &mut trace).await;
        let scope_claim = &profile.expect.scope_claim;
        let (token_request, info, token) = match token {
            Some(token) => {
                let token = Secret::new(jwt::clean_pasted(token.expose()));
                (None, TokenInfo::describe(TokenSource::Given, token.expose(), scope_claim, now), Some(token))
            }
            None => {
                let endpoint = resolved.token_endpoint.as_deref();
                let obtained = self.obtain_token(profile_key, profile, endpoint, credentials.clone(), false, now).await;
                trace_obtained(&mut trace, &obtained, endpoint);
                (obtained.token_request, obtained.token, obtained.access_token)
            }
        };
        let introspection = match &token {
            Some(token) => {
                self.introspect_token(profile, resolved.discovery.as_ref(), token, credentials, &mut trace).await
            }
            None => IntrospectionReport::not_asked("no token to introspect: the token request failed"),
        };
        let facts = Facts {
            discovery: resolved.discovery.as_ref(),
            token_request: token_request.as_ref(),
            token: Some(&info),
            introspection: Some(&introspection),
            ..Facts::new(profile, now)
        };
        let findings = diagnose::introspection_findings(&facts);
        IntrospectionRun {
            trace: trace.finish(&findings),
            profile: profile_key.to_owned(),
            discovery: resolved.discovery,
            token_request,
            token: info,
            introspection,
            findings,
        }
    }

    /// Revokes `token` with the client's own credentials (RFC 7009).
    pub async fn revoke(
        &self,
        profile_key: &str,
        profile: &Profile,
        token: Secret,
        credentials: Credentials,
    ) -> RevocationRun {
        let mut trace = TraceBuilder::default();
        let token = Secret::new(jwt::clean_pasted(token.expose()));
        let revocation = self.revoke_token(profile, &token, credentials, &mut trace).await;
        RevocationRun { profile: profile_key.to_owned(), revocation, trace: trace.finish(&[]) }
    }
}
