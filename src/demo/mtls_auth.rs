//! mTLS client authentication at the demo's token endpoint (RFC 8705 §2): `tls_client_auth`
//! (the certificate's subject DN is the registered one and it chains to the demo CA) and
//! `self_signed_tls_client_auth` (the very certificate registered), plus the certificate's
//! `x5t#S256` that binds the tokens those clients get.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, UnixTime};
use rustls::server::WebPkiClientVerifier;

use super::tls_listener::{DEMO_CA_PEM, Peer};

/// How an mTLS client is registered.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Registration {
    /// `tls_client_auth_subject_dn`, as x509-parser writes a subject.
    SubjectDn(&'static str),
    /// The self-signed certificate itself (its JWKS `x5c`, in a real issuer).
    SelfSigned(&'static str),
}

/// The demo's mTLS clients (their rows in `clients::CLIENTS` hold no secret).
pub(crate) const MTLS_CLIENTS: &[(&str, Registration)] = &[
    ("demo-mtls", Registration::SubjectDn("O=tokdbg demo, CN=demo-mtls")),
    ("demo-mtls-self-signed", Registration::SelfSigned(include_str!("tls/self-signed-client.pem"))),
];

/// The registration of `client_id`, if it authenticates with a certificate.
pub(crate) fn registration(client_id: &str) -> Option<Registration> {
    MTLS_CLIENTS.iter().find(|(id, _)| *id == client_id).map(|(_, registration)| *registration)
}

/// The connection a request came on; plain HTTP without a certificate when the router was not
/// served by the demo's listener (unit tests).
#[derive(Debug, Clone)]
pub(crate) struct PeerInfo(pub Peer);

impl<S: Send + Sync> FromRequestParts<S> for PeerInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<Peer>>().map(|info| info.0.clone());
        Ok(PeerInfo(peer.unwrap_or(Peer { tls: false, certificate: None })))
    }
}

/// `None` when the request is not an mTLS client's (no `client_id` of one in the form, or a
/// secret sent: the secret path refuses those); else the client id or why it is refused.
pub(crate) fn authenticate(
    headers: &HeaderMap,
    form: &BTreeMap<String, String>,
    peer: &Peer,
    now: i64,
) -> Option<Result<&'static str, String>> {
    let client_id = form.get("client_id")?;
    if headers.contains_key(axum::http::header::AUTHORIZATION) || form.contains_key("client_secret") {
        return None;
    }
    let (id, registration) = MTLS_CLIENTS.iter().find(|(id, _)| id == client_id)?;
    let Some(certificate) = &peer.certificate else {
        let how = if peer.tls {
            "the TLS connection presented no client certificate"
        } else {
            "the request came over plain HTTP"
        };
        return Some(Err(format!(
            "client authentication failed: {id} authenticates with a client certificate (mTLS), but {how}"
        )));
    };
    let outcome = match registration {
        Registration::SubjectDn(expected) => check_subject(certificate, expected, now),
        Registration::SelfSigned(pem) => check_exact(certificate, pem),
    };
    Some(outcome.map(|()| *id).map_err(|why| format!("client authentication failed: {why}")))
}

/// tls_client_auth: the registered subject, and a chain to the demo CA valid now.
fn check_subject(der: &[u8], expected: &str, now: i64) -> Result<(), String> {
    let subject = subject_of(der).ok_or("the client certificate cannot be read")?;
    if subject != expected {
        return Err(format!("the client certificate's subject ({subject}) is not the one registered ({expected})"));
    }
    let roots = CertificateDer::pem_slice_iter(DEMO_CA_PEM.as_bytes()).collect::<Result<Vec<_>, _>>();
    let mut store = rustls::RootCertStore::empty();
    for root in roots.map_err(|e| format!("demo CA: {e}"))? {
        store.add(root).map_err(|e| format!("demo CA: {e}"))?;
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(store), provider)
        .build()
        .map_err(|e| format!("demo CA: {e}"))?;
    let at = UnixTime::since_unix_epoch(Duration::from_secs(u64::try_from(now).unwrap_or_default()));
    verifier
        .verify_client_cert(&CertificateDer::from(der), &[], at)
        .map(|_| ())
        .map_err(|e| format!("the client certificate ({subject}) does not chain to the issuer's trusted CA: {e}"))
}

/// self_signed_tls_client_auth: exactly the registered certificate.
fn check_exact(der: &[u8], registered_pem: &str) -> Result<(), String> {
    let registered = CertificateDer::from_pem_slice(registered_pem.as_bytes()).map_err(|e| e.to_string())?;
    if registered.as_ref() == der {
        return Ok(());
    }
    let subject = subject_of(der).unwrap_or_else(|| "unreadable".to_owned());
    Err(format!("the client certificate ({subject}) is not the self-signed certificate registered for this client"))
}

fn subject_of(der: &[u8]) -> Option<String> {
    x509_parser::parse_x509_certificate(der).ok().map(|(_, cert)| cert.subject().to_string())
}

/// `x5t#S256` (RFC 8705 §3.1): base64url SHA-256 of the certificate's DER.
pub(crate) fn thumbprint(der: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn der(pem: &str) -> Vec<u8> {
        CertificateDer::from_pem_slice(pem.as_bytes()).map(|d| d.to_vec()).unwrap_or_default()
    }

    const CA_ISSUED: &str = include_str!("tls/mtls-client.pem");
    const SELF_SIGNED: &str = include_str!("tls/self-signed-client.pem");
    const UNKNOWN: &str = include_str!("tls/unknown-client.pem");
    // 2030-01-01: inside the fixtures' 20 years.
    const NOW: i64 = 1_893_456_000;

    fn form(id: &str) -> BTreeMap<String, String> {
        BTreeMap::from([("client_id".to_owned(), id.to_owned())])
    }

    fn tls(pem: &str) -> Peer {
        Peer { tls: true, certificate: Some(der(pem)) }
    }

    #[test]
    fn each_registration_takes_its_certificate_only() {
        let headers = HeaderMap::new();
        assert_eq!(authenticate(&headers, &form("demo-mtls"), &tls(CA_ISSUED), NOW), Some(Ok("demo-mtls")));
        let ok = authenticate(&headers, &form("demo-mtls-self-signed"), &tls(SELF_SIGNED), NOW);
        assert_eq!(ok, Some(Ok("demo-mtls-self-signed")));
        for (id, pem) in [("demo-mtls", UNKNOWN), ("demo-mtls", SELF_SIGNED), ("demo-mtls-self-signed", CA_ISSUED)] {
            assert!(matches!(authenticate(&headers, &form(id), &tls(pem), NOW), Some(Err(_))), "{id}");
        }
        let none = Peer { tls: true, certificate: None };
        assert!(matches!(authenticate(&headers, &form("demo-mtls"), &none, NOW), Some(Err(_))));
        assert_eq!(authenticate(&headers, &form("demo-reader"), &tls(CA_ISSUED), NOW), None);
    }

    #[test]
    fn the_thumbprint_is_base64url_sha256_of_the_der() {
        let print = thumbprint(&der(CA_ISSUED));
        assert_eq!(print.len(), 43);
        assert!(!print.contains(['=', '+', '/']));
    }
}
