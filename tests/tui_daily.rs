//! The TUI as a daily tool (issue 10): one scripted case per defect a new user's trial found,
//! each failing before its fix.

use crate::support::tui::*;
use crossterm::event::KeyCode;
use tokdbg::tui::msg::Msg;
use tokdbg::tui::state::app::{Focus, Mode, Tab};

fn env_profile(dir: &std::path::Path, base_url: &str, var: &str) {
    let text = format!(
        r#"name = "secret from the environment"

[issuer]
url = "{base_url}/oidc"

[client]
id = "demo-reader"
secret = "env:{var}"
auth_method = "client_secret_post"
scopes = ["order:read"]

[expect]
issuer = "{base_url}/oidc"
audience = "demo-app"
algorithms = ["RS256"]
"#
    );
    std::fs::write(dir.join("from-env.toml"), text).unwrap();
}

/// Defect 2: an ad-hoc request on a profile without endpoints shows its answer on tab 4.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ad_hoc_answer_is_shown_on_a_profile_without_endpoints() {
    let mut h = Harness::demo_with(120, 40, |dir, base| {
        std::fs::write(
            dir.join("bare.toml"),
            format!(
                "name = \"bare\"\n[issuer]\nurl = \"{base}/oidc\"\n[client]\nid = \"demo-noscope\"\nsecret = \"demo-noscope-secret\"\nauth_method = \"client_secret_post\"\n"
            ),
        )
        .unwrap();
    })
    .await;
    h.select("bare");
    let mut script = vec![key('a'), ctrl('u')];
    script.extend(typed(&format!("{}/api/protected", h.base_url())));
    script.extend([enter(), Msg::WaitIdle]);
    h.run(script).await;
    assert_eq!(h.app.tab, Tab::Endpoints);
    assert_eq!(last_status(&h.app), Some(403));
    let screen = h.screen();
    assert!(screen.contains("No endpoints in this profile."), "{screen}");
    assert!(screen.contains("HTTP 403"), "{screen}");
    assert!(screen.contains("WWW-Authenticate"), "{screen}");
    assert!(screen.contains("Headers"), "{screen}");
    // The ad-hoc request's name is its URL: not said twice.
    assert!(!screen.contains("/api/protected (GET"), "{screen}");
}

/// Defect 5: PgDn stops at the end, says what lies below, and a new profile starts at the top.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scrolling_stops_at_the_end_and_says_what_lies_below() {
    let mut h = Harness::demo(80, 24).await;
    h.run(vec![key('t'), Msg::WaitIdle]).await;
    assert!(h.screen().contains("more: PgDn"), "a long Token tab says more lies below: {}", h.screen());
    h.run(vec![tab()]).await;
    assert_eq!(h.app.focus, Focus::Detail);
    h.run((0..20).map(|_| press(KeyCode::PageDown)).collect()).await;
    let bottom = h.app.scroll.detail;
    assert!(bottom > 0);
    let screen = h.screen();
    assert!(screen.contains("top: Home"), "at the end: {screen}");
    assert!(!screen.contains("more: PgDn"), "nothing below the end: {screen}");
    // The last line of the tab is on screen, not a blank pane.
    assert!(screen.lines().filter(|l| l.trim_matches(|c: char| " │┃".contains(c)).is_empty()).count() < 10, "{screen}");
    h.run(vec![press(KeyCode::Home)]).await;
    assert_eq!(h.app.scroll.detail, 0);
    h.run(vec![press(KeyCode::End)]).await;
    assert_eq!(h.app.scroll.detail, bottom, "End goes to the same last line");
    // Another profile starts at its top.
    h.run(vec![tab(), key('j')]).await;
    assert_eq!(h.app.scroll.detail, 0);
}

/// Defect 6: the pointer to the diagnosis names tab 5, and on a 200 does not promise a fix.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoints_point_at_tab_5_and_promise_a_fix_only_on_denial() {
    let mut h = Harness::demo(120, 40).await;
    h.run(vec![enter(), enter(), Msg::WaitIdle]).await;
    assert_eq!(last_status(&h.app), Some(200));
    let screen = h.screen();
    assert!(screen.contains("(5 Diagnosis: what was checked)"), "{screen}");
    assert!(!screen.contains("fix"), "{screen}");
    h.run(vec![key('j'), enter(), Msg::WaitIdle]).await;
    assert_eq!(last_status(&h.app), Some(403));
    assert!(h.screen().contains("(5 Diagnosis: the evidence and the fix)"), "{}", h.screen());
}

