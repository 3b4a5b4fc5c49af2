//! The `[tls]` section of a profile: extra trusted roots and the dev-only `insecure` switch,
//! and where each setting came from (the profile or a command-line flag).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Where a TLS setting came from, for the `insecure_tls` warning and error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsOrigin {
    #[default]
    Profile,
    /// `--cacert` / `--insecure` on the command line.
    Flag,
}

/// `[tls]`: how this profile's https connections are trusted.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// A PEM bundle of extra trusted roots, on top of the system's (`~` expanded; a relative
    /// path is read from the profile's own directory, so the profile works from any cwd).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// Dev only: accept any server certificate. Never the default; warned on every call.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure: bool,
    /// The directory of the profile file `ca_file` is relative to (set when loaded).
    #[serde(skip)]
    pub base_dir: Option<PathBuf>,
    #[serde(skip)]
    pub ca_origin: TlsOrigin,
    #[serde(skip)]
    pub insecure_origin: TlsOrigin,
}

/// Two sections are equal when they say the same: where the file was loaded from and which
/// flag set a value are not the profile's content (a saved profile reads back equal).
impl PartialEq for TlsConfig {
    fn eq(&self, other: &Self) -> bool {
        self.ca_file == other.ca_file && self.insecure == other.insecure
    }
}

impl Eq for TlsConfig {}

impl TlsConfig {
    pub fn is_default(&self) -> bool {
        self.ca_file.is_none() && !self.insecure
    }

    /// The CA file to read: `~` expanded, a relative path joined to the profile's directory
    /// (a `--cacert` path is taken as given: relative to the working directory).
    pub fn ca_path(&self) -> Option<PathBuf> {
        let raw = self.ca_file.as_deref()?;
        let path = super::secret_source::expand_home(Path::new(raw));
        Some(match (&self.base_dir, self.ca_origin) {
            (Some(base), TlsOrigin::Profile) if path.is_relative() => base.join(path),
            _ => path,
        })
    }

    /// Where `ca_file` came from, as messages name it.
    pub fn ca_label(&self) -> &'static str {
        match self.ca_origin {
            TlsOrigin::Profile => "tls.ca_file",
            TlsOrigin::Flag => "--cacert",
        }
    }

    /// Where `insecure` came from, as messages name it.
    pub fn insecure_label(&self) -> &'static str {
        match self.insecure_origin {
            TlsOrigin::Profile => "tls.insecure = true in the profile",
            TlsOrigin::Flag => "--insecure on the command line",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_ca_file_is_read_beside_the_profile_and_a_flag_from_the_cwd() {
        let mut tls = TlsConfig {
            ca_file: Some("certs/ca.pem".into()),
            base_dir: Some(PathBuf::from("/p")),
            ..TlsConfig::default()
        };
        assert_eq!(tls.ca_path().unwrap(), PathBuf::from("/p/certs/ca.pem"));
        tls.ca_origin = TlsOrigin::Flag;
        assert_eq!(tls.ca_path().unwrap(), PathBuf::from("certs/ca.pem"));
        tls.ca_file = Some("/abs/ca.pem".into());
        tls.ca_origin = TlsOrigin::Profile;
        assert_eq!(tls.ca_path().unwrap(), PathBuf::from("/abs/ca.pem"));
    }

    #[test]
    fn a_home_path_is_expanded() {
        let tls = TlsConfig { ca_file: Some("~/ca.pem".into()), ..TlsConfig::default() };
        assert!(!tls.ca_path().unwrap().starts_with("~"));
    }
}
