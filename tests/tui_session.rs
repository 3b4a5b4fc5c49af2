//! Scripted TUI sessions: the real event loop on a `TestBackend`, fed key, paste, mouse and
//! resize messages, against the embedded demo server; plus unit tests of `update` (state and the
//! commands it returns).

use std::sync::Arc;
use std::time::Duration;

use crate::support::tui::*;
use crossterm::event::KeyCode;
use futures_util::StreamExt;
use tokdbg::core::clock::Clock;
use tokdbg::core::engine::{Engine, TokenSource};
use tokdbg::core::net::http::HttpConfig;
use tokdbg::tui::layout;
use tokdbg::tui::msg::{Cmd, Msg, TaskResult};
use tokdbg::tui::state::app::{App, Focus, Mode, StatusKind, Tab};
use tokdbg::tui::update::update;

fn first_code(app: &App) -> String {
    app.selected_session()
        .and_then(|s| s.call.as_ref())
        .and_then(|c| c.findings.first())
        .map(|f| f.code.as_str().to_owned())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Scripted sessions against the demo

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reader_reads_orders_then_is_denied_writing_them() {
    let mut h = Harness::demo(120, 40).await;
    assert_eq!(h.app.selected_stem().as_deref(), Some("demo-reader"));
    // Enter opens the endpoints, Enter sends "read orders".
    h.run(vec![enter(), enter(), Msg::WaitIdle]).await;
    assert_eq!((h.app.focus, h.app.tab), (Focus::Detail, Tab::Endpoints));
    assert_eq!(last_status(&h.app), Some(200));
    let screen = h.screen();
    assert!(screen.contains("HTTP 200"), "{screen}");
    assert!(screen.contains("Last request GET"), "{screen}");

    // j selects "write orders": 403, order:write named as missing.
    h.run(vec![key('j'), enter(), Msg::WaitIdle]).await;
    assert_eq!(last_status(&h.app), Some(403));
    assert_eq!(first_code(&h.app), "scope_missing");
    let screen = h.screen();
    assert!(screen.contains("HTTP 403"), "{screen}");
    assert!(screen.contains("✗order:write"), "the missing scope is marked: {screen}");
    assert!(screen.contains("[scope_missing] the token lacks order:write"), "{screen}");
    assert_eq!(h.app.status.as_ref().map(|s| s.kind), Some(StatusKind::Error));
    assert_eq!(h.app.history.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filter_narrows_the_list_and_noscope_is_denied_for_the_scope() {
    let mut h = Harness::demo(120, 40).await;
    let mut script = vec![key('/')];
    script.extend(typed("noscope"));
    script.push(enter()); // keep the filter
    h.run(script).await;
    assert_eq!(h.app.profiles.filter, "noscope");
    assert_eq!(h.app.profiles.visible.len(), 1);
    assert_eq!(h.app.selected_stem().as_deref(), Some("demo-noscope"));
    assert!(h.screen().contains("Profiles /noscope (1/21)"), "{}", h.screen());

    h.run(vec![enter(), enter(), Msg::WaitIdle]).await;
    assert_eq!(last_status(&h.app), Some(403));
    assert_eq!(first_code(&h.app), "scope_missing");
    let call = h.app.selected_session().and_then(|s| s.call.clone()).unwrap();
    assert_eq!(call.findings[0].evidence.expected.as_deref().map(|e| e.contains("order:read")), Some(true));
    let screen = h.screen();
    assert!(screen.contains("scope_missing"), "{screen}");
    assert!(screen.contains("✗order:read"), "{screen}");

    // Esc in browsing mode clears the filter.
    h.run(vec![press(KeyCode::Esc)]).await;
    assert!(h.app.profiles.filter.is_empty());
    assert_eq!(h.app.profiles.visible.len(), 21);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn t_fetches_a_token_and_shows_it_with_the_secret_redacted() {
    let mut h = Harness::demo(120, 60).await;
    h.run(vec![key('t'), Msg::WaitIdle]).await;
    assert_eq!(h.app.tab, Tab::Token);
    let fetch = h.app.selected_session().and_then(|s| s.token.clone()).expect("a token fetch");
    assert!(fetch.access_token.is_some());
    assert_eq!(fetch.token.source, TokenSource::Fetched);
    let screen = h.screen();
    assert!(screen.contains("expires in"), "{screen}");
    assert!(screen.contains("client_secret=[redacted]"), "{screen}");
    assert!(!screen.contains("demo-reader-secret"), "the secret never reaches the screen: {screen}");
    assert!(h.app.status.as_ref().is_some_and(|s| s.text.starts_with("token fetched")), "{:?}", h.app.status);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_with_a_fresh_cached_token_reads_no_client_secret() {
    let mut h = Harness::demo(120, 40).await;
    h.run(vec![key('t'), Msg::WaitIdle]).await;
    // The secret can no longer be read: a call that tried would fail before sending anything.
    let unreadable = tokdbg::core::model::profile::SecretSource::Env("TOKDBG_TEST_NEVER_SET_SECRET".into());
    let index = h.app.profiles.selected_index().unwrap();
    h.app.profiles.items[index].loaded.as_mut().unwrap().client.as_mut().unwrap().secret = Some(unreadable);
    h.run(vec![key('s'), Msg::WaitIdle]).await;
    let call = h.app.selected_session().and_then(|s| s.call.clone()).expect("the call ran");
    assert_eq!(call.token.source, TokenSource::Cached);
    assert!(call.token_request.is_none(), "no token request: {:?}", call.token_request);
    assert_eq!(last_status(&h.app), Some(200));
    // Asking for a token again does read it, and says why it cannot.
    h.run(vec![key('t'), Msg::WaitIdle]).await;
    let status = h.app.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    assert!(status.contains("TOKDBG_TEST_NEVER_SET_SECRET"), "{status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c_clones_and_the_save_reads_the_file_back_but_ctrl_c_letters_do_nothing() {
    let mut h = Harness::demo(120, 40).await;
    h.run(vec![ctrl('d'), ctrl('n'), ctrl('x'), ctrl('e')]).await;
    assert!(matches!(h.app.mode, Mode::Normal), "Ctrl+letter is not the letter: {:?}", h.app.mode);
    h.run(vec![key('c')]).await;
    assert!(matches!(h.app.mode, Mode::Form(_)), "{:?}", h.app.mode);
    h.run(vec![ctrl('s'), Msg::WaitIdle]).await;
    assert!(matches!(h.app.mode, Mode::Normal), "saved: {:?} {:?}", h.app.mode, h.app.status);
    assert_eq!(h.app.selected_stem().as_deref(), Some("demo-reader-2"));
    let item = h.app.profiles.selected().unwrap();
    assert!(item.loaded.is_ok() && item.stamp.is_some(), "{item:?}");
    assert!(h.dir.path().join("demo-reader-2.toml").is_file());
    // The next duplicate knows that name is taken without looking at the disk.
    h.select("demo-reader");
    h.run(vec![key('c')]).await;
    let Mode::Form(form) = &h.app.mode else { panic!("{:?}", h.app.mode) };
    assert_eq!(form.text(tokdbg::tui::state::form_fields::FieldId::Stem).unwrap().value(), "demo-reader-3");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b_sends_a_baseline_without_a_token() {
    let mut h = Harness::demo(120, 40).await;
    h.run(vec![enter(), key('b'), Msg::WaitIdle]).await;
    assert_eq!(last_status(&h.app), Some(401));
    let call = h.app.selected_session().and_then(|s| s.call.clone()).unwrap();
    assert_eq!(call.token.source, TokenSource::None);
    let screen = h.screen();
    assert!(screen.contains("HTTP 401"), "{screen}");
    assert!(screen.contains("(no token sent)"), "{screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bracketed_paste_is_decoded_and_enter_verifies_it() {
    let mut h = Harness::demo(120, 40).await;
    let token = rs256_token(&demo_claims(&h.issuer(), "demo-reader", "order:read", h.clock.now()));
    // A paste while browsing opens paste mode with the token (quotes/Bearer/newline dropped).
    h.run(vec![Msg::Paste(format!("Bearer {token}\n"))]).await;
    let Mode::Paste(paste) = &h.app.mode else { panic!("paste mode: {:?}", h.app.mode) };
    assert_eq!(paste.token.value(), token);
    assert!(matches!(&paste.decoded, Some(Ok(d)) if d.kid.as_deref() == Some("demo-rsa-1")));
    let screen = h.screen();
    assert!(screen.contains("RS256 · kid demo-rsa-1"), "{screen}");
    assert!(screen.contains("\"client_id\": \"demo-reader\""), "{screen}");

    // Enter verifies it as demo-reader's API would.
    h.run(vec![enter(), Msg::WaitIdle]).await;
    let Mode::Paste(paste) = &h.app.mode else { panic!("still in paste mode") };
    assert!(paste.report.as_ref().is_some_and(|r| r.valid), "{:?}", paste.report.as_ref().map(|r| &r.findings));
    assert!(h.screen().contains("✓ the token passes"), "{}", h.screen());

    // Esc closes paste mode.
    h.run(vec![esc()]).await;
    assert!(matches!(h.app.mode, Mode::Normal));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_reopens_an_earlier_call_in_diagnosis() {
    let mut h = Harness::demo(120, 40).await;
    h.run(vec![enter(), enter(), Msg::WaitIdle, key('j'), enter(), Msg::WaitIdle]).await;
    assert_eq!(h.app.history.len(), 2);
    assert_eq!(last_status(&h.app), Some(403));
    // History lists newest first: j moves to the first call (read orders, 200); Enter reopens it.
    h.run(vec![key('6'), key('j'), enter()]).await;
    assert_eq!(h.app.tab, Tab::Diagnosis);
    assert_eq!(last_status(&h.app), Some(200));
    let call = h.app.selected_session().and_then(|s| s.call.clone()).unwrap();
    assert_eq!(call.endpoint.name, "read orders");
    assert_eq!(h.app.selected_session().map(|s| s.endpoint), Some(0));
    let screen = h.screen();
    assert!(screen.contains("ALLOWED"), "{screen}");
    assert!(screen.contains("Diagnosis · demo-reader"), "{screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_menu_copies_a_redacted_curl_and_the_token() {
    let mut h = Harness::demo(120, 40).await;
    h.run(vec![key('t'), Msg::WaitIdle, key('y'), key('c'), Msg::WaitIdle, key('y'), key('t'), Msg::WaitIdle]).await;
    let token = h.app.selected_session().and_then(|s| s.token.as_ref()).and_then(|t| t.access_token.clone()).unwrap();
    let copies = h.clipboard.copies();
    assert_eq!(copies.len(), 2, "{copies:?}");
    assert_eq!(copies[0].label, "curl (token redacted)");
    assert!(copies[0].text.contains("curl -sS -X GET "), "{}", copies[0].text);
    assert!(copies[0].text.contains("/api/protected"), "{}", copies[0].text);
    assert!(copies[0].text.contains("[signature redacted]"), "{}", copies[0].text);
    assert!(!copies[0].text.contains(token.expose()), "the redacted curl holds no usable token");
    assert!(!copies[0].to_file);
    assert_eq!(copies[1].label, "the access token");
    assert_eq!(copies[1].text, token.expose());
    assert!(matches!(h.app.mode, Mode::Normal));
    assert!(h.app.status.as_ref().is_some_and(|s| s.text.contains("copied the access token")), "{:?}", h.app.status);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_cancels_a_request_that_never_answers_and_keys_still_work() {
    // A server that accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(tokio::sync::Notify::new());
    let signal = accepted.clone();
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
            signal.notify_one();
        }
    });

    let mut h = Harness::demo(120, 40).await;
    // The request could wait ten minutes: if Esc waited for it, the script would outlast the
    // harness' 20 s guard and fail there. No stopwatch needed.
    let patient = HttpConfig { timeout: Duration::from_secs(600), ..HttpConfig::default() };
    h.engine = Arc::new(Engine::with_clock(patient, h.clock.clone()));
    let mut before = vec![key('a'), ctrl('u')];
    before.extend(typed(&format!("http://127.0.0.1:{port}/never")));
    before.push(enter());
    // Esc goes in only once the request is in flight (the silent server accepted it).
    let in_flight = futures_util::stream::once(async move {
        tokio::time::timeout(Duration::from_secs(10), accepted.notified())
            .await
            .expect("the request reaches the silent server");
        Msg::Tick(NOW)
    });
    let script =
        futures_util::stream::iter(before).chain(in_flight).chain(futures_util::stream::iter(vec![esc(), key('2')]));
    h.run_stream(Box::pin(script)).await;

    assert!(h.app.running.is_empty(), "{:?}", h.app.running);
    assert!(h.app.selected_session().is_some_and(|s| s.pending.is_none() && s.call.is_none()));
    assert_eq!(h.app.status.as_ref().map(|s| s.text.as_str()), Some("cancelled"));
    assert_eq!(h.app.tab, Tab::Token, "the key after Esc was handled");
    assert!(h.screen().contains("cancelled"), "{}", h.screen());

    // And the loop keeps working: a normal request goes through afterwards.
    h.run(vec![key('4'), press(KeyCode::Tab), enter(), Msg::WaitIdle]).await;
    assert_eq!(last_status(&h.app), Some(200));
    silent.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mouse_clicks_select_a_profile_and_a_tab() {
    let mut h = Harness::demo(120, 40).await;
    let areas = layout::areas(ratatui::layout::Rect::new(0, 0, 120, 40), &h.app);
    // Each profile takes two rows below the list's top border; click the 8th one's second row.
    let index = 7;
    let expected = h.app.profiles.items[h.app.profiles.visible[index]].stem.clone();
    assert_ne!(h.app.selected_stem().as_deref(), Some(expected.as_str()));
    let row = areas.list.y + 1 + (index as u16) * 2 + 1;
    h.run(vec![press(KeyCode::Tab), click(areas.list.x + 4, row)]).await;
    assert_eq!(h.app.selected_stem(), Some(expected.clone()));
    assert_eq!(h.app.focus, Focus::Profiles);
    assert!(h.screen().contains(&format!("Profile · {expected}")), "{}", h.screen());

    let spans = layout::tab_spans(areas.tabs);
    let (start, _) = spans[Tab::Diagnosis.index()];
    h.run(vec![click(start + 1, areas.tabs.y)]).await;
    assert_eq!((h.app.tab, h.app.focus), (Tab::Diagnosis, Focus::Detail));
    assert!(h.screen().contains(&format!("Diagnosis · {expected}")), "{}", h.screen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resize_redraws_at_the_new_size() {
    let mut h = Harness::demo(120, 40).await;
    h.run(vec![]).await;
    assert_eq!(h.screen().lines().count(), 40);
    for (width, height) in [(80, 24), (30, 8), (10, 3), (1, 1), (200, 60)] {
        h.terminal.backend_mut().resize(width, height);
        h.run(vec![Msg::Resize(width, height), key('?'), key('x')]).await;
        assert_eq!(h.app.size, (width, height));
        let area = h.terminal.backend().buffer().area;
        assert_eq!((area.width, area.height), (width, height));
        assert_eq!(h.screen().lines().count(), height as usize);
    }
    // Back at a usable size, everything is in place.
    let screen = h.screen();
    assert!(screen.contains("Profiles (21)"), "{screen}");
    assert!(screen.contains("Profile · demo-reader"), "{screen}");
}

// ---------------------------------------------------------------------------------------------
// Unit tests of `update`

/// An app over the demo profiles (pointing at an address nothing listens on: no I/O here), plus
/// a profile whose secret is asked at a prompt.
fn offline_app() -> (tempfile::TempDir, App) {
    let dir = profile_dir();
    tokdbg::demo::write_demo_profiles(dir.path(), "http://127.0.0.1:9").unwrap();
    write_prompt_profile(dir.path(), "http://127.0.0.1:9");
    let mut h = Harness::over(dir, 120, 40, NOW);
    h.select("demo-reader");
    (h.dir, h.app)
}

#[test]
fn tab_moves_focus_between_list_and_detail() {
    let (_dir, mut app) = offline_app();
    assert_eq!(app.focus, Focus::Profiles);
    assert!(update(&mut app, tab()).is_empty());
    assert_eq!(app.focus, Focus::Detail);
    update(&mut app, tab());
    assert_eq!(app.focus, Focus::Profiles);
    update(&mut app, press(KeyCode::BackTab));
    assert_eq!(app.focus, Focus::Detail);
    // In the detail pane, ← → switch tabs; j k scroll instead of moving the selection.
    update(&mut app, press(KeyCode::Right));
    assert_eq!(app.tab, Tab::Token);
    update(&mut app, key('j'));
    assert_eq!(app.selected_stem().as_deref(), Some("demo-reader"));
    // The tab's text fits: there is nothing below to scroll to.
    assert_eq!(app.scroll.detail, 0);
}

#[test]
fn number_keys_switch_tabs() {
    let (_dir, mut app) = offline_app();
    for (c, tab) in ('1'..='7').zip(Tab::ALL) {
        app.scroll.detail = 5;
        assert!(update(&mut app, key(c)).is_empty());
        assert_eq!(app.tab, tab);
        assert_eq!(app.scroll.detail, 0, "a new tab starts at the top");
    }
    update(&mut app, key(']'));
    assert_eq!(app.tab, Tab::Profile, "] wraps around");
    update(&mut app, key('['));
    assert_eq!(app.tab, Tab::Trace);
}

#[test]
fn q_quits() {
    let (_dir, mut app) = offline_app();
    let cmds = update(&mut app, key('q'));
    assert!(matches!(cmds.as_slice(), [Cmd::Quit]), "{cmds:?}");
    assert!(app.quit);
    // Ctrl-C quits from anywhere, even an overlay.
    let (_dir, mut app) = offline_app();
    update(&mut app, key('?'));
    assert!(matches!(update(&mut app, ctrl('c')).as_slice(), [Cmd::Quit]));
    assert!(app.quit);
    // q in an overlay does not quit.
    let (_dir, mut app) = offline_app();
    update(&mut app, key('/'));
    assert!(update(&mut app, key('q')).is_empty());
    assert!(!app.quit);
}

#[test]
fn esc_cancels_the_pending_task_and_its_late_result_is_dropped() {
    let (_dir, mut app) = offline_app();
    let cmds = update(&mut app, key('t'));
    let task = match cmds.as_slice() {
        [Cmd::FetchToken { task, stem, prompted: None, .. }] if stem == "demo-reader" => *task,
        other => panic!("expected one FetchToken, got {other:?}"),
    };
    assert!(app.running.contains_key(&task));
    assert!(app.needs_tick(), "a spinner runs while the task does");

    let cmds = update(&mut app, esc());
    assert!(matches!(cmds.as_slice(), [Cmd::Cancel(t)] if *t == task), "{cmds:?}");
    assert!(app.running.is_empty());
    assert!(app.selected_session().is_some_and(|s| s.pending.is_none()));
    assert_eq!(app.status.as_ref().map(|s| (s.kind, s.text.as_str())), Some((StatusKind::Info, "cancelled")));

    // The task reports anyway (it lost the race with the cancel): ignored.
    assert!(update(&mut app, Msg::Done(task, TaskResult::Failed("connection reset".into()))).is_empty());
    assert_eq!(app.status.as_ref().map(|s| s.text.as_str()), Some("cancelled"));
    assert!(update(&mut app, Msg::Done(task, TaskResult::Cancelled)).is_empty());
    assert_eq!(app.status.as_ref().map(|s| s.text.as_str()), Some("cancelled"));
    assert!(app.selected_session().is_some_and(|s| s.token.is_none()));

    // With nothing pending, Esc just clears the status line.
    assert!(update(&mut app, esc()).is_empty());
    assert!(app.status.is_none());
}

#[test]
fn a_new_request_supersedes_the_pending_one() {
    let (_dir, mut app) = offline_app();
    let first = match update(&mut app, key('t')).as_slice() {
        [Cmd::FetchToken { task, .. }] => *task,
        other => panic!("{other:?}"),
    };
    let cmds = update(&mut app, key('s'));
    assert!(matches!(cmds.as_slice(), [Cmd::Cancel(t), Cmd::Call { with_token: true, .. }] if *t == first), "{cmds:?}");
    assert_eq!(app.running.len(), 1);
    assert_eq!(app.tab, Tab::Endpoints);
}

#[test]
fn a_prompt_secret_is_asked_once_and_sent_as_known() {
    let (_dir, mut app) = offline_app();
    app.profiles.select_stem("prompted");
    assert_eq!(app.selected_stem().as_deref(), Some("prompted"));
    assert!(update(&mut app, key('s')).is_empty(), "nothing is sent before the secret is known");
    let Mode::Prompt(prompt) = &app.mode else { panic!("the prompt opens: {:?}", app.mode) };
    assert_eq!(prompt.stem, "prompted");
    // Enter on an empty prompt keeps it open.
    assert!(update(&mut app, enter()).is_empty());
    assert!(matches!(app.mode, Mode::Prompt(_)));
    apply(&mut app, typed("hunter2"));
    let cmds = update(&mut app, enter());
    match cmds.as_slice() {
        [Cmd::Call { stem, prompted: Some(secret), with_token: true, endpoint, .. }] => {
            assert_eq!(stem, "prompted");
            assert_eq!(secret.expose(), "hunter2");
            assert_eq!(endpoint.name, "read orders");
        }
        other => panic!("expected a Call with the typed secret, got {other:?}"),
    }
    assert!(matches!(app.mode, Mode::Normal));
    assert_eq!(app.prompted.get("prompted").map(|s| s.expose().to_owned()).as_deref(), Some("hunter2"));

    // Asked once per run: the next fetch uses it without a prompt.
    let cmds = update(&mut app, key('t'));
    assert!(matches!(cmds.as_slice(), [Cmd::Cancel(_), Cmd::FetchToken { prompted: Some(_), .. }]), "{cmds:?}");

    // Esc at a prompt cancels without sending.
    let (_dir, mut app) = offline_app();
    app.profiles.select_stem("prompted");
    update(&mut app, key('t'));
    assert!(update(&mut app, esc()).is_empty());
    assert!(matches!(app.mode, Mode::Normal));
    assert!(app.prompted.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Job control (the real terminal's side is in tui_e2e_tmux.rs)

/// Records the loop's calls, and scribbles over the screen while "suspended", as the shell would.
#[derive(Default)]
struct RecordingJobs {
    calls: Vec<&'static str>,
}

impl tokdbg::tui::event_loop::JobControl<ratatui::backend::TestBackend> for RecordingJobs {
    fn suspend(
        &mut self,
        terminal: &mut ratatui::Terminal<ratatui::backend::TestBackend>,
    ) -> Result<(), std::convert::Infallible> {
        self.calls.push("suspend");
        let mut cell = ratatui::buffer::Cell::default();
        cell.set_symbol("#");
        let area = terminal.size()?;
        let cells: Vec<(u16, u16, ratatui::buffer::Cell)> = (0..area.height)
            .flat_map(|y| (0..area.width).map(move |x| (x, y)))
            .map(|(x, y)| (x, y, cell.clone()))
            .collect();
        ratatui::backend::Backend::draw(terminal.backend_mut(), cells.iter().map(|(x, y, c)| (*x, *y, c)))
    }

    fn resume(
        &mut self,
        _terminal: &mut ratatui::Terminal<ratatui::backend::TestBackend>,
    ) -> Result<(), std::convert::Infallible> {
        self.calls.push("resume");
        Ok(())
    }
}

/// An offline app drawn once; its screen before any suspension.
async fn drawn_offline() -> (Harness, String) {
    let (dir, app) = offline_app();
    let mut h = Harness::over(dir, 120, 40, NOW);
    h.app = app;
    h.run(vec![]).await;
    let before = h.screen();
    (h, before)
}

#[tokio::test]
async fn ctrl_z_suspends_then_resumes_and_repaints_every_cell() {
    let (mut h, before) = drawn_offline().await;
    let mut jobs = RecordingJobs::default();
    h.run_with_jobs(vec![ctrl('z')], &mut jobs).await;
    assert_eq!(jobs.calls, ["suspend", "resume"]);
    assert_eq!(h.screen(), before, "every cell the shell wrote over is painted again");
    assert!(!h.app.quit && matches!(h.app.mode, Mode::Normal), "Ctrl-Z is no key to the views");
}

#[tokio::test]
async fn suspend_message_from_sigtstp_does_what_ctrl_z_does() {
    let (mut h, before) = drawn_offline().await;
    let mut jobs = RecordingJobs::default();
    h.run_with_jobs(vec![Msg::Suspend], &mut jobs).await;
    assert_eq!(jobs.calls, ["suspend", "resume"]);
    assert_eq!(h.screen(), before);
}

#[tokio::test]
async fn resume_message_from_sigcont_retakes_the_terminal_without_suspending() {
    let (dir, app) = offline_app();
    let mut h = Harness::over(dir, 120, 40, NOW);
    h.app = app;
    let mut jobs = RecordingJobs::default();
    h.run_with_jobs(vec![Msg::Resume], &mut jobs).await;
    assert_eq!(jobs.calls, ["resume"]);
}
