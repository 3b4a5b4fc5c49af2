//! End to end: `tokdbg demo` in a real terminal (a detached tmux pane), driven with keys and
//! signals. Skipped (with a note) when tmux is not installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// How long to wait for anything the pane should show: generous, since the machine may be
/// busy; polling returns as soon as it holds.
const DEADLINE: Duration = Duration::from_secs(30);

/// A private tmux server (its own socket), killed when the test ends, however it ends.
struct Tmux {
    socket: String,
    /// The socket file, removed after the server is killed.
    socket_path: Option<String>,
}

impl Tmux {
    /// A server for one test: tests run in parallel, so each has its own socket.
    fn new(test: &str) -> Tmux {
        Tmux { socket: format!("tokdbg-test-{}-{test}", std::process::id()), socket_path: None }
    }

    /// Starts the session `tui` (100x30) running `command` with `sh -c`.
    fn start(&mut self, command: &str) {
        self.ok(&["-u", "new-session", "-d", "-s", "tui", "-x", "100", "-y", "30", "sh", "-c", command]);
        self.socket_path = Some(self.format("#{socket_path}"));
    }

    fn cmd(&self, args: &[&str]) -> Output {
        Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("tmux runs")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args);
        assert!(out.status.success(), "tmux {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "tui"];
        args.extend_from_slice(keys);
        self.ok(&args);
    }

    fn literal(&self, text: &str) {
        self.ok(&["send-keys", "-t", "tui", "-l", text]);
    }

    fn pane(&self) -> String {
        self.ok(&["capture-pane", "-p", "-t", "tui"])
    }

    fn format(&self, format: &str) -> String {
        self.ok(&["display-message", "-p", "-t", "tui", format]).trim().to_owned()
    }

