//! The profile form's connection settings: `[tls]` (`ca_file`, `insecure`, warned) and
//! `[dpop]` (`alg`, `private_key` as a source), checked in the form, saved with their comments,
//! and removed when emptied.

use crate::support::tui::*;
use crossterm::event::KeyCode;
use tokdbg::tui::msg::Msg;
use tokdbg::tui::state::app::{App, Mode};
use tokdbg::tui::state::form_fields::FieldId;

/// A profile directory holding `tests/fixtures/profiles_connection/bound.toml` and the repo's
/// demo-reader profile, the app over it with `stem` selected.
fn harness(stem: &str) -> Harness {
    let dir = profile_dir();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("tests/fixtures/profiles_connection/bound.toml"), dir.path().join("bound.toml")).unwrap();
    std::fs::copy(root.join("profiles/demo-reader.toml"), dir.path().join("demo-reader.toml")).unwrap();
    let mut h = Harness::over(dir, 120, 40, NOW);
    h.select(stem);
    h
}

fn focus(app: &App) -> FieldId {
    match &app.mode {
        Mode::Form(form) => form.focus(),
        other => panic!("not in the form: {other:?}"),
    }
}

/// Tabs to `id` in the open form.
fn goto(app: &mut App, id: FieldId) {
    for _ in 0..FieldId::ALL.len() {
        if focus(app) == id {
            return;
        }
        apply(app, [tab()]);
    }
    panic!("{id:?} not reachable");
}

/// Moves to `id`, clears it and types `text`.
fn set(app: &mut App, id: FieldId, text: &str) {
    goto(app, id);
    apply(app, [ctrl('u')]);
    apply(app, typed(text));
}

