//! Which secrets a call needs before it runs: the one decision the CLI and the TUI share.

use crate::core::engine::TokenChoice;
use crate::core::model::credentials::{CredentialField, CredentialSources, Credentials, MissingCredential};
use crate::core::model::profile::Profile;
use crate::core::model::secret::Secret;
use crate::core::model::secret_source::SecretSource;

/// How the caller wants the call authenticated.
#[derive(Debug, Clone)]
pub enum TokenWanted {
    /// No token: the 401 baseline.
    None,
    /// The caller's own token, used as is.
    Given(Secret),
    /// A token for the profile's client: a fresh cached one unless `force`, else a new one.
    Fetch { force: bool },
}

/// How the token will be had, and which credentials that takes.
#[derive(Debug, Clone)]
pub enum TokenPlan {
    None,
    Given(Secret),
    /// A fresh token from the engine's cache: no credential is read (a `cmd:` source may be
    /// slow, or ask a hardware key).
    Cached(Secret),
    /// A token request: `credentials` must be read first (those the auth method needs).
    Request {
        credentials: CredentialSources,
        force: bool,
    },
}

/// Every secret a call needs, and where each comes from.
#[derive(Debug, Clone)]
pub struct SecretsNeeded {
    pub token: TokenPlan,
    /// Verifies HS* tokens the way the API does; read whenever the profile names one, as a
    /// missing one is a mistake in the profile worth reporting even for a baseline call.
    pub hmac_secret: Option<SecretSource>,
    /// The client's credentials a call with a given or cached token still needs: all of
    /// them to introspect an opaque token (RFC 7662) when the profile may know an
    /// introspection endpoint (its own, or its issuer's discovery); else only the client
    /// certificate and its key, which the API request presents. A token request reads them anyway.
    pub introspection: Option<CredentialSources>,
}

/// Why no token can be requested for the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CannotRequest {
    #[error("the profile has no [client] section")]
    NoClient,
    #[error("client.id is empty: fill in the client id (AK) of your app")]
    NoClientId,
    #[error(transparent)]
    Missing(#[from] MissingCredential),
}

/// Decides which secrets a call needs. `cached` is the engine's fresh token for the profile, if
/// any (`Engine::cached_token`); it spares reading the credentials unless `force`.
pub fn secrets_needed(
    profile: &Profile,
    wanted: TokenWanted,
    cached: Option<Secret>,
) -> Result<SecretsNeeded, CannotRequest> {
    let token = match wanted {
        TokenWanted::None => TokenPlan::None,
        TokenWanted::Given(token) => TokenPlan::Given(token),
        TokenWanted::Fetch { force } => {
            let client = profile.client.as_ref().ok_or(CannotRequest::NoClient)?;
            if client.id.trim().is_empty() {
                return Err(CannotRequest::NoClientId);
            }
            match cached {
                Some(token) if !force => TokenPlan::Cached(token),
                _ => TokenPlan::Request { credentials: client.credential_sources()?, force },
            }
        }
    };
    let introspection = match &token {
        TokenPlan::Given(token) | TokenPlan::Cached(token) => introspection_credentials(profile, token),
        TokenPlan::None | TokenPlan::Request { .. } => None,
    };
    Ok(SecretsNeeded { token, hmac_secret: profile.expect.hmac_secret.clone(), introspection })
}

/// The credentials a call with a given or cached `token` reads: all of the client's, to
/// introspect an opaque token; else its certificate and key, which the API call presents
/// (a certificate-bound token needs them however it was obtained).
fn introspection_credentials(profile: &Profile, token: &Secret) -> Option<CredentialSources> {
    let client = profile.client.as_ref()?;
    let sources = client.credential_sources().ok()?;
    let opaque = crate::core::token::jwt::decode(crate::core::token::jwt::clean_pasted(token.expose()))
        .err()
        .is_some_and(|e| e.looks_opaque());
    let may_know_endpoint = profile.issuer.introspection_endpoint.is_some() || profile.issuer.url.is_some();
    if opaque && may_know_endpoint {
        return Some(sources);
    }
    sources.certificate.is_some().then_some(CredentialSources { secret: None, ..sources })
}

impl SecretsNeeded {
    /// Reads the credentials for introspection, if they are needed; `None` when not needed or
    /// when one cannot be read (introspection is then skipped, the call still made).
    pub async fn read_introspection<E, F>(
        &self,
        mut read: impl FnMut(CredentialField, SecretSource) -> F,
    ) -> Option<Credentials>
    where
        F: std::future::Future<Output = Result<Secret, E>>,
    {
        let sources = self.introspection.as_ref()?;
        let mut read_ones = Credentials::default();
        for (field, source) in sources.fields() {
            read_ones.set(field, read(field, source.clone()).await.ok()?);
        }
        Some(read_ones)
    }
}

impl TokenPlan {
    /// The credentials to read first, if a token request will be made.
    pub fn credentials(&self) -> Option<&CredentialSources> {
        match self {
            TokenPlan::Request { credentials, .. } => Some(credentials),
            _ => None,
        }
    }

