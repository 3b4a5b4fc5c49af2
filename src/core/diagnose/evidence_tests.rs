//! The rules of evidence on `Facts` alone (no network): which finding is primary when the
//! server names a cause, names none, fails with a 5xx, or is the only witness.

use crate::core::diagnose::{Facts, Verdict, diagnose};
use crate::core::findings::{Code, Finding};
use crate::core::model::profile::Profile;
use crate::core::probe::ProbeResponse;
use crate::core::probe::www_authenticate::bearer;
use crate::core::server_message::{ServerVerdict, interpret_answer};
use crate::core::token::info::{TokenInfo, TokenSource};
use crate::core::token::verify::{Check, CheckName, JwksAccess, Verification};

/// RS256, kid k1, iss https://issuer.test, aud api, scope order:read, exp 2100 (unsigned).
const JWT: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0.eyJpc3MiOiJodHRwczovL2lzc3Vlci50ZXN0IiwiYXVkIjoiYXBpIiwic2NvcGUiOiJvcmRlcjpyZWFkIiwiZXhwIjo0MTAyNDQ0ODAwfQ.c2ln";
const AT: i64 = 1_700_000_000;

fn response(status: u16, challenge: Option<&str>, body: &str) -> ProbeResponse {
    let www_authenticate: Vec<String> = challenge.map(str::to_owned).into_iter().collect();
    ProbeResponse {
        status,
        latency_ms: 1.0,
        headers: vec![],
        body: body.to_owned(),
        body_json: serde_json::from_str(body).ok(),
        truncated: false,
        content_type: "application/json".to_owned(),
        bearer: bearer(&www_authenticate),
        www_authenticate,
        final_url: "http://127.0.0.1/api".to_owned(),
        unfollowed_redirect: None,
    }
}

fn read(response: &ProbeResponse, had_token: bool) -> ServerVerdict {
    interpret_answer(response.status, response.bearer.as_ref(), &response.headers, &response.body, had_token)
}

fn verification(checks: Vec<Check>) -> Verification {
    Verification {
        valid: checks.iter().all(|c| c.status != crate::core::token::verify::CheckStatus::Fail),
        checks,
        key: None,
        jwks_error: None,
        jwks_error_kind: None,
        available_kids: vec![],
        jwks_refetched: false,
        jwks_access: JwksAccess::NotUsed,
    }
}

fn passing(name: CheckName) -> Check {
    Check::pass(name, None, None, "ok")
}

/// Every check passes, but alg fails (an HS256 token at an RS256 API).
fn alg_failed() -> Verification {
    let mut checks: Vec<Check> = [CheckName::Key, CheckName::Signature, CheckName::Exp, CheckName::Iss, CheckName::Aud]
        .into_iter()
        .map(passing)
        .collect();
    checks.insert(
        0,
        Check::fail(CheckName::Alg, Code::AlgNotAllowed, Some("RS256".into()), Some("HS256".into()), "not allowed"),
    );
    verification(checks)
}

fn all_passed() -> Verification {
    verification(
        [CheckName::Alg, CheckName::Key, CheckName::Signature, CheckName::Exp, CheckName::Iss, CheckName::Aud]
            .into_iter()
            .map(passing)
            .collect(),
    )
}

fn primary(findings: &[Finding]) -> &Finding {
    findings.first().expect("a finding")
}

fn codes(findings: &[Finding]) -> Vec<Code> {
    findings.iter().map(|f| f.code).collect()
}

/// Diagnoses a JWT call whose verification is `verification`, answered by `response`.
fn with_token(verification: &Verification, response: &ProbeResponse) -> Vec<Finding> {
    let profile = Profile::default();
    let token = TokenInfo::describe(TokenSource::Given, JWT, "scope", AT);
    let server = read(response, true);
    let facts = Facts {
        token: Some(&token),
        verification: Some(verification),
        response: Some(response),
        server: Some(&server),
        ..Facts::new(&profile, AT)
    };
    let diagnosis = diagnose(&facts);
    assert_eq!(diagnosis.verdict, Verdict::Denied);
    diagnosis.findings
}

