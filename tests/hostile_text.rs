//! Hostile text and echoing servers: every vector of terminal control an outsider can put in a
//! token, a server's answer, a JWKS or a profile file, through every CLI command that can show
//! it and through the TUI's screens, asserted on the raw bytes written; and secrets a server
//! echoes back, asserted absent. Everything talks to loopback only.

use std::path::Path;

use base64::Engine as _;
use serde_json::{Value, json};
use tokdbg::demo::{DemoKey, sign_token};

use crate::support::faults::{Echo, Fault, FaultServer, Reply};
use crate::support::{self, Run, TestResult, tokdbg_command};

// ---------------------------------------------------------------------------------------------
// Vectors and the check

/// Each way a string can act on a terminal instead of being read.
const VECTORS: [(&str, &str); 8] = [
    ("osc52_clipboard", "\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}"),
    ("osc0_title", "\u{1b}]0;pwned\u{7}"),
    ("erase_line", "\r\u{1b}[2K"),
    ("hidden_fake_lines", "\u{1b}[8m\nresponse   200 in 1 ms\n\nALLOWED\n"),
    ("c1_csi", "\u{9b}2J\u{9d}0;t\u{9c}\u{85}"),
    ("del", "\u{7f}\u{7f}"),
    ("bidi_override", "\u{202e}dellaw\u{202c}\u{2066}x\u{2069}\u{61c}"),
    ("invisible_format", "\u{200b}\u{200f}\u{feff}\u{2060}\u{e0041}"),
];

/// Every vector in one string, between markers so the value can be found in the output.
fn all_vectors() -> String {
    let mut text = String::from("<<");
    for (_, vector) in VECTORS {
        text.push_str(vector);
        text.push('|');
    }
    text.push_str(">>");
    text
}

/// What must never be emitted: independent of the code under test's own list.
fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}')
        || matches!(c, '\u{feff}' | '\u{2060}' | '\u{61c}' | '\u{e0000}'..='\u{e007f}')
}

/// The output holds no byte or character that could drive a terminal (no ESC at all: the
/// child runs with NO_COLOR or a pipe).
fn assert_inert(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    if let Some((at, c)) = text.char_indices().find(|(_, c)| forbidden(*c)) {
        let from = at.saturating_sub(60);
        panic!("{what}: U+{:04X} emitted at byte {at}: …{:?}…", c as u32, &text[from..(at + 20).min(text.len())]);
    }
}

/// No output line was forged by a value: no line reads as a verdict but the tool's own.
fn assert_no_forged_lines(what: &str, stdout: &str, own_verdict: &str) {
    let verdicts: Vec<&str> =
        stdout.lines().filter(|l| matches!(l.trim(), "ALLOWED" | "DENIED" | "ERROR" | "VALID" | "INVALID")).collect();
    assert!(
        verdicts.len() <= 1 && verdicts.iter().all(|v| v.trim() == own_verdict),
        "{what}: verdict lines {verdicts:?}"
    );
    assert!(!stdout.lines().any(|l| l.starts_with("response   200")), "{what}: a forged response line");
}

/// Checks on a run's raw bytes: what a terminal would be handed.
trait Inert {
    /// stdout then stderr, as text.
    fn all(&self) -> String;
    /// Both streams inert, and no exit by panic.
    fn inert(&self, what: &str) -> &Self;
}

impl Inert for Run {
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    fn inert(&self, what: &str) -> &Self {
        assert_ne!(self.code, 101, "{what} panicked: {}", self.all());
        assert_inert(&format!("{what} (stdout)"), &self.raw_stdout);
        assert_inert(&format!("{what} (stderr)"), &self.raw_stderr);
        self
    }
}

async fn tokdbg(args: &[&str]) -> Run {
    support::tokdbg(args).await
}

// ---------------------------------------------------------------------------------------------
// Hostile material

