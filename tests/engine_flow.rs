//! The whole call flow (discover → fetch → verify → scope gap → send → diagnose) over real
//! HTTP against the embedded demo on 127.0.0.1:0: every finding code of DESIGN §5 that can
//! arise on loopback, each client auth method, scope claim shapes, the token cache and
//! redaction of the report.

use crate::support::*;
use axum::Router;
use axum::http::header;
use axum::routing::post;
use jsonwebtoken::Algorithm;
use serde_json::json;
use tokdbg::core::diagnose::Verdict;
use tokdbg::core::engine::token_cache::{CachedToken, TokenCache};
use tokdbg::core::engine::{Engine, TokenChoice, TokenSource};
use tokdbg::core::findings::{Code, Severity};
use tokdbg::core::model::profile::{AuthMethod, Endpoint, ScopeMatch, SecretSource};
use tokdbg::core::model::secret::Secret;
use tokdbg::demo::{DemoKey, sign_token};

// ---------------------------------------------------------------------------------------
// ok

#[tokio::test]
async fn reader_reading_orders_is_allowed_with_the_single_finding_ok() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-reader", "read orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Allowed, "{s}");
    assert_eq!(primary(&report).code, Code::Ok, "{s}");
    assert_eq!(primary(&report).severity, Severity::Info, "{s}");
    assert_eq!(report.findings.len(), 1, "nothing else to say: {s}");
    assert_eq!(report.response.as_ref().map(|r| r.status), Some(200));
    assert_eq!(report.token.source, TokenSource::Fetched);
    assert_eq!(report.token.kid.as_deref(), Some("demo-rsa-1"));
    assert_eq!(report.token.scopes.as_deref(), Some(&["order:read".to_owned()][..]));
    assert!(report.verification.as_ref().is_some_and(|v| v.valid), "{s}");
    assert!(report.scope_gap.as_ref().is_some_and(|g| g.satisfied));
    assert!(report.discovery.as_ref().is_some_and(|d| d.ok));
    Ok(())
}

#[tokio::test]
async fn writer_creates_an_order_with_201() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-writer", "write orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Allowed, "{s}");
    assert_eq!(primary(&report).code, Code::Ok, "{s}");
    assert_eq!(report.response.as_ref().map(|r| r.status), Some(201));
    assert!(primary(&report).evidence.actual.as_deref() == Some("HTTP 201"), "{s}");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// token_request_failed

#[tokio::test]
async fn token_endpoint_pointing_at_a_get_only_api_route_is_token_request_failed() -> TestResult {
    let server = start_demo().await?;
    let mut profile = demo_profile(&server, "demo-reader")?;
    profile.issuer.token_endpoint = Some(format!("{}/api/public", server.base_url()));
    let report = engine().call(fetch_spec("demo-reader", &profile, "read orders")?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Error, "{s}");
    assert_eq!(primary(&report).code, Code::TokenRequestFailed, "{s}");
    assert!(primary(&report).message.contains("HTTP 405"), "{s}");
    assert!(primary(&report).fix.contains("not the token endpoint"), "{s}");
    assert!(report.response.is_none(), "no request without a token");
    assert!(!report.network_unreachable(), "the host answered");
    Ok(())
}

#[tokio::test]
async fn token_endpoint_at_a_missing_path_is_token_request_failed_with_the_404() -> TestResult {
    let server = start_demo().await?;
    let mut profile = demo_profile(&server, "demo-reader")?;
    profile.issuer.token_endpoint = Some(format!("{}/oauth2/token", server.base_url()));
    let report = engine().call(fetch_spec("demo-reader", &profile, "read orders")?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Error, "{s}");
    assert_eq!(primary(&report).code, Code::TokenRequestFailed, "{s}");
    assert!(primary(&report).message.contains("HTTP 404"), "{s}");
    assert!(primary(&report).evidence.actual.as_deref().is_some_and(|a| a.contains("Not Found")), "{s}");
    assert!(primary(&report).fix.contains("issuer.token_endpoint"), "{s}");
    assert_eq!(report.token_request.as_ref().and_then(|t| t.status), Some(404));
    assert_eq!(server.counters().token, 0);
    Ok(())
}

#[tokio::test]
async fn token_endpoint_answering_an_html_login_page_is_token_request_failed() -> TestResult {
    let server = start_demo().await?;
    let login = Router::new().route(
        "/login",
        post(|| async {
            (
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                "<!DOCTYPE html><html><body><h1>Sign in</h1><form></form></body></html>",
            )
        }),
    );
    let portal = serve(login).await?;
    let mut profile = demo_profile(&server, "demo-reader")?;
    profile.issuer.token_endpoint = Some(format!("{portal}/login"));
    let report = engine().call(fetch_spec("demo-reader", &profile, "read orders")?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Error, "{s}");
    assert_eq!(primary(&report).code, Code::TokenRequestFailed, "{s}");
    assert!(primary(&report).message.contains("HTML"), "{s}");
    assert!(primary(&report).evidence.actual.as_deref().is_some_and(|a| a.contains("Sign in")), "{s}");
    Ok(())
}

