//! Running a `cmd:` secret source, bounded: a timeout, a cap on what it prints, and the whole
//! process group killed on timeout, on overflow, when the waiting future is dropped (a
//! cancelled task) and when the app quits ([`kill_all`]). Its stderr is discarded, never shown:
//! a failing command may print the secret there.
//!
//! The command runs in a process group of its own so that `sh -c 'a | b'` and whatever it
//! started die together. That also keeps the terminal's Ctrl-C from reaching it, so while a
//! command runs synchronously (the CLI), SIGINT/SIGTERM/SIGHUP/SIGQUIT are forwarded as a kill
//! of the live groups before tokdbg dies of the signal as it would have.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncReadExt as _;

/// How long a secret command may run unless [`TIMEOUT_ENV`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Whole seconds, 1 to [`MAX_TIMEOUT_SECS`]: the timeout of secret commands.
pub const TIMEOUT_ENV: &str = "TOKDBG_SECRET_CMD_TIMEOUT";
pub const MAX_TIMEOUT_SECS: u64 = 3600;
/// A secret is one line; more than this on stdout means the command is not printing one.
pub const MAX_OUTPUT: usize = 64 * 1024;

/// Why a secret command gave no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CmdFailure {
    /// It could not be started (no shell, no processes left, …).
    Spawn(String),
    /// It ran longer than this and was killed.
    Timeout(Duration),
    /// It printed more than this many bytes and was killed.
    TooMuchOutput(usize),
    /// It ended unsuccessfully: `exit status 3`, `killed by signal 9`.
    Status(String),
    /// Reading its output failed.
    Io(String),
}

/// The timeout from [`TIMEOUT_ENV`], else the default; an unusable value is an error, not a
/// silent default, so a typo does not leave someone waiting the wrong time.
pub fn configured_timeout() -> Result<Duration, String> {
    match std::env::var(TIMEOUT_ENV) {
        Err(std::env::VarError::NotPresent) => Ok(DEFAULT_TIMEOUT),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!("{TIMEOUT_ENV} is not text")),
        Ok(text) => match text.trim().parse::<u64>() {
            Ok(secs) if (1..=MAX_TIMEOUT_SECS).contains(&secs) => Ok(Duration::from_secs(secs)),
            _ => Err(format!("{TIMEOUT_ENV}=\"{text}\" is not a whole number of seconds from 1 to {MAX_TIMEOUT_SECS}")),
        },
    }
}

fn shell(command: &str) -> tokio::process::Command {
    let mut shell = if cfg!(windows) {
        let mut c = tokio::process::Command::new("cmd");
        c.args(["/C", command]);
        c
    } else {
        let mut c = tokio::process::Command::new("sh");
        c.args(["-c", command]);
        c
    };
    // No stdin (nobody to answer), stderr dropped (it may hold the secret), and the leader
    // killed should this future be dropped before it is reaped.
    shell.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null()).kill_on_drop(true);
    #[cfg(unix)]
    shell.process_group(0);
    shell
}