fn hostile_claims() -> Value {
    let evil = all_vectors();
    json!({
        "iss": format!("https://issuer.example/{evil}"),
        "aud": format!("api{evil}"),
        "sub": evil,
        "scope": format!("order:read {evil}"),
        "exp": support::now() + 3600,
        "iat": support::now(),
    })
}

/// An RS256 token with hostile claims and a hostile `kid` (the demo's key signs it).
fn hostile_token() -> String {
    sign_token(&hostile_claims(), jsonwebtoken::Algorithm::RS256, DemoKey::Rsa1, Some(&format!("k{}", all_vectors())))
}

/// A JWKS whose only key has a hostile kid (so the token's kid is not found and both are shown).
fn hostile_jwks() -> Value {
    let mut jwk = serde_json::to_value(DemoKey::Rsa1.public_jwk(jsonwebtoken::Algorithm::RS256)).expect("jwk");
    jwk["kid"] = Value::String(format!("jwk{}", all_vectors()));
    json!({ "keys": [jwk] })
}

/// A fault server with a hostile JWKS, token endpoint (an OAuth error) and API.
async fn hostile_server() -> FaultServer {
    hostile_server_with(false).await
}

/// [`hostile_server`]; with `grant`, the token endpoint hands out the hostile token instead.
async fn hostile_server_with(grant: bool) -> FaultServer {
    let evil = all_vectors();
    let api_body = format!("{{\"message\":\"denied {evil}\"}}\n{evil}");
    let header_evil = "\u{9b}2J \u{202e}x\u{2066}";
    FaultServer::start(Fault::Routes(vec![
        ("/jwks".into(), Fault::Respond(Reply::json(200, hostile_jwks().to_string()))),
        (
            "/token".into(),
            Fault::Respond(if grant {
                Reply::json(200, json!({ "access_token": hostile_token(), "token_type": format!("Bearer{evil}"), "expires_in": 3600, "scope": evil }).to_string())
            } else {
                Reply::json(400, json!({ "error": format!("invalid_client{evil}"), "error_description": evil }).to_string())
            }),
        ),
        (
            "/api".into(),
            Fault::Respond(
                Reply::new(403, "text/plain", api_body)
                    .header("WWW-Authenticate", &format!("Bearer error=\"insufficient_scope\", error_description=\"{header_evil}\""))
                    .header("X-Note", header_evil),
            ),
        ),
    ]))
    .await
    .expect("fault server")
}

