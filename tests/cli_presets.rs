//! `[expect] stack` and `verify --as STACK|all` against the embedded demo: each stack's
//! verifier defaults (leeway, iat, exp, aud rules), the matrix, and the call's dialect note.

use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::Algorithm;
use serde_json::{Value, json};
use tempfile::TempDir;
use tokdbg::demo::{APP_ID, DemoKey, DemoServer, sign_token, write_demo_profiles};

use crate::support::{Invocation, Run};

struct Demo {
    server: DemoServer,
    dir: TempDir,
}

impl Demo {
    async fn start() -> Demo {
        let server = DemoServer::start("127.0.0.1:0".parse().expect("addr")).await.expect("demo server");
        let dir = tempfile::tempdir().expect("tempdir");
        write_demo_profiles(dir.path(), &server.base_url()).expect("write demo profiles");
        Demo { server, dir }
    }

    async fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["--profiles".to_owned(), self.dir.path().display().to_string()];
        all.extend(args.iter().map(|a| (*a).to_owned()));
        Invocation::new(&all).run().await
    }

    /// `verify TOKEN --issuer ISS --aud demo-app` plus `extra`.
    async fn verify(&self, token: &str, extra: &[&str]) -> Run {
        let issuer = self.server.issuer();
        let mut args = vec!["verify", token, "--issuer", &issuer, "--aud", APP_ID];
        args.extend_from_slice(extra);
        self.run(&args).await
    }

    /// A demo-signed token with times relative to now (and other claims) changed.
    fn token(&self, changes: Value) -> String {
        let now = now();
        let mut claims = json!({
            "iss": self.server.issuer(), "sub": "demo-reader", "aud": APP_ID, "client_id": "demo-reader",
            "jti": "presets-1", "scope": "order:read", "iat": now, "exp": now + 600,
        });
        for (name, value) in changes.as_object().into_iter().flatten() {
            match value.as_i64() {
                // Numbers are offsets from now; null removes the claim.
                Some(offset) => claims[name] = json!(now + offset),
                None if value.is_null() => {
                    claims.as_object_mut().map(|c| c.remove(name));
                }
                None => claims[name] = value.clone(),
            }
        }
        sign_token(&claims, Algorithm::RS256, DemoKey::Rsa1, Some("demo-rsa-1"))
    }

    /// demo-reader's profile with `[expect]` edited: a stack added, the leeway line dropped.
    fn reader_as(&self, stem: &str, stack: &str) {
        let text = std::fs::read_to_string(self.dir.path().join("demo-reader.toml")).expect("demo-reader");
        let text = text
            .replace("leeway_secs = 0\n", "")
            .replace("[expect]  # mirrors", &format!("[expect]\nstack = \"{stack}\"  # mirrors"));
        let path = self.dir.path().join(format!("{stem}.toml"));
        std::fs::write(&path, text).expect("write profile");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
    }
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