fn error_of(app: &App, id: FieldId) -> Option<String> {
    match &app.mode {
        Mode::Form(form) => form.error(id).map(str::to_owned),
        _ => None,
    }
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_and_dpop_typed_in_the_form_are_saved_before_expect() {
    let mut h = harness("demo-reader");
    apply(&mut h.app, [key('e')]);
    set(&mut h.app, FieldId::TlsCaFile, "certs/dev-ca.pem");
    goto(&mut h.app, FieldId::TlsInsecure);
    apply(&mut h.app, [press(KeyCode::Right)]);
    set(&mut h.app, FieldId::DpopAlg, "es256");
    set(&mut h.app, FieldId::DpopPrivateKey, "file:keys/dpop.pem");
    h.run(vec![ctrl('s'), Msg::WaitIdle]).await;
    assert!(matches!(h.app.mode, Mode::Normal), "saved: {:?} {:?}", h.app.mode, h.app.status);
    let text = std::fs::read_to_string(h.dir.path().join("demo-reader.toml")).unwrap();
    let dpop = text.find("[dpop]\nalg = \"ES256\"\nprivate_key = \"file:keys/dpop.pem\"\n").expect(&text);
    let tls = text.find("[tls]\nca_file = \"certs/dev-ca.pem\"\ninsecure = true\n").expect(&text);
    let expect = text.find("[expect]").expect(&text);
    assert!(dpop < tls && tls < expect, "{text}");
    // The comments of the file are all still there.
    let original = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/profiles/demo-reader.toml")).unwrap();
    for comment in original.lines().filter(|l| l.trim_start().starts_with('#')) {
        assert!(text.contains(comment), "lost {comment:?}:\n{text}");
    }
    let profile = h.app.profiles.selected().unwrap().loaded.clone().unwrap();
    assert!(profile.tls.insecure && profile.dpop.is_some_and(|d| d.alg == "ES256"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emptied_tls_and_dpop_sections_are_removed_and_the_rest_keeps_its_comments() {
    let mut h = harness("bound");
    apply(&mut h.app, [key('e')]);
    set(&mut h.app, FieldId::TlsCaFile, "");
    set(&mut h.app, FieldId::DpopPrivateKey, "");
    set(&mut h.app, FieldId::DpopAlg, "");
    h.run(vec![ctrl('s'), Msg::WaitIdle]).await;
    assert!(matches!(h.app.mode, Mode::Normal), "saved: {:?} {:?}", h.app.mode, h.app.status);
    let text = std::fs::read_to_string(h.dir.path().join("bound.toml")).unwrap();
    assert!(!text.contains("[tls]") && !text.contains("[dpop]"), "{text}");
    assert!(!text.contains("ca_file") && !text.contains("private_key"), "{text}");
    assert!(text.contains("# A profile with every connection setting"), "{text}");
    assert!(text.contains("secret = \"env:SVC_SECRET\"  # never in the file"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_dpop_alg_keeps_the_comments_of_its_section() {
    let mut h = harness("bound");
    apply(&mut h.app, [key('e')]);
    set(&mut h.app, FieldId::DpopAlg, "EdDSA");
    h.run(vec![ctrl('s'), Msg::WaitIdle]).await;
    let text = std::fs::read_to_string(h.dir.path().join("bound.toml")).unwrap();
    assert!(text.contains("[dpop]  # proofs on the token request and the API call"), "{text}");
    assert!(text.contains("alg = \"EdDSA\"  # the proofs' alg"), "{text}");
    assert!(text.contains("[tls]  # the dev issuer's private CA\nca_file = \"certs/dev-ca.pem\"  # beside"), "{text}");
}

#[test]
fn a_dpop_alg_tokdbg_cannot_sign_with_is_refused_in_the_form() {
    let mut h = harness("bound");
    apply(&mut h.app, [key('e')]);
    set(&mut h.app, FieldId::DpopAlg, "HS256");
    apply(&mut h.app, [ctrl('s')]);
    let error = error_of(&h.app, FieldId::DpopAlg).expect("an error under dpop.alg");
    assert!(error.contains("\"HS256\" is not an alg tokdbg signs proofs with"), "{error}");
    assert_eq!(focus(&h.app), FieldId::DpopAlg);
}

#[test]
fn rs256_proofs_need_a_dpop_key() {
    let mut h = harness("bound");
    apply(&mut h.app, [key('e')]);
    set(&mut h.app, FieldId::DpopPrivateKey, "");
    set(&mut h.app, FieldId::DpopAlg, "RS256");
    apply(&mut h.app, [ctrl('s')]);
    let error = error_of(&h.app, FieldId::DpopPrivateKey).expect("an error under dpop.private_key");
    assert!(error.contains("required by dpop.alg RS256"), "{error}");
}

#[test]
fn a_literal_dpop_key_is_refused_in_the_form() {
    let mut h = harness("bound");
    apply(&mut h.app, [key('e')]);
    set(&mut h.app, FieldId::DpopPrivateKey, "-----BEGIN PRIVATE KEY-----");
    apply(&mut h.app, [ctrl('s')]);
    let error = error_of(&h.app, FieldId::DpopPrivateKey).expect("an error under dpop.private_key");
    assert!(error.contains("file:PATH, env:VAR or cmd:COMMAND"), "{error}");
}

#[test]
fn a_dpop_key_without_an_alg_is_refused_in_the_form() {
    let mut h = harness("bound");
    apply(&mut h.app, [key('e')]);
    set(&mut h.app, FieldId::DpopAlg, "");
    apply(&mut h.app, [ctrl('s')]);
    let error = error_of(&h.app, FieldId::DpopAlg).expect("an error under dpop.alg");
    assert!(error.contains("required with a dpop.private_key"), "{error}");
}

/// The form's connection settings: `insecure = true` warned under its field, a refused alg.
#[test]
fn form_connection_snapshots() {
    let mut h = harness("bound");
    apply(&mut h.app, [key('e')]);
    goto(&mut h.app, FieldId::TlsInsecure);
    apply(&mut h.app, [press(KeyCode::Right)]);
    let screen = buffer_text(render(&h.app, 120, 40).backend().buffer());
    assert!(screen.contains("dev only: any server certificate is accepted"), "{screen}");
    set(&mut h.app, FieldId::DpopAlg, "HS256");
    apply(&mut h.app, [ctrl('s')]);
    snap("form_connection", &h.app);
}