/// Defect 7: copy-as-curl after `r` exports what was sent, and `r` reopens its edits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_export_and_the_editor_keep_the_edited_request() {
    let mut h = Harness::demo(120, 40).await;
    // r, then change the URL's path to /api/public and send.
    let mut script = vec![enter(), key('r'), ctrl('u')];
    script.extend(typed(&format!("{}/api/public", h.base_url())));
    script.extend([enter(), Msg::WaitIdle]);
    h.run(script).await;
    let sent = h.app.selected_session().and_then(|s| s.call.clone()).unwrap();
    assert!(sent.endpoint.url.ends_with("/api/public"), "{:?}", sent.endpoint);
    assert_eq!(sent.endpoint.name, "read orders, edited");
    assert!(!h.screen().contains("edited))"), "{}", h.screen());
    h.run(vec![key('y'), key('c'), Msg::WaitIdle]).await;
    let copied = h.clipboard.0.lock().unwrap().last().cloned().unwrap();
    assert!(copied.text.contains("/api/public'"), "{}", copied.text);
    // r again: the edited URL is still there.
    h.run(vec![key('r')]).await;
    let Mode::Request(editor) = &h.app.mode else { panic!("{:?}", h.app.mode) };
    assert!(editor.url.value().ends_with("/api/public"), "{}", editor.url.value());
    // Ctrl-R starts again from the profile's endpoint.
    h.run(vec![ctrl('r')]).await;
    let Mode::Request(editor) = &h.app.mode else { panic!("{:?}", h.app.mode) };
    assert!(editor.url.value().ends_with("/api/protected"), "{}", editor.url.value());
}

/// Defects 8 and 16: Ctrl-D is not `d`; `c` clones, and the clone's name tells it apart; after a delete the selection
/// stays in place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clone_is_named_as_a_copy_and_delete_keeps_the_selection_in_place() {
    let mut h = Harness::demo(120, 40).await;
    h.run(vec![ctrl('d')]).await;
    assert!(matches!(h.app.mode, Mode::Normal), "Ctrl-D is not d: {:?}", h.app.mode);
    h.run(vec![key('c'), ctrl('s'), Msg::WaitIdle]).await;
    let clone = h.app.profiles.selected().unwrap();
    assert_eq!(clone.stem, "demo-reader-2");
    assert_eq!(clone.name(), "reader (200 / 403 / misconfigured APIs) (copy)");
    // Delete the profile below demo-reader: the selection stays on that row.
    h.select("demo-reader");
    let position = h.app.profiles.cursor;
    h.run(vec![key('j')]).await;
    let doomed = h.app.selected_stem().unwrap();
    h.run(vec![key('d')]).await;
    assert!(matches!(&h.app.mode, Mode::ConfirmDelete(stem) if *stem == doomed), "{:?}", h.app.mode);
    h.run(vec![key('y'), Msg::WaitIdle]).await;
    assert_eq!(h.app.profiles.cursor, position + 1, "the next row moved up into the deleted one's place");
    assert_ne!(h.app.selected_stem(), Some(doomed));
}

/// Defect 9: while a request runs, the status line does not show the previous answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_request_hides_the_previous_answer() {
    let mut h = Harness::demo(120, 40).await;
    h.run(vec![enter(), enter(), Msg::WaitIdle]).await;
    assert!(h.app.status.as_ref().is_some_and(|s| s.text.starts_with("200 allowed")));
    // Send again; look at the state before the answer arrives.
    let cmds = tokdbg::tui::update::update(&mut h.app, enter());
    assert!(!cmds.is_empty());
    assert!(h.app.status.is_none(), "{:?}", h.app.status);
    let terminal = render(&h.app, 120, 40);
    let screen = buffer_text(terminal.backend().buffer());
    assert!(!screen.contains("200 allowed"), "{screen}");
    assert!(screen.contains("(Esc cancels)"), "{screen}");
}

/// Defect 11: an unset `env:` secret is asked for, the failure stays on the Token tab, and the
/// typed secret fetches the token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unset_env_secret_is_asked_for_and_the_failure_stays_on_the_token_tab() {
    let var = "TOKDBG_TEST_DAILY_NEVER_SET";
    let mut h = Harness::demo_with(120, 40, |dir, base| env_profile(dir, base, var)).await;
    h.select("from-env");
    h.run(vec![key('t'), Msg::WaitIdle]).await;
    let Mode::Prompt(prompt) = &h.app.mode else { panic!("a prompt opens: {:?}", h.app.mode) };
    assert!(prompt.label.contains(var), "{}", prompt.label);
    // Esc: no secret; the Token tab still says why there is no token.
    h.run(vec![esc()]).await;
    assert_eq!(h.app.tab, Tab::Token);
    let screen = h.screen();
    assert!(screen.contains("the last attempt failed"), "{screen}");
    assert!(screen.contains(var), "{screen}");
    // t again, type the secret: a token.
    let mut script = vec![key('t'), Msg::WaitIdle];
    script.extend(typed("demo-reader-secret"));
    script.extend([enter(), Msg::WaitIdle]);
    h.run(script).await;
    let session = h.app.selected_session().unwrap();
    assert!(session.token.as_ref().is_some_and(|t| t.access_token.is_some()), "{:?}", h.app.status);
    assert!(session.failure.is_none());
}

