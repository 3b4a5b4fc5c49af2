//! The CLI as a daily tool (issue 10): one process test per defect found by a new user's trial
//! and per daily-use feature (`token --raw`, `--timeout`, profile-name completion, demo
//! profiles without the checkout). Each runs the real binary against its own demo server.

use crate::support as common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;
use tokdbg::demo::{DemoServer, write_demo_profiles};
use tokio::io::AsyncBufReadExt as _;

/// What one run of the binary left behind.
#[derive(Debug)]
struct Run {
    args: Vec<String>,
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    #[track_caller]
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("{:?}: stdout is not one JSON document ({e}):\n{}", self.args, self.stdout))
    }

    #[track_caller]
    fn code(&self, expected: i32) -> &Self {
        assert_eq!(self.code, expected, "{:?}\n--- stdout\n{}\n--- stderr\n{}", self.args, self.stdout, self.stderr);
        self
    }

    #[track_caller]
    fn stdout_has(&self, needle: &str) -> &Self {
        assert!(self.stdout.contains(needle), "{:?}: stdout lacks {needle:?}:\n{}", self.args, self.stdout);
        self
    }

    #[track_caller]
    fn stdout_lacks(&self, needle: &str) -> &Self {
        assert!(!self.stdout.contains(needle), "{:?}: stdout has {needle:?}:\n{}", self.args, self.stdout);
        self
    }

    #[track_caller]
    fn stderr_has(&self, needle: &str) -> &Self {
        assert!(self.stderr.contains(needle), "{:?}: stderr lacks {needle:?}:\n{}", self.args, self.stderr);
        self
    }

    fn finding_codes(&self) -> Vec<String> {
        self.json()["findings"]
            .as_array()
            .map(|all| all.iter().filter_map(|f| f["code"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    }
}

async fn run(args: &[&str]) -> Run {
    let mut command = common::tokdbg_command();
    command.args(args).stdin(Stdio::null());
    let output = tokio::time::timeout(Duration::from_secs(30), command.output())
        .await
        .unwrap_or_else(|_| panic!("{args:?} took more than 30 s"))
        .expect("tokdbg runs");
    Run {
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A demo server and the demo profiles pointed at it.
struct Demo {
    server: DemoServer,
    dir: TempDir,
}

impl Demo {
    async fn start() -> Demo {
        let server = common::start_demo().await.expect("demo server");
        let dir = tempfile::tempdir().expect("tempdir");
        write_demo_profiles(dir.path(), &server.base_url()).expect("demo profiles");
        Demo { server, dir }
    }

    async fn run(&self, args: &[&str]) -> Run {
        let dir = self.dir.path().display().to_string();
        let mut all = vec!["--profiles", dir.as_str()];
        all.extend_from_slice(args);
        run(&all).await
    }

    fn jwks(&self) -> String {
        format!("{}/.well-known/jwks.json", self.server.issuer())
    }

    /// A fresh token of `profile` (through `--reveal --json`, older than `--raw`, so that a
    /// test fails for its own defect only).
    async fn token(&self, profile: &str) -> String {
        let run = self.run(&["token", profile, "--reveal", "--json"]).await;
        run.json()["access_token"].as_str().unwrap_or_else(|| panic!("no access_token: {}", run.stdout)).to_owned()
    }
}

// --- 3: token -----------------------------------------------------------------------------------

#[tokio::test]
async fn token_exits_1_when_verification_fails() {
    let demo = Demo::start().await;
    let skewed = demo.run(&["token", "demo-skewed"]).await;
    skewed.code(1).stdout_has("\nINVALID\n").stdout_has("[expired]").stdout_has("fix ");

    let hs256 = demo.run(&["token", "demo-hs256", "--json"]).await;
    hs256.code(1);
    let value = hs256.json();
    assert_eq!(value["valid"], false, "{value}");
    assert_eq!(value["verification"]["valid"], false, "{value}");
    assert!(hs256.finding_codes().contains(&"alg_not_allowed".to_owned()), "{value}");

    demo.run(&["token", "demo-reader"]).await.code(0).stdout_has("\nVALID\n");
    assert_eq!(demo.run(&["token", "demo-reader", "--json"]).await.code(0).json()["valid"], true);
}

// --- 10: verify ---------------------------------------------------------------------------------

#[tokio::test]
async fn verify_with_jwks_only_says_issuer_and_audience_were_not_checked() {
    let demo = Demo::start().await;
    let token = demo.token("demo-reader").await;
    let run = demo.run(&["verify", &token, "--jwks", &demo.jwks()]).await;
    run.code(0).stdout_has("not checked: nbf, iss, aud").stdout_lacks("issuer and audience");
    let json = demo.run(&["verify", &token, "--jwks", &demo.jwks(), "--json"]).await;
    let message = json.json()["findings"][0]["message"].as_str().unwrap_or_default().to_owned();
    assert!(message.contains("not checked") && message.contains("iss"), "{message}");
}

#[tokio::test]
async fn verify_hs256_without_a_secret_names_the_missing_secret() {
    let demo = Demo::start().await;
    let token = demo.token("demo-hs256").await;
    let run = demo.run(&["verify", &token, "--jwks", &demo.jwks(), "--alg", "HS256", "--json"]).await;
    run.code(1);
    let value = run.json();
    let finding = &value["findings"][0];
    assert_eq!(finding["code"], "signature_invalid", "{value}");
    assert!(finding["message"].as_str().is_some_and(|m| m.contains("not checked")), "{value}");
    assert!(finding["fix"].as_str().is_some_and(|f| f.contains("--hmac-secret")), "{value}");
}

// --- 12: call --method --------------------------------------------------------------------------

#[tokio::test]
async fn call_method_is_honoured_for_a_named_endpoint() {
    let demo = Demo::start().await;
    let run = demo.run(&["call", "demo-reader", "--method", "DELETE", "--json"]).await;
    let value = run.json();
    assert_eq!(value["endpoint"]["method"], "DELETE", "{value}");
    // The demo API has no DELETE on /api/protected: what was sent is what was answered.
    assert_eq!(value["response"]["status"], 405, "{value}");
    run.code(1);
    demo.run(&["call", "demo-reader", "--method", "GE T"]).await.code(2).stderr_has("not an HTTP method");
}

// --- 14: profiles check -------------------------------------------------------------------------

#[tokio::test]
async fn profiles_check_fails_on_a_missing_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope").display().to_string();
    run(&["--profiles", &missing, "profiles", "check"]).await.code(2).stderr_has("no profile directory");
    let json = run(&["--profiles", &missing, "profiles", "check", "--json"]).await;
    assert_eq!(json.code(2).json()["error"]["kind"], "profile");
}

// --- 21: profiles list --------------------------------------------------------------------------

#[tokio::test]
async fn profiles_list_has_a_header_and_columns_that_do_not_drift() {
    let demo = Demo::start().await;
    let long = "a profile name far longer than any column should ever grow, 令牌调试器 included";
    let text = format!("name = \"{long}\"\n[issuer]\nurl = \"http://127.0.0.1:9/oidc\"\n");
    std::fs::write(demo.dir.path().join("zz-long.toml"), text).expect("write profile");
    let run = demo.run(&["profiles", "list"]).await;
    run.code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("PROFILE") && lines[0].contains("NAME") && lines[0].contains("ISSUER"), "{lines:?}");
    let issuer_column = |line: &str| line.find("127.0.0.1").map(|byte| line[..byte].chars().count());
    let header_at = lines[0].find("ISSUER").map(|byte| lines[0][..byte].chars().count());
    for line in &lines[1..] {
        let at = issuer_column(line);
        // The wide characters of the long name count two cells each: compare display cells.
        if line.starts_with("zz-long") {
            assert!(line.contains('…'), "{line}");
            continue;
        }
        assert_eq!(at, header_at, "{line}\n{}", run.stdout);
    }
}

#[tokio::test]
async fn profiles_list_names_prints_one_name_per_line() {
    let demo = Demo::start().await;
    let run = demo.run(&["profiles", "list", "--names"]).await;
    run.code(0);
    let names: Vec<&str> = run.stdout.lines().collect();
    assert!(names.contains(&"demo-reader") && names.iter().all(|n| !n.contains(' ')), "{names:?}");
}

// --- 22: demo --json, help ----------------------------------------------------------------------

#[tokio::test]
async fn demo_json_prints_one_object() {
    let run = run(&["demo", "--json"]).await;
    let value = run.code(0).json();
    assert!(value.is_object(), "{value}");
    assert!(value["calls"].as_array().is_some_and(|calls| calls.len() >= 16), "{value}");
}

#[tokio::test]
async fn demo_serve_json_prints_json_and_writes_profiles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let profiles = dir.path().join("demo-profiles");
    let profiles_arg = profiles.display().to_string();
    let mut command = common::tokdbg_command();
    command.args(["demo", "serve", "--addr", "127.0.0.1:0", "--json", "--write-profiles", &profiles_arg]);
    let mut child = command.stdin(Stdio::null()).spawn().expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    // One JSON document (pretty-printed: it ends with a "}" line), then the server runs on.
    let mut first = String::new();
    while !first.ends_with("\n}\n") {
        let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .expect("demo serve prints within 20 s")
            .expect("read")
            .expect("a line");
        first.push_str(&line);
        first.push('\n');
    }
    let value: Value = serde_json::from_str(&first).unwrap_or_else(|e| panic!("not JSON ({e}): {first}"));
    assert!(value["issuer"].as_str().is_some_and(|i| i.ends_with("/oidc")), "{value}");
    assert!(value["pid"].as_u64().is_some(), "{value}");
    assert_eq!(value["profiles_dir"], profiles_arg.as_str(), "{value}");
    let reader = profiles.join("demo-reader.toml");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&reader).expect("written").permissions().mode() & 0o777;
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
    // The written profiles point at this server: a call through them is allowed.
    run(&["--profiles", &profiles_arg, "call", "demo-reader"]).await.code(0);
    let _ = child.kill().await;

    let again = run(&["demo", "serve", "--addr", "127.0.0.1:0", "--write-profiles", &profiles_arg]).await;
    again.code(2).stderr_has("would overwrite");
}

