//! Every token-endpoint answer under `tests/fixtures/issuers/<vendor>/*.http`, read as a named
//! case: the issuer's product it is told to be, and the finding tokdbg makes of it.
//!
//! A fixture is a raw HTTP response after a few `# key: value` lines:
//!
//! * `# vendor:` the product detected (`IssuerVendor::id`, `unknown` for none);
//! * `# code:` the code of the first finding;
//! * `# issuer:` the profile's issuer URL (the token endpoint is `<issuer>/token`);
//! * `# note:` where the answer comes from (captured, or a source or docs URL); not checked.
//!
//! The fix must speak the detected product's words (name it) and no other product's.
//! Run one case with `cargo test --test main issuer_messages::<vendor>_<file stem>`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rstest::rstest;
use tokdbg::core::diagnose::{Facts, token_fetch_findings};
use tokdbg::core::issuers::{Clues, IssuerVendor};
use tokdbg::core::model::profile::Profile;
use tokdbg::core::net::http::HttpResponse;
use tokdbg::core::oauth::token_request::{RequestView, TokenRequestReport, parse_token_response};

const VENDORS: [IssuerVendor; 7] = [
    IssuerVendor::OidcProvider,
    IssuerVendor::Keycloak,
    IssuerVendor::Auth0,
    IssuerVendor::Okta,
    IssuerVendor::EntraId,
    IssuerVendor::Authing,
    IssuerVendor::Glewlwyd,
];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/issuers")
}

/// The `# key: value` lines and the answer they describe.
fn parse(text: &str) -> (Vec<(String, String)>, HttpResponse) {
    let mut expect = Vec::new();
    let mut rest = text;
    while let Some(line) = rest.strip_prefix("# ") {
        let (line, after) = line.split_once('\n').unwrap_or((line, ""));
        rest = after;
        let (key, value) = line.split_once(": ").unwrap_or_else(|| panic!("not `# key: value`: {line:?}"));
        expect.push((key.to_owned(), value.trim_end().to_owned()));
    }
    let (head, body) = rest.split_once("\n\n").expect("a blank line after the headers");
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let response = HttpResponse {
        status,
        headers,
        body: body.as_bytes().to_vec(),
        truncated: false,
        latency: Duration::ZERO,
        final_url: String::new(),
    };
    (expect, response)
}

#[rstest]
#[case::auth0_grant_not_allowed("auth0/grant_not_allowed.http")]
#[case::auth0_scopes_not_granted("auth0/scopes_not_granted.http")]
#[case::auth0_service_not_enabled("auth0/service_not_enabled.http")]
#[case::auth0_unauthorized("auth0/unauthorized.http")]
#[case::authing_rejected_scope("authing/rejected_scope.http")]
#[case::entra_id_aadsts500011_resource_not_found("entra_id/aadsts500011_resource_not_found.http")]
#[case::entra_id_aadsts700016_app_not_found("entra_id/aadsts700016_app_not_found.http")]
#[case::entra_id_aadsts7000215_invalid_secret("entra_id/aadsts7000215_invalid_secret.http")]
#[case::entra_id_aadsts70011_invalid_scope("entra_id/aadsts70011_invalid_scope.http")]
#[case::glewlwyd_authorization_type_invalid("glewlwyd/authorization_type_invalid.http")]
#[case::glewlwyd_bare_403_wrong_auth_method("glewlwyd/bare_403_wrong_auth_method.http")]
#[case::glewlwyd_scope_invalid("glewlwyd/scope_invalid.http")]
#[case::keycloak_invalid_client_credentials("keycloak/invalid_client_credentials.http")]
#[case::keycloak_invalid_client_secret_legacy("keycloak/invalid_client_secret_legacy.http")]
#[case::keycloak_no_service_account("keycloak/no_service_account.http")]
#[case::oidc_provider_grant_not_allowed("oidc_provider/grant_not_allowed.http")]
#[case::oidc_provider_scope_not_allowed("oidc_provider/scope_not_allowed.http")]
#[case::oidc_provider_unknown_resource("oidc_provider/unknown_resource.http")]
#[case::oidc_provider_wrong_secret("oidc_provider/wrong_secret.http")]
#[case::okta_client_auth_failed("okta/client_auth_failed.http")]
#[case::okta_grant_not_authorized("okta/grant_not_authorized.http")]
#[case::okta_invalid_client_id_own_shape("okta/invalid_client_id_own_shape.http")]
#[case::okta_scopes_not_configured("okta/scopes_not_configured.http")]
fn issuer_answer(#[case] path: &str) {
    let text = std::fs::read_to_string(fixtures_dir().join(path)).expect("fixture");
    let (expect, response) = parse(&text);
    let want = |key: &str| {
        expect.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("{path}: no # {key}"))
    };
    let issuer = want("issuer");
    let token_endpoint = format!("{}/token", issuer.trim_end_matches('/'));

    let profile: Profile = toml::from_str(&format!(
        "[issuer]\nurl = \"{issuer}\"\n[client]\nid = \"orders-m2m\"\nsecret = \"s\"\nscopes = [\"order:read\"]\n"
    ))
    .expect("profile");
    let answer = parse_token_response(&response);
    let report = TokenRequestReport {
        request: RequestView { method: "POST".into(), url: token_endpoint.clone(), headers: vec![], form: vec![] },
        status: Some(response.status),
        response: None,
        error: answer.as_ref().err().map(|e| e.to_string()),
        oauth_error: answer.as_ref().err().and_then(|e| e.oauth_error()).map(str::to_owned),
        rejected_scope: answer.as_ref().ok().and_then(|t| t.rejected_scope.clone()),
        notes: vec![],
        latency_ms: 0.0,
        error_kind: answer.as_ref().err().cloned(),
        assertion: None,
        client_certificate: None,
    };

    let clues = Clues { urls: vec![issuer, &token_endpoint], document: None, error: report.error_kind.as_ref() };
    let vendor = IssuerVendor::detect(&clues);
    assert_eq!(vendor.id(), want("vendor"), "{path}: detected vendor");

    let facts = Facts { token_request: Some(&report), ..Facts::new(&profile, 0) };
    let findings = token_fetch_findings(&facts);
    let first = findings.first().unwrap_or_else(|| panic!("{path}: no finding"));
    assert_eq!(first.code.as_str(), want("code"), "{path}: {}", first.message);
    assert!(first.fix.contains(vendor.name()), "{path}: the fix names no {}: {}", vendor.name(), first.fix);
    for other in VENDORS.into_iter().filter(|v| *v != vendor) {
        assert!(
            !first.fix.contains(other.name()),
            "{path}: {} words in {}'s fix: {}",
            other.name(),
            vendor.name(),
            first.fix
        );
    }
}

/// A fixture nobody listed above would never run: every file must be a case.
#[test]
fn every_issuer_fixture_file_is_a_case() {
    let listed = include_str!("issuer_messages.rs");
    let mut files = 0;
    for dir in std::fs::read_dir(fixtures_dir()).into_iter().flatten().flatten() {
        for file in std::fs::read_dir(dir.path()).into_iter().flatten().flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            let Some(stem) = name.strip_suffix(".http") else { continue };
            files += 1;
            let vendor = dir.file_name().to_string_lossy().into_owned();
            let case = format!("#[case::{vendor}_{stem}(\"{vendor}/{name}\")]");
            assert!(listed.contains(&case), "add {case} to tests/issuer_messages.rs");
        }
    }
    assert!(files > 0, "no fixtures under {}", fixtures_dir().display());
}
