//! The TUI as a daily tool (issue 10): one scripted case per defect a new user's trial found,
//! each failing before its fix.

use crate::support::tui::*;
use crossterm::event::KeyCode;
use tokdbg::tui::msg::Msg;
use tokdbg::tui::state::app::{Focus, Mode, Tab};

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
    let mut h = Harness::demo_with(120, 40, |dir, base| {
        write_reader_profile(dir, base, "from-env", "secret from the environment", &format!("env:{var}"));
    })
    .await;
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
    assert!(
        first_line.contains(&format!("(0/{})", crate::support::demo_profile_count())),
        "the count survives a long filter: {first_line}"
    );
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

// ---------------------------------------------------------------------------------------------
// Endpoints in the profile form, "Discard changes?", and saving a request as an endpoint.

fn tabs(n: usize) -> Vec<Msg> {
    (0..n).map(|_| tab()).collect()
}

/// Clears the focused text field and types `text`.
fn retype(text: &str) -> Vec<Msg> {
    let mut msgs = vec![ctrl('u')];
    msgs.extend(typed(text));
    msgs
}

/// The keys that add an endpoint in the form's Endpoints section (focus on it): `a`, then the
/// sub-form's fields in order, then Ctrl-S to keep it.
fn add_endpoint(name: &str, method_steps: usize, url: &str, scopes: &str, headers: &str, body: &[&str]) -> Vec<Msg> {
    let mut msgs = vec![key('a')];
    msgs.extend(typed(name));
    msgs.push(tab());
    msgs.extend((0..method_steps).map(|_| press(KeyCode::Right)));
    msgs.push(tab());
    msgs.extend(typed(url));
    msgs.push(tab());
    msgs.extend(typed(scopes));
    msgs.push(tab());
    msgs.extend(typed(headers));
    msgs.push(tab());
    for (i, line) in body.iter().enumerate() {
        if i > 0 {
            // Enter is a new line in the body; Tab (or Ctrl-S) leaves it.
            msgs.push(enter());
        }
        msgs.extend(typed(line));
    }
    msgs.push(ctrl('s'));
    msgs
}

/// The `[[endpoints]]` table of `name` in a profile file's text.
fn endpoint_table<'a>(text: &'a str, name: &str) -> &'a str {
    text.split("[[endpoints]]")
        .find(|table| table.contains(&format!("name = \"{name}\"")))
        .unwrap_or_else(|| panic!("no endpoint {name} in:\n{text}"))
        .trim_end()
}

