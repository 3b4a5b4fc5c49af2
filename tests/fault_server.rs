//! Faults of the network and of servers, injected by `tests/support/faults.rs` on 127.0.0.1:
//! refused, reset mid-response, closed without an answer, accept-and-hang, slow drips, bodies
//! over the 1 MiB cap, content types that lie, gzip bombs, redirects (same origin, another
//! origin, loops) and 5xx HTML pages. Each is met through `tokdbg::core::net::http::Http` with a
//! short `HttpConfig`, through `Engine::call` / `Engine::inspect` with the fault server as the
//! API, token endpoint, JWKS or issuer, and (for the exit codes) through the binary. Each
//! asserts a specific error naming the URL and what happened, within the configured timeouts
//! (an upper bound with slack, not a benchmark), and the finding, verdict or exit code.
//!
//! `cargo test --test main fault_server:: -- --nocapture` prints one line per fault survived.

use std::path::Path;
use std::time::{Duration, Instant};

use jsonwebtoken::Algorithm;
use serde_json::json;
use tokdbg::core::diagnose::Verdict;
use tokdbg::core::engine::{CallReport, CallSpec, Engine, TokenChoice, TokenSource};
use tokdbg::core::findings::Code;
use tokdbg::core::model::profile::Profile;
use tokdbg::core::model::secret::Secret;
use tokdbg::core::net::http::{Http, HttpConfig, HttpError, HttpResponse};
use tokdbg::core::probe::ProbeRequest;
use tokdbg::core::store::profile_store::parse_profile;
use tokdbg::demo::{DemoKey, sign_token};

use crate::support::faults::{Fault, FaultServer, Reply, gzip_bomb};
use crate::support::{self, Invocation, Run};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CONNECT: Duration = Duration::from_secs(1);
const TOTAL: Duration = Duration::from_secs(2);
/// Generous slack on top of a timeout: an upper bound, not a benchmark.
const SLACK: Duration = Duration::from_secs(10);
const CAP: usize = 1024 * 1024;

fn config() -> HttpConfig {
    HttpConfig { connect_timeout: CONNECT, timeout: TOTAL, ..HttpConfig::default() }
}

fn http() -> Http {
    Http::new(config())
}

fn engine() -> Engine {
    Engine::new(config())
}

/// One line per fault survived, for `--nocapture` (the figures of tests/README.md).
fn survived(fault: &str, outcome: impl std::fmt::Display, elapsed: Duration) {
    println!("fault_server: survived {fault:<40} {:>6} ms  {outcome}", elapsed.as_millis());
}

#[track_caller]
fn within(elapsed: Duration, bound: Duration, what: &str) {
    assert!(elapsed <= bound, "{what} took {elapsed:?}, over the {bound:?} bound");
}

/// Sends a GET through the shared client and times it.
async fn get(url: &str) -> (Result<HttpResponse, HttpError>, Duration) {
    let started = Instant::now();
    let result = http().get(url).await;
    (result, started.elapsed())
}

/// A token the API will be sent (no JWKS in these profiles, so it is not verified).
fn token() -> String {
    let now = support::now();
    let claims =
        json!({ "iss": "https://issuer.example/oidc", "sub": "svc", "aud": "api", "iat": now, "exp": now + 600 });
    sign_token(&claims, Algorithm::RS256, DemoKey::Rsa1, Some(DemoKey::Rsa1.kid()))
}

fn profile(text: &str) -> Profile {
    parse_profile(text, "fault.toml").unwrap_or_else(|e| panic!("test profile: {e}\n{text}"))
}

/// A profile whose only endpoint is `url`.
fn api_profile(url: &str) -> String {
    format!("[[endpoints]]\nname = \"api\"\nurl = \"{url}\"\n")
}

/// A profile fetching its token at `token_endpoint` (client_secret_basic or _post).
fn token_profile(token_endpoint: &str, auth_method: &str, api: &str) -> String {
    format!(
        "[issuer]\ntoken_endpoint = \"{token_endpoint}\"\njwks_uri = \"{api}/jwks\"\n\n[client]\nid = \"svc\"\nsecret = \"fault-secret\"\nauth_method = \"{auth_method}\"\n\n[[endpoints]]\nname = \"api\"\nurl = \"{api}/api\"\n"
    )
}

