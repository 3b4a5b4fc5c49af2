//! `App`: the whole state of the TUI, a plain value that `update` changes and views read.

use std::collections::HashMap;
use std::sync::Arc;

use crate::core::engine::CallReport;
use crate::core::model::secret::Secret;

use super::super::msg::TaskId;
use super::form::FormState;
use super::new_profile::NewProfile;
use super::paste::PasteState;
use super::profiles::ProfileList;
use super::request::RequestEditor;
use super::session::Session;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Profiles,
    Detail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Profile,
    Token,
    Verify,
    Endpoints,
    Diagnosis,
    History,
    /// The call's requests hop by hop, one selected with its request and response.
    Trace,
}

impl Tab {
    pub const ALL: [Tab; 7] =
        [Tab::Profile, Tab::Token, Tab::Verify, Tab::Endpoints, Tab::Diagnosis, Tab::History, Tab::Trace];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Profile => "Profile",
            Tab::Token => "Token",
            Tab::Verify => "Verify",
            Tab::Endpoints => "Endpoints",
            Tab::Diagnosis => "Diagnosis",
            Tab::History => "History",
            Tab::Trace => "Trace",
        }
    }

    /// A short title for narrow terminals.
    pub fn short_title(self) -> &'static str {
        match self {
            Tab::Profile => "Prof",
            Tab::Token => "Tok",
            Tab::Verify => "Ver",
            Tab::Endpoints => "Endp",
            Tab::Diagnosis => "Diag",
            Tab::History => "Hist",
            Tab::Trace => "Trc",
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn shifted(self, delta: isize) -> Tab {
        let n = Tab::ALL.len() as isize;
        Tab::ALL[((self.index() as isize + delta).rem_euclid(n)) as usize]
    }
}

/// Overlays and input modes; `Normal` is the browsing state.
#[derive(Debug, Clone)]
pub enum Mode {
    Normal,
    Help,
    Filter,
    Paste(Box<PasteState>),
    Form(Box<FormState>),
    /// Delete confirmation for a profile stem.
    ConfirmDelete(String),
    /// Asking for a `prompt` secret; the pending action resumes after.
    Prompt(Box<PromptState>),
    CopyMenu,
    /// Editing a request (from an endpoint, or an ad-hoc URL) before sending it.
    Request(Box<RequestEditor>),
    /// `n`: the blank form, or a draft from an API URL or a curl command, reviewed first.
    NewProfile(Box<NewProfile>),
}

#[derive(Clone)]
pub struct PromptState {
    pub stem: String,
    pub label: String,
    pub input: tui_input::Input,
    pub then: AfterPrompt,
}

/// The typed secret never reaches `Debug` output.
impl std::fmt::Debug for PromptState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PromptState")
            .field("stem", &self.stem)
            .field("label", &self.label)
            .field("input", &format_args!("[redacted, {} chars]", self.input.value().chars().count()))
            .field("then", &self.then)
            .finish()
    }
}

/// What to do once the prompted secret is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterPrompt {
    FetchToken,
    Send {
        with_token: bool,
    },
    /// Resume sending an edited request (kept in `App::pending_request`).
    SendEdited,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone)]
pub struct Status {
    pub text: String,
    pub kind: StatusKind,
}

/// A running task, so Esc can cancel it and the spinner can name it.
#[derive(Debug, Clone)]
pub struct RunningTask {
    pub label: String,
    pub stem: Option<String>,
}

/// Scroll offsets of the detail tabs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scroll {
    pub detail: u16,
    pub history: usize,
    pub help: u16,
}

#[derive(Debug, Clone)]
pub struct App {
    pub profiles: ProfileList,
    pub sessions: HashMap<String, Session>,
    pub focus: Focus,
    pub tab: Tab,
    pub mode: Mode,
    pub status: Option<Status>,
    pub history: Vec<Arc<CallReport>>,
    pub running: HashMap<TaskId, RunningTask>,
    pub next_task: TaskId,
    /// Secrets typed at a prompt, by profile stem: asked once per run.
    pub prompted: HashMap<String, Secret>,
    pub scroll: Scroll,
    pub spinner: usize,
    /// Unix seconds; advanced by ticks so views stay pure.
    pub now: i64,
    pub color: bool,
    /// A line about where the profiles come from (e.g. the demo server's address).
    pub banner: Option<String>,
    pub size: (u16, u16),
    pub quit: bool,
    /// An edited request waiting for a prompted secret.
    pub pending_request: Option<crate::core::model::profile::Endpoint>,
}

impl App {
    pub fn new(profiles: ProfileList, now: i64, color: bool) -> Self {
        App {
            profiles,
            sessions: HashMap::new(),
            focus: Focus::Profiles,
            tab: Tab::Profile,
            mode: Mode::Normal,
            status: None,
            history: Vec::new(),
            running: HashMap::new(),
            next_task: 1,
            prompted: HashMap::new(),
            scroll: Scroll::default(),
            spinner: 0,
            now,
            color,
            banner: None,
            size: (80, 24),
            quit: false,
            pending_request: None,
        }
    }

    pub fn new_task(&mut self, label: impl Into<String>, stem: Option<&str>) -> TaskId {
        let id = self.next_task;
        self.next_task += 1;
        self.running.insert(id, RunningTask { label: label.into(), stem: stem.map(str::to_owned) });
        id
    }

    pub fn selected_stem(&self) -> Option<String> {
        self.profiles.selected().map(|p| p.stem.clone())
    }

    pub fn session(&self, stem: &str) -> Option<&Session> {
        self.sessions.get(stem)
    }

    pub fn session_mut(&mut self, stem: &str) -> &mut Session {
        self.sessions.entry(stem.to_owned()).or_default()
    }

    pub fn selected_session(&self) -> Option<&Session> {
        self.profiles.selected().and_then(|p| self.sessions.get(&p.stem))
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status { text: text.into(), kind: StatusKind::Info });
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.status = Some(Status { text: text.into(), kind: StatusKind::Warning });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status { text: text.into(), kind: StatusKind::Error });
    }

    /// Moves the list's selection by `delta`; landing on another profile starts its detail
    /// pane at the top and clears the status line, which spoke of the profile left.
    pub fn move_selection(&mut self, delta: isize) {
        let before = self.selected_stem();
        self.profiles.move_by(delta);
        if self.selected_stem() != before {
            self.scroll.detail = 0;
            self.status = None;
        }
    }

    /// Something animates (a spinner) or counts down: the loop must tick.
    pub fn needs_tick(&self) -> bool {
        !self.running.is_empty()
            || self.selected_session().and_then(|s| s.token.as_ref()).is_some_and(|t| t.token.expires_at.is_some())
    }
}
