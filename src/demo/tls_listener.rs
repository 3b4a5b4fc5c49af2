//! The demo's listener: plain HTTP and HTTPS on the same port (a connection whose first byte
//! opens a TLS handshake gets TLS with the demo's server certificate), each connection tagged
//! with the client certificate it presented, for the mTLS token endpoint and API.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// The demo's CA (what `tls.ca_file` of the demo profiles trusts).
pub const DEMO_CA_PEM: &str = include_str!("tls/ca.pem");
const SERVER_CERT_PEM: &[u8] = include_bytes!("tls/server.pem");
const SERVER_KEY_PEM: &[u8] = include_bytes!("tls/server.key");

/// A TLS record of type handshake (a ClientHello) starts with this byte; no HTTP method does.
const TLS_HANDSHAKE: u8 = 0x16;
/// A client that opens TLS and stalls is dropped after this, without holding up others.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Who is on the other end of a connection: whether it came over TLS, and the
/// client certificate (DER) it presented there, if any.
#[derive(Debug, Clone)]
pub(crate) struct Peer {
    pub tls: bool,
    pub certificate: Option<Vec<u8>>,
}

impl Connected<IncomingStream<'_, DemoListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, DemoListener>) -> Self {
        stream.remote_addr().clone()
    }
}

/// A plain or a TLS connection.
pub(crate) enum DemoStream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

/// Accepts on a TCP listener; each connection is sniffed (and its TLS handshake done) on a task
/// of its own, so a slow or silent client never blocks the next one.
pub(crate) struct DemoListener {
    local_addr: SocketAddr,
    ready: mpsc::Receiver<(DemoStream, Peer)>,
}

impl DemoListener {
    pub(crate) fn new(listener: TcpListener) -> io::Result<DemoListener> {
        let local_addr = listener.local_addr()?;
        let acceptor = TlsAcceptor::from(Arc::new(server_config().map_err(io::Error::other)?));
        let (sender, ready) = mpsc::channel(64);
        tokio::spawn(accept_loop(listener, acceptor, sender));
        Ok(DemoListener { local_addr, ready })
    }
}

async fn accept_loop(listener: TcpListener, acceptor: TlsAcceptor, sender: mpsc::Sender<(DemoStream, Peer)>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of descriptors or the like: wait a little, as axum's own listener does.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        if sender.is_closed() {
            return;
        }
        let (acceptor, sender) = (acceptor.clone(), sender.clone());
        tokio::spawn(async move {
            if let Some(ready) = open(stream, acceptor).await {
                let _ = sender.send(ready).await;
            }
        });
    }
}

/// Plain HTTP as is; TLS after its handshake. `None`: the client left or failed the handshake.
async fn open(stream: TcpStream, acceptor: TlsAcceptor) -> Option<(DemoStream, Peer)> {
    let mut first = [0u8; 1];
    if stream.peek(&mut first).await.ok()? == 0 {
        return None;
    }
    if first[0] != TLS_HANDSHAKE {
        return Some((DemoStream::Plain(stream), Peer { tls: false, certificate: None }));
    }
    let tls = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await.ok()?.ok()?;
    let certificate = tls.get_ref().1.peer_certificates().and_then(|chain| chain.first()).map(|der| der.to_vec());
    Some((DemoStream::Tls(Box::new(tls)), Peer { tls: true, certificate }))
}

impl Listener for DemoListener {
    type Io = DemoStream;
    type Addr = Peer;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(ready) => ready,
            // The accept loop only ends with the runtime: nothing more will come.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(Peer { tls: false, certificate: None })
    }
}

impl DemoListener {
    pub(crate) fn socket_addr(&self) -> SocketAddr {
        self.local_addr
    }
}

impl AsyncRead for DemoStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            DemoStream::Plain(stream) => Pin::new(stream).poll_read(cx, buf),
            DemoStream::Tls(stream) => Pin::new(stream.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for DemoStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            DemoStream::Plain(stream) => Pin::new(stream).poll_write(cx, buf),
            DemoStream::Tls(stream) => Pin::new(stream.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            DemoStream::Plain(stream) => Pin::new(stream).poll_flush(cx),
            DemoStream::Tls(stream) => Pin::new(stream.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            DemoStream::Plain(stream) => Pin::new(stream).poll_shutdown(cx),
            DemoStream::Tls(stream) => Pin::new(stream.as_mut()).poll_shutdown(cx),
        }
    }
}

/// The demo's server certificate, asking every client for a certificate and taking any: as
/// real mTLS issuers do, the token endpoint (not the handshake) decides whether it is the
/// registered one.
fn server_config() -> Result<rustls::ServerConfig, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let chain = CertificateDer::pem_slice_iter(SERVER_CERT_PEM)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("demo server certificate: {e}"))?;
    let key = PrivateKeyDer::from_pem_slice(SERVER_KEY_PEM).map_err(|e| format!("demo server key: {e}"))?;
    rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_client_cert_verifier(Arc::new(AnyClientCertificate { provider }))
        .with_single_cert(chain, key)
        .map_err(|e| format!("demo server certificate: {e}"))
}

/// Requests a client certificate, accepts any (or none); the handshake signature is still
/// checked, so the client holds the key of the certificate it presents.
#[derive(Debug)]
struct AnyClientCertificate {
    provider: Arc<CryptoProvider>,
}

impl ClientCertVerifier for AnyClientCertificate {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        false
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}