    /// The engine's token choice; `read` reads one credential (its field says which, and how
    /// much of a `file:` to read), and runs only for a request.
    pub async fn into_choice<E, F>(
        self,
        mut read: impl FnMut(CredentialField, SecretSource) -> F,
    ) -> Result<TokenChoice, E>
    where
        F: std::future::Future<Output = Result<Secret, E>>,
    {
        Ok(match self {
            TokenPlan::None => TokenChoice::None,
            TokenPlan::Given(token) => TokenChoice::Given(token),
            TokenPlan::Cached(token) => TokenChoice::Cached(token),
            TokenPlan::Request { credentials, force } => {
                let mut read_ones = Credentials::default();
                for (field, source) in credentials.fields() {
                    read_ones.set(field, read(field, source.clone()).await?);
                }
                TokenChoice::Fetch { credentials: read_ones, force }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(client: bool, hmac: bool) -> Profile {
        let mut profile = Profile::default();
        if client {
            let text = "[issuer]\nurl = \"https://issuer.example\"\n[client]\nid = \"app\"\nsecret = \"env:SK\"\n";
            profile.client = crate::core::store::profile_store::parse_profile(text, "t.toml").unwrap().client;
        }
        if hmac {
            profile.expect.hmac_secret = Some(SecretSource::Env("HMAC".into()));
        }
        profile
    }

    fn cached() -> Option<Secret> {
        Some(Secret::new("cached.token.value"))
    }

    #[test]
    fn a_fresh_cached_token_needs_no_client_secret_unless_forced() {
        let needs = secrets_needed(&profile(true, false), TokenWanted::Fetch { force: false }, cached()).unwrap();
        assert!(matches!(needs.token, TokenPlan::Cached(_)));
        assert!(needs.token.credentials().is_none());
        let needs = secrets_needed(&profile(true, false), TokenWanted::Fetch { force: true }, cached()).unwrap();
        assert!(matches!(&needs.token, TokenPlan::Request { force: true, credentials }
            if credentials.secret == Some(SecretSource::Env("SK".into()))));
        let needs = secrets_needed(&profile(true, false), TokenWanted::Fetch { force: false }, None).unwrap();
        assert_eq!(needs.token.credentials().and_then(|c| c.secret.as_ref()), Some(&SecretSource::Env("SK".into())));
    }

    #[test]
    fn no_token_or_a_given_one_needs_no_client_secret_but_the_hmac_secret_still() {
        for wanted in [TokenWanted::None, TokenWanted::Given(Secret::new("t"))] {
            let needs = secrets_needed(&profile(true, true), wanted, None).unwrap();
            assert!(needs.token.credentials().is_none());
            assert_eq!(needs.hmac_secret, Some(SecretSource::Env("HMAC".into())));
        }
        // A baseline works without a client; fetching does not.
        assert!(secrets_needed(&profile(false, false), TokenWanted::None, None).is_ok());
        assert_eq!(
            secrets_needed(&profile(false, false), TokenWanted::Fetch { force: false }, None).err(),
            Some(CannotRequest::NoClient)
        );
    }

    #[tokio::test]
    async fn the_plan_reads_the_client_secret_only_for_a_request() {
        let read = |_: CredentialField, _: SecretSource| async { Err::<Secret, &str>("must not be read") };
        let choice = TokenPlan::Cached(Secret::new("c")).into_choice(read).await.unwrap();
        assert!(matches!(choice, TokenChoice::Cached(t) if t.expose() == "c"));
        let credentials = CredentialSources { secret: Some(SecretSource::Prompt), ..CredentialSources::default() };
        let plan = TokenPlan::Request { credentials, force: false };
        let choice = plan.into_choice(|_, _| async { Ok::<_, &str>(Secret::new("sk")) }).await.unwrap();
        assert!(matches!(choice, TokenChoice::Fetch { credentials, force: false }
            if credentials.secret.as_ref().map(Secret::expose) == Some("sk") && credentials.private_key.is_none()));
    }

    #[test]
    fn a_given_or_cached_opaque_token_reads_the_credentials_for_introspection_a_jwt_does_not() {
        let opaque = Secret::new("2YotnFZFEjr1zCsicMWpAA");
        // Only the client is copied into `profile`: without an issuer nothing names an endpoint.
        assert!(
            secrets_needed(&profile(true, false), TokenWanted::Given(opaque.clone()), None)
                .unwrap()
                .introspection
                .is_none()
        );
        let profile = |client: bool, hmac: bool| {
            let mut profile = profile(client, hmac);
            profile.issuer.url = Some("https://issuer.example".to_owned());
            profile
        };
        let needs = secrets_needed(&profile(true, false), TokenWanted::Given(opaque.clone()), None).unwrap();
        assert_eq!(needs.introspection.and_then(|c| c.secret), Some(SecretSource::Env("SK".into())));
        let needs =
            secrets_needed(&profile(true, false), TokenWanted::Fetch { force: false }, Some(opaque.clone())).unwrap();
        assert!(matches!(needs.token, TokenPlan::Cached(_)) && needs.introspection.is_some());
        // A JWT is verified locally; a fetch reads the credentials anyway; no client, nothing to read.
        let jwt = Secret::new("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln");
        assert!(secrets_needed(&profile(true, false), TokenWanted::Given(jwt), None).unwrap().introspection.is_none());
        let fetch = secrets_needed(&profile(true, false), TokenWanted::Fetch { force: true }, None).unwrap();
        assert!(fetch.introspection.is_none());
        assert!(
            secrets_needed(&profile(false, false), TokenWanted::Given(opaque), None).unwrap().introspection.is_none()
        );
    }
}
