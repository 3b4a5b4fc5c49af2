//! A profile's TLS needs: its `[tls]` section (extra roots, `insecure`) and the client
//! certificate it presents, read into the value every https request of its calls goes by.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::SystemTime;

use crate::core::model::credentials::Credentials;
use crate::core::model::profile::Profile;
use crate::core::model::tls_config::TlsConfig;
use crate::core::net::http::SetupCause;
use crate::core::net::transport::{CaBundle, ClientIdentity, TlsNeeds, TrustRoots, Unusable};

/// A CA bundle is a few certificates: anything bigger is not one.
const MAX_CA_FILE: u64 = 4 * 1024 * 1024;

/// The extra roots `[tls]` names (or `--cacert`), read; `Ok(None)` when none is named.
pub fn ca_bundle(tls: &TlsConfig) -> Result<Option<CaBundle>, String> {
    CaBundles::default().get(tls)
}

/// CA bundles already read, by path: a call's discovery, token, JWKS and API requests each
/// need the profile's roots, and a TUI session makes many calls. A file is read and parsed
/// again only when its size or modification time changed (a stat per use).
#[derive(Default)]
pub struct CaBundles {
    read: std::sync::Mutex<HashMap<BundleKey, BundleRead>>,
}

/// A bundle's path and what it is read for.
type BundleKey = (PathBuf, &'static str);

/// A bundle as last read, with the file's stamp then.
type BundleRead = (StatStamp, Result<CaBundle, String>);

/// What tells a changed file from the one read before.
#[derive(Clone, Copy, PartialEq, Eq)]
struct StatStamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl CaBundles {
    /// The extra roots `[tls]` names, read or from an earlier read of the unchanged file.
    pub fn get(&self, tls: &TlsConfig) -> Result<Option<CaBundle>, String> {
        let Some(path) = tls.ca_path() else { return Ok(None) };
        let label = format!("{} {}", tls.ca_label(), path.display());
        let metadata = std::fs::metadata(&path).map_err(|e| format!("{label}: cannot read it ({e})"))?;
        if !metadata.is_file() {
            return Err(format!("{label}: not a file"));
        }
        if metadata.len() > MAX_CA_FILE {
            return Err(format!("{label}: over {} MiB, not a CA bundle", MAX_CA_FILE / 1024 / 1024));
        }
        let stamp = StatStamp { len: metadata.len(), modified: metadata.modified().ok() };
        // The label is part of the key: the same file named by --cacert and by tls.ca_file is
        // blamed under the name the user gave.
        let key = (path.clone(), tls.ca_label());
        let mut read = self.read.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((seen, bundle)) = read.get(&key)
            && *seen == stamp
        {
            return bundle.clone().map(Some);
        }
        let bundle = std::fs::read(&path)
            .map_err(|e| format!("{label}: cannot read it ({e})"))
            .and_then(|pem| CaBundle::from_pem(&label, &pem).map_err(|e| e.to_string()));
        read.insert(key, (stamp, bundle.clone()));
        bundle.map(Some)
    }
}

/// The client identity the credentials hold (certificate and key), if a certificate was read.
pub fn identity(credentials: &Credentials) -> Option<Result<ClientIdentity, String>> {
    let certificate = credentials.certificate.as_ref()?;
    let Some(key) = &credentials.private_key else {
        return Some(Err("client.certificate needs its key in client.private_key".to_owned()));
    };
    Some(
        ClientIdentity::from_pem("client.certificate", certificate.expose().as_bytes(), key.expose().as_bytes())
            .map_err(|e| e.to_string()),
    )
}

/// The certificate of `identity` as presented to `url`: over https only (plain http has no
/// TLS handshake to present it in), and never its key.
pub fn presented_certificate(
    identity: Option<&Result<ClientIdentity, String>>,
    url: Option<&str>,
) -> Option<crate::core::net::cert_info::CertInfo> {
    let over_tls = url.and_then(|u| u.get(..8)).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"));
    identity.filter(|_| over_tls)?.as_ref().ok()?.certificate()
}

/// The needs of every https request a profile's call makes: the system's roots plus
/// `ca_file`'s, `insecure`, and the client certificate when one was read. A setting that
/// cannot be used makes needs that fail every request with its cause (nothing is sent).
pub fn tls_needs(
    profile: &Profile,
    identity: Option<&Result<ClientIdentity, String>>,
    bundles: &CaBundles,
) -> TlsNeeds {
    let mut needs = TlsNeeds { insecure: profile.tls.insecure, ..TlsNeeds::default() };
    match bundles.get(&profile.tls) {
        Ok(Some(bundle)) => needs.roots = TrustRoots::SystemAnd(bundle),
        Ok(None) => {}
        Err(detail) => needs.unusable = Some(Unusable { cause: SetupCause::CaBundle, detail }),
    }
    match identity {
        Some(Ok(identity)) => needs.identity = Some(identity.clone()),
        Some(Err(detail)) if needs.unusable.is_none() => {
            needs.unusable = Some(Unusable { cause: SetupCause::ClientIdentity, detail: detail.clone() });
        }
        _ => {}
    }
    needs
}

/// What is wrong with a profile's `[tls]` before anything is sent (the CLI refuses the
/// profile with it: exit 2).
pub fn check(profile: &Profile) -> Result<(), String> {
    ca_bundle(&profile.tls).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(path: &std::path::Path) -> TlsConfig {
        TlsConfig { ca_file: Some(path.to_string_lossy().into_owned()), ..TlsConfig::default() }
    }

    #[test]
    fn a_ca_file_is_read_again_once_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, include_bytes!("../net/testdata/ca.pem")).unwrap();
        let bundles = CaBundles::default();
        assert_eq!(bundles.get(&config(&path)).unwrap().map(|b| b.count()), Some(1));
        // Served from the first read while unchanged.
        assert_eq!(bundles.get(&config(&path)).unwrap().map(|b| b.count()), Some(1));
        std::fs::write(&path, "no certificate here").unwrap();
        let error = bundles.get(&config(&path)).unwrap_err();
        assert!(error.contains("no PEM certificate"), "{error}");
    }
}
