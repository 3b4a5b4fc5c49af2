//! Tests of the client cache: clients built per need, reused, bounded; and a loopback TLS
//! server (private CA, optional client certificate) met through them.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::*;
use crate::core::net::http::{Http, HttpError};
use crate::core::net::transport::{CaBundle, ClientIdentity};

const CA: &[u8] = include_bytes!("testdata/ca.pem");
const SERVER_CERT: &[u8] = include_bytes!("testdata/server.pem");
const SERVER_KEY: &[u8] = include_bytes!("testdata/server.key");
const CLIENT_CERT: &[u8] = include_bytes!("testdata/client.pem");
const CLIENT_KEY: &[u8] = include_bytes!("testdata/client.key");

fn config() -> HttpConfig {
    HttpConfig { connect_timeout: Duration::from_secs(5), timeout: Duration::from_secs(10), ..HttpConfig::default() }
}

fn private_ca(source: &str) -> TrustRoots {
    TrustRoots::Only(CaBundle::from_pem(source, CA).unwrap())
}

fn identity() -> ClientIdentity {
    ClientIdentity::from_pem("client.pem", CLIENT_CERT, CLIENT_KEY).unwrap()
}

fn tls(roots: TrustRoots, identity: Option<ClientIdentity>) -> TransportNeeds {
    TransportNeeds::Tls(TlsNeeds { roots, identity, ..TlsNeeds::default() })
}

fn custom_slots(clients: &Clients) -> usize {
    clients.custom.lock().unwrap().len()
}

#[test]
fn a_client_trusting_an_extra_ca_root_builds() {
    let clients = Clients::new(config());
    assert!(clients.get(&tls(private_ca("ca.pem"), None)).is_ok());
    // Beside the system's roots: builds wherever those load; where they cannot, it is they
    // that are blamed, not the bundle.
    let merged = clients.get(&tls(TrustRoots::SystemAnd(CaBundle::from_pem("ca.pem", CA).unwrap()), None));
    if let Err(failure) = merged {
        assert_eq!(failure.cause, SetupCause::SystemRoots, "{failure:?}");
    }
}

#[test]
fn a_client_with_a_client_identity_builds() {
    let clients = Clients::new(config());
    let built = clients.get(&tls(private_ca("ca.pem"), Some(identity())));
    assert!(built.is_ok(), "{built:?}");
}

#[test]
fn a_key_that_is_not_the_certificates_fails_as_setup_never_a_panic() {
    let mismatched = ClientIdentity::from_pem("client.pem", CLIENT_CERT, SERVER_KEY).unwrap();
    let http = Http::new(config());
    let url = reqwest::Url::parse("https://127.0.0.1:1/token").unwrap();
    let needs = tls(private_ca("ca.pem"), Some(mismatched));
    match http.client(&url, &needs) {
        Err(error @ HttpError::ClientSetup { kind: "mTLS", cause: SetupCause::ClientIdentity, .. }) => {
            assert!(error.to_string().starts_with("cannot build the mTLS client for https://127.0.0.1:1/token"));
            assert!(error.local_fix().unwrap().contains("client certificate"));
            assert!(error.is_unreachable());
        }
        // rustls compares the key with the certificate when the client is built.
        other => panic!("a mismatched key must fail the build as ClientSetup: {other:?}"),
    }
}

#[test]
fn equal_needs_share_one_client_and_the_cache_is_bounded() {
    let clients = Clients::new(config());
    // The same bytes under two names are one need.
    clients.get(&tls(private_ca("/etc/one.pem"), None)).unwrap();
    clients.get(&tls(private_ca("/srv/two.pem"), None)).unwrap();
    assert_eq!(custom_slots(&clients), 1);
    clients.get(&tls(private_ca("ca.pem"), Some(identity()))).unwrap();
    assert_eq!(custom_slots(&clients), 2);
    // The defaults never take a slot.
    clients.get(&TransportNeeds::Plain).unwrap();
    let _ = clients.get(&TransportNeeds::Tls(TlsNeeds::default()));
    assert_eq!(custom_slots(&clients), 2);
    // Bundles that differ by a trailing comment are different needs (edited files): bounded.
    for n in 0..(MAX_CUSTOM * 2) {
        let pem = [CA, format!("\n# edit {n}\n").as_bytes()].concat();
        let roots = TrustRoots::Only(CaBundle::from_pem("ca.pem", &pem).unwrap());
        clients.get(&tls(roots, None)).unwrap();
        assert!(custom_slots(&clients) <= MAX_CUSTOM);
    }
}

