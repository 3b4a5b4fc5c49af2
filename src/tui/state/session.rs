//! What is known about one profile in this run: its token, verification, calls.

use std::sync::Arc;

use crate::core::engine::{CallReport, TokenFetch};

use crate::core::model::profile::Endpoint;

use super::super::msg::TaskId;
use super::request::RequestEditor;

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
    /// The hop selected in the Trace tab (of the last call, else the last token fetch).
    pub hop: usize,
    pub pending: Option<Pending>,
    /// Why the last token fetch or call of this profile could not run (a secret that could not
    /// be read, a task that failed), shown on its tabs until the next one succeeds.
    pub failure: Option<String>,
    /// The last request sent for this profile, as sent (edited or ad hoc included): the curl
    /// export copies this.
    pub sent: Option<SentRequest>,
    /// The request editor's fields as last left (`r` and `a` reopen them), with the endpoint
    /// index they started from (`None`: an ad-hoc URL).
    pub draft: Option<(Option<usize>, Box<RequestEditor>)>,
}

/// A request as it went out.
#[derive(Debug, Clone)]
pub struct SentRequest {
    pub endpoint: Endpoint,
    pub with_token: bool,
    /// The profile's endpoint it is, unedited; `None` for an edited or ad-hoc request.
    pub unedited_index: Option<usize>,
}

impl Session {
    pub fn is_busy(&self) -> bool {
        self.pending.is_some()
    }
}
