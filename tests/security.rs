//! Security properties of verification that are not about one finding: a token never chooses
//! its own key (jku/x5u/jwk are never fetched or trusted), and secrets or tokens sent over plain
//! http to another machine are flagged. (alg none, RSA-key-as-HMAC-secret confusion, the
//! allow-list and JWK `alg` pinning are covered in tests/engine_verify.rs.)

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::routing::get;
use jsonwebtoken::Algorithm;
use serde_json::json;
use tokdbg::core::diagnose::explain;
use tokdbg::core::engine::TokenSource;
use tokdbg::core::findings::{Code, Severity};
use tokdbg::core::token::verify::{CheckName, CheckStatus};
use tokdbg::demo::DemoKey;

use crate::support::*;

/// A server that only counts how often anyone asks it for keys.
async fn counting_key_server() -> Result<(String, Arc<AtomicUsize>), BoxError> {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let router = Router::new().fallback(get(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        async { axum::Json(json!({ "keys": [] })) }
    }));
    Ok((serve(router).await?, hits))
}

#[tokio::test]
async fn key_url_headers_are_never_fetched_nor_trusted() -> TestResult {
    let server = start_demo().await?;
    let (evil, hits) = counting_key_server().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let engine = engine();
    let claims = good_claims(&server);
    let stranger = DemoKey::RsaStranger.encoding_key();
    for (kid, extra) in [
        ("demo-rsa-1", json!({ "jku": format!("{evil}/jwks.json") })),
        ("demo-rsa-1", json!({ "x5u": format!("{evil}/cert.pem") })),
        ("evil-kid", json!({ "jku": format!("{evil}/jwks.json"), "x5u": format!("{evil}/x5u") })),
    ] {
        let mut header = json!({ "alg": "RS256", "typ": "JWT", "kid": kid });
        if let (Some(h), Some(e)) = (header.as_object_mut(), extra.as_object()) {
            h.extend(e.clone());
        }
        let token = sign_with_header(&header, &claims, &stranger, Algorithm::RS256);
        let report = engine.inspect(&profile, &token, TokenSource::Given, None).await;
        assert!(!report.valid, "a token signed by a stranger must not verify because it names a key URL");
        let failed: Vec<Code> = report.findings.iter().map(|f| f.code).collect();
        assert!(
            failed.contains(&Code::SignatureInvalid) || failed.contains(&Code::KidNotFound),
            "expected a key or signature failure, got {failed:?}"
        );
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0, "tokdbg fetched a key URL named by the token");
    Ok(())
}

#[tokio::test]
async fn a_good_token_with_a_jku_header_verifies_and_says_the_header_was_ignored() -> TestResult {
    let server = start_demo().await?;
    let (evil, hits) = counting_key_server().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let header = json!({ "alg": "RS256", "typ": "JWT", "kid": "demo-rsa-1", "jku": format!("{evil}/jwks.json") });
    let token = sign_with_header(&header, &good_claims(&server), &DemoKey::Rsa1.encoding_key(), Algorithm::RS256);
    let report = engine().inspect(&profile, &token, TokenSource::Given, None).await;
    assert!(report.valid, "{:?}", report.findings);
    let verification = report.verification.as_ref().ok_or("no verification")?;
    let key = verification.check(CheckName::Key).ok_or("no key check")?;
    assert_eq!(key.status, CheckStatus::Pass);
    assert!(key.detail.contains("jku header ignored"), "{}", key.detail);
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    Ok(())
}

#[tokio::test]
async fn plain_http_to_another_machine_is_flagged_loopback_is_not() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-reader", "read orders").await?;
    // On loopback (the demo): nothing to flag.
    let profile = demo_profile(&server, "demo-reader")?;
    let here = explain::transport(&report.facts(&profile, false));
    assert!(here.is_empty(), "{here:?}");
    assert!(!report.findings.iter().any(|f| f.code == Code::InsecureTransport));

    // The same exchange, had it gone to another machine over http (no traffic is sent here).
    let mut elsewhere = report.clone();
    elsewhere.endpoint.url = "http://api.example.com/api/protected".to_owned();
    if let Some(request) = elsewhere.token_request.as_mut() {
        request.request.url = "http://issuer.example.com/oidc/token".to_owned();
    }
    let warnings = explain::transport(&elsewhere.facts(&profile, false));
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings.iter().all(|f| f.code == Code::InsecureTransport && f.severity == Severity::Warning));
    assert!(warnings[0].message.contains("client secret"), "{}", warnings[0].message);
    assert!(warnings[1].message.contains("bearer token"), "{}", warnings[1].message);
    Ok(())
}
