//! Reading a secret from where a profile says it is: `env:`, `file:` (its first line, from a
//! regular file of bounded size), `cmd:` (bounded in time and output, see `secret_cmd`),
//! `prompt`, or a literal.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize};

use crate::core::model::bounded_read::{MAX_SECRET_FILE_BYTES, human_size, read_regular_file};
use crate::core::model::secret::Secret;
use crate::core::model::secret_cmd::{self, CmdFailure, TIMEOUT_ENV};

/// Where a secret comes from: `env:VAR`, `file:PATH`, `cmd:COMMAND`, `prompt`, or a literal.
#[derive(Clone, PartialEq, Eq)]
pub enum SecretSource {
    Env(String),
    File(PathBuf),
    Command(String),
    Prompt,
    Literal(Secret),
}

impl std::fmt::Debug for SecretSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl SecretSource {
    pub fn parse(text: &str) -> SecretSource {
        if let Some(var) = text.strip_prefix("env:") {
            SecretSource::Env(var.to_owned())
        } else if let Some(path) = text.strip_prefix("file:") {
            SecretSource::File(PathBuf::from(path))
        } else if let Some(command) = text.strip_prefix("cmd:") {
            SecretSource::Command(command.to_owned())
        } else if text == "prompt" {
            SecretSource::Prompt
        } else {
            SecretSource::Literal(Secret::new(text))
        }
    }

    /// How the source is written in a profile; a literal's value is never shown.
    pub fn describe(&self) -> String {
        match self {
            SecretSource::Env(var) => format!("env:{var}"),
            SecretSource::File(path) => format!("file:{}", path.display()),
            SecretSource::Command(command) => format!("cmd:{command}"),
            SecretSource::Prompt => "prompt".to_owned(),
            SecretSource::Literal(_) => "literal [redacted]".to_owned(),
        }
    }

    pub fn is_literal(&self) -> bool {
        matches!(self, SecretSource::Literal(_))
    }

    /// The text to write back into a profile file (the literal value only for literals).
    pub fn to_profile_text(&self) -> String {
        match self {
            SecretSource::Literal(secret) => secret.expose().to_owned(),
            other => other.describe(),
        }
    }
}

impl Serialize for SecretSource {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.describe())
    }
}

impl<'de> Deserialize<'de> for SecretSource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(SecretSource::parse(&text))
    }
}

/// Asks a person for a secret; the CLI reads the terminal, the TUI shows a masked field.
pub trait SecretPrompter: Send + Sync {
    /// `label` says which secret is wanted; `None` means the person declined.
    fn prompt(&self, label: &str) -> Option<Secret>;
}

/// A prompter for contexts with nobody to ask (tests, `--json` in CI).
pub struct NoPrompt;

impl SecretPrompter for NoPrompt {
    fn prompt(&self, _label: &str) -> Option<Secret> {
        None
    }
}

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum SecretError {
    #[error("environment variable {0} is not set (secret source env:{0})")]
    EnvMissing(String),
    #[error("cannot read secret file {path}: {reason}")]
    File { path: String, reason: String },
    /// The command ran and failed; `reason` is its exit status, never its stderr.
    #[error("secret command `{command}` failed: {reason}")]
    Command { command: String, reason: String },
    #[error(
        "secret command `{command}` did not finish within {} s and was stopped (allow longer with {TIMEOUT_ENV}=SECONDS; a command that asks on the terminal cannot work here)",
        .timeout.as_secs_f64()
    )]
    CommandTimeout { command: String, timeout: std::time::Duration },
    #[error("secret command `{command}` printed more than {limit} and was stopped: a secret is one line")]
    CommandOutput { command: String, limit: String },
    /// A setting that governs secret sources is unusable.
    #[error("{0}")]
    Config(String),
    #[error("no secret was entered at the prompt for {0}")]
    PromptDeclined(String),
    #[error("the secret from {0} is empty")]
    Empty(String),
}

/// A secret and what is worth telling about how it was read.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub secret: Secret,
    /// E.g. a `file:` source with more lines than the one used.
    pub warnings: Vec<String>,
}

/// What a source holds: one line (a client secret, a token) or a whole document (a PEM
/// key or certificate chain, a JWK), which a `file:` source then reads entire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SecretShape {
    #[default]
    Line,
    Document,
}

impl SecretSource {
    /// Reads the secret, blocking (a command may run for seconds): call it off the UI thread.
    pub fn resolve(&self, label: &str, prompter: &dyn SecretPrompter) -> Result<Secret, SecretError> {
        self.resolve_noting(label, prompter).map(|resolved| resolved.secret)
    }

    /// [`SecretSource::resolve`], with its warnings.
    pub fn resolve_noting(&self, label: &str, prompter: &dyn SecretPrompter) -> Result<Resolved, SecretError> {
        self.resolve_shaped(label, prompter, SecretShape::Line)
    }