/// TOML basic-string escapes for a hostile value (TOML forbids raw controls but not `\u` ones).
fn toml_escaped(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || c == '"' || c == '\\' || forbidden(c) {
                format!("\\U{:08X}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A profile directory: `hostile.toml` against `server`, `broken.toml` with raw controls.
fn hostile_profiles(server: &FaultServer) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let evil = toml_escaped(&all_vectors());
    let text = format!(
        r#"name = "hostile {evil}"
[issuer]
token_endpoint = "{token}"
jwks_uri = "{jwks}"
[client]
id = "client{evil}"
secret = "s3cret-value-for-tests"
auth_method = "client_secret_post"
scopes = ["order:read", "x{evil}"]
[expect]
issuer = "https://issuer.example/"
audience = "api"
algorithms = ["RS256"]
[[endpoints]]
name = "api {evil}"
method = "GET"
url = "{api}"
required_scopes = ["order:read", "y{evil}"]
"#,
        token = server.url("/token"),
        jwks = server.url("/jwks"),
        api = server.url("/api"),
    );
    std::fs::write(dir.path().join("hostile.toml"), text).expect("write profile");
    std::fs::write(dir.path().join("broken.toml"), format!("name = {}\n", all_vectors())).expect("write broken");
    dir
}

/// Runs tokdbg with `--profiles` over [`hostile_profiles`] against a fresh [`hostile_server`].
async fn over_hostile_profiles(args: &[&str]) -> Run {
    let server = hostile_server().await;
    let dir = hostile_profiles(&server);
    let dir_text = dir_arg(dir.path());
    let mut full = vec!["--profiles", dir_text.as_str()];
    full.extend_from_slice(args);
    tokdbg(&full).await
}

fn dir_arg(dir: &Path) -> String {
    dir.display().to_string()
}

// ---------------------------------------------------------------------------------------------
// decode

#[tokio::test]
async fn decode_shows_hostile_claims_inert() {
    let run = tokdbg(&["decode", &hostile_token()]).await;
    run.inert("decode");
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("\\u001b]52;c;"), "the OSC 52 is shown visibly: {}", run.stdout);
}

#[tokio::test]
async fn decode_json_escapes_and_keeps_every_value() {
    let run = tokdbg(&["decode", "--json", &hostile_token()]).await;
    run.inert("decode --json");
    let value = run.json();
    assert_eq!(value["claims"]["sub"], Value::String(all_vectors()), "values survive the escaping");
    assert!(run.stdout.contains("\\u202e") && run.stdout.contains("\\u009b") && run.stdout.contains("\\u007f"));
}

#[tokio::test]
async fn decode_of_a_hostile_non_token_names_it_inertly() {
    let run = tokdbg(&["decode", &format!("not-a-token{}", all_vectors())]).await;
    run.inert("decode error");
    assert_eq!(run.code, 1);
}

// ---------------------------------------------------------------------------------------------
// verify

#[tokio::test]
async fn verify_against_a_hostile_jwks_is_inert() {
    let server = hostile_server().await;
    let run = tokdbg(&["verify", &hostile_token(), "--jwks", &server.url("/jwks")]).await;
    run.inert("verify");
    assert_eq!(run.code, 1, "{}", run.all());
    assert_no_forged_lines("verify", &run.stdout, "INVALID");
}

#[tokio::test]
async fn verify_json_against_a_hostile_jwks_is_inert() {
    let server = hostile_server().await;
    let run = tokdbg(&["verify", "--json", &hostile_token(), "--jwks", &server.url("/jwks")]).await;
    run.inert("verify --json");
    assert_eq!(run.json()["valid"], Value::Bool(false));
}

// ---------------------------------------------------------------------------------------------
// call

#[tokio::test]
async fn call_shows_a_hostile_api_answer_inert_and_unforged() {
    let run = over_hostile_profiles(&["call", "hostile", "--token", &hostile_token()]).await;
    run.inert("call");
    assert_eq!(run.code, 1, "{}", run.all());
    assert_no_forged_lines("call", &run.stdout, "DENIED");
}

#[tokio::test]
async fn call_json_of_a_hostile_api_answer_is_inert() {
    let run = over_hostile_profiles(&["--json", "call", "hostile", "--token", &hostile_token()]).await;
    run.inert("call --json");
    assert_eq!(run.json()["response"]["status"], json!(403));
}

#[tokio::test]
async fn call_with_a_hostile_token_endpoint_error_is_inert() {
    let run = over_hostile_profiles(&["call", "hostile"]).await;
    run.inert("call (token error)");
    assert_no_forged_lines("call (token error)", &run.stdout, "ERROR");
}

// ---------------------------------------------------------------------------------------------
// token

#[tokio::test]
async fn token_shows_a_hostile_oauth_error_inert() {
    let run = over_hostile_profiles(&["token", "hostile"]).await;
    run.inert("token");
    assert_eq!(run.code, 1, "{}", run.all());
}

#[tokio::test]
async fn token_json_of_a_hostile_oauth_error_is_inert() {
    let run = over_hostile_profiles(&["--json", "token", "hostile"]).await;
    run.inert("token --json");
    let _ = run.json();
}

// ---------------------------------------------------------------------------------------------
// profiles

#[tokio::test]
async fn profiles_list_shows_hostile_names_and_broken_files_inert() {
    let run = over_hostile_profiles(&["profiles", "list"]).await;
    run.inert("profiles list");
    // A header row (issue 10), then one line per profile.
    assert_eq!(run.stdout.lines().count(), 3, "one line per profile, whatever the names hold: {}", run.stdout);
}

#[tokio::test]
async fn profiles_list_json_is_inert() {
    let run = over_hostile_profiles(&["--json", "profiles", "list"]).await;
    run.inert("profiles list --json");
    let _ = run.json();
}

#[tokio::test]
async fn profiles_show_is_inert() {
    let server = hostile_server().await;
    let dir = hostile_profiles(&server);
    run_both(&dir, &["profiles", "show", "hostile"], "profiles show").await;
}

#[tokio::test]
async fn profiles_check_is_inert() {
    let server = hostile_server().await;
    let dir = hostile_profiles(&server);
    let run = run_both(&dir, &["profiles", "check"], "profiles check").await;
    assert_eq!(run.code, 2, "one profile is broken");
}

/// Runs a command over `dir` as human output and as `--json`; both inert. Returns the human run.
async fn run_both(dir: &tempfile::TempDir, args: &[&str], what: &str) -> Run {
    let mut human = vec!["--profiles".to_owned(), dir_arg(dir.path())];
    human.extend(args.iter().map(|a| (*a).to_owned()));
    let mut machine = human.clone();
    machine.push("--json".to_owned());
    let human_refs: Vec<&str> = human.iter().map(String::as_str).collect();
    let machine_refs: Vec<&str> = machine.iter().map(String::as_str).collect();
    let run = tokdbg(&human_refs).await;
    run.inert(what);
    tokdbg(&machine_refs).await.inert(&format!("{what} --json"));
    run
}

// ---------------------------------------------------------------------------------------------
// error messages and the demo

#[tokio::test]
async fn an_error_quoting_a_hostile_argument_is_inert() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = format!("nope{}", all_vectors());
    run_both(&dir, &["call", &name], "call (unknown profile)").await;
}

