//! Messages into `update` and the commands it returns: the whole vocabulary of the TUI loop.

use std::path::PathBuf;
use std::sync::Arc;

use crate::core::engine::{CallReport, TokenFetch, TokenReport};
use crate::core::model::profile::{Endpoint, Profile};
use crate::core::model::secret::Secret;
use crate::core::store::fsutil::FileStamp;
use crate::core::store::profile_store::ProfileStore;

pub type TaskId = u64;

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Msg {
    Key(crossterm::event::KeyEvent),
    Mouse(crossterm::event::MouseEvent),
    Paste(String),
    Resize(u16, u16),
    /// Time passed (spinners, countdowns); carries the new "now".
    Tick(i64),
    /// A task finished (or was cancelled).
    Done(TaskId, TaskResult),
    /// Test scripts only: hold further input until no task is running.
    WaitIdle,
    /// Ctrl-Z or SIGTSTP: hand the terminal back to the shell and stop until continued.
    Suspend,
    /// SIGCONT: take the terminal again (raw mode, alternate screen) and redraw everything.
    Resume,
    /// The profile directory as read now (after `R`, after the editor, or because a file
    /// changed on disk).
    Reloaded {
        /// The directory as read, or why it could not be.
        store: Result<Box<ProfileStore>, String>,
        /// The user asked (`R`, the editor): say so even when nothing changed.
        asked: bool,
    },
}

/// What a finished task reports.
#[derive(Debug)]
pub enum TaskResult {
    Token(Box<TokenFetch>),
    /// What the issuer said of the shown token (`i` on the Token tab).
    Introspected(Box<crate::core::engine::IntrospectionRun>),
    Call(Arc<CallReport>),
    Verify(Box<TokenReport>),
    /// The file was written, then read back as the list will show it.
    Saved {
        stem: String,
        path: PathBuf,
        loaded: Box<Result<Profile, String>>,
        stamp: Option<FileStamp>,
    },
    Deleted {
        stem: String,
    },
    Copied(String),
    /// The profile directory as read again after `R` or the editor.
    Reloaded(Box<ProfileStore>),
    /// The client secret's `env:` variable is unset: the app asks for it and resumes `retry`.
    SecretMissing {
        stem: String,
        error: String,
        retry: Retry,
    },
    /// A draft profile from what an API URL and its issuer publish (`n`, then `u`).
    Drafted(Box<crate::core::draft::Draft>),
    Cancelled,
    Failed(String),
}

/// What to do again once a missing secret has been typed.
#[derive(Debug, Clone)]
pub enum Retry {
    FetchToken,
    Send {
        with_token: bool,
    },
    /// An edited request, sent as edited.
    SendEdited(Endpoint),
}

/// What the app asks the outside world to do; run by the task runner.
#[derive(Debug)]
pub enum Cmd {
    /// Introspect the shown token with the client's own credentials (RFC 7662).
    Introspect {
        task: TaskId,
        stem: String,
        profile: Box<Profile>,
        token: Secret,
        /// The client secret typed at the prompt earlier in this run, if any.
        prompted: Option<Secret>,
    },
    /// Fetch a new token (the user asked: the cache is skipped). Which secrets to read is
    /// decided in the task by `secret_choice`, as for the CLI.
    FetchToken {
        task: TaskId,
        stem: String,
        profile: Box<Profile>,
        /// The client secret typed at the prompt, for a `prompt` source.
        prompted: Option<Secret>,
    },
    Call {
        task: TaskId,
        stem: String,
        profile: Box<Profile>,
        endpoint: Endpoint,
        prompted: Option<Secret>,
        with_token: bool,
        /// The endpoint was edited (`r`, `a`): a retry sends it as edited.
        edited: bool,
        /// A token the user pasted, sent as is instead of the profile's.
        given: Option<Secret>,
    },
    Verify {
        task: TaskId,
        profile: Box<Profile>,
        token: Secret,
    },
    Save {
        task: TaskId,
        stem: String,
        path: PathBuf,
        profile: Box<Profile>,
        stamp: Option<FileStamp>,
    },
    Delete {
        task: TaskId,
        stem: String,
        path: PathBuf,
        stamp: Option<FileStamp>,
    },
    /// Put text on the clipboard (OSC 52), or in a file when asked or too large.
    Copy {
        task: TaskId,
        label: String,
        text: Secret,
        to_file: bool,
    },
    Cancel(TaskId),
    /// Draft a profile from what the API at `url` and its issuer publish (`tokdbg init`).
    DraftFromUrl {
        task: TaskId,
        url: String,
    },
    /// Write a draft as a new profile file (0600, never over an existing one), then read it
    /// back (answered with `TaskResult::Saved`).
    WriteDraft {
        task: TaskId,
        stem: String,
        path: PathBuf,
        text: String,
    },
    /// Read the profile directory again (answered with `Msg::Reloaded`).
    Reload {
        task: TaskId,
        dir: PathBuf,
    },
    /// Hand the terminal to the user's editor on `path`, then reload. The event loop runs it
    /// (it needs the terminal).
    Edit {
        path: PathBuf,
    },
    Quit,
}