/// Runs `command` with `sh -c` and returns its stdout, within `timeout` and `cap` bytes.
pub async fn run(command: &str, timeout: Duration, cap: usize) -> Result<Vec<u8>, CmdFailure> {
    let mut child = shell(command).spawn().map_err(|e| CmdFailure::Spawn(e.to_string()))?;
    // Declared after `child`, so dropped before it: the group dies while its leader is not yet
    // reaped, and its id cannot have been reused by then.
    let mut group = Group::register(child.id());
    let mut stdout = child.stdout.take().ok_or_else(|| CmdFailure::Io("no pipe to its stdout".to_owned()))?;
    let deadline = tokio::time::Instant::now() + timeout;
    let read = async {
        let mut bytes = Vec::new();
        // One byte over the cap tells "at the cap" from "over it" without reading on.
        (&mut stdout).take(cap as u64 + 1).read_to_end(&mut bytes).await.map(|_| bytes)
    };
    let outcome = match tokio::time::timeout_at(deadline, read).await {
        Err(_) => Err(CmdFailure::Timeout(timeout)),
        Ok(Err(e)) => Err(CmdFailure::Io(e.to_string())),
        Ok(Ok(bytes)) if bytes.len() > cap => Err(CmdFailure::TooMuchOutput(cap)),
        // Its stdout is closed; the exit status decides, within what is left of the time.
        Ok(Ok(bytes)) => match tokio::time::timeout_at(deadline, child.wait()).await {
            Err(_) => Err(CmdFailure::Timeout(timeout)),
            Ok(Err(e)) => Err(CmdFailure::Io(e.to_string())),
            Ok(Ok(status)) => {
                // Reaped: its process group id may be reused from now on. What it left running
                // in the background after a success (an agent it started) is its own business.
                group.disarm();
                if status.success() { Ok(bytes) } else { Err(CmdFailure::Status(describe_status(status))) }
            }
        },
    };
    if outcome.is_err() {
        group.kill();
        drop(stdout);
        // Reap the leader (SIGKILL is quick); should it hang in the kernel, dropping the child
        // hands it to tokio's orphan reaping instead of waiting here.
        let _ = tokio::time::timeout(Duration::from_secs(2), child.wait()).await;
    }
    outcome
}

/// [`run`] for synchronous callers (the CLI, before its runtime is entered): a thread with a
/// small runtime of its own, so it works inside or outside another runtime.
pub fn run_blocking(command: &str, timeout: Duration, cap: usize) -> Result<Vec<u8>, CmdFailure> {
    #[cfg(unix)]
    let _forward = interrupts::forward();
    let command = command.to_owned();
    let worker = std::thread::Builder::new()
        .name("tokdbg-secret-cmd".to_owned())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| CmdFailure::Spawn(format!("cannot start a runtime: {e}")))?;
            runtime.block_on(run(&command, timeout, cap))
        })
        .map_err(|e| CmdFailure::Spawn(format!("cannot start a thread: {e}")))?;
    worker.join().unwrap_or_else(|_| Err(CmdFailure::Io("the thread running it panicked".to_owned())))
}

fn describe_status(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("killed by signal {signal}");
        }
    }
    match status.code() {
        Some(code) => format!("exit status {code}"),
        None => status.to_string(),
    }
}

/// Kills every secret command still running (their whole process groups): the app is quitting.
pub fn kill_all() {
    #[cfg(unix)]
    for slot in &LIVE {
        let pgid = slot.swap(0, std::sync::atomic::Ordering::SeqCst);
        if pgid > 0 {
            kill_group(pgid);
        }
    }
}

/// Process groups of running secret commands. Atomics, not a mutex: the signal handler reads
/// them. More than this many at once go unregistered (still killed by their own `run`).
#[cfg(unix)]
static LIVE: [std::sync::atomic::AtomicI32; 64] = [const { std::sync::atomic::AtomicI32::new(0) }; 64];

#[cfg(unix)]
fn kill_group(pgid: i32) {
    // SAFETY: kill(2) has no memory effects; a negative pid names the process group.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
}

/// One running command's process group (its leader's pid): killed on drop unless disarmed.
struct Group {
    #[cfg(unix)]
    pgid: i32,
    #[cfg(unix)]
    slot: Option<usize>,
    armed: bool,
}

impl Group {
    fn register(pid: Option<u32>) -> Group {
        #[cfg(unix)]
        {
            use std::sync::atomic::Ordering;
            let pgid = pid.and_then(|p| i32::try_from(p).ok()).unwrap_or(0);
            let slot = (pgid > 0)
                .then(|| {
                    LIVE.iter().position(|s| s.compare_exchange(0, pgid, Ordering::SeqCst, Ordering::SeqCst).is_ok())
                })
                .flatten();
            Group { pgid, slot, armed: pgid > 0 }
        }
        #[cfg(not(unix))]
        {
            let _ = pid;
            Group { armed: false }
        }
    }

    fn release(&mut self) {
        #[cfg(unix)]
        if let Some(slot) = self.slot.take() {
            use std::sync::atomic::Ordering;
            let _ = LIVE[slot].compare_exchange(self.pgid, 0, Ordering::SeqCst, Ordering::SeqCst);
        }
        self.armed = false;
    }