#[tokio::test]
async fn a_usage_error_quoting_a_hostile_argument_is_inert() {
    let run = tokdbg(&["decode", "--bogus-flag", &all_vectors()]).await;
    run.inert("usage error");
    assert_eq!(run.code, 2);
    tokdbg(&["--json", "verify", &all_vectors(), "--nope"]).await.inert("usage error --json");
}

#[tokio::test]
async fn the_demo_tour_has_no_escape_under_no_color() {
    let run = tokdbg(&["demo"]).await;
    run.inert("demo tour");
    assert_eq!(run.code, 0, "{}", run.all());
}

#[tokio::test]
async fn no_color_flag_alone_means_no_escape_byte() {
    let mut command = tokdbg_command();
    command.env_remove("NO_COLOR").args(["--no-color", "decode", &hostile_token()]);
    let output = command.output().await.expect("tokdbg runs");
    assert!(!output.stdout.contains(&0x1b) && !output.stderr.contains(&0x1b));
}

// ---------------------------------------------------------------------------------------------
// Secrets a server echoes back

const CANARY: &str = "echo-canary-SK+/&=value";

/// A profile whose token endpoint and API both echo what they receive.
fn echo_profile(dir: &Path, token_url: &str, api_url: &str, auth_method: &str) {
    let text = format!(
        r#"[issuer]
token_endpoint = "{token_url}"
jwks_uri = "{token_url}/jwks"
[client]
id = "echo client"
secret = "{CANARY}"
auth_method = "{auth_method}"
[[endpoints]]
name = "echo"
url = "{api_url}"
"#
    );
    std::fs::write(dir.join("echo.toml"), text).expect("write profile");
}

/// Every form of the canary secret that went on the wire.
fn canary_forms() -> Vec<String> {
    let urlencoded: String = url::form_urlencoded::byte_serialize(CANARY.as_bytes()).collect();
    let b64 = base64::engine::general_purpose::STANDARD;
    vec![
        CANARY.to_owned(),
        urlencoded.clone(),
        b64.encode(format!("echo+client:{urlencoded}")).trim_end_matches('=').to_owned(),
        "echo-canary-SK".to_owned(),
    ]
}

