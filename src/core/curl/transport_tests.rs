//! The curl exports over a call's transport: mTLS, CA trust, `insecure`, DPoP and the client
//! assertion, each command snapshotted whole.

use super::*;
use crate::core::curl::{CurlOptions, probe_as_curl_over, token_request_as_curl_over};
use crate::core::model::credentials::Credentials;
use crate::core::model::secret::Secret;
use crate::core::oauth::client_assertion::AssertionSettings;
use crate::core::oauth::dpop_report::{DpopKeyInfo, ProofAttempt};
use crate::core::oauth::token_request::TokenRequest;
use crate::core::probe::ProbeRequest;
use crate::core::store::profile_store::parse_profile;

const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
const EC_KEY: &str = include_str!("../../../tests/fixtures/client_keys/ec-p256-pkcs8.pem");

fn profile(client: &str, rest: &str) -> Profile {
    let text = format!("[issuer]\nurl = \"https://issuer.example.com/oidc\"\n[client]\nid = \"app\"\n{client}\n{rest}");
    parse_profile(&text, "test.toml").expect("profile")
}

fn mtls_profile() -> Profile {
    profile(
        "auth_method = \"tls_client_auth\"\ncertificate = \"file:/etc/tokdbg/client.pem\"\nprivate_key = \"file:/etc/tokdbg/client.key\"",
        "[tls]\nca_file = \"/etc/tokdbg/dev-ca.pem\"",
    )
}

fn api_call(url: &str) -> ProbeRequest {
    ProbeRequest { method: "GET".into(), url: url.into(), headers: vec![], body: None, token: Some(Secret::new(TOKEN)) }
}

fn token_request(profile: &Profile, credentials: Credentials) -> TokenRequest {
    let client = profile.client.clone().expect("client");
    TokenRequest {
        endpoint: "https://mtls.issuer.example.com/oidc/token".into(),
        client_id: client.id,
        credentials,
        auth_method: client.auth_method,
        scopes: client.scopes,
        audience: None,
        resource: None,
        extra: vec![],
        assertion: Some(AssertionSettings::at(1_800_000_000, client.assertion_alg, client.key_id)),
    }
}

fn dpop_report(nonce: Option<&str>) -> DpopReport {
    let attempt = ProofAttempt {
        proof: crate::core::oauth::dpop::ProofView { header: serde_json::json!({}), claims: serde_json::json!({}) },
        status: Some(401),
        nonce_demanded: nonce.map(str::to_owned),
    };
    DpopReport {
        key: Some(DpopKeyInfo {
            alg: "ES256".into(),
            jkt: "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I".into(),
            source: "generated",
        }),
        api_call: vec![attempt],
        ..DpopReport::default()
    }
}

const REVEAL_TOKEN: CurlOptions = CurlOptions { reveal_token: true, reveal_secret: false };

#[test]
fn mtls_api_call_presents_the_certificate_files_and_the_ca() {
    let transport = CurlTransport::for_profile(&mtls_profile());
    let command = probe_as_curl_over(&api_call("https://api.example.com/orders"), &transport, REVEAL_TOKEN);
    insta::assert_snapshot!(command);
}

#[test]
fn mtls_token_request_names_the_client_and_goes_to_the_alias() {
    let profile = mtls_profile();
    let credentials = Credentials {
        private_key: Some(Secret::new("KEY CONTENT")),
        certificate: Some(Secret::new("CERT CONTENT")),
        ..Credentials::default()
    };
    let command = token_request_as_curl_over(
        &token_request(&profile, credentials),
        &CurlTransport::for_profile(&profile),
        CurlOptions::default(),
    );
    assert!(!command.contains("CONTENT"), "{command}");
    insta::assert_snapshot!(command);
}

#[test]
fn a_certificate_from_env_is_a_variable_with_how_to_fill_it() {
    let profile = profile(
        "auth_method = \"client_secret_basic\"\nsecret = \"env:SK\"\ncertificate = \"env:CLIENT_CERT_PEM\"\nprivate_key = \"cmd:vault read key\"",
        "",
    );
    let command = probe_as_curl_over(
        &api_call("https://api.example.com/orders"),
        &CurlTransport::for_profile(&profile),
        CurlOptions::default(),
    );
    insta::assert_snapshot!(command);
}

#[test]
fn a_literal_key_is_never_written_out() {
    let profile = profile(
        "auth_method = \"tls_client_auth\"\ncertificate = \"file:c.pem\"\nprivate_key = \"LITERAL-KEY-TEXT\"",
        "",
    );
    let command = probe_as_curl_over(
        &api_call("https://api.example.com/orders"),
        &CurlTransport::for_profile(&profile),
        REVEAL_TOKEN,
    );
    assert!(!command.contains("LITERAL-KEY-TEXT"), "{command}");
    assert!(command.contains("--key \"$CLIENT_KEY_FILE\""), "{command}");
    // A relative file: path is read from the working directory: the command names it whole.
    let cwd = std::env::current_dir().expect("cwd").join("c.pem");
    assert!(command.contains(&format!("--cert '{}'", escape_cert(&cwd.display().to_string()))), "{command}");
}

