//! Snapshots of the TUI's screens at 80x24 and 120x40, built by driving the real loop against
//! the embedded demo (or by `update` alone where no server is needed).
//!
//! The demo server, the engine and the app share one fixed clock (`NOW`; every latency 1.5 ms),
//! so the calls happen at `NOW` and a screen is taken as it reads a moment later
//! (`Harness::app_after`); filters hide ports and the temporary directory.

use crate::support::tui::*;
use ratatui::style::{Color, Modifier};
use tokdbg::tui::msg::Msg;
use tokdbg::tui::state::app::{App, Mode};

/// How long after the calls the result screens are read: the demo's 1 h tokens then "expire in
/// 49 min" and were issued "10 min ago".
const LATER: i64 = 630;

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    for (regex, replacement) in filters() {
        settings.add_filter(&regex, replacement);
    }
    settings
}

/// Snapshots `app` at 80x24 and 120x40 as `{name}_80x24` and `{name}_120x40`.
fn snap(name: &str, app: &App) {
    for (width, height) in [(80, 24), (120, 40)] {
        let terminal = render(app, width, height);
        let text = terminal.backend().to_string();
        settings().bind(|| insta::assert_snapshot!(format!("{name}_{width}x{height}"), text));
    }
}

/// One character per cell for its emphasis: R reversed+bold, r reversed, B bold, U underlined,
/// d dim, * another mix, space none.
fn emphasis_map(buffer: &ratatui::buffer::Buffer) -> String {
    let width = buffer.area.width as usize;
    buffer
        .content
        .chunks(width)
        .map(|row| {
            let marks: String = row
                .iter()
                .map(|cell| {
                    let m = cell.modifier;
                    if m.is_empty() {
                        ' '
                    } else if m == Modifier::REVERSED | Modifier::BOLD {
                        'R'
                    } else if m == Modifier::REVERSED {
                        'r'
                    } else if m == Modifier::BOLD {
                        'B'
                    } else if m == Modifier::UNDERLINED {
                        'U'
                    } else if m == Modifier::DIM {
                        'd'
                    } else {
                        '*'
                    }
                })
                .collect();
            format!("\"{marks}\"")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn colored_cells(buffer: &ratatui::buffer::Buffer) -> usize {
    buffer.content.iter().filter(|c| c.fg != Color::Reset || c.bg != Color::Reset).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_profile_directory() {
    let harness = Harness::over(profile_dir(), 80, 24, NOW);
    assert!(harness.app.profiles.items.is_empty());
    snap("empty_profile_dir", &harness.app);
}

/// Screens over the demo profiles that need no request: the list, overlays, modes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_list_and_overlays() {
    let harness = Harness::demo(120, 40).await;
    let base = harness.app.clone();
    snap("demo_profile_tab", &base);

    let mut app = base.clone();
    apply(&mut app, [key('?')]);
    assert!(matches!(app.mode, Mode::Help));
    snap("help_overlay", &app);

    let mut app = base.clone();
    apply(&mut app, [key('/')]);
    apply(&mut app, typed("sco"));
    assert!(matches!(app.mode, Mode::Filter));
    snap("filter_mode", &app);

    let mut app = base.clone();
    apply(&mut app, [key('d')]);
    assert!(matches!(app.mode, Mode::ConfirmDelete(_)));
    snap("delete_confirmation", &app);

    let mut app = base.clone();
    apply(&mut app, [key('r')]);
    assert!(matches!(app.mode, Mode::Request(_)));
    snap("request_editor", &app);

    // Paste mode with a crafted token, decoded at the fixed clock (no verification).
    let mut app = base.clone();
    // (A fixed issuer: the token, and so the tail of it the input shows, is the same every run.)
    let token = rs256_token(&demo_claims("https://issuer.example/oidc", "demo-reader", "order:read", NOW));
    apply(&mut app, [key('p'), Msg::Paste(format!("Bearer {token}\n"))]);
    assert!(matches!(&app.mode, Mode::Paste(p) if matches!(p.decoded, Some(Ok(_)))));
    snap("paste_decoded", &app);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_profile_and_secret_prompt() {
    let mut harness = Harness::demo_with(120, 40, |dir, base_url| {
        write_broken_profile(dir);
        write_prompt_profile(dir, base_url);
    })
    .await;
    harness.select("demo-broken");
    assert!(harness.app.profiles.selected().unwrap().loaded.is_err());
    snap("broken_profile", &harness.app);

    harness.select("prompted");
    apply(&mut harness.app, [key('t')]);
    apply(&mut harness.app, typed("s3cret"));
    assert!(matches!(harness.app.mode, Mode::Prompt(_)));
    snap("secret_prompt", &harness.app);
}

/// Screens with results from the demo server: Token, copy menu, Endpoints 200/403, NO_COLOR,
/// Verify, Diagnosis, History, an error in the status line, paste mode with a verification.
/// Every call happens at `NOW`; the screens read 10 min 30 s later (`LATER`), the History tab
/// 30 s later.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_results() {
    let mut harness = Harness::demo(120, 40).await;

    // t: a token for demo-reader.
    harness.run(vec![key('t'), Msg::WaitIdle]).await;
    let mut app = harness.app_after(LATER);
    assert!(app.selected_session().and_then(|s| s.token.as_ref()).is_some_and(|t| t.access_token.is_some()));
    snap("token_tab", &app);

    // y: the copy menu over it.
    apply(&mut app, [key('y')]);
    assert!(matches!(app.mode, Mode::CopyMenu));
    snap("copy_menu", &app);

    // Enter, Enter: read orders, 200.
    harness.run(vec![enter(), enter(), Msg::WaitIdle]).await;
    let app = harness.app_after(LATER);
    assert_eq!(last_status(&app), Some(200));
    snap("endpoints_200", &app);

    // j, Enter: write orders, 403 with order:write missing.
    harness.run(vec![key('j'), enter(), Msg::WaitIdle]).await;
    let mut app = harness.app_after(LATER);
    assert_eq!(last_status(&app), Some(403));
    snap("endpoints_403", &app);
    assert!(colored_cells(render(&app, 120, 40).backend().buffer()) > 0, "the colour theme uses colour");

    // The same screen under NO_COLOR: no colour at all, emphasis by bold/reverse/underline/dim.
    app.color = false;
    for (width, height) in [(80, 24), (120, 40)] {
        let terminal = render(&app, width, height);
        let buffer = terminal.backend().buffer();
        assert_eq!(colored_cells(buffer), 0, "NO_COLOR draws no colour");
        let text = format!("{}\n{}\n", terminal.backend(), emphasis_map(buffer));
        settings().bind(|| insta::assert_snapshot!(format!("endpoints_403_no_color_{width}x{height}"), text));
    }

    // demo-hs256: an HS256 token at an RS256 API — 401, and a failing alg check.
    harness.select("demo-hs256");
    harness.run(vec![key('s'), Msg::WaitIdle]).await;
    let mut app = harness.app_after(LATER);
    apply(&mut app, [key('5')]);
    snap("diagnosis_401", &app);
    apply(&mut app, [key('3')]);
    snap("verify_failing", &app);

    // demo-noscope: 403; then the History tab with the calls so far.
    harness.select("demo-noscope");
    harness.run(vec![key('s'), Msg::WaitIdle]).await;
    let mut app = harness.app_after(30);
    apply(&mut app, [tab(), key('6')]);
    assert_eq!(app.history.len(), 4);
    snap("history", &app);

    // demo-wrong-secret: the token request fails; the error is in the status line.
    harness.select("demo-wrong-secret");
    harness.run(vec![key('t'), Msg::WaitIdle]).await;
    let app = harness.app_after(LATER);
    assert_eq!(app.status.as_ref().map(|s| s.kind), Some(tokdbg::tui::state::app::StatusKind::Error));
    snap("status_error", &app);

    // Paste mode: a crafted token issued at NOW, verified against demo-reader at NOW.
    harness.select("demo-reader");
    let token = rs256_token(&demo_claims(&format!("{}/oidc", harness.base_url()), "demo-reader", "order:read", NOW));
    harness.run(vec![key('p'), Msg::Paste(token), enter(), Msg::WaitIdle]).await;
    let mut app = harness.app_after(0);
    if let Mode::Paste(paste) = &mut app.mode {
        // The signature (the tail the input shows) differs every run: show a stand-in of its length.
        let value = paste.token.value().to_owned();
        let (signed, signature) = value.rsplit_once('.').unwrap();
        paste.token = format!("{signed}.{}", "S".repeat(signature.len())).into();
    }
    assert!(
        matches!(&app.mode, Mode::Paste(p) if p.report.as_ref().is_some_and(|r| r.valid)),
        "the pasted token verifies"
    );
    snap("paste_verified", &app);
}