/// Defect 1: a profile made from scratch with `n` gets endpoints in the form; the file holds
/// them; both are sent (200 and 403).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoints_added_in_the_form_are_saved_and_sent() {
    let mut h = Harness::demo(120, 40).await;
    let (issuer, base) = (h.issuer(), h.base_url());
    // Fields of a new profile: file name, name, issuer.url, …; focus starts on the file name.
    // (n offers the blank form, a URL or a curl command; Enter takes the blank form.)
    let mut script = vec![key('n'), enter(), tab()];
    script.extend(typed("mine"));
    script.push(tab());
    script.extend(typed(&issuer));
    script.extend(tabs(3));
    script.extend(typed("demo-reader"));
    // client.auth_method: client_secret_post, the default.
    script.push(tab());
    // client.secret: env → file → cmd → prompt → literal.
    script.push(tab());
    script.extend((0..4).map(|_| press(KeyCode::Right)));
    script.push(tab());
    script.extend(typed("demo-reader-secret"));
    script.push(tab());
    script.extend(typed("order:read"));
    script.extend(tabs(3));
    script.extend(typed(&issuer));
    script.push(tab());
    script.extend(typed("demo-app"));
    // expect.algorithms is RS256 already.
    script.extend(tabs(5));
    h.run(script).await;
    let Mode::Form(form) = &h.app.mode else { panic!("{:?}", h.app.mode) };
    assert_eq!(form.keys(), tokdbg::tui::state::endpoint_form::FormKeys::Endpoints);
    assert!(h.screen().contains("none yet: a adds one"), "{}", h.screen());

    let mut script = add_endpoint("read orders", 0, &format!("{base}/api/protected"), "order:read", "", &[]);
    script.extend(add_endpoint(
        "write orders",
        1,
        &format!("{base}/api/orders"),
        "order:write",
        "Content-Type: application/json",
        &["{", "  \"item\": \"tea\"", "}"],
    ));
    h.run(script).await;
    let screen = h.screen();
    assert!(screen.contains("GET     read orders"), "{screen}");
    assert!(screen.contains("POST    write orders"), "{screen}");
    h.run(vec![ctrl('s'), Msg::WaitIdle]).await;
    assert!(matches!(h.app.mode, Mode::Normal), "{:?} {:?}", h.app.mode, h.app.status);

    let text = std::fs::read_to_string(h.dir.path().join("mine.toml")).unwrap();
    assert!(endpoint_table(&text, "read orders").contains("required_scopes = [\"order:read\"]"), "{text}");
    let write = endpoint_table(&text, "write orders");
    assert!(write.contains("method = \"POST\""), "{text}");
    assert!(write.contains("headers = { Content-Type = \"application/json\" }"), "{text}");
    assert!(write.contains("body = \"\"\"\n{\n  \"item\": \"tea\"\n}\"\"\""), "{text}");

    assert_eq!(h.app.selected_stem().as_deref(), Some("mine"));
    h.run(vec![key('s'), Msg::WaitIdle]).await;
    assert_eq!(last_status(&h.app), Some(200), "{:?}", h.app.status);
    h.run(vec![tab(), key('4'), key('j'), key('s'), Msg::WaitIdle]).await;
    assert_eq!(last_status(&h.app), Some(403), "{:?}", h.app.status);
}

/// Defect 1: edit an endpoint's method, reorder, remove; the other endpoints' tables stay
/// byte-identical in the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoints_edited_reordered_and_removed_keep_the_rest_of_the_file() {
    let mut h = Harness::demo(120, 40).await;
    let path = h.dir.path().join("demo-reader.toml");
    let before = std::fs::read_to_string(&path).unwrap();
    // e: the focus starts on the name; the Endpoints section is 17 fields further.
    let mut script = vec![key('e')];
    script.extend(tabs(17));
    // "read orders": method GET → POST.
    script.extend([enter(), tab(), press(KeyCode::Right), ctrl('s')]);
    // Move it below "write orders"; remove "public" (the last).
    script.push(key('J'));
    // demo-reader has 9 endpoints: 7 steps from the second to the last.
    script.extend((0..7).map(|_| key('j')));
    script.push(key('x'));
    h.run(script).await;
    assert!(h.screen().contains("removed \"public\": u brings it back"), "{}", h.screen());
    h.run(vec![ctrl('s'), Msg::WaitIdle]).await;
    assert!(matches!(h.app.mode, Mode::Normal), "{:?} {:?}", h.app.mode, h.app.status);

    let after = std::fs::read_to_string(&path).unwrap();
    assert!(endpoint_table(&after, "read orders").contains("method = \"POST\""), "{after}");
    assert!(!after.contains("name = \"public\""), "{after}");
    assert!(after.find("name = \"write orders\"").unwrap() < after.find("name = \"read orders\"").unwrap());
    let head = |text: &str| text.split("[[endpoints]]").next().unwrap().to_owned();
    assert_eq!(head(&after), head(&before), "comments and values above the endpoints stay");
    for name in ["write orders", "misconfigured issuer", "misconfigured audience", "rfc6750 read orders"] {
        assert_eq!(endpoint_table(&after, name), endpoint_table(&before, name), "{name}");
    }
    let endpoints = &h.app.profiles.selected().unwrap().loaded.as_ref().unwrap().endpoints;
    assert_eq!(endpoints.len(), 8);
    assert_eq!(endpoints[1].method, "POST");
}

