//! Runs commands on tokio tasks, each with a cancel token, and reports back as messages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures_util::FutureExt as _;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use crate::core::draft::init_draft::{self, InitOptions};
use crate::core::engine::{CallSpec, Engine, TokenChoice, TokenSource};
use crate::core::model::credentials::CredentialField;
use crate::core::model::profile::{Profile, SecretPrompter, SecretSource};
use crate::core::model::secret::Secret;
use crate::core::model::secret_source::{SecretError, SecretShape};
use crate::core::secret_choice::{self, SecretsNeeded, TokenWanted};
use crate::core::store::fsutil;
use crate::core::store::profile_store::{DirOrigin, ProfileStore};
use crate::core::{store::profile_edit, store::profile_store};

use super::msg::{Cmd, Msg, Retry, TaskId, TaskResult};

/// Where copied text goes: the terminal's clipboard (OSC 52) in real use, a list in tests.
pub trait Clipboard: Send {
    /// Copies `text`; returns what to tell the user (e.g. where a file was written).
    fn copy(&mut self, label: &str, text: &Secret, to_file: bool) -> Result<String, String>;
}

pub struct Runner {
    engine: Arc<Engine>,
    tx: UnboundedSender<Msg>,
    cancels: HashMap<TaskId, CancellationToken>,
    clipboard: Box<dyn Clipboard>,
}

/// Answers a `prompt` source with what was typed at the TUI's prompt (nothing typed: declined).
struct Typed(Option<Secret>);

impl SecretPrompter for Typed {
    fn prompt(&self, _label: &str) -> Option<Secret> {
        self.0.clone()
    }
}

/// Why a secret could not be read: an unset `env:` variable can be typed instead.
enum ReadError {
    EnvMissing(String),
    Other(String),
}

impl From<String> for ReadError {
    fn from(text: String) -> Self {
        ReadError::Other(text)
    }
}

/// Reads a secret without blocking the loop. A `cmd:` source runs as a child process that dies
/// with this future: cancelling the task kills it. A secret typed at the TUI's prompt answers a
/// `prompt` source, and an `env:` source whose variable is unset.
async fn read(
    source: SecretSource,
    label: String,
    prompted: Option<Secret>,
    shape: SecretShape,
) -> Result<Secret, ReadError> {
    // Warnings (a `file:` with extra lines) are shown with the profile, not per task.
    match source.resolve_async_shaped(&label, &Typed(prompted.clone()), shape).await {
        Ok(resolved) => Ok(resolved.secret),
        Err(SecretError::EnvMissing(var)) => match prompted {
            Some(typed) => Ok(typed),
            None => Err(ReadError::EnvMissing(SecretError::EnvMissing(var).to_string())),
        },
        Err(error) => Err(ReadError::Other(error.to_string())),
    }
}

/// The task's outcome when a secret could not be read.
fn unread(stem: &str, error: ReadError, retry: Retry) -> Result<TaskResult, String> {
    match error {
        ReadError::EnvMissing(error) => Ok(TaskResult::SecretMissing { stem: stem.to_owned(), error, retry }),
        ReadError::Other(error) => Err(error),
    }
}

/// What `secret_choice` decided, read: the token choice and the HMAC secret.
async fn read_needed(
    stem: &str,
    needs: SecretsNeeded,
    prompted: Option<Secret>,
) -> Result<(TokenChoice, Option<Secret>), ReadError> {
    // Only the client secret is ever typed at the prompt (a key or a certificate is a file).
    let choice = needs
        .token
        .into_choice(|field, source| {
            let typed = (field == CredentialField::Secret).then(|| prompted.clone()).flatten();
            read(source, format!("{} of {stem}", field.label()), typed, field.shape())
        })
        .await?;
    let hmac = match needs.hmac_secret {
        Some(source) => {
            Some(read(source, format!("expect.hmac_secret of {stem}"), None, SecretShape::Line).await.map_err(|e| {
                match e {
                    ReadError::EnvMissing(text) | ReadError::Other(text) => ReadError::Other(text),
                }
            })?)
        }
        None => None,
    };
    Ok((choice, hmac))
}

