//! Fuzz target `jwks`: the checks are `tokdbg_fuzz::jwks` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tokdbg_fuzz::jwks(data));