#[tokio::test]
async fn help_keeps_global_flags_apart_and_explains_every_argument() {
    let verify = run(&["verify", "--help"]).await;
    let (own, global) = verify.stdout.split_once("Global options:").expect("a Global options heading");
    assert!(!own.contains("--json") && global.contains("--json") && global.contains("--timeout"), "{}", verify.stdout);
    let serve = run(&["demo", "serve", "--help"]).await;
    assert!(serve.stdout.lines().any(|l| l.contains("--addr") && l.contains("Address")), "{}", serve.stdout);
    let show = run(&["profiles", "show", "--help"]).await;
    assert!(show.stdout.lines().any(|l| l.contains("<PROFILE>") && l.contains("Profile name")), "{}", show.stdout);
}

// --- 23: URLs and names -------------------------------------------------------------------------

#[tokio::test]
async fn a_url_without_scheme_gets_the_add_http_hint_and_names_get_did_you_mean() {
    let demo = Demo::start().await;
    run(&["verify", "x.y.z", "--issuer", "localhost:4455/oidc"]).await.code(2).stderr_has("add http:// or https://");
    let host_port = format!("{}/api/protected", demo.server.base_url().trim_start_matches("http://"));
    demo.run(&["call", "demo-reader", &host_port])
        .await
        .code(2)
        .stderr_has(&format!("did you mean http://{host_port}?"));
    demo.run(&["call", "demo-rader"]).await.code(2).stderr_has("did you mean demo-reader?");
    demo.run(&["call", "demo-reader", "read order"]).await.code(2).stderr_has("did you mean read orders?");
}

