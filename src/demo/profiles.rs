//! The demo profiles (`profiles/demo*.toml`), embedded and pointed at a running demo.

use std::path::Path;

use super::DEFAULT_ADDR;

/// Every demo profile as (file stem, TOML text pointing at `http://127.0.0.1:4455`).
const PROFILES: &[(&str, &str)] = &[
    ("demo-reader", include_str!("../../profiles/demo-reader.toml")),
    ("demo-writer", include_str!("../../profiles/demo-writer.toml")),
    ("demo-noscope", include_str!("../../profiles/demo-noscope.toml")),
    ("demo-strict-badscope", include_str!("../../profiles/demo-strict-badscope.toml")),
    ("demo-hs256", include_str!("../../profiles/demo-hs256.toml")),
    ("demo-es256", include_str!("../../profiles/demo-es256.toml")),
    ("demo-shortlived", include_str!("../../profiles/demo-shortlived.toml")),
    ("demo-skewed", include_str!("../../profiles/demo-skewed.toml")),
    ("demo-nogrant", include_str!("../../profiles/demo-nogrant.toml")),
    ("demo-wrong-secret", include_str!("../../profiles/demo-wrong-secret.toml")),
    ("demo-basic", include_str!("../../profiles/demo-basic.toml")),
    ("demo-basic-as-post", include_str!("../../profiles/demo-basic-as-post.toml")),
    ("demo-scp", include_str!("../../profiles/demo-scp.toml")),
    ("demo-no-oidc", include_str!("../../profiles/demo-no-oidc.toml")),
    ("demo-bad-audience", include_str!("../../profiles/demo-bad-audience.toml")),
    ("demo-unreachable", include_str!("../../profiles/demo-unreachable.toml")),
    ("demo-opaque", include_str!("../../profiles/demo-opaque.toml")),
    ("demo-opaque-revoked", include_str!("../../profiles/demo-opaque-revoked.toml")),
    ("demo-opaque-scopegap", include_str!("../../profiles/demo-opaque-scopegap.toml")),
    ("demo-secret-jwt", include_str!("../../profiles/demo-secret-jwt.toml")),
    ("demo-private-key-jwt", include_str!("../../profiles/demo-private-key-jwt.toml")),
    ("demo-private-key-jwt-wrong-key", include_str!("../../profiles/demo-private-key-jwt-wrong-key.toml")),
    ("demo-private-key-jwt-es256", include_str!("../../profiles/demo-private-key-jwt-es256.toml")),
    ("demo-dpop", include_str!("../../profiles/demo-dpop.toml")),
    ("demo-dpop-as-bearer", include_str!("../../profiles/demo-dpop-as-bearer.toml")),
    ("demo-dpop-proxy", include_str!("../../profiles/demo-dpop-proxy.toml")),
    ("demo-mtls", include_str!("../../profiles/demo-mtls.toml")),
    ("demo-mtls-self-signed", include_str!("../../profiles/demo-mtls-self-signed.toml")),
    ("demo-https-untrusted", include_str!("../../profiles/demo-https-untrusted.toml")),
    ("demo-mtls-unknown-cert", include_str!("../../profiles/demo-mtls-unknown-cert.toml")),
    ("demo-bound-no-cert", include_str!("../../profiles/demo-bound-no-cert.toml")),
];

/// The demo profiles with `http://127.0.0.1:4455` replaced by `base_url` (and its https form,
/// the same port over TLS, by `base_url`'s). The mTLS profiles' `file:` sources still read
/// `{demo_dir}/…`: [`demo_profiles_in`] points them at a directory holding [`DEMO_TLS_FILES`].
pub fn demo_profiles(base_url: &str) -> Vec<(&'static str, String)> {
    let default_base = format!("http://{DEFAULT_ADDR}");
    let default_tls_base = format!("https://{DEFAULT_ADDR}");
    let base_url = base_url.trim_end_matches('/');
    let tls_base = base_url.replacen("http://", "https://", 1);
    PROFILES
        .iter()
        .map(|(stem, text)| (*stem, text.replace(&default_base, base_url).replace(&default_tls_base, &tls_base)))
        .collect()
}

/// [`demo_profiles`] whose `{demo_dir}` (where the mTLS profiles read their certificates and
/// keys) is `dir`.
pub fn demo_profiles_in(base_url: &str, dir: &Path) -> Vec<(&'static str, String)> {
    let dir = dir.display().to_string();
    demo_profiles(base_url).into_iter().map(|(stem, text)| (stem, text.replace(DEMO_DIR, &dir))).collect()
}

/// Where the mTLS profiles' certificates and keys are, until the demo writes them.
const DEMO_DIR: &str = "{demo_dir}";

/// The files the https demo profiles read, written beside them: the demo CA (`tls.ca_file`)
/// and the demo clients' certificates and keys (demo-only, published on purpose).
pub const DEMO_TLS_FILES: &[(&str, &str)] = &[
    ("demo-ca.pem", include_str!("tls/ca.pem")),
    ("demo-mtls-client.pem", include_str!("tls/mtls-client.pem")),
    ("demo-mtls-client.key", include_str!("tls/mtls-client.key")),
    ("demo-self-signed-client.pem", include_str!("tls/self-signed-client.pem")),
    ("demo-self-signed-client.key", include_str!("tls/self-signed-client.key")),
    ("demo-unknown-client.pem", include_str!("tls/unknown-client.pem")),
    ("demo-unknown-client.key", include_str!("tls/unknown-client.key")),
];

/// Writes [`demo_profiles_in`] `dir` into `dir` as `{stem}.toml`, with [`DEMO_TLS_FILES`]
/// beside them (mode 0600 on unix: they hold
/// literal, if demo-only, secrets). Each file is created exclusively: a name that already exists
/// (a file, or a symlink someone planted) is an error, never overwritten nor followed. A missing
/// `dir` is created 0700.
pub fn write_demo_profiles(dir: &Path, base_url: &str) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    let files = DEMO_TLS_FILES.iter().map(|(name, text)| ((*name).to_owned(), (*text).to_owned()));
    let profiles = demo_profiles_in(base_url, dir).into_iter().map(|(stem, text)| (format!("{stem}.toml"), text));
    for (name, text) in files.chain(profiles) {
        let path = dir.join(name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        }
        let mut file = options.open(&path)?;
        std::io::Write::write_all(&mut file, text.as_bytes())?;
    }
    Ok(())
}