/// "Discard changes?": Esc on an edited form or endpoint asks (n goes back, y discards);
/// an unedited form closes at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_on_an_edited_form_asks_before_discarding() {
    let mut h = Harness::demo(80, 24).await;
    let path = h.dir.path().join("demo-reader.toml");
    let before = std::fs::read(&path).unwrap();
    h.run(vec![key('e'), esc()]).await;
    assert!(matches!(h.app.mode, Mode::Normal), "an unedited form closes at once");

    let mut script = vec![key('e')];
    script.extend(typed(" v2"));
    script.push(esc());
    h.run(script).await;
    assert!(h.screen().contains("Discard the changes to this profile?"), "{}", h.screen());
    assert!(h.screen().contains("y discard"), "{}", h.screen());
    h.run(vec![key('n')]).await;
    let Mode::Form(form) = &h.app.mode else { panic!("n goes back to the form: {:?}", h.app.mode) };
    assert!(form.is_edited());

    // In the endpoint sub-form: Esc asks about the endpoint only.
    let mut script = tabs(17);
    script.extend([enter()]);
    script.extend(typed("!"));
    script.push(esc());
    h.run(script).await;
    assert!(h.screen().contains("Discard the changes to this endpoint?"), "{}", h.screen());
    h.run(vec![key('y')]).await;
    let Mode::Form(form) = &h.app.mode else { panic!("{:?}", h.app.mode) };
    assert!(form.endpoints.editor.is_none());
    assert_eq!(form.endpoints.items()[0].name, "read orders");

    h.run(vec![esc(), key('y')]).await;
    assert!(matches!(h.app.mode, Mode::Normal), "{:?}", h.app.mode);
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing was written");
}

/// Save an ad-hoc request as an endpoint; an edited one replaces its endpoint or is added as
/// new; a file changed on disk is refused and the editor keeps the request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_is_saved_as_an_endpoint() {
    let mut h = Harness::demo(120, 40).await;
    let path = h.dir.path().join("demo-reader.toml");
    let mut script = vec![key('a')];
    script.extend(retype(&format!("{}/api/public", h.base_url())));
    script.push(ctrl('s'));
    h.run(script).await;
    let Mode::Request(editor) = &h.app.mode else { panic!("{:?}", h.app.mode) };
    assert_eq!(editor.saving.as_ref().unwrap().name.value(), "GET /api/public");
    assert!(h.screen().contains("added as a new endpoint of the profile"), "{}", h.screen());
    h.run(vec![enter(), Msg::WaitIdle]).await;
    assert!(matches!(h.app.mode, Mode::Normal), "{:?} {:?}", h.app.mode, h.app.status);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(endpoint_table(&text, "GET /api/public").contains("/api/public\""), "{text}");
    // The saved endpoint is selected: s sends it.
    h.run(vec![key('s'), Msg::WaitIdle]).await;
    assert_eq!(last_status(&h.app), Some(200));
    assert_eq!(h.app.selected_session().and_then(|s| s.call.as_ref()).unwrap().endpoint.name, "GET /api/public");

    // r on "read orders": the name offered is the endpoint's; as a new one it clashes.
    h.run(vec![tab(), key('4'), key('g'), press(KeyCode::Home)]).await;
    h.app.session_mut("demo-reader").endpoint = 0;
    let mut script = vec![key('r'), tab(), tab()];
    script.extend(retype("X-Trace: 1"));
    script.extend([ctrl('s'), tab(), enter()]);
    h.run(script).await;
    let Mode::Request(editor) = &h.app.mode else { panic!("{:?}", h.app.mode) };
    let saving = editor.saving.as_ref().unwrap();
    assert!(!saving.replace);
    assert!(saving.error.as_ref().unwrap().contains("another endpoint is named \"read orders\""));
    // Tab: replace it. But the file changed on disk meanwhile: refused, the editor stays.
    std::fs::write(&path, std::fs::read_to_string(&path).unwrap() + "\n# edited by hand\n").unwrap();
    h.run(vec![tab(), enter(), Msg::WaitIdle]).await;
    assert!(matches!(h.app.mode, Mode::Request(_)), "{:?}", h.app.mode);
    let status = h.app.status.clone().unwrap();
    assert!(status.text.contains("changed on disk"), "{status:?}");
    assert!(!std::fs::read_to_string(&path).unwrap().contains("X-Trace"));
}

