//! What a curl command needs to repeat a request's connection and proof: the client
//! certificate and key, the trusted CA, `insecure`, and DPoP — as options and comments, never
//! a key's content or a signed proof.

use std::path::{Path, PathBuf};

use crate::core::model::profile::{Profile, SecretSource};
use crate::core::oauth::dpop_report::DpopReport;

use super::quote;

/// The variable the command reads the client certificate's path from, when the profile does
/// not read it from a file.
pub const CERT_VAR: &str = "CLIENT_CERT_FILE";

/// The variable the command reads the client key's path from, likewise.
pub const KEY_VAR: &str = "CLIENT_KEY_FILE";

/// The variable the command reads a fresh DPoP proof from.
pub const DPOP_VAR: &str = "DPOP_PROOF";

/// How the request's connection is set up and proven, as far as curl can repeat it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CurlTransport {
    /// The client certificate presented (mTLS): to the token endpoint and the API alike.
    pub client_certificate: Option<CurlFile>,
    /// Its key; always given with a certificate.
    pub client_key: Option<CurlFile>,
    /// The extra trusted roots (`tls.ca_file` or `--cacert`), as an absolute path.
    pub ca_file: Option<PathBuf>,
    /// Any server certificate accepted (`tls.insecure` or `--insecure`).
    pub insecure: bool,
    /// Present: the request carries a DPoP proof (the profile has `[dpop]`).
    pub dpop: Option<CurlDpop>,
}

/// Where curl reads a certificate or key from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurlFile {
    /// The profile's `file:` source, resolved as tokdbg reads it (`~` expanded, a relative
    /// path against the working directory), made absolute so the command runs from anywhere.
    Path(PathBuf),
    /// Any other source (`env:`, `cmd:`, `prompt`, a literal): curl reads a file, so the user
    /// writes one and names it in the variable. `source` is the profile's words for it.
    Variable { var: &'static str, source: String },
}

/// What is known of the call's DPoP, for the comment that says how to make a fresh proof.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CurlDpop {
    /// The proofs' algorithm (`dpop.alg`).
    pub alg: String,
    /// The key's RFC 7638 thumbprint (the token's `cnf.jkt`), when a call made a proof.
    pub jkt: Option<String>,
    /// The key was generated for the tokdbg run and kept nowhere: nothing else can sign for it.
    pub generated_key: bool,
    /// `dpop.private_key` as the profile writes it (never a literal's value).
    pub key_source: Option<String>,
    /// The nonce the server last demanded (`DPoP-Nonce`), for the proof's `nonce` claim.
    pub nonce: Option<String>,
}

impl CurlTransport {
    /// What a request of `profile` needs: its client certificate and key (whenever it has a
    /// certificate, as tokdbg presents it on every connection), `[tls]`, and `[dpop]`.
    pub fn for_profile(profile: &Profile) -> CurlTransport {
        let client = profile.client.as_ref();
        let certificate = client.and_then(|c| c.certificate.as_ref());
        let key = client.and_then(|c| c.private_key.as_ref()).filter(|_| certificate.is_some());
        CurlTransport {
            client_certificate: certificate.map(|source| CurlFile::of(source, CERT_VAR)),
            client_key: key.map(|source| CurlFile::of(source, KEY_VAR)),
            ca_file: profile.tls.ca_path().map(|path| absolute(&path)),
            insecure: profile.tls.insecure,
            dpop: profile.dpop.as_ref().map(|config| CurlDpop {
                alg: config.alg.clone(),
                jkt: None,
                generated_key: config.private_key.is_none(),
                key_source: config.private_key.as_ref().map(SecretSource::describe),
                nonce: None,
            }),
        }
    }

    /// Adds what a call's DPoP report knows: the key's thumbprint and the last nonce demanded
    /// (by the API when `api`, else by the token endpoint).
    pub fn with_dpop_report(mut self, report: Option<&DpopReport>, api: bool) -> CurlTransport {
        if let (Some(dpop), Some(report)) = (self.dpop.as_mut(), report) {
            if let Some(key) = &report.key {
                dpop.jkt = Some(key.jkt.clone());
            }
            let attempts = if api { &report.api_call } else { &report.token_request };
            dpop.nonce = attempts.iter().rev().find_map(|attempt| attempt.nonce_demanded.clone());
        }
        self
    }

