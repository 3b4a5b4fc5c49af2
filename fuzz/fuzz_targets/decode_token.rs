//! `core::jwt::decode` on arbitrary text: pasted tokens, headers, junk.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokdbg::core::jwt::{self, MAX_TOKEN_BYTES};

fuzz_target!(|data: &[u8]| {
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
});
