//! Introspection (RFC 7662) and revocation (RFC 7009) over real HTTP against the demo: the
//! `introspect` and `revoke` commands (human, --json, exit codes), and `call` with an opaque
//! token (allowed, a scope gap told by introspection, revoked).

use std::path::Path;

use axum::Router;
use axum::routing::post;
use serde_json::json;
use tokdbg::core::diagnose::Verdict;
use tokdbg::core::engine::{TokenChoice, TokenSource};
use tokdbg::core::findings::Code;
use tokdbg::demo::{DemoServer, write_demo_profiles};

use crate::support::{self, Invocation, Run, TestResult, demo_profile, engine, primary, spec_with, summary};

struct Demo {
    server: DemoServer,
    dir: tempfile::TempDir,
}

impl Demo {
    async fn start() -> Demo {
        let server = support::start_demo().await.expect("demo");
        let dir = tempfile::tempdir().expect("tempdir");
        write_demo_profiles(dir.path(), &server.base_url()).expect("profiles");
        Demo { server, dir }
    }

    fn dir(&self) -> &Path {
        self.dir.path()
    }

    async fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["--profiles", self.dir().to_str().expect("utf-8 dir")];
        all.extend_from_slice(args);
        let run = support::tokdbg(&all).await;
        run.no_panic();
        run
    }

    /// A fresh opaque token of `stem`'s client, printed on purpose by `token --raw`.
    async fn opaque_token(&self, stem: &str) -> String {
        let run = self.run(&["token", stem, "--raw"]).await;
        run.code(0);
        let token = run.stdout.trim().to_owned();
        assert!(!token.contains('.') && token.len() >= 32, "not a reference token: {token}");
        token
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn introspect_says_active_inactive_or_why_not() {
    let demo = Demo::start().await;
    // Active: exit 0, the answer's members at the top of the JSON.
    let run = demo.run(&["introspect", "demo-opaque", "--json"]).await;
    run.code(0);
    let value = run.json();
    assert_eq!(value["active"], true, "{}", run.describe());
    assert_eq!(value["scope"], "order:read");
    assert_eq!(value["client_id"], "demo-opaque");
    assert_eq!(value["aud"], "demo-app");
    assert_eq!(value["iss"], format!("{}/oidc", demo.server.base_url()));
    assert!(value["exp"].as_i64().is_some() && value["iat"].as_i64().is_some());
    assert_eq!(value["introspection_endpoint"], format!("{}/oidc/token/introspection", demo.server.base_url()));
    assert_eq!(value["findings"], json!([]));
    let hops: Vec<&str> = value["trace"].as_array().unwrap().iter().filter_map(|h| h["hop"].as_str()).collect();
    assert_eq!(hops, ["discovery", "token", "introspection"]);
    // Human output says it too.
    demo.run(&["introspect", "demo-opaque"]).await.code(0).stdout_has("ACTIVE").stdout_has("order:read");

    // Inactive (revoked at issue): exit 1, token_inactive.
    let run = demo.run(&["introspect", "demo-opaque-revoked", "--json"]).await;
    run.code(1);
    let value = run.json();
    assert_eq!(value["active"], false, "{}", run.describe());
    assert_eq!(value["findings"][0]["code"], "token_inactive");
    demo.run(&["introspect", "demo-opaque-revoked"]).await.code(1).stdout_has("INACTIVE");

    // The endpoint refuses the client (a wrong secret): no `active`, the error kept, exit 1.
    let token = demo.opaque_token("demo-opaque").await;
    let run = demo.run(&["introspect", "demo-wrong-secret", &token, "--json"]).await;
    run.code(1);
    let value = run.json();
    assert!(value.get("active").is_none(), "{}", run.describe());
    assert_eq!(value["oauth_error"], "invalid_client");
    assert_eq!(value["status"], 401);
    assert_eq!(value["findings"][0]["code"], "introspection_failed");
}

#[tokio::test(flavor = "multi_thread")]
async fn introspect_reads_the_token_from_stdin_and_knows_no_endpoint_without_one() -> TestResult {
    let demo = Demo::start().await;
    let token = demo.opaque_token("demo-opaque").await;
    let dir = demo.dir().to_str().unwrap().to_owned();
    let run = Invocation::new(&["--profiles", &dir, "introspect", "demo-opaque", "-", "--json"])
        .stdin(format!("{token}\n"))
        .run()
        .await;
    run.code(0);
    assert_eq!(run.json()["active"], true);
    assert_eq!(run.json()["token"]["source"], "given");

    // A profile with explicit endpoints and no issuer.url: nothing names an introspection endpoint.
    let base = demo.server.base_url();
    std::fs::write(
        demo.dir().join("bare.toml"),
        format!(
            "[issuer]\ntoken_endpoint = \"{base}/oidc/token\"\njwks_uri = \"{base}/oidc/.well-known/jwks.json\"\n[client]\nid = \"demo-opaque\"\nsecret = \"demo-opaque-secret\"\n"
        ),
    )?;
    let run = demo.run(&["introspect", "bare", &token, "--json"]).await;
    run.code(2);
    assert_eq!(run.json()["findings"][0]["code"], "introspection_failed");
    // …unless the profile names one.
    std::fs::write(
        demo.dir().join("named.toml"),
        format!(
            "[issuer]\ntoken_endpoint = \"{base}/oidc/token\"\nintrospection_endpoint = \"{base}/oidc/token/introspection\"\n[client]\nid = \"demo-opaque\"\nsecret = \"demo-opaque-secret\"\n"
        ),
    )?;
    demo.run(&["introspect", "named", &token]).await.code(0);
    // Unreachable: exit 3.
    let port = support::closed_port()?;
    std::fs::write(
        demo.dir().join("down.toml"),
        format!(
            "[issuer]\ntoken_endpoint = \"{base}/oidc/token\"\nintrospection_endpoint = \"http://127.0.0.1:{port}/introspect\"\n[client]\nid = \"demo-opaque\"\nsecret = \"demo-opaque-secret\"\n"
        ),
    )?;
    demo.run(&["introspect", "down", &token]).await.code(3);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn revoke_then_introspect_says_inactive_and_the_api_refuses() {
    let demo = Demo::start().await;
    let token = demo.opaque_token("demo-opaque").await;
    demo.run(&["introspect", "demo-opaque", &token]).await.code(0);
    let run = demo.run(&["revoke", "demo-opaque", &token, "--json"]).await;
    run.code(0);
    let value = run.json();
    assert_eq!(value["revoked"], true, "{}", run.describe());
    assert_eq!(value["status"], 200);
    assert_eq!(value["endpoint"], format!("{}/oidc/token/revocation", demo.server.base_url()));
    demo.run(&["introspect", "demo-opaque", &token]).await.code(1);
    let run = demo.run(&["call", "demo-opaque", "--token", &token, "--json"]).await;
    run.code(1);
    let value = run.json();
    assert_eq!(value["introspection"]["active"], false, "{}", run.describe());
    // A given string that is no JWT is told by its form first; the issuer does not know it either.
    let codes: Vec<&str> = value["findings"].as_array().unwrap().iter().filter_map(|f| f["code"].as_str()).collect();
    assert_eq!(codes[..2], ["malformed_token", "token_inactive"], "{}", run.describe());
    // RFC 7009 §2.2: an unknown token is revoked too (200); human output says so.
    demo.run(&["revoke", "demo-opaque", "0123456789abcdef0123456789abcdef"]).await.code(0).stdout_has("REVOKED");
    // Another client's token is refused.
    let other = demo.opaque_token("demo-opaque-revoked").await;
    let run = demo.run(&["revoke", "demo-opaque", &other, "--json"]).await;
    run.code(1);
    assert_eq!(run.json()["oauth_error"], "unauthorized_client");
}

#[tokio::test(flavor = "multi_thread")]
async fn call_with_an_opaque_token_introspects_it() -> TestResult {
    let server = support::start_demo().await?;
    let engine = engine();

    let profile = demo_profile(&server, "demo-opaque")?;
    let report = support::call_demo(&engine, &server, "demo-opaque", "read orders").await?;
    assert_eq!(report.verdict, Verdict::Allowed, "{}", summary(&report));
    let introspection = report.introspection.as_ref().expect("introspected");
    assert_eq!(introspection.active(), Some(true));
    // No local check ran (nothing passes for an opaque token), and no malformed_token error.
    assert!(report.verification.is_none());
    assert!(report.findings.iter().all(|f| f.code != Code::MalformedToken), "{}", summary(&report));
    let json = serde_json::to_value(&report)?;
    assert_eq!(json["introspection"]["scope"], "order:read");
    assert_eq!(json["introspection"]["members"]["client_id"], "demo-opaque");
    let hops: Vec<&str> = json["trace"].as_array().unwrap().iter().filter_map(|h| h["hop"].as_str()).collect();
    assert_eq!(hops, ["discovery", "token", "introspection", "api"]);

    // The scope gap from introspection: the token response names no scope.
    let report = support::call_demo(&engine, &server, "demo-opaque-scopegap", "write orders").await?;
    assert_eq!(report.verdict, Verdict::Denied, "{}", summary(&report));
    assert!(report.token_request.as_ref().and_then(|t| t.response.as_ref()).is_some_and(|r| r.get("scope").is_none()));
    assert_eq!(primary(&report).code, Code::ScopeMissing, "{}", summary(&report));
    assert_eq!(primary(&report).evidence.actual.as_deref(), Some("order:read"));

    // Revoked: token_inactive is the primary cause of the API's 401.
    let report = support::call_demo(&engine, &server, "demo-opaque-revoked", "read orders").await?;
    assert_eq!(report.verdict, Verdict::Denied, "{}", summary(&report));
    assert_eq!(primary(&report).code, Code::TokenInactive, "{}", summary(&report));
    assert_eq!(report.response.as_ref().map(|r| r.status), Some(401));

    // A given opaque token is introspected with the credentials the caller read for it.
    let token = engine.cached_token("demo-opaque", &profile).expect("cached").token;
    let spec = spec_with("demo-opaque", &profile, "read orders", TokenChoice::Given(token.clone()))?;
    let credentials = tokdbg::core::model::credentials::Credentials::secret(support::client_secret(&profile)?);
    let report = engine.call_introspecting(spec, None, Some(credentials)).await;
    assert_eq!(report.token.source, TokenSource::Given);
    assert_eq!(report.introspection.as_ref().and_then(|i| i.active()), Some(true), "{}", summary(&report));
    // Without them, no introspection: the call is still made.
    let spec = spec_with("demo-opaque", &profile, "read orders", TokenChoice::Given(token))?;
    let report = engine.call(spec, None).await;
    assert!(report.introspection.is_none());
    assert_eq!(report.verdict, Verdict::Allowed);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_introspection_endpoint_that_answers_html_fails_without_failing_the_call() -> TestResult {
    let server = support::start_demo().await?;
    let html = support::serve(Router::new().route(
        "/introspect",
        post(|| async { ([("content-type", "text/html")], "<html><body>Sign in</body></html>") }),
    ))
    .await?;
    let mut profile = demo_profile(&server, "demo-opaque")?;
    profile.issuer.introspection_endpoint = Some(format!("{html}/introspect"));
    let engine = engine();
    let credentials = tokdbg::core::model::credentials::Credentials::secret(support::client_secret(&profile)?);
    let spec = spec_with("demo-opaque", &profile, "read orders", TokenChoice::Fetch { credentials, force: false })?;
    let report = engine.call(spec, None).await;
    // The API (which introspects at the issuer) accepts; locally introspection failed.
    assert_eq!(report.verdict, Verdict::Allowed, "{}", summary(&report));
    let failed = support::finding(&report, Code::IntrospectionFailed).expect("introspection_failed");
    assert!(failed.message.contains("HTML"), "{}", failed.message);
    Ok(())
}

/// The TUI: a fetched opaque token is shown with the issuer's answer, and `i` on the Token tab
/// asks again (here after the token was revoked: not active any more).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_tab_shows_the_introspection_and_i_asks_again() {
    use crate::support::tui::{Harness, key, tab};
    use tokdbg::tui::msg::Msg;
    let mut h = Harness::demo(120, 60).await;
    h.select("demo-opaque");
    h.run(vec![key('t'), Msg::WaitIdle]).await;
    let fetch = h.app.selected_session().and_then(|s| s.token.clone()).expect("a token fetch");
    assert_eq!(fetch.introspection.as_ref().and_then(|i| i.active()), Some(true));
    let screen = h.screen();
    assert!(screen.contains("Introspection") && screen.contains("order:read"), "{screen}");
    assert!(!screen.contains("demo-opaque-secret"), "{screen}");

    // Revoked behind the TUI's back, then introspected again with `i` (focus on the detail pane).
    let token = fetch.access_token.clone().expect("token");
    let dir = tempfile::tempdir().unwrap();
    write_demo_profiles(dir.path(), &h.base_url()).unwrap();
    let run =
        support::tokdbg(&["--profiles", dir.path().to_str().unwrap(), "revoke", "demo-opaque", token.expose()]).await;
    run.code(0);
    h.run(vec![tab(), key('i'), Msg::WaitIdle]).await;
    let fetch = h.app.selected_session().and_then(|s| s.token.clone()).expect("a token fetch");
    assert_eq!(fetch.introspection.as_ref().and_then(|i| i.active()), Some(false), "{}", h.screen());
    assert!(h.screen().contains("NOT active"), "{}", h.screen());
}

#[tokio::test(flavor = "multi_thread")]
async fn assertion_clients_introspect_and_revoke_with_the_token_endpoint_as_audience() {
    // OIDC Core §9: a client assertion's aud is the token endpoint, at the introspection and
    // revocation endpoints too; the demo, like many issuers, refuses their own URLs.
    let demo = Demo::start().await;
    for stem in ["demo-private-key-jwt", "demo-secret-jwt"] {
        // The demo introspects only its reference tokens: a JWT is not active there, but the
        // client was authenticated and an answer came (no invalid_client).
        let run = demo.run(&["introspect", stem, "--json"]).await;
        let value = run.json();
        assert_eq!(value["active"], false, "{stem}: {}", run.describe());
        assert!(value["error"].is_null() && value["oauth_error"].is_null(), "{stem}: {}", run.describe());
        let token = demo.run(&["token", stem, "--raw"]).await;
        let token = token.stdout.trim().to_owned();
        let run = demo.run(&["revoke", stem, &token, "--json"]).await;
        run.code(0);
        assert_eq!(run.json()["revoked"], true, "{stem}: {}", run.describe());
    }
}
