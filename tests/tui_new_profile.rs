//! The TUI's `n` flow: the choice, a draft from the demo's RFC 9728 API URL and from a pasted
//! curl command, reviewed, written 0600 under a free name (never over a file) or finished in
//! the form; the pasted command's secret on no frame; snapshots at 80x24 and 120x40.

use crossterm::event::KeyCode;
use tokdbg::tui::msg::Msg;
use tokdbg::tui::state::app::{App, Mode};
use tokdbg::tui::state::form_fields::FieldId;
use tokdbg::tui::state::new_profile::{NewKeys, NewStep};

use crate::support::tui::*;

/// The secret in the pasted curl commands: it must never reach a screen or a file.
const SECRET: &str = "s3cr3t-Curl-Paste-42";

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    for (regex, replacement) in filters() {
        settings.add_filter(&regex, replacement);
    }
    // A draft's name comes from the URL's host and port: `127-0-0-1-PORT`, as wide as it was.
    for digits in (1..=5).rev() {
        settings
            .add_filter(&format!(r"127-0-0-1-\d{{{digits}}}(\D|$)"), format!("127-0-0-1-{}${{1}}", "N".repeat(digits)));
    }
    settings
}

fn snap(name: &str, app: &App) {
    for (width, height) in [(80, 24), (120, 40)] {
        let terminal = render(app, width, height);
        let text = terminal.backend().to_string();
        settings().bind(|| insta::assert_snapshot!(format!("{name}_{width}x{height}"), text));
    }
}

fn keys_of(app: &App) -> Option<NewKeys> {
    match &app.mode {
        Mode::NewProfile(new) => Some(new.keys()),
        _ => None,
    }
}

/// The demo's API that publishes RFC 9728 metadata.
fn prm_url(h: &Harness) -> String {
    format!("{}/api/prm/orders", h.base_url())
}

/// `n`, `u`, the URL, Enter, and the lookup's answer.
fn draft_from_url(url: &str) -> Vec<Msg> {
    let mut script = vec![key('n'), key('u')];
    script.extend(typed(url));
    script.extend([enter(), Msg::WaitIdle]);
    script
}

