//! The checks each fuzz target runs on one input, shared with the stable-toolchain
//! replay in `tests/fuzz_regressions.rs` (which includes this file by path).
//!
//! Only crates tokdbg itself depends on are used here, so the file compiles both in
//! this crate and as a module of tokdbg's integration tests. Every function must
//! return normally for every input: a panic is a finding.

use std::time::Duration;

use jsonwebtoken::Algorithm;
use tokdbg::core::model::profile::Profile;
use tokdbg::core::net::http::HttpResponse;
use tokdbg::core::token::jwt::{self, MAX_TOKEN_BYTES};
use tokdbg::core::{net::jwks, oauth::token_request, probe::www_authenticate, server_message, store::profile_store};

/// `jwt::decode` on arbitrary text (lossy UTF-8), then every accessor of the result.
pub fn decode_token(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = jwt::clean_pasted(&text);
    match jwt::decode(&text) {
        Ok(token) => {
            assert!(token.size <= MAX_TOKEN_BYTES);
            for claim in ["exp", "nbf", "iat"] {
                let _ = token.numeric_date(claim);
            }
            let _ = token.audiences();
            let _ = token.claim_str("iss");
            let _ = token.is_unsigned();
            let _ = format!("{token:?}");
            let _ = serde_json::to_string(&token);
        }
        Err(error) => {
            let _ = error.looks_opaque();
            let _ = error.to_string();
        }
    }
}

/// `www_authenticate::parse` on the whole input and `bearer` on its lines.
pub fn www_authenticate(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let challenges = www_authenticate::parse(&text);
    // The parser's caps (MAX_CHALLENGES, MAX_PARAMS).
    assert!(challenges.len() <= 64);
    for challenge in &challenges {
        assert!(challenge.params.len() <= 64);
        assert!(!challenge.scheme.is_empty());
        let _ = challenge.param("error");
        let _ = challenge.is_bearer();
    }
    let lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let _ = www_authenticate::parse_all(lines.iter().map(String::as_str));
    if let Some(bearer) = www_authenticate::bearer(&lines) {
        let _ = serde_json::to_string(&bearer);
    }
}

const ALGORITHMS: [Algorithm; 12] = [
    Algorithm::HS256,
    Algorithm::HS384,
    Algorithm::HS512,
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

/// `jwks::parse_key_set` on an arbitrary body; every key checked against every algorithm.
pub fn jwks(data: &[u8]) {
    if let Ok(set) = jwks::parse_key_set("https://fuzz.example/.well-known/jwks.json", data) {
        let _ = set.kids();
        for key in &set.keys {
            for alg in ALGORITHMS {
                let _ = key.unfit_for(alg);
            }
        }
        let _ = serde_json::to_string(&set);
    }
}

/// The HTTP answer a `token_response` input stands for.
///
/// Byte 0 picks the status: `% 8` the class (0: 1xx, 1-2: 2xx, 3: 3xx, 4-5: 4xx,
/// 6: 5xx, 7: out of range), `>> 3` the code within it; bit 7 adds a `Location`
/// header to a 3xx. The rest is `content-type \n body` (no newline: all body).
pub fn token_http_response(data: &[u8]) -> Option<HttpResponse> {
    let (&first, rest) = data.split_first()?;
    let code = u16::from(first >> 3); // 0..=31
    let status = match first % 8 {
        0 => 100 + code,
        1 | 2 => 200 + code,
        3 => 300 + code,
        4 | 5 => 400 + code,
        6 => 500 + code,
        _ => [0, 99, 600, 999, u16::MAX][usize::from(code) % 5],
    };
    let (content_type, body) = match rest.iter().position(|&b| b == b'\n') {
        Some(at) => (String::from_utf8_lossy(&rest[..at]).into_owned(), rest[at + 1..].to_vec()),
        None => (String::new(), rest.to_vec()),
    };
    let mut headers = vec![("content-type".to_owned(), content_type)];
    if status / 100 == 3 && first & 0x80 != 0 {
        headers.push(("location".to_owned(), "https://elsewhere.example/login".to_owned()));
    }
    Some(HttpResponse {
        status,
        headers,
        body,
        truncated: false,
        latency: Duration::from_millis(5),
        final_url: "https://fuzz.example/oauth/token".to_owned(),
    })
}

/// `token_request::parse_token_response` on the answer [`token_http_response`] builds.
pub fn token_response(data: &[u8]) {
    let Some(response) = token_http_response(data) else { return };
    match token_request::parse_token_response(&response) {
        Ok(token) => {
            assert!(!token.access_token.expose().is_empty());
            let _ = format!("{token:?}");
            let _ = token.raw.to_string();
        }
        Err(error) => {
            let _ = error.to_string();
            let _ = error.oauth_error();
            let _ = error.status();
        }
    }
    let _ = token_request::strip_html(&response.body_text());
}

/// `profile_store::parse_profile` on TOML text. A profile that loads must serialize
/// with `toml::to_string` (and `to_string_pretty`), and that text must read back as
/// a `Profile`.
pub fn profile(data: &[u8]) {
    // Profile files that are not UTF-8 are refused before parsing (load_file).
    let Ok(text) = std::str::from_utf8(data) else { return };
    match profile_store::parse_profile(text, "fuzz.toml") {
        Ok(profile) => {
            let _ = profile.display_name("fuzz");
            let written = toml::to_string(&profile).expect("a loaded profile serializes");
            let _reread: Profile = toml::from_str(&written).expect("a serialized profile reads back");
            let _ = toml::to_string_pretty(&profile);
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
}

const STATUSES: [u16; 12] = [200, 301, 400, 401, 403, 404, 407, 429, 500, 502, 503, 0];

/// `server_message::interpret_with` on a fuzzed denial.
///
/// Bytes 0-1 (little-endian) pick the status: high bit clear, one of [`STATUSES`];
/// set, any value below 32768. Byte 2 bit 0: the request carried a token. The rest
/// is `WWW-Authenticate line \n body` (an empty first line: no challenge).
pub fn server_message(data: &[u8]) {
    if data.len() < 3 {
        return;
    }
    let raw = u16::from_le_bytes([data[0], data[1]]);
    let status = if raw & 0x8000 == 0 { STATUSES[usize::from(raw) % STATUSES.len()] } else { raw & 0x7fff };
    let had_token = data[2] & 1 == 1;
    let rest = String::from_utf8_lossy(&data[3..]);
    let (line, body) = rest.split_once('\n').unwrap_or(("", &rest));
    let challenge = if line.is_empty() { None } else { www_authenticate::bearer(&[line.to_owned()]) };
    let verdict = server_message::interpret_with(status, challenge.as_ref(), body, had_token);
    if let Some(message) = &verdict.message {
        // Documented: one line of at most 300 chars.
        assert!(message.chars().count() <= 300, "message too long: {}", message.chars().count());
        assert!(!message.contains('\n'), "message spans lines: {message:?}");
    }
    let _ = serde_json::to_string(&verdict);
    let _ = server_message::interpret(status, challenge.as_ref(), body);
}