    /// Polls the pane every 100 ms until `ready` holds (see [`DEADLINE`]); returns the pane.
    fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let pane = self.pane();
            if ready(&pane) {
                return pane;
            }
            if start.elapsed() > DEADLINE {
                panic!("timed out waiting for {what}; the pane shows:\n{pane}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for the demo's profile list with demo-reader selected.
    fn wait_for_demo(&self) -> String {
        self.wait_for("the profile list", |p| {
            p.contains(&format!("Profiles ({})", crate::support::demo_profile_count()))
                && p.contains("Profile · demo-reader")
        })
    }

    /// The pid of the pane's one child process (the program the pane's shell runs).
    fn child_pid(&self) -> u32 {
        let shell = self.format("#{pane_pid}");
        let out = Command::new("pgrep").args(["-P", &shell]).output().expect("pgrep runs");
        let text = String::from_utf8_lossy(&out.stdout);
        let pids: Vec<u32> = text.split_whitespace().filter_map(|p| p.parse().ok()).collect();
        assert_eq!(pids.len(), 1, "one child of the pane's shell {shell}: {text}");
        pids[0]
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn tmux_available() -> bool {
    Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success())
}

/// tmux, and pgrep to find the pid to signal.
fn tmux_and_pgrep_available() -> bool {
    tmux_available() && Command::new("pgrep").arg("-V").output().is_ok_and(|o| o.status.success())
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tokdbg")
}

/// Sends `signal` (a `kill` name: INT, QUIT, TSTP...) to `pid`.
fn kill(signal: &str, pid: u32) {
    let status = Command::new("kill").arg(format!("-{signal}")).arg(pid.to_string()).status().expect("kill runs");
    assert!(status.success(), "kill -{signal} {pid}");
}

/// The terminal state the TUI must leave behind: normal screen, no mouse reporting, cursor on.
fn assert_terminal_restored(tmux: &Tmux, context: &str) {
    assert_eq!(tmux.format("#{alternate_on}"), "0", "{context}: the alternate screen was left");
    assert_eq!(tmux.format("#{mouse_any_flag}#{mouse_all_flag}"), "00", "{context}: mouse reporting is off");
    assert_eq!(tmux.format("#{cursor_flag}"), "1", "{context}: the cursor is visible again");
}

#[test]
fn demo_in_tmux_reads_is_denied_and_quits_cleanly() {
    if !tmux_available() {
        eprintln!("note: tmux is not on PATH; skipping the tmux end-to-end test");
        return;
    }
    let mut tmux = Tmux::new("tour");
    tmux.start(&format!("'{}' demo; echo \"TOKDBG-EXITED:$?\"; sleep 60", bin()));

    // The demo starts with its profiles (sorted by name), demo-reader selected.
    let pane = tmux.wait_for_demo();
    assert!(pane.contains("demo issuer http://127.0.0.1:"), "{pane}");
    assert_eq!(tmux.format("#{alternate_on}"), "1", "the TUI runs on the alternate screen");

    // Enter opens the endpoints, Enter sends "read orders": 200.
    tmux.keys(&["Enter"]);
    tmux.wait_for("the endpoints", |p| p.contains("Endpoints · demo-reader"));
    tmux.keys(&["Enter"]);
    let pane = tmux.wait_for("HTTP 200", |p| p.contains("HTTP 200"));
    assert!(pane.contains("200 allowed"), "{pane}");

    // / noscope Enter: only demo-noscope is left, selected; Enter, Enter sends its "read orders".
    tmux.keys(&["/"]);
    tmux.literal("noscope");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the filtered list", |p| {
        p.contains(&format!("Profiles /noscope (1/{})", crate::support::demo_profile_count()))
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("demo-noscope's endpoints", |p| p.contains("Endpoints · demo-noscope"));
    tmux.keys(&["Enter"]);
    let pane = tmux.wait_for("HTTP 403", |p| p.contains("HTTP 403"));
    assert!(pane.contains("scope_missing"), "{pane}");
    assert!(pane.contains("lacks order:read"), "order:read is named as missing: {pane}");

    // q quits; the shell prints the marker on the normal screen: the terminal was restored.
    tmux.keys(&["q"]);
    let pane = tmux.wait_for("the program to exit", |p| p.contains("TOKDBG-EXITED"));
    assert!(pane.contains("TOKDBG-EXITED:0"), "tokdbg exited with 0: {pane}");
    assert!(!pane.contains("Profiles ("), "the TUI's screen is gone: {pane}");
    assert_terminal_restored(&tmux, "after q");
}

// ---------------------------------------------------------------------------------------------
// Signals

/// Polls `path` until it holds text (see [`DEADLINE`]).
fn wait_for_file(path: &Path) -> String {
    let start = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(path)
            && !text.trim().is_empty()
        {
            return text;
        }
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {}", path.display());
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `stty -a` shows cooked mode: line editing, echo and signal keys are on again.
fn assert_cooked(stty: &str) {
    let flags: Vec<&str> = stty.split_whitespace().collect();
    for flag in ["icanon", "echo", "isig"] {
        assert!(flags.contains(&flag), "{flag} is on again: {stty}");
    }
}

/// Runs the demo, sends it `signal` with `kill`, and checks that it quit with 0 and left the
/// terminal as it found it (normal screen, mouse off, cursor on, cooked mode).
fn signal_restores_the_terminal_and_quits(signal: &str) {
    if !tmux_and_pgrep_available() {
        eprintln!("note: tmux or pgrep is not on PATH; skipping the tmux signal test");
        return;
    }
    let scratch = tempfile::tempdir().expect("a scratch dir");
    let stty = scratch.path().join("stty");
    let mut tmux = Tmux::new(&signal.to_lowercase());
    tmux.start(&format!("'{}' demo; echo \"TOKDBG-EXITED:$?\"; stty -a > '{}'; sleep 60", bin(), stty.display()));
    tmux.wait_for_demo();
    assert_eq!(tmux.format("#{alternate_on}"), "1", "the TUI runs on the alternate screen");
    kill(signal, tmux.child_pid());
    let pane = tmux.wait_for("the program to exit", |p| p.contains("TOKDBG-EXITED"));
    assert!(pane.contains("TOKDBG-EXITED:0"), "SIG{signal} quits like q: {pane}");
    assert!(!pane.contains("Profiles ("), "the TUI's screen is gone: {pane}");
    assert_terminal_restored(&tmux, &format!("after SIG{signal}"));
    assert_cooked(&wait_for_file(&stty));
}

#[test]
fn sigint_restores_the_terminal_and_quits() {
    signal_restores_the_terminal_and_quits("INT");
}

#[test]
fn sigquit_restores_the_terminal_and_quits() {
    signal_restores_the_terminal_and_quits("QUIT");
}

/// The state letter `ps` shows for `pid` (T: stopped).
fn process_state(pid: u32) -> String {
    let out = Command::new("ps").args(["-o", "stat=", "-p", &pid.to_string()]).output().expect("ps runs");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Runs the demo from an interactive bash (job control on), suspends it with `suspend`, checks
/// that the shell got the terminal back in a sane state, then `fg` redraws the TUI and q quits.
fn suspend_and_resume(test: &str, suspend: impl FnOnce(&Tmux, u32)) {
    if !tmux_and_pgrep_available() {
        eprintln!("note: tmux or pgrep is not on PATH; skipping the tmux job control test");
        return;
    }
    let mut tmux = Tmux::new(test);
    tmux.start("PS1='ready$ ' exec bash --norc --noprofile -i");
    tmux.wait_for("the shell's prompt", |p| p.contains("ready$"));
    tmux.literal(&format!("'{}' demo", bin()));
    tmux.keys(&["Enter"]);
    tmux.wait_for_demo();
    let pid = tmux.child_pid();

    suspend(&tmux, pid);
    let pane = tmux.wait_for("the shell to report the job stopped", |p| p.contains("Stopped"));
    assert!(!pane.contains("Profiles ("), "the shell's screen, not the TUI's: {pane}");
    assert!(process_state(pid).starts_with('T'), "tokdbg is stopped: {}", process_state(pid));
    assert_terminal_restored(&tmux, "while suspended");

    tmux.literal("fg");
    tmux.keys(&["Enter"]);
    // The whole screen is drawn again: the list, the detail pane and the banner at the bottom.
    tmux.wait_for("the TUI redrawn", |p| {
        p.contains(&format!("Profiles ({})", crate::support::demo_profile_count()))
            && p.contains("Profile · demo-reader")
            && p.contains("demo issuer http://127.0.0.1:")
    });
    assert_eq!(tmux.format("#{alternate_on}"), "1", "back on the alternate screen");
    assert_eq!(tmux.format("#{mouse_any_flag}"), "1", "mouse reporting is on again");

    // Raw mode is back too: q reaches the TUI as a key at once, and it quits cleanly.
    tmux.keys(&["q"]);
    tmux.wait_for("the prompt after the TUI", |p| !p.contains("Profiles (") && p.trim_end().ends_with("ready$"));
    tmux.literal("echo \"TOKDBG-EXITED:$?\"");
    tmux.keys(&["Enter"]);
    // The echoed line, not the command line typed at the prompt.
    let pane = tmux.wait_for("the exit status", |p| p.lines().any(|l| l.starts_with("TOKDBG-EXITED:")));
    assert!(pane.lines().any(|l| l == "TOKDBG-EXITED:0"), "tokdbg exited with 0: {pane}");
    assert_terminal_restored(&tmux, "after q");
}

#[test]
fn ctrl_z_suspends_to_the_shell_and_fg_redraws() {
    suspend_and_resume("ctrl-z", |tmux, _| tmux.keys(&["C-z"]));
}

#[test]
fn sigtstp_from_kill_suspends_and_fg_redraws() {
    suspend_and_resume("tstp", |_, pid| kill("TSTP", pid));
}

// ---------------------------------------------------------------------------------------------
// The demo's profile directory

/// A pid that belonged to a process that has exited.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().expect("true runs");
    let pid = child.id();
    child.wait().expect("true exits");
    pid
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn demo_dir_is_fresh_and_private_and_the_sweep_spares_symlinks() {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    if !tmux_and_pgrep_available() {
        eprintln!("note: tmux or pgrep is not on PATH; skipping the tmux demo directory test");
        return;
    }
    // The demo's temp dir is this private one (TMPDIR), so other runs cannot interfere.
    let tmp = tempfile::tempdir().expect("a private temp dir");
    let elsewhere = tempfile::tempdir().expect("a dir the symlink points at");
    std::fs::write(elsewhere.path().join(".bashrc"), "precious").expect("write");
    let stale: PathBuf = tmp.path().join(format!("tokdbg-demo-{}-Ab12Cd34Ef56", dead_pid()));
    std::fs::create_dir(&stale).expect("mkdir");
    std::fs::write(stale.join("demo-reader.toml"), "left by a killed run").expect("write");
    let link = format!("tokdbg-demo-{}", dead_pid());
    std::os::unix::fs::symlink(elsewhere.path(), tmp.path().join(&link)).expect("symlink");

    let mut tmux = Tmux::new("demo-dir");
    tmux.start(&format!("TMPDIR='{}' '{}' demo; echo \"TOKDBG-EXITED:$?\"; sleep 60", tmp.path().display(), bin()));
    tmux.wait_for_demo();
    let pid = tmux.child_pid();

    // The killed run's directory is gone; the symlink and what it points at are untouched.
    assert!(!stale.exists(), "the stale directory was swept");
    assert!(std::fs::symlink_metadata(tmp.path().join(&link)).expect("the link").file_type().is_symlink());
    assert_eq!(names(elsewhere.path()), [".bashrc"]);
    assert_eq!(std::fs::read_to_string(elsewhere.path().join(".bashrc")).expect("read"), "precious");

    // This run's directory: our pid, then 12 random letters and digits; 0700, files 0600.
    let entries = names(tmp.path());
    let ours: Vec<&String> = entries.iter().filter(|n| **n != link).collect();
    assert_eq!(ours.len(), 1, "{entries:?}");
    let random = ours[0].strip_prefix(&format!("tokdbg-demo-{pid}-")).expect("named after the pid");
    assert!(random.len() == 12 && random.bytes().all(|b| b.is_ascii_alphanumeric()), "{random}");
    let dir = tmp.path().join(ours[0]);
    let meta = std::fs::symlink_metadata(&dir).expect("the demo dir");
    assert!(meta.is_dir());
    assert_eq!(meta.permissions().mode() & 0o7777, 0o700);
    assert_eq!(meta.uid(), std::fs::metadata(tmp.path()).expect("tmp").uid());
    let files = names(&dir);
    // The profiles and the demo TLS files (CA, client certificates and keys) they read.
    assert_eq!(files.len(), crate::support::demo_profile_count() + tokdbg::demo::DEMO_TLS_FILES.len(), "{files:?}");
    for file in &files {
        let meta = std::fs::symlink_metadata(dir.join(file)).expect("a profile");
        assert!(meta.is_file(), "{file}");
        assert_eq!(meta.permissions().mode() & 0o7777, 0o600, "{file}");
    }

    tmux.keys(&["q"]);
    tmux.wait_for("the program to exit", |p| p.contains("TOKDBG-EXITED:0"));
    assert_eq!(names(tmp.path()), [link], "the demo removed its directory on the way out");
}

// ---------------------------------------------------------------------------------------------
// Copying inside tmux

/// `y c` copies the request as curl: inside tmux it lands in tmux's paste buffer whatever the
/// server's clipboard options (OSC 52 passthrough is off by default since tmux 3.3).
#[test]
fn copy_inside_tmux_reaches_the_paste_buffer() {
    if !tmux_available() {
        eprintln!("note: tmux is not on PATH; skipping the tmux end-to-end test");
        return;
    }
    let mut tmux = Tmux::new("copy");
    tmux.start(&format!("'{}' demo; echo \"TOKDBG-EXITED:$?\"; sleep 60", bin()));
    tmux.wait_for_demo();
    tmux.keys(&["Enter"]);
    tmux.wait_for("the endpoints", |p| p.contains("Endpoints · demo-reader"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("HTTP 200", |p| p.contains("HTTP 200"));
    tmux.keys(&["y"]);
    tmux.wait_for("the copy menu", |p| p.contains("curl"));
    tmux.keys(&["c"]);
    tmux.wait_for("the copy to be confirmed", |p| p.contains("paste buffer"));
    let buffer = tmux.ok(&["show-buffer"]);
    assert!(buffer.contains("\ncurl -sS -X GET 'http://127.0.0.1:"), "{buffer}");
    assert!(buffer.contains("/api/protected'"), "the endpoint's URL: {buffer}");
    assert!(buffer.contains(".[signature redacted]'"), "the redacted curl carries no signature: {buffer}");
    tmux.keys(&["q"]);
    tmux.wait_for("the program to exit", |p| p.contains("TOKDBG-EXITED:0"));
}

// ---------------------------------------------------------------------------------------------
// A new user's walkthrough

impl Tmux {
    /// Starts the session `tui` at `width` x `height` running `command` with `sh -c`.
    fn start_sized(&mut self, width: u16, height: u16, command: &str) {
        let (w, h) = (width.to_string(), height.to_string());
        self.ok(&["-u", "new-session", "-d", "-s", "tui", "-x", &w, "-y", &h, "sh", "-c", command]);
        self.socket_path = Some(self.format("#{socket_path}"));
    }

    /// Types `text` then presses `keys`.
    fn type_then(&self, text: &str, keys: &[&str]) {
        if !text.is_empty() {
            self.literal(text);
        }
        if !keys.is_empty() {
            self.keys(keys);
        }
    }
}

/// The demo issuer's URL as the banner shows it.
fn issuer_of(pane: &str) -> String {
    let at = pane.find("demo issuer http://").expect("the banner names the demo issuer") + "demo issuer ".len();
    pane[at..].split_whitespace().next().unwrap_or_default().to_owned()
}

/// What a new user does on the first day, at one terminal size: a profile made from scratch
/// in the form for the demo issuer, two endpoints added there, saved, both sent (200, then
/// 403), the file edited in `$EDITOR` (a script) and the change seen, a curl copied, quit.
fn walkthrough(width: u16, height: u16) {
    if !tmux_available() {
        eprintln!("note: tmux is not on PATH; skipping the tmux end-to-end test");
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let editor = dir.path().join("editor.sh");
    // The "editor" renames the profile, as a user would by hand.
    std::fs::write(&editor, "#!/bin/sh\nsed -i 's/^name = \"mine\"$/name = \"mine v2\"/' \"$1\"\n").unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let mut tmux = Tmux::new(&format!("walk{width}"));
    tmux.start_sized(
        width,
        height,
        &format!("EDITOR='{}' '{}' demo; echo \"TOKDBG-EXITED:$?\"; sleep 60", editor.display(), bin()),
    );
    let pane = tmux.wait_for("the demo", |p| p.contains("demo issuer http://"));
    let issuer = issuer_of(&pane);
    let base = issuer.trim_end_matches("/oidc").to_owned();

    // n: the form. File name, name, issuer.url; client id; auth method (post, the default);
    // secret kind → literal; the SK.
    // (n offers the blank form, a URL or a curl command; Enter takes the blank form.)
    tmux.keys(&["n"]);
    tmux.wait_for("the choice", |p| p.contains("How do you want to start?"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("the form", |p| p.contains("New profile →"));
    tmux.keys(&["Tab"]);
    tmux.type_then("mine", &["Tab"]);
    tmux.type_then(&issuer, &["Tab", "Tab", "Tab"]);
    tmux.type_then("demo-reader", &["Tab", "Tab", "Right", "Right", "Right", "Right", "Tab"]);
    tmux.type_then("demo-reader-secret", &["Tab"]);
    tmux.type_then("order:read", &["Tab", "Tab", "Tab"]);
    tmux.type_then(&issuer, &["Tab"]);
    tmux.type_then("demo-app", &["Tab", "Tab", "Tab", "Tab", "Tab"]);
    tmux.wait_for("the endpoints section", |p| p.contains("none yet: a adds one"));
    // Two endpoints: GET read orders, POST write orders (a JSON body on two lines).
    tmux.keys(&["a"]);
    tmux.type_then("read orders", &["Tab", "Tab"]);
    tmux.type_then(&format!("{base}/api/protected"), &["Tab"]);
    tmux.type_then("order:read", &["C-s"]);
    tmux.keys(&["a"]);
    tmux.type_then("write orders", &["Tab", "Right", "Tab"]);
    tmux.type_then(&format!("{base}/api/orders"), &["Tab"]);
    tmux.type_then("order:write", &["Tab"]);
    tmux.type_then("Content-Type: application/json", &["Tab"]);
    tmux.type_then("{\"item\":", &["Enter"]);
    tmux.type_then("\"tea\"}", &["C-s"]);
    tmux.wait_for("both endpoints in the form", |p| p.contains("read orders") && p.contains("write orders"));
    tmux.keys(&["C-s"]);
    tmux.wait_for("the saved profile", |p| p.contains("saved") && p.contains("Profile · mine"));

    // Send both: 200, then 403 with the missing scope named.
    tmux.keys(&["Enter", "Enter"]);
    tmux.wait_for("HTTP 200", |p| p.contains("HTTP 200"));
    tmux.keys(&["j", "Enter"]);
    let pane = tmux.wait_for("HTTP 403", |p| p.contains("HTTP 403"));
    assert!(pane.contains("scope_missing"), "{pane}");

    // o: the editor renames the profile; the list shows the new name.
    tmux.keys(&["Tab", "o"]);
    tmux.wait_for("the edit to show", |p| p.contains("mine v2"));

    // y c: the curl of the last request lands in tmux's buffer.
    tmux.keys(&["y"]);
    tmux.wait_for("the copy menu", |p| p.contains("curl"));
    tmux.keys(&["c"]);
    tmux.wait_for("the copy", |p| p.contains("paste buffer"));
    let buffer = tmux.ok(&["show-buffer"]);
    assert!(buffer.contains("/api/orders'"), "{buffer}");

    tmux.keys(&["q"]);
    let pane = tmux.wait_for("the program to exit", |p| p.contains("TOKDBG-EXITED"));
    assert!(pane.contains("TOKDBG-EXITED:0"), "{pane}");
    assert_terminal_restored(&tmux, "after the walkthrough");
}

#[test]
fn walkthrough_at_80x24() {
    walkthrough(80, 24);
}

#[test]
fn walkthrough_at_160x48() {
    walkthrough(160, 48);
}