/// A one-connection-at-a-time HTTPS server on 127.0.0.1 with the test CA's server
/// certificate. It asks for a client certificate (signed by the test CA) without requiring
/// one, and answers with what it got: `client-cert` or `anonymous`.
async fn loopback_tls_server() -> String {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(CA) {
        roots.add(cert.unwrap()).unwrap();
    }
    let client_verifier =
        rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider))
            .allow_unauthenticated()
            .build()
            .unwrap();
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(SERVER_CERT).collect::<Result<_, _>>().unwrap();
    let key = PrivateKeyDer::from_pem_slice(SERVER_KEY).unwrap();
    let server_config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(client_verifier)
        .with_single_cert(chain, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server_config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            // A client that refuses the server's certificate ends the handshake: next.
            let Ok(mut stream) = acceptor.accept(tcp).await else { continue };
            let who = if stream.get_ref().1.peer_certificates().is_some() { "client-cert" } else { "anonymous" };
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{who}",
                who.len()
            );
            let _ = stream.write_all(answer.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    });
    format!("https://localhost:{port}/whoami")
}

#[tokio::test]
async fn loopback_tls_trusts_the_given_ca_and_presents_the_client_certificate() {
    let url = loopback_tls_server().await;
    let http = Http::new(config());

    let with_identity = TlsNeeds { roots: private_ca("ca.pem"), identity: Some(identity()), ..TlsNeeds::default() };
    let answer = http.get_with(&url, &with_identity).await.expect("mTLS over loopback");
    assert_eq!((answer.status, answer.body_text().as_str()), (200, "client-cert"));

    let without_identity = TlsNeeds { roots: private_ca("ca.pem"), ..TlsNeeds::default() };
    let answer = http.get_with(&url, &without_identity).await.expect("TLS over loopback");
    assert_eq!(answer.body_text(), "anonymous");

    // The default client does not trust the private CA: the handshake fails, and says so.
    match http.get(&url).await {
        // Refused for its issuer, and named: the subject and issuer of what it presented.
        Err(HttpError::Untrusted { url: failed, untrusted }) => {
            assert_eq!(failed, url);
            assert_eq!(untrusted.reason, crate::core::net::untrusted::UntrustedReason::UnknownIssuer);
            let certificate = untrusted.certificate.expect("the refused certificate is described");
            assert_eq!(
                (certificate.subject.as_str(), certificate.issuer.as_str()),
                ("CN=localhost", "CN=tokdbg test CA")
            );
        }
        // Without system roots the default client cannot even be built: still no trust.
        Err(HttpError::ClientSetup { cause: SetupCause::SystemRoots, .. }) => {}
        other => panic!("the private CA must not be trusted by default: {other:?}"),
    }

    // `insecure` accepts it, and a wrong host is named with the certificate's own names.
    let insecure = TlsNeeds { insecure: true, ..TlsNeeds::default() };
    let answer = http.get_with(&url, &insecure).await.expect("insecure accepts any certificate");
    assert_eq!(answer.body_text(), "anonymous");
    let by_other_name = url.replace("localhost", "127.0.0.2");
    match http.get_with(&by_other_name, &TlsNeeds { roots: private_ca("ca.pem"), ..TlsNeeds::default() }).await {
        Err(HttpError::Untrusted { untrusted, .. }) => match &untrusted.reason {
            crate::core::net::untrusted::UntrustedReason::WrongHost { host, .. } => assert_eq!(host, "127.0.0.2"),
            other => panic!("{other:?}"),
        },
        // No listener on 127.0.0.2 where the loopback is only 127.0.0.1.
        Err(HttpError::Connect { .. }) => {}
        other => panic!("a wrong host must be refused: {other:?}"),
    }
}