async fn call_given(url: &str) -> (CallReport, Duration) {
    let profile = profile(&api_profile(url));
    let spec = CallSpec {
        profile_key: "fault".into(),
        endpoint: profile.endpoints[0].clone(),
        profile,
        token: TokenChoice::Given(Secret::new(token())),
    };
    let started = Instant::now();
    let report = engine().call(spec, None).await;
    (report, started.elapsed())
}

async fn call_fetching(text: &str) -> (CallReport, Duration) {
    let profile = profile(text);
    let spec = CallSpec {
        profile_key: "fault".into(),
        endpoint: profile.endpoints[0].clone(),
        profile,
        token: TokenChoice::Fetch {
            credentials: tokdbg::core::model::credentials::Credentials::secret(Secret::new("fault-secret")),
            force: false,
        },
    };
    let started = Instant::now();
    let report = engine().call(spec, None).await;
    (report, started.elapsed())
}

#[track_caller]
fn first(report: &CallReport) -> &tokdbg::core::findings::Finding {
    report.findings.first().unwrap_or_else(|| panic!("no finding: {}", support::summary(report)))
}

#[track_caller]
fn assert_contains(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "{needle:?} is not in {text:?}");
    }
}

async fn start(fault: Fault) -> FaultServer {
    FaultServer::start(fault).await.expect("a fault server on 127.0.0.1:0")
}

// ---------------------------------------------------------------------------------------------
// Connections that fail.

#[tokio::test]
async fn refused_reset_and_closed_connections_are_named() {
    let refused = start(Fault::Refused).await;
    let reset = start(Fault::ResetMidResponse).await;
    let closed = start(Fault::CloseWithoutAnswer).await;
    let (refused_url, reset_url, closed_url) = (refused.url("/jwks"), reset.url("/jwks"), closed.url("/jwks"));
    let ((a, a_time), (b, b_time), (c, c_time)) = tokio::join!(get(&refused_url), get(&reset_url), get(&closed_url));

    let error = a.expect_err("nothing listens");
    assert!(matches!(error, HttpError::Connect { .. }), "{error:?}");
    assert!(error.is_unreachable());
    assert_contains(&error.to_string(), &[&refused_url, "refused"]);
    within(a_time, CONNECT + SLACK, "a refused connection");
    survived("connection refused", &error, a_time);

    let error = b.expect_err("the connection is reset");
    assert!(matches!(error, HttpError::Broken { .. }), "{error:?}");
    assert_contains(&error.to_string(), &[&reset_url, "broke"]);
    within(b_time, TOTAL + SLACK, "a reset");
    survived("reset mid-response (SO_LINGER 0)", &error, b_time);

    let error = c.expect_err("the connection closes without an answer");
    assert!(matches!(error, HttpError::Broken { .. }), "{error:?}");
    assert_contains(&error.to_string(), &[&closed_url, "broke"]);
    within(c_time, TOTAL + SLACK, "a close");
    survived("closed without an answer", &error, c_time);
}

