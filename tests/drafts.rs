//! `tokdbg init URL` and `tokdbg import curl`: drafts from the demo's RFC 9728 API, from an
//! API that serves only a challenge, from loopback servers with odd metadata, and from curl
//! commands; `--write` (0600, never over a file), and the written draft loading and calling.

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::{Value, json};

use crate::support::{Invocation, serve, start_demo, tokdbg};

fn notes(report: &Value) -> Vec<String> {
    report["notes"]
        .as_array()
        .map(|n| n.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

fn source<'a>(report: &'a Value, field: &str) -> &'a Value {
    report["sources"].as_array().and_then(|s| s.iter().find(|s| s["field"] == field)).unwrap_or(&Value::Null)
}

#[tokio::test]
async fn init_follows_the_challenge_to_the_metadata_and_the_issuer() {
    let demo = start_demo().await.expect("demo");
    let url = format!("{}/api/prm/orders", demo.base_url());
    let report = tokdbg(&["init", &url, "--json"]).await.code(0).json();
    let toml = report["profile_toml"].as_str().expect("toml");
    let profile = tokdbg::core::store::profile_store::parse_profile(toml, "draft.toml").expect("the draft loads");
    assert_eq!(profile.issuer.url.as_deref(), Some(demo.issuer().as_str()));
    assert_eq!(profile.expect.issuer.as_deref(), Some(demo.issuer().as_str()));
    assert_eq!(profile.expect.audience, std::slice::from_ref(&url));
    assert_eq!(profile.expect.algorithms, ["RS256", "ES256"]);
    assert_eq!(profile.endpoints[0].url, url);
    assert_eq!(profile.endpoints[0].required_scopes, ["order:read"]);
    assert_eq!(profile.client.as_ref().map(|c| c.scopes.clone()), Some(vec!["order:read".to_owned()]));
    assert!(source(&report, "expect.audience")["source"].as_str().unwrap_or("").contains("oauth-protected-resource"));
    assert!(source(&report, "issuer.url")["source"].as_str().unwrap_or("").contains("authorization_servers"));
    assert!(notes(&report).iter().any(|n| n.contains("client.id")), "{report}");
    // The secret is a prompt, never a literal.
    assert!(toml.contains("secret = \"prompt\""), "{toml}");
}

#[tokio::test]
async fn a_written_draft_loads_warns_what_to_fill_and_once_filled_calls_through() {
    let demo = start_demo().await.expect("demo");
    let dir = tempfile::tempdir().expect("dir");
    let profiles = dir.path().join("profiles");
    let profiles = profiles.to_str().expect("utf-8");
    let url = format!("{}/api/prm/orders", demo.base_url());
    let run =
        tokdbg(&["--profiles", profiles, "init", &url, "--name", "orders", "--write", "--secret-from", "env"]).await;
    run.code(0).stdout_has("Written to");
    let path = dir.path().join("profiles/orders.toml");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).expect("written").permissions().mode() & 0o777, 0o600);
    }
    tokdbg(&["--profiles", profiles, "profiles", "list"]).await.code(0).stdout_has("orders");
    let check = tokdbg(&["--profiles", profiles, "profiles", "check", "--json"]).await.json();
    assert_eq!(check["profiles"][0]["ok"], true, "{check}");
    assert!(check.to_string().contains("client.id is empty"), "{check}");
    // A draft without its client id cannot fetch a token, and says why.
    let call = tokdbg(&["--profiles", profiles, "call", "orders"]).await;
    call.code(2).stderr_has("client.id is empty");

    // Filled in as the notes say, it calls the API through.
    let text = std::fs::read_to_string(&path).expect("read").replace("id = \"\"", "id = \"demo-reader\"");
    std::fs::write(&path, text).expect("fill in");
    let call = Invocation::new(&["--profiles", profiles, "call", "orders", "--json"])
        .env("TOKDBG_CLIENT_SECRET", "demo-reader-secret")
        .run()
        .await;
    let report = call.code(0).json();
    assert_eq!(report["verdict"], "allowed", "{report}");
}

#[tokio::test]
async fn write_never_replaces_an_existing_profile() {
    let demo = start_demo().await.expect("demo");
    let dir = tempfile::tempdir().expect("dir");
    let profiles = dir.path().to_str().expect("utf-8");
    std::fs::write(dir.path().join("orders.toml"), "name = \"mine\"\n").expect("existing");
    let url = format!("{}/api/prm/orders", demo.base_url());
    let run = tokdbg(&["--profiles", profiles, "init", &url, "--name", "orders", "--write", "--json"]).await;
    run.code(2).json_error("profile");
    assert_eq!(std::fs::read_to_string(dir.path().join("orders.toml")).expect("kept"), "name = \"mine\"\n");
}

