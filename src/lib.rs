//! tokdbg as a library: the UI-free core, the embedded demo, and the CLI front-end.

pub mod cli;
pub mod core;
pub mod demo;
pub mod tui;