    /// [`SecretSource::resolve_noting`] for a source holding `shape`.
    pub fn resolve_shaped(
        &self,
        label: &str,
        prompter: &dyn SecretPrompter,
        shape: SecretShape,
    ) -> Result<Resolved, SecretError> {
        match self {
            SecretSource::File(path) => finish(self, read_file_as(path, shape)?),
            SecretSource::Command(command) => {
                let timeout = secret_cmd::configured_timeout().map_err(SecretError::Config)?;
                let output = secret_cmd::run_blocking(command, timeout, secret_cmd::MAX_OUTPUT);
                finish(self, (command_output(command, output)?, Vec::new()))
            }
            _ => self.resolve_at_hand(label, prompter),
        }
    }

    /// For async callers (the TUI): a `cmd:` is killed, its whole process group, when the
    /// returned future is dropped (the task was cancelled).
    pub async fn resolve_async(&self, label: &str, prompter: &dyn SecretPrompter) -> Result<Resolved, SecretError> {
        self.resolve_async_shaped(label, prompter, SecretShape::Line).await
    }

    /// [`SecretSource::resolve_async`] for a source holding `shape`.
    pub async fn resolve_async_shaped(
        &self,
        label: &str,
        prompter: &dyn SecretPrompter,
        shape: SecretShape,
    ) -> Result<Resolved, SecretError> {
        match self {
            SecretSource::File(path) => {
                let path = path.clone();
                let read = tokio::task::spawn_blocking(move || read_file_as(&path, shape))
                    .await
                    .map_err(|e| SecretError::File { path: self.describe(), reason: e.to_string() })??;
                finish(self, read)
            }
            SecretSource::Command(command) => {
                let timeout = secret_cmd::configured_timeout().map_err(SecretError::Config)?;
                let output = secret_cmd::run(command, timeout, secret_cmd::MAX_OUTPUT).await;
                finish(self, (command_output(command, output)?, Vec::new()))
            }
            _ => self.resolve_at_hand(label, prompter),
        }
    }

    /// The sources that need no file or process.
    fn resolve_at_hand(&self, label: &str, prompter: &dyn SecretPrompter) -> Result<Resolved, SecretError> {
        let secret = match self {
            SecretSource::Env(var) => std::env::var(var).map_err(|_| SecretError::EnvMissing(var.clone()))?,
            SecretSource::Prompt => {
                let secret = prompter.prompt(label).ok_or_else(|| SecretError::PromptDeclined(label.to_owned()))?;
                return Ok(Resolved { secret, warnings: Vec::new() });
            }
            SecretSource::Literal(secret) => return Ok(Resolved { secret: secret.clone(), warnings: Vec::new() }),
            SecretSource::File(_) | SecretSource::Command(_) => String::new(),
        };
        finish(self, (secret, Vec::new()))
    }
}

fn finish(source: &SecretSource, (value, warnings): (String, Vec<String>)) -> Result<Resolved, SecretError> {
    if value.is_empty() {
        return Err(SecretError::Empty(source.describe()));
    }
    Ok(Resolved { secret: Secret::new(value), warnings })
}

/// A secret file's content as `shape` says: its first line, or the whole document (trailing
/// white space trimmed).
fn read_file_as(path: &Path, shape: SecretShape) -> Result<(String, Vec<String>), SecretError> {
    match shape {
        SecretShape::Line => read_first_line(path),
        SecretShape::Document => read_document(path),
    }
}

/// A whole secret file: a PEM key or certificate chain, or a JWK.
fn read_document(path: &Path) -> Result<(String, Vec<String>), SecretError> {
    let expanded = expand_home(path);
    let fail = |reason: String| SecretError::File { path: expanded.display().to_string(), reason };
    let bytes = read_regular_file(&expanded, MAX_SECRET_FILE_BYTES)
        .map_err(|e| fail(e.to_string()))?
        .ok_or_else(|| fail("no such file".to_owned()))?;
    let text = String::from_utf8(bytes).map_err(|_| fail("not UTF-8 text (a PEM file or a JWK is text)".to_owned()))?;
    Ok((text.trim_end().to_owned(), Vec::new()))
}

/// The first line of a secret file (without its `\r\n`), and a warning when more follow.
fn read_first_line(path: &Path) -> Result<(String, Vec<String>), SecretError> {
    let expanded = expand_home(path);
    let fail = |reason: String| SecretError::File { path: expanded.display().to_string(), reason };
    let bytes = read_regular_file(&expanded, MAX_SECRET_FILE_BYTES)
        .map_err(|e| fail(e.to_string()))?
        .ok_or_else(|| fail("no such file".to_owned()))?;
    let text = String::from_utf8(bytes).map_err(|_| fail("not UTF-8 text".to_owned()))?;
    let mut lines = text.split('\n');
    let first = lines.next().unwrap_or_default().trim_end_matches('\r').to_owned();
    let more = lines.filter(|line| !line.trim().is_empty()).count();
    let warnings = if more > 0 {
        vec![format!(
            "secret file {} has {more} more non-empty line(s) after the first: only the first line is used (max {})",
            expanded.display(),
            human_size(MAX_SECRET_FILE_BYTES)
        )]
    } else {
        Vec::new()
    };
    Ok((first, warnings))
}

