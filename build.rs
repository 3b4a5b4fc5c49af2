//! Links the `tokdbg` executable as a non-PIE on Linux: a quarter fewer instructions for a
//! one-shot command such as `tokdbg decode` (benches/README.md, §2a "Start-up").
//!
//! A PIE is loaded at a random address, so before `main` the dynamic loader rewrites every
//! pointer in the binary's data (19 k relocations, the pages holding them copied on write);
//! a non-PIE has its addresses fixed at link time and nothing to rewrite. The code itself
//! stays position-independent (Rust's default), so libraries, build scripts and proc macros
//! are built exactly as before; only the final link of the binaries changes. What it gives up
//! is address randomisation of the executable image itself (shared libraries, stack, heap and
//! mappings stay randomised): set `TOKDBG_PIE=1` while building to keep a PIE.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=TOKDBG_PIE");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let keep_pie = std::env::var_os("TOKDBG_PIE").is_some_and(|v| !v.is_empty() && v != "0");
    if linux && !keep_pie {
        // Only the [[bin]] targets: test and bench executables keep the default.
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
