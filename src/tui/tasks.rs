//! Runs commands on tokio tasks, each with a cancel token, and reports back as messages.

use std::collections::HashMap;
use std::sync::Arc;

use futures_util::FutureExt as _;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use crate::core::engine::{CallSpec, Engine, TokenChoice, TokenSource};
use crate::core::model::profile::NoPrompt;
use crate::core::model::secret::Secret;
use crate::core::store::profile_edit;

use super::msg::{Cmd, Msg, SecretPlan, TaskId, TaskResult};

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

/// Reads a secret without blocking the loop. A `cmd:` source runs as a child process that dies
/// with this future: cancelling the task kills it.
async fn resolve(plan: SecretPlan, label: String) -> Result<Secret, String> {
    match plan {
        SecretPlan::Known(secret) => Ok(secret),
        // Warnings (a `file:` with extra lines) are shown with the profile, not per task.
        SecretPlan::Source(source) => {
            source.resolve_async(&label, &NoPrompt).await.map(|resolved| resolved.secret).map_err(|e| e.to_string())
        }
    }
}

async fn resolve_optional(plan: Option<SecretPlan>, label: &str) -> Result<Option<Secret>, String> {
    match plan {
        Some(plan) => resolve(plan, label.to_owned()).await.map(Some),
        None => Ok(None),
    }
}

impl Runner {
    pub fn new(engine: Arc<Engine>, tx: UnboundedSender<Msg>, clipboard: Box<dyn Clipboard>) -> Self {
        Runner { engine, tx, cancels: HashMap::new(), clipboard }
    }

    /// The task reported back: its cancel token is no longer needed.
    pub fn finished(&mut self, task: TaskId) {
        self.cancels.remove(&task);
    }

    /// Starts a command; returns true when the app should quit.
    pub fn run(&mut self, cmd: Cmd) -> bool {
        match cmd {
            Cmd::Quit => return true,
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
            Cmd::FetchToken { task, stem, profile, secret, hmac, force } => {
                let engine = self.engine.clone();
                self.spawn(task, async move {
                    let cached = !force && engine.cached_token(&stem, &profile).is_some();
                    // A cached token needs no secret; reading one might run a slow command.
                    let secret = if cached {
                        Secret::default()
                    } else {
                        resolve(secret, format!("client.secret of {stem}")).await?
                    };
                    let hmac = resolve_optional(hmac, &format!("expect.hmac_secret of {stem}")).await?;
                    Ok(TaskResult::Token(Box::new(engine.fetch_token(&stem, &profile, secret, force, hmac).await)))
                });
            }
            Cmd::Call { task, stem, profile, endpoint, secret, hmac, with_token } => {
                let engine = self.engine.clone();
                self.spawn(task, async move {
                    let token = if !with_token {
                        TokenChoice::None
                    } else if engine.cached_token(&stem, &profile).is_some() {
                        TokenChoice::Fetch { secret: Secret::default(), force: false }
                    } else {
                        match secret {
                            Some(plan) => TokenChoice::Fetch {
                                secret: resolve(plan, format!("client.secret of {stem}")).await?,
                                force: false,
                            },
                            None => TokenChoice::None,
                        }
                    };
                    let hmac = resolve_optional(hmac, &format!("expect.hmac_secret of {stem}")).await?;
                    let spec = CallSpec { profile_key: stem, profile: *profile, endpoint, token };
                    Ok(TaskResult::Call(Arc::new(engine.call(spec, hmac).await)))
                });
            }
            Cmd::Verify { task, profile, token, hmac } => {
                let engine = self.engine.clone();
                self.spawn(task, async move {
                    let hmac = resolve_optional(hmac, "expect.hmac_secret").await?;
                    Ok(TaskResult::Verify(Box::new(
                        engine.inspect(&profile, token.expose(), TokenSource::Given, hmac).await,
                    )))
                });
            }
            Cmd::Save { task, stem, path, profile, stamp } => {
                self.spawn(task, async move {
                    let target = path.clone();
                    let saved = tokio::task::spawn_blocking(move || {
                        profile_edit::save_profile(&target, &profile, stamp.as_ref())
                    })
                    .await
                    .map_err(|e| format!("saving failed: {e}"))?;
                    match saved {
                        Ok(stamp) => Ok(TaskResult::Saved { stem, path, stamp }),
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
