//! The profile data model: one TOML file per app/client pair (DESIGN §4).
//!
//! Field names are a contract with scripts and other tools that write these files.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

// Secret sources and their resolution live in `secret_source`; re-exported where they always were.
pub use crate::core::model::secret_source::{NoPrompt, SecretError, SecretPrompter, SecretSource};
pub use crate::core::model::tls_config::{TlsConfig, TlsOrigin};
// `[expect] stack`: how a stack's preset fills what the file leaves out.
pub use crate::core::model::expect_stack::{ExpectationsToml, WrittenFields};
pub use crate::core::verifier::Stack;

/// One app/client pair, its issuer, what its API expects and the endpoints to call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
    pub issuer: IssuerConfig,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<ClientConfig>,
    #[serde(default)]
    pub expect: Expectations,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<Endpoint>,
    /// `[tls]`: extra trusted roots, `insecure` (dev only).
    #[serde(default, skip_serializing_if = "TlsConfig::is_default")]
    pub tls: TlsConfig,
    /// Present: DPoP proofs (RFC 9449) on the token request and the API call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpop: Option<DpopConfig>,
}

/// The `[dpop]` section: how proofs are signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DpopConfig {
    /// The proofs' `alg`: ES256 (default), ES384, EdDSA; RS256 or PS256 with a `private_key`.
    #[serde(default = "default_dpop_alg")]
    pub alg: String,
    /// The proof key (a PEM private key or a private JWK; `file:` reads the whole file);
    /// absent, a fresh key is generated for each run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<SecretSource>,
}

fn default_dpop_alg() -> String {
    "ES256".to_owned()
}

impl Default for DpopConfig {
    fn default() -> Self {
        DpopConfig { alg: default_dpop_alg(), private_key: None }
    }
}

impl DpopConfig {
    /// The `alg`s tokdbg signs proofs with; RS256 and PS256 only with a given key (generating
    /// an RSA key per run would cost more than the proof is worth).
    pub const ALGS: &'static [&'static str] = &["ES256", "ES384", "EdDSA", "RS256", "PS256"];

    /// What makes the section unusable before any request: checked at load, so a typo in
    /// `alg` is a profile error rather than a failed call.
    pub fn problem(&self) -> Option<String> {
        let Some(alg) = Self::ALGS.iter().find(|known| known.eq_ignore_ascii_case(self.alg.trim())) else {
            return Some(format!(
                "dpop.alg = \"{}\": not one tokdbg signs proofs with ({})",
                self.alg,
                Self::ALGS.join(", ")
            ));
        };
        if matches!(*alg, "RS256" | "PS256") && self.private_key.is_none() {
            return Some(format!(
                "dpop.alg = \"{alg}\" needs dpop.private_key (tokdbg generates only ES256, ES384 and EdDSA keys)"
            ));
        }
        None
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct IssuerConfig {
    /// Base of discovery: `{url}/.well-known/openid-configuration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// RFC 7662 introspection endpoint; else the discovery document's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introspection_endpoint: Option<String>,
    /// RFC 7009 revocation endpoint; else the discovery document's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_endpoint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    /// The client id (Authing calls it the AK).
    pub id: String,
    /// Where the client secret (Authing's SK) comes from: needed by the `client_secret_*`
    /// methods; a client that authenticates with a key or a certificate has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretSource>,
    #[serde(default)]
    pub auth_method: AuthMethod,
    /// The client's private key: it signs `private_key_jwt` assertions, and is the key of
    /// `certificate`. PEM (PKCS#8, PKCS#1, SEC1) or a private JWK; `file:` reads the whole file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<SecretSource>,
    /// The mTLS client certificate (a PEM chain; its key is `private_key`), presented to the
    /// token endpoint and to the API. `file:` reads the whole file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<SecretSource>,
    /// The client assertion's `alg` (default: from the key; HS256 for `client_secret_jwt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assertion_alg: Option<String>,
    /// The `kid` in the client assertion's header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// RFC 8707 resource indicator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Extra form parameters sent with the token request.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
}

/// How the client authenticates at the token endpoint: RFC 6749 §2.3.1, RFC 7523 §2.2 and
/// OIDC Core §9 (client assertions), RFC 8705 §2 (mTLS), or not at all (a public client).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    ClientSecretBasic,
    #[default]
    ClientSecretPost,
    ClientSecretJwt,
    PrivateKeyJwt,
    TlsClientAuth,
    SelfSignedTlsClientAuth,
    None,
}

