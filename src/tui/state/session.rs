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
}

impl Session {
    pub fn is_busy(&self) -> bool {
        self.pending.is_some()
    }
}
