//! Client authentication at the token endpoint (RFC 6749 §2.3): one enum, applied to the
//! token request *value* — never to a live HTTP request — so what is sent and what is shown
//! (secret redacted) come from the same code.

use base64::Engine as _;

use crate::core::model::credentials::{CredentialField, Credentials};
use crate::core::model::profile::AuthMethod;
use crate::core::model::secret::Secret;
use crate::core::oauth::client_assertion::{
    ASSERTION_TYPE, AssertionError, AssertionSettings, AssertionView, ClientAssertion,
};
use crate::core::oauth::client_key::ClientKey;
use crate::core::oauth::request::RequestView;

/// How this client proves who it is, with what it needs to.
#[derive(Debug, Clone)]
pub enum ClientAuth {
    /// `Authorization: Basic base64(urlencode(id):urlencode(secret))`.
    SecretBasic { client_id: String, secret: Secret },
    /// `client_id` and `client_secret` in the form body.
    SecretPost { client_id: String, secret: Secret },
    /// A public client: only `client_id` in the form body (RFC 6749 §2.3, OIDC `none`).
    Public { client_id: String },
    /// RFC 8705 §2.1 `tls_client_auth` / §2.2 `self_signed_tls_client_auth`: `client_id` in
    /// the form; the proof is the certificate the connection presents (never in the request).
    Tls { client_id: String, self_signed: bool },
    /// `client_secret_jwt`: a JWT assertion signed with the client secret (HMAC).
    SecretJwt { client_id: String, secret: Secret, assertion: ClientAssertion },
    /// `private_key_jwt`: a JWT assertion signed with the client's private key.
    PrivateKeyJwt { client_id: String, assertion: ClientAssertion },
}

/// What stands in the shown form for the signed assertion.
pub const ASSERTION_REDACTED: &str = "[redacted: signed JWT; its header and claims are shown decoded as the assertion]";

/// Why the client's credentials cannot authenticate it (nothing was sent).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientAuthError {
    #[error("client.auth_method = \"{}\" needs {}, which was not read", .method.as_str(), .field.label())]
    Missing { method: AuthMethod, field: CredentialField },
    /// The key, the algorithm or the signing of a client assertion.
    #[error(transparent)]
    Assertion(#[from] AssertionError),
}

impl ClientAuth {
    /// The authentication a profile's `auth_method` asks for, with the credentials read for it.
    /// An assertion method stamps its assertion by the system clock; see [`ClientAuth::with_settings`].
    pub fn new(method: AuthMethod, client_id: &str, credentials: &Credentials) -> Result<Self, ClientAuthError> {
        Self::with_settings(method, client_id, credentials, None)
    }

    /// As [`ClientAuth::new`], an assertion made by `settings` (time, `jti`, alg, kid); `None`
    /// stamps it now. Only the assertion methods make one (a `jti` costs randomness).
    pub fn with_settings(
        method: AuthMethod,
        client_id: &str,
        credentials: &Credentials,
        settings: Option<AssertionSettings>,
    ) -> Result<Self, ClientAuthError> {
        let settings = move || settings.unwrap_or_else(AssertionSettings::now);
        let client_id = client_id.to_owned();
        let secret =
            || credentials.secret.clone().ok_or(ClientAuthError::Missing { method, field: CredentialField::Secret });
        Ok(match method {
            AuthMethod::ClientSecretBasic => ClientAuth::SecretBasic { client_id, secret: secret()? },
            AuthMethod::ClientSecretPost => ClientAuth::SecretPost { client_id, secret: secret()? },
            AuthMethod::None => ClientAuth::Public { client_id },
            AuthMethod::TlsClientAuth | AuthMethod::SelfSignedTlsClientAuth => {
                if credentials.certificate.is_none() {
                    return Err(ClientAuthError::Missing { method, field: CredentialField::Certificate });
                }
                ClientAuth::Tls { client_id, self_signed: method == AuthMethod::SelfSignedTlsClientAuth }
            }
            AuthMethod::ClientSecretJwt => {
                let secret = secret()?;
                let assertion = ClientAssertion::with_secret(secret.clone(), settings())?;
                ClientAuth::SecretJwt { client_id, secret, assertion }
            }
            AuthMethod::PrivateKeyJwt => {
                let text = credentials
                    .private_key
                    .as_ref()
                    .ok_or(ClientAuthError::Missing { method, field: CredentialField::PrivateKey })?;
                let key = ClientKey::parse(text.expose()).map_err(AssertionError::from)?;
                ClientAuth::PrivateKeyJwt { client_id, assertion: ClientAssertion::with_key(key, settings())? }
            }
        })
    }