#[test]
fn insecure_is_k_with_a_warning() {
    let profile = profile("secret = \"s\"", "[tls]\ninsecure = true");
    let command = probe_as_curl_over(
        &api_call("https://api.example.com/orders"),
        &CurlTransport::for_profile(&profile),
        REVEAL_TOKEN,
    );
    insta::assert_snapshot!(command);
}

#[test]
fn plain_http_gets_no_tls_options() {
    let command = probe_as_curl_over(
        &api_call("http://127.0.0.1:4455/api/protected"),
        &CurlTransport::for_profile(&mtls_profile()),
        REVEAL_TOKEN,
    );
    assert_eq!(
        command,
        "curl -sS -X GET 'http://127.0.0.1:4455/api/protected' \\\n  -H 'Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'"
    );
}

#[test]
fn a_colon_in_the_certificate_path_is_escaped_for_curl() {
    assert_eq!(escape_cert(r"/certs/a:b\c.pem"), r"/certs/a\:b\\c.pem");
}

#[test]
fn dpop_api_call_reads_a_fresh_proof_and_sends_the_token_as_dpop() {
    let profile = profile("secret = \"s\"", "[dpop]\nalg = \"ES256\"");
    let transport = CurlTransport::for_profile(&profile).with_dpop_report(Some(&dpop_report(Some("rs-1"))), true);
    let command =
        probe_as_curl_over(&api_call("https://API.example.com:443/orders?page=2"), &transport, CurlOptions::default());
    assert!(!command.contains("c2lnbmF0dXJl"), "{command}");
    insta::assert_snapshot!(command);
}

#[test]
fn dpop_with_a_key_file_says_which_key_signs() {
    let profile = profile("secret = \"s\"", "[dpop]\nalg = \"ES256\"\nprivate_key = \"file:/etc/tokdbg/dpop.pem\"");
    let transport = CurlTransport::for_profile(&profile).with_dpop_report(Some(&dpop_report(None)), true);
    let command = probe_as_curl_over(&api_call("http://127.0.0.1:4455/api/dpop/orders"), &transport, REVEAL_TOKEN);
    insta::assert_snapshot!(command);
}

#[test]
fn a_baseline_without_a_token_carries_no_proof() {
    let profile = profile("secret = \"s\"", "[dpop]\nalg = \"ES256\"");
    let mut request = api_call("http://127.0.0.1:4455/api/dpop/orders");
    request.token = None;
    let command = probe_as_curl_over(&request, &CurlTransport::for_profile(&profile), REVEAL_TOKEN);
    assert_eq!(command, "curl -sS -X GET 'http://127.0.0.1:4455/api/dpop/orders'");
}

#[test]
fn dpop_token_request_carries_a_proof_for_post_to_the_token_endpoint() {
    let profile = profile("auth_method = \"client_secret_post\"\nsecret = \"s\"", "[dpop]\nalg = \"ES256\"");
    let command = token_request_as_curl_over(
        &token_request(&profile, Credentials::secret(Secret::new("s3cret"))),
        &CurlTransport::for_profile(&profile),
        CurlOptions::default(),
    );
    assert!(!command.contains("s3cret"), "{command}");
    insta::assert_snapshot!(command);
}

#[test]
fn private_key_jwt_says_how_to_sign_a_fresh_assertion() {
    let profile = profile(
        "auth_method = \"private_key_jwt\"\nprivate_key = \"file:/etc/tokdbg/client.key\"\nkey_id = \"k1\"",
        "",
    );
    let credentials = Credentials { private_key: Some(Secret::new(EC_KEY)), ..Credentials::default() };
    let command = token_request_as_curl_over(
        &token_request(&profile, credentials),
        &CurlTransport::for_profile(&profile),
        CurlOptions::default(),
    );
    assert!(!command.contains("eyJ") && !command.contains("PRIVATE KEY"), "{command}");
    insta::assert_snapshot!(command);
}

#[test]
fn a_public_client_sends_only_its_id() {
    let profile = profile("auth_method = \"none\"\nscopes = [\"order:read\"]", "");
    let command = token_request_as_curl_over(
        &token_request(&profile, Credentials::default()),
        &CurlTransport::for_profile(&profile),
        CurlOptions { reveal_token: true, reveal_secret: true },
    );
    insta::assert_snapshot!(command);
}

#[test]
fn a_line_break_in_quoted_text_cannot_start_a_command() {
    let profile = profile("auth_method = \"client_secret_jwt\"\nsecret = \"s\"", "");
    let mut request =
        token_request(&profile, Credentials::secret(Secret::new("a-long-shared-secret-for-hs256-signing")));
    request.client_id = "app\nrm -rf ~".into();
    let command = token_request_as_curl_over(&request, &CurlTransport::default(), CurlOptions::default());
    // Every line before the command is a comment (the id's line break inside the quoted form
    // field is data there).
    assert!(
        command.lines().take_while(|line| !line.starts_with("curl ")).all(|line| line.starts_with('#')),
        "{command}"
    );
    assert!(command.contains(r"app\nrm -rf ~"), "{command}");
}