// --- 24 and new: token output for people and scripts --------------------------------------------

#[tokio::test]
async fn token_raw_prints_only_the_token_and_reveal_prints_it_first() {
    let demo = Demo::start().await;
    let raw = demo.run(&["token", "demo-reader", "--raw"]).await;
    raw.code(0);
    let lines: Vec<&str> = raw.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", raw.stdout);
    assert!(raw.stdout.ends_with('\n') && lines[0].split('.').count() == 3, "{}", raw.stdout);
    let revealed = demo.run(&["token", "demo-reader", "--reveal"]).await;
    assert!(revealed.code(0).stdout.starts_with("eyJ"), "{}", revealed.stdout);
    // No token: nothing on stdout, the reason on stderr.
    let none = demo.run(&["token", "demo-wrong-secret", "--raw"]).await;
    assert!(none.code(1).stdout.is_empty(), "{}", none.stdout);
    assert!(!none.stderr.is_empty());
}

#[tokio::test]
async fn timeout_bounds_every_request_and_is_validated() {
    // A server that accepts and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let jwks = format!("http://{addr}/jwks.json");
    let token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXBhcnQ";
    let started = Instant::now();
    let run_ = run(&["verify", token, "--jwks", &jwks, "--timeout", "1", "--json"]).await;
    // A guard against a hang only (the default timeout is 15 s, three requests 45 s): the
    // finding below is what shows the 1 s was applied.
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
    // The JWKS request gave up after the second asked for, and the finding says so.
    assert_ne!(run_.code, 0, "{run_:?}");
    assert!(run_.stdout.contains("did not answer within 1 s"), "{}", run_.stdout);
    run(&["--timeout", "0", "decode", token]).await.code(2);
    run(&["--timeout", "601", "decode", token]).await.code(2);
}

