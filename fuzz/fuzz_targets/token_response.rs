//! Fuzz target `token_response`: the checks are `tokdbg_fuzz::token_response` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tokdbg_fuzz::token_response(data));
