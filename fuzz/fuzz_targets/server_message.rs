//! `core::server_message::interpret` on a fuzzed denial.
//!
//! Bytes 0-1 pick the status, byte 2 bit 0 whether the request carried a token;
//! the rest is `WWW-Authenticate line \n body` (an empty first line: no challenge).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokdbg::core::server_message;
use tokdbg::core::www_authenticate;

const STATUSES: [u16; 12] = [200, 301, 400, 401, 403, 404, 407, 429, 500, 502, 503, 0];

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let raw = u16::from_le_bytes([data[0], data[1]]);
    // Mostly the statuses an API denies with, sometimes any u16.
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
});
