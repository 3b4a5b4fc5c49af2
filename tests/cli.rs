//! The `tokdbg` binary as a process: exit codes, `--json` shapes, human output, and that no
//! secret or token signature ever reaches stdout/stderr. Each test runs its own embedded demo
//! server on 127.0.0.1:0 and writes the demo profiles for that port into a temporary directory.

use crate::support::{Invocation, Run};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jsonwebtoken::Algorithm;
use serde_json::{Value, json};
use tempfile::TempDir;
use tokdbg::demo::{APP_ID, DemoKey, DemoServer, demo_profiles, sign_token, write_demo_profiles};

/// The example token of the Authing quick start (see /work/shared/seed-summary.md).
const SEED_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IlRmTE90M0xibjhfYThwUk11ZXNzYW1xai1vM0RCQ3MxLW93SExRLVZNcVEifQ.eyJqdGkiOiJTUWxFSGRzTk54MDc4TThwT1R6djMiLCJpYXQiOjE2MTk1MzA4MzQsImV4cCI6MTYxOTUzNDQzNCwic2NvcGUiOiJvcGVuaWQiLCJpc3MiOiJodHRwczovL29pZGMxLmF1dGhpbmcuY24vb2lkYyIsImF1ZCI6IjYwNTA3NTFhZWQwZjI5YmY3NzIzYzdhOCIsImF6cCI6IjVmMTdhNTI5ZjY0ZmIwMDliNzk0YTJmZiJ9.QsthJdDM5TNtfQOAzy6EwuedK9r03SzkgE2GQkQCLv8SZJhg-tOIKzHqjDDUmRTkJPLl3HHQTUAzfS3UUYwOiah3smiYF7ynx6jukaoGyHTIgXXwavUVmD5j-mnD3kZrLAo-dh5BLBQfLiiE_WlOkQvnKC160K9ETuwQlhx1TGJts0-sMsjsiRx28EJvdrdWw8CVHGiQVzvCE6kHkYmkO6VTkgEnHNqpRpdB0IysIeKUOWezgGZE-Dmtyam6c8nXW_lr798B194zVyjSOuwGt1tqEfRpBDYiD_ER29aWjH2UbI0pjko_15Ldqno9RgehTJXv5suQ6zdfrER-6b5Bmg";

/// Every secret the demo profiles hold (client secrets and HMAC secrets).
fn demo_secrets() -> Vec<String> {
    let mut secrets = Vec::new();
    for (stem, text) in demo_profiles("http://127.0.0.1:4455") {
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{stem}: {e}"));
        for (section, key) in [("client", "secret"), ("expect", "hmac_secret")] {
            if let Some(secret) = table.get(section).and_then(|s| s.get(key)).and_then(|s| s.as_str()) {
                secrets.push(secret.to_owned());
            }
        }
        // client_secret_basic's header value: base64("id:secret").
        let client = table.get("client");
        let field = |key| client.and_then(|c| c.get(key)).and_then(|v| v.as_str());
        if let (Some(id), Some(secret)) = (field("id"), field("secret")) {
            secrets.push(STANDARD.encode(format!("{id}:{secret}")));
        }
    }
    assert!(secrets.iter().any(|s| s == "demo-reader-secret"), "{secrets:?}");
    secrets.sort();
    secrets.dedup();
    secrets
}