    fn disarm(&mut self) {
        self.release();
    }

    fn kill(&mut self) {
        if self.armed {
            #[cfg(unix)]
            kill_group(self.pgid);
        }
        self.release();
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.kill();
    }
}

/// While a synchronous caller waits, the terminal's signals kill the command's group too
/// (it is not in the terminal's foreground group), then take their default course.
#[cfg(unix)]
mod interrupts {
    use std::sync::Mutex;

    const SIGNALS: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

    /// How many callers wait, and the dispositions to put back when the last one is done.
    static STATE: Mutex<(usize, Vec<(libc::c_int, libc::sigaction)>)> = Mutex::new((0, Vec::new()));

    pub struct Forwarding;

    /// Installs the forwarding handler for every signal still at its default disposition (a
    /// signal someone else handles, e.g. tokio in the TUI, is left to them).
    pub fn forward() -> Forwarding {
        let Ok(mut state) = STATE.lock() else { return Forwarding };
        if state.0 == 0 {
            for signal in SIGNALS {
                // SAFETY: plain sigaction(2) calls with valid pointers to zero-initialised,
                // then filled, structs; the handler only does async-signal-safe work.
                unsafe {
                    let mut old: libc::sigaction = std::mem::zeroed();
                    if libc::sigaction(signal, std::ptr::null(), &mut old) != 0 || old.sa_sigaction != libc::SIG_DFL {
                        continue;
                    }
                    let mut new: libc::sigaction = std::mem::zeroed();
                    new.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
                    new.sa_flags = libc::SA_RESTART;
                    libc::sigemptyset(&mut new.sa_mask);
                    if libc::sigaction(signal, &new, std::ptr::null_mut()) == 0 {
                        state.1.push((signal, old));
                    }
                }
            }
        }
        state.0 += 1;
        Forwarding
    }

    impl Drop for Forwarding {
        fn drop(&mut self) {
            let Ok(mut state) = STATE.lock() else { return };
            state.0 = state.0.saturating_sub(1);
            if state.0 == 0 {
                for (signal, old) in state.1.drain(..) {
                    // SAFETY: puts back the disposition saved by `forward`.
                    unsafe {
                        libc::sigaction(signal, &old, std::ptr::null_mut());
                    }
                }
            }
        }
    }

    extern "C" fn on_signal(signal: libc::c_int) {
        // Only atomics and kill(2), signal(2), raise(3): all async-signal-safe.
        super::kill_all();
        // SAFETY: back to the default disposition, and the same signal again: tokdbg ends
        // exactly as it would have without the forwarding.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn prints_and_succeeds() {
        assert_eq!(run("printf 'abc\\n'", DEFAULT_TIMEOUT, MAX_OUTPUT).await, Ok(b"abc\n".to_vec()));
    }

    #[tokio::test]
    async fn a_failure_gives_the_status_not_stderr() {
        let failure = run("echo hunter2 >&2; exit 3", DEFAULT_TIMEOUT, MAX_OUTPUT).await;
        assert_eq!(failure, Err(CmdFailure::Status("exit status 3".to_owned())));
    }

    #[tokio::test]
    async fn too_much_output_is_cut_off() {
        assert_eq!(run("yes", DEFAULT_TIMEOUT, 1024).await, Err(CmdFailure::TooMuchOutput(1024)));
    }

    #[tokio::test]
    async fn exactly_the_cap_is_fine() {
        assert_eq!(run("printf 1234", DEFAULT_TIMEOUT, 4).await, Ok(b"1234".to_vec()));
    }

    #[tokio::test]
    async fn a_slow_command_times_out() {
        let timeout = Duration::from_millis(300);
        assert_eq!(run("sleep 30", timeout, MAX_OUTPUT).await, Err(CmdFailure::Timeout(timeout)));
    }

    #[test]
    fn blocking_runs_inside_a_runtime_too() {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let got = runtime.block_on(async { run_blocking("printf x", DEFAULT_TIMEOUT, MAX_OUTPUT) });
        assert_eq!(got, Ok(b"x".to_vec()));
    }
}
