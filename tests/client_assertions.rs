//! Client assertions over real HTTP against the demo issuer: client_secret_jwt and
//! private_key_jwt succeed, each failure a user meets is refused and explained, the demo
//! checks what a real server checks (aud, exp, jti replay), and no key, secret or signed
//! assertion is ever printed — even by a token endpoint that echoes the request.

use std::path::Path;

use serde_json::Value;
use tokdbg::core::curl::{CurlOptions, token_request_as_curl};
use tokdbg::core::model::credentials::Credentials;
use tokdbg::core::model::profile::AuthMethod;
use tokdbg::core::model::secret::Secret;
use tokdbg::core::net::http::{Http, HttpConfig};
use tokdbg::core::oauth::client_assertion::AssertionSettings;
use tokdbg::core::oauth::client_key::ClientKey;
use tokdbg::core::oauth::token_request::{TokenError, TokenRequest};
use tokdbg::demo::{self, DemoServer};

use crate::support::faults::{Echo, Fault, FaultServer};
use crate::support::{self, tokdbg};

const CLIENT_KEY: &str = include_str!("../src/demo/keys/client-rsa-demo-only.pem");
const WRONG_KEY: &str = include_str!("../src/demo/keys/client-wrong-demo-only.pem");
const HS_SECRET: &str = "demo-secret-jwt-secret-for-hs256-assertions";

async fn demo_dir() -> (DemoServer, tempfile::TempDir) {
    let server = DemoServer::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    demo::write_demo_profiles(dir.path(), &server.base_url()).unwrap();
    (server, dir)
}

async fn token_json(dir: &Path, stem: &str) -> (i32, Value) {
    let run = tokdbg(&["--profiles", &dir.display().to_string(), "--json", "token", stem]).await;
    run.no_panic();
    (run.code, run.json())
}

