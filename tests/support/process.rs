//! The tokdbg binary as a child process: the one isolated command builder, and [`Run`], what a
//! run left behind, with the checks every area uses.

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::AsyncWriteExt as _;

/// A run that takes longer than this is a hang (a regression), not a slow machine.
pub const GUARD: Duration = Duration::from_secs(60);

/// The tokdbg binary as a child process, isolated from the caller's environment: no colour,
/// no profile directory, backtrace or proxy settings inherited; stdout and stderr piped,
/// killed if the test drops it.
pub fn tokdbg_command() -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_tokdbg"));
    command
        .env("NO_COLOR", "1")
        .env_remove("TOKDBG_PROFILES")
        .env_remove("RUST_BACKTRACE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for proxy in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"] {
        command.env_remove(proxy);
    }
    command
}

/// One run of the binary: its arguments, input and extra environment.
#[derive(Debug, Clone, Default)]
pub struct Invocation {
    pub args: Vec<String>,
    pub stdin: Option<Vec<u8>>,
    pub env: Vec<(String, String)>,
}

impl Invocation {
    pub fn new<S: AsRef<str>>(args: &[S]) -> Invocation {
        Invocation { args: args.iter().map(|a| a.as_ref().to_owned()).collect(), ..Invocation::default() }
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Invocation {
        self.stdin = Some(bytes.into());
        self
    }

    pub fn env(mut self, name: &str, value: &str) -> Invocation {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Runs it, killed after [`GUARD`]; `Err` says why there is no run (no spawn, a hang).
    pub async fn try_run(self) -> Result<Run, String> {
        let Invocation { args, stdin, env } = self;
        let mut command = tokdbg_command();
        command.args(&args).stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        for (name, value) in &env {
            command.env(name, value);
        }
        let started = Instant::now();
        let mut child = command.spawn().map_err(|e| format!("cannot spawn tokdbg {args:?}: {e}"))?;
        if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
            // A binary that exits without reading its input is not a failure of the test.
            let _ = pipe.write_all(&bytes).await;
            drop(pipe);
        }
        let output = tokio::time::timeout(GUARD, child.wait_with_output())
            .await
            .map_err(|_| format!("tokdbg {args:?} ran for more than {GUARD:?}: a hang"))?
            .map_err(|e| format!("tokdbg {args:?} failed: {e}"))?;
        Ok(Run {
            args,
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            raw_stdout: output.stdout,
            raw_stderr: output.stderr,
            took: started.elapsed(),
        })
    }

    /// [`Invocation::try_run`], failing the test when there is no run.
    pub async fn run(self) -> Run {
        self.try_run().await.unwrap_or_else(|e| panic!("{e}"))
    }
}

/// Runs `tokdbg ARGS` (no input, no extra environment), failing the test on a hang.
pub async fn tokdbg<S: AsRef<str>>(args: &[S]) -> Run {
    Invocation::new(args).run().await
}

/// What one run of the binary left behind.
#[derive(Debug, Default)]
pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    /// The streams as text (invalid UTF-8 replaced), and as the bytes written.
    pub stdout: String,
    pub stderr: String,
    pub raw_stdout: Vec<u8>,
    pub raw_stderr: Vec<u8>,
    /// Wall time: for failure messages, and for generous bounds that catch a hang.
    pub took: Duration,
}

impl Run {
    pub fn try_json(&self) -> Result<Value, String> {
        serde_json::from_str(&self.stdout).map_err(|e| format!("stdout is not JSON ({e}): {}", self.describe()))
    }

    #[track_caller]
    pub fn json(&self) -> Value {
        self.try_json().unwrap_or_else(|e| panic!("{e}"))
    }

    /// The arguments (long ones cut), exit code and both streams, for failure messages.
    pub fn describe(&self) -> String {
        let args: Vec<String> = self.args.iter().map(|a| excerpt(a, 120)).collect();
        format!(
            "tokdbg {args:?} → exit {} after {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            self.took,
            excerpt(&self.stdout, 3000),
            excerpt(&self.stderr, 2000)
        )
    }

    pub fn panicked(&self) -> bool {
        self.code == 101 || self.stderr.contains("panicked")
    }

    #[track_caller]
    pub fn no_panic(&self) {
        assert!(!self.panicked(), "tokdbg panicked: {}", self.describe());
    }

    #[track_caller]
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(self.code, expected, "exit code: {}", self.describe());
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Self {
        assert!(self.stdout.contains(needle), "stdout lacks {needle:?}: {}", self.describe());
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(self.stderr.contains(needle), "stderr lacks {needle:?}: {}", self.describe());
        self
    }

    /// `{"error": {kind, message, exit_code}}` on stdout: this kind, a message, the exit code.
    #[track_caller]
    pub fn json_error(&self, kind: &str) -> Value {
        let value = self.json();
        let error = &value["error"];
        assert_eq!(error["kind"], kind, "{}", self.describe());
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", self.describe());
        assert_eq!(error["exit_code"], self.code, "{}", self.describe());
        error.clone()
    }
}

/// `text` cut to `max` characters, marked with an ellipsis when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}
