use base64::Engine as _;

use super::*;
use crate::core::draft::curl_import::parse_command;
use crate::core::model::profile::{AuthMethod, Profile, SecretSource};

fn import(command: &str, options: &ImportOptions) -> Draft {
    draft(&parse_command(command).unwrap(), options)
}

/// The draft loads as a profile (what `--write` then `profiles list` rely on).
fn loads(draft: &Draft) -> Profile {
    crate::core::store::profile_store::parse_profile(&draft.profile_toml, "draft.toml")
        .unwrap_or_else(|e| panic!("{e}\n{}", draft.profile_toml))
}

fn jwt(claims: &str) -> String {
    let b64 = |text: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
    format!("{}.{}.c2lnbmF0dXJlLXNlY3JldA", b64(r#"{"alg":"RS256","typ":"JWT"}"#), b64(claims))
}

#[test]
fn a_basic_token_request_becomes_a_client_with_a_prompted_secret() {
    let draft = import(
        "curl -X POST 'https://demo.authing.cn/oidc/token' -u 'app1:s3cr3t-value' \
         -d 'grant_type=client_credentials&scope=order:read order:write'",
        &ImportOptions::default(),
    );
    let profile = loads(&draft);
    let client = profile.client.unwrap();
    assert_eq!(client.id, "app1");
    assert_eq!(client.auth_method, AuthMethod::ClientSecretBasic);
    assert_eq!(client.secret, Some(SecretSource::Prompt));
    assert_eq!(client.scopes, ["order:read", "order:write"]);
    assert_eq!(profile.issuer.token_endpoint.as_deref(), Some("https://demo.authing.cn/oidc/token"));
    assert_eq!(profile.issuer.url.as_deref(), Some("https://demo.authing.cn/oidc"));
    assert!(!draft.profile_toml.contains("s3cr3t") && !format!("{draft:?}").contains("s3cr3t"));
    assert!(draft.notes.iter().any(|n| n.contains("not written")), "{:?}", draft.notes);
}

#[test]
fn a_posted_secret_from_a_variable_is_read_from_that_variable() {
    let draft = import(
        "curl https://kc.example/realms/x/protocol/openid-connect/token -d grant_type=client_credentials \
         -d client_id=svc -d \"client_secret=$SVC_SECRET\" -d audience=orders -d foo=bar",
        &ImportOptions::default(),
    );
    let profile = loads(&draft);
    let client = profile.client.unwrap();
    assert_eq!(client.auth_method, AuthMethod::ClientSecretPost);
    assert_eq!(client.secret, Some(SecretSource::Env("SVC_SECRET".into())));
    assert_eq!(client.audience.as_deref(), Some("orders"));
    assert_eq!(client.extra.get("foo").map(String::as_str), Some("bar"));
    assert_eq!(profile.issuer.url.as_deref(), Some("https://kc.example/realms/x"));
}

#[test]
fn env_placement_replaces_a_literal_secret_with_an_env_source() {
    let options = ImportOptions { secret: SecretPlacement::Env, ..Default::default() };
    let draft = import("curl https://as.example/token -u app:pw -d grant_type=client_credentials", &options);
    let client = loads(&draft).client.unwrap();
    assert_eq!(client.secret, Some(SecretSource::Env(crate::core::draft::SECRET_ENV.into())));
}

#[test]
fn a_client_assertion_makes_a_private_key_jwt_client_and_is_not_written() {
    let assertion = jwt(r#"{"iss":"svc","sub":"svc","aud":"https://as.example/token"}"#);
    let command = format!(
        "curl https://as.example/token -d grant_type=client_credentials -d client_id=svc \
         -d client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer -d client_assertion={assertion}"
    );
    let draft = import(&command, &ImportOptions::default());
    let client = loads(&draft).client.unwrap();
    assert_eq!(client.auth_method, AuthMethod::PrivateKeyJwt);
    assert!(client.private_key.is_some());
    assert!(!draft.profile_toml.contains("c2lnbmF0dXJl"), "{}", draft.profile_toml);
    assert!(draft.profile_toml.contains("FILL IN"), "{}", draft.profile_toml);
}

#[test]
fn an_api_call_takes_issuer_audience_and_client_from_its_token_and_drops_the_token() {
    let token = jwt(r#"{"iss":"https://as.example/oidc","aud":"orders-api","client_id":"app1","scope":"order:read"}"#);
    let command = format!(
        "curl 'https://api.example/v1/orders?x=1' -H 'Authorization: Bearer {token}' -H 'Accept: application/json' \
         -H 'X-Api-Key: k-123'"
    );
    let draft = import(&command, &ImportOptions::default());
    let profile = loads(&draft);
    assert_eq!(profile.issuer.url.as_deref(), Some("https://as.example/oidc"));
    assert_eq!(profile.expect.audience, ["orders-api"]);
    assert_eq!(profile.expect.algorithms, ["RS256"]);
    assert_eq!(profile.client.as_ref().map(|c| c.id.as_str()), Some("app1"));
    let endpoint = &profile.endpoints[0];
    assert_eq!((endpoint.method.as_str(), endpoint.url.as_str()), ("GET", "https://api.example/v1/orders?x=1"));
    assert_eq!(endpoint.headers.get("Accept").map(String::as_str), Some("application/json"));
    assert!(!draft.profile_toml.contains(&token) && !draft.profile_toml.contains("k-123"), "{}", draft.profile_toml);
    assert!(draft.sources.iter().any(|s| s.field == "issuer.url" && s.source.contains("not verified")));
}

#[test]
fn an_api_call_without_a_token_leaves_the_client_to_fill_in_and_still_loads() {
    let draft = import("curl -X POST https://api.example/orders --json '{\"item\":1}'", &ImportOptions::default());
    let profile = loads(&draft);
    assert_eq!(profile.endpoints[0].body.as_deref(), Some("{\"item\":1}"));
    assert_eq!(profile.client.as_ref().map(|c| c.id.as_str()), Some(""));
    assert!(profile.warnings().iter().any(|w| w.contains("client.id")), "{:?}", profile.warnings());
}

#[test]
fn tls_options_become_the_tls_table_with_absolute_paths() {
    let options = ImportOptions { cwd: Some("/work/dir".into()), ..Default::default() };
    let draft = import(
        "curl -k --cacert certs/ca.pem --cert me.pem --key /keys/me.key https://as.example/token -d grant_type=client_credentials -d client_id=svc",
        &options,
    );
    let profile = loads(&draft);
    assert_eq!(profile.tls.ca_file.as_deref(), Some("/work/dir/certs/ca.pem"));
    assert!(profile.tls.insecure);
    let client = profile.client.unwrap();
    assert_eq!(client.auth_method, AuthMethod::TlsClientAuth);
    assert_eq!(client.certificate, Some(SecretSource::File("/work/dir/me.pem".into())));
    assert_eq!(client.private_key, Some(SecretSource::File("/keys/me.key".into())));
}