/// The profile directory as `Msg::Reloaded` carries it.
fn read_dir(dir: &Path) -> Result<Box<ProfileStore>, String> {
    profile_store::load_dir(dir, DirOrigin::Flag)
        .map(Box::new)
        .map_err(|error| format!("cannot read the profiles again from {}: {error}", dir.display()))
}

/// How often the profile directory is looked at for edits made outside the TUI.
pub const WATCH_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// The `*.toml` files of a directory by name, with size and modification time: cheap to take
/// every [`WATCH_EVERY`], and different whenever an editor saves, adds or removes a profile.
fn dir_fingerprint(dir: &Path) -> Vec<(std::ffi::OsString, u64, Option<std::time::SystemTime>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "toml"))
        .map(|entry| {
            let meta = entry.metadata().ok();
            (entry.file_name(), meta.as_ref().map_or(0, |m| m.len()), meta.and_then(|m| m.modified().ok()))
        })
        .collect();
    files.sort();
    files
}

/// Watches `dir` for as long as the returned task runs (abort it to stop): when its profile
/// files change, the directory is read again and sent as `Msg::Reloaded`.
pub fn watch_profiles(dir: PathBuf, tx: UnboundedSender<Msg>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let look = |dir: PathBuf| async move { tokio::task::spawn_blocking(move || dir_fingerprint(&dir)).await.ok() };
        let mut last = look(dir.clone()).await;
        loop {
            tokio::time::sleep(WATCH_EVERY).await;
            let now = look(dir.clone()).await;
            if now.is_some() && now != last {
                last = now;
                let read = dir.clone();
                let store = tokio::task::spawn_blocking(move || read_dir(&read)).await;
                let Ok(store) = store else { continue };
                if tx.send(Msg::Reloaded { store, asked: false }).is_err() {
                    return;
                }
            }
        }
    })
}

/// A token the engine has cached for the profile and still deems fresh.
fn fresh_cached(engine: &Engine, stem: &str, profile: &Profile) -> Option<Secret> {
    engine.cached_token(stem, profile).map(|cached| cached.token)
}

impl Runner {
    pub fn new(engine: Arc<Engine>, tx: UnboundedSender<Msg>, clipboard: Box<dyn Clipboard>) -> Self {
        Runner { engine, tx, cancels: HashMap::new(), clipboard }
    }

    /// Where results go, for tasks started outside a command (the profile watcher).
    pub fn sender(&self) -> UnboundedSender<Msg> {
        self.tx.clone()
    }

    /// The task reported back: its cancel token is no longer needed.
    pub fn finished(&mut self, task: TaskId) {
        self.cancels.remove(&task);
    }

