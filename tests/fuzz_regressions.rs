//! The fuzz targets' checks (fuzz/src/lib.rs) on the stable toolchain: every committed
//! seed in fuzz/seeds/, inputs that once crashed a target, and a few hostile shapes
//! the fuzzers cannot reach within their 4 KiB input limit.
//!
//! The fuzz crate itself is never built here: its checks file is included as a
//! module and compiled against tokdbg's own dependencies.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz_checks;

use std::path::{Path, PathBuf};

use rstest::rstest;

// Each committed seed is a named case (`fuzz_regressions::seeds_jwks::seed_1_…`), so one can be
// run alone; the list is the directory's files when the test binary was built.

/// Runs `check` on one seed file.
fn replay(seed: &Path, check: fn(&[u8])) {
    let data = std::fs::read(seed).unwrap_or_else(|e| panic!("{}: {e}", seed.display()));
    check(&data);
}

#[rstest]
fn seeds_decode_token(#[files("fuzz/seeds/decode_token/*")] seed: PathBuf) {
    replay(&seed, fuzz_checks::decode_token);
}

#[rstest]
fn seeds_www_authenticate(#[files("fuzz/seeds/www_authenticate/*")] seed: PathBuf) {
    replay(&seed, fuzz_checks::www_authenticate);
}

#[rstest]
fn seeds_jwks(#[files("fuzz/seeds/jwks/*")] seed: PathBuf) {
    replay(&seed, fuzz_checks::jwks);
}

#[rstest]
fn seeds_token_response(#[files("fuzz/seeds/token_response/*")] seed: PathBuf) {
    replay(&seed, fuzz_checks::token_response);
}

#[rstest]
fn seeds_profile(#[files("fuzz/seeds/profile/*")] seed: PathBuf) {
    replay(&seed, fuzz_checks::profile);
}

#[rstest]
fn seeds_server_message(#[files("fuzz/seeds/server_message/*")] seed: PathBuf) {
    replay(&seed, fuzz_checks::server_message);
}

/// The profile seeds are real profiles: they must load, so the fuzzer starts from the success
/// path (and its serialize/read-back checks) rather than only errors.
#[rstest]
fn seed_profiles_load(#[files("fuzz/seeds/profile/*")] seed: PathBuf) {
    let text = std::fs::read_to_string(&seed).unwrap_or_default();
    let loaded = tokdbg::core::store::profile_store::parse_profile(&text, &seed.display().to_string());
    assert!(loaded.is_ok(), "{}: {loaded:?}", seed.display());
}

/// Nesting far deeper than a 4 KiB fuzz input can hold, in every format a target parses.
#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let depth = 50_000;
    let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let json_object = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
    for body in [&json, &json_object] {
        fuzz_checks::jwks(body.as_bytes());
        fuzz_checks::token_response(format!("\x01application/json\n{body}").as_bytes());
        fuzz_checks::token_response(format!("\x0capplication/json\n{body}").as_bytes());
        fuzz_checks::server_message(format!("\x03\x00\x01\n{body}").as_bytes());
        fuzz_checks::server_message(format!("\x03\x00\x01Bearer error=\"invalid_token\"\n{body}").as_bytes());
    }
    // A JWT whose header and payload are deeply nested JSON.
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    fuzz_checks::decode_token(format!("{}.{}.sig", b64(&json), b64(&json_object)).as_bytes());
    // TOML arrays and inline tables.
    for toml in [
        format!("name = {}{}\n", "[".repeat(depth), "]".repeat(depth)),
        format!("name = {}1{}\n", "{a=".repeat(depth), "}".repeat(depth)),
        format!("[expect]\naudience = {}\n", "[".repeat(depth)),
    ] {
        fuzz_checks::profile(toml.as_bytes());
    }
}