/// JWS signature segments in `text`: the third part of `eyJ...` `.` `...` `.` `SIG` runs.
fn signatures_in(text: &str) -> Vec<String> {
    let is_b64 = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.split(|c: char| !(is_b64(c) || c == '.'))
        .flat_map(|run| {
            let parts: Vec<&str> = run.split('.').collect();
            parts
                .windows(3)
                .filter(|w| w[0].starts_with("eyJ") && !w[1].is_empty() && w[2].len() >= 16)
                .map(|w| w[2].to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Checks a run's stdout+stderr: no demo secret, and no signature unless `signature_allowed`.
#[track_caller]
fn assert_no_leak(run: &Run, signature_allowed: bool) {
    let all = format!("{}\n{}", run.stdout, run.stderr);
    for secret in demo_secrets() {
        assert!(!all.contains(&secret), "{:?} printed the secret {secret:?}:\n{all}", run.args);
    }
    if !signature_allowed {
        let found = signatures_in(&all);
        assert!(found.is_empty(), "{:?} printed a token signature {found:?}:\n{all}", run.args);
    }
}

/// Runs the binary; `dir` goes first as `--profiles DIR` when given.
async fn run_raw(dir: Option<&Path>, args: &[&str], stdin: Option<&str>) -> Run {
    let mut all_args = Vec::new();
    if let Some(dir) = dir {
        all_args.push("--profiles".to_owned());
        all_args.push(dir.display().to_string());
    }
    all_args.extend(args.iter().map(|a| (*a).to_owned()));
    let invocation = Invocation::new(&all_args);
    match stdin {
        Some(text) => invocation.stdin(text).run().await,
        None => invocation.run().await,
    }
}

/// A demo server and the demo profiles pointed at it.
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

    fn dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// `tokdbg --profiles DIR ARGS...`, checked for leaks (no secret, no signature).
    async fn run(&self, args: &[&str]) -> Run {
        let run = run_raw(Some(self.dir.path()), args, None).await;
        assert_no_leak(&run, false);
        run
    }

    async fn run_stdin(&self, args: &[&str], stdin: &str) -> Run {
        let run = run_raw(Some(self.dir.path()), args, Some(stdin)).await;
        assert_no_leak(&run, false);
        run
    }

    /// A token the demo issuer would sign, for demo-reader unless `claims` override.
    fn token(&self, key: DemoKey, kid: &str, extra: Value) -> String {
        let now = now();
        let mut claims = json!({
            "iss": self.server.issuer(),
            "sub": "demo-reader",
            "aud": APP_ID,
            "client_id": "demo-reader",
            "scope": "order:read",
            "iat": now,
            "exp": now + 600,
        });
        if let (Some(claims), Some(extra)) = (claims.as_object_mut(), extra.as_object()) {
            for (k, v) in extra {
                claims.insert(k.clone(), v.clone());
            }
        }
        sign_token(&claims, Algorithm::RS256, key, Some(kid))
    }
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// A port on 127.0.0.1 where nothing listens (bound, then released).
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|f| f.iter().filter_map(|f| f["code"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// The documented shape of `call --json`.
#[track_caller]
fn assert_call_shape(report: &Value) {
    for key in ["profile", "endpoint", "token", "verification", "response", "verdict", "findings"] {
        assert!(report.get(key).is_some(), "call --json lacks {key}: {report:#}");
    }
    for key in ["name", "method", "url"] {
        assert!(report["endpoint"][key].is_string(), "endpoint.{key}: {report:#}");
    }
    for key in ["source", "alg", "kid", "scopes", "expires_at"] {
        assert!(report["token"].get(key).is_some(), "token.{key}: {report:#}");
    }
    if !report["verification"].is_null() {
        assert!(report["verification"]["valid"].is_boolean(), "{report:#}");
        let checks = report["verification"]["checks"].as_array().expect("verification.checks");
        assert!(!checks.is_empty());
        for check in checks {
            for key in ["name", "status", "expected", "actual", "detail"] {
                assert!(check.get(key).is_some(), "check.{key}: {check}");
            }
            assert!(["pass", "fail", "skip"].contains(&check["status"].as_str().unwrap_or("")), "{check}");
        }
    }
    if !report["response"].is_null() {
        let response = &report["response"];
        assert!(response["status"].is_u64(), "{report:#}");
        assert!(response["latency_ms"].is_number(), "{report:#}");
        assert!(response["www_authenticate"].is_array(), "{report:#}");
        assert!(response["body"].is_string(), "{report:#}");
    }
    assert!(["allowed", "denied", "error"].contains(&report["verdict"].as_str().unwrap_or("")), "{report:#}");
    let findings = report["findings"].as_array().expect("findings");
    assert!(!findings.is_empty(), "{report:#}");
    for finding in findings {
        for key in ["severity", "code", "message", "evidence", "fix"] {
            assert!(finding.get(key).is_some(), "finding.{key}: {finding}");
        }
        assert!(["error", "warning", "info"].contains(&finding["severity"].as_str().unwrap_or("")), "{finding}");
    }
}

// ---------------------------------------------------------------------------------------------
// call: one row per demo profile

struct Case {
    profile: &'static str,
    endpoint: Option<&'static str>,
    exit: i32,
    verdict: &'static str,
    primary: &'static str,
    status: Option<u64>,
    alg: Option<&'static str>,
}

const fn case(
    profile: &'static str,
    exit: i32,
    verdict: &'static str,
    primary: &'static str,
    status: Option<u64>,
    alg: Option<&'static str>,
) -> Case {
    Case { profile, endpoint: None, exit, verdict, primary, status, alg }
}

const CASES: &[Case] = &[
    case("demo-reader", 0, "allowed", "ok", Some(200), Some("RS256")),
    Case { endpoint: Some("read orders"), ..case("demo-reader", 0, "allowed", "ok", Some(200), Some("RS256")) },
    Case {
        endpoint: Some("write orders"),
        ..case("demo-reader", 1, "denied", "scope_missing", Some(403), Some("RS256"))
    },
    case("demo-noscope", 1, "denied", "scope_missing", Some(403), Some("RS256")),
    case("demo-hs256", 1, "denied", "alg_not_allowed", Some(401), Some("HS256")),
    case("demo-skewed", 1, "denied", "expired", Some(401), Some("RS256")),
    case("demo-nogrant", 1, "error", "unauthorized_client", None, None),
    case("demo-wrong-secret", 1, "error", "invalid_client", None, None),
    case("demo-basic", 0, "allowed", "ok", Some(200), Some("RS256")),
    case("demo-basic-as-post", 1, "error", "invalid_client", None, None),
    case("demo-scp", 1, "denied", "scope_claim_mismatch", Some(403), Some("RS256")),
    case("demo-no-oidc", 1, "error", "discovery_failed", None, None),
    case("demo-bad-audience", 1, "error", "invalid_target", None, None),
    case("demo-strict-badscope", 1, "error", "invalid_scope", None, None),
    case("demo-unreachable", 3, "error", "network_error", None, None),
    case("demo-es256", 0, "allowed", "ok", Some(200), Some("ES256")),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_every_demo_profile_exit_code_json_and_human() {
    let demo = std::sync::Arc::new(Demo::start().await);
    let mut tasks = tokio::task::JoinSet::new();
    for (i, case) in CASES.iter().enumerate() {
        let demo = std::sync::Arc::clone(&demo);
        tasks.spawn(async move {
            let mut args = vec!["call", case.profile];
            args.extend(case.endpoint);
            let human = demo.run(&args).await;
            args.push("--json");
            let json = demo.run(&args).await;
            (i, human, json)
        });
    }
    let mut results = Vec::new();
    while let Some(result) = tasks.join_next().await {
        results.push(result.expect("task"));
    }
    results.sort_by_key(|(i, _, _)| *i);
    for (i, human, json) in results {
        let case = &CASES[i];
        let label = format!("{} {:?}", case.profile, case.endpoint);
        human.code(case.exit);
        json.code(case.exit);
        let report = json.json();
        assert_call_shape(&report);
        assert_eq!(report["profile"], case.profile, "{label}");
        assert_eq!(report["verdict"], case.verdict, "{label}: {report:#}");
        assert_eq!(codes(&report).first().map(String::as_str), Some(case.primary), "{label}: {:?}", codes(&report));
        assert_eq!(report["response"]["status"].as_u64(), case.status, "{label}");
        assert_eq!(report["token"]["alg"].as_str(), case.alg, "{label}");
        if let Some(name) = case.endpoint {
            assert_eq!(report["endpoint"]["name"], name, "{label}");
        }
        if case.alg.is_some() {
            assert_eq!(report["token"]["source"], "fetched", "{label}");
            assert!(report["token"]["expires_at"].is_i64(), "{label}");
            assert!(report["verification"]["checks"].is_array(), "{label}");
        }
        if case.status == Some(403) {
            let challenges = report["response"]["www_authenticate"].as_array().expect("challenges");
            assert!(!challenges.is_empty(), "{label}: a 403 carries WWW-Authenticate");
        }
        // Human output: the profile, the verdict word, the primary code.
        let verdict_word = match case.verdict {
            "allowed" => "ALLOWED",
            "denied" => "DENIED",
            _ => "ERROR",
        };
        // An all-clear shows its tag alone ("ok allowed: …", not "ok [ok] allowed").
        let primary = if case.primary == "ok" { "\n  ok ".to_owned() } else { format!("[{}]", case.primary) };
        human.stdout_has(case.profile).stdout_has(verdict_word).stdout_has(&primary);
    }
    // Spot checks on individual profiles.
    let reader = run_raw(Some(&demo.dir()), &["call", "demo-reader", "--json"], None).await.json();
    assert_eq!(reader["token"]["kid"], "demo-rsa-1");
    assert_eq!(reader["token"]["scopes"], json!(["order:read"]));
    assert_eq!(reader["verification"]["valid"], true);
    assert!(reader["response"]["body"].as_str().unwrap_or("").contains("ord-1001"));
    let es = run_raw(Some(&demo.dir()), &["call", "demo-es256", "--json"], None).await.json();
    assert_eq!(es["token"]["kid"], "demo-ec-1");
}

// ---------------------------------------------------------------------------------------------
// call with a given token, without a token, at an ad-hoc URL

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_with_given_token_no_token_and_ad_hoc_url() {
    let demo = Demo::start().await;
    let base = demo.server.base_url();

    // --no-token: the 401 baseline.
    let run = demo.run(&["call", "demo-reader", "--no-token", "--json"]).await;
    run.code(1);
    let report = run.json();
    assert_call_shape(&report);
    assert_eq!(report["token"]["source"], "none");
    assert_eq!(report["response"]["status"], 401);
    assert_eq!(report["verdict"], "denied");
    assert_eq!(codes(&report)[0], "token_missing");
    demo.run(&["call", "demo-reader", "--no-token"]).await.code(1).stdout_has("[token_missing]").stdout_has("DENIED");

    // --token garbage: not a JWT; the API says 401.
    let run = demo.run(&["call", "demo-reader", "--token", "not-a-token", "--json"]).await;
    run.code(1);
    let report = run.json();
    assert_call_shape(&report);
    assert_eq!(report["token"]["source"], "given");
    assert_eq!(report["response"]["status"], 401);
    assert_eq!(codes(&report)[0], "malformed_token");
    demo.run(&["call", "demo-reader", "--token", "a.b.c"]).await.code(1);

    // --token with a good token, from the argument and from stdin.
    let token = demo.token(DemoKey::Rsa1, "demo-rsa-1", json!({}));
    let run = demo.run(&["call", "demo-reader", "--token", &token, "--json"]).await;
    run.code(0);
    let report = run.json();
    assert_eq!(report["token"]["source"], "given");
    assert_eq!(report["verdict"], "allowed");
    let piped = format!("Bearer {token}\n");
    let run = demo.run_stdin(&["call", "demo-reader", "--token", "-", "--json"], &piped).await;
    run.code(0);
    assert_eq!(run.json()["verdict"], "allowed");

    // --token with a token signed by a key the JWKS does not publish.
    let stranger = demo.token(DemoKey::RsaStranger, "demo-rsa-1", json!({}));
    let run = demo.run(&["call", "demo-reader", "--token", &stranger, "--json"]).await;
    run.code(1);
    let report = run.json();
    assert_eq!(report["verification"]["valid"], false);
    assert_eq!(report["response"]["status"], 401);

    // --token and --no-token conflict.
    demo.run(&["call", "demo-reader", "--token", "x", "--no-token"]).await.code(2);

    // An ad-hoc URL with --require.
    let url = format!("{base}/api/protected");
    let run = demo.run(&["call", "demo-reader", &url, "--require", "order:read", "--json"]).await;
    run.code(0);
    let report = run.json();
    assert_call_shape(&report);
    assert_eq!(report["endpoint"]["url"], url.as_str());
    assert_eq!(report["endpoint"]["method"], "GET");
    assert_eq!(report["endpoint"]["required_scopes"], json!(["order:read"]));
    assert_eq!(report["verdict"], "allowed");
    demo.run(&["call", "demo-reader", &url, "--require", "order:read"])
        .await
        .code(0)
        .stdout_has("ALLOWED")
        .stdout_has(&url);

    // An ad-hoc POST the token lacks the scope for: 403, scope_missing.
    let orders = format!("{base}/api/orders");
    let run =
        demo.run(&["call", "demo-reader", &orders, "--method", "post", "--require", "order:write", "--json"]).await;
    run.code(1);
    let report = run.json();
    assert_eq!(report["endpoint"]["method"], "POST");
    assert_eq!(report["response"]["status"], 403);
    assert_eq!(codes(&report)[0], "scope_missing");
}

// ---------------------------------------------------------------------------------------------
// usage errors (2) and network errors (3)

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_2_with_json_error_on_stdout() {
    let demo = Demo::start().await;

    // Unknown flag: clap's message on stderr; with --json also the JSON error on stdout.
    let run = demo.run(&["call", "demo-reader", "--bogus"]).await;
    run.code(2).stderr_has("--bogus");
    let run = demo.run(&["call", "demo-reader", "--bogus", "--json"]).await;
    run.code(2);
    assert!(run.json_error("usage")["message"].as_str().unwrap_or("").contains("--bogus"));
    demo.run(&["--json", "frobnicate"]).await.code(2).json_error("usage");

    // Unknown profile.
    let run = demo.run(&["call", "demo-nope"]).await;
    run.code(2).stderr_has("demo-nope");
    assert!(run.stdout.is_empty(), "without --json, errors go to stderr only: {}", run.stdout);
    let run = demo.run(&["call", "demo-nope", "--json"]).await;
    run.code(2);
    assert!(run.json_error("profile")["message"].as_str().unwrap_or("").contains("demo-nope"));
    demo.run(&["token", "demo-nope", "--json"]).await.code(2).json_error("profile");
    demo.run(&["profiles", "show", "demo-nope", "--json"]).await.code(2).json_error("profile");
    demo.run(&["verify", SEED_TOKEN, "--profile", "demo-nope", "--json"]).await.code(2).json_error("profile");

    // Unknown endpoint.
    let run = demo.run(&["call", "demo-reader", "no such endpoint", "--json"]).await;
    run.code(2);
    let message = run.json_error("usage")["message"].as_str().unwrap_or("").to_owned();
    assert!(message.contains("no such endpoint") && message.contains("read orders"), "{message}");
    demo.run(&["call", "demo-reader", "ftp://example.com/x"]).await.code(2);

    // --require with a named endpoint.
    let run = demo.run(&["call", "demo-reader", "read orders", "--require", "order:read", "--json"]).await;
    run.code(2);
    assert!(run.json_error("usage")["message"].as_str().unwrap_or("").contains("--require"));

    // verify without a key source; a missing token argument.
    demo.run(&["verify", SEED_TOKEN, "--json"]).await.code(2).json_error("usage");
    demo.run(&["verify", "--json"]).await.code(2).json_error("usage");

    // No such profile directory.
    let missing = demo.dir().join("does-not-exist");
    let missing = missing.display().to_string();
    let run = run_raw(None, &["call", "demo-reader", "--profiles", &missing, "--json"], None).await;
    assert_no_leak(&run, false);
    run.code(2).json_error("profile");

    // No command: the TUI is a usage error for now (or at least not a crash).
    let run = run_raw(Some(&demo.dir()), &[], None).await;
    assert!(run.code == 2 || run.code == 0, "{run:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_profile_file_is_named_with_line_and_column() {
    let demo = Demo::start().await;
    let broken = demo.dir().join("broken.toml");
    std::fs::write(&broken, "name = \"broken\"\n\n[issuer]\nurl = \"http://unterminated\n")
        .expect("write broken profile");

    /// `broken.toml:LINE:COL` somewhere in `text`, as (line, col).
    fn location(text: &str) -> Option<(u32, u32)> {
        let rest = &text[text.find("broken.toml:")? + "broken.toml:".len()..];
        let mut numbers = rest.split(':').take(2).map(|n| n.parse::<u32>().ok());
        Some((numbers.next()??, numbers.next()??))
    }

    // Calling the broken profile: exit 2, the file, line and column.
    let run = demo.run(&["call", "broken"]).await;
    run.code(2);
    let (line, col) = location(&run.stderr).unwrap_or_else(|| panic!("no file:line:col in {}", run.stderr));
    assert_eq!(line, 4, "{}", run.stderr);
    assert!(col >= 1, "{}", run.stderr);
    let run = demo.run(&["call", "broken", "--json"]).await;
    run.code(2);
    let error = run.json_error("profile");
    assert!(location(error["message"].as_str().unwrap_or("")).is_some(), "{error}");

    // The others still load.
    demo.run(&["call", "demo-reader"]).await.code(0);

    // profiles check: exit 2, names the broken file, still lists the good ones.
    let run = demo.run(&["profiles", "check"]).await;
    run.code(2).stdout_has("demo-reader").stdout_has("demo-es256");
    assert!(location(&run.stdout).is_some(), "{}", run.stdout);
    let run = demo.run(&["profiles", "check", "--json"]).await;
    run.code(2);
    let value = run.json();
    assert_eq!(value["ok"], false);
    let profiles = value["profiles"].as_array().expect("profiles");
    assert_eq!(profiles.len(), crate::support::demo_profile_count() + 1);
    let bad = profiles.iter().find(|p| p["stem"] == "broken").expect("broken entry");
    assert_eq!(bad["ok"], false);
    assert!(location(bad["error"].as_str().unwrap_or("")).is_some(), "{bad}");
    assert!(profiles.iter().filter(|p| p["ok"] == true).count() == crate::support::demo_profile_count());
    // Checking one good profile alone passes.
    demo.run(&["profiles", "check", "demo-reader"]).await.code(0);
    demo.run(&["profiles", "check", "broken"]).await.code(2);

    // profiles list shows it as broken without failing.
    let run = demo.run(&["profiles", "list"]).await;
    run.code(0).stdout_has("broken").stdout_has("demo-reader");
    let run = demo.run(&["profiles", "list", "--json"]).await;
    run.code(0);
    assert_eq!(run.json()["profiles"].as_array().map(Vec::len), Some(crate::support::demo_profile_count() + 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn network_errors_exit_3() {
    let demo = Demo::start().await;
    let run = demo.run(&["call", "demo-unreachable"]).await;
    run.code(3).stdout_has("[network_error]");
    let run = demo.run(&["token", "demo-unreachable"]).await;
    run.code(3);
    let run = demo.run(&["token", "demo-unreachable", "--json"]).await;
    run.code(3);
    assert!(codes(&run.json()).iter().any(|c| c == "network_error" || c == "discovery_failed"), "{}", run.stdout);

    let token = demo.token(DemoKey::Rsa1, "demo-rsa-1", json!({}));
    let jwks = format!("http://127.0.0.1:{}/jwks", closed_port());
    let run = demo.run(&["verify", &token, "--jwks", &jwks]).await;
    run.code(3).stdout_has("INVALID");
    let run = demo.run(&["verify", &token, "--jwks", &jwks, "--json"]).await;
    run.code(3);
    let value = run.json();
    assert_eq!(value["valid"], false);
    assert_eq!(codes(&value)[0], "jwks_unreachable");
    let issuer = format!("http://127.0.0.1:{}/oidc", closed_port());
    demo.run(&["verify", &token, "--issuer", &issuer]).await.code(3);
}

// ---------------------------------------------------------------------------------------------
// verify, token, decode

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_json_and_exit_codes() {
    let demo = Demo::start().await;
    let token = demo.token(DemoKey::Rsa1, "demo-rsa-1", json!({}));
    let jwks = format!("{}/.well-known/jwks.json", demo.server.issuer());

    let run = demo.run(&["verify", &token, "--profile", "demo-reader", "--json"]).await;
    run.code(0);
    let value = run.json();
    for key in ["valid", "header", "claims", "checks", "findings"] {
        assert!(value.get(key).is_some(), "verify --json lacks {key}: {value:#}");
    }
    assert_eq!(value["valid"], true);
    assert_eq!(value["header"]["kid"], "demo-rsa-1");
    assert_eq!(value["claims"]["iss"], demo.server.issuer().as_str());
    let checks = value["checks"].as_array().expect("checks");
    let names: Vec<&str> = checks.iter().filter_map(|c| c["name"].as_str()).collect();
    for name in ["alg", "signature", "exp", "iss", "aud"] {
        assert!(names.contains(&name), "{names:?}");
    }
    for check in checks {
        for key in ["name", "status", "expected", "actual", "detail"] {
            assert!(check.get(key).is_some(), "{check}");
        }
    }
    assert_eq!(codes(&value)[0], "ok");
    demo.run(&["verify", &token, "--profile", "demo-reader"]).await.code(0).stdout_has("VALID");

    // --jwks / --issuer with --iss/--aud, and the token from stdin.
    demo.run(&["verify", &token, "--jwks", &jwks, "--aud", APP_ID]).await.code(0);
    demo.run(&["verify", &token, "--issuer", &demo.server.issuer(), "--aud", APP_ID, "--json"]).await.code(0);
    let piped = format!("Bearer {token}\n");
    let run = demo.run_stdin(&["verify", "-", "--profile", "demo-reader", "--json"], &piped).await;
    run.code(0);
    assert_eq!(run.json()["valid"], true);

    // Wrong audience, expired, a signature by a key nobody publishes, an alg outside --alg.
    let run = demo.run(&["verify", &token, "--jwks", &jwks, "--aud", "someone-else", "--json"]).await;
    run.code(1);
    assert_eq!(codes(&run.json())[0], "audience_mismatch");
    let old = demo.token(DemoKey::Rsa1, "demo-rsa-1", json!({ "iat": now() - 7200, "exp": now() - 3600 }));
    let run = demo.run(&["verify", &old, "--profile", "demo-reader", "--json"]).await;
    run.code(1);
    assert_eq!(codes(&run.json())[0], "expired");
    let stranger = demo.token(DemoKey::RsaStranger, "demo-rsa-1", json!({}));
    let run = demo.run(&["verify", &stranger, "--profile", "demo-reader", "--json"]).await;
    run.code(1);
    let value = run.json();
    assert_eq!(value["valid"], false);
    assert_eq!(codes(&value)[0], "signature_invalid");
    demo.run(&["verify", &stranger, "--profile", "demo-reader"]).await.code(1).stdout_has("INVALID");
    let run = demo.run(&["verify", &token, "--jwks", &jwks, "--alg", "ES256", "--json"]).await;
    run.code(1);
    assert_eq!(codes(&run.json())[0], "alg_not_allowed");

    // Garbage: exit 1, malformed.
    let run = demo.run(&["verify", "garbage", "--jwks", &jwks, "--json"]).await;
    run.code(1);
    let value = run.json();
    assert_eq!(value["valid"], false);
    assert_eq!(codes(&value)[0], "malformed_token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_command_json_reveal_and_errors() {
    let demo = Demo::start().await;

    let run = demo.run(&["token", "demo-reader"]).await;
    run.code(0).stdout_has("[redacted]").stdout_has("RS256").stdout_has("order:read");

    let run = demo.run(&["token", "demo-reader", "--json"]).await;
    run.code(0);
    let value = run.json();
    assert_eq!(value["profile"], "demo-reader");
    assert_eq!(value["token"]["source"], "fetched");
    assert_eq!(value["token"]["alg"], "RS256");
    assert_eq!(value["token"]["kid"], "demo-rsa-1");
    assert_eq!(value["token"]["scopes"], json!(["order:read"]));
    assert!(value["token"]["expires_at"].is_i64());
    assert_eq!(value["token_request"]["status"], 200);
    assert!(value.get("access_token").is_none(), "no raw token without --reveal");
    assert!(value["findings"].is_array());

    // --reveal prints the token: it verifies against the demo's JWKS.
    let run = run_raw(Some(&demo.dir()), &["token", "demo-reader", "--reveal"], None).await;
    assert_no_leak(&run, true);
    run.code(0);
    let signatures = signatures_in(&run.stdout);
    assert_eq!(signatures.len(), 1, "{}", run.stdout);
    let revealed = run
        .stdout
        .lines()
        .find(|l| l.trim().starts_with("eyJ") && l.contains(&signatures[0]))
        .expect("token line")
        .trim();
    demo.run(&["verify", revealed, "--profile", "demo-reader"]).await.code(0);
    let run = run_raw(Some(&demo.dir()), &["token", "demo-reader", "--reveal", "--json"], None).await;
    assert_no_leak(&run, true);
    run.code(0);
    let access_token = run.json()["access_token"].as_str().expect("access_token").to_owned();
    assert_eq!(signatures_in(&access_token).len(), 1);
    demo.run(&["call", "demo-reader", "--token", &access_token]).await.code(0);

    // OAuth errors from the token endpoint: exit 1 with the code.
    for (profile, code) in [
        ("demo-nogrant", "unauthorized_client"),
        ("demo-wrong-secret", "invalid_client"),
        ("demo-basic-as-post", "invalid_client"),
        ("demo-strict-badscope", "invalid_scope"),
        ("demo-bad-audience", "invalid_target"),
        ("demo-no-oidc", "discovery_failed"),
    ] {
        let run = demo.run(&["token", profile, "--json"]).await;
        run.code(1);
        assert_eq!(codes(&run.json()).first().map(String::as_str), Some(code), "{profile}: {}", run.stdout);
        demo.run(&["token", profile]).await.code(1).stdout_has(&format!("[{code}]"));
    }
    // The basic profile sends an Authorization header, shown redacted.
    demo.run(&["token", "demo-basic"]).await.code(0).stdout_has("Authorization");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decode_seed_token_from_argument_and_stdin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let decode = |args: Vec<&'static str>, stdin: Option<String>| {
        let dir = dir.path().to_path_buf();
        async move {
            let run = run_raw(Some(&dir), &args, stdin.as_deref()).await;
            assert_no_leak(&run, false);
            run
        }
    };
    let human = |run: &Run| {
        run.code(0)
            .stdout_has("https://oidc1.authing.cn/oidc")
            .stdout_has("6050751aed0f29bf7723c7a8")
            .stdout_has("TfLOt3Lbn8_a8pRMuessamqj-o3DBCs1-owHLQ-VMqQ")
            .stdout_has("2021-04-27 14:40:34 UTC")
            .stdout_has("openid");
        let exp_line = run.stdout.lines().find(|l| l.contains("2021-04-27 14:40:34 UTC")).unwrap_or("");
        assert!(exp_line.contains("expired") && exp_line.contains("years ago"), "{exp_line}");
    };

    human(&decode(vec!["decode", SEED_TOKEN], None).await);
    human(&decode(vec!["decode", "-"], Some(format!("{SEED_TOKEN}\n"))).await);
    human(&decode(vec!["decode"], Some(format!("Bearer {SEED_TOKEN}\n"))).await);
    human(&decode(vec!["decode", "-"], Some(format!("  Bearer {SEED_TOKEN}\r\n\n"))).await);
    let pasted: &'static str = Box::leak(format!("Bearer {SEED_TOKEN}\n").into_boxed_str());
    human(&decode(vec!["decode", pasted], None).await);

    let run = decode(vec!["decode", "--json", "-"], Some(format!("Bearer {SEED_TOKEN}\n"))).await;
    run.code(0);
    let value = run.json();
    assert_eq!(value["header"]["alg"], "RS256");
    assert_eq!(value["header"]["kid"], "TfLOt3Lbn8_a8pRMuessamqj-o3DBCs1-owHLQ-VMqQ");
    assert_eq!(value["claims"]["iss"], "https://oidc1.authing.cn/oidc");
    assert_eq!(value["claims"]["exp"], 1619534434);
    assert_eq!(value["expired"], true);
    assert_eq!(value["times"]["exp"]["ts"], 1619534434);
    assert_eq!(value["signature_checked"], false);
    let run = decode(vec!["--json", "decode", SEED_TOKEN], None).await;
    run.code(0);
    assert_eq!(run.json()["claims"]["azp"], "5f17a529f64fb009b794a2ff");

    // Not a token: exit 1; nothing on stdin: exit 2.
    let run = decode(vec!["decode", "garbage", "--json"], None).await;
    run.code(1);
    run.json_error("malformed_token");
    decode(vec!["decode", "garbage"], None).await.code(1).stderr_has("not a JWT");
    decode(vec!["decode", "-"], Some(String::new())).await.code(2);
    decode(vec!["decode", "--json"], Some("  \n".to_owned())).await.code(2).json_error("usage");
}

// ---------------------------------------------------------------------------------------------
// global flags, profiles, completions, help

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn global_flags_before_and_after_the_subcommand() {
    let demo = Demo::start().await;
    let dir = demo.dir().display().to_string();
    let dir = dir.as_str();
    for args in [
        vec!["--json", "--profiles", dir, "call", "demo-reader"],
        vec!["--profiles", dir, "call", "demo-reader", "--json"],
        vec!["call", "--json", "demo-reader", "--profiles", dir],
        vec!["call", "demo-reader", "read orders", "--profiles", dir, "--json", "--no-color"],
    ] {
        let run = run_raw(None, &args, None).await;
        assert_no_leak(&run, false);
        run.code(0);
        let report = run.json();
        assert_call_shape(&report);
        assert_eq!(report["verdict"], "allowed");
    }
    for args in
        [vec!["--json", "profiles", "list"], vec!["profiles", "--json", "list"], vec!["profiles", "list", "--json"]]
    {
        let run = demo.run(&args).await;
        run.code(0);
        assert_eq!(
            run.json()["profiles"].as_array().map(Vec::len),
            Some(crate::support::demo_profile_count()),
            "{args:?}"
        );
    }
    // TOKDBG_PROFILES is honoured when --profiles is absent.
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_tokdbg"))
        .args(["profiles", "list", "--json"])
        .env("NO_COLOR", "1")
        .env("TOKDBG_PROFILES", dir)
        .stdin(Stdio::null())
        .output()
        .await
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    let value: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(value["profiles"].as_array().map(Vec::len), Some(crate::support::demo_profile_count()));
    // NO_COLOR: no escape codes anywhere.
    let run = demo.run(&["call", "demo-noscope"]).await;
    assert!(!run.stdout.contains('\u{1b}'), "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_list_show_check_never_print_secrets() {
    let demo = Demo::start().await;

    let run = demo.run(&["profiles", "list"]).await;
    run.code(0).stdout_has("demo-reader").stdout_has("demo-unreachable");
    let run = demo.run(&["profiles"]).await;
    run.code(0).stdout_has("demo-reader");
    let run = demo.run(&["profiles", "list", "--json"]).await;
    run.code(0);
    let value = run.json();
    let profiles = value["profiles"].as_array().expect("profiles");
    assert_eq!(profiles.len(), crate::support::demo_profile_count());
    for profile in profiles {
        for key in ["stem", "name", "path", "ok", "issuer", "client_id", "endpoints"] {
            assert!(profile.get(key).is_some(), "{key}: {profile}");
        }
        assert_eq!(profile["ok"], true);
    }

    for (stem, text) in demo_profiles(&demo.server.base_url()) {
        let run = demo.run(&["profiles", "show", stem]).await;
        run.code(0).stdout_has(stem);
        // The mTLS profiles hold no secret (their key is a file: source, shown as written).
        if text.contains("secret = ") {
            run.stdout_has("[redacted]");
        }
        let run = demo.run(&["profiles", "show", stem, "--json"]).await;
        run.code(0);
        let value = run.json();
        assert_eq!(value["stem"], stem);
        // A secret, a private key or a certificate written into the profile is shown redacted;
        // one read from elsewhere is shown as its source (a path, a variable, a command).
        let client = &value["profile"]["client"];
        for field in ["secret", "private_key", "certificate"] {
            if let Some(shown) = client[field].as_str() {
                let a_source = ["file:", "env:", "cmd:"].iter().any(|p| shown.starts_with(p)) || shown == "prompt";
                assert!(shown.contains("[redacted]") || a_source, "{stem}: {field} = {shown}");
            }
        }
        assert!(!run.stdout.contains("PRIVATE KEY"), "{stem}: {}", run.stdout);
        assert!(value["warnings"].is_array());
    }
    // A display name finds the profile too, case-insensitively or not.
    demo.run(&["profiles", "show", "reader (200 / 403 / misconfigured APIs)"]).await.code(0);

    let run = demo.run(&["profiles", "check"]).await;
    run.code(0).stdout_has(&format!("{} profile(s), 0 broken", crate::support::demo_profile_count()));
    let run = demo.run(&["profiles", "check", "--json"]).await;
    run.code(0);
    let value = run.json();
    assert_eq!(value["ok"], true);
    assert_eq!(value["profiles"].as_array().map(Vec::len), Some(crate::support::demo_profile_count()));

    // An empty directory lists nothing and succeeds.
    let empty = tempfile::tempdir().expect("tempdir");
    let run = run_raw(Some(empty.path()), &["profiles", "list", "--json"], None).await;
    run.code(0);
    assert_eq!(run.json()["profiles"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completions_and_help_of_every_subcommand() {
    for shell in ["bash", "zsh", "fish"] {
        let run = run_raw(None, &["completions", shell], None).await;
        run.code(0).stdout_has("tokdbg");
    }
    run_raw(None, &["completions", "tcsh-not-a-shell"], None).await.code(2);

    let commands: &[&[&str]] = &[
        &[],
        &["decode"],
        &["verify"],
        &["token"],
        &["call"],
        &["profiles"],
        &["profiles", "list"],
        &["profiles", "show"],
        &["profiles", "check"],
        &["completions"],
        &["demo"],
        &["demo", "serve"],
    ];
    let mut tasks = tokio::task::JoinSet::new();
    for command in commands {
        let mut args: Vec<&'static str> = command.to_vec();
        args.push("--help");
        tasks.spawn(async move { run_raw(None, &args, None).await });
    }
    while let Some(run) = tasks.join_next().await {
        let run = run.expect("task");
        assert_no_leak(&run, false);
        run.code(0).stdout_has("Usage: tokdbg");
    }
    run_raw(None, &["help", "call"], None).await.code(0).stdout_has("Usage: tokdbg call");
    run_raw(None, &["--version"], None).await.code(0).stdout_has("tokdbg ");
    run_raw(None, &["--help"], None).await.code(0).stdout_has("Exit codes");
}

#[test]
fn the_leak_checks_themselves_work() {
    assert_eq!(signatures_in(SEED_TOKEN).len(), 1);
    assert_eq!(signatures_in(&format!("token: Bearer {SEED_TOKEN}\n")).len(), 1);
    let redacted = format!("{}.[signature redacted]", &SEED_TOKEN[..SEED_TOKEN.rfind('.').unwrap_or(0)]);
    assert!(signatures_in(&redacted).is_empty());
    assert!(signatures_in("http://127.0.0.1:4455/oidc kid demo-rsa-1").is_empty());
    let leaky = |stdout: &str| Run { stdout: stdout.to_owned(), ..Run::default() };
    for text in ["client_secret=demo-reader-secret", SEED_TOKEN, "Basic ZGVtby1iYXNpYzpkZW1vLWJhc2ljLXNlY3JldA=="] {
        let run = leaky(text);
        assert!(std::panic::catch_unwind(|| assert_no_leak(&run, false)).is_err(), "{text}");
    }
    assert_no_leak(&leaky(SEED_TOKEN), true);
}
