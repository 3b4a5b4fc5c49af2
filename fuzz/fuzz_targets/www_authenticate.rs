//! Fuzz target `www_authenticate`: the checks are `tokdbg_fuzz::www_authenticate` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tokdbg_fuzz::www_authenticate(data));
