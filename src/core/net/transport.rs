//! What a request needs from its connection (plain or TLS, trusted roots, client certificate):
//! the value an HTTP client is chosen and cached by.
//!
//! Protocol code states its needs as a [`TransportNeeds`] value and does no I/O for it; the
//! net layer (`net::clients`) builds and reuses one client per distinct value.
//! Timeouts, the body cap and the redirect rule are not part of the key: they are the engine's
//! [`HttpConfig`](crate::core::net::http::HttpConfig), the same for every request it sends.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Why PEM material given for a connection cannot be used (nothing was sent).
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[error("{source_name}: {detail}")]
pub struct TlsMaterialError {
    /// Where the material came from (a file path, or a label).
    pub source_name: String,
    pub detail: String,
}

impl TlsMaterialError {
    fn new(source_name: &str, detail: impl Into<String>) -> Self {
        TlsMaterialError { source_name: source_name.to_owned(), detail: detail.into() }
    }
}

/// PEM certificates to trust, kept as read: the same bytes are the same key, whatever file
/// they came from.
#[derive(Clone)]
pub struct CaBundle {
    source_name: Arc<str>,
    pem: Arc<[u8]>,
    count: usize,
}

impl CaBundle {
    /// Reads a bundle of one or more PEM certificates; `source_name` names it in messages.
    pub fn from_pem(source_name: &str, pem: &[u8]) -> Result<CaBundle, TlsMaterialError> {
        let certs = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| TlsMaterialError::new(source_name, format!("not a PEM certificate bundle ({e})")))?;
        // Text without any PEM section parses as an empty bundle: trusting nothing is never meant.
        if certs.is_empty() {
            return Err(TlsMaterialError::new(source_name, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)"));
        }
        Ok(CaBundle { source_name: source_name.into(), pem: pem.into(), count: certs.len() })
    }

    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// How many certificates the bundle holds.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The bundle as read (PEM).
    pub(crate) fn pem(&self) -> &[u8] {
        &self.pem
    }
}

impl PartialEq for CaBundle {
    fn eq(&self, other: &Self) -> bool {
        self.pem == other.pem
    }
}

impl Eq for CaBundle {}

impl Hash for CaBundle {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.pem.hash(state);
    }
}

impl fmt::Debug for CaBundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CaBundle").field("source", &self.source_name).field("certificates", &self.count).finish()
    }
}

/// A private key in PEM: compared and hashed like any bytes, never shown.
#[derive(Clone, PartialEq, Eq, Hash)]
struct PrivateKeyPem(Arc<[u8]>);

impl fmt::Debug for PrivateKeyPem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A client certificate chain (leaf first) and its private key, presented in the TLS
/// handshake (mTLS client authentication, certificate-bound tokens).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ClientIdentity {
    source_name: Arc<str>,
    chain_pem: Arc<[u8]>,
    key: PrivateKeyPem,
}

impl ClientIdentity {
    /// Reads a certificate chain and an unencrypted private key (PKCS#8, PKCS#1 RSA or SEC1
    /// EC), both PEM. Whether the key matches the certificate is known only when the client is
    /// built, which then fails as `HttpError::ClientSetup`.
    pub fn from_pem(source_name: &str, chain_pem: &[u8], key_pem: &[u8]) -> Result<ClientIdentity, TlsMaterialError> {
        let certs = reqwest::Certificate::from_pem_bundle(chain_pem)
            .map_err(|e| TlsMaterialError::new(source_name, format!("the certificate chain is not PEM ({e})")))?;
        if certs.is_empty() {
            return Err(TlsMaterialError::new(source_name, "the certificate file holds no PEM certificate"));
        }
        // reqwest would call an encrypted key "no valid certificate": say what it is.
        if key_pem.windows(b"ENCRYPTED".len()).any(|w| w == b"ENCRYPTED") {
            return Err(TlsMaterialError::new(source_name, "the private key is encrypted; give it unencrypted (PEM)"));
        }
        let identity = ClientIdentity {
            source_name: source_name.into(),
            chain_pem: chain_pem.into(),
            key: PrivateKeyPem(key_pem.into()),
        };
        identity.to_reqwest().map_err(|detail| TlsMaterialError::new(source_name, detail))?;
        Ok(identity)
    }

    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// The certificate chain as read (PEM, leaf first).
    pub(crate) fn chain_pem(&self) -> &[u8] {
        &self.chain_pem
    }

    /// The private key as read (PEM). Never shown: only a TLS configuration takes it.
    pub(crate) fn key_pem(&self) -> &[u8] {
        &self.key.0
    }

    /// What the presented (leaf) certificate says, and its `x5t#S256` thumbprint.
    pub fn certificate(&self) -> Option<crate::core::net::cert_info::CertInfo> {
        crate::core::net::cert_info::CertInfo::from_pem_leaf(&self.chain_pem)
    }

    /// The identity for a client builder.
    pub(crate) fn to_reqwest(&self) -> Result<reqwest::Identity, String> {
        let mut pem = Vec::with_capacity(self.chain_pem.len() + self.key.0.len() + 1);
        pem.extend_from_slice(&self.chain_pem);
        pem.push(b'\n');
        pem.extend_from_slice(&self.key.0);
        reqwest::Identity::from_pem(&pem).map_err(|e| format!("the private key or certificate cannot be read ({e})"))
    }
}

impl fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientIdentity").field("source", &self.source_name).field("key", &self.key).finish()
    }
}

