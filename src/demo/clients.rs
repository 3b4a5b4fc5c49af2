//! The demo issuer's registered clients: one row per outcome the demo shows.
//!
//! These credentials are demo-only and published on purpose; they protect nothing.

use super::keys::DemoKey;

/// How a token's signature is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signing {
    /// RS256 with the issuer's current RSA key (demo-rsa-1, demo-rsa-2 after rotation).
    Rs256,
    /// ES256 with demo-ec-1.
    Es256,
    /// HS256 keyed with the client secret and no kid (Authing's default).
    Hs256WithSecret,
    /// No signature: a reference token, explained only by introspection (RFC 7662).
    Opaque,
}

/// What the issuer does with a requested scope the client may not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScopePolicy {
    /// 400 `invalid_scope` (oidc-provider style).
    Reject,
    /// 200, leave it out and list it in `rejected_scope` (Authing style).
    Drop,
}

/// Where the granted scopes go in the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScopeClaim {
    /// `scope`: one space-separated string.
    Scope,
    /// `scp`: a JSON array, and no `scope` claim.
    ScpArray,
}

/// Which client authentication methods the client may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthMethods {
    Any,
    BasicOnly,
    /// `client_secret_jwt` only: an HS256 assertion keyed with the secret.
    SecretJwt,
    /// `private_key_jwt` only: an assertion verified with `assertion_key`.
    PrivateKeyJwt,
}

/// One registered client.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Client {
    pub id: &'static str,
    pub secret: &'static str,
    /// Whether the client_credentials grant is enabled.
    pub grant_enabled: bool,
    pub allowed_scopes: &'static [&'static str],
    pub scope_policy: ScopePolicy,
    pub scope_claim: ScopeClaim,
    pub signing: Signing,
    pub auth_methods: AuthMethods,
    pub lifetime_secs: i64,
    /// How far behind real time this client's issuer clock runs.
    pub clock_behind_secs: i64,
    /// Its reference tokens are revoked as soon as issued (a token revoked after issue).
    pub opaque_revoked: bool,
    /// The public key registered for a `private_key_jwt` client (SPKI PEM).
    pub assertion_key: Option<&'static str>,
}

const READ: &[&str] = &["order:read"];
const READ_WRITE: &[&str] = &["order:read", "order:write"];

// The common row; each client below changes only what makes its outcome.
const BASE: Client = Client {
    id: "",
    secret: "",
    grant_enabled: true,
    allowed_scopes: READ,
    scope_policy: ScopePolicy::Reject,
    scope_claim: ScopeClaim::Scope,
    signing: Signing::Rs256,
    auth_methods: AuthMethods::Any,
    lifetime_secs: 3600,
    clock_behind_secs: 0,
    opaque_revoked: false,
    assertion_key: None,
};

/// Every registered client.
pub(crate) const CLIENTS: &[Client] = &[
    Client { id: "demo-reader", secret: "demo-reader-secret", ..BASE },
    Client {
        id: "demo-noscope",
        secret: "demo-noscope-secret",
        allowed_scopes: &["openid"],
        scope_policy: ScopePolicy::Drop,
        ..BASE
    },
    Client { id: "demo-strict", secret: "demo-strict-secret", ..BASE },
    Client { id: "demo-hs256", secret: "demo-hs256-secret", signing: Signing::Hs256WithSecret, ..BASE },
    Client {
        id: "demo-es256",
        secret: "demo-es256-secret",
        allowed_scopes: READ_WRITE,
        signing: Signing::Es256,
        ..BASE
    },
    Client { id: "demo-shortlived", secret: "demo-shortlived-secret", lifetime_secs: 5, ..BASE },
    Client { id: "demo-skewed", secret: "demo-skewed-secret", clock_behind_secs: 7200, ..BASE },
    Client { id: "demo-nogrant", secret: "demo-nogrant-secret", grant_enabled: false, ..BASE },
    Client { id: "demo-basic", secret: "demo-basic-secret", auth_methods: AuthMethods::BasicOnly, ..BASE },
    Client { id: "demo-scp", secret: "demo-scp-secret", scope_claim: ScopeClaim::ScpArray, ..BASE },
    Client { id: "demo-writer", secret: "demo-writer-secret", allowed_scopes: READ_WRITE, ..BASE },
    // Exercises RFC 6749 §2.3.1: id and secret must be form-urlencoded inside Basic.
    Client { id: "demo+special", secret: "s3cret:with%chars&more", ..BASE },
    Client { id: "demo-opaque", secret: "demo-opaque-secret", signing: Signing::Opaque, ..BASE },
    Client {
        id: "demo-opaque-revoked",
        secret: "demo-opaque-revoked-secret",
        signing: Signing::Opaque,
        opaque_revoked: true,
        ..BASE
    },
    // Client assertions: HMAC with a secret (at least 32 bytes for HS256, RFC 7518 §3.2), and
    // a registered RSA public key; the EC one is registered but its ES256 is not accepted.
    Client {
        id: "demo-secret-jwt",
        secret: "demo-secret-jwt-secret-for-hs256-assertions",
        auth_methods: AuthMethods::SecretJwt,
        ..BASE
    },
    Client {
        id: "demo-private-key-jwt",
        auth_methods: AuthMethods::PrivateKeyJwt,
        assertion_key: Some(include_str!("keys/client-rsa-demo-only.pub.pem")),
        ..BASE
    },
    Client {
        id: "demo-private-key-jwt-ec",
        auth_methods: AuthMethods::PrivateKeyJwt,
        assertion_key: Some(include_str!("keys/client-ec-demo-only.pub.pem")),
        ..BASE
    },
    // Gets DPoP-bound tokens when its request carries a proof (any client does).
    Client { id: "demo-dpop", secret: "demo-dpop-secret", ..BASE },
    // mTLS clients (mtls_auth::MTLS_CLIENTS): no secret; their certificate authenticates them.
    Client { id: "demo-mtls", secret: "", ..BASE },
    Client { id: "demo-mtls-self-signed", secret: "", ..BASE },
];

/// The client registered under `id`, if any.
pub(crate) fn find(id: &str) -> Option<&'static Client> {
    CLIENTS.iter().find(|client| client.id == id)
}

impl Client {
    /// Compares secrets without an early exit, so timing does not reveal a prefix.
    pub(crate) fn secret_matches(&self, given: &str) -> bool {
        let (a, b) = (self.secret.as_bytes(), given.as_bytes());
        let mut diff = a.len() ^ b.len();
        for (i, byte) in a.iter().enumerate() {
            diff |= usize::from(byte ^ b.get(i).copied().unwrap_or(0));
        }
        diff == 0
    }

    /// The RSA key used when this client signs RS256 (set by the issuer's rotation state).
    pub(crate) fn signing_key(&self, rotated: bool) -> Option<DemoKey> {
        match self.signing {
            Signing::Rs256 if rotated => Some(DemoKey::Rsa2),
            Signing::Rs256 => Some(DemoKey::Rsa1),
            Signing::Es256 => Some(DemoKey::Ec256),
            Signing::Hs256WithSecret | Signing::Opaque => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_secrets_compare() {
        for (i, client) in CLIENTS.iter().enumerate() {
            assert!(CLIENTS[i + 1..].iter().all(|other| other.id != client.id));
        }
        let reader = find("demo-reader")
            .map(|c| (c.secret_matches("demo-reader-secret"), c.secret_matches("demo-reader-secreT")));
        assert_eq!(reader, Some((true, false)));
        assert!(find("demo-reader").is_some_and(|c| !c.secret_matches("")));
    }
}