#[tokio::test]
async fn unreachable_token_endpoint_is_token_request_failed_and_a_network_condition() -> TestResult {
    let server = start_demo().await?;
    let mut profile = demo_profile(&server, "demo-reader")?;
    let port = closed_port()?;
    // Both URLs explicit: no discovery, so the token request is the first thing to fail.
    profile.issuer.token_endpoint = Some(format!("http://127.0.0.1:{port}/oidc/token"));
    profile.issuer.jwks_uri = Some(format!("{}/.well-known/jwks.json", server.issuer()));
    let report = engine().call(fetch_spec("demo-reader", &profile, "read orders")?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Error, "{s}");
    assert_eq!(primary(&report).code, Code::TokenRequestFailed, "{s}");
    assert!(primary(&report).message.contains("cannot be reached"), "{s}");
    assert!(primary(&report).evidence.expected.as_deref().is_some_and(|e| e.contains(&port.to_string())), "{s}");
    assert!(report.network_unreachable(), "exit code 3 territory");
    assert!(report.discovery.is_none());
    assert_eq!(server.counters().api, 0);
    Ok(())
}

// ---------------------------------------------------------------------------------------
// invalid_client, unauthorized_client, invalid_scope, invalid_target

#[tokio::test]
async fn wrong_secret_is_invalid_client_naming_the_client_id() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-wrong-secret", "read orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Error, "{s}");
    assert_eq!(primary(&report).code, Code::InvalidClient, "{s}");
    assert!(primary(&report).fix.contains("client.id (demo-reader)"), "{s}");
    assert!(primary(&report).evidence.actual.as_deref().is_some_and(|a| a.contains("HTTP 401")), "{s}");
    let request = report.token_request.as_ref().ok_or("no token request")?;
    assert_eq!(request.oauth_error.as_deref(), Some("invalid_client"));
    assert_eq!(request.status, Some(401));
    assert!(report.response.is_none());
    Ok(())
}

#[tokio::test]
async fn basic_only_client_posting_its_secret_is_invalid_client_with_the_auth_method_fix() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-basic-as-post", "read orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Error, "{s}");
    assert_eq!(primary(&report).code, Code::InvalidClient, "{s}");
    assert!(primary(&report).message.contains("client_secret_basic"), "{s}");
    assert!(primary(&report).fix.contains("client.auth_method = \"client_secret_basic\""), "{s}");
    Ok(())
}

#[tokio::test]
async fn grant_not_enabled_is_unauthorized_client() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-nogrant", "read orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Error, "{s}");
    assert_eq!(primary(&report).code, Code::UnauthorizedClient, "{s}");
    assert!(primary(&report).fix.contains("client_credentials"), "{s}");
    assert_eq!(report.token_request.as_ref().and_then(|t| t.status), Some(400));
    Ok(())
}

#[tokio::test]
async fn strict_issuer_rejecting_an_ungranted_scope_is_invalid_scope() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-strict-badscope", "read orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Error, "{s}");
    assert_eq!(primary(&report).code, Code::InvalidScope, "{s}");
    assert_eq!(primary(&report).severity, Severity::Error, "{s}");
    assert_eq!(primary(&report).evidence.actual.as_deref(), Some("requested: order:delete"), "{s}");
    assert!(primary(&report).message.contains("order:delete"), "{s}");
    Ok(())
}

#[tokio::test]
async fn authing_style_dropped_scope_warns_invalid_scope_behind_the_403_scope_missing() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-noscope", "read orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(report.response.as_ref().map(|r| r.status), Some(403));
    assert_eq!(primary(&report).code, Code::ScopeMissing, "{s}");
    assert!(primary(&report).message.contains("the API agrees"), "{s}");
    let rejected = finding(&report, Code::InvalidScope).ok_or("no invalid_scope warning")?;
    assert_eq!(rejected.severity, Severity::Warning, "{s}");
    assert_eq!(rejected.evidence.actual.as_deref(), Some("rejected_scope = \"order:read\""), "{s}");
    assert!(rejected.fix.contains("Grant order:read to client demo-noscope"), "{s}");
    assert_eq!(report.token_request.as_ref().and_then(|t| t.rejected_scope.as_deref()), Some("order:read"));
    Ok(())
}

#[tokio::test]
async fn unknown_audience_requested_is_invalid_target() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-bad-audience", "read orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Error, "{s}");
    assert_eq!(primary(&report).code, Code::InvalidTarget, "{s}");
    assert_eq!(primary(&report).evidence.actual.as_deref(), Some("https://wrong.example/api"), "{s}");
    assert!(primary(&report).fix.contains("client.audience"), "{s}");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// discovery_failed, jwks_unreachable

