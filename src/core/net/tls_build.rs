//! The rustls configuration of an https client, built by hand and given to reqwest
//! (`tls_backend_preconfigured`): the trust roots of a [`TlsNeeds`], its client identity, the
//! dev-only `insecure` verifier, and a verifier wrapper that keeps what a refused server
//! certificate says about itself (reqwest only passes on rustls' error).

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::core::net::cert_info::CertInfo;
use crate::core::net::http::SetupCause;
use crate::core::net::transport::{TlsNeeds, TrustRoots};
use crate::core::net::untrusted::{SharedRefusals, Untrusted, UntrustedReason};

/// The rustls client configuration for `tls`, or what to blame and why not.
pub(crate) fn client_config(
    tls: &TlsNeeds,
    refusals: SharedRefusals,
) -> Result<rustls::ClientConfig, (SetupCause, String)> {
    if let Some(unusable) = &tls.unusable {
        return Err((unusable.cause, unusable.detail.clone()));
    }
    // The provider reqwest itself would use: an installed default, else aws-lc-rs.
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    let inner: Arc<dyn ServerCertVerifier> = if tls.insecure {
        Arc::new(AcceptAnyServer { provider: provider.clone() })
    } else {
        match &tls.roots {
            // The platform's verifier, as reqwest's default: the system's roots (on Linux those
            // of SSL_CERT_FILE / SSL_CERT_DIR when set), plus a bundle's on top.
            TrustRoots::System => Arc::new(
                rustls_platform_verifier::Verifier::new(provider.clone())
                    .map_err(|e| (SetupCause::SystemRoots, format!("no trusted CA roots could be loaded ({e})")))?,
            ),
            TrustRoots::SystemAnd(bundle) => Arc::new(
                rustls_platform_verifier::Verifier::new_with_extra_roots(ders(bundle.pem())?, provider.clone())
                    .map_err(|e| (SetupCause::CaBundle, format!("{}: {e}", bundle.source_name())))?,
            ),
            TrustRoots::Only(bundle) => {
                let mut store = rustls::RootCertStore::empty();
                for der in ders(bundle.pem())? {
                    store.add(der).map_err(|e| (SetupCause::CaBundle, format!("{}: {e}", bundle.source_name())))?;
                }
                rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider.clone())
                    .build()
                    .map_err(|e| (SetupCause::CaBundle, e.to_string()))?
            }
        }
    };
    let verifier = Arc::new(Recording { inner, refusals });
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| (SetupCause::Other, e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match &tls.identity {
        Some(identity) => {
            let fail = |detail: String| (SetupCause::ClientIdentity, format!("{}: {detail}", identity.source_name()));
            let chain = CertificateDer::pem_slice_iter(identity.chain_pem())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| fail(format!("the certificate chain cannot be read ({e})")))?;
            let key = PrivateKeyDer::from_pem_slice(identity.key_pem())
                .map_err(|e| fail(format!("the private key cannot be read ({e})")))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| fail(format!("the client certificate and key cannot be used ({e})")))?
        }
        None => builder.with_no_client_auth(),
    };
    // What reqwest sets for its own configurations (http2 and http/1.1 both built in).
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

fn ders(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, (SetupCause, String)> {
    CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| (SetupCause::CaBundle, e.to_string()))
}

/// The server name as request URLs spell their host (IPv6 without brackets either way).
pub(crate) fn host_key(host: &str) -> String {
    host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase()
}

/// Delegates every check to `inner`; on a refused certificate, keeps the reason and what the
/// certificate says, for the request's error to name.
#[derive(Debug)]
struct Recording {
    inner: Arc<dyn ServerCertVerifier>,
    refusals: SharedRefusals,
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let outcome = self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now);
        if let Err(rustls::Error::InvalidCertificate(error)) = &outcome {
            let certificate = CertInfo::from_der(end_entity);
            let mut reason = UntrustedReason::from_rustls(error, certificate.as_ref());
            if let UntrustedReason::WrongHost { host, .. } = &mut reason
                && host.is_empty()
            {
                *host = server_name.to_str().into_owned();
            }
            self.refusals.record(&host_key(&server_name.to_str()), Untrusted { reason, certificate });
        }
        outcome
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// `insecure`: any server certificate is accepted (the handshake's signatures are still
/// checked, so the connection is at least to whoever holds the presented key).
#[derive(Debug)]
struct AcceptAnyServer {
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for AcceptAnyServer {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
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
