//! A profile's TLS needs: its `[tls]` section (extra roots, `insecure`) and the client
//! certificate it presents, read into the value every https request of its calls goes by.

use crate::core::model::credentials::Credentials;
use crate::core::model::profile::Profile;
use crate::core::model::tls_config::TlsConfig;
use crate::core::net::http::SetupCause;
use crate::core::net::transport::{CaBundle, ClientIdentity, TlsNeeds, TrustRoots, Unusable};

/// A CA bundle is a few certificates: anything bigger is not one.
const MAX_CA_FILE: u64 = 4 * 1024 * 1024;

/// The extra roots `[tls]` names (or `--cacert`), read; `Ok(None)` when none is named.
pub fn ca_bundle(tls: &TlsConfig) -> Result<Option<CaBundle>, String> {
    let Some(path) = tls.ca_path() else { return Ok(None) };
    let label = format!("{} {}", tls.ca_label(), path.display());
    let metadata = std::fs::metadata(&path).map_err(|e| format!("{label}: cannot read it ({e})"))?;
    if !metadata.is_file() {
        return Err(format!("{label}: not a file"));
    }
    if metadata.len() > MAX_CA_FILE {
        return Err(format!("{label}: over {} MiB, not a CA bundle", MAX_CA_FILE / 1024 / 1024));
    }
    let pem = std::fs::read(&path).map_err(|e| format!("{label}: cannot read it ({e})"))?;
    CaBundle::from_pem(&label, &pem).map(Some).map_err(|e| e.to_string())
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
pub fn tls_needs(profile: &Profile, identity: Option<&Result<ClientIdentity, String>>) -> TlsNeeds {
    let mut needs = TlsNeeds { insecure: profile.tls.insecure, ..TlsNeeds::default() };
    match ca_bundle(&profile.tls) {
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
