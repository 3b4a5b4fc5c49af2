//! Shared helpers for the TUI tests: a demo-backed harness that drives the real event loop on a
//! `TestBackend`, key/mouse message builders, a recording clipboard, crafted tokens, and the
//! normalisation that makes screens with real-time data reproducible.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokdbg::core::clock;
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
    pub server: Option<DemoServer>,
    pub dir: tempfile::TempDir,
    pub app: App,
    pub engine: Arc<Engine>,
    pub clipboard: RecordingClipboard,
    pub terminal: Terminal<TestBackend>,
}

impl Harness {
    /// The demo server on a free port, its profiles in a temporary directory, demo-reader
    /// selected (as `tokdbg demo` does), the real clock.
    pub async fn demo(width: u16, height: u16) -> Harness {
        Harness::demo_with(width, height, |_, _| {}).await
    }

    /// Like [`Harness::demo`], with extra files written into the profile directory first.
    pub async fn demo_with(width: u16, height: u16, extra: impl FnOnce(&Path, &str)) -> Harness {
        let server = DemoServer::start("127.0.0.1:0".parse().unwrap()).await.expect("demo server starts");
        let dir = profile_dir();
        demo::write_demo_profiles(dir.path(), &server.base_url()).unwrap();
        extra(dir.path(), &server.base_url());
        let mut harness = Harness::over(dir, width, height, clock::now_unix());
        harness.app.banner = Some(format!("demo issuer {} · demo-only credentials · ? for keys", server.issuer()));
        harness.app.profiles.select_stem("demo-reader");
        harness.server = Some(server);
        harness
    }

