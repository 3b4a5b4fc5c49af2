//! What is known about one profile in this run: its token, verification, calls.

use std::sync::Arc;

use crate::core::engine::{CallReport, TokenFetch};

use super::super::msg::TaskId;

/// Which operation a running task performs for the profile (one at a time per kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    Token(TaskId),
    Call(TaskId),
}

#[derive(Debug, Clone, Default)]
pub struct Session {
    pub token: Option<Box<TokenFetch>>,
    pub call: Option<Arc<CallReport>>,
    /// The endpoint selected in the Endpoints tab.
    pub endpoint: usize,
    pub pending: Option<Pending>,
    /// Why the last token fetch or call of this profile could not run (a secret that could not
    /// be read, a task that failed), shown on its tabs until the next one succeeds.
    pub failure: Option<String>,
}

impl Session {
    pub fn is_busy(&self) -> bool {
        self.pending.is_some()
    }
}