/// The form's Endpoints section and the endpoint sub-form, at 80x24 and 120x40.
#[test]
fn form_endpoints_and_sub_form_snapshots() {
    let dir = profile_dir();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/demo-reader.toml");
    std::fs::copy(repo, dir.path().join("demo-reader.toml")).unwrap();
    let mut app = Harness::over(dir, 120, 40, NOW).app;
    app.profiles.select_stem("demo-reader");
    apply(&mut app, [key('e')]);
    apply(&mut app, tabs(17));
    apply(&mut app, [key('j')]);
    snap("form_endpoints", &app);
    // The second endpoint in the sub-form, its method moved to PUT, on the body.
    apply(&mut app, [enter(), tab(), press(KeyCode::Right)]);
    apply(&mut app, tabs(4));
    snap("endpoint_sub_form", &app);
}

/// Snapshots `app` at 80x24 and 120x40 as `{name}_80x24` and `{name}_120x40`.
fn snap(name: &str, app: &tokdbg::tui::state::app::App) {
    let mut settings = insta::Settings::clone_current();
    for (regex, replacement) in filters() {
        settings.add_filter(&regex, replacement);
    }
    for (width, height) in [(80, 24), (120, 40)] {
        let text = render(app, width, height).backend().to_string();
        settings.bind(|| insta::assert_snapshot!(format!("{name}_{width}x{height}"), text));
    }
}

/// Paste mode takes the API's expected issuer and audience (defect 10: no "[expect]" wording
/// when there is none), and sends the selected endpoint with the pasted token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paste_mode_takes_issuer_and_audience_and_sends_with_the_pasted_token() {
    use tokdbg::core::clock::Clock as _;
    let mut h = Harness::demo(120, 40).await;
    let token = rs256_token(&demo_claims(&h.issuer(), "demo-reader", "order:read", h.clock.now()));
    let jwks = format!("{}/oidc/.well-known/jwks.json", h.base_url());
    // Paste the token, type the JWKS URL, then an audience the token does not carry.
    let mut script = vec![Msg::Paste(token.clone()), tab()];
    script.extend(typed(&jwks));
    script.extend([tab(), tab()]);
    script.extend(typed("some-other-api"));
    script.extend([enter(), Msg::WaitIdle]);
    h.run(script).await;
    let Mode::Paste(paste) = &h.app.mode else { panic!("{:?}", h.app.mode) };
    let report = paste.report.as_ref().expect("verified");
    assert!(!report.valid, "the audience typed is checked");
    let screen = h.screen();
    assert!(screen.contains("audience some-other-api"), "{screen}");
    assert!(!screen.contains("[expect]"), "{screen}");
    // Without the audience, only what ran is claimed.
    // (The audience field still has the focus: Ctrl-U clears it.)
    h.run(vec![ctrl('u'), enter(), Msg::WaitIdle]).await;
    let screen = h.screen();
    assert!(screen.contains("✓ the token passes the checks that ran (not checked:"), "{screen}");

    // Ctrl-S sends demo-reader's first endpoint with the pasted token: 200, no token fetched.
    h.run(vec![ctrl('s'), Msg::WaitIdle]).await;
    assert!(matches!(h.app.mode, Mode::Normal), "{:?}", h.app.mode);
    assert_eq!(h.app.tab, Tab::Endpoints);
    assert_eq!(last_status(&h.app), Some(200));
    let call = h.app.selected_session().and_then(|s| s.call.clone()).unwrap();
    assert_eq!(call.token.source, tokdbg::core::engine::TokenSource::Given);
    assert!(call.token_request.is_none(), "no token was fetched");
}

