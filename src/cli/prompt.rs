//! Asking for a `prompt` secret on the terminal, without echo.

use std::io::IsTerminal;

use crate::core::model::profile::SecretPrompter;
use crate::core::model::secret::Secret;

/// Reads from the controlling terminal; declines when there is none (scripts, CI).
pub struct TerminalPrompter;

impl SecretPrompter for TerminalPrompter {
    fn prompt(&self, label: &str) -> Option<Secret> {
        if !std::io::stdin().is_terminal() {
            return None;
        }
        rpassword::prompt_password(format!("{}: ", crate::core::safe_text::visible_line(label)))
            .ok()
            .filter(|s| !s.is_empty())
            .map(Secret::new)
    }
}