fn assert_no_canary(what: &str, text: &str) {
    for form in canary_forms() {
        assert!(!text.contains(&form), "{what}: the secret leaked as {form:?}:\n{text}");
    }
}

async fn echo_run(echo: Echo, status: u16, auth_method: &str, args: &[&str]) -> (Run, FaultServer) {
    let server = FaultServer::start(Fault::Echo { status, echo }).await.expect("echo server");
    let dir = tempfile::tempdir().expect("temp dir");
    echo_profile(dir.path(), &server.url("/token"), &server.url("/api"), auth_method);
    let mut full = vec!["--profiles".to_owned(), dir_arg(dir.path())];
    full.extend(args.iter().map(|a| (*a).to_owned()));
    let refs: Vec<&str> = full.iter().map(String::as_str).collect();
    (tokdbg(&refs).await, server)
}

#[tokio::test]
async fn token_endpoint_echoing_the_body_in_error_description_leaks_no_secret() {
    for args in [&["token", "echo"][..], &["--json", "token", "echo"], &["call", "echo"], &["--json", "call", "echo"]] {
        let (run, server) = echo_run(Echo::OAuthErrorDescription, 400, "client_secret_post", args).await;
        assert!(String::from_utf8_lossy(&server.requests()[0].body).contains("echo-canary"), "the secret was sent");
        assert_no_canary(&format!("{args:?}"), &run.all());
        assert!(run.all().contains("[redacted]"), "{args:?}: the echo is shown, redacted: {}", run.all());
    }
}

#[tokio::test]
async fn token_endpoint_echoing_basic_credentials_in_an_html_500_leaks_no_secret() {
    for args in [&["token", "echo"][..], &["--json", "token", "echo"], &["call", "echo"], &["--json", "call", "echo"]] {
        let (run, server) = echo_run(Echo::HtmlPage, 500, "client_secret_basic", args).await;
        assert!(server.authorizations().iter().any(|a| a.starts_with("Basic ")), "Basic credentials were sent");
        assert_no_canary(&format!("{args:?}"), &run.all());
    }
}

#[tokio::test]
async fn an_api_echoing_the_bearer_token_leaks_no_signature() {
    let token = support::rs256(&json!({ "sub": "x", "exp": support::now() + 600 }));
    let signature = support::signature_of(&token);
    for args in [&["call", "echo", "--token", &token][..], &["--json", "call", "echo", "--token", &token]] {
        let (run, server) = echo_run(Echo::JsonHeaders, 401, "client_secret_post", args).await;
        assert!(server.authorizations().iter().any(|a| a.contains(&signature)), "the token was sent");
        assert!(!run.all().contains(&signature), "{args:?}: the signature leaked:\n{}", run.all());
    }
}