    pub fn method(&self) -> AuthMethod {
        match self {
            ClientAuth::SecretBasic { .. } => AuthMethod::ClientSecretBasic,
            ClientAuth::SecretPost { .. } => AuthMethod::ClientSecretPost,
            ClientAuth::Public { .. } => AuthMethod::None,
            ClientAuth::Tls { self_signed: false, .. } => AuthMethod::TlsClientAuth,
            ClientAuth::Tls { self_signed: true, .. } => AuthMethod::SelfSignedTlsClientAuth,
            ClientAuth::SecretJwt { .. } => AuthMethod::ClientSecretJwt,
            ClientAuth::PrivateKeyJwt { .. } => AuthMethod::PrivateKeyJwt,
        }
    }

    pub fn client_id(&self) -> &str {
        match self {
            ClientAuth::SecretBasic { client_id, .. }
            | ClientAuth::SecretPost { client_id, .. }
            | ClientAuth::Public { client_id }
            | ClientAuth::Tls { client_id, .. }
            | ClientAuth::SecretJwt { client_id, .. }
            | ClientAuth::PrivateKeyJwt { client_id, .. } => client_id,
        }
    }

    /// The client secret, where the method has one (to scrub from answers).
    pub fn secret(&self) -> Option<&Secret> {
        match self {
            ClientAuth::SecretBasic { secret, .. }
            | ClientAuth::SecretPost { secret, .. }
            | ClientAuth::SecretJwt { secret, .. } => Some(secret),
            ClientAuth::Public { .. } | ClientAuth::Tls { .. } | ClientAuth::PrivateKeyJwt { .. } => None,
        }
    }

    /// The client assertion, for the assertion methods.
    pub fn assertion(&self) -> Option<&ClientAssertion> {
        match self {
            ClientAuth::SecretJwt { assertion, .. } | ClientAuth::PrivateKeyJwt { assertion, .. } => Some(assertion),
            _ => None,
        }
    }

    /// The assertion sent to `endpoint`, decoded (header and claims, no signature).
    pub fn assertion_view(&self, endpoint: &str) -> Option<AssertionView> {
        self.assertion().map(|assertion| assertion.view(self.client_id(), endpoint))
    }

    /// As [`ClientAuth::apply`], and says when an assertion could not be signed (then nothing
    /// is added: a request without credentials must not be sent).
    pub fn try_apply(&self, request: &mut RequestView, reveal: bool) -> Result<(), ClientAuthError> {
        self.try_apply_to(request, reveal, None)
    }

    /// [`ClientAuth::try_apply`] with the assertion's audience given (`None`: the endpoint the
    /// request goes to, RFC 7523 §3) — the token endpoint, for a request to another endpoint.
    pub fn try_apply_to(
        &self,
        request: &mut RequestView,
        reveal: bool,
        audience: Option<&str>,
    ) -> Result<(), ClientAuthError> {
        let Some(assertion) = self.assertion() else {
            self.apply(request, reveal);
            return Ok(());
        };
        let audience = audience.unwrap_or(&request.url).to_owned();
        let shown = if reveal { assertion.sign(self.client_id(), &audience)? } else { ASSERTION_REDACTED.to_owned() };
        let at = 1.min(request.form.len());
        let fields = [
            ("client_id", self.client_id().to_owned()),
            ("client_assertion_type", ASSERTION_TYPE.to_owned()),
            ("client_assertion", shown),
        ];
        for (offset, (name, value)) in fields.into_iter().enumerate() {
            request.form.insert(at + offset, (name.to_owned(), value));
        }
        Ok(())
    }

