//! The curl exports run by the real `curl` against the demo: the mTLS token request (to the
//! URL tokdbg called) and API call over https with the demo CA and client certificate, and a
//! DPoP-bound call with a fresh proof the test signs into `$DPOP_PROOF` (a spent one refused).

use std::path::Path;
use std::time::Duration;

use tokdbg::core::curl::{CurlOptions, CurlTransport, probe_as_curl_over, token_request_as_curl_over};
use tokdbg::core::engine::{CallSpec, TokenChoice};
use tokdbg::core::model::credentials::Credentials;
use tokdbg::core::model::profile::{NoPrompt, Profile};
use tokdbg::core::model::secret::Secret;
use tokdbg::core::oauth::dpop::{self, DpopKey, ProofClaims};
use tokdbg::core::oauth::token_request::TokenRequest;
use tokdbg::core::probe::ProbeRequest;
use tokdbg::core::store::profile_store::{DirOrigin, load_dir};

use crate::support::demo::engine;
use crate::support::tls::TlsDemo;

const DPOP_KEY: &str = "tests/fixtures/client_keys/ec-p256-pkcs8.pem";

/// The profile `stem` as tokdbg loads it from the demo's directory (`ca_file` beside it).
fn load(demo: &TlsDemo, stem: &str) -> Profile {
    let store = load_dir(demo.dir.path(), DirOrigin::Flag).expect("profiles");
    store.find(stem).expect("the profile").1.clone()
}

/// The credentials the profile's client needs, read as the CLI reads them.
fn credentials(profile: &Profile) -> Credentials {
    let sources = profile.client.as_ref().expect("client").credential_sources().expect("sources");
    let mut credentials = Credentials::default();
    for (field, source) in sources.fields() {
        let read = source.resolve_shaped(field.label(), &NoPrompt, field.shape()).expect("credential");
        credentials.set(field, read.secret);
    }
    credentials
}

/// Runs `command` in `sh` with `env`, the HTTP status appended by curl's `-w`: (status, body).
async fn run_curl(command: &str, env: &[(&str, &str)]) -> (u16, String) {
    let mut sh = tokio::process::Command::new("sh");
    sh.arg("-c").arg(format!("{command} -w '\\n%{{http_code}}'")).kill_on_drop(true);
    for (name, value) in env {
        sh.env(name, value);
    }
    let output = tokio::time::timeout(Duration::from_secs(20), sh.output()).await.expect("curl in time").expect("sh");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let (body, status) = stdout.rsplit_once('\n').unwrap_or(("", &stdout));
    let stderr = String::from_utf8_lossy(&output.stderr);
    (status.trim().parse().unwrap_or_else(|_| panic!("no status: {stdout} {stderr}\n{command}")), body.to_owned())
}