impl AuthMethod {
    /// Every method, in the order the form offers them.
    pub const ALL: [AuthMethod; 7] = [
        AuthMethod::ClientSecretPost,
        AuthMethod::ClientSecretBasic,
        AuthMethod::ClientSecretJwt,
        AuthMethod::PrivateKeyJwt,
        AuthMethod::TlsClientAuth,
        AuthMethod::SelfSignedTlsClientAuth,
        AuthMethod::None,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::ClientSecretBasic => "client_secret_basic",
            AuthMethod::ClientSecretPost => "client_secret_post",
            AuthMethod::ClientSecretJwt => "client_secret_jwt",
            AuthMethod::PrivateKeyJwt => "private_key_jwt",
            AuthMethod::TlsClientAuth => "tls_client_auth",
            AuthMethod::SelfSignedTlsClientAuth => "self_signed_tls_client_auth",
            AuthMethod::None => "none",
        }
    }

    /// The other way to send the same client secret (basic ↔ post), for a method the
    /// issuer may expect instead; the other methods have no such twin.
    pub fn other(self) -> Option<AuthMethod> {
        match self {
            AuthMethod::ClientSecretBasic => Some(AuthMethod::ClientSecretPost),
            AuthMethod::ClientSecretPost => Some(AuthMethod::ClientSecretBasic),
            _ => None,
        }
    }

    /// Whether the method sends the client secret (itself or as an HMAC key).
    pub fn uses_secret(self) -> bool {
        matches!(self, AuthMethod::ClientSecretBasic | AuthMethod::ClientSecretPost | AuthMethod::ClientSecretJwt)
    }

    /// Whether the method needs `client.private_key`.
    pub fn uses_private_key(self) -> bool {
        matches!(self, AuthMethod::PrivateKeyJwt | AuthMethod::TlsClientAuth | AuthMethod::SelfSignedTlsClientAuth)
    }

    /// Whether the method needs `client.certificate`.
    pub fn uses_certificate(self) -> bool {
        matches!(self, AuthMethod::TlsClientAuth | AuthMethod::SelfSignedTlsClientAuth)
    }

    /// Whether the client authenticates with a signed JWT assertion (RFC 7523).
    pub fn signs_assertion(self) -> bool {
        matches!(self, AuthMethod::ClientSecretJwt | AuthMethod::PrivateKeyJwt)
    }
}

/// The API's verifier configuration, mirrored so tokdbg checks what the API checks.
///
/// Read through [`ExpectationsToml`] (`model::expect_stack`): what `[expect]` does not write
/// comes from its `stack`'s preset, else from tokdbg's defaults (RS256, no leeway, `scope`, all).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, from = "ExpectationsToml")]
pub struct Expectations {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// One audience or several (the API accepts any of them).
    #[serde(default, deserialize_with = "one_or_many", skip_serializing_if = "Vec::is_empty")]
    pub audience: Vec<String>,
    #[serde(default = "default_algorithms")]
    pub algorithms: Vec<String>,
    #[serde(default)]
    pub leeway_secs: u64,
    #[serde(default = "default_scope_claim")]
    pub scope_claim: String,
    #[serde(default)]
    pub scope_match: ScopeMatch,
    /// The shared secret for HS* tokens, as a secret source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hmac_secret: Option<SecretSource>,
    /// The API's stack (`express-jwt`, `spring`, …): its verifier's defaults fill the fields
    /// `[expect]` leaves out, and its rules judge exp, iat, nbf, aud and typ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<Stack>,
    /// Which of the defaultable fields the file wrote (they win over a stack's defaults).
    #[serde(skip)]
    pub written: WrittenFields,
}

impl Default for Expectations {
    fn default() -> Self {
        Self {
            issuer: None,
            audience: Vec::new(),
            algorithms: default_algorithms(),
            leeway_secs: 0,
            scope_claim: default_scope_claim(),
            scope_match: ScopeMatch::All,
            hmac_secret: None,
            stack: None,
            written: WrittenFields::default(),
        }
    }
}

pub(crate) fn default_algorithms() -> Vec<String> {
    vec!["RS256".to_owned()]
}

pub(crate) fn default_scope_claim() -> String {
    "scope".to_owned()
}

/// Whether a request needs every required scope or any one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ScopeMatch {
    #[default]
    All,
    Any,
}

impl ScopeMatch {
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeMatch::All => "all",
            ScopeMatch::Any => "any",
        }
    }
}

/// A protected endpoint of the API and the scopes it demands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    pub name: String,
    #[serde(default = "default_method")]
    pub method: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_scopes: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

fn default_method() -> String {
    "GET".to_owned()
}

pub(crate) fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged, expecting = "invalid type: expected a string or a list of strings")]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}

impl Profile {
    /// The profile's display name: its `name`, else the given file stem.
    pub fn display_name<'a>(&'a self, stem: &'a str) -> &'a str {
        self.name.as_deref().unwrap_or(stem)
    }