#[test]
fn a_witness_naming_no_cause_never_outranks_a_failed_local_check() {
    let authlib = "The access token provided is expired, revoked, malformed, or invalid for other reasons.";
    let header = format!(r#"Bearer error="invalid_token", error_description="{authlib}""#);
    let cases = [
        response(401, None, ""),
        response(403, None, ""),
        response(401, Some(&header), ""),
        response(401, None, r#"{"detail":"Could not validate credentials"}"#),
    ];
    for response in &cases {
        let findings = with_token(&alg_failed(), response);
        let first = primary(&findings);
        assert_eq!(first.code, Code::AlgNotAllowed, "{} {}: {first:?}", response.status, response.body);
        assert!(first.message.contains(&format!("answered {}", response.status)), "{}", first.message);
        assert!(!codes(&findings).contains(&Code::ServerRejected), "{:?}", codes(&findings));
    }
}

#[test]
fn server_rejected_is_primary_only_when_every_check_ran_and_passed() {
    let findings = with_token(&all_passed(), &response(401, None, ""));
    assert_eq!(primary(&findings).code, Code::ServerRejected);
    assert!(primary(&findings).message.contains("passes every local check"), "{}", primary(&findings).message);

    // iss and aud skipped (no expectation): not "every local check", and the skipped are named.
    let mut skipped = all_passed();
    for check in skipped.checks.iter_mut().filter(|c| matches!(c.name, CheckName::Iss | CheckName::Aud)) {
        *check = Check::skip(check.name, None, "no expectation");
    }
    let findings = with_token(&skipped, &response(401, None, ""));
    let message = &primary(&findings).message;
    assert_eq!(primary(&findings).code, Code::ServerRejected);
    assert!(!message.contains("every local check"), "{message}");
    assert!(message.contains("not checked: iss, aud"), "{message}");
}

#[test]
fn a_5xx_naming_a_verification_failure_is_that_failure_then_server_error() {
    let get_jwks = r#"{"code":"JWK_NOT_FOUND","message":"No matching JWK found in the set."}"#;
    let kid_failed = verification(vec![
        passing(CheckName::Alg),
        Check::fail(CheckName::Key, Code::KidNotFound, None, Some("k1".into()), "no key"),
    ]);
    let findings = with_token(&kid_failed, &response(500, None, get_jwks));
    assert_eq!(codes(&findings)[..2], [Code::KidNotFound, Code::ServerError], "{findings:?}");
    // A bare 5xx stays the server's own failure.
    let findings = with_token(&kid_failed, &response(500, None, "Internal Server Error"));
    assert_eq!(primary(&findings).code, Code::ServerError);
}

#[test]
fn a_message_naming_a_claim_maps_to_that_claim() {
    let aud_failed = verification(vec![
        passing(CheckName::Alg),
        passing(CheckName::Signature),
        Check::fail(CheckName::Aud, Code::AudienceMismatch, Some("orders".into()), Some("api".into()), "wrong"),
    ]);
    let aud = r#"Bearer error="invalid_token", error_description="Unexpected 'aud' value""#;
    let findings = with_token(&aud_failed, &response(401, Some(aud), ""));
    assert_eq!(primary(&findings).code, Code::AudienceMismatch);
    assert!(primary(&findings).message.contains("the API agrees"), "{}", primary(&findings).message);

    // The profile does not check aud: the server's word is trusted, with the value it expects.
    let mut unchecked = all_passed();
    for check in unchecked.checks.iter_mut().filter(|c| c.name == CheckName::Aud) {
        *check = Check::skip(CheckName::Aud, None, "no expectation");
    }
    let said = r#"{"message":"jwt audience invalid. expected: orders"}"#;
    let findings = with_token(&unchecked, &response(401, None, said));
    assert_eq!(primary(&findings).code, Code::AudienceMismatch, "{findings:?}");
    assert_eq!(primary(&findings).evidence.expected.as_deref(), Some("orders"));

    // The API reads scopes from a claim the token lacks.
    let missing = r#"Bearer error="invalid_token", error_description="Missing 'permissions' claim""#;
    let findings = with_token(&all_passed(), &response(401, Some(missing), ""));
    assert_eq!(primary(&findings).code, Code::ScopeClaimMismatch, "{findings:?}");
    assert!(primary(&findings).message.contains("\"permissions\""), "{}", primary(&findings).message);
    let fastapi = r#"{"detail":"No claim \"permissions\" found in token"}"#;
    assert_eq!(primary(&with_token(&all_passed(), &response(403, None, fastapi))).code, Code::ScopeClaimMismatch);
}

#[test]
fn a_refusal_of_a_request_without_a_token_is_token_missing() {
    let profile = Profile::default();
    for response in
        [response(403, None, r#"{"detail":"Not authenticated"}"#), response(401, None, ""), response(403, None, "")]
    {
        let server = read(&response, false);
        let facts =
            Facts { baseline: true, response: Some(&response), server: Some(&server), ..Facts::new(&profile, AT) };
        let diagnosis = diagnose(&facts);
        assert_eq!(primary(&diagnosis.findings).code, Code::TokenMissing, "{} {}", response.status, response.body);
    }
}

#[test]
fn an_opaque_token_trusts_a_clear_server_message_and_never_passes_every_check() {
    let profile = Profile::default();
    let token = TokenInfo::describe(TokenSource::Given, "2YotnFZFEjr1zCsicMWpAA", "scope", AT);
    let expired = r#"Bearer error="invalid_token", error_description="The access token has expired.""#;
    let answer = response(401, Some(expired), "");
    let server = read(&answer, true);
    let facts =
        Facts { token: Some(&token), response: Some(&answer), server: Some(&server), ..Facts::new(&profile, AT) };
    let findings = diagnose(&facts).findings;
    assert_eq!(primary(&findings).code, Code::Expired, "{findings:?}");
    assert!(!primary(&findings).message.contains("still valid"), "{}", primary(&findings).message);
    for finding in &findings {
        assert!(!finding.message.contains("every local check"), "{}", finding.message);
    }
}

#[test]
fn an_opaque_token_scope_gap_comes_from_the_token_response() {
    use crate::core::model::profile::ScopeMatch;
    let profile = Profile::default();
    let token = TokenInfo::describe(TokenSource::Given, "2YotnFZFEjr1zCsicMWpAA", "scope", AT);
    let gap = crate::core::token::scopes::scope_gap(&["order:write".into()], &["order:read".into()], ScopeMatch::All);
    let answer = response(403, None, "");
    let server = read(&answer, true);
    let facts = Facts {
        token: Some(&token),
        scope_gap: Some(&gap),
        response: Some(&answer),
        server: Some(&server),
        ..Facts::new(&profile, AT)
    };
    let findings = diagnose(&facts).findings;
    assert_eq!(primary(&findings).code, Code::ScopeMissing, "{findings:?}");
}

#[test]
fn keycloak_invalid_client_secret_is_invalid_client_not_grant_not_enabled() {
    use crate::core::oauth::request::RequestView;
    use crate::core::oauth::token_request::{TokenError, TokenRequestReport};
    let report = |description: &str| TokenRequestReport {
        request: RequestView {
            method: "POST".into(),
            url: "http://127.0.0.1/token".into(),
            headers: vec![],
            form: vec![],
        },
        status: Some(401),
        response: None,
        error: None,
        oauth_error: Some("unauthorized_client".into()),
        rejected_scope: None,
        notes: vec![],
        latency_ms: 1.0,
        error_kind: Some(TokenError::OAuth {
            status: 401,
            error: "unauthorized_client".into(),
            description: Some(description.into()),
            uri: None,
            raw_body: String::new(),
        }),
        assertion: None,
        client_certificate: None,
    };
    let profile = Profile::default();
    let codes_for = |description: &str| {
        let request = report(description);
        let facts = Facts { token_request: Some(&request), ..Facts::new(&profile, AT) };
        codes(&diagnose(&facts).findings)
    };
    assert_eq!(codes_for("Invalid client secret")[0], Code::InvalidClient);
    assert_eq!(codes_for("Invalid client or Invalid client credentials")[0], Code::InvalidClient);
    assert_eq!(codes_for("Client not enabled to retrieve service account")[0], Code::UnauthorizedClient);
}