#[tokio::test]
async fn issuer_without_oidc_is_discovery_failed_with_the_path_hint() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-no-oidc", "read orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Error, "{s}");
    assert_eq!(primary(&report).code, Code::DiscoveryFailed, "{s}");
    assert!(primary(&report).fix.contains(&format!("{}/oidc", server.base_url())), "{s}");
    assert!(primary(&report).evidence.actual.as_deref().is_some_and(|a| a.contains("404")), "{s}");
    assert!(report.token_request.is_none() && report.response.is_none());
    assert!(!report.network_unreachable());
    Ok(())
}

#[tokio::test]
async fn jwks_uri_without_oidc_is_a_jwks_unreachable_warning_when_the_api_still_allows() -> TestResult {
    let server = start_demo().await?;
    let mut profile = demo_profile(&server, "demo-reader")?;
    profile.issuer.jwks_uri = Some(format!("{}/.well-known/jwks.json", server.base_url()));
    let report = engine().call(fetch_spec("demo-reader", &profile, "read orders")?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Allowed, "{s}");
    assert_eq!(primary(&report).code, Code::Ok, "{s}");
    let jwks = finding(&report, Code::JwksUnreachable).ok_or("no jwks_unreachable finding")?;
    assert_eq!(jwks.severity, Severity::Warning, "{s}");
    assert!(jwks.message.contains("404"), "{s}");
    assert!(jwks.fix.contains(&format!("{}/.well-known/jwks.json", server.issuer())), "the /oidc hint: {s}");
    let verification = report.verification.as_ref().ok_or("no verification")?;
    assert!(!verification.valid && verification.jwks_error.is_some());
    Ok(())
}

// ---------------------------------------------------------------------------------------
// token form: malformed_token, alg_not_allowed, alg_none

#[tokio::test]
async fn garbage_token_is_malformed_token_corroborated_by_jwt_malformed() -> TestResult {
    let server = start_demo().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let report = engine().call(given_spec("demo-reader", &profile, "read orders", "garbage.not-a-jwt")?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(report.response.as_ref().map(|r| r.status), Some(401));
    assert_eq!(primary(&report).code, Code::MalformedToken, "{s}");
    assert!(primary(&report).message.contains("jwt malformed"), "{s}");
    assert_eq!(report.token.source, TokenSource::Given);
    assert!(report.verification.is_none());
    Ok(())
}

#[tokio::test]
async fn opaque_token_is_malformed_token_with_the_introspection_fix() -> TestResult {
    let server = start_demo().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let report =
        engine().call(given_spec("demo-reader", &profile, "read orders", "2YotnFZFEjr1zCsicMWpAA")?, None).await;
    let s = summary(&report);
    assert_eq!(primary(&report).code, Code::MalformedToken, "{s}");
    assert!(primary(&report).message.contains("opaque"), "{s}");
    assert!(primary(&report).fix.contains("introspect"), "{s}");
    Ok(())
}

#[tokio::test]
async fn hs256_client_at_an_rs256_api_is_alg_not_allowed() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-hs256", "read orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(primary(&report).code, Code::AlgNotAllowed, "{s}");
    assert!(primary(&report).message.contains("HS256"), "{s}");
    assert!(primary(&report).message.contains("the API agrees"), "{s}");
    assert!(primary(&report).fix.contains("RS256"), "{s}");
    assert_eq!(primary(&report).evidence.actual.as_deref(), Some("HS256"), "{s}");
    Ok(())
}

