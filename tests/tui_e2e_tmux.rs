//! End to end: `tokdbg demo` in a real terminal (a detached tmux pane), driven with keys.
//! Skipped (with a note) when tmux is not installed.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A private tmux server (its own socket), killed when the test ends, however it ends.
struct Tmux {
    socket: String,
    /// The socket file, removed after the server is killed.
    socket_path: Option<String>,
}

impl Tmux {
    fn new() -> Tmux {
        Tmux { socket: format!("tokdbg-test-{}", std::process::id()), socket_path: None }
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

    /// Polls the pane every 100 ms until `ready` holds (10 s at most); returns the pane.
    fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let pane = self.pane();
            if ready(&pane) {
                return pane;
            }
            if start.elapsed() > Duration::from_secs(10) {
                panic!("timed out waiting for {what}; the pane shows:\n{pane}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
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

#[test]
fn demo_in_tmux_reads_is_denied_and_quits_cleanly() {
    if !tmux_available() {
        eprintln!("note: tmux is not on PATH; skipping the tmux end-to-end test");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_tokdbg");
    let mut tmux = Tmux::new();
    let shell = format!("'{bin}' demo; echo \"TOKDBG-EXITED:$?\"; sleep 60");
    tmux.ok(&["-u", "new-session", "-d", "-s", "tui", "-x", "100", "-y", "30", "sh", "-c", &shell]);
    tmux.socket_path = Some(tmux.format("#{socket_path}"));

    // The demo starts with its 16 profiles, demo-reader selected (the list is sorted by file name).
    let pane =
        tmux.wait_for("the profile list", |p| p.contains("Profiles (16)") && p.contains("Profile · demo-reader"));
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
    tmux.wait_for("the filtered list", |p| p.contains("Profiles /noscope (1/16)"));
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
    assert_eq!(tmux.format("#{alternate_on}"), "0", "the alternate screen was left");
    assert_eq!(tmux.format("#{mouse_any_flag}#{mouse_all_flag}"), "00", "mouse reporting was turned off");
    assert_eq!(tmux.format("#{cursor_flag}"), "1", "the cursor is visible again");
}
