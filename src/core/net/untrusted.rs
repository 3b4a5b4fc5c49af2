//! A server certificate tokdbg refused, named precisely: why (unknown issuer, self-signed,
//! expired, not yet valid, another host) from rustls' `CertificateError`, and what the
//! certificate says about itself, kept by the verifier that refused it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rustls::CertificateError;
use serde::Serialize;

use crate::core::net::cert_info::CertInfo;

/// Why a server certificate is not trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum UntrustedReason {
    /// Issued by a CA none of the trusted roots vouches for.
    UnknownIssuer,
    /// Its own issuer, and not a trusted root itself.
    SelfSigned,
    /// Past its notAfter.
    Expired,
    /// Before its notBefore.
    NotYetValid,
    /// Issued for other names than the URL's host.
    WrongHost { host: String, names: Vec<String> },
    /// Revoked by its CA.
    Revoked,
    /// Anything else rustls refused it for, in its words.
    Other { detail: String },
}

impl UntrustedReason {
    /// The reason from rustls' certificate error (`presented` helps tell self-signed apart).
    pub fn from_rustls(error: &CertificateError, presented: Option<&CertInfo>) -> UntrustedReason {
        match error {
            CertificateError::UnknownIssuer if presented.is_some_and(CertInfo::is_self_issued) => {
                UntrustedReason::SelfSigned
            }
            CertificateError::UnknownIssuer => UntrustedReason::UnknownIssuer,
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => UntrustedReason::Expired,
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => UntrustedReason::NotYetValid,
            CertificateError::NotValidForName => UntrustedReason::WrongHost {
                host: String::new(),
                names: presented.map(|p| p.names.clone()).unwrap_or_default(),
            },
            CertificateError::NotValidForNameContext { expected, presented: names } => {
                UntrustedReason::WrongHost { host: expected.to_str().into_owned(), names: names.clone() }
            }
            CertificateError::Revoked => UntrustedReason::Revoked,
            other => UntrustedReason::Other { detail: format!("{other:?}") },
        }
    }

    /// The reason in words.
    pub fn describe(&self) -> String {
        match self {
            UntrustedReason::UnknownIssuer => "issued by a CA that is not trusted (unknown issuer)".to_owned(),
            UntrustedReason::SelfSigned => "self-signed, and not a trusted root".to_owned(),
            UntrustedReason::Expired => "expired".to_owned(),
            UntrustedReason::NotYetValid => "not valid yet".to_owned(),
            UntrustedReason::WrongHost { host, names } => {
                format!(
                    "issued for {}, not for {host}",
                    if names.is_empty() { "other names".to_owned() } else { names.join(", ") }
                )
            }
            UntrustedReason::Revoked => "revoked".to_owned(),
            UntrustedReason::Other { detail } => format!("refused ({detail})"),
        }
    }
}

/// A refused server certificate: why, and what it says about itself when it could be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Untrusted {
    pub reason: UntrustedReason,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertInfo>,
}

impl Untrusted {
    /// One line: the reason, then subject and issuer.
    pub fn describe(&self) -> String {
        match &self.certificate {
            Some(cert) => format!("{} (subject {}; issuer {})", self.reason.describe(), cert.subject, cert.issuer),
            None => self.reason.describe(),
        }
    }

    /// What to do about it.
    pub fn fix(&self) -> String {
        match &self.reason {
            UntrustedReason::WrongHost { host, names } => format!(
                "Call the server by a name its certificate holds ({}) instead of {host}, or have the certificate reissued for {host}.",
                if names.is_empty() { "see its subjectAltName".to_owned() } else { names.join(", ") }
            ),
            UntrustedReason::Expired | UntrustedReason::NotYetValid => {
                "Renew the server's certificate (or check this machine's clock); trusting a CA does not fix validity dates.".to_owned()
            }
            _ => {
                let issuer = self.certificate.as_ref().map_or("the issuing CA".to_owned(), |c| format!("\"{}\"", c.issuer));
                format!(
                    "Trust the CA that issued it: set tls.ca_file in the profile (or pass --cacert FILE) to a PEM file holding {issuer}'s certificate. tls.insecure is for throwaway dev setups only."
                )
            }
        }
    }
}

/// Certificates the verifiers refused, by server name: the last refusal per host, read back
/// when the request's error arrives (the handshake runs inside reqwest, out of reach).
#[derive(Debug, Default)]
pub(crate) struct Refusals {
    by_host: Mutex<HashMap<String, Untrusted>>,
}