/// Defect 11 (cont.): a call whose token request fails shows the failed request on the Token
/// tab at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_token_request_during_a_call_shows_on_the_token_tab() {
    let mut h = Harness::demo(120, 40).await;
    h.select("demo-wrong-secret");
    h.run(vec![enter(), enter(), Msg::WaitIdle, key('2')]).await;
    assert_eq!(h.app.tab, Tab::Token);
    let screen = h.screen();
    assert!(screen.contains("invalid_client"), "{screen}");
    assert!(!screen.contains("No token yet"), "{screen}");
}

/// Defect 19: the source line ages with the token; Verify's expiry is said as of now, as the
/// Token tab says it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_age_and_expiry_are_said_as_of_now() {
    let mut h = Harness::demo(120, 40).await;
    h.run(vec![key('t'), Msg::WaitIdle]).await;
    let token = h.app.selected_session().and_then(|s| s.token.clone()).unwrap().token;
    let (obtained, exp) = (token.obtained_at.unwrap(), token.expires_at.unwrap());
    let mut later = h.app.clone();
    later.now = obtained + 600;
    later.tab = Tab::Token;
    let token_tab = buffer_text(render(&later, 120, 40).backend().buffer());
    assert!(token_tab.contains("fetched 10 min ago"), "{token_tab}");
    let phrase = tokdbg::core::clock::humanize_duration((exp - later.now) as u64);
    assert!(token_tab.contains(&format!("expires in {phrase}")), "{token_tab}");
    later.tab = Tab::Verify;
    let verify_tab = buffer_text(render(&later, 120, 40).backend().buffer());
    assert!(verify_tab.contains(&format!("expires in {phrase}")), "Verify agrees with Token: {verify_tab}");
}

/// Defect 20: paste mode says what is wrong with a broken segment in words.
#[test]
fn paste_mode_explains_a_broken_base64_segment() {
    let dir = profile_dir();
    tokdbg::demo::write_demo_profiles(dir.path(), "http://127.0.0.1:9").unwrap();
    let mut app = Harness::over(dir, 120, 40, NOW).app;
    apply(&mut app, [key('p')]);
    apply(&mut app, [Msg::Paste("eyJhbGciOiJIUzI1NiJ9.eyt.c2ln".into())]);
    let text = buffer_text(render(&app, 120, 40).backend().buffer());
    assert!(!text.contains("Invalid last symbol"), "{text}");
    assert!(text.contains("is not whole base64url bytes"), "{text}");
}

/// Defect 18: at 200 columns the list shows whole names; a long filter keeps its count in the
/// title; a URL wraps after a `/`, never inside a word.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn layout_fits_names_filters_and_urls() {
    let mut h = Harness::demo(200, 60).await;
    h.run(vec![Msg::Resize(200, 60)]).await;
    let screen = h.screen();
    assert!(screen.contains("unknown audience requested (invalid_target)"), "{screen}");
    assert!(!screen.contains("(invalid_targ…"), "{screen}");

    let mut h = Harness::demo(80, 24).await;
    let mut script = vec![key('/')];
    script.extend(typed("misconfigured-nothing-matches-this"));
    h.run(script).await;
    let first_line = h.screen().lines().next().unwrap_or_default().to_owned();
    assert!(first_line.contains("(0/16)"), "the count survives a long filter: {first_line}");
    assert!(first_line.contains("…"), "{first_line}");

    let mut h = Harness::demo(80, 24).await;
    h.run(vec![enter(), enter(), Msg::WaitIdle]).await;
    let screen = h.screen();
    assert!(!screen.contains("/api/protecte\n") && !screen.contains("protecte │"), "{screen}");
    assert!(screen.contains("protected"), "{screen}");
}

/// Defect 1 (cont.): an edit made on disk is picked up with `R`, keeping the selection; a
/// reload that finds nothing new says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r_reloads_an_edited_file_and_keeps_the_selection() {
    let mut h = Harness::demo(120, 40).await;
    h.run(vec![key('R'), Msg::WaitIdle]).await;
    assert!(h.app.status.as_ref().is_some_and(|s| s.text.ends_with("no change")), "{:?}", h.app.status);
    let path = h.dir.path().join("demo-reader.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("name = \"reader (200 / 403 / misconfigured APIs)\"", "name = \"reader, renamed\""),
    )
    .unwrap();
    std::fs::write(h.dir.path().join("zz-new.toml"), "name = \"brand new\"\n").unwrap();
    h.run(vec![key('R'), Msg::WaitIdle]).await;
    assert_eq!(h.app.selected_stem().as_deref(), Some("demo-reader"));
    assert_eq!(h.app.profiles.selected().unwrap().name(), "reader, renamed");
    let status = h.app.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    assert!(status.contains("new zz-new") && status.contains("changed demo-reader"), "{status}");
    assert!(h.screen().contains("reader, renamed"), "{}", h.screen());
}
