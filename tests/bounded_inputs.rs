//! Bounded inputs and no panics (issue 8, items 3 and 5), through the `tokdbg` binary as a
//! process and through the TUI's task runner: a TLS client without CA roots, FIFO and
//! `/dev/zero` profiles, `file:` secrets with more than one line, `cmd:` secrets that hang,
//! print forever or fail, and the processes they leave (none). Everything on 127.0.0.1.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::tui::{Harness, esc, key};
use crate::support::{self, GUARD, Invocation, Run};
use futures_util::StreamExt as _;
use serde_json::Value;
use tokdbg::core::model::profile::{NoPrompt, SecretSource};
use tokdbg::core::model::secret_cmd;
use tokdbg::demo::{DemoServer, demo_profiles};
use tokdbg::tui::msg::Msg;

/// Runs the binary (isolated environment, see `support::tokdbg_command`) with extra variables,
/// killed after [`GUARD`].
async fn tokdbg(args: &[&str], env: &[(&str, &str)]) -> Run {
    env.iter().fold(Invocation::new(args), |run, (name, value)| run.env(name, value)).run().await
}

/// The demo-reader profile pointed at `server`, with `client.secret` replaced by `secret`.
fn reader_with_secret(server: &DemoServer, secret: &str) -> String {
    let (_, text) = demo_profiles(&server.base_url())
        .into_iter()
        .find(|(stem, _)| *stem == "demo-reader")
        .expect("the demo has demo-reader");
    let line = format!("secret = {}", toml::Value::String(secret.to_owned()));
    text.lines()
        .map(|l| if l.starts_with("secret = ") { line.clone() } else { l.to_owned() })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A profile directory holding `p.toml`.
fn profile_dir_with(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    std::fs::write(dir.path().join("p.toml"), text).expect("the profile is written");
    dir
}

fn arg(path: &Path) -> String {
    path.display().to_string()
}

/// The pids a secret command wrote (its shell, and a grandchild started in the background).
fn pids_in(file: &Path) -> Vec<u32> {
    std::fs::read_to_string(file).unwrap_or_default().split_whitespace().filter_map(|p| p.parse().ok()).collect()
}

/// A command that records its shell's and a background child's pid in `file`, then waits.
fn recording_sleeper(file: &Path) -> String {
    format!("sleep 600 & echo $! >> '{0}'; echo $$ >> '{0}'; wait", file.display())
}

/// Running: exists and is not a zombie (a zombie is dead; reaping it is its parent's job, and
/// an orphan's parent may be a container's init that never reaps).
#[cfg(target_os = "linux")]
fn running(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name: `pid (comm) S ...`.
        Ok(stat) => stat.rsplit_once(')').and_then(|(_, rest)| rest.trim_start().chars().next()) != Some('Z'),
        Err(_) => false,
    }
}

#[cfg(not(target_os = "linux"))]
fn running(_pid: u32) -> bool {
    false
}