    /// `host[:port]` of the issuer (or of the token endpoint), for lists.
    pub fn issuer_host(&self) -> Option<String> {
        let url = url::Url::parse(self.issuer.url.as_deref().or(self.issuer.token_endpoint.as_deref())?).ok()?;
        let host = url.host_str()?;
        Some(url.port().map(|port| format!("{host}:{port}")).unwrap_or_else(|| host.to_owned()))
    }

    pub fn endpoint(&self, name: &str) -> Option<&Endpoint> {
        self.endpoints
            .iter()
            .find(|e| e.name == name)
            .or_else(|| self.endpoints.iter().find(|e| e.name.eq_ignore_ascii_case(name)))
    }

    /// Warnings about a profile that loads but is risky or incomplete.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if let Some(client) = &self.client {
            // A draft (`init`, `import curl`) leaves it for the user: it loads, and says so.
            if client.id.trim().is_empty() {
                warnings.push("client.id is empty: fill in the client id (AK) of your app".to_owned());
            }
            if client.secret.as_ref().is_some_and(SecretSource::is_literal) {
                warnings
                    .push("client.secret is a literal: prefer env:VAR, file:PATH, cmd:COMMAND or prompt".to_owned());
            }
            if client.private_key.as_ref().is_some_and(SecretSource::is_literal) {
                warnings.push("client.private_key is a literal: prefer file:PATH, env:VAR or cmd:COMMAND".to_owned());
            }
        }
        if matches!(self.expect.hmac_secret, Some(SecretSource::Literal(_))) {
            warnings.push("expect.hmac_secret is a literal: prefer env:VAR, file:PATH or cmd:COMMAND".to_owned());
        }
        if self.issuer.url.is_none() && self.issuer.token_endpoint.is_none() && self.client.is_some() {
            warnings.push("no issuer.url or issuer.token_endpoint: tokens cannot be fetched".to_owned());
        }
        if self.issuer.url.is_none() && self.issuer.jwks_uri.is_none() {
            warnings.push("no issuer.url or issuer.jwks_uri: signatures cannot be verified".to_owned());
        }
        if let Some(stack) = self.expect.stack
            && crate::core::verifier::preset(stack).algorithms.is_none()
            && !self.expect.written.algorithms
        {
            warnings.push(format!(
                "expect.stack = \"{stack}\" has no default algorithms (the library demands the app's list): write expect.algorithms; {} assumed",
                self.expect.algorithms.join(", ")
            ));
        }
        if self.expect.algorithms.iter().any(|a| a.eq_ignore_ascii_case("none")) {
            warnings.push("expect.algorithms lists \"none\": tokdbg never accepts unsigned tokens".to_owned());
        }
        warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn design_example_parses() {
        let text = r#"
name = "orders (Authing)"
[issuer]
url = "https://example.authing.cn/oidc"
[client]
id = "6050751aed0f29bf7723c7a8"
secret = "env:ORDERS_SK"
auth_method = "client_secret_post"
scopes = ["order:read"]
[expect]
issuer = "https://example.authing.cn/oidc"
audience = "6050751aed0f29bf7723c7a8"
algorithms = ["RS256"]
leeway_secs = 0
scope_claim = "scope"
scope_match = "all"
[[endpoints]]
name = "read orders"
method = "GET"
url = "http://localhost:5000/api/protected"
required_scopes = ["order:read"]
"#;
        let profile: Profile = toml::from_str(text).unwrap();
        let client = profile.client.as_ref().unwrap();
        assert_eq!(client.secret, Some(SecretSource::Env("ORDERS_SK".into())));
        assert_eq!(profile.expect.audience, vec!["6050751aed0f29bf7723c7a8".to_owned()]);
        assert_eq!(profile.endpoints[0].required_scopes, vec!["order:read".to_owned()]);
    }

    #[test]
    fn literal_secret_never_debug_prints() {
        let source = SecretSource::parse("s3cr3t-value");
        assert!(!format!("{source:?}").contains("s3cr3t"));
        assert_eq!(source.to_profile_text(), "s3cr3t-value");
    }

    #[test]
    fn secret_sources_resolve() {
        // SAFETY-free: a unique variable name, only this test touches it.
        let var = "TOKDBG_TEST_SECRET_SOURCE_RESOLVE";
        assert_eq!(SecretSource::Env(var.into()).resolve("sk", &NoPrompt), Err(SecretError::EnvMissing(var.into())));
        let got = SecretSource::Command("printf 'abc\\n'".into()).resolve("sk", &NoPrompt).unwrap();
        assert_eq!(got.expose(), "abc");
        assert!(matches!(
            SecretSource::Command("exit 3".into()).resolve("sk", &NoPrompt),
            Err(SecretError::Command { .. })
        ));
        assert_eq!(SecretSource::Prompt.resolve("sk", &NoPrompt), Err(SecretError::PromptDeclined("sk".into())));
    }
}
