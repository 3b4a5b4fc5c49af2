//! Client assertions (RFC 7523 §2.2, OIDC Core §9): the short-lived JWT a client signs —
//! with its secret (`client_secret_jwt`) or its private key (`private_key_jwt`) — instead of
//! sending a secret, built as a value so it can be shown decoded and never by its signature.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;
use serde_json::{Value, json};

use crate::core::model::secret::Secret;
use crate::core::oauth::client_key::{ClientKey, ClientKeyError};

/// `client_assertion_type` for a JWT (RFC 7523 §2.2).
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How long an assertion is valid: long enough for the round trip and modest clock skew,
/// short enough that a captured one is soon useless (servers often cap it at a few minutes).
pub const LIFETIME_SECS: i64 = 60;

/// When and under which `jti` the assertion is made, and the profile's `assertion_alg` and
/// `key_id`. Fixed before the request is built, so the request shown and the request sent
/// carry the same claims, and a fixed clock makes the same assertion on every run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssertionSettings {
    pub issued_at: i64,
    pub jti: String,
    pub alg: Option<String>,
    pub key_id: Option<String>,
}

impl AssertionSettings {
    /// Settings stamped `now` (the engine's clock) with a fresh random `jti`.
    pub fn at(now: i64, alg: Option<String>, key_id: Option<String>) -> Self {
        AssertionSettings { issued_at: now, jti: super::jti::random_jti(), alg, key_id }
    }

    /// Settings stamped by the system clock, for callers without an engine.
    pub fn now() -> Self {
        Self::at(crate::core::clock::now_unix(), None, None)
    }
}

/// Why no assertion can be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssertionError {
    #[error(transparent)]
    Key(#[from] ClientKeyError),
    #[error(
        "client.assertion_alg = \"{0}\" is not an algorithm tokdbg signs with (HS256/384/512, RS256/384/512, PS256/384/512, ES256, ES384, EdDSA)"
    )]
    UnknownAlg(String),
    #[error("client.assertion_alg = \"{alg}\" needs {needs}; client.private_key is {has} (sign with {natural})")]
    KeyDoesNotFit { alg: String, needs: &'static str, has: String, natural: String },
    #[error(
        "client.assertion_alg = \"{0}\" signs with a shared secret (client_secret_jwt); private_key_jwt signs with client.private_key: RS256, PS256, ES256, ES384 or EdDSA"
    )]
    HmacWithKey(String),
    #[error(
        "client.assertion_alg = \"{0}\" signs with a private key (private_key_jwt); client_secret_jwt signs with client.secret: HS256, HS384 or HS512"
    )]
    KeyAlgWithSecret(String),
    #[error("the client assertion could not be signed: {0}")]
    Sign(String),
}

/// What signs: the client secret (HMAC) or the client's private key.
#[derive(Clone)]
enum Signer {
    Secret(Secret),
    Key(Box<ClientKey>),
}

/// An assertion ready to be made for an audience. `Debug` shows no key and no secret.
#[derive(Clone)]
pub struct ClientAssertion {
    alg: Algorithm,
    kid: Option<String>,
    settings: AssertionSettings,
    signer: Signer,
}

impl std::fmt::Debug for ClientAssertion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientAssertion")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// The assertion decoded, as the token request view shows it (never its signature).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssertionView {
    pub header: Value,
    pub claims: Value,
    /// For `private_key_jwt`: the RFC 7638 SHA-256 thumbprint of the signing key's public
    /// half, to compare with the key the issuer has registered for the client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_thumbprint: Option<String>,
}

fn parse_alg(text: &str) -> Result<Algorithm, AssertionError> {
    text.trim().parse::<Algorithm>().map_err(|_| AssertionError::UnknownAlg(text.to_owned()))
}

fn is_hmac(alg: Algorithm) -> bool {
    matches!(alg, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512)
}

impl ClientAssertion {
    /// `client_secret_jwt`: HMAC with the client secret, HS256 unless `assertion_alg` says.
    pub fn with_secret(secret: Secret, settings: AssertionSettings) -> Result<Self, AssertionError> {
        let alg = match settings.alg.as_deref() {
            Some(text) => parse_alg(text)?,
            None => Algorithm::HS256,
        };
        if !is_hmac(alg) {
            return Err(AssertionError::KeyAlgWithSecret(format!("{alg:?}")));
        }
        let kid = settings.key_id.clone();
        Ok(ClientAssertion { alg, kid, settings, signer: Signer::Secret(secret) })
    }

    /// `private_key_jwt`: signed with the key, by the algorithm `assertion_alg` names (it
    /// must fit the key), else the JWK's own `alg`, else the key's natural one.
    pub fn with_key(key: ClientKey, settings: AssertionSettings) -> Result<Self, AssertionError> {
        let wanted = settings.alg.as_deref().or(key.jwk_alg());
        let alg = match wanted {
            Some(text) => parse_alg(text)?,
            None => key.kind().default_algorithm(),
        };
        if is_hmac(alg) {
            return Err(AssertionError::HmacWithKey(format!("{alg:?}")));
        }
        if !key.kind().fits(alg) {
            return Err(AssertionError::KeyDoesNotFit {
                alg: format!("{alg:?}"),
                needs: needs(alg),
                has: key.kind().describe(),
                natural: format!("{:?}", key.kind().default_algorithm()),
            });
        }
        let kid = settings.key_id.clone().or_else(|| key.jwk_kid().map(str::to_owned));
        Ok(ClientAssertion { alg, kid, settings, signer: Signer::Key(Box::new(key)) })
    }

    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The private key, for `private_key_jwt` (its public half is diagnosis evidence).
    pub fn key(&self) -> Option<&ClientKey> {
        match &self.signer {
            Signer::Key(key) => Some(key),
            Signer::Secret(_) => None,
        }
    }

