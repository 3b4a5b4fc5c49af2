//! A token examined on its own: decoded and verified the way a profile's API would, with
//! the findings of a token alone (the `verify` command and the TUI's paste mode).

use crate::core::diagnose::{self, Facts};
use crate::core::engine::{Engine, Resolved, TokenInfo, TokenReport, TokenSource};
use crate::core::model::profile::Profile;
use crate::core::model::secret::Secret;

impl Engine {
    /// Decodes and verifies a token the way `profile`'s API would.
    pub async fn inspect(
        &self,
        profile: &Profile,
        token: &str,
        source: TokenSource,
        hmac_secret: Option<Secret>,
    ) -> TokenReport {
        self.inspect_at(profile, token, source, hmac_secret, self.now()).await
    }

    /// [`Engine::inspect`] at a given instant (the `--as` matrix judges every stack at one `now`).
    pub(crate) async fn inspect_at(
        &self,
        profile: &Profile,
        token: &str,
        source: TokenSource,
        hmac_secret: Option<Secret>,
        now: i64,
    ) -> TokenReport {
        let info = TokenInfo::describe(source, token, &profile.expect.scope_claim, now);
        let resolved = if info.decoded.is_some() && profile.issuer.jwks_uri.is_none() && profile.issuer.url.is_some() {
            self.resolve(profile).await
        } else {
            Resolved { token_endpoint: None, jwks_uri: profile.issuer.jwks_uri.clone(), discovery: None }
        };
        let verification = match &info.decoded {
            Some(decoded) => Some(
                self.verify(decoded, &self.verify_options(profile, resolved.jwks_uri.clone(), hmac_secret, now)).await,
            ),
            None => None,
        };
        let mut report = TokenReport {
            valid: verification.as_ref().is_some_and(|v| v.valid),
            token: info,
            discovery: resolved.discovery,
            jwks_uri: resolved.jwks_uri,
            verification,
            findings: Vec::new(),
        };
        report.findings = diagnose::token_findings(&Facts {
            discovery: report.discovery.as_ref(),
            token: Some(&report.token),
            verification: report.verification.as_ref(),
            ..Facts::new(profile, now)
        });
        report
    }
}
