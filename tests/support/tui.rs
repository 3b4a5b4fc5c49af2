//! The TUI tests' harness: the real event loop on a `TestBackend` over the demo, the engine and
//! the app all on one `FixedClock` (so times, countdowns and latencies read the same on every
//! run), key/mouse message builders, a recording clipboard, crafted tokens, and the insta
//! filters for what still varies (ports, the temporary directory's name).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokdbg::core::clock::{Clock, FixedClock};
use tokdbg::core::engine::Engine;
use tokdbg::core::model::secret::Secret;
use tokdbg::core::net::http::HttpConfig;
use tokdbg::core::store::profile_store::{self, DirOrigin};
use tokdbg::demo::{self, DemoKey, DemoServer};
use tokdbg::tui::event_loop::{self, JobControl};
use tokdbg::tui::msg::Msg;
use tokdbg::tui::state::app::App;
use tokdbg::tui::state::profiles::ProfileList;
use tokdbg::tui::tasks::{Clipboard, Runner};
use tokdbg::tui::update::update;

/// The fixed "now" of screens that need no server: 2027-01-15 08:00:00 UTC.
pub const NOW: i64 = 1_800_000_000;

// ---------------------------------------------------------------------------------------------
// Messages

pub fn press(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn key(c: char) -> Msg {
    press(KeyCode::Char(c))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn enter() -> Msg {
    press(KeyCode::Enter)
}

pub fn esc() -> Msg {
    press(KeyCode::Esc)
}

pub fn tab() -> Msg {
    press(KeyCode::Tab)
}

/// One key message per character.
pub fn typed(text: &str) -> Vec<Msg> {
    text.chars().map(key).collect()
}

pub fn click(column: u16, row: u16) -> Msg {
    Msg::Mouse(MouseEvent { kind: MouseEventKind::Down(MouseButton::Left), column, row, modifiers: KeyModifiers::NONE })
}

/// Applies messages straight to `update`, without running any command (for state-only steps).
pub fn apply(app: &mut App, msgs: impl IntoIterator<Item = Msg>) {
    for msg in msgs {
        let _ = update(app, msg);
    }
}

// ---------------------------------------------------------------------------------------------
// Clipboard

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub label: String,
    pub text: String,
    pub to_file: bool,
}

/// A clipboard that remembers what was copied.
#[derive(Debug, Clone, Default)]
pub struct RecordingClipboard(pub Arc<Mutex<Vec<Copied>>>);

impl RecordingClipboard {
    pub fn copies(&self) -> Vec<Copied> {
        self.0.lock().unwrap().clone()
    }
}

impl Clipboard for RecordingClipboard {
    fn copy(&mut self, label: &str, text: &Secret, to_file: bool) -> Result<String, String> {
        self.0.lock().unwrap().push(Copied { label: label.to_owned(), text: text.expose().to_owned(), to_file });
        Ok(format!("copied {label} (test clipboard)"))
    }
}

// ---------------------------------------------------------------------------------------------
// Harness

/// The app over a profile directory, with its engine, clipboard and a `TestBackend` terminal.
pub struct Harness {
    /// What "now" is for the demo server, the engine and the event loop, and what every
    /// measured latency is ([`FixedClock::LATENCY`], 1.5 ms).
    pub clock: Arc<FixedClock>,
    pub server: Option<DemoServer>,
    pub dir: tempfile::TempDir,
    pub app: App,
    pub engine: Arc<Engine>,
    pub clipboard: RecordingClipboard,
    pub terminal: Terminal<TestBackend>,
}

impl Harness {
    /// The demo server on a free port, its profiles in a temporary directory, demo-reader
    /// selected (as `tokdbg demo` does), everything on a fixed clock at [`NOW`].
    pub async fn demo(width: u16, height: u16) -> Harness {
        Harness::demo_with(width, height, |_, _| {}).await
    }

    /// Like [`Harness::demo`], with extra files written into the profile directory first.
    pub async fn demo_with(width: u16, height: u16, extra: impl FnOnce(&Path, &str)) -> Harness {
        let clock = Arc::new(FixedClock::at(NOW));
        let server = DemoServer::start_with_clock("127.0.0.1:0".parse().unwrap(), clock.clone())
            .await
            .expect("demo server starts");
        let dir = profile_dir();
        demo::write_demo_profiles(dir.path(), &server.base_url()).unwrap();
        extra(dir.path(), &server.base_url());
        let mut harness = Harness::on_clock(dir, width, height, clock);
        harness.app.banner = Some(format!("demo issuer {} · demo-only credentials · ? for keys", server.issuer()));
        harness.app.profiles.select_stem("demo-reader");
        harness.server = Some(server);
        harness
    }

    /// An app over `dir` (no server), on a fixed clock at `now`.
    pub fn over(dir: tempfile::TempDir, width: u16, height: u16, now: i64) -> Harness {
        Harness::on_clock(dir, width, height, Arc::new(FixedClock::at(now)))
    }

    fn on_clock(dir: tempfile::TempDir, width: u16, height: u16, clock: Arc<FixedClock>) -> Harness {
        let store = profile_store::load_dir(dir.path(), DirOrigin::Flag).expect("profile dir loads");
        let mut app = App::new(ProfileList::from_store(&store), clock.now(), true);
        app.size = (width, height);
        Harness {
            engine: Arc::new(Engine::with_clock(HttpConfig::default(), clock.clone())),
            clock,
            server: None,
            dir,
            app,
            clipboard: RecordingClipboard::default(),
            terminal: Terminal::new(TestBackend::new(width, height)).unwrap(),
        }
    }

    /// The demo issuer (`{base_url}/oidc`).
    pub fn issuer(&self) -> String {
        self.server.as_ref().map(|s| s.issuer()).unwrap_or_default()
    }

    pub fn base_url(&self) -> String {
        self.server.as_ref().map(|s| s.base_url()).unwrap_or_default()
    }

    /// Runs the real event loop over `script` until the script ends (scripts that need
    /// results end with `Msg::WaitIdle`), on the harness' clock; fails after 20 s.
    pub async fn run(&mut self, script: Vec<Msg>) {
        self.run_stream(futures_util::stream::iter(script)).await;
    }

    /// [`Harness::run`] over any stream of messages.
    pub async fn run_stream<S>(&mut self, input: S)
    where
        S: futures_util::Stream<Item = Msg> + Unpin,
    {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let mut runner = Runner::new(self.engine.clone(), tx, Box::new(self.clipboard.clone()));
        let clock = self.clock.clone();
        let run = event_loop::run(&mut self.terminal, input, &mut self.app, &mut runner, rx, move || clock.now());
        match tokio::time::timeout(Duration::from_secs(20), run).await {
            Ok(result) => result.expect("the loop draws on the test backend"),
            Err(_) => panic!("the event loop did not finish the script within 20 s"),
        }
    }

    /// [`Harness::run`] with `jobs` handling Ctrl-Z, [`Msg::Suspend`] and [`Msg::Resume`].
    pub async fn run_with_jobs(&mut self, script: Vec<Msg>, jobs: &mut impl JobControl<TestBackend>) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let mut runner = Runner::new(self.engine.clone(), tx, Box::new(self.clipboard.clone()));
        let input = futures_util::stream::iter(script);
        let clock = self.clock.clone();
        let run = event_loop::run_with_job_control(
            &mut self.terminal,
            input,
            &mut self.app,
            &mut runner,
            rx,
            move || clock.now(),
            jobs,
        );
        match tokio::time::timeout(Duration::from_secs(20), run).await {
            Ok(result) => result.expect("the loop draws on the test backend"),
            Err(_) => panic!("the event loop did not finish the script within 20 s"),
        }
    }

    /// A copy of the app as it reads `secs` after the harness' clock (views compute "in 42 min"
    /// and "30 s ago" from `app.now`), for snapshots of a moment after the calls.
    pub fn app_after(&self, secs: i64) -> App {
        let mut app = self.app.clone();
        app.now = self.clock.now() + secs;
        app
    }

    /// The terminal's text, one line per row, trailing blanks trimmed.
    pub fn screen(&self) -> String {
        buffer_text(self.terminal.backend().buffer())
    }

    /// Selects a profile by file stem (clearing a filter if needed).
    pub fn select(&mut self, stem: &str) {
        self.app.profiles.select_stem(stem);
        assert_eq!(self.app.selected_stem().as_deref(), Some(stem), "{stem} is in the profile list");
    }
}