/// Waits (up to 10 s) for every pid to stop running; fails naming the survivors.
async fn assert_all_gone(pids: &[u32]) {
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let alive: Vec<u32> = pids.iter().copied().filter(|p| running(*p)).collect();
        if alive.is_empty() {
            return;
        }
        if Instant::now() > until {
            panic!("secret command processes still running: {alive:?} (of {pids:?})");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits (up to 10 s) until `file` holds at least `count` pids.
async fn wait_for_pids(file: &Path, count: usize) -> Vec<u32> {
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let pids = pids_in(file);
        if pids.len() >= count || Instant::now() > until {
            return pids;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Tests that run secret commands in this process take turns: `kill_all` kills every one.
static IN_PROCESS_COMMANDS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const NO_CA: [(&str, &str); 2] = [("SSL_CERT_FILE", "/nonexistent"), ("SSL_CERT_DIR", "/nonexistent")];

// ---------------------------------------------------------------------------------------------
// No CA roots: an error naming the cause, never a panic.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_ca_roots_for_an_https_issuer_is_a_network_error_naming_the_cause() {
    let port = support::closed_port().expect("a free port");
    let profile =
        format!("[issuer]\nurl = \"https://127.0.0.1:{port}/oidc\"\n[client]\nid = \"svc\"\nsecret = \"sk\"\n");
    let dir = profile_dir_with(&profile);
    let run = tokdbg(&["--profiles", &arg(dir.path()), "token", "p", "--json"], &NO_CA).await;
    run.no_panic();
    assert_eq!(run.code, 3, "a network-ish exit: {}", run.describe());
    let finding = &run.json()["findings"][0];
    assert_eq!(finding["code"], "network_error", "{}", run.describe());
    let message = finding["message"].as_str().unwrap_or_default();
    assert!(message.contains("cannot build the TLS client"), "{message}");
    assert!(message.contains("no trusted CA roots could be loaded"), "{message}");
    assert!(finding["fix"].as_str().unwrap_or_default().contains("SSL_CERT_FILE"), "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_ca_roots_leaves_plain_http_to_the_loopback_demo_working() {
    let server = support::start_demo().await.expect("the demo starts");
    let dir = profile_dir_with(&reader_with_secret(&server, "demo-reader-secret"));
    let run = tokdbg(&["--profiles", &arg(dir.path()), "call", "p", "read orders", "--json"], &NO_CA).await;
    run.no_panic();
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(run.json()["verdict"], "allowed", "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_ca_roots_for_an_https_api_fails_that_request_only() {
    let server = support::start_demo().await.expect("the demo starts");
    let port = support::closed_port().expect("a free port");
    let dir = profile_dir_with(&reader_with_secret(&server, "demo-reader-secret"));
    let url = format!("https://127.0.0.1:{port}/api");
    let run = tokdbg(&["--profiles", &arg(dir.path()), "call", "p", &url, "--json"], &NO_CA).await;
    run.no_panic();
    assert_eq!(run.code, 3, "{}", run.describe());
    let value = run.json();
    assert!(value["access_token"].is_null(), "the token itself never reaches --json output");
    let text = value["findings"].to_string();
    assert!(text.contains("no trusted CA roots could be loaded"), "{}", run.describe());
}

// ---------------------------------------------------------------------------------------------
// Profiles that are not regular files.

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fifo_and_a_dev_zero_link_are_one_error_each_and_the_others_load() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let fifo = dir.path().join("fifo.toml");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(status.success());
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("evil.toml")).expect("a symlink");
    std::fs::write(dir.path().join("good.toml"), "name = \"Good\"\n").expect("a profile");
    std::fs::write(dir.path().join("real.txt"), "name = \"Linked\"\n").expect("a link target");
    std::os::unix::fs::symlink(dir.path().join("real.txt"), dir.path().join("linked.toml")).expect("a symlink");

    for command in [["profiles", "list"], ["profiles", "check"]] {
        let run = tokdbg(&["--profiles", &arg(dir.path()), command[0], command[1], "--json"], &[]).await;
        run.no_panic();
        assert!(run.took < Duration::from_secs(30), "{command:?} took {:?}", run.took);
        let value = run.json();
        let entries = value["profiles"].as_array().cloned().unwrap_or_default();
        let by_stem = |stem: &str| entries.iter().find(|e| e["stem"] == stem).cloned().unwrap_or(Value::Null);
        assert_eq!(entries.len(), 4, "{}", run.describe());
        assert_eq!(by_stem("good")["ok"], true, "{}", run.describe());
        assert_eq!(by_stem("linked")["ok"], true, "a link to a regular file is followed: {}", run.describe());
        let fifo_error = by_stem("fifo")["error"].as_str().unwrap_or_default().to_owned();
        assert!(fifo_error.contains("not a regular file (a FIFO)"), "{}", run.describe());
        let evil_error = by_stem("evil")["error"].as_str().unwrap_or_default().to_owned();
        assert!(evil_error.contains("not a regular file (a character device)"), "{}", run.describe());
    }
}

// ---------------------------------------------------------------------------------------------
// `file:` secrets: the first line.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_two_line_secret_file_sends_the_first_line_and_warns() {
    let server = support::start_demo().await.expect("the demo starts");
    let files = tempfile::tempdir().expect("a temp dir");
    let secret_file = files.path().join("sk");
    // The whole file would be refused by the issuer (invalid_client): a token proves only
    // the first line went out.
    std::fs::write(&secret_file, "demo-reader-secret\r\nnot-part-of-the-secret\n").expect("the secret file");
    let dir = profile_dir_with(&reader_with_secret(&server, &format!("file:{}", secret_file.display())));
    let run = tokdbg(&["--profiles", &arg(dir.path()), "token", "p", "--json"], &[]).await;
    run.no_panic();
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(run.json()["token"].is_object(), "{}", run.describe());
    assert!(run.stderr.contains("1 more non-empty line(s)"), "a warning: {}", run.describe());
    assert!(!run.stderr.contains("not-part-of-the-secret"), "the warning shows no line: {}", run.describe());
}

// ---------------------------------------------------------------------------------------------
// `cmd:` secrets: a timeout, an output cap, no stderr, no processes left.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_secret_command_times_out_and_leaves_no_process() {
    let server = support::start_demo().await.expect("the demo starts");
    let files = tempfile::tempdir().expect("a temp dir");
    let pid_file = files.path().join("pids");
    let dir = profile_dir_with(&reader_with_secret(&server, &format!("cmd:{}", recording_sleeper(&pid_file))));
    let run =
        tokdbg(&["--profiles", &arg(dir.path()), "token", "p", "--json"], &[(secret_cmd::TIMEOUT_ENV, "1")]).await;
    run.no_panic();
    assert_eq!(run.code, 2, "{}", run.describe());
    let message = run.json()["error"]["message"].as_str().unwrap_or_default().to_owned();
    assert!(message.contains("did not finish within 1 s and was stopped"), "{message}");
    assert!(run.took < Duration::from_secs(30), "the timeout ended it: {:?}", run.took);
    let pids = pids_in(&pid_file);
    assert_eq!(pids.len(), 2, "the shell and its background child wrote their pids");
    assert_all_gone(&pids).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_command_printing_forever_is_stopped_at_the_cap() {
    let server = support::start_demo().await.expect("the demo starts");
    let dir = profile_dir_with(&reader_with_secret(&server, "cmd:yes"));
    let run = tokdbg(&["--profiles", &arg(dir.path()), "token", "p", "--json"], &[]).await;
    run.no_panic();
    assert_eq!(run.code, 2, "{}", run.describe());
    let message = run.json()["error"]["message"].as_str().unwrap_or_default().to_owned();
    assert!(message.contains("secret command `yes` printed more than 64 KiB and was stopped"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_secret_command_names_its_status_and_hides_its_stderr() {
    let server = support::start_demo().await.expect("the demo starts");
    let dir = profile_dir_with(&reader_with_secret(&server, "cmd:printf 'sk-%s' from-stderr >&2; exit 4"));
    for json in [true, false] {
        let mut args = vec!["--profiles".to_owned(), arg(dir.path()), "token".to_owned(), "p".to_owned()];
        if json {
            args.push("--json".to_owned());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = tokdbg(&args, &[]).await;
        run.no_panic();
        assert_eq!(run.code, 2, "{}", run.describe());
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(all.contains("secret command `printf 'sk-%s' from-stderr >&2; exit 4` failed: exit status 4"), "{all}");
        assert!(!all.contains("sk-from-stderr"), "stderr is never shown: {all}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unusable_timeout_setting_is_an_error_naming_it() {
    let server = support::start_demo().await.expect("the demo starts");
    let dir = profile_dir_with(&reader_with_secret(&server, "cmd:echo demo-reader-secret"));
    for value in ["0", "ten", "3601"] {
        let run = tokdbg(&["--profiles", &arg(dir.path()), "token", "p"], &[(secret_cmd::TIMEOUT_ENV, value)]).await;
        run.no_panic();
        assert_eq!(run.code, 2, "{value}: {}", run.describe());
        assert!(run.stderr.contains(&format!("{}=\"{value}\"", secret_cmd::TIMEOUT_ENV)), "{}", run.describe());
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_a_secret_command_runs_kills_it_too() {
    let server = support::start_demo().await.expect("the demo starts");
    let files = tempfile::tempdir().expect("a temp dir");
    let pid_file = files.path().join("pids");
    let dir = profile_dir_with(&reader_with_secret(&server, &format!("cmd:{}", recording_sleeper(&pid_file))));
    let mut command = support::tokdbg_command();
    command.args(["--profiles", &arg(dir.path()), "token", "p"]).stdin(std::process::Stdio::null());
    let mut child = command.spawn().expect("tokdbg starts");
    let pids = wait_for_pids(&pid_file, 2).await;
    assert_eq!(pids.len(), 2, "the secret command started");
    #[cfg(target_os = "linux")]
    assert!(pids.iter().all(|p| running(*p)), "the check sees live processes: {pids:?}");
    let tokdbg_pid = child.id().expect("tokdbg runs").to_string();
    let sent = std::process::Command::new("kill").args(["-TERM", &tokdbg_pid]).status().expect("kill runs");
    assert!(sent.success());
    let status = tokio::time::timeout(GUARD, child.wait()).await.expect("tokdbg ends").expect("its status");
    assert!(!status.success(), "tokdbg ends by the signal: {status:?}");
    assert_all_gone(&pids).await;
}

// ---------------------------------------------------------------------------------------------
// The TUI: cancelled and superseded tasks kill their secret commands.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_presses_of_t_on_a_cmd_secret_leave_no_process() {
    let _turn = IN_PROCESS_COMMANDS.lock().await;
    let files = tempfile::tempdir().expect("a temp dir");
    let pid_file = files.path().join("pids");
    let command = recording_sleeper(&pid_file);
    let mut h = Harness::demo_with(120, 40, |dir, base| {
        let server_profile = demo_profiles(base).into_iter().find(|(stem, _)| *stem == "demo-reader").map(|(_, t)| t);
        let text = server_profile.unwrap_or_default();
        let line = format!("secret = {}", toml::Value::String(format!("cmd:{command}")));
        let text: Vec<String> =
            text.lines().map(|l| if l.starts_with("secret = ") { line.clone() } else { l.to_owned() }).collect();
        std::fs::write(dir.join("slow-cmd.toml"), text.join("\n")).expect("the profile is written");
    })
    .await;
    h.select("slow-cmd");
    // Each `t` supersedes the last; the next one goes in once this one's command is running,
    // so every one of them really started a shell.
    let pid_path: PathBuf = pid_file.clone();
    let presses = futures_util::stream::iter(1..=60usize).then(move |n| {
        let pid_path = pid_path.clone();
        async move {
            if n > 1 {
                wait_for_pids(&pid_path, 2 * (n - 1)).await;
            }
            key('t')
        }
    });
    let last = pid_file.clone();
    let then_esc = futures_util::stream::once(async move {
        wait_for_pids(&last, 120).await;
        esc()
    });
    h.run_stream(Box::pin(presses.chain(then_esc).chain(futures_util::stream::iter(vec![Msg::WaitIdle])))).await;
    let pids = pids_in(&pid_file);
    assert_eq!(pids.len(), 120, "60 shells and their children started");
    assert_all_gone(&pids).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quitting_kills_secret_commands_still_running() {
    let _turn = IN_PROCESS_COMMANDS.lock().await;
    let files = tempfile::tempdir().expect("a temp dir");
    let pid_file = files.path().join("pids");
    let source = SecretSource::Command(recording_sleeper(&pid_file));
    let waiting = tokio::spawn(async move { source.resolve_async("sk", &NoPrompt).await.map(|_| ()) });
    let pids = wait_for_pids(&pid_file, 2).await;
    assert_eq!(pids.len(), 2, "the secret command started");
    #[cfg(target_os = "linux")]
    assert!(pids.iter().all(|p| running(*p)), "the check sees live processes: {pids:?}");
    // What the TUI does when its loop ends (the runtime is then shut down in the background).
    secret_cmd::kill_all();
    let result = tokio::time::timeout(GUARD, waiting).await.expect("the resolution ends").expect("no panic");
    let error = result.expect_err("a killed command gives no secret").to_string();
    assert!(error.contains("killed by signal 9"), "{error}");
    assert_all_gone(&pids).await;
}