#[tokio::test]
async fn hangs_and_slow_drips_time_out_with_the_url() {
    let reply = Reply::json(200, r#"{"keys":[]}"#);
    let hang = start(Fault::Hang).await;
    let drip = start(Fault::Drip { reply: reply.clone(), interval: Duration::from_millis(200) }).await;
    let drip_body = start(Fault::DripBody {
        reply: Reply::json(200, format!(r#"{{"keys":[],"pad":"{}"}}"#, "x".repeat(100))),
        interval: Duration::from_millis(200),
    })
    .await;
    let urls = [hang.url("/jwks"), drip.url("/jwks"), drip_body.url("/jwks")];
    let ((a, a_time), (b, b_time), (c, c_time)) = tokio::join!(get(&urls[0]), get(&urls[1]), get(&urls[2]));
    for ((result, elapsed), (url, fault)) in [(a, a_time), (b, b_time), (c, c_time)].into_iter().zip(urls.iter().zip([
        "accept-and-hang",
        "slow drip (1 byte / 200 ms)",
        "slow drip of the body only",
    ])) {
        let error = result.expect_err("no complete answer within the timeout");
        assert_eq!(error, HttpError::Timeout { url: url.clone(), secs: TOTAL.as_secs() }, "{fault}");
        assert_contains(&error.to_string(), &[url, "did not answer within 2 s"]);
        assert!(error.is_unreachable(), "{fault}: a timeout is exit code 3");
        within(elapsed, TOTAL + SLACK, fault);
        assert!(elapsed >= TOTAL - Duration::from_millis(100), "{fault} gave up after {elapsed:?}, before the timeout");
        survived(fault, &error, elapsed);
    }
}

#[tokio::test]
async fn engine_names_the_hop_that_failed() {
    let refused = start(Fault::Refused).await;
    let hang = start(Fault::Hang).await;
    let reset = start(Fault::ResetMidResponse).await;
    let token_refused = token_profile(&refused.url("/token"), "client_secret_post", &refused.url(""));
    let hang_url = hang.url("/api");
    let issuer_reset = format!("[issuer]\nurl = \"{}\"\n\n{}", reset.url("/oidc"), api_profile(&hang_url));
    let ((token_report, token_time), (api_report, api_time), inspected) =
        tokio::join!(call_fetching(&token_refused), call_given(&hang_url), async {
            let started = Instant::now();
            let report = engine().inspect(&profile(&issuer_reset), &token(), TokenSource::Given, None).await;
            (report, started.elapsed())
        });

    // The token endpoint is refused: no token, no API request, exit code 3.
    assert_eq!(token_report.verdict, Verdict::Error, "{}", support::summary(&token_report));
    assert_eq!(first(&token_report).code, Code::TokenRequestFailed, "{}", support::summary(&token_report));
    assert_contains(&first(&token_report).message, &["token endpoint", &refused.url("/token"), "refused"]);
    assert!(token_report.response.is_none() && token_report.network_unreachable());
    within(token_time, CONNECT + SLACK, "a refused token endpoint");
    survived("token endpoint refused (Engine::call)", Code::TokenRequestFailed, token_time);

    // The API hangs: the request times out, the verdict is error, the URL is named.
    assert_eq!(api_report.verdict, Verdict::Error, "{}", support::summary(&api_report));
    assert_eq!(first(&api_report).code, Code::NetworkError, "{}", support::summary(&api_report));
    assert_contains(&first(&api_report).message, &[&hang.url("/api"), "did not answer within 2 s"]);
    assert!(api_report.network_unreachable());
    within(api_time, TOTAL + SLACK, "a hanging API");
    survived("API accept-and-hang (Engine::call)", Code::NetworkError, api_time);

    // The issuer resets the discovery request: a network error naming the discovery URL.
    let (report, elapsed) = inspected;
    assert!(!report.valid && report.network_unreachable(), "{:?}", report.findings);
    let finding = report.findings.first().expect("a finding");
    assert_eq!(finding.code, Code::NetworkError, "{:?}", report.findings);
    assert_contains(
        &format!("{} {:?}", finding.message, finding.evidence.expected),
        &[&reset.url("/oidc/.well-known/openid-configuration"), "broke"],
    );
    within(elapsed, TOTAL + SLACK, "a reset issuer");
    survived("issuer reset (Engine::inspect)", Code::NetworkError, elapsed);
}

// ---------------------------------------------------------------------------------------------
// Answers that are too big, mislabelled or compressed.

#[tokio::test]
async fn a_body_over_the_cap_is_truncated_and_flagged() {
    let five_mib = Reply::json(200, format!("{{\"keys\":[],\"pad\":\"{}\"}}", "x".repeat(5 * CAP)));
    let server = start(Fault::Routes(vec![
        ("/jwks".into(), Fault::Respond(five_mib.clone())),
        ("/api".into(), Fault::Respond(five_mib)),
    ]))
    .await;
    let (result, elapsed) = get(&server.url("/jwks")).await;
    let response = result.expect("a 200 answer");
    assert_eq!(response.status, 200);
    assert_eq!(response.body.len(), CAP, "read up to the cap, not 5 MiB");
    assert!(response.truncated);
    within(elapsed, TOTAL + SLACK, "a 5 MiB body");
    survived("5 MiB body (Http)", format!("{} bytes kept, truncated", response.body.len()), elapsed);

    // As an API answer: allowed, and flagged truncated in the report.
    let (report, elapsed) = call_given(&server.url("/api")).await;
    assert_eq!(report.verdict, Verdict::Allowed, "{}", support::summary(&report));
    let response = report.response.as_ref().expect("the API answered");
    assert!(response.truncated && response.body.len() <= CAP, "{} bytes", response.body.len());
    survived("5 MiB API answer (Engine::call)", "allowed, truncated: true", elapsed);

    // As a JWKS: refused as a key set, saying it was cut.
    let jwks = format!("[issuer]\njwks_uri = \"{}\"\n", server.url("/jwks"));
    let started = Instant::now();
    let report = engine().inspect(&profile(&jwks), &token(), TokenSource::Given, None).await;
    let finding = report.findings.first().expect("a finding");
    assert_eq!(finding.code, Code::JwksUnreachable, "{:?}", report.findings);
    assert_contains(&finding.message, &[&server.url("/jwks"), "1048576-byte limit"]);
    survived("5 MiB JWKS (Engine::inspect)", Code::JwksUnreachable, started.elapsed());
}

#[tokio::test]
async fn content_types_that_lie() -> TestResult {
    let jwks = serde_json::to_string(&support::jwks_json(vec![DemoKey::Rsa1.public_jwk(Algorithm::RS256)]))?;
    let server = start(Fault::Routes(vec![
        ("/json-as-html".into(), Fault::Respond(Reply::html(200, jwks))),
        ("/html-as-json".into(), Fault::Respond(Reply::json(200, "<!doctype html><html><body>Login</body></html>"))),
        (
            "/token".into(),
            Fault::Respond(Reply::html(200, format!(r#"{{"access_token":"{}","token_type":"Bearer"}}"#, token()))),
        ),
        ("/api".into(), Fault::Respond(Reply::html(200, r#"{"orders":[]}"#))),
    ]))
    .await;

    // JSON served as text/html: read as JSON anyway (many servers mislabel).
    let lenient =
        format!("[issuer]\njwks_uri = \"{}\"\n[expect]\nalgorithms = [\"RS256\"]\n", server.url("/json-as-html"));
    let started = Instant::now();
    let report = engine().inspect(&profile(&lenient), &token(), TokenSource::Given, None).await;
    assert!(report.valid, "{:?}", report.findings);
    survived("JWKS JSON served as text/html", "verifies", started.elapsed());

    // HTML served as application/json: not a key set, and the message says what came.
    let strict = format!("[issuer]\njwks_uri = \"{}\"\n", server.url("/html-as-json"));
    let started = Instant::now();
    let report = engine().inspect(&profile(&strict), &token(), TokenSource::Given, None).await;
    let finding = report.findings.first().expect("a finding");
    assert_eq!(finding.code, Code::JwksUnreachable, "{:?}", report.findings);
    assert_contains(&finding.message, &[&server.url("/html-as-json"), "not JSON", "application/json", "Login"]);
    assert!(!report.network_unreachable(), "the host answered: exit code 1, not 3");
    survived("JWKS HTML served as application/json", Code::JwksUnreachable, started.elapsed());

    // A token response and an API answer in JSON labelled text/html: both read as JSON.
    let (report, elapsed) =
        call_fetching(&token_profile(&server.url("/token"), "client_secret_post", &server.url(""))).await;
    assert_eq!(report.token.source, TokenSource::Fetched, "{}", support::summary(&report));
    assert_eq!(report.verdict, Verdict::Allowed, "{}", support::summary(&report));
    let response = report.response.as_ref().expect("the API answered");
    assert_eq!(response.body_json, Some(json!({"orders": []})));
    survived("token and API JSON served as text/html", "allowed", elapsed);
    Ok(())
}

#[tokio::test]
async fn gzip_bombs_stay_opaque_bytes() {
    // reqwest's gzip feature is off: the body is what came on the wire, capped, never inflated.
    let small = gzip_bomb(10 * CAP);
    let big = gzip_bomb(340 * CAP);
    assert!(small.len() < CAP && big.len() > CAP, "{} / {} bytes", small.len(), big.len());
    let bomb = |body: &Vec<u8>| Fault::Respond(Reply::json(200, body.clone()).header("Content-Encoding", "gzip"));
    let server = start(Fault::Routes(vec![("/small".into(), bomb(&small)), ("/big".into(), bomb(&big))])).await;

    let (result, elapsed) = get(&server.url("/small")).await;
    let response = result.expect("a 200 answer");
    assert_eq!(response.body, small, "the compressed bytes, as sent ({} bytes), not 10 MiB", small.len());
    assert!(!response.truncated);
    assert_eq!(response.header("content-encoding"), Some("gzip"));
    within(elapsed, TOTAL + SLACK, "a small gzip bomb");
    survived("gzip bomb, 66 KB → 10 MiB", format!("{} opaque bytes", response.body.len()), elapsed);

    let (result, elapsed) = get(&server.url("/big")).await;
    let response = result.expect("a 200 answer");
    assert_eq!(response.body.len(), CAP);
    assert!(response.truncated && response.body.starts_with(&[0x1f, 0x8b]));
    within(elapsed, TOTAL + SLACK, "a big gzip bomb");
    survived("gzip bomb, 2.2 MB → 340 MiB", "1 MiB of opaque bytes, truncated", elapsed);

    let asked: Vec<String> =
        server.requests().iter().filter_map(|r| r.header("accept-encoding").map(str::to_owned)).collect();
    assert!(asked.iter().all(|a| !a.contains("gzip")), "gzip was asked for: {asked:?}");

    // As a JWKS: not JSON, named, no memory blow-up.
    let jwks = format!("[issuer]\njwks_uri = \"{}\"\n", server.url("/small"));
    let report = engine().inspect(&profile(&jwks), &token(), TokenSource::Given, None).await;
    let finding = report.findings.first().expect("a finding");
    assert_eq!(finding.code, Code::JwksUnreachable, "{:?}", report.findings);
    assert_contains(&finding.message, &[&server.url("/small"), "not JSON"]);
}

// ---------------------------------------------------------------------------------------------
// Redirects.

#[tokio::test]
async fn a_same_origin_redirect_is_followed_with_the_token() {
    let server = start(Fault::Routes(vec![
        ("/start".into(), Fault::Redirect { status: 302, location: "{origin}/final".into() }),
        ("/relative".into(), Fault::Redirect { status: 307, location: "/final".into() }),
        ("/final".into(), Fault::Respond(Reply::json(200, r#"{"ok":true}"#))),
    ]))
    .await;
    for start_path in ["/start", "/relative"] {
        let request = ProbeRequest {
            method: "GET".into(),
            url: server.url(start_path),
            headers: Vec::new(),
            body: None,
            token: Some(Secret::new("same-origin-token")),
        };
        let started = Instant::now();
        let response = request.send(&http()).await.expect("followed to /final");
        assert_eq!(response.status, 200);
        assert_eq!(response.final_url, server.url("/final"));
        assert!(response.unfollowed_redirect.is_none());
        survived(&format!("same-origin redirect {start_path} → /final"), "followed", started.elapsed());
    }
    let seen: Vec<(String, Option<String>)> =
        server.requests().iter().map(|r| (r.path.clone(), r.header("authorization").map(str::to_owned))).collect();
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert!(seen.iter().all(|(_, auth)| auth.as_deref() == Some("Bearer same-origin-token")), "{seen:?}");
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_and_credentials_stay_home() {
    // The other origin records everything it receives; it must receive nothing.
    let other = start(Fault::Respond(Reply::json(200, r#"{"access_token":"stolen","orders":[]}"#))).await;
    let steal = other.url("/steal");
    let server = start(Fault::Routes(vec![
        ("/api".into(), Fault::Redirect { status: 302, location: steal.clone() }),
        ("/hop".into(), Fault::Redirect { status: 307, location: "{origin}/api".into() }),
        ("/alias".into(), Fault::Redirect { status: 302, location: "http://localhost:{port}/final".into() }),
        ("/token".into(), Fault::Redirect { status: 307, location: other.url("/token") }),
        ("/final".into(), Fault::Respond(Reply::json(200, "{}"))),
    ]))
    .await;

    // The API redirects away: the 302 is the answer; the token is not sent on.
    let (report, elapsed) = call_given(&server.url("/api")).await;
    let response = report.response.as_ref().expect("the 302 is the answer");
    assert_eq!(response.status, 302);
    assert_eq!(response.unfollowed_redirect.as_deref(), Some(steal.as_str()));
    assert_eq!(report.verdict, Verdict::Denied, "{}", support::summary(&report));
    survived("cross-origin redirect from the API", "302 shown, not followed", elapsed);

    // Same origin first, then away: followed once, stopped at the origin's edge.
    let (report, elapsed) = call_given(&server.url("/hop")).await;
    let response = report.response.as_ref().expect("the 302 is the answer");
    assert_eq!((response.status, response.unfollowed_redirect.as_deref()), (302, Some(steal.as_str())));
    assert_eq!(response.final_url, server.url("/api"));
    survived("same-origin hop, then cross-origin", "stopped at the second hop", elapsed);

    // localhost is another origin than 127.0.0.1, even on the same port.
    let (report, elapsed) = call_given(&server.url("/alias")).await;
    assert_eq!(report.response.as_ref().map(|r| r.status), Some(302), "{}", support::summary(&report));
    survived("redirect to localhost on the same port", "not followed", elapsed);

    // The token endpoint redirects away: neither the Basic header nor the posted secret leave.
    for method in ["client_secret_basic", "client_secret_post"] {
        let (report, elapsed) = call_fetching(&token_profile(&server.url("/token"), method, &server.url(""))).await;
        assert_eq!(report.verdict, Verdict::Error, "{}", support::summary(&report));
        let finding = first(&report);
        assert_eq!(finding.code, Code::TokenRequestFailed, "{}", support::summary(&report));
        assert_contains(&finding.message, &[&other.url("/token"), "not followed"]);
        survived(&format!("cross-origin redirect of the token endpoint ({method})"), "not followed", elapsed);
    }

    assert!(other.requests().is_empty(), "the other origin was reached: {:?}", other.requests());
    assert!(other.authorizations().is_empty());
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert!(!paths.contains(&"/final".to_owned()), "the localhost alias was followed: {paths:?}");
    let leaked: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| String::from_utf8_lossy(&r.body).contains("fault-secret"))
        .map(|r| r.path)
        .collect();
    assert!(leaked.iter().all(|p| p == "/token"), "the secret went to {leaked:?}");
}

#[tokio::test]
async fn a_redirect_loop_is_a_clear_error() {
    let server = start(Fault::RedirectLoop).await;
    let url = server.url("/loop");
    let (result, elapsed) = get(&url).await;
    let error = result.expect_err("a loop never ends in an answer");
    assert_eq!(error, HttpError::TooManyRedirects { url: url.clone() });
    assert_contains(&error.to_string(), &["too many redirects", &url]);
    assert!(!error.is_unreachable(), "the host answered: not a network failure");
    let hops = server.requests().len();
    assert_eq!(hops, HttpConfig::default().max_redirects + 1, "requests before giving up");
    within(elapsed, TOTAL + SLACK, "a redirect loop");
    survived("redirect loop", format!("{error} after {hops} requests"), elapsed);

    let (report, _) = call_given(&server.url("/api")).await;
    assert_eq!(report.verdict, Verdict::Error, "{}", support::summary(&report));
    assert_eq!(first(&report).code, Code::NetworkError);
    assert_contains(&first(&report).message, &["too many redirects"]);
    assert!(!report.network_unreachable());
}

#[tokio::test]
async fn server_errors_in_html_are_explained() {
    let page = "<!doctype html><html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>";
    let server = start(Fault::Routes(vec![
        ("/api".into(), Fault::Respond(Reply::html(503, page))),
        ("/token".into(), Fault::Respond(Reply::html(500, "<html><body><h1>Internal Server Error</h1></body></html>"))),
    ]))
    .await;
    let (report, elapsed) = call_given(&server.url("/api")).await;
    assert_eq!(report.verdict, Verdict::Denied, "{}", support::summary(&report));
    assert_eq!(first(&report).code, Code::ServerError, "{}", support::summary(&report));
    survived("API 503 with an HTML page", Code::ServerError, elapsed);

    let (report, elapsed) =
        call_fetching(&token_profile(&server.url("/token"), "client_secret_post", &server.url(""))).await;
    assert_eq!(report.verdict, Verdict::Error, "{}", support::summary(&report));
    assert_eq!(first(&report).code, Code::TokenRequestFailed);
    assert_contains(&first(&report).message, &["HTTP 500", "HTML"]);
    assert!(!report.network_unreachable());
    survived("token endpoint 500 with an HTML page", Code::TokenRequestFailed, elapsed);
}

// ---------------------------------------------------------------------------------------------
// The binary's exit codes (3 when a host cannot be reached; default timeouts: 5 s / 15 s).

/// `tokdbg [--profiles DIR] --json ARGS...`, with a JSON report on stdout.
async fn tokdbg(args: Vec<String>, dir: Option<&Path>) -> Run {
    let mut all = Vec::new();
    if let Some(dir) = dir {
        all.extend(["--profiles".to_owned(), dir.display().to_string()]);
    }
    all.push("--json".to_owned());
    all.extend(args);
    let run = Invocation::new(&all).run().await;
    run.json();
    run
}

fn write_profile(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("fault.toml"), text).expect("write the profile");
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_exit_codes() {
    let refused = start(Fault::Refused).await;
    let reset = start(Fault::ResetMidResponse).await;
    let hang = start(Fault::Hang).await;
    let lying = start(Fault::Routes(vec![
        ("/503".into(), Fault::Respond(Reply::html(503, "<h1>Service Unavailable</h1>"))),
        ("/big".into(), Fault::Respond(Reply::json(200, format!("{{\"pad\":\"{}\"}}", "x".repeat(5 * CAP))))),
    ]))
    .await;
    let looping = start(Fault::RedirectLoop).await;
    let token = token();

    let api = |url: String| write_profile(&api_profile(&url));
    let dirs = [
        api(refused.url("/api")),
        api(reset.url("/api")),
        api(hang.url("/api")),
        api(lying.url("/503")),
        api(looping.url("/api")),
        api(lying.url("/big")),
        write_profile(&token_profile(&refused.url("/token"), "client_secret_post", &refused.url(""))),
        write_profile(&format!(
            "[issuer]\nurl = \"{}\"\n\n[client]\nid = \"svc\"\nsecret = \"fault-secret\"\n\n{}",
            refused.url("/oidc"),
            api_profile(&lying.url("/503"))
        )),
    ];
    let owned = |list: &[&str]| list.iter().map(|a| (*a).to_owned()).collect::<Vec<String>>();
    let call = |i: usize| tokdbg(owned(&["call", "fault", "--token", &token]), Some(dirs[i].path()));
    let jwks = refused.url("/jwks");
    let (a, b, c, d, e, f, g, h, i) = tokio::join!(
        call(0),
        call(1),
        call(2),
        call(3),
        call(4),
        call(5),
        tokdbg(owned(&["token", "fault"]), Some(dirs[6].path())),
        tokdbg(owned(&["call", "fault"]), Some(dirs[7].path())),
        tokdbg(owned(&["verify", &token, "--jwks", &jwks]), None),
    );
    let expect = |run: &Run, code: i32, verdict: Option<&str>, finding: &str, needles: &[&str], fault: &str| {
        assert_eq!(run.code, code, "{fault}: {}", run.describe());
        if let Some(verdict) = verdict {
            assert_eq!(run.json()["verdict"], verdict, "{fault}: {}", run.describe());
        }
        let first = &run.json()["findings"][0];
        assert_eq!(first["code"], finding, "{fault}: {}", run.describe());
        let message = format!("{} {}", first["message"], first["evidence"]);
        for needle in needles {
            assert!(message.contains(needle), "{fault}: {needle:?} not in {message}");
        }
        survived(&format!("CLI: {fault}"), format!("exit {code}, {finding}"), run.took);
    };
    expect(&a, 3, Some("error"), "network_error", &[&refused.url("/api"), "refused"], "call, API refused");
    expect(&b, 3, Some("error"), "network_error", &[&reset.url("/api"), "broke"], "call, API reset");
    expect(
        &c,
        3,
        Some("error"),
        "network_error",
        &[&hang.url("/api"), "did not answer within 15 s"],
        "call, API hangs",
    );
    assert!(c.took <= Duration::from_secs(15) + SLACK + SLACK, "the hang took {:?}", c.took);
    expect(&d, 1, Some("denied"), "server_error", &[], "call, API 503 HTML");
    expect(&e, 1, Some("error"), "network_error", &["too many redirects"], "call, redirect loop");
    assert_eq!(f.code, 0, "{}", f.describe());
    assert_eq!(f.json()["response"]["truncated"], true, "{}", f.describe());
    survived("CLI: call, API answers 5 MiB", "exit 0, truncated: true", f.took);
    expect(&g, 3, None, "token_request_failed", &[&refused.url("/token"), "refused"], "token, token endpoint refused");
    expect(
        &h,
        3,
        Some("error"),
        "network_error",
        &[&refused.url("/oidc/.well-known/openid-configuration")],
        "call, issuer refused",
    );
    expect(&i, 3, None, "jwks_unreachable", &[&jwks, "refused"], "verify, JWKS refused");
}