#[tokio::test]
async fn unsigned_token_is_alg_none() -> TestResult {
    let server = start_demo().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let token = unsigned(&good_claims(&server));
    let report = engine().call(given_spec("demo-reader", &profile, "read orders", &token)?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(report.response.as_ref().map(|r| r.status), Some(401));
    assert_eq!(primary(&report).code, Code::AlgNone, "{s}");
    assert!(primary(&report).message.contains("unsigned"), "{s}");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// key and signature: kid_not_found, signature_invalid

#[tokio::test]
async fn unknown_kid_is_kid_not_found_listing_the_published_kids() -> TestResult {
    let server = start_demo().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let token = sign_token(&good_claims(&server), Algorithm::RS256, DemoKey::RsaStranger, Some("demo-rsa-old"));
    let report = engine().call(given_spec("demo-reader", &profile, "read orders", &token)?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(primary(&report).code, Code::KidNotFound, "{s}");
    assert!(primary(&report).message.contains("demo-rsa-old"), "{s}");
    assert_eq!(primary(&report).evidence.actual.as_deref(), Some("demo-rsa-old"), "{s}");
    let expected = primary(&report).evidence.expected.clone().unwrap_or_default();
    assert!(expected.contains("demo-rsa-1") && expected.contains("demo-ec-1"), "{s}");
    Ok(())
}

#[tokio::test]
async fn foreign_key_under_a_published_kid_is_signature_invalid() -> TestResult {
    let server = start_demo().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let token = sign_token(&good_claims(&server), Algorithm::RS256, DemoKey::RsaStranger, Some("demo-rsa-1"));
    let report = engine().call(given_spec("demo-reader", &profile, "read orders", &token)?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(primary(&report).code, Code::SignatureInvalid, "{s}");
    assert!(primary(&report).message.contains("invalid signature"), "the server's words: {s}");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// time: expired, not_yet_valid

#[tokio::test]
async fn token_expired_two_minutes_ago_is_expired() -> TestResult {
    let server = start_demo().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let now = now();
    let token = rs256(&claims_with(&server, json!({ "iat": now - 720, "exp": now - 120 })));
    let report = engine().call(given_spec("demo-reader", &profile, "read orders", &token)?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(primary(&report).code, Code::Expired, "{s}");
    assert!(primary(&report).message.contains("jwt expired"), "{s}");
    assert!(primary(&report).message.contains("expired 2 min ago"), "{s}");
    Ok(())
}

#[tokio::test]
async fn skewed_issuer_clock_is_expired_with_the_clock_fix() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-skewed", "read orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(primary(&report).code, Code::Expired, "{s}");
    assert!(primary(&report).fix.contains("clock is behind"), "{s}");
    Ok(())
}

#[tokio::test]
async fn nbf_in_the_future_is_not_yet_valid() -> TestResult {
    let server = start_demo().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let token = rs256(&claims_with(&server, json!({ "nbf": now() + 600 })));
    let report = engine().call(given_spec("demo-reader", &profile, "read orders", &token)?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(primary(&report).code, Code::NotYetValid, "{s}");
    assert!(primary(&report).message.contains("jwt not active"), "{s}");
    assert!(primary(&report).fix.contains("clock"), "{s}");
    Ok(())
}

#[tokio::test]
async fn profile_leeway_wider_than_the_apis_is_expired_by_the_apis_clock() -> TestResult {
    let server = start_demo().await?;
    let mut profile = demo_profile(&server, "demo-reader")?;
    profile.expect.leeway_secs = 60;
    let now = now();
    let token = rs256(&claims_with(&server, json!({ "iat": now - 600, "exp": now - 30 })));
    let report = engine().call(given_spec("demo-reader", &profile, "read orders", &token)?, None).await;
    let s = summary(&report);
    assert!(report.verification.as_ref().is_some_and(|v| v.valid), "locally within leeway: {s}");
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(primary(&report).code, Code::Expired, "the claim the API names: {s}");
    assert!(primary(&report).message.contains("by this machine's clock it is valid"), "{s}");
    assert!(primary(&report).fix.contains("clock"), "{s}");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// claims: issuer_mismatch, audience_mismatch

#[tokio::test]
async fn trailing_slash_issuer_is_issuer_mismatch_with_the_near_miss_hint() -> TestResult {
    let server = start_demo().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let wrong = format!("{}/", server.issuer());
    let token = rs256(&claims_with(&server, json!({ "iss": wrong })));
    let report = engine().call(given_spec("demo-reader", &profile, "read orders", &token)?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(primary(&report).code, Code::IssuerMismatch, "{s}");
    assert!(primary(&report).message.contains("trailing slash"), "{s}");
    assert!(primary(&report).message.contains("the API agrees"), "{s}");
    assert_eq!(primary(&report).evidence.expected.as_deref(), Some(server.issuer().as_str()), "{s}");
    assert_eq!(primary(&report).evidence.actual.as_deref(), Some(wrong.as_str()), "{s}");
    Ok(())
}

#[tokio::test]
async fn client_id_as_audience_is_audience_mismatch_with_the_ak_hint() -> TestResult {
    let server = start_demo().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let token = rs256(&claims_with(&server, json!({ "aud": "demo-reader" })));
    let report = engine().call(given_spec("demo-reader", &profile, "read orders", &token)?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(primary(&report).code, Code::AudienceMismatch, "{s}");
    assert!(primary(&report).message.contains("client id"), "{s}");
    assert!(primary(&report).message.contains("jwt audience invalid"), "{s}");
    assert_eq!(primary(&report).evidence.expected.as_deref(), Some("demo-app"), "{s}");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// scopes: scope_missing, scope_claim_mismatch

#[tokio::test]
async fn reader_writing_orders_is_scope_missing_confirmed_by_the_403() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-reader", "write orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(report.response.as_ref().map(|r| r.status), Some(403));
    assert_eq!(primary(&report).code, Code::ScopeMissing, "{s}");
    assert!(primary(&report).message.contains("order:write"), "{s}");
    assert_eq!(primary(&report).evidence.expected.as_deref(), Some("any of order:write"), "{s}");
    assert_eq!(primary(&report).evidence.actual.as_deref(), Some("order:read"), "{s}");
    assert!(primary(&report).fix.contains("client.scopes"), "not requested, so add it: {s}");
    Ok(())
}

#[tokio::test]
async fn scopes_in_scp_where_the_api_reads_scope_is_scope_claim_mismatch() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-scp", "read orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(primary(&report).code, Code::ScopeClaimMismatch, "{s}");
    assert!(primary(&report).message.contains("\"scp\""), "{s}");
    assert!(primary(&report).fix.contains("customScopeKey: 'scp'"), "{s}");
    assert_eq!(primary(&report).evidence.actual.as_deref(), Some("scp: order:read"), "{s}");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// the server's own configuration, named by its answer: the claim's code

#[tokio::test]
async fn api_expecting_a_typo_issuer_is_issuer_mismatch_showing_its_expected_value() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-reader", "misconfigured issuer").await?;
    let s = summary(&report);
    let typo = format!("{}/odic", server.base_url());
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert!(report.verification.as_ref().is_some_and(|v| v.valid), "{s}");
    assert_eq!(primary(&report).code, Code::IssuerMismatch, "{s}");
    assert!(primary(&report).message.contains(&typo), "{s}");
    assert!(primary(&report).message.contains("which the profile's expect.issuer accepts"), "{s}");
    assert_eq!(primary(&report).evidence.expected.as_deref(), Some(typo.as_str()), "{s}");
    assert_eq!(primary(&report).evidence.actual.as_deref(), Some(server.issuer().as_str()), "{s}");
    assert!(primary(&report).message.contains("typo"), "near-miss hint: {s}");
    assert!(primary(&report).fix.contains(&server.issuer()), "{s}");
    Ok(())
}

#[tokio::test]
async fn api_expecting_the_ak_as_audience_is_audience_mismatch_with_the_client_id_hint() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-reader", "misconfigured audience").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(primary(&report).code, Code::AudienceMismatch, "{s}");
    assert!(primary(&report).message.contains("\"demo-reader\""), "{s}");
    assert_eq!(primary(&report).evidence.expected.as_deref(), Some("demo-reader"), "{s}");
    assert_eq!(primary(&report).evidence.actual.as_deref(), Some("demo-app"), "{s}");
    assert!(primary(&report).message.contains("client id"), "near-miss hint: {s}");
    Ok(())
}

#[tokio::test]
async fn api_reading_scopes_from_req_user_is_scope_claim_mismatch_with_the_custom_user_key_fix() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-reader", "misconfigured scope check").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(report.response.as_ref().map(|r| r.status), Some(403));
    assert_eq!(primary(&report).code, Code::ScopeClaimMismatch, "{s}");
    assert!(primary(&report).message.contains("the token has the required scopes (order:read)"), "{s}");
    assert!(primary(&report).fix.contains("customUserKey"), "{s}");
    Ok(())
}

#[tokio::test]
async fn api_whose_jwks_fetch_fails_is_jwks_unreachable_then_server_error() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-reader", "misconfigured jwks").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(report.response.as_ref().map(|r| r.status), Some(500));
    assert_eq!(primary(&report).code, Code::JwksUnreachable, "{s}");
    assert!(primary(&report).message.contains("Not Found"), "{s}");
    assert_eq!(primary(&report).evidence.actual.as_deref(), Some("HTTP 500"), "{s}");
    assert!(primary(&report).fix.contains("jwksUri"), "{s}");
    assert_eq!(report.findings.get(1).map(|f| f.code), Some(Code::ServerError), "the 5xx, second: {s}");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// network_error, token_missing

#[tokio::test]
async fn api_on_a_closed_port_is_network_error() -> TestResult {
    let server = start_demo().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let port = closed_port()?;
    let endpoint = Endpoint {
        name: "nowhere".to_owned(),
        method: "GET".to_owned(),
        url: format!("http://127.0.0.1:{port}/api/protected"),
        required_scopes: vec!["order:read".to_owned()],
        headers: Default::default(),
        body: None,
    };
    let spec = tokdbg::core::engine::CallSpec {
        profile_key: "demo-reader".to_owned(),
        profile: profile.clone(),
        endpoint,
        token: TokenChoice::Fetch {
            credentials: tokdbg::core::model::credentials::Credentials::secret(client_secret(&profile)?),
            force: false,
        },
    };
    let report = engine().call(spec, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Error, "{s}");
    assert_eq!(primary(&report).code, Code::NetworkError, "{s}");
    assert!(primary(&report).message.contains("refused"), "{s}");
    assert!(primary(&report).fix.contains("running and reachable"), "{s}");
    assert!(report.request_error.is_some() && report.response.is_none());
    assert!(report.network_unreachable());
    assert!(report.verification.as_ref().is_some_and(|v| v.valid), "the token itself is fine");
    Ok(())
}

#[tokio::test]
async fn call_without_a_token_is_the_token_missing_baseline() -> TestResult {
    let server = start_demo().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let spec = spec_with("demo-reader", &profile, "read orders", TokenChoice::None)?;
    let report = engine().call(spec, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(report.response.as_ref().map(|r| r.status), Some(401));
    assert_eq!(primary(&report).code, Code::TokenMissing, "{s}");
    assert!(primary(&report).message.contains("baseline"), "{s}");
    assert_eq!(report.token.source, TokenSource::None);
    assert!(report.token_request.is_none());
    assert_eq!(server.counters().token, 0, "no token fetched for the baseline");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// client authentication methods

#[tokio::test]
async fn client_secret_basic_sends_the_credentials_in_the_authorization_header() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-basic", "read orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Allowed, "{s}");
    assert_eq!(primary(&report).code, Code::Ok, "{s}");
    let request = &report.token_request.as_ref().ok_or("no token request")?.request;
    assert!(
        request.headers.iter().any(|(k, v)| k == "Authorization" && v.starts_with("Basic [redacted")),
        "{request:?}"
    );
    assert!(!request.form.iter().any(|(k, _)| k == "client_secret" || k == "client_id"), "{request:?}");
    Ok(())
}

#[tokio::test]
async fn client_secret_post_sends_the_credentials_in_the_form() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-reader", "read orders").await?;
    assert_eq!(primary(&report).code, Code::Ok, "{}", summary(&report));
    let request = &report.token_request.as_ref().ok_or("no token request")?.request;
    assert!(request.form.contains(&("client_id".to_owned(), "demo-reader".to_owned())));
    assert!(request.form.contains(&("client_secret".to_owned(), "[redacted]".to_owned())));
    assert!(!request.headers.iter().any(|(k, _)| k == "Authorization"));
    Ok(())
}

#[tokio::test]
async fn client_id_and_secret_needing_urlencoding_work_with_both_auth_methods() -> TestResult {
    let server = start_demo().await?;
    for method in [AuthMethod::ClientSecretBasic, AuthMethod::ClientSecretPost] {
        let mut profile = demo_profile(&server, "demo-reader")?;
        let client = profile.client.as_mut().ok_or("no client")?;
        client.id = "demo+special".to_owned();
        client.secret = Some(SecretSource::parse("s3cret:with%chars&more"));
        client.auth_method = method;
        let report = engine().call(fetch_spec("demo-special", &profile, "read orders")?, None).await;
        let s = summary(&report);
        assert_eq!(report.verdict, Verdict::Allowed, "{}: {s}", method.as_str());
        assert_eq!(primary(&report).code, Code::Ok, "{}: {s}", method.as_str());
        assert_eq!(
            report.token.claims.as_ref().and_then(|c| c.get("sub")).and_then(|v| v.as_str()),
            Some("demo+special")
        );
    }
    assert_eq!(server.counters().token, 2);
    Ok(())
}

// ---------------------------------------------------------------------------------------
// scope claim shapes through the flow

#[tokio::test]
async fn scope_as_a_json_array_is_read_by_both_sides() -> TestResult {
    let server = start_demo().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let token = rs256(&claims_with(&server, json!({ "scope": ["openid", "order:read"] })));
    let report = engine().call(given_spec("demo-reader", &profile, "read orders", &token)?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Allowed, "{s}");
    assert_eq!(report.findings.len(), 1, "{s}");
    assert_eq!(report.token.scopes.as_deref(), Some(&["openid".to_owned(), "order:read".to_owned()][..]));
    Ok(())
}

#[tokio::test]
async fn scopes_in_permissions_are_scope_claim_mismatch_for_a_scope_reading_api() -> TestResult {
    let server = start_demo().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let token = rs256(&claims_with(&server, json!({ "scope": null, "permissions": ["order:read"] })));
    let report = engine().call(given_spec("demo-reader", &profile, "read orders", &token)?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(primary(&report).code, Code::ScopeClaimMismatch, "{s}");
    assert!(primary(&report).fix.contains("customScopeKey: 'permissions'"), "{s}");
    Ok(())
}

#[tokio::test]
async fn custom_scope_claim_in_the_profile_satisfies_the_local_gap_but_not_the_api() -> TestResult {
    let server = start_demo().await?;
    let mut profile = demo_profile(&server, "demo-reader")?;
    profile.expect.scope_claim = "https://demo.local/scopes".to_owned();
    let token = rs256(&claims_with(&server, json!({ "scope": null, "https://demo.local/scopes": "order:read" })));
    let report = engine().call(given_spec("demo-reader", &profile, "read orders", &token)?, None).await;
    let s = summary(&report);
    assert!(report.scope_gap.as_ref().is_some_and(|g| g.satisfied), "{s}");
    assert_eq!(report.token.scopes.as_deref(), Some(&["order:read".to_owned()][..]));
    // The demo API reads `scope` only: the profile mirrors it imperfectly.
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(primary(&report).code, Code::ScopeClaimMismatch, "{s}");
    assert!(primary(&report).fix.contains("customScopeKey"), "{s}");
    Ok(())
}

#[tokio::test]
async fn all_of_matching_flags_a_gap_the_any_of_api_lets_through() -> TestResult {
    let server = start_demo().await?;
    for mode in [ScopeMatch::Any, ScopeMatch::All] {
        let mut profile = demo_profile(&server, "demo-reader")?;
        profile.expect.scope_match = mode;
        let mut spec = fetch_spec("demo-reader", &profile, "read orders")?;
        spec.endpoint.required_scopes = vec!["order:read".to_owned(), "order:write".to_owned()];
        let report = engine().call(spec, None).await;
        let s = summary(&report);
        assert_eq!(report.verdict, Verdict::Allowed, "{mode:?}: {s}");
        assert_eq!(primary(&report).code, Code::Ok, "{mode:?}: {s}");
        let gap = report.scope_gap.as_ref().ok_or("no scope gap")?;
        assert_eq!(gap.missing, vec!["order:write".to_owned()]);
        match mode {
            ScopeMatch::Any => {
                assert!(gap.satisfied);
                assert_eq!(report.findings.len(), 1, "{s}");
            }
            ScopeMatch::All => {
                assert!(!gap.satisfied);
                let missing = finding(&report, Code::ScopeMissing).ok_or("no scope_missing")?;
                assert_eq!(missing.severity, Severity::Warning, "the API accepted: {s}");
                assert!(missing.message.starts_with("the API accepted the call, but locally"), "{s}");
                assert_eq!(missing.evidence.expected.as_deref(), Some("all of order:read order:write"), "{s}");
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// token cache

#[tokio::test]
async fn second_call_reuses_the_cached_token_and_fetches_once() -> TestResult {
    let server = start_demo().await?;
    let engine = engine();
    let first = call_demo(&engine, &server, "demo-reader", "read orders").await?;
    let second = call_demo(&engine, &server, "demo-reader", "read orders").await?;
    assert_eq!(first.token.source, TokenSource::Fetched);
    assert_eq!(second.token.source, TokenSource::Cached);
    assert!(second.token_request.is_none());
    assert_eq!(primary(&second).code, Code::Ok, "{}", summary(&second));
    assert_eq!(server.counters().token, 1, "the demo issued one token");
    assert_eq!(engine.token_fetch_count(), 1);
    assert_eq!(
        first.token.claims.as_ref().and_then(|c| c.get("jti")),
        second.token.claims.as_ref().and_then(|c| c.get("jti"))
    );
    // force skips the cache.
    let profile = demo_profile(&server, "demo-reader")?;
    let mut spec = fetch_spec("demo-reader", &profile, "read orders")?;
    spec.token = TokenChoice::Fetch {
        credentials: tokdbg::core::model::credentials::Credentials::secret(client_secret(&profile)?),
        force: true,
    };
    let forced = engine.call(spec, None).await;
    assert_eq!(forced.token.source, TokenSource::Fetched);
    assert_eq!(server.counters().token, 2);
    Ok(())
}

#[tokio::test]
async fn a_cached_token_inside_the_refetch_margin_is_not_reused() -> TestResult {
    let server = start_demo().await?;
    let engine = engine();
    let profile = demo_profile(&server, "demo-reader")?;
    let key = Engine::token_cache_key("demo-reader", &profile);
    let now = now();
    // An hour-long token with 10 s left: inside the 30 s margin.
    let stale = rs256(&claims_with(&server, json!({ "iat": now - 3590, "exp": now + 10, "jti": "stale" })));
    engine
        .tokens()
        .put(&key, CachedToken { token: Secret::new(stale), fetched_at: now - 3590, expires_at: Some(now + 10) });
    assert!(engine.cached_token("demo-reader", &profile).is_none());
    let report = engine.call(fetch_spec("demo-reader", &profile, "read orders")?, None).await;
    assert_eq!(report.token.source, TokenSource::Fetched, "{}", summary(&report));
    assert_ne!(report.token.claims.as_ref().and_then(|c| c.get("jti")), Some(&json!("stale")));
    assert_eq!(server.counters().token, 1);
    Ok(())
}

#[test]
fn short_lived_tokens_get_a_tenth_of_their_lifetime_as_margin() {
    let cache = TokenCache::default();
    let token = |fetched_at, exp| CachedToken { token: Secret::new("h.p.s"), fetched_at, expires_at: Some(exp) };
    // 100 s lifetime: 10 s margin.
    cache.put("short", token(1000, 1100));
    assert!(cache.get("short", 1089).is_some());
    assert!(cache.get("short", 1090).is_none(), "inside the margin");
    // The demo's 5 s tokens: never handed out at or after exp.
    cache.put("five", token(1000, 1005));
    assert!(cache.get("five", 1000).is_some());
    assert!(cache.get("five", 1005).is_none());
    assert!(cache.get("five", 1010).is_none());
    // Long-lived tokens: a 30 s margin at most.
    cache.put("long", token(1000, 4600));
    assert!(cache.get("long", 4569).is_some());
    assert!(cache.get("long", 4570).is_none());
}

#[tokio::test]
async fn shortlived_demo_tokens_are_cached_with_their_expiry() -> TestResult {
    let server = start_demo().await?;
    let engine = engine();
    let report = call_demo(&engine, &server, "demo-shortlived", "read orders").await?;
    assert_eq!(primary(&report).code, Code::Ok, "{}", summary(&report));
    let profile = demo_profile(&server, "demo-shortlived")?;
    let key = Engine::token_cache_key("demo-shortlived", &profile);
    let exp = report.token.expires_at.ok_or("no exp")?;
    // The demo stamps iat when it mints, a moment after the call began.
    assert!((5..=6).contains(&(exp - report.at)), "exp {exp}, call at {}", report.at);
    // Seen from a moment at or past its expiry, the cache has nothing to give.
    assert!(engine.tokens().get(&key, exp).is_none());
    assert!(engine.tokens().get(&key, exp + 60).is_none());
    Ok(())
}

// ---------------------------------------------------------------------------------------
// redaction

#[tokio::test]
async fn reports_never_show_the_client_secret_or_the_token_signature() -> TestResult {
    let server = start_demo().await?;
    let engine = engine();
    for (stem, endpoint_name) in [
        ("demo-reader", "read orders"),
        ("demo-reader", "write orders"),
        ("demo-basic", "read orders"),
        ("demo-wrong-secret", "read orders"),
        ("demo-hs256", "read orders"),
    ] {
        let profile = demo_profile(&server, stem)?;
        let secret = client_secret(&profile)?;
        let report = engine.call(fetch_spec(stem, &profile, endpoint_name)?, None).await;
        let debug = format!("{report:?}");
        let json = serde_json::to_string(&report)?;
        for (name, text) in [("Debug", &debug), ("JSON", &json)] {
            assert!(!text.contains(secret.expose()), "{stem}: the client secret shows in {name}");
        }
        if let Some(cached) = engine.cached_token(stem, &profile) {
            let signature = signature_of(cached.token.expose());
            assert!(signature.len() > 20);
            for (name, text) in [("Debug", &debug), ("JSON", &json)] {
                assert!(!text.contains(&signature), "{stem} {endpoint_name}: the token signature shows in {name}");
            }
        }
    }
    Ok(())
}

#[tokio::test]
async fn reports_of_given_tokens_never_show_their_signature() -> TestResult {
    let server = start_demo().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let token = rs256(&good_claims(&server));
    let signature = signature_of(&token);
    let report = engine().call(given_spec("demo-reader", &profile, "read orders", &token)?, None).await;
    assert_eq!(primary(&report).code, Code::Ok, "{}", summary(&report));
    assert!(!format!("{report:?}").contains(&signature), "Debug shows the signature");
    assert!(!serde_json::to_string(&report)?.contains(&signature), "JSON shows the signature");
    let inspected = engine().inspect(&profile, &token, TokenSource::Given, None).await;
    assert!(inspected.valid);
    assert!(!format!("{inspected:?}").contains(&signature), "TokenReport Debug shows the signature");
    assert!(!serde_json::to_string(&inspected)?.contains(&signature), "TokenReport JSON shows the signature");
    Ok(())
}

/// The fix names the setting of the stack whose words the API answered in, and no other's.
#[test]
fn an_issuer_fix_names_the_setting_of_the_stack_that_answered() {
    use tokdbg::core::diagnose::{Facts, diagnose};
    use tokdbg::core::probe::ProbeResponse;
    use tokdbg::core::probe::www_authenticate::bearer;
    use tokdbg::core::server_message::interpret;
    let profile = tokdbg::core::model::profile::Profile::default();
    let cases = [
        (None, "jwt issuer invalid. expected: https://a/oidc", "express-jwt's `issuer`"),
        (
            Some(
                "Bearer error=\"invalid_token\", error_description=\"An error occurred while attempting to decode the Jwt: The iss claim is not valid\"",
            ),
            "",
            "issuer-uri",
        ),
        (
            None,
            "IDX10205: Issuer validation failed. Issuer: 'x'. Did not match: validationParameters.ValidIssuer: 'https://a/oidc' or validationParameters.ValidIssuers: 'null'.",
            "ValidIssuer",
        ),
        // golang-jwt v5's ErrTokenInvalidIssuer: its own option.
        (None, "token has invalid claims: token has invalid issuer", "jwt.WithIssuer"),
    ];
    for (challenge, body, setting) in cases {
        let challenges: Vec<String> = challenge.map(str::to_owned).into_iter().collect();
        let server = interpret(401, bearer(&challenges).as_ref(), body);
        let response = ProbeResponse {
            status: 401,
            latency_ms: 1.0,
            headers: vec![],
            body: body.to_owned(),
            body_json: None,
            truncated: false,
            content_type: "text/plain".to_owned(),
            www_authenticate: challenges.clone(),
            bearer: bearer(&challenges),
            final_url: "http://127.0.0.1/api".to_owned(),
            unfollowed_redirect: None,
        };
        let facts = Facts { response: Some(&response), server: Some(&server), ..Facts::new(&profile, now()) };
        let fix = diagnose(&facts).findings.first().map(|f| f.fix.clone()).unwrap_or_default();
        assert!(fix.contains(setting), "{:?}: {fix}", server.dialect);
        for other in ["express-jwt", "issuer-uri", "ValidIssuer"].iter().filter(|o| !setting.contains(**o)) {
            assert!(!fix.contains(other), "{setting} case names {other}: {fix}");
        }
    }
}
