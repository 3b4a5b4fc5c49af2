//! What the integration tests share: the binary as a process (`process`), captured server
//! answers (`captured`), the embedded demo and engine helpers (`demo`), crafted tokens and
//! claims (`fixtures`), the fault-injecting server (`faults`) and the TUI harness (`tui`).
//! Everything talks to 127.0.0.1 only.

pub mod captured;
pub mod demo;
pub mod faults;
pub mod fixtures;
pub mod process;
pub mod tls;
pub mod tui;

pub use demo::*;
pub use fixtures::*;
pub use process::*;
