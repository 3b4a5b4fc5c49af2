//! Exit codes and the errors that end a command, printed for people or as JSON.

use super::stdout::{errln, outln};
use std::process::ExitCode;

/// 0 allowed/valid, 1 denied/invalid, 2 usage or profile error, 3 network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Denied = 1,
    Usage = 2,
    Network = 3,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// An error that stops a command before it has a result to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub exit: Exit,
    /// Stable kind for JSON: usage | profile | network | invalid.
    pub kind: &'static str,
    pub message: String,
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        CliError { exit: Exit::Usage, kind: "usage", message: message.into() }
    }

    pub fn profile(message: impl Into<String>) -> Self {
        CliError { exit: Exit::Usage, kind: "profile", message: message.into() }
    }

    pub fn network(message: impl Into<String>) -> Self {
        CliError { exit: Exit::Network, kind: "network", message: message.into() }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        CliError { exit: Exit::Denied, kind: "invalid", message: message.into() }
    }

    /// Prints the error on stderr, and as `{"error": {...}}` on stdout with `--json`.
    pub fn report(&self, json: bool) {
        errln!("tokdbg: {}", self.message);
        if json {
            let value = serde_json::json!({ "error": { "kind": self.kind, "message": self.message, "exit_code": self.exit as u8 } });
            outln!("{}", crate::core::safe_text::json(&value, false));
        }
    }
}

pub type CmdResult = Result<Exit, CliError>;
