//! Fuzz target `server_message`: the checks are `tokdbg_fuzz::server_message` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tokdbg_fuzz::server_message(data));