    /// Starts a command; returns true when the app should quit.
    pub fn run(&mut self, cmd: Cmd) -> bool {
        match cmd {
            Cmd::Quit => return true,
            // The event loop runs the editor itself; it never reaches the runner.
            Cmd::Edit { .. } => {}
            Cmd::Reload { task, dir } => self.spawn(task, async move {
                let store = tokio::task::spawn_blocking(move || read_dir(&dir))
                    .await
                    .map_err(|e| format!("reading the profiles failed: {e}"))??;
                Ok(TaskResult::Reloaded(store))
            }),
            Cmd::Cancel(task) => {
                if let Some(token) = self.cancels.remove(&task) {
                    token.cancel();
                }
            }
            Cmd::Copy { task, label, text, to_file } => {
                let result = match self.clipboard.copy(&label, &text, to_file) {
                    Ok(message) => TaskResult::Copied(message),
                    Err(error) => TaskResult::Failed(error),
                };
                let _ = self.tx.send(Msg::Done(task, result));
            }
            Cmd::FetchToken { task, stem, profile, prompted } => {
                let engine = self.engine.clone();
                self.spawn(task, async move {
                    let wanted = TokenWanted::Fetch { force: true };
                    let needs = secret_choice::secrets_needed(&profile, wanted, fresh_cached(&engine, &stem, &profile))
                        .map_err(|e| format!("{stem}: {e}"))?;
                    let (choice, hmac) = match read_needed(&stem, needs, prompted).await {
                        Ok(read) => read,
                        Err(error) => return unread(&stem, error, Retry::FetchToken),
                    };
                    let TokenChoice::Fetch { credentials, force } = choice else {
                        return Err(format!("{stem}: a forced fetch always requests a token"));
                    };
                    Ok(TaskResult::Token(Box::new(engine.fetch_token(&stem, &profile, credentials, force, hmac).await)))
                });
            }
            Cmd::Call { task, stem, profile, endpoint, prompted, with_token, edited, given } => {
                let engine = self.engine.clone();
                self.spawn(task, async move {
                    let wanted = match (given, with_token) {
                        (Some(token), _) => TokenWanted::Given(token),
                        (None, true) => TokenWanted::Fetch { force: false },
                        (None, false) => TokenWanted::None,
                    };
                    let needs = secret_choice::secrets_needed(&profile, wanted, fresh_cached(&engine, &stem, &profile))
                        .map_err(|e| format!("{stem}: {e}"))?;
                    // A given or cached opaque token is introspected with the client's credentials
                    // (skipped if one cannot be read: the call is still made).
                    let introspection = needs
                        .read_introspection(|field, source| {
                            let typed = (field == CredentialField::Secret).then(|| prompted.clone()).flatten();
                            read(source, format!("{} of {stem}", field.label()), typed, field.shape())
                        })
                        .await;
                    let (token, hmac) = match read_needed(&stem, needs, prompted).await {
                        Ok(read) => read,
                        Err(error) => {
                            let retry = if edited { Retry::SendEdited(endpoint) } else { Retry::Send { with_token } };
                            return unread(&stem, error, retry);
                        }
                    };
                    let spec = CallSpec { profile_key: stem, profile: *profile, endpoint, token };
                    Ok(TaskResult::Call(Arc::new(engine.call_introspecting(spec, hmac, introspection).await)))
                });
            }
            Cmd::Introspect { task, stem, profile, token, prompted } => {
                let engine = self.engine.clone();
                self.spawn(task, async move {
                    let needs = secret_choice::secrets_needed(&profile, TokenWanted::Fetch { force: true }, None)
                        .map_err(|e| format!("{stem}: {e}"))?;
                    let (choice, _) = match read_needed(&stem, needs, prompted).await {
                        Ok(read) => read,
                        Err(error) => return unread(&stem, error, Retry::FetchToken),
                    };
                    let TokenChoice::Fetch { credentials, .. } = choice else {
                        return Err(format!("{stem}: the client's credentials were not read"));
                    };
                    let run = engine.introspect(&stem, &profile, Some(token), credentials).await;
                    Ok(TaskResult::Introspected(Box::new(run)))
                });
            }
            Cmd::Verify { task, profile, token } => {
                let engine = self.engine.clone();
                self.spawn(task, async move {
                    let hmac = match profile.expect.hmac_secret.clone() {
                        Some(source) => {
                            Some(read(source, "expect.hmac_secret".to_owned(), None, SecretShape::Line).await.map_err(
                                |e| match e {
                                    ReadError::EnvMissing(text) | ReadError::Other(text) => text,
                                },
                            )?)
                        }
                        None => None,
                    };
                    Ok(TaskResult::Verify(Box::new(
                        engine.inspect(&profile, token.expose(), TokenSource::Given, hmac).await,
                    )))
                });
            }
            Cmd::Save { task, stem, path, profile, stamp } => {
                self.spawn(task, async move {
                    let target = path.clone();
                    // Read back what was written, so the list shows the file as it now is.
                    let saved = tokio::task::spawn_blocking(move || {
                        profile_edit::save_profile(&target, &profile, stamp.as_ref())
                            .map(|stamp| (stamp, profile_store::load_file(&target)))
                    })
                    .await
                    .map_err(|e| format!("saving failed: {e}"))?;
                    match saved {
                        Ok((stamp, entry)) => Ok(TaskResult::Saved {
                            stem,
                            path,
                            loaded: Box::new(entry.loaded.map_err(|e| e.to_string())),
                            stamp: entry.stamp.or(Some(stamp)),
                        }),
                        Err(error) => Err(error.to_string()),
                    }
                });
            }
            Cmd::DraftFromUrl { task, url } => {
                let engine = self.engine.clone();
                self.spawn(task, async move {
                    let url = profile_store::check_http_url(&url).map_err(|e| format!("{url}: {e}"))?;
                    // The TUI has no --cacert or --insecure: the lookups go with the engine's
                    // defaults (system roots, its timeouts), as `init URL` without flags does.
                    let tls = engine.tls_needs(&Profile::default(), None);
                    let facts = engine.init_facts(&url, &tls).await;
                    Ok(TaskResult::Drafted(Box::new(init_draft::draft(&facts, &InitOptions::default()))))
                });
            }
            Cmd::WriteDraft { task, stem, path, text } => {
                self.spawn(task, async move {
                    let target = path.clone();
                    let written = tokio::task::spawn_blocking(move || {
                        fsutil::write_private_new(&target, text.as_bytes()).map(|()| profile_store::load_file(&target))
                    })
                    .await
                    .map_err(|e| format!("writing failed: {e}"))?;
                    match written {
                        Ok(entry) => Ok(TaskResult::Saved {
                            stem,
                            path,
                            loaded: Box::new(entry.loaded.map_err(|e| e.to_string())),
                            stamp: entry.stamp,
                        }),
                        Err(error) if error.kind == std::io::ErrorKind::AlreadyExists => {
                            Err(format!("{} exists already: not overwritten, choose another name", path.display()))
                        }
                        Err(error) => Err(error.to_string()),
                    }
                });
            }
            Cmd::Delete { task, stem, path, stamp } => {
                self.spawn(task, async move {
                    let deleted =
                        tokio::task::spawn_blocking(move || profile_edit::delete_profile(&path, stamp.as_ref()))
                            .await
                            .map_err(|e| format!("deleting failed: {e}"))?;
                    deleted.map(|()| TaskResult::Deleted { stem }).map_err(|e| e.to_string())
                });
            }
        }
        false
    }

