//! The TUI with mTLS and the `[tls]`/`[dpop]` form fields: the Token tab's client certificate
//! (subject, validity, `x5t#S256`, the token's binding to it) against the demo's https
//! listener, and the form's TLS and DPoP settings, saved and removed.

use crate::support::tui::*;
use tokdbg::tui::msg::Msg;
use tokdbg::tui::state::app::{App, Tab};

/// How long after the calls the screens are read (as the other TUI snapshots).
const LATER: i64 = 630;

/// Snapshots `app` at 80x24 and 120x40 as `{name}_80x24` and `{name}_120x40`.
fn snap(name: &str, app: &App) {
    let mut settings = insta::Settings::clone_current();
    for (regex, replacement) in filters() {
        settings.add_filter(&regex, replacement);
    }
    for (width, height) in [(80, 24), (120, 40)] {
        let text = render(app, width, height).backend().to_string();
        settings.bind(|| insta::assert_snapshot!(format!("{name}_{width}x{height}"), text));
    }
}

fn screen_of(app: &App) -> String {
    buffer_text(render(app, 120, 40).backend().buffer())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_tab_shows_the_client_certificate_and_the_binding() {
    let mut harness = Harness::demo(120, 40).await;
    harness.select("demo-mtls");
    harness.run(vec![key('t'), Msg::WaitIdle]).await;
    let app = harness.app_after(LATER);
    assert_eq!(app.tab, Tab::Token);
    let screen = screen_of(&app);
    assert!(screen.contains("subject         O=tokdbg demo, CN=demo-mtls"), "{screen}");
    assert!(screen.contains("✓ cnf.x5t#S256 matches this certificate"), "{screen}");
    assert!(!screen.contains("PRIVATE KEY"), "{screen}");
    snap("token_tab_mtls", &app);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_tab_says_the_api_call_presented_the_same_certificate() {
    let mut harness = Harness::demo(120, 40).await;
    harness.select("demo-mtls-self-signed");
    harness.run(vec![key('s'), Msg::WaitIdle]).await;
    let mut app = harness.app_after(LATER);
    assert_eq!(last_status(&app), Some(200));
    app.tab = Tab::Token;
    let screen = screen_of(&app);
    assert!(screen.contains("CN=demo-mtls-self-signed"), "{screen}");
    assert!(screen.contains("API call        presented this certificate too"), "{screen}");
    assert!(screen.contains("✓ cnf.x5t#S256 matches this certificate"), "{screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_certificate_is_still_shown_on_the_token_tab() {
    let mut harness = Harness::demo(120, 40).await;
    harness.select("demo-mtls-unknown-cert");
    harness.run(vec![key('t'), Msg::WaitIdle]).await;
    let app = harness.app_after(LATER);
    let screen = screen_of(&app);
    assert!(screen.contains("subject         O=stranger, CN=unknown-client"), "{screen}");
    assert!(screen.contains("issuer          O=stranger, CN=stranger CA"), "{screen}");
    // No token came: no binding is claimed either way.
    assert!(!screen.contains("token binding"), "{screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_key_never_shows_on_the_token_tab() {
    let mut harness = Harness::demo(120, 40).await;
    harness.select("demo-mtls");
    harness.run(vec![key('t'), Msg::WaitIdle, key('s'), Msg::WaitIdle]).await;
    let mut app = harness.app_after(LATER);
    app.tab = Tab::Token;
    // Tall enough for the whole tab: every line of it is checked.
    let screen = buffer_text(render(&app, 200, 400).backend().buffer());
    assert!(screen.contains("presented this certificate too"), "{screen}");
    let key = std::fs::read_to_string(harness.dir.path().join("demo-mtls-client.key")).unwrap();
    for line in key.lines().filter(|l| !l.starts_with("-----") && l.len() > 16) {
        assert!(!screen.contains(line), "a line of the client key is on screen: {line}");
    }
    assert!(!screen.contains("PRIVATE KEY"), "{screen}");
    let fetch = app.selected_session().and_then(|s| s.token.as_ref()).expect("a token fetch");
    let dumped = format!("{fetch:?} {}", serde_json::to_string(fetch).unwrap());
    for line in key.lines().filter(|l| !l.starts_with("-----") && l.len() > 16) {
        assert!(!dumped.contains(line), "a line of the client key is in the token fetch: {line}");
    }
}