fn failed(row: &Value) -> Vec<&str> {
    row["failed"].as_array().into_iter().flatten().filter_map(Value::as_str).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_as_one_stack_uses_its_leeway_and_flags_still_win() {
    let demo = Demo::start().await;
    let token = demo.token(json!({ "exp": -3 }));
    let run = demo.verify(&token, &["--as", "express-oauth2-jwt-bearer", "--json"]).await;
    run.code(0);
    let value = run.json();
    assert_eq!((value["valid"].clone(), value["stack"].clone()), (json!(true), json!("express-oauth2-jwt-bearer")));
    assert_eq!(value["stacks"][0]["stack"], "express-oauth2-jwt-bearer");
    let run = demo.verify(&token, &["--as", "express-jwt", "--json"]).await;
    run.code(1);
    let value = run.json();
    assert_eq!(failed(&value["stacks"][0]), vec!["exp"], "{value:#}");
    assert!(value["notes"][0].as_str().unwrap_or("").contains("beyond express-jwt's 0 s leeway"), "{value:#}");
    demo.verify(&token, &["--as", "express-jwt", "--leeway", "30"]).await.code(0).stdout_has("as express-jwt:");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_as_all_prints_one_row_per_stack_with_by_how_much() {
    let demo = Demo::start().await;
    let token = demo.token(json!({ "exp": -61 }));
    let run = demo.verify(&token, &["--as", "all", "--json"]).await;
    let value = run.json();
    let rows = value["stacks"].as_array().expect("stacks");
    assert_eq!(rows.len(), 13, "{value:#}");
    for row in rows {
        for field in ["stack", "valid", "failed", "notes"] {
            assert!(row.get(field).is_some(), "a row lacks {field}: {row:#}");
        }
    }
    let row = |name: &str| rows.iter().find(|r| r["stack"] == name).expect(name).clone();
    assert_eq!(row("aspnet")["valid"], true);
    assert_eq!(failed(&row("spring")), vec!["exp"]);
    assert_eq!(failed(&row("express-oauth2-jwt-bearer")), vec!["exp"]);
    let summary = value["summaries"][0].as_str().expect("a summary");
    assert!(summary.starts_with("expired 61 s ago: fails"), "{summary}");
    assert!(summary.contains("spring (60 s)") && summary.contains("passes aspnet (300 s)"), "{summary}");

    let run = demo.verify(&token, &["--as", "all"]).await;
    run.stdout_has("as each stack would verify it").stdout_has("passes aspnet (300 s)");
    run.stdout_has("signature  verified");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_future_iat_fails_only_the_stacks_that_check_it() {
    let demo = Demo::start().await;
    let token = demo.token(json!({ "iat": 120 }));
    let value = demo.verify(&token, &["--as", "all", "--json"]).await.json();
    let rows = value["stacks"].as_array().expect("stacks");
    let failing: Vec<&str> = rows.iter().filter(|r| r["valid"] == false).filter_map(|r| r["stack"].as_str()).collect();
    // kong accepts only HS256 by default, authlib's RFC 9068 validator only typ at+jwt (the demo signs typ JWT).
    assert_eq!(failing, vec!["pyjwt", "authlib", "kong"], "{value:#}");
    let pyjwt = rows.iter().find(|r| r["stack"] == "pyjwt").expect("pyjwt");
    assert_eq!(failed(pyjwt), vec!["iat"]);
    let summary = value["summaries"][0].as_str().expect("a summary");
    assert!(summary.starts_with("iat 120 s in the future: fails pyjwt (0 s), authlib (0 s)"), "{summary}");
    // Without a stack the verdict is as before: the iat line is a note, not a failure.
    let run = demo.verify(&token, &["--json"]).await;
    run.code(0);
    let checks = run.json()["checks"].clone();
    let iat = checks.as_array().into_iter().flatten().find(|c| c["name"] == "iat").expect("an iat line");
    assert_eq!(iat["status"], "skip", "{iat:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_stack_names_the_known_ones() {
    let demo = Demo::start().await;
    let token = demo.token(json!({}));
    let run = demo.verify(&token, &["--as", "sprng", "--json"]).await;
    let error = run.code(2).json_error("usage");
    let message = error.to_string();
    assert!(message.contains("did you mean \\\"spring\\\"") && message.contains("aws-apigw"), "{message}");

    demo.reader_as("reader-typo", "asp.net");
    let run = demo.run(&["verify", &token, "--profile", "reader-typo", "--json"]).await;
    run.code(2);
    assert!(run.stdout.contains("unknown stack") || run.stderr.contains("unknown stack"), "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_stack_sets_the_defaults_it_does_not_write() {
    let demo = Demo::start().await;
    demo.reader_as("reader-spring", "spring");
    let token = demo.token(json!({ "exp": -30 }));
    demo.run(&["verify", &token, "--profile", "reader-spring"]).await.code(0);
    // demo-reader writes leeway_secs = 0: the same token fails there, and as spring it passes.
    demo.run(&["verify", &token, "--profile", "demo-reader"]).await.code(1);
    demo.run(&["verify", &token, "--profile", "demo-reader", "--as", "spring"]).await.code(1);
    let value = demo.run(&["verify", &token, "--profile", "demo-reader", "--as", "aspnet", "--json"]).await.json();
    assert_eq!(failed(&value["stacks"][0]), vec!["exp"], "written leeway_secs = 0 wins over aspnet's 300 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_says_when_the_answer_reads_as_another_stack() {
    let demo = Demo::start().await;
    demo.reader_as("reader-spring", "spring");
    let token = demo.token(json!({ "exp": -120 }));
    let run = demo.run(&["call", "reader-spring", "read orders", "--token", &token, "--json"]).await;
    let value = run.json();
    let dialect = value["server"]["dialect"].as_str().unwrap_or_default().to_owned();
    let notes: Vec<String> =
        value["notes"].as_array().into_iter().flatten().filter_map(|n| n.as_str().map(str::to_owned)).collect();
    assert_eq!(dialect, "express_jwt", "{value:#}");
    assert!(
        notes.iter().any(|n| n.contains("reads as express-jwt's") && n.contains("expect.stack is \"spring\"")),
        "{notes:?}"
    );
    let run = demo.run(&["call", "reader-spring", "read orders", "--token", &token]).await;
    run.stdout_has("reads as express-jwt's");
}

#[test]
fn an_edit_keeps_the_stack_and_writes_none_of_its_defaults() {
    use tokdbg::core::store::profile_edit::render_profile;
    use tokdbg::core::store::profile_store::parse_profile;
    let text = "[issuer]\njwks_uri = \"https://i.example/jwks\"\n\n[expect]\nstack = \"spring\"  # our API\nissuer = \"https://i.example/\"\n";
    let mut profile = parse_profile(text, "p.toml").expect("parses");
    assert_eq!(profile.expect.leeway_secs, 60, "spring's default");
    profile.expect.issuer = Some("https://j.example/".into());
    let saved = render_profile(text, &profile).expect("renders");
    assert!(saved.contains("stack = \"spring\"  # our API"), "{saved}");
    assert!(!saved.contains("leeway_secs") && !saved.contains("algorithms"), "{saved}");
    assert_eq!(parse_profile(&saved, "p.toml").expect("reads back").expect.leeway_secs, 60);
}