#[tokio::test]
async fn an_api_echo_is_scrubbed_in_the_engine_report() -> TestResult {
    let server = FaultServer::start(Fault::Echo { status: 200, echo: Echo::JsonHeaders }).await?;
    let dir = tempfile::tempdir()?;
    echo_profile(dir.path(), &server.url("/token"), &server.url("/api"), "client_secret_post");
    let entry = tokdbg::core::store::profile_store::load_file(&dir.path().join("echo.toml"));
    let profile = entry.loaded.map_err(|e| e.to_string())?;
    let token = support::rs256(&json!({ "sub": "x", "exp": support::now() + 600 }));
    let spec =
        support::spec_with("echo", &profile, "echo", tokdbg::core::engine::TokenChoice::Given(token.clone().into()))?;
    let report = support::engine().call(spec, None).await;
    let response = report.response.as_ref().ok_or("the API answered")?;
    let signature = support::signature_of(&token);
    let everywhere = serde_json::to_string(&report)? + &format!("{response:?}");
    assert!(!everywhere.contains(&signature), "{everywhere}");
    assert_eq!(
        response.body_json.as_ref().map(|b| b["received"]["headers"]["authorization"].clone()),
        Some(json!("Bearer [redacted]"))
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The TUI: the bytes a real terminal backend receives

/// Renders `app` through crossterm's backend into memory: the exact bytes a terminal gets.
fn terminal_bytes(app: &tokdbg::tui::state::app::App, width: u16, height: u16) -> Vec<u8> {
    let mut app = app.clone();
    app.size = (width, height);
    let sink = Sink::default();
    let backend = ratatui::backend::CrosstermBackend::new(sink.clone());
    let options = ratatui::TerminalOptions {
        viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, width, height)),
    };
    let mut terminal = ratatui::Terminal::with_options(backend, options).expect("terminal");
    terminal.draw(|frame| tokdbg::tui::view::render(frame, &app)).expect("draws");
    drop(terminal);
    sink.0.lock().map(|bytes| bytes.clone()).unwrap_or_default()
}

/// A writer whose bytes stay readable after the backend took it.
#[derive(Clone, Default)]
struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The backend's own sequences are CSI moves and colours; anything else came from the text.
fn assert_terminal_bytes_inert(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let mut rest = text.as_ref();
    while let Some(at) = rest.find('\u{1b}') {
        let after = &rest[at + 1..];
        let params_end = after
            .get(1..)
            .map_or(0, |p| p.find(|c: char| !(c.is_ascii_digit() || c == ';' || c == '?')).unwrap_or(p.len()));
        let final_byte = after.get(1 + params_end..).and_then(|s| s.chars().next());
        assert!(after.starts_with('['), "{what}: ESC not followed by CSI: {:?}", &after[..after.len().min(20)]);
        assert!(
            matches!(final_byte, Some('H' | 'm' | 'J' | 'h' | 'l' | 'q')),
            "{what}: unexpected CSI {:?}",
            &after[..after.len().min(20)]
        );
        let params = &after[1..1 + params_end];
        assert!(!params.split(';').any(|p| p == "8") || final_byte != Some('m'), "{what}: hidden text (SGR 8)");
        rest = &after[1 + params_end..];
    }
    let without_csi: String = text.chars().filter(|c| *c != '\u{1b}').collect();
    assert_inert(what, without_csi.as_bytes());
}

#[tokio::test]
async fn tui_screens_of_a_hostile_call_are_inert() {
    use tokdbg::tui::state::app::{Mode, Tab};
    let server = hostile_server_with(true).await;
    let dir = tempfile::Builder::new().prefix("tokdbg-hostile-").tempdir().expect("temp dir");
    let text = std::fs::read_to_string(hostile_profiles(&server).path().join("hostile.toml")).expect("profile");
    std::fs::write(dir.path().join("hostile.toml"), text).expect("write");
    std::fs::write(dir.path().join("broken.toml"), format!("name = {}\n", all_vectors())).expect("write broken");
    let mut h = support::tui::Harness::over(dir, 120, 40, support::now());
    h.select("hostile");
    h.run(vec![support::tui::key('s'), tokdbg::tui::msg::Msg::WaitIdle]).await;
    assert_eq!(support::tui::last_status(&h.app), Some(403), "the hostile API answered");
    for tab in Tab::ALL {
        h.app.tab = tab;
        assert_terminal_bytes_inert(&format!("tab {tab:?}"), &terminal_bytes(&h.app, 120, 40));
    }
    // Paste mode with the hostile token decoded.
    let paste: Vec<_> = vec![tokdbg::tui::msg::Msg::Paste(hostile_token())];
    h.run(paste).await;
    assert!(matches!(h.app.mode, Mode::Paste(_)), "paste mode: {:?}", h.app.mode);
    assert_terminal_bytes_inert("paste mode", &terminal_bytes(&h.app, 120, 40));
}