/// The HTTP status of the selected profile's last call.
pub fn last_status(app: &App) -> Option<u16> {
    app.selected_session().and_then(|s| s.call.as_ref()).and_then(|c| c.response.as_ref()).map(|r| r.status)
}

/// A private temporary profile directory with a predictable name shape.
/// (Under /tmp when it exists, so paths have the same length on every machine.)
pub fn profile_dir() -> tempfile::TempDir {
    let base = Path::new("/tmp");
    let mut builder = tempfile::Builder::new();
    builder.prefix("tokdbg-tui-").rand_bytes(6);
    if base.is_dir() { builder.tempdir_in(base).unwrap() } else { builder.tempdir().unwrap() }
}

/// The text of a buffer, one line per row, trailing blanks trimmed.
pub fn buffer_text(buffer: &ratatui::buffer::Buffer) -> String {
    let width = buffer.area.width as usize;
    buffer
        .content
        .chunks(width)
        .map(|row| {
            let mut line = String::new();
            let mut skip = 0usize;
            for cell in row {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                line.push_str(cell.symbol());
                skip = unicode_width(cell.symbol()).saturating_sub(1);
            }
            line.trim_end().to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn unicode_width(symbol: &str) -> usize {
    // The TUI draws only narrow symbols (box drawing, arrows, braille spinners, bullets).
    if symbol.is_empty() { 0 } else { 1 }
}

/// Renders `app` on a fresh `TestBackend` of `width` x `height`.
pub fn render(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut app = app.clone();
    app.size = (width, height);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| tokdbg::tui::view::render(frame, &app)).unwrap();
    terminal
}

// ---------------------------------------------------------------------------------------------
// Tokens

/// An RS256 token signed with the demo issuer's published key (demo-rsa-1).
pub fn rs256_token(claims: &serde_json::Value) -> String {
    demo::sign_token(claims, jsonwebtoken::Algorithm::RS256, DemoKey::Rsa1, Some(DemoKey::Rsa1.kid()))
}

/// Claims like the demo issuer's for `client`, with times relative to `now`.
pub fn demo_claims(issuer: &str, client: &str, scope: &str, now: i64) -> serde_json::Value {
    serde_json::json!({
        "iss": issuer,
        "sub": client,
        "aud": "demo-app",
        "client_id": client,
        "scope": scope,
        "iat": now - 630,
        "nbf": now - 630,
        "exp": now + 3030,
        "jti": "test-jti-0001",
    })
}

/// Insta filters that hide what still varies between runs — ports, the demo's jti (time-based),
/// the temporary directory's random part — and, kept so the snapshots read as they always
/// have, absolute times, epoch numbers in claims and latencies (fixed by the clock now). Replacements keep
/// the width of what they replace, so borders stay aligned in the snapshots; a value cut short
/// by a pane edge or an overlay is replaced character for character too.
pub fn filters() -> Vec<(String, String)> {
    let mut filters = Vec::new();
    for digits in (1..=5).rev() {
        filters
            .push((format!(r"127\.0\.0\.1:\d{{{digits}}}(\D|$)"), format!("127.0.0.1:{}${{1}}", "N".repeat(digits))));
    }
    for chars in (1..=6).rev() {
        filters.push((
            format!("tokdbg-tui-[A-Za-z0-9]{{{chars}}}([^A-Za-z0-9]|$)"),
            format!("tokdbg-tui-{}${{1}}", "X".repeat(chars)),
        ));
    }
    filters.extend([
        (r"\d+(\.\d+)? ms\b".to_owned(), "1.5 ms".to_owned()),
        (
            r"(?i)date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT".to_owned(),
            "date: Www, DD Mmm YYYY hh:mm:ss GMT".to_owned(),
        ),
        (r"\b\d{4}-\d\d-\d\d\b".to_owned(), "YYYY-MM-DD".to_owned()),
        (r"\b\d\d:\d\d:\d\d UTC".to_owned(), "hh:mm:ss UTC".to_owned()),
        (r#""(iat|nbf|exp|auth_time)": \d{10}"#.to_owned(), r#""$1": NNNNNNNNNN"#.to_owned()),
        (r#""jti": "[0-9a-f]{16}-"#.to_owned(), r#""jti": "XXXXXXXXXXXXXXXX-"#.to_owned()),
        // The copy menu lists claim values bare: epoch times and the demo's jti.
        (r"\b1[6-9]\d{8}\b".to_owned(), "NNNNNNNNNN".to_owned()),
        (r"\b[0-9a-f]{16}-(\d)".to_owned(), "XXXXXXXXXXXXXXXX-$1".to_owned()),
    ]);
    filters
}

/// A profile file that asks for its secret at a prompt (demo-reader's client otherwise).
pub fn write_prompt_profile(dir: &Path, base_url: &str) -> PathBuf {
    write_reader_profile(dir, base_url, "prompted", "asks for its secret", "prompt")
}

/// `{stem}.toml`: demo-reader's client and one endpoint, with the client secret read from
/// `secret` (a secret source: `prompt`, `env:VAR`, …).
pub fn write_reader_profile(dir: &Path, base_url: &str, stem: &str, name: &str, secret: &str) -> PathBuf {
    let text = format!(
        r#"name = "{name}"

[issuer]
url = "{base_url}/oidc"

[client]
id = "demo-reader"
secret = "{secret}"
auth_method = "client_secret_post"
scopes = ["order:read"]

[expect]
issuer = "{base_url}/oidc"
audience = "demo-app"
algorithms = ["RS256"]

[[endpoints]]
name = "read orders"
method = "GET"
url = "{base_url}/api/protected"
required_scopes = ["order:read"]
"#
    );
    let path = dir.join(format!("{stem}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

/// A TOML file that does not parse.
pub fn write_broken_profile(dir: &Path) -> PathBuf {
    let path = dir.join("demo-broken.toml");
    std::fs::write(&path, "name = \"half written\n[issuer\nurl = 'http://127.0.0.1:1/oidc'\n").unwrap();
    path
}
