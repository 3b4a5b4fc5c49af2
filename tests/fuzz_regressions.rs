//! The fuzz targets' checks (fuzz/src/lib.rs) on the stable toolchain: every committed
//! seed in fuzz/seeds/, inputs that once crashed a target, and a few hostile shapes
//! the fuzzers cannot reach within their 4 KiB input limit.
//!
//! The fuzz crate itself is never built here: its checks file is included as a
//! module and compiled against tokdbg's own dependencies.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz_checks;

use std::path::Path;

/// Runs `check` on every file of fuzz/seeds/<target>; returns how many there were.
fn replay_seeds(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds").join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap_or_else(|e| panic!("{}: {e}", dir.display())).path();
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        check(&data);
        count += 1;
    }
    count
}

#[test]
fn seeds_decode_token() {
    assert!(replay_seeds("decode_token", fuzz_checks::decode_token) > 0);
}

#[test]
fn seeds_www_authenticate() {
    assert!(replay_seeds("www_authenticate", fuzz_checks::www_authenticate) > 0);
}

#[test]
fn seeds_jwks() {
    assert!(replay_seeds("jwks", fuzz_checks::jwks) > 0);
}

#[test]
fn seeds_token_response() {
    assert!(replay_seeds("token_response", fuzz_checks::token_response) > 0);
}

#[test]
fn seeds_profile() {
    assert!(replay_seeds("profile", fuzz_checks::profile) > 0);
}

#[test]
fn seeds_server_message() {
    assert!(replay_seeds("server_message", fuzz_checks::server_message) > 0);
}

#[test]
fn seed_profiles_load() {
    // The profile seeds are real profiles: they must load, so the fuzzer starts from
    // the success path (and its serialize/read-back checks) rather than only errors.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/profile");
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap_or_else(|e| panic!("{}: {e}", dir.display())).path();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let loaded = tokdbg::core::store::profile_store::parse_profile(&text, &path.display().to_string());
        assert!(loaded.is_ok(), "{}: {loaded:?}", path.display());
    }
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