#[tokio::test]
async fn private_key_jwt_and_client_secret_jwt_get_tokens_and_show_the_assertion_decoded() {
    let (server, dir) = demo_dir().await;
    let token_endpoint = format!("{}/oidc/token", server.base_url());
    for (stem, alg, thumbprint) in [("demo-private-key-jwt", "RS256", true), ("demo-secret-jwt", "HS256", false)] {
        let (code, json) = token_json(dir.path(), stem).await;
        assert_eq!(code, 0, "{stem}: {json}");
        assert_eq!(json["valid"], true, "{stem}: {json}");
        let assertion = &json["token_request"]["assertion"];
        assert_eq!(assertion["header"]["alg"], alg, "{stem}: {assertion}");
        assert_eq!(assertion["claims"]["aud"], token_endpoint.as_str());
        assert_eq!(assertion["claims"]["iss"], assertion["claims"]["sub"]);
        let lifetime = assertion["claims"]["exp"].as_i64().unwrap() - assertion["claims"]["iat"].as_i64().unwrap();
        assert_eq!(lifetime, 60);
        assert_eq!(assertion["key_thumbprint"].is_string(), thumbprint, "{stem}: {assertion}");
        let form = json["token_request"]["request"]["form"].to_string();
        assert!(form.contains("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), "{form}");
        assert!(form.contains("[redacted: signed JWT"), "{form}");
    }
    let human = tokdbg(&["--profiles", &dir.path().display().to_string(), "token", "demo-private-key-jwt"]).await;
    human.code(0).stdout_has("assertion").stdout_has("(signature not shown)").stdout_has("key thumbprint");
}

#[tokio::test]
async fn a_wrong_key_is_invalid_client_with_the_thumbprint_to_compare() {
    let (_server, dir) = demo_dir().await;
    let (code, json) = token_json(dir.path(), "demo-private-key-jwt-wrong-key").await;
    assert_ne!(code, 0, "{json}");
    let finding = &json["findings"][0];
    assert_eq!(finding["code"], "invalid_client", "{json}");
    let wrong = ClientKey::parse(WRONG_KEY).unwrap().thumbprint();
    assert!(finding["fix"].as_str().unwrap().contains(&wrong), "{finding}");
    assert_eq!(json["token_request"]["assertion"]["key_thumbprint"], wrong.as_str());
    assert_ne!(wrong, ClientKey::parse(CLIENT_KEY).unwrap().thumbprint());
}

#[tokio::test]
async fn an_algorithm_the_issuer_does_not_take_is_named_from_its_discovery() {
    let (_server, dir) = demo_dir().await;
    let (code, json) = token_json(dir.path(), "demo-private-key-jwt-es256").await;
    assert_ne!(code, 0, "{json}");
    let finding = &json["findings"][0];
    assert_eq!(finding["code"], "invalid_client", "{json}");
    assert!(finding["evidence"]["expected"].as_str().unwrap().contains("alg ES256 is NOT in"), "{finding}");
    assert!(finding["fix"].as_str().unwrap().contains("not ES256"), "{finding}");
}

fn assertion_request(endpoint: String, settings: AssertionSettings) -> TokenRequest {
    let credentials = Credentials { private_key: Some(Secret::new(CLIENT_KEY)), ..Credentials::default() };
    TokenRequest {
        endpoint,
        client_id: "demo-private-key-jwt".into(),
        credentials,
        auth_method: AuthMethod::PrivateKeyJwt,
        scopes: vec!["order:read".into()],
        audience: None,
        resource: None,
        extra: vec![],
        assertion: Some(settings),
    }
}

fn refusal(outcome: Result<impl std::fmt::Debug, TokenError>) -> String {
    match outcome {
        Err(TokenError::OAuth { error, description, .. }) => format!("{error}: {}", description.unwrap_or_default()),
        other => panic!("expected an OAuth error, got {other:?}"),
    }
}

#[tokio::test]
async fn the_demo_refuses_a_replayed_an_expired_and_a_misaddressed_assertion() {
    let server = DemoServer::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let http = Http::new(HttpConfig::default());
    let endpoint = format!("{}/oidc/token", server.base_url());
    let now = support::now();
    let once = assertion_request(endpoint.clone(), AssertionSettings::at(now, None, None));
    assert!(once.send(&http).await.is_ok());
    assert!(refusal(once.send(&http).await).contains("jti replayed"));

    let stale = assertion_request(endpoint.clone(), AssertionSettings::at(now - 600, None, None));
    assert!(refusal(stale.send(&http).await).contains("has expired"));

    // The same server under another name (a proxy, localhost for 127.0.0.1): the aud differs.
    let other_name = endpoint.replace("127.0.0.1", "localhost");
    let misaddressed = assertion_request(other_name, AssertionSettings::at(now, None, None));
    assert!(refusal(misaddressed.send(&http).await).contains("audience (aud) must be the token endpoint"));
}

/// Every form of a private key's text that must never be printed: its PEM body lines.
fn key_lines(pem: &str) -> Vec<String> {
    pem.lines().filter(|l| l.len() >= 16 && !l.starts_with("-----")).map(str::to_owned).collect()
}

fn profile(dir: &Path, token_url: &str, method: &str) {
    let credential = match method {
        "private_key_jwt" => format!("private_key = '''\n{CLIENT_KEY}'''"),
        _ => format!("secret = \"{HS_SECRET}\""),
    };
    let text = format!(
        "[issuer]\ntoken_endpoint = \"{token_url}\"\njwks_uri = \"{token_url}/jwks\"\n[client]\nid = \"echo client\"\nauth_method = \"{method}\"\n{credential}\n"
    );
    std::fs::write(dir.join("echo.toml"), text).unwrap();
}

#[tokio::test]
async fn an_echoing_token_endpoint_shows_neither_the_assertion_nor_the_key_nor_the_secret() {
    for echo in [Echo::OAuthErrorDescription, Echo::HtmlPage, Echo::JsonHeaders] {
        for method in ["private_key_jwt", "client_secret_jwt"] {
            let server = FaultServer::start(Fault::Echo { status: 400, echo }).await.unwrap();
            let dir = tempfile::tempdir().unwrap();
            profile(dir.path(), &server.url("/token"), method);
            for json in [false, true] {
                let mut args = vec!["--profiles".to_owned(), dir.path().display().to_string()];
                if json {
                    args.push("--json".into());
                }
                args.extend(["token".into(), "echo".into()]);
                let run = tokdbg(&args).await;
                run.no_panic();
                let body = String::from_utf8_lossy(&server.requests().last().unwrap().body).into_owned();
                let assertion: String = url::form_urlencoded::parse(body.as_bytes())
                    .find(|(name, _)| name == "client_assertion")
                    .map(|(_, value)| value.into_owned())
                    .expect("an assertion was sent");
                let signature = assertion.rsplit('.').next().unwrap().to_owned();
                let output = format!("{}\n{}", run.stdout, run.stderr);
                let mut needles = vec![assertion.clone(), signature, HS_SECRET.to_owned()];
                needles.extend(key_lines(CLIENT_KEY));
                for needle in needles {
                    assert!(!output.contains(&needle), "{echo:?} {method} json={json}: leaks {}…", &needle[..12]);
                }
            }
        }
    }
}

#[test]
fn the_curl_export_carries_no_assertion_unless_revealed() {
    let request =
        assertion_request("http://127.0.0.1:9/oidc/token".into(), AssertionSettings::at(1_800_000_000, None, None));
    let command = token_request_as_curl(&request, CurlOptions::default());
    assert!(command.contains("$CLIENT_ASSERTION"), "{command}");
    for line in key_lines(CLIENT_KEY) {
        assert!(!command.contains(&line));
    }
    assert!(!command.contains("eyJ"), "{command}");
}

#[tokio::test]
async fn a_key_that_cannot_sign_is_refused_before_anything_is_sent() {
    let (server, dir) = demo_dir().await;
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/client_keys");
    for (file, alg, said) in [
        ("rsa-public.pem", "", "a public key, not a private one"),
        ("rsa-encrypted-pkcs8.pem", "", "an encrypted PKCS#8 key is not supported"),
        ("ec-p384-pkcs8.pem", "assertion_alg = \"ES256\"", "needs a P-256 key; client.private_key is a P-384 key"),
    ] {
        let text = format!(
            "[issuer]\nurl = \"{}/oidc\"\n[client]\nid = \"demo-private-key-jwt\"\nauth_method = \"private_key_jwt\"\nprivate_key = \"file:{}\"\n{alg}\n",
            server.base_url(),
            fixtures.join(file).display()
        );
        std::fs::write(dir.path().join("bad-key.toml"), text).unwrap();
        let before = server.counters().token;
        let (code, json) = token_json(dir.path(), "bad-key").await;
        assert_eq!(code, 1, "{json}");
        let finding = &json["findings"][0];
        assert_eq!(finding["code"], "token_request_failed", "{json}");
        assert!(finding["message"].as_str().unwrap().contains(said), "{file}: {finding}");
        assert_eq!(server.counters().token, before, "{file}: nothing is sent");
    }
}