    fn header(&self) -> Header {
        let mut header = Header::new(self.alg);
        header.kid = self.kid.clone();
        header
    }

    /// `iss` = `sub` = the client id; `aud` = the endpoint it is sent to (RFC 7523 §3: the
    /// token endpoint URL identifies the server; one value, not a list, as some servers
    /// refuse lists); `jti`, `iat`, and `exp` a minute later.
    fn claims(&self, client_id: &str, audience: &str) -> Value {
        let iat = self.settings.issued_at;
        json!({
            "iss": client_id,
            "sub": client_id,
            "aud": audience,
            "jti": self.settings.jti,
            "iat": iat,
            "exp": iat.saturating_add(LIFETIME_SECS),
        })
    }

    /// Header and claims, as shown.
    pub fn view(&self, client_id: &str, audience: &str) -> AssertionView {
        let header = serde_json::to_value(self.header()).unwrap_or(Value::Null);
        let header = match header {
            // jsonwebtoken serializes every optional member; show only those set.
            Value::Object(map) => Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).collect()),
            other => other,
        };
        let key_thumbprint = self.key().map(ClientKey::thumbprint);
        AssertionView { header, claims: self.claims(client_id, audience), key_thumbprint }
    }

    /// The signed assertion, as sent.
    pub fn sign(&self, client_id: &str, audience: &str) -> Result<String, AssertionError> {
        let secret_key;
        let key = match &self.signer {
            Signer::Secret(secret) => {
                secret_key = EncodingKey::from_secret(secret.expose().as_bytes());
                &secret_key
            }
            Signer::Key(key) => key.encoding_key(),
        };
        jsonwebtoken::encode(&self.header(), &self.claims(client_id, audience), key)
            .map_err(|error| AssertionError::Sign(error.to_string()))
    }
}

/// The kind of key an algorithm needs, as messages say it.
fn needs(alg: Algorithm) -> &'static str {
    match alg {
        Algorithm::ES256 => "a P-256 key",
        Algorithm::ES384 => "a P-384 key",
        Algorithm::EdDSA => "an Ed25519 key",
        _ => "an RSA key",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    const EC384: &str =
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/client_keys/ec-p384-pkcs8.pem"));
    const RSA: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/client_keys/rsa-pkcs8.pem"));

    fn settings(alg: Option<&str>) -> AssertionSettings {
        AssertionSettings { issued_at: 1_700_000_000, jti: "j1".into(), alg: alg.map(str::to_owned), key_id: None }
    }

    #[test]
    fn claims_name_the_client_and_the_endpoint_for_one_minute() {
        let key = ClientKey::parse(RSA).unwrap();
        let assertion = ClientAssertion::with_key(key, settings(None)).unwrap();
        let view = assertion.view("app", "https://issuer/token");
        assert_eq!(view.header, json!({"alg": "RS256", "typ": "JWT"}));
        assert_eq!(
            view.claims,
            json!({"iss": "app", "sub": "app", "aud": "https://issuer/token", "jti": "j1", "iat": 1_700_000_000i64, "exp": 1_700_000_060i64})
        );
        let jwt = assertion.sign("app", "https://issuer/token").unwrap();
        let payload = jwt.split('.').nth(1).unwrap();
        assert_eq!(serde_json::from_slice::<Value>(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap(), view.claims);
    }

    #[test]
    fn the_algorithm_must_fit_the_key_or_the_secret() {
        let p384 = || ClientKey::parse(EC384).unwrap();
        assert_eq!(ClientAssertion::with_key(p384(), settings(None)).unwrap().algorithm(), Algorithm::ES384);
        let error = ClientAssertion::with_key(p384(), settings(Some("ES256"))).unwrap_err().to_string();
        assert_eq!(
            error,
            "client.assertion_alg = \"ES256\" needs a P-256 key; client.private_key is a P-384 key (sign with ES384)"
        );
        assert!(matches!(
            ClientAssertion::with_key(p384(), settings(Some("HS256"))),
            Err(AssertionError::HmacWithKey(_))
        ));
        assert!(matches!(ClientAssertion::with_key(p384(), settings(Some("XS1"))), Err(AssertionError::UnknownAlg(_))));
        let secret = || Secret::new("a-shared-secret-of-32-bytes-long!");
        assert_eq!(ClientAssertion::with_secret(secret(), settings(None)).unwrap().algorithm(), Algorithm::HS256);
        assert!(matches!(
            ClientAssertion::with_secret(secret(), settings(Some("RS256"))),
            Err(AssertionError::KeyAlgWithSecret(_))
        ));
    }

    #[test]
    fn debug_shows_neither_key_nor_secret() {
        let assertion = ClientAssertion::with_secret(Secret::new("hunter2-hunter2"), settings(None)).unwrap();
        assert!(!format!("{assertion:?}").contains("hunter2"));
    }
}