// --- new: completion of profile names ------------------------------------------------------------

#[tokio::test]
async fn bash_completion_offers_profile_names() {
    let demo = Demo::start().await;
    let script_dir = tempfile::tempdir().expect("tempdir");
    let script = script_dir.path().join("tokdbg.bash");
    let completions = run(&["completions", "bash"]).await;
    std::fs::write(&script, &completions.code(0).stdout).expect("write script");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_tokdbg")).parent().expect("bin dir").display().to_string();
    let dir = demo.dir.path().display().to_string();
    let shell = format!(
        "source '{}'; COMP_WORDS=(tokdbg --profiles '{dir}' call demo-re); COMP_CWORD=4; \
         _tokdbg_with_profiles tokdbg demo-re call; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let output = tokio::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &shell])
        .env("PATH", format!("{bin_dir}:{}", std::env::var("PATH").unwrap_or_default()))
        .env_remove("TOKDBG_PROFILES")
        .output()
        .await
        .expect("bash runs");
    let offered = String::from_utf8_lossy(&output.stdout);
    assert_eq!(offered.trim(), "demo-reader", "{offered}\n{}", String::from_utf8_lossy(&output.stderr));
}

// --- 20: text glitches in human output -----------------------------------------------------------

#[tokio::test]
async fn human_output_says_things_once_and_aligns_fix() {
    let demo = Demo::start().await;
    demo.run(&["call", "demo-reader"]).await.code(0).stdout_lacks("ok [ok]").stdout_has("  ok allowed");

    let denied = demo.run(&["call", "demo-reader", "write orders"]).await;
    let fix = denied.stdout.lines().find(|l| l.trim_start().starts_with("fix")).expect("a fix line").to_owned();
    let expected = denied.stdout.lines().find(|l| l.trim_start().starts_with("expected")).expect("an expected line");
    let value_at = |line: &str, label: &str| {
        line.find(label)
            .map(|at| at + label.len() + line[at + label.len()..].len() - line[at + label.len()..].trim_start().len())
    };
    assert_eq!(value_at(&fix, "fix"), value_at(expected, "expected"), "{}", denied.stdout);

    let no_oidc = demo.run(&["token", "demo-no-oidc"]).await;
    let discovery = no_oidc.stdout.lines().find(|l| l.starts_with("discovery")).expect("a discovery line");
    assert_eq!(discovery.matches("/.well-known/openid-configuration").count(), 1, "{discovery}");

    // A token whose signature was altered: "does not verify" said once.
    let token = demo.token("demo-reader").await;
    let (signed, signature) = token.rsplit_once('.').expect("a JWS");
    let altered = format!("{signed}.{}", signature.chars().rev().collect::<String>());
    let run_ = demo.run(&["verify", &altered, "--jwks", &demo.jwks(), "--json"]).await;
    let messages: Vec<String> =
        run_.json()["findings"].as_array().into_iter().flatten().map(|f| f["message"].to_string()).collect();
    assert!(messages.iter().all(|m| !m.contains("does not verify: does not verify")), "{messages:?}");
}

#[tokio::test]
async fn a_trailing_slash_issuer_is_an_issuer_mismatch() {
    let demo = Demo::start().await;
    let token = demo.token("demo-reader").await;
    let issuer = format!("{}/", demo.server.issuer());
    // --iss as the token says: only discovery's view of the issuer differs.
    let run_ = demo.run(&["verify", &token, "--issuer", &issuer, "--iss", &demo.server.issuer(), "--json"]).await;
    let codes = run_.finding_codes();
    assert!(codes.contains(&"issuer_mismatch".to_owned()), "{codes:?}");
    assert!(!codes.contains(&"discovery_failed".to_owned()), "{codes:?}\n{}", run_.stdout);
}

// --- 24: decode waiting on a terminal --------------------------------------------------------------

#[tokio::test]
async fn decode_on_a_terminal_says_what_it_waits_for() {
    use tokio::io::AsyncReadExt as _;
    // util-linux `script` gives the binary a terminal on stdin; without it there is nothing to test.
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` (util-linux) to provide a terminal");
        return;
    }
    let command_line = format!("{} decode", env!("CARGO_BIN_EXE_tokdbg"));
    let mut child = tokio::process::Command::new("script")
        .args(["-qefc", &command_line, "/dev/null"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("script runs");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut seen = Vec::new();
    let found = tokio::time::timeout(Duration::from_secs(10), async {
        let mut buffer = [0u8; 512];
        while let Ok(n) = stdout.read(&mut buffer).await {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buffer[..n]);
            if String::from_utf8_lossy(&seen).contains("press Ctrl-D") {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    let _ = child.kill().await;
    assert!(found, "no hint on the terminal: {:?}", String::from_utf8_lossy(&seen));
}

// --- a picture of the call: call --trace ---------------------------------------------------------

#[tokio::test]
async fn call_trace_draws_one_line_per_hop_and_marks_the_failing_one() {
    let demo = Demo::start().await;
    let allowed = demo.run(&["call", "demo-reader", "read orders", "--trace", "--no-color"]).await;
    allowed.code(0).stdout_has("\nALLOWED\ntrace\n");
    let hops: Vec<&str> = allowed.stdout.lines().skip_while(|l| *l != "trace").skip(1).take(4).collect();
    let words: Vec<Vec<&str>> = hops.iter().map(|l| l.split_whitespace().take(2).collect()).collect();
    assert_eq!(words, [["discovery", "GET"], ["token", "POST"], ["jwks", "GET"], ["api", "GET"]], "{}", allowed.stdout);
    assert!(hops[0].contains("/oidc/.well-known/openid-configuration") && hops[0].contains(" 200 "), "{}", hops[0]);
    assert!(hops.iter().all(|l| l.contains(" ms ") && l.contains('█') && !l.contains('✗')), "{}", allowed.stdout);
    assert!(!allowed.stdout.contains('\u{1b}'), "--no-color: {}", allowed.stdout);

    let denied = demo.run(&["call", "demo-wrong-secret", "--trace"]).await;
    denied.code(1);
    let failing: Vec<&str> = denied.stdout.lines().filter(|l| l.contains('✗')).collect();
    assert_eq!(failing.len(), 1, "{}", denied.stdout);
    assert!(
        failing[0].trim_start().starts_with("✗ token") && failing[0].contains("401 invalid_client"),
        "{}",
        failing[0]
    );

    // Without --trace the output is as before.
    demo.run(&["call", "demo-reader", "read orders"]).await.code(0).stdout_lacks("\ntrace\n");
}

#[tokio::test]
async fn call_json_has_the_trace_and_token_json_too() {
    let demo = Demo::start().await;
    let run = demo.run(&["call", "demo-reader", "write orders", "--json"]).await;
    run.code(1);
    let value = run.json();
    let trace = value["trace"].as_array().cloned().unwrap_or_default();
    let kinds: Vec<&str> = trace.iter().filter_map(|h| h["hop"].as_str()).collect();
    assert_eq!(kinds, ["discovery", "token", "jwks", "api"], "{value}");
    let api = &trace[3];
    assert_eq!(
        (api["status"].as_u64(), api["failed"].as_bool(), api["cached"].as_bool()),
        (Some(403), Some(true), Some(false))
    );
    for field in ["method", "url", "error", "latency_ms", "offset_ms", "to"] {
        assert!(api.get(field).is_some(), "no {field} in {api}");
    }
    let token = demo.run(&["token", "demo-reader", "--json"]).await;
    let kinds: Vec<String> = token.json()["trace"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["hop"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(kinds, ["discovery", "token", "jwks"], "{}", token.stdout);
}

// --- issue 11: the stack the answer reveals ------------------------------------------------------

#[tokio::test]
async fn call_names_the_stack_that_answered_and_fixes_in_its_words() {
    let demo = Demo::start().await;
    let human = demo.run(&["call", "demo-reader", "fastapi wrong audience"]).await;
    human.code(1).stdout_has(" · FastAPI with PyJWT").stdout_has("audience=");
    let json = demo.run(&["call", "demo-reader", "fastapi wrong audience", "--json"]).await;
    let value = json.code(1).json();
    assert_eq!(value["server"]["dialect"], "fastapi", "{value}");
    assert_eq!(value["findings"][0]["code"], "audience_mismatch", "{value}");
    assert!(!value["findings"][0]["fix"].as_str().unwrap_or_default().contains("express"), "{value}");

    let express = demo.run(&["call", "demo-reader", "misconfigured audience", "--json"]).await;
    let value = express.code(1).json();
    assert_eq!(value["server"]["dialect"], "express_jwt", "{value}");
    assert!(value["findings"][0]["fix"].as_str().unwrap_or_default().contains("express-jwt's `audience`"), "{value}");
}
