//! Fuzz target `profile`: the checks are `tokdbg_fuzz::profile` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tokdbg_fuzz::profile(data));
