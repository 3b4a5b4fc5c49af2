//! `core::token_request::parse_token_response` on a fuzzed HTTP answer.
//!
//! Byte 0 picks the status (its class and a code within it, and for 3xx whether a
//! `Location` header is present); the rest is `content-type \n body`.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use tokdbg::core::http::HttpResponse;
use tokdbg::core::token_request;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
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
    let response = HttpResponse {
        status,
        headers,
        body,
        truncated: false,
        latency: Duration::from_millis(5),
        final_url: "https://fuzz.example/oauth/token".to_owned(),
    };
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
});
