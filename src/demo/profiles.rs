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
];

/// The demo profiles with `http://127.0.0.1:4455` replaced by `base_url`.
pub fn demo_profiles(base_url: &str) -> Vec<(&'static str, String)> {
    let default_base = format!("http://{DEFAULT_ADDR}");
    let base_url = base_url.trim_end_matches('/');
    PROFILES.iter().map(|(stem, text)| (*stem, text.replace(&default_base, base_url))).collect()
}

/// Writes [`demo_profiles`] into `dir` as `{stem}.toml` (mode 0600 on unix: they hold
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
    for (stem, text) in demo_profiles(base_url) {
        let path = dir.join(format!("{stem}.toml"));
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