    /// The curl options for a request to `url` (TLS options only for https, where curl uses
    /// them), and the comments that say how to fill their variables and what they change.
    pub(crate) fn tls_lines(&self, url: &str, comments: &mut Vec<String>, lines: &mut Vec<String>) {
        if !url.trim_start().get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://")) {
            return;
        }
        if let (Some(certificate), Some(key)) = (&self.client_certificate, &self.client_key) {
            let mut variables = Vec::new();
            for (option, file, field) in
                [("--cert", certificate, "client.certificate"), ("--key", key, "client.private_key")]
            {
                let argument = match file {
                    // curl reads `file:password` in --cert: a colon or backslash is escaped.
                    CurlFile::Path(path) if option == "--cert" => quote(&escape_cert(&path.display().to_string())),
                    CurlFile::Path(path) => quote(&path.display().to_string()),
                    CurlFile::Variable { var, source } => {
                        variables.push(format!("{var} (the PEM of {field}, read from {source})"));
                        format!("\"${var}\"")
                    }
                };
                lines.push(format!("{option} {argument}"));
            }
            if !variables.is_empty() {
                comments.push(format!(
                    "# The client certificate is presented as tokdbg does (mTLS): set {} to the path of a file \
                     holding it; the key's file readable by you alone (chmod 600).",
                    variables.join(" and ")
                ));
            }
            if let CurlFile::Path(path) = key
                && path
                    .extension()
                    .is_some_and(|ext| ext.eq_ignore_ascii_case("json") || ext.eq_ignore_ascii_case("jwk"))
            {
                comments
                    .push("# curl reads a PEM key only: convert the JWK in client.private_key to PEM first.".into());
            }
        }
        if let Some(ca_file) = &self.ca_file {
            comments.push(
                "# --cacert: curl trusts only this file for the server (tokdbg trusts it on top of the system's roots)."
                    .into(),
            );
            lines.push(format!("--cacert {}", quote(&ca_file.display().to_string())));
        }
        if self.insecure {
            comments.push(
                "# WARNING -k: any server certificate is accepted, as tls.insecure / --insecure made tokdbg do. \
                 Dev only: anyone on the path can answer, and read what is sent."
                    .into(),
            );
            lines.push("-k".into());
        }
    }

    /// The `DPoP` header line and the comment on making its proof, for a request `method`
    /// `url` (`access_token`: the token the proof's `ath` hashes, on the API call).
    pub(crate) fn dpop_lines(
        &self,
        method: &str,
        url: &str,
        access_token: Option<&str>,
        comments: &mut Vec<String>,
        lines: &mut Vec<String>,
    ) {
        let Some(dpop) = &self.dpop else { return };
        let htu = crate::core::oauth::dpop::htu(url).unwrap_or_else(|_| url.to_owned());
        let mut claims = format!("htm {}, htu {htu}, a fresh iat and jti", method.trim().to_ascii_uppercase());
        if let Some(token) = access_token {
            claims.push_str(&format!(", ath {}", crate::core::oauth::dpop::ath(token)));
        }
        match &dpop.nonce {
            Some(nonce) => claims.push_str(&format!(", nonce {nonce} (the server's last DPoP-Nonce)")),
            None => claims.push_str(", and the nonce if the server demands one (use_dpop_nonce, DPoP-Nonce)"),
        }
        comments.push(format!(
            "# DPoP (RFC 9449): a proof is single-use and bound to this method and URL, so none is pasted here. \
             Set {DPOP_VAR} to a fresh one: a JWT typ dpop+jwt, alg {}, with the public key as jwk and {claims}.",
            dpop.alg
        ));
        let key = match (&dpop.jkt, &dpop.key_source) {
            (Some(jkt), Some(source)) => format!("its key is dpop.private_key ({source}), thumbprint (cnf.jkt) {jkt}"),
            (None, Some(source)) => format!("its key is dpop.private_key ({source})"),
            (Some(jkt), None) => format!("its key, thumbprint (cnf.jkt) {jkt}"),
            (None, None) => "its key".to_owned(),
        };
        comments.push(if access_token.is_none() {
            // The token request: the token will be bound to whichever key signs this proof.
            format!(
                "# The token comes back bound to the key that signs this proof (cnf.jkt); every API call with it \
                 then needs proofs by that key. tokdbg signs with {}.",
                dpop.key_source.as_ref().map_or_else(
                    || "a key it generated for its run and kept nowhere".to_owned(),
                    |source| format!("dpop.private_key ({source})")
                )
            )
        } else if dpop.generated_key {
            format!(
                "# The token is bound to {key}, which tokdbg generated for its run and kept nowhere: no other \
                 program can sign for it. To repeat this outside tokdbg, set dpop.private_key and fetch a new token."
            )
        } else {
            format!("# The proof must be signed with the key the token is bound to: {key}.")
        });
        lines.push(format!("-H {}", format_args!("\"DPoP: ${DPOP_VAR}\"")));
    }
}

impl CurlFile {
    fn of(source: &SecretSource, var: &'static str) -> CurlFile {
        match source {
            SecretSource::File(path) => CurlFile::Path(absolute(&crate::core::model::secret_source::expand_home(path))),
            other => CurlFile::Variable { var, source: other.describe() },
        }
    }
}

/// `path` against the working directory, as tokdbg's own reads resolve it.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// curl's `--cert` takes `FILE[:PASSWORD]`: a backslash and a colon in the name are escaped.
fn escape_cert(path: &str) -> String {
    path.replace('\\', r"\\").replace(':', r"\:")
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