/// Defect 17: the list shows names, so it is sorted by name; the demo still opens on its
/// reader profile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_is_sorted_by_the_names_it_shows() {
    let h = Harness::demo(120, 40).await;
    let names: Vec<String> =
        h.app.profiles.visible.iter().map(|&i| h.app.profiles.items[i].name().to_lowercase()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(h.app.selected_stem().as_deref(), Some("demo-reader"));
}

/// Defect 19: a save refused because the file changed on disk says so (never "saved"), and
/// moving to another profile clears the previous one's status line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_save_never_says_saved_and_moving_clears_the_status() {
    let mut h = Harness::demo(120, 40).await;
    h.run(vec![key('e')]).await;
    let path = h.dir.path().join("demo-reader.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\n# edited elsewhere\n")).unwrap();
    let mut script = typed(" 2");
    script.extend([ctrl('s'), Msg::WaitIdle]);
    h.run(script).await;
    let status = h.app.status.clone().expect("a status");
    assert!(!status.text.contains("saved"), "{status:?}");
    assert!(status.text.contains("changed on disk"), "{status:?}");
    assert!(matches!(h.app.mode, Mode::Form(_)), "the form stays open with the edits: {:?}", h.app.mode);
    // Leave the form (discarding), send, then move: the 200 of demo-reader is not shown for
    // the next profile.
    h.run(vec![esc(), key('y'), enter(), enter(), Msg::WaitIdle]).await;
    assert!(h.app.status.as_ref().is_some_and(|s| s.text.starts_with("200")), "{:?}", h.app.status);
    h.run(vec![tab(), key('j')]).await;
    assert!(h.app.status.is_none(), "{:?}", h.app.status);
}

/// A picture of the call: tab 7 draws each request of the last call, the failing one marked
/// and selected first; ↑↓ select a hop and show its request and response.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trace_tab_draws_the_hops_and_shows_the_selected_one() {
    let mut h = Harness::demo(120, 40).await;
    h.select("demo-reader");
    // Enter opens the endpoints; j, Enter sends "write orders": a 403.
    h.run(vec![enter(), key('j'), enter(), Msg::WaitIdle, key('7')]).await;
    assert_eq!(h.app.tab, Tab::Trace);
    assert_eq!(h.app.focus, Focus::Detail);
    assert_eq!(last_status(&h.app), Some(403));
    let session = h.app.selected_session().expect("a session");
    assert_eq!(session.hop, 3, "the failing hop (the API's 403) is selected first");
    let app = h.app_after(0);
    snap("trace_403", &app);
    let screen = h.screen();
    for needle in
        ["caller → issuer", "caller → API", "✗ api", "/api/orders", "403", "1.5 ms", "Hop 4/4", "Response 403"]
    {
        assert!(screen.contains(needle), "{needle:?} missing:\n{screen}");
    }

    // ↑ ↑: the token request, its form with the secret redacted and the token endpoint's answer.
    h.run(vec![press(KeyCode::Up), press(KeyCode::Up)]).await;
    assert_eq!(h.app.selected_session().map(|s| s.hop), Some(1));
    let screen = h.screen();
    assert!(screen.contains("Hop 2/4 token · caller → issuer"), "{screen}");
    assert!(screen.contains("grant_type=client_credentials"), "{screen}");
    assert!(!screen.contains("demo-reader-secret"), "the client secret never shows:\n{screen}");
    // ↓ past the end stays on the last hop.
    h.run(vec![press(KeyCode::Down), press(KeyCode::Down), press(KeyCode::Down)]).await;
    assert_eq!(h.app.selected_session().map(|s| s.hop), Some(3));

    // Sent again: discovery, token and keys come from the caches; only the API request goes out.
    h.run(vec![key('s'), Msg::WaitIdle, key('7')]).await;
    let screen = h.screen();
    assert_eq!(screen.matches("cached").count(), 3, "{screen}");
}