impl Refusals {
    pub(crate) fn record(&self, host: &str, refused: Untrusted) {
        let mut by_host = self.by_host.lock().unwrap_or_else(|p| p.into_inner());
        // Hosts are few; a long TUI session against many keeps the map small all the same.
        if by_host.len() >= 64 {
            by_host.clear();
        }
        by_host.insert(host.to_owned(), refused);
    }

    pub(crate) fn take(&self, host: &str) -> Option<Untrusted> {
        self.by_host.lock().unwrap_or_else(|p| p.into_inner()).remove(host)
    }
}

/// The rustls certificate error somewhere in a request error's chain (io errors wrap it).
pub(crate) fn certificate_error(error: &(dyn std::error::Error + 'static)) -> Option<CertificateError> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = next {
        if let Some(rustls::Error::InvalidCertificate(e)) = cause.downcast_ref::<rustls::Error>() {
            return Some(e.clone());
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
            && let Some(rustls::Error::InvalidCertificate(e)) = inner.downcast_ref::<rustls::Error>()
        {
            return Some(e.clone());
        }
        next = cause.source();
    }
    None
}

pub(crate) type SharedRefusals = Arc<Refusals>;

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::pki_types::{ServerName, UnixTime};

    fn cert(subject: &str, issuer: &str) -> CertInfo {
        CertInfo {
            subject: subject.into(),
            issuer: issuer.into(),
            names: vec!["localhost".into(), "127.0.0.1".into()],
            not_before: 0,
            not_after: 1,
            thumbprint: String::new(),
        }
    }

    #[test]
    fn each_certificate_error_has_its_reason() {
        let ca_issued = cert("CN=localhost", "CN=Dev CA");
        let self_issued = cert("CN=localhost", "CN=localhost");
        let time = UnixTime::since_unix_epoch(std::time::Duration::from_secs(10));
        let cases = [
            (CertificateError::UnknownIssuer, Some(&ca_issued), UntrustedReason::UnknownIssuer),
            (CertificateError::UnknownIssuer, Some(&self_issued), UntrustedReason::SelfSigned),
            (CertificateError::UnknownIssuer, None, UntrustedReason::UnknownIssuer),
            (CertificateError::Expired, None, UntrustedReason::Expired),
            (CertificateError::ExpiredContext { time, not_after: time }, None, UntrustedReason::Expired),
            (CertificateError::NotValidYet, None, UntrustedReason::NotYetValid),
            (CertificateError::NotValidYetContext { time, not_before: time }, None, UntrustedReason::NotYetValid),
            (CertificateError::Revoked, None, UntrustedReason::Revoked),
        ];
        for (error, presented, want) in cases {
            assert_eq!(UntrustedReason::from_rustls(&error, presented), want, "{error:?}");
        }
    }

    #[test]
    fn a_wrong_host_names_the_host_and_the_certificate_names() {
        let error = CertificateError::NotValidForNameContext {
            expected: ServerName::try_from("api.example.com").unwrap().to_owned(),
            presented: vec!["DnsName(\"localhost\")".into()],
        };
        let reason = UntrustedReason::from_rustls(&error, None);
        let UntrustedReason::WrongHost { host, names } = &reason else { panic!("{reason:?}") };
        assert_eq!(host, "api.example.com");
        assert_eq!(names.len(), 1);
        let untrusted = Untrusted { reason: reason.clone(), certificate: None };
        assert!(untrusted.fix().contains("api.example.com"), "{}", untrusted.fix());
        assert!(!untrusted.fix().contains("ca_file"));
    }

    #[test]
    fn an_unknown_issuer_fix_names_ca_file_cacert_and_the_issuer() {
        let untrusted =
            Untrusted { reason: UntrustedReason::UnknownIssuer, certificate: Some(cert("CN=localhost", "CN=Dev CA")) };
        let fix = untrusted.fix();
        assert!(fix.contains("tls.ca_file") && fix.contains("--cacert") && fix.contains("CN=Dev CA"), "{fix}");
        assert!(untrusted.describe().contains("subject CN=localhost; issuer CN=Dev CA"), "{}", untrusted.describe());
    }

    #[test]
    fn the_certificate_error_is_found_inside_io_errors() {
        let rustls_error = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, rustls_error);
        assert_eq!(certificate_error(&io), Some(CertificateError::UnknownIssuer));
        let plain = std::io::Error::other("connection reset");
        assert_eq!(certificate_error(&plain), None);
    }
}