fn api_request(profile: &Profile, token: &Secret) -> ProbeRequest {
    let endpoint = profile.endpoints.first().expect("an endpoint").clone();
    ProbeRequest {
        method: endpoint.method,
        url: endpoint.url,
        headers: endpoint.headers.into_iter().collect(),
        body: endpoint.body,
        token: Some(token.clone()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mtls_exports_run_in_curl_and_get_200() {
    let demo = TlsDemo::start().await;
    let profile = load(&demo, "demo-mtls");
    let engine = engine();
    let fetch = engine.fetch_token("demo-mtls", &profile, credentials(&profile), true, None).await;
    let called = fetch.token_endpoint.clone().expect("the token endpoint tokdbg called");
    let token = fetch.access_token.clone().expect("a token");
    let transport = CurlTransport::for_profile(&profile);

    // The token request, to the URL tokdbg called, proven by the certificate alone.
    let client = profile.client.clone().expect("client");
    let request = TokenRequest {
        endpoint: called.clone(),
        client_id: client.id,
        credentials: credentials(&profile),
        auth_method: client.auth_method,
        scopes: client.scopes,
        audience: client.audience,
        resource: client.resource,
        extra: vec![],
        assertion: None,
    };
    let command = token_request_as_curl_over(&request, &transport, CurlOptions::default());
    assert!(command.contains(&format!("'{called}'")), "{command}");
    assert!(command.contains("--cert '") && command.contains("--key '") && command.contains("--cacert '"), "{command}");
    assert!(!command.contains("PRIVATE KEY"), "{command}");
    let (status, body) = run_curl(&command, &[]).await;
    assert_eq!(status, 200, "{body}\n{command}");
    let answer: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert!(answer["access_token"].as_str().is_some_and(|t| t.starts_with("eyJ")), "{answer}");

    // The API call over the same certificate, with the certificate-bound token.
    let command = probe_as_curl_over(
        &api_request(&profile, &token),
        &transport,
        CurlOptions { reveal_token: true, reveal_secret: false },
    );
    let (status, body) = run_curl(&command, &[]).await;
    assert_eq!(status, 200, "{body}\n{command}");

    // Without the certificate options the bound token is refused: the export's --cert matters.
    let bare: String = command
        .lines()
        .filter(|line| !line.contains("--cert") && !line.contains("--key"))
        .collect::<Vec<_>>()
        .join("\n");
    let (status, _) = run_curl(&bare, &[]).await;
    assert_ne!(status, 200, "{bare}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dpop_export_runs_in_curl_with_a_fresh_proof_and_a_spent_one_is_refused() {
    let demo = TlsDemo::start().await;
    let key_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DPOP_KEY);
    let text = std::fs::read_to_string(demo.path("demo-dpop.toml")).expect("demo-dpop");
    let text = text.replacen("[dpop]\n", &format!("[dpop]\nprivate_key = \"file:{}\"\n", key_path.display()), 1);
    demo.write_profile("curl-dpop", &text);
    let profile = load(&demo, "curl-dpop");
    let endpoint = profile.endpoints.first().expect("endpoint").clone();
    let engine = engine();
    let spec = CallSpec {
        profile_key: "curl-dpop".into(),
        profile: profile.clone(),
        endpoint,
        token: TokenChoice::Fetch { credentials: credentials(&profile), force: true },
    };
    let report = engine.call(spec, None).await;
    assert_eq!(report.response.as_ref().map(|r| r.status), Some(200), "{:?}", report.findings);
    let token = report.access_token.clone().expect("token");
    let transport = CurlTransport::for_profile(&profile).with_dpop_report(report.dpop.as_ref(), true);
    let request = api_request(&profile, &token);
    let command = probe_as_curl_over(&request, &transport, CurlOptions { reveal_token: true, reveal_secret: false });
    assert!(command.contains("-H \"DPoP: $DPOP_PROOF\""), "{command}");
    assert!(command.contains("'Authorization: DPoP eyJ"), "{command}");
    let jkt = report.dpop.as_ref().and_then(|d| d.key.as_ref()).map(|k| k.jkt.clone()).expect("jkt");
    assert!(command.contains(&jkt), "the comment names the key: {command}");

    // A fresh proof by the profile's key, for this method and URL, with the API's nonce.
    let nonce = report.dpop.as_ref().and_then(|d| d.api_call.iter().find_map(|a| a.nonce_demanded.clone()));
    let key = DpopKey::from_document("ES256", &std::fs::read_to_string(&key_path).expect("key")).expect("key");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("time").as_secs() as i64;
    let mut claims = ProofClaims::new(&request.method, &dpop::htu(&request.url).expect("htu"), now);
    claims.nonce = nonce;
    claims.ath = Some(dpop::ath(token.expose()));
    let proof = key.sign(claims).expect("proof");
    let (status, body) = run_curl(&command, &[("DPOP_PROOF", proof.compact.expose())]).await;
    assert_eq!(status, 200, "{body}\n{command}");
    // The same proof again: its jti is spent, as the comment warns.
    let (status, _) = run_curl(&command, &[("DPOP_PROOF", proof.compact.expose())]).await;
    assert_eq!(status, 401);
}

/// `token --curl` prints the request tokdbg would send, sends nothing, reads no secret; run
/// with the secret in `$CLIENT_SECRET`, the printed command gets a token (and the mTLS one
/// over https with the demo CA and the client certificate).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_curl_prints_a_request_that_gets_a_token() {
    let demo = TlsDemo::start().await;
    let before = demo.counters().token;
    let printed = demo.run(&["token", "demo-reader", "--curl"]).await;
    let command = printed.code(0).stdout.trim_end().to_owned();
    assert!(!command.contains("demo-reader-secret"), "{command}");
    assert_eq!(demo.counters().token, before, "token --curl sent a token request");
    let (status, body) = run_curl(&command, &[("CLIENT_SECRET", "demo-reader-secret")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("access_token"), "{body}");

    let printed = demo.run(&["token", "demo-mtls", "--curl", "--json"]).await;
    let command = printed.code(0).json()["curl"].as_str().expect("curl").to_owned();
    let (status, body) = run_curl(&command, &[]).await;
    assert_eq!(status, 200, "{body}");
}