#[tokio::test]
async fn tui_screens_history_and_exports_of_an_echoing_api_hold_no_secret() {
    use tokdbg::tui::state::app::Tab;
    let echo = FaultServer::start(Fault::Echo { status: 401, echo: Echo::JsonHeaders }).await.expect("echo server");
    let api = echo.url("/api");
    let mut h = support::tui::Harness::demo_with(120, 40, |dir, base| {
        let text = format!(
            r#"[issuer]
url = "{base}/oidc"
[client]
id = "demo-reader"
secret = "demo-reader-secret"
scopes = ["order:read"]
[[endpoints]]
name = "echo"
url = "{api}"
"#
        );
        std::fs::write(dir.join("echo.toml"), text).expect("write profile");
    })
    .await;
    h.select("echo");
    h.run(vec![support::tui::key('s'), tokdbg::tui::msg::Msg::WaitIdle]).await;
    let sent = echo.authorizations();
    let signature =
        sent.first().map(|a| support::signature_of(a.trim_start_matches("Bearer "))).expect("a token was sent");
    assert!(signature.len() > 20, "{sent:?}");
    assert_eq!(support::tui::last_status(&h.app), Some(401));
    let mut seen = String::new();
    for tab in Tab::ALL {
        h.app.tab = tab;
        seen.push_str(&String::from_utf8_lossy(&terminal_bytes(&h.app, 120, 40)));
    }
    seen.push_str(&format!("{:?}", h.app.history));
    for report in &h.app.history {
        seen.push_str(&serde_json::to_string(report.as_ref()).expect("report serializes"));
    }
    // The copy menu's redacted curl export of the call.
    h.run(vec![support::tui::key('y'), support::tui::key('c')]).await;
    seen.push_str(&format!("{:?}", h.clipboard.copies()));
    assert!(seen.contains("[redacted]"), "the echo is shown, redacted");
    assert!(!seen.contains(&signature), "a screen, the history or an export shows the token's signature");
    assert!(!seen.contains("demo-reader-secret"));
}

#[tokio::test]
async fn an_api_echoing_a_profiles_credential_header_leaks_no_value() {
    let server = FaultServer::start(Fault::Echo { status: 401, echo: Echo::JsonHeaders }).await.expect("echo server");
    let dir = tempfile::tempdir().expect("temp dir");
    let text = format!(
        "[[endpoints]]\nname = \"echo\"\nurl = \"{}\"\nheaders = {{ \"X-Api-Key\" = \"apikey-canary-123456\", \"Authorization\" = \"Basic YWxhZGRpbjpvcGVuc2VzYW1l\" }}\n",
        server.url("/api")
    );
    std::fs::write(dir.path().join("keyed.toml"), text).expect("write profile");
    for json in [false, true] {
        let mut args =
            vec!["--profiles".to_owned(), dir_arg(dir.path()), "call".into(), "keyed".into(), "--no-token".into()];
        if json {
            args.push("--json".into());
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = tokdbg(&refs).await;
        assert!(
            server.requests().iter().any(|r| r.header("x-api-key") == Some("apikey-canary-123456")),
            "the key was sent"
        );
        assert!(
            !run.all().contains("apikey-canary") && !run.all().contains("YWxhZGRpbjpvcGVuc2VzYW1l"),
            "{}",
            run.all()
        );
    }
}

#[tokio::test]
async fn a_token_endpoint_echoing_the_secret_in_dotnet_or_go_escapes_leaks_no_secret() {
    for echo in [Echo::DotNetJson, Echo::GoHtml] {
        for args in
            [&["token", "echo"][..], &["--json", "token", "echo"], &["call", "echo"], &["--json", "call", "echo"]]
        {
            let (run, _server) = echo_run(echo, 401, "client_secret_post", args).await;
            assert_no_canary(&format!("{echo:?} {args:?}"), &run.all());
        }
    }
}
