//! `core::www_authenticate::{parse, bearer}` on arbitrary header values.
//! Each line of the input is one `WWW-Authenticate` header line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokdbg::core::www_authenticate;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let challenges = www_authenticate::parse(&text);
    // The parser's documented caps (MAX_CHALLENGES, MAX_PARAMS).
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
});