#[tokio::test]
async fn a_bare_challenge_still_drafts_and_names_what_is_missing() {
    let demo = start_demo().await.expect("demo");
    let url = format!("{}/api/rfc6750/protected", demo.base_url());
    let report = tokdbg(&["init", &url, "--json"]).await.code(0).json();
    let notes = notes(&report);
    assert!(notes.iter().any(|n| n.contains("no resource metadata at")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("no authorization server")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("expect.audience")), "{notes:?}");
    tokdbg::core::store::profile_store::parse_profile(report["profile_toml"].as_str().unwrap_or(""), "d.toml")
        .expect("the draft loads");
}

#[tokio::test]
async fn metadata_for_a_prefix_of_the_url_is_accepted_and_said() {
    let demo = start_demo().await.expect("demo");
    let url = format!("{}/api/prm-wide/orders", demo.base_url());
    let report = tokdbg(&["init", &url, "--json"]).await.code(0).json();
    assert!(notes(&report).iter().any(|n| n.contains("a prefix of the URL: accepted")), "{report}");
    assert_eq!(source(&report, "expect.audience")["value"], json!([demo.base_url()]));
}

/// A loopback API whose challenge points at metadata for another resource, whose scope
/// carries a bidi override, and whose well-known metadata names the wrong resource.
async fn odd_api() -> String {
    let router = Router::new()
        .route(
            "/api/x",
            get(|| async {
                let value = "Bearer resource_metadata=\"http://127.0.0.1:1/elsewhere\", scope=\"read\u{202e}evil\"";
                (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, value)]).into_response()
            }),
        )
        .route(
            "/api/y",
            get(|| async { (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")]).into_response() }),
        )
        .route(
            "/.well-known/oauth-protected-resource/api/y",
            get(|| async { axum::Json(json!({ "resource": "https://other.example/api/y" })) }),
        );
    serve(router).await.expect("odd api")
}

#[tokio::test]
async fn metadata_for_another_resource_is_not_used_and_hostile_text_stays_inert() {
    let base = odd_api().await;
    let report = tokdbg(&["init", &format!("{base}/api/y"), "--json"]).await.code(0).json();
    assert!(notes(&report).iter().any(|n| n.starts_with("warning:") && n.contains("not used")), "{report}");
    assert!(source(&report, "expect.audience").is_null(), "{report}");

    let run = tokdbg(&["init", &format!("{base}/api/x")]).await;
    run.code(0);
    assert!(!run.stdout.contains('\u{202e}'), "{}", run.stdout);
    assert!(run.stdout.contains("resource_metadata http://127.0.0.1:1/elsewhere"), "{}", run.stdout);
}

#[tokio::test]
async fn import_curl_reads_a_token_request_from_stdin_and_never_writes_the_secret() {
    let command = "curl -X POST https://tenant.authing.cn/oidc/token \\\n  -u 'svc-ak:svc-sk-VALUE' \\\n  -d grant_type=client_credentials -d 'scope=order:read'";
    let run = Invocation::new(&["import", "curl", "-", "--json"]).stdin(command).run().await;
    let report = run.code(0).json();
    let toml = report["profile_toml"].as_str().expect("toml");
    assert!(!run.stdout.contains("svc-sk-VALUE") && !run.stderr.contains("svc-sk-VALUE"));
    let profile = tokdbg::core::store::profile_store::parse_profile(toml, "d.toml").expect("loads");
    let client = profile.client.expect("client");
    assert_eq!((client.id.as_str(), client.auth_method.as_str()), ("svc-ak", "client_secret_basic"));
    assert_eq!(profile.issuer.token_endpoint.as_deref(), Some("https://tenant.authing.cn/oidc/token"));
    assert_eq!(profile.issuer.url.as_deref(), Some("https://tenant.authing.cn/oidc"));
}

#[tokio::test]
async fn import_curl_of_an_api_call_keeps_the_endpoint_and_drops_the_token() {
    let demo = start_demo().await.expect("demo");
    let claims = json!({ "iss": demo.issuer(), "aud": "demo-app", "client_id": "demo-reader", "scope": "order:read" });
    let token = tokdbg::demo::sign_token(&claims, jsonwebtoken::Algorithm::RS256, tokdbg::demo::DemoKey::Rsa1, None);
    let command = format!("curl -H 'Authorization: Bearer {token}' {}/api/protected", demo.base_url());
    let report = tokdbg(&["import", "curl", &command, "--json"]).await.code(0).json();
    let toml = report["profile_toml"].as_str().expect("toml");
    assert!(!toml.contains(&token), "{toml}");
    let profile = tokdbg::core::store::profile_store::parse_profile(toml, "d.toml").expect("loads");
    assert_eq!(profile.issuer.url.as_deref(), Some(demo.issuer().as_str()));
    assert_eq!(profile.expect.audience, ["demo-app"]);
    assert_eq!(profile.client.map(|c| c.id), Some("demo-reader".to_owned()));
}

#[tokio::test]
async fn import_of_what_is_not_a_curl_command_is_a_usage_error() {
    tokdbg(&["import", "curl", "wget https://a.example", "--json"]).await.code(2).json_error("usage");
    tokdbg(&["import", "curl", "curl 'https://a.example", "--json"]).await.code(2).json_error("usage");
}