/// Which certificate authorities a TLS connection trusts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum TrustRoots {
    /// The system's roots (the platform's verifier).
    #[default]
    System,
    /// The system's roots and these (a private CA beside the public ones).
    SystemAnd(CaBundle),
    /// Only these, like `curl --cacert`: nothing else is trusted, and the system's roots are
    /// not even loaded.
    Only(CaBundle),
}

/// What a TLS connection asks for beyond the default. Certificate and hostname checks
/// always run unless `insecure` (dev only, warned by every call that sets it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TlsNeeds {
    pub roots: TrustRoots,
    pub identity: Option<ClientIdentity>,
    /// Accept any server certificate.
    pub insecure: bool,
    /// The settings asked for something that cannot be had (an unreadable CA file, a client
    /// key that does not parse): every request over these needs fails with it, nothing sent.
    pub unusable: Option<Unusable>,
}

/// TLS material the settings name and that cannot be used, and what to blame.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Unusable {
    pub cause: crate::core::net::http::SetupCause,
    pub detail: String,
}

impl TlsNeeds {
    pub fn is_default(&self) -> bool {
        *self == TlsNeeds::default()
    }
}

/// What one request needs from its transport: the key of the client that serves it. Equal
/// needs share a client (and its connection pool).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TransportNeeds {
    /// `http://`: no TLS at all. Redirects stay on the same origin, so such a request never
    /// reaches https and its client needs no roots.
    Plain,
    /// `https://`, with these trust roots and client identity.
    Tls(TlsNeeds),
}

impl TransportNeeds {
    /// The needs of a request to `url` whose TLS settings (if it is https) are `tls`.
    pub fn for_url(url: &reqwest::Url, tls: &TlsNeeds) -> TransportNeeds {
        if url.scheme() == "http" { TransportNeeds::Plain } else { TransportNeeds::Tls(tls.clone()) }
    }

    /// The client's kind, as messages name it.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            TransportNeeds::Plain => "HTTP",
            TransportNeeds::Tls(TlsNeeds { identity: Some(_), .. }) => "mTLS",
            TransportNeeds::Tls(TlsNeeds { insecure: true, .. }) => "insecure TLS",
            TransportNeeds::Tls(_) => "TLS",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CA: &[u8] = include_bytes!("testdata/ca.pem");
    const CLIENT_CERT: &[u8] = include_bytes!("testdata/client.pem");
    const CLIENT_KEY: &[u8] = include_bytes!("testdata/client.key");

    #[test]
    fn a_bundle_is_keyed_by_its_content_not_its_name() {
        let a = CaBundle::from_pem("/etc/a.pem", CA).unwrap();
        let b = CaBundle::from_pem("/elsewhere/b.pem", CA).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.count(), 1);
        let with_ca = |bundle| TransportNeeds::Tls(TlsNeeds { roots: TrustRoots::Only(bundle), ..TlsNeeds::default() });
        let mut set = std::collections::HashSet::new();
        set.insert(with_ca(a));
        assert!(set.contains(&with_ca(b)));
        assert!(!set.contains(&TransportNeeds::Tls(TlsNeeds::default())));
    }

    #[test]
    fn text_without_certificates_is_refused_not_trusted_as_empty() {
        let error = CaBundle::from_pem("ca.txt", b"hello").unwrap_err();
        assert_eq!(error.source_name, "ca.txt");
        assert!(error.detail.contains("no PEM certificate"), "{error}");
    }

    #[test]
    fn an_identity_never_shows_its_key() {
        let identity = ClientIdentity::from_pem("client.pem", CLIENT_CERT, CLIENT_KEY).unwrap();
        let shown = format!(
            "{identity:?} {:?}",
            TransportNeeds::Tls(TlsNeeds {
                roots: TrustRoots::System,
                identity: Some(identity.clone()),
                ..TlsNeeds::default()
            })
        );
        assert!(shown.contains("<redacted>"), "{shown}");
        let key_body = std::str::from_utf8(CLIENT_KEY).unwrap().lines().nth(1).unwrap();
        assert!(!shown.contains(key_body), "{shown}");
    }

    #[test]
    fn unusable_identities_say_why() {
        let encrypted = b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
        let error = ClientIdentity::from_pem("id", CLIENT_CERT, encrypted).unwrap_err();
        assert!(error.detail.contains("encrypted"), "{error}");
        let error = ClientIdentity::from_pem("id", CLIENT_KEY, CLIENT_KEY).unwrap_err();
        assert!(error.detail.contains("no PEM certificate"), "{error}");
        assert!(ClientIdentity::from_pem("id", CLIENT_CERT, b"not a key").is_err());
    }

    #[test]
    fn the_scheme_decides_plain_or_tls() {
        let tls = TlsNeeds { roots: TrustRoots::Only(CaBundle::from_pem("ca", CA).unwrap()), ..TlsNeeds::default() };
        let plain = reqwest::Url::parse("http://127.0.0.1:1/x").unwrap();
        let secure = reqwest::Url::parse("https://127.0.0.1:1/x").unwrap();
        assert_eq!(TransportNeeds::for_url(&plain, &tls), TransportNeeds::Plain);
        assert_eq!(TransportNeeds::for_url(&secure, &tls), TransportNeeds::Tls(tls.clone()));
        assert_eq!(TransportNeeds::for_url(&secure, &tls).kind(), "TLS");
    }
}
