//! Fuzz target `decode_token`: the checks are `tokdbg_fuzz::decode_token` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tokdbg_fuzz::decode_token(data));
