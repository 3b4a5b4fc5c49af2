//! The `n` flow's state: the choice (blank form, API URL, curl command), the URL or command
//! being given, and the draft under review with the name it will be written as.

use tui_input::Input;

use crate::core::draft::Draft;
use crate::core::draft::curl_import::{self, ImportError};
use crate::core::engine::trace::redact_url;
use crate::core::model::secret::Secret;

use super::super::msg::TaskId;

/// Which keys the flow listens to now (the keymap's rows for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKeys {
    Choose,
    Url,
    Curl,
    Review,
    SaveAs,
}

/// Where the flow is.
#[derive(Debug, Clone)]
pub enum NewStep {
    /// Blank form, from a URL, or from curl?
    Choose,
    Url(UrlStep),
    Curl(CurlStep),
    Review(Box<Review>),
}

#[derive(Debug, Clone, Default)]
pub struct UrlStep {
    pub input: Input,
    /// The lookup running (Esc cancels it).
    pub pending: Option<TaskId>,
    pub error: Option<String>,
}

/// A pasted curl command. It may hold a client secret or a token: it is a [`Secret`] (never in
/// `Debug`), never drawn, and dropped as soon as it is read into a draft.
#[derive(Debug, Clone, Default)]
pub struct CurlStep {
    command: Secret,
    /// What the command reads as so far (method and redacted URL), or why it does not read.
    pub reading: Option<Result<String, String>>,
    /// Why the last Enter made no draft.
    pub error: Option<String>,
}

/// A draft to look over before it is written or finished in the form.
#[derive(Debug, Clone)]
pub struct Review {
    pub draft: Draft,
    /// Where the draft came from, for the title.
    pub origin: String,
    pub scroll: u16,
    /// The name being asked for (`s`).
    pub saving: Option<SaveAs>,
}

#[derive(Debug, Clone, Default)]
pub struct SaveAs {
    pub input: Input,
    pub error: Option<String>,
    /// The write running.
    pub pending: Option<TaskId>,
}

#[derive(Debug, Clone)]
pub struct NewProfile {
    pub step: NewStep,
}

impl NewProfile {
    pub fn choose() -> Self {
        NewProfile { step: NewStep::Choose }
    }

    pub fn keys(&self) -> NewKeys {
        match &self.step {
            NewStep::Choose => NewKeys::Choose,
            NewStep::Url(_) => NewKeys::Url,
            NewStep::Curl(_) => NewKeys::Curl,
            NewStep::Review(review) if review.saving.is_some() => NewKeys::SaveAs,
            NewStep::Review(_) => NewKeys::Review,
        }
    }
}

impl CurlStep {
    /// How many lines and characters were pasted (all that is shown of the command itself).
    pub fn size(&self) -> (usize, usize) {
        let text = self.command.expose();
        (text.lines().count(), text.chars().count())
    }

    pub fn is_empty(&self) -> bool {
        self.command.expose().trim().is_empty()
    }

    /// Appends typed or pasted text. Terminals paste line ends as CR (tmux, most emulators):
    /// they become newlines, so a `\`-continued command reads as the shell would read it.
    pub fn push_str(&mut self, text: &str) {
        let mut command = self.command.expose().to_owned();
        command.push_str(&text.replace("\r\n", "\n").replace('\r', "\n"));
        self.set(command);
    }

    pub fn pop(&mut self) {
        let mut command = self.command.expose().to_owned();
        command.pop();
        self.set(command);
    }

    pub fn clear(&mut self) {
        self.set(String::new());
    }

    fn set(&mut self, command: String) {
        self.command = Secret::new(command);
        self.error = None;
        self.reading = (!self.is_empty()).then(|| match curl_import::parse_command(self.command.expose()) {
            Ok(request) => Ok(format!("{} {}", request.method, redact_url(&request.url))),
            Err(error) => Err(import_error_text(&error)),
        });
    }

    /// Takes the command out (leaving nothing behind), for reading into a draft.
    pub fn take(&mut self) -> Secret {
        self.reading = None;
        std::mem::take(&mut self.command)
    }
}

/// Why a command does not read, without echoing what was pasted (it may be a bare secret).
pub fn import_error_text(error: &ImportError) -> String {
    match error {
        ImportError::NotCurl(_) => "not a curl command: it must start with curl".to_owned(),
        ImportError::TwoUrls(..) => "the command has two URLs: import one request at a time".to_owned(),
        ImportError::BadUrl(_) => "the command's URL is not an http(s) URL".to_owned(),
        other => other.to_string(),
    }
}

/// The draft's TOML with its `name` set to `stem` when written under another name than the
/// one it was drafted with, so the list shows the name chosen.
pub fn renamed(draft: &Draft, stem: &str) -> String {
    let drafted = format!("name = \"{}\"", draft.name);
    if stem == draft.name || draft.name.contains(['"', '\\']) {
        return draft.profile_toml.clone();
    }
    let mut done = false;
    let lines: Vec<String> = draft
        .profile_toml
        .lines()
        .map(|line| {
            if !done && line == drafted {
                done = true;
                format!("name = \"{stem}\"")
            } else {
                line.to_owned()
            }
        })
        .collect();
    let mut text = lines.join("\n");
    if draft.profile_toml.ends_with('\n') {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(toml: &str) -> Draft {
        Draft { name: "api-example-com".into(), profile_toml: toml.into(), sources: Vec::new(), notes: Vec::new() }
    }

    #[test]
    fn a_draft_written_under_another_name_carries_it() {
        let toml = "# from the host\nname = \"api-example-com\"\n\n[issuer]\nurl = \"https://x\"\n";
        let renamed = renamed(&draft(toml), "orders");
        assert_eq!(renamed, "# from the host\nname = \"orders\"\n\n[issuer]\nurl = \"https://x\"\n");
        assert_eq!(super::renamed(&draft(toml), "api-example-com"), toml);
    }

    #[test]
    fn the_command_is_never_in_debug_output_and_is_gone_once_taken() {
        let mut step = CurlStep::default();
        step.push_str("curl -u app:hunter2-secret -d grant_type=client_credentials https://as.example/token");
        assert!(!format!("{step:?}").contains("hunter2"));
        assert_eq!(step.reading, Some(Ok("POST https://as.example/token".to_owned())));
        let taken = step.take();
        assert!(taken.expose().contains("hunter2"));
        assert!(step.is_empty() && step.size() == (0, 0));
    }

    #[test]
    fn pasted_carriage_returns_are_line_ends() {
        let mut step = CurlStep::default();
        step.push_str("curl -u app:s3cret \\\r  -d grant_type=client_credentials \\\r\n  https://as.example/token");
        assert_eq!(step.reading, Some(Ok("POST https://as.example/token".to_owned())));
        assert_eq!(step.size().0, 3);
    }

    #[test]
    fn a_paste_that_is_not_curl_is_not_echoed() {
        let mut step = CurlStep::default();
        step.push_str("eyJhbGciOiJSUzI1NiJ9.secret-looking.part");
        let reading = step.reading.clone().unwrap().unwrap_err();
        assert!(!reading.contains("eyJ"), "{reading}");
    }
}
