//! What a certificate says about itself (subject, issuer, names, validity) and its RFC 8705
//! thumbprint, read with `x509-parser` for messages and the token-binding check.

use base64::Engine as _;
use serde::Serialize;

/// A certificate, described for a person (and the JSON report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    /// DNS names and IP addresses of the subjectAltName extension.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// notBefore / notAfter, Unix seconds.
    pub not_before: i64,
    pub not_after: i64,
    /// `x5t#S256`: base64url (no padding) SHA-256 of the DER (RFC 8705 §3.1).
    pub thumbprint: String,
}

impl CertInfo {
    /// Reads one DER certificate; `None` when it is not one.
    pub fn from_der(der: &[u8]) -> Option<CertInfo> {
        use x509_parser::extensions::GeneralName;
        let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
        let names = cert
            .subject_alternative_name()
            .ok()
            .flatten()
            .map(|san| {
                san.value
                    .general_names
                    .iter()
                    .filter_map(|name| match name {
                        GeneralName::DNSName(dns) => Some((*dns).to_owned()),
                        GeneralName::IPAddress(bytes) => ip_text(bytes),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(CertInfo {
            subject: cert.subject().to_string(),
            issuer: cert.issuer().to_string(),
            names,
            not_before: cert.validity().not_before.timestamp(),
            not_after: cert.validity().not_after.timestamp(),
            thumbprint: thumbprint(der),
        })
    }

    /// The first certificate of a PEM chain (the end-entity one, by convention).
    pub fn from_pem_leaf(pem: &[u8]) -> Option<CertInfo> {
        CertInfo::from_der(&leaf_der(pem)?)
    }

    /// True when the certificate names itself as its issuer.
    pub fn is_self_issued(&self) -> bool {
        self.subject == self.issuer
    }
}

/// The DER of the first CERTIFICATE block of a PEM text.
pub fn leaf_der(pem: &[u8]) -> Option<Vec<u8>> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    CertificateDer::pem_slice_iter(pem).next()?.ok().map(|der| der.to_vec())
}

/// RFC 8705 §3.1 `x5t#S256`: base64url without padding of the SHA-256 of the DER.
pub fn thumbprint(der: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref())
}

fn ip_text(bytes: &[u8]) -> Option<String> {
    match bytes.len() {
        4 => Some(std::net::Ipv4Addr::from(<[u8; 4]>::try_from(bytes).ok()?).to_string()),
        16 => Some(std::net::Ipv6Addr::from(<[u8; 16]>::try_from(bytes).ok()?).to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: &[u8] = include_bytes!("testdata/server.pem");

    #[test]
    fn a_certificate_names_its_subject_issuer_and_hosts() {
        let info = CertInfo::from_pem_leaf(SERVER).expect("a certificate");
        assert!(info.subject.contains("CN="), "{info:?}");
        assert!(info.issuer.contains("CN="), "{info:?}");
        assert!(info.not_before < info.not_after);
        assert_eq!(info.thumbprint.len(), 43, "32 bytes, base64url unpadded");
        assert!(CertInfo::from_pem_leaf(b"not pem").is_none());
    }

    #[test]
    fn the_thumbprint_is_base64url_sha256() {
        // SHA-256 of the empty string, base64url.
        assert_eq!(thumbprint(b""), "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
    }
}
