//! The rules of evidence over real HTTP: demo-issued tokens sent to small loopback APIs that
//! answer as real stacks do (a bare 401, Authlib's catch-all sentence, get-jwks' 500, FastAPI's
//! HTTPBearer), and the primary finding each call ends with.

use crate::support::*;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::any;
use jsonwebtoken::Algorithm;
use tokdbg::core::diagnose::Verdict;
use tokdbg::core::engine::{CallReport, TokenChoice};
use tokdbg::core::findings::Code;
use tokdbg::core::model::secret::Secret;
use tokdbg::demo::{DemoKey, DemoServer, sign_token};

/// An API at `/api` that answers every request with `status`, an optional Bearer challenge and a JSON body.
async fn api_answering(status: u16, challenge: Option<&'static str>, body: &'static str) -> Result<String, BoxError> {
    let status = StatusCode::from_u16(status)?;
    let router = Router::new().route(
        "/api",
        any(move || async move {
            let mut response = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
            if let Some(challenge) = challenge {
                response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static(challenge));
            }
            response
        }),
    );
    Ok(format!("{}/api", serve(router).await?))
}

/// The demo-reader profile's "read orders" call, sent to `api` with `token`.
async fn call_api(server: &DemoServer, api: &str, token: TokenChoice) -> Result<CallReport, BoxError> {
    let mut profile = demo_profile(server, "demo-reader")?;
    for endpoint in profile.endpoints.iter_mut().filter(|e| e.name == "read orders") {
        endpoint.url = api.to_owned();
    }
    Ok(engine().call(spec_with("demo-reader", &profile, "read orders", token)?, None).await)
}

fn given(token: String) -> TokenChoice {
    TokenChoice::Given(Secret::new(token))
}

/// ES256 at an API (and profile) that accept RS256 only.
fn es256_token(server: &DemoServer) -> String {
    sign_token(&good_claims(server), Algorithm::ES256, DemoKey::Ec256, Some("demo-ec-1"))
}

#[tokio::test]
async fn a_bare_401_does_not_outrank_a_failed_alg_check() -> TestResult {
    let server = start_demo().await?;
    let api = api_answering(401, Some("Bearer"), "").await?;
    let report = call_api(&server, &api, given(es256_token(&server))).await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(primary(&report).code, Code::AlgNotAllowed, "{s}");
    assert!(finding(&report, Code::ServerRejected).is_none(), "{s}");
    Ok(())
}

#[tokio::test]
async fn authlibs_catch_all_sentence_does_not_outrank_a_failed_alg_check() -> TestResult {
    let server = start_demo().await?;
    let challenge = "Bearer error=\"invalid_token\", error_description=\"The access token provided is expired, revoked, malformed, or invalid for other reasons.\"";
    let api = api_answering(401, Some(challenge), r#"{"error":"invalid_token"}"#).await?;
    let report = call_api(&server, &api, given(es256_token(&server))).await?;
    let s = summary(&report);
    assert_eq!(primary(&report).code, Code::AlgNotAllowed, "{s}");
    assert!(primary(&report).message.contains("without naming the cause"), "{s}");
    assert!(finding(&report, Code::Expired).is_none() && finding(&report, Code::ServerRejected).is_none(), "{s}");
    Ok(())
}

#[tokio::test]
async fn get_jwks_500_for_an_unknown_kid_is_kid_not_found_then_server_error() -> TestResult {
    let server = start_demo().await?;
    let api =
        api_answering(500, None, r#"{"code":"JWK_NOT_FOUND","message":"No matching JWK found in the set."}"#).await?;
    let token = sign_token(&good_claims(&server), Algorithm::RS256, DemoKey::RsaStranger, Some("demo-rsa-old"));
    let report = call_api(&server, &api, given(token)).await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    let codes: Vec<Code> = report.findings.iter().map(|f| f.code).collect();
    assert_eq!(codes[..2], [Code::KidNotFound, Code::ServerError], "{s}");
    assert_eq!(report.server.as_ref().and_then(|v| v.dialect.as_ref()).map(|d| d.as_str()), Some("fastify_jwt"));
    Ok(())
}

#[tokio::test]
async fn fastapi_403_not_authenticated_to_no_token_is_token_missing() -> TestResult {
    let server = start_demo().await?;
    let api = api_answering(403, None, r#"{"detail":"Not authenticated"}"#).await?;
    let report = call_api(&server, &api, TokenChoice::None).await?;
    let s = summary(&report);
    assert_eq!(primary(&report).code, Code::TokenMissing, "{s}");
    Ok(())
}

#[tokio::test]
async fn a_bare_401_to_a_token_that_passes_every_check_is_server_rejected() -> TestResult {
    let server = start_demo().await?;
    let api = api_answering(401, None, "").await?;
    let token = sign_token(&good_claims(&server), Algorithm::RS256, DemoKey::Rsa1, Some("demo-rsa-1"));
    let report = call_api(&server, &api, given(token)).await?;
    let s = summary(&report);
    assert!(report.verification.as_ref().is_some_and(|v| v.valid), "{s}");
    assert_eq!(primary(&report).code, Code::ServerRejected, "{s}");
    assert!(primary(&report).message.contains("passes every local check"), "{s}");
    Ok(())
}