    fn spawn<F>(&mut self, task: TaskId, work: F)
    where
        F: std::future::Future<Output = Result<TaskResult, String>> + Send + 'static,
    {
        let cancel = CancellationToken::new();
        self.cancels.insert(task, cancel.clone());
        let tx = self.tx.clone();
        tokio::spawn(async move {
            // A panic in the work is this task's failure, reported like any other, so its
            // spinner ends; the app goes on (see `panic_hook`: the terminal is left alone).
            let work = std::panic::AssertUnwindSafe(work).catch_unwind();
            let result = tokio::select! {
                _ = cancel.cancelled() => TaskResult::Cancelled,
                outcome = work => match outcome {
                    Ok(outcome) => outcome.unwrap_or_else(TaskResult::Failed),
                    Err(payload) => TaskResult::Failed(panic_message(payload.as_ref())),
                },
            };
            // The app may have quit; nobody to tell then.
            let _ = tx.send(Msg::Done(task, result));
        });
    }
}

/// What a caught panic says, as a task failure.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("no message");
    format!("internal error: the task panicked ({text}); please report it")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::core::net::http::HttpConfig;

    struct NoClipboard;

    impl Clipboard for NoClipboard {
        fn copy(&mut self, _label: &str, _text: &Secret, _to_file: bool) -> Result<String, String> {
            Err("no clipboard in this test".to_owned())
        }
    }

    fn explode() -> Result<TaskResult, String> {
        panic!("boom inside a task")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panicking_task_is_reported_as_its_failure() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut runner = Runner::new(Arc::new(Engine::new(HttpConfig::default())), tx, Box::new(NoClipboard));
        runner.spawn(7, async { explode() });
        let msg = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.expect("the task reports back");
        match msg {
            Some(Msg::Done(7, TaskResult::Failed(text))) => {
                assert!(text.contains("panicked") && text.contains("boom inside a task"), "{text}");
            }
            other => panic!("expected the task's failure, got {other:?}"),
        }
        // The runner goes on: the next task runs and reports as usual.
        runner.spawn(8, async { Ok(TaskResult::Copied("fine".to_owned())) });
        let msg = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.expect("the next task reports");
        assert!(matches!(msg, Some(Msg::Done(8, TaskResult::Copied(_)))), "{msg:?}");
    }
}