/// A secret command's stdout without its trailing newline, or why there is none.
fn command_output(command: &str, output: Result<Vec<u8>, CmdFailure>) -> Result<String, SecretError> {
    let fail = |reason: String| SecretError::Command { command: command.to_owned(), reason };
    let stdout = match output {
        Ok(stdout) => stdout,
        Err(CmdFailure::Timeout(timeout)) => {
            return Err(SecretError::CommandTimeout { command: command.to_owned(), timeout });
        }
        Err(CmdFailure::TooMuchOutput(cap)) => {
            return Err(SecretError::CommandOutput { command: command.to_owned(), limit: human_size(cap as u64) });
        }
        Err(CmdFailure::Status(status)) => return Err(fail(status)),
        Err(CmdFailure::Spawn(reason)) => return Err(fail(format!("cannot start it: {reason}"))),
        Err(CmdFailure::Io(reason)) => return Err(fail(format!("cannot read its output: {reason}"))),
    };
    let stdout = String::from_utf8(stdout).map_err(|_| fail("its output is not UTF-8".to_owned()))?;
    Ok(stdout.trim_end_matches(['\n', '\r']).to_owned())
}

/// `~/…` under the user's home directory; any other path as written.
pub(crate) fn expand_home(path: &Path) -> PathBuf {
    if let Ok(rest) = path.strip_prefix("~")
        && let Some(home) = directories::BaseDirs::new()
    {
        return home.home_dir().join(rest);
    }
    path.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::NoPrompt;
    use super::*;

    fn file_source(text: &[u8]) -> (tempfile::TempDir, SecretSource) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sk");
        std::fs::write(&path, text).unwrap();
        (dir, SecretSource::File(path))
    }

    #[test]
    fn a_file_gives_its_first_line_and_warns_of_more() {
        let (_dir, source) = file_source(b"first\r\nsecond\n\n");
        let resolved = source.resolve_noting("sk", &NoPrompt).unwrap();
        assert_eq!(resolved.secret.expose(), "first");
        assert_eq!(resolved.warnings.len(), 1);
        assert!(resolved.warnings[0].contains("1 more non-empty line"), "{:?}", resolved.warnings);
        assert!(!resolved.warnings[0].contains("second"), "a warning must not show the file's lines");
    }

    #[test]
    fn a_one_line_file_has_no_warning() {
        let (_dir, source) = file_source(b"only\n\n  \n");
        let resolved = source.resolve_noting("sk", &NoPrompt).unwrap();
        assert_eq!(resolved.secret.expose(), "only");
        assert!(resolved.warnings.is_empty(), "{:?}", resolved.warnings);
    }

    #[test]
    fn a_file_over_the_cap_is_refused() {
        let (_dir, source) = file_source(&vec![b'a'; MAX_SECRET_FILE_BYTES as usize + 1]);
        let error = source.resolve("sk", &NoPrompt).unwrap_err();
        assert!(error.to_string().contains("larger than 64 KiB"), "{error}");
    }

    #[test]
    fn an_empty_first_line_is_empty() {
        let (_dir, source) = file_source(b"\nsecret-on-line-two\n");
        assert!(matches!(source.resolve("sk", &NoPrompt), Err(SecretError::Empty(_))));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fifo");
        let status = std::process::Command::new("mkfifo").arg(&path).status().unwrap();
        assert!(status.success());
        let error = SecretSource::File(path).resolve("sk", &NoPrompt).unwrap_err();
        assert!(error.to_string().contains("a FIFO"), "{error}");
    }

    #[test]
    fn a_failing_command_names_its_status_not_its_stderr() {
        // The secret it prints on stderr is not in the command's own text.
        let source = SecretSource::Command("printf 'sk-%s\\n' from-stderr >&2; exit 7".to_owned());
        let error = source.resolve("sk", &NoPrompt).unwrap_err().to_string();
        assert!(error.contains("exit status 7") && error.contains("exit 7`"), "{error}");
        assert!(!error.contains("sk-from-stderr"), "{error}");
    }

    #[test]
    fn a_command_printing_forever_is_stopped_at_the_cap() {
        let error = SecretSource::Command("yes".to_owned()).resolve("sk", &NoPrompt).unwrap_err();
        assert_eq!(error, SecretError::CommandOutput { command: "yes".to_owned(), limit: "64 KiB".to_owned() });
    }

    #[tokio::test]
    async fn async_resolution_reads_files_and_commands() {
        let (_dir, source) = file_source(b"from-file\nmore\n");
        let resolved = source.resolve_async("sk", &NoPrompt).await.unwrap();
        assert_eq!((resolved.secret.expose(), resolved.warnings.len()), ("from-file", 1));
        let resolved = SecretSource::Command("echo from-cmd".to_owned()).resolve_async("sk", &NoPrompt).await.unwrap();
        assert_eq!(resolved.secret.expose(), "from-cmd");
    }
}
