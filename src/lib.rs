//! tokdbg as a library: the UI-free core, the embedded demo, and the CLI front-end.

pub mod cli;
pub mod core;
#[cfg(feature = "demo")]
pub mod demo;
#[cfg(feature = "tui")]
pub mod tui;