/// A token request for demo-reader with the secret in `-u`, over three pasted lines.
fn curl_command(h: &Harness) -> String {
    format!(
        "curl -u demo-reader:{SECRET} \\\n  -d grant_type=client_credentials \\\n  -d scope=order:read \\\n  {}/token",
        h.issuer()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_choice_and_the_url_line() {
    let h = Harness::demo(120, 40).await;
    let mut app = h.app.clone();
    apply(&mut app, [key('n')]);
    assert_eq!(keys_of(&app), Some(NewKeys::Choose));
    snap("new_profile_choice", &app);

    apply(&mut app, [key('u')]);
    apply(&mut app, typed("https://api.example.com/v1/orders"));
    assert_eq!(keys_of(&app), Some(NewKeys::Url));
    snap("new_profile_url", &app);

    // Esc closes without a trace; n then Enter is the blank form, as n alone was.
    apply(&mut app, [esc()]);
    assert!(matches!(app.mode, Mode::Normal), "{:?}", app.mode);
    apply(&mut app, [key('n'), enter()]);
    let Mode::Form(form) = &app.mode else { panic!("{:?}", app.mode) };
    assert!(form.header().starts_with("New profile → "), "{}", form.header());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_help_names_the_new_profile_choices() {
    let h = Harness::demo(120, 40).await;
    let mut app = h.app.clone();
    apply(&mut app, [key('?')]);
    let screen = buffer_text(render(&app, 120, 40).backend().buffer());
    assert!(screen.contains("new (blank form, from an API URL, or from a curl command)"), "{screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_from_the_demo_url_is_reviewed_saved_and_selected() {
    let mut h = Harness::demo(120, 40).await;
    let url = prm_url(&h);
    h.run(draft_from_url(&url)).await;
    assert_eq!(keys_of(&h.app), Some(NewKeys::Review), "{:?} {:?}", h.app.mode, h.app.status);
    let screen = h.screen();
    assert!(screen.contains(&format!("Draft from {url}")), "{screen}");
    assert!(screen.contains("fill in client.id"), "{screen}");
    assert!(screen.contains("secret = \"prompt\""), "{screen}");
    snap("new_profile_url_review", &h.app);

    // s: the name drafted (free), replaced by one typed; Enter writes it.
    let mut script = vec![key('s'), ctrl('u')];
    script.extend(typed("orders"));
    script.extend([enter(), Msg::WaitIdle]);
    h.run(script).await;
    assert!(matches!(h.app.mode, Mode::Normal), "{:?} {:?}", h.app.mode, h.app.status);
    assert_eq!(h.app.selected_stem().as_deref(), Some("orders"));
    let item = h.app.profiles.selected().expect("selected");
    let profile = item.loaded.as_ref().expect("the written draft loads");
    assert_eq!(profile.name.as_deref(), Some("orders"));
    assert_eq!(profile.endpoints[0].url, url);
    let path = h.dir.path().join("orders.toml");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).expect("written").permissions().mode() & 0o777, 0o600);
    }
    assert!(h.screen().contains("▶ orders"), "{}", h.screen());
    assert!(h.screen().contains(&format!("saved {}", path.display())), "{}", h.screen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_name_is_refused_and_the_file_kept() {
    let mut h = Harness::demo(120, 40).await;
    let path = h.dir.path().join("demo-reader.toml");
    let before = std::fs::read(&path).unwrap();
    let url = prm_url(&h);
    let mut script = draft_from_url(&url);
    script.extend([key('s'), ctrl('u')]);
    script.extend(typed("demo-reader"));
    script.push(enter());
    h.run(script).await;
    assert_eq!(keys_of(&h.app), Some(NewKeys::SaveAs), "{:?}", h.app.mode);
    assert!(h.screen().contains("exists already: choose"), "{}", h.screen());
    assert_eq!(std::fs::read(&path).unwrap(), before);

    // A file that appeared on disk since the list was read is not replaced either.
    let late = h.dir.path().join("late.toml");
    std::fs::write(&late, "name = \"late\"\n").unwrap();
    let mut script = vec![ctrl('u')];
    script.extend(typed("late"));
    script.extend([enter(), Msg::WaitIdle]);
    h.run(script).await;
    assert_eq!(keys_of(&h.app), Some(NewKeys::SaveAs), "{:?}", h.app.mode);
    assert!(h.screen().contains("not overwritten"), "{}", h.screen());
    assert_eq!(std::fs::read_to_string(&late).unwrap(), "name = \"late\"\n");

    // Esc goes back to the draft, Esc again drops it: nothing written.
    h.run(vec![esc()]).await;
    assert_eq!(keys_of(&h.app), Some(NewKeys::Review));
    h.run(vec![esc()]).await;
    assert!(matches!(h.app.mode, Mode::Normal));
    let drafted = std::fs::read_dir(h.dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("127-0-0-1-"));
    assert_eq!(drafted.count(), 0, "nothing was written under the drafted name");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_is_finished_in_the_form_with_its_client_id() {
    let mut h = Harness::demo(120, 40).await;
    let mut script = draft_from_url(&prm_url(&h));
    script.push(key('e'));
    h.run(script).await;
    let Mode::Form(form) = &h.app.mode else { panic!("{:?}", h.app.mode) };
    assert_eq!(form.focus(), FieldId::ClientId, "the empty client id is where the form starts");
    assert!(form.header().starts_with("New profile from the draft → "), "{}", form.header());
    // Saving without it says what is missing.
    h.run(vec![ctrl('s')]).await;
    assert!(matches!(h.app.mode, Mode::Form(_)));
    let mut script = typed("demo-reader");
    script.extend([ctrl('s'), Msg::WaitIdle]);
    h.run(script).await;
    assert!(matches!(h.app.mode, Mode::Normal), "{:?} {:?}", h.app.mode, h.app.status);
    let stem = h.app.selected_stem().expect("selected");
    assert!(stem.starts_with("127-0-0-1-"), "{stem}");
    let profile = h.app.profiles.selected().unwrap().loaded.clone().expect("loads");
    assert_eq!(profile.client.map(|c| c.id), Some("demo-reader".to_owned()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_stops_a_url_lookup_that_hangs() {
    // Accepts connections (the kernel does) and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api", silent.local_addr().unwrap());
    let mut h = Harness::demo(80, 24).await;
    let mut script = vec![key('n'), key('u')];
    script.extend(typed(&url));
    script.push(enter());
    h.run(script).await;
    assert!(h.screen().contains("drafting…"), "{}", h.screen());
    h.run(vec![esc()]).await;
    let Mode::NewProfile(new) = &h.app.mode else { panic!("{:?}", h.app.mode) };
    let NewStep::Url(step) = &new.step else { panic!("{:?}", new.step) };
    assert!(step.pending.is_none() && h.app.running.is_empty());
    assert_eq!(step.input.value(), url, "the URL is kept");
    drop(silent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_curl_command_is_reviewed_without_its_secret() {
    let h = Harness::demo(120, 40).await;
    let mut app = h.app.clone();
    apply(&mut app, [key('n'), key('c'), Msg::Paste(curl_command(&h).replace('\n', "\r"))]);
    assert_eq!(keys_of(&app), Some(NewKeys::Curl));
    snap("new_profile_curl_box", &app);
    apply(&mut app, [enter()]);
    assert_eq!(keys_of(&app), Some(NewKeys::Review), "{:?}", app.status);
    snap("new_profile_curl_review", &app);
}

/// Every frame from the paste to the written file, at both sizes: the secret is on none, nor
/// in the file, nor in the state's debug output.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pasted_secret_is_on_no_frame() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut h = Harness::demo(width, height).await;
        let mut steps = vec![vec![key('n')], vec![key('c')], vec![Msg::Paste(curl_command(&h))]];
        // Typed keys after the paste (a user fixing it) keep it hidden too.
        steps.extend([vec![press(KeyCode::Backspace)], vec![key('n')], vec![enter()]]);
        steps.extend([vec![key('j')], vec![key('j')], vec![press(KeyCode::PageDown)], vec![key('s')], vec![ctrl('u')]]);
        steps.extend(typed("pasted").into_iter().map(|msg| vec![msg]));
        // A task's answer comes back to the run that started it: Enter waits for the write.
        steps.extend([vec![enter(), Msg::WaitIdle], vec![key('?')]]);
        for step in steps {
            h.run(step).await;
            let screen = h.screen();
            assert!(!screen.contains(SECRET) && !screen.contains("s3cr3t"), "{width}x{height}:\n{screen}");
            assert!(!format!("{:?}", h.app).contains(SECRET));
        }
        assert_eq!(h.app.selected_stem().as_deref(), Some("pasted"), "{:?}", h.app.status);
        let written = std::fs::read_to_string(h.dir.path().join("pasted.toml")).unwrap();
        assert!(!written.contains(SECRET), "{written}");
        assert!(written.contains("secret = \"prompt\""), "{written}");
    }
}