    /// An app over `dir` (no server).
    pub fn over(dir: tempfile::TempDir, width: u16, height: u16, now: i64) -> Harness {
        let store = profile_store::load_dir(dir.path(), DirOrigin::Flag).expect("profile dir loads");
        let mut app = App::new(ProfileList::from_store(&store), now, true);
        app.size = (width, height);
        Harness {
            server: None,
            dir,
            app,
            engine: Arc::new(Engine::new(HttpConfig::default())),
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
    /// results end with `Msg::WaitIdle`), with the real clock; fails after 20 s.
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
        let run = event_loop::run(&mut self.terminal, input, &mut self.app, &mut runner, rx, clock::now_unix);
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
        let run = event_loop::run_with_job_control(
            &mut self.terminal,
            input,
            &mut self.app,
            &mut runner,
            rx,
            clock::now_unix,
            jobs,
        );
        match tokio::time::timeout(Duration::from_secs(20), run).await {
            Ok(result) => result.expect("the loop draws on the test backend"),
            Err(_) => panic!("the event loop did not finish the script within 20 s"),
        }
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

// ---------------------------------------------------------------------------------------------
// Normalisation of real-time data

/// Makes a state reached with the real demo server reproducible: latencies become 1.5 ms, the
/// Date header a fixed date, call times 30 s before `now`, and "now" is pinned relative to the
/// selected token's `iat` (`iat + 630`), so countdowns read the same on every run. Phrases the
/// engine computed a second or two after issuance are rewritten as if computed at issuance.
pub fn freeze(app: &mut App) {
    let now = app
        .selected_session()
        .and_then(|s| s.token.as_ref())
        .and_then(|t| t.token.claims.as_ref())
        .and_then(|c| c.get("iat"))
        .and_then(serde_json::Value::as_i64)
        .map(|iat| iat + 630)
        .unwrap_or(app.now);
    app.now = now;
    app.spinner = 0;
    let mut phrases: Vec<(String, String)> = Vec::new();
    for session in app.sessions.values_mut() {
        if let Some(fetch) = session.token.as_mut() {
            phrases.extend(settle_phrases(fetch.token.claims.as_ref()));
            if let Some(request) = fetch.token_request.as_mut() {
                request.latency_ms = 1.5;
            }
            if let Some(verification) = fetch.verification.as_mut() {
                settle_verification(verification, &phrases);
            }
        }
        if let Some(report) = session.call.as_mut() {
            phrases.extend(settle_phrases(report.token.claims.as_ref()));
            freeze_report(Arc::make_mut(report), now, &phrases);
        }
    }
    for report in app.history.iter_mut() {
        phrases.extend(settle_phrases(report.token.claims.as_ref()));
        freeze_report(Arc::make_mut(report), now, &phrases);
    }
    if let tokdbg::tui::state::app::Mode::Paste(paste) = &mut app.mode
        && let Some(report) = paste.report.as_mut()
        && let Some(verification) = report.verification.as_mut()
    {
        let phrases = settle_phrases(report.token.claims.as_ref());
        settle_verification(verification, &phrases);
    }
    if let Some(status) = app.status.as_mut() {
        status.text = settle_latency(&settle(&status.text, &phrases));
    }
}

/// (as computed 1–3 s late, as computed on time) for the token's exp, nbf and iat.
fn settle_phrases(claims: Option<&serde_json::Map<String, serde_json::Value>>) -> Vec<(String, String)> {
    let Some(claims) = claims else { return Vec::new() };
    let Some(iat) = claims.get("iat").and_then(serde_json::Value::as_i64) else { return Vec::new() };
    let mut pairs = Vec::new();
    for late in 1..=3 {
        if let Some(exp) = claims.get("exp").and_then(serde_json::Value::as_i64) {
            pairs.push((clock::expiry_phrase(exp, iat + late), clock::expiry_phrase(exp, iat)));
        }
        for name in ["nbf", "iat"] {
            if let Some(ts) = claims.get(name).and_then(serde_json::Value::as_i64) {
                pairs.push((
                    format!("({})", clock::relative(ts, iat + late)),
                    format!("({})", clock::relative(ts, iat)),
                ));
            }
        }
    }
    pairs
}

fn settle(text: &str, phrases: &[(String, String)]) -> String {
    let mut text = text.to_owned();
    for (late, on_time) in phrases {
        if late != on_time && text.contains(late.as_str()) {
            text = text.replace(late.as_str(), on_time);
        }
    }
    text
}

fn settle_verification(verification: &mut tokdbg::core::token::verify::Verification, phrases: &[(String, String)]) {
    for check in &mut verification.checks {
        check.detail = settle(&check.detail, phrases);
        check.actual = check.actual.as_deref().map(|a| settle(a, phrases));
        check.expected = check.expected.as_deref().map(|e| settle(e, phrases));
    }
}

/// Every "<number> ms" becomes "1.5 ms".
pub fn settle_latency(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(" ms") {
        let before = &rest[..at];
        let start = before.rfind(|c: char| !(c.is_ascii_digit() || c == '.')).map(|i| i + 1).unwrap_or(0);
        if start < at && before[start..].chars().next().is_some_and(|c| c.is_ascii_digit()) {
            out.push_str(&before[..start]);
            out.push_str("1.5 ms");
        } else {
            out.push_str(&rest[..at + 3]);
        }
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    out
}

fn freeze_report(report: &mut tokdbg::core::engine::CallReport, now: i64, phrases: &[(String, String)]) {
    report.at = now - 30;
    if let Some(request) = report.token_request.as_mut() {
        request.latency_ms = 1.5;
    }
    if let Some(response) = report.response.as_mut() {
        response.latency_ms = 1.5;
        for (name, value) in response.headers.iter_mut() {
            if name.eq_ignore_ascii_case("date") {
                *value = "Fri, 15 Jan 2027 08:00:00 GMT".to_owned();
            }
        }
    }
    if let Some(verification) = report.verification.as_mut() {
        settle_verification(verification, phrases);
    }
    for finding in &mut report.findings {
        finding.message = settle_latency(&settle(&finding.message, phrases));
        finding.evidence.actual = finding.evidence.actual.as_deref().map(|a| settle_latency(&settle(a, phrases)));
    }
}

/// Insta filters that hide what still varies between runs: ports, absolute times, epoch numbers
/// in claims, the demo's jti, latencies, the temporary directory's random part. Replacements keep
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
    let text = format!(
        r#"name = "asks for its secret"

[issuer]
url = "{base_url}/oidc"

[client]
id = "demo-reader"
secret = "prompt"
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
    let path = dir.join("prompted.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// A TOML file that does not parse.
pub fn write_broken_profile(dir: &Path) -> PathBuf {
    let path = dir.join("demo-broken.toml");
    std::fs::write(&path, "name = \"half written\n[issuer\nurl = 'http://127.0.0.1:1/oidc'\n").unwrap();
    path
}