    /// Adds the credentials to `request`: as sent (`reveal`), or with the secret redacted.
    pub fn apply(&self, request: &mut RequestView, reveal: bool) {
        // After grant_type, where servers and people expect them.
        let at = 1.min(request.form.len());
        match self {
            ClientAuth::SecretBasic { client_id, secret } => {
                let value = if reveal {
                    basic_credentials(client_id, secret)
                } else {
                    format!("Basic [redacted: base64 of urlencoded \"{client_id}:<secret>\"]")
                };
                request.headers.push(("Authorization".to_owned(), value));
            }
            ClientAuth::SecretPost { client_id, secret } => {
                let shown = if reveal { secret.expose().to_owned() } else { "[redacted]".to_owned() };
                request.form.insert(at, ("client_secret".to_owned(), shown));
                request.form.insert(at, ("client_id".to_owned(), client_id.clone()));
            }
            ClientAuth::Public { client_id } | ClientAuth::Tls { client_id, .. } => {
                request.form.insert(at, ("client_id".to_owned(), client_id.clone()));
            }
            // Signing can fail only by a defect (the key and algorithm were checked when
            // made); then nothing is added and the server says invalid_client.
            ClientAuth::SecretJwt { .. } | ClientAuth::PrivateKeyJwt { .. } => {
                let _ = self.try_apply(request, reveal);
            }
        }
    }
}

/// RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64'd.
fn basic_credentials(client_id: &str, secret: &Secret) -> String {
    let encode = |s: &str| -> String { url::form_urlencoded::byte_serialize(s.as_bytes()).collect() };
    let joined = format!("{}:{}", encode(client_id), encode(secret.expose()));
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(joined))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank() -> RequestView {
        RequestView {
            method: "POST".into(),
            url: "https://issuer/token".into(),
            headers: vec![],
            form: vec![("grant_type".into(), "client_credentials".into()), ("scope".into(), "a".into())],
        }
    }

    #[test]
    fn basic_urlencodes_before_base64_and_redacts_when_shown() {
        let auth =
            ClientAuth::new(AuthMethod::ClientSecretBasic, "my app", &Credentials::secret(Secret::new("s&cret")))
                .unwrap();
        let mut sent = blank();
        auth.apply(&mut sent, true);
        let expected = base64::engine::general_purpose::STANDARD.encode("my+app:s%26cret");
        assert_eq!(sent.headers, vec![("Authorization".to_owned(), format!("Basic {expected}"))]);
        let mut shown = blank();
        auth.apply(&mut shown, false);
        assert!(!format!("{shown:?}").contains(&expected) && !format!("{shown:?}").contains("s&cret"));
    }

    #[test]
    fn post_puts_id_and_secret_after_the_grant_type() {
        let auth =
            ClientAuth::new(AuthMethod::ClientSecretPost, "app", &Credentials::secret(Secret::new("sk"))).unwrap();
        let mut sent = blank();
        auth.apply(&mut sent, true);
        let names: Vec<&str> = sent.form.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["grant_type", "client_id", "client_secret", "scope"]);
        let mut shown = blank();
        auth.apply(&mut shown, false);
        assert_eq!(shown.form[2].1, "[redacted]");
    }

    #[test]
    fn a_public_client_sends_only_its_id() {
        let auth = ClientAuth::new(AuthMethod::None, "app", &Credentials::default()).unwrap();
        let mut sent = blank();
        auth.apply(&mut sent, true);
        assert_eq!(sent.form[1], ("client_id".to_owned(), "app".to_owned()));
        assert!(sent.headers.is_empty() && auth.secret().is_none());
    }

    #[test]
    fn mtls_methods_send_the_client_id_and_prove_with_the_connection() {
        let credentials = Credentials {
            certificate: Some(Secret::new("-----BEGIN CERTIFICATE-----".to_owned())),
            ..Credentials::default()
        };
        for method in [AuthMethod::TlsClientAuth, AuthMethod::SelfSignedTlsClientAuth] {
            let auth = ClientAuth::new(method, "app", &credentials).unwrap();
            assert_eq!(auth.method(), method);
            let mut sent = blank();
            auth.apply(&mut sent, true);
            assert_eq!(sent.form[1], ("client_id".to_owned(), "app".to_owned()));
            assert!(sent.headers.is_empty() && auth.secret().is_none());
            let missing = ClientAuth::new(method, "app", &Credentials::default()).unwrap_err();
            assert!(missing.to_string().contains("client.certificate"), "{missing}");
        }
    }

    #[test]
    fn a_secret_method_without_its_secret_says_which_field() {
        let error = ClientAuth::new(AuthMethod::ClientSecretBasic, "app", &Credentials::default()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "client.auth_method = \"client_secret_basic\" needs client.secret, which was not read"
        );
    }
}
