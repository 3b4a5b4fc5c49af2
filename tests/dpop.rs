//! DPoP (RFC 9449) over real HTTP against the demo: a bound token after the token endpoint's
//! and the API's nonce demands, a bound token sent as Bearer or with another key
//! (token_binding_mismatch), a proof refused behind a path-rewriting proxy, a nonce never
//! satisfied and a proof refused at the token endpoint (dpop_proof_invalid), and `call --json`.

use crate::support::*;
use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokdbg::core::diagnose::Verdict;
use tokdbg::core::engine::TokenSource;
use tokdbg::core::engine::trace::HopKind;
use tokdbg::core::findings::{Code, Severity};
use tokdbg::core::model::credentials::Credentials;
use tokdbg::core::model::profile::DpopConfig;
use tokdbg::core::oauth::dpop::ath;

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap_or_default();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap_or_default()).unwrap_or_default()
}

#[tokio::test]
async fn dpop_profile_gets_a_bound_token_after_both_nonce_demands_and_is_allowed() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-dpop", "read orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Allowed, "{s}");
    assert_eq!(primary(&report).code, Code::Ok, "{s}");
    assert_eq!(report.findings.len(), 1, "{s}");
    let dpop = report.dpop.as_ref().ok_or("no dpop report")?;
    let key = dpop.key.as_ref().ok_or("no key")?;
    assert_eq!((key.alg.as_str(), key.source), ("ES256", "generated"));
    assert_eq!(dpop.token_type.as_deref(), Some("DPoP"));
    // The token is bound to the proof key.
    let token = report.access_token.as_ref().ok_or("no token")?;
    assert_eq!(claims_of(token.expose())["cnf"]["jkt"], key.jkt.as_str());
    // Token endpoint: a proof without nonce, refused with one; the retry carries it.
    assert_eq!(dpop.token_request.len(), 2);
    let demanded = dpop.token_request[0].nonce_demanded.clone().ok_or("no nonce demanded")?;
    assert_eq!(dpop.token_request[0].status, Some(400));
    assert!(dpop.token_request[0].proof.claims.get("nonce").is_none());
    assert_eq!(dpop.token_request[1].proof.claims["nonce"], demanded.as_str());
    assert_eq!(dpop.token_request[1].proof.claims["htm"], "POST");
    assert_eq!(dpop.token_request[1].proof.claims["htu"], format!("{}/oidc/token", server.base_url()));
    assert!(dpop.token_request[1].proof.claims.get("ath").is_none(), "no ath on the token request");
    // API: the same dance, with ath.
    assert_eq!(dpop.api_call.len(), 2);
    assert_eq!(dpop.api_call[0].status, Some(401));
    let api_nonce = dpop.api_call[0].nonce_demanded.clone().ok_or("no API nonce")?;
    assert_ne!(api_nonce, demanded, "the API has its own nonce");
    let last = &dpop.api_call[1].proof;
    assert_eq!(last.claims["nonce"], api_nonce.as_str());
    assert_eq!(last.claims["htm"], "GET");
    assert_eq!(last.claims["htu"], format!("{}/api/dpop/orders", server.base_url()));
    assert_eq!(last.claims["ath"], ath(token.expose()).as_str());
    assert_eq!(last.header["typ"], "dpop+jwt");
    assert!(last.header["jwk"].get("d").is_none());
    assert_ne!(dpop.api_call[0].proof.claims["jti"], last.claims["jti"], "a fresh jti per proof");
    // Both attempts of each are in the trace.
    let hops: Vec<(HopKind, Option<u16>)> = report.trace.iter().map(|h| (h.hop, h.status)).collect();
    let token_hops: Vec<_> = hops.iter().filter(|(k, _)| *k == HopKind::Token).map(|(_, s)| *s).collect();
    let api_hops: Vec<_> = hops.iter().filter(|(k, _)| *k == HopKind::Api).map(|(_, s)| *s).collect();
    assert_eq!(token_hops, [Some(400), Some(200)], "{hops:?}");
    assert_eq!(api_hops, [Some(401), Some(200)], "{hops:?}");
    assert!(report.token_request.as_ref().is_some_and(|r| r.notes.is_empty()), "token_type DPoP is no oddity");
    Ok(())
}

#[tokio::test]
async fn a_second_call_reuses_the_bound_token_with_the_same_key() -> TestResult {
    let server = start_demo().await?;
    let engine = engine();
    let first = call_demo(&engine, &server, "demo-dpop", "read orders").await?;
    let second = call_demo(&engine, &server, "demo-dpop", "read orders").await?;
    assert_eq!(second.verdict, Verdict::Allowed, "{}", summary(&second));
    assert_eq!(second.token.source, TokenSource::Cached);
    assert_eq!(first.dpop.and_then(|d| d.key), second.dpop.and_then(|d| d.key));
    Ok(())
}

#[tokio::test]
async fn bearer_at_the_dpop_api_is_token_binding_mismatch() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-dpop-as-bearer", "read orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(primary(&report).code, Code::TokenBindingMismatch, "{s}");
    assert!(primary(&report).fix.contains("[dpop]"), "{s}");
    assert!(report.dpop.is_none());
    Ok(())
}

#[tokio::test]
async fn a_path_rewriting_proxy_is_dpop_proof_invalid_naming_the_htu_sent() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&engine(), &server, "demo-dpop-proxy", "read orders").await?;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    let finding = primary(&report);
    assert_eq!(finding.code, Code::DpopProofInvalid, "{s}");
    let edge = format!("{}/edge/dpop/orders", server.base_url());
    assert_eq!(finding.evidence.actual.as_deref(), Some(format!("htu {edge}").as_str()), "{s}");
    assert!(finding.fix.contains(&edge) && finding.fix.contains("proxy"), "{s}");
    assert!(finding.message.contains("/api/dpop/orders"), "the URL the API saw is quoted: {s}");
    Ok(())
}

#[tokio::test]
async fn a_bound_token_sent_as_bearer_is_flagged_even_where_the_api_lets_it_through() -> TestResult {
    let server = start_demo().await?;
    let engine = engine();
    let bound = call_demo(&engine, &server, "demo-dpop", "read orders").await?;
    let token = bound.access_token.ok_or("no token")?;
    // A Bearer-only API that ignores cnf: allowed, with the binding flagged.
    let reader = demo_profile(&server, "demo-reader")?;
    let report = engine.call(given_spec("demo-reader", &reader, "read orders", token.expose())?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Allowed, "{s}");
    let flagged = finding(&report, Code::TokenBindingMismatch).ok_or_else(|| format!("not flagged: {s}"))?;
    assert_eq!(flagged.severity, Severity::Warning, "{s}");
    // The DPoP API refuses it.
    let plain = demo_profile(&server, "demo-dpop-as-bearer")?;
    let report = engine.call(given_spec("demo-dpop-as-bearer", &plain, "read orders", token.expose())?, None).await;
    assert_eq!(primary(&report).code, Code::TokenBindingMismatch, "{}", summary(&report));
    Ok(())
}

#[tokio::test]
async fn a_token_bound_to_another_key_is_token_binding_mismatch() -> TestResult {
    let server = start_demo().await?;
    let bound = call_demo(&engine(), &server, "demo-dpop", "read orders").await?;
    let token = bound.access_token.ok_or("no token")?;
    // Another engine: another run, another generated key.
    let profile = demo_profile(&server, "demo-dpop")?;
    let report = engine().call(given_spec("demo-dpop", &profile, "read orders", token.expose())?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Denied, "{s}");
    assert_eq!(primary(&report).code, Code::TokenBindingMismatch, "{s}");
    assert!(primary(&report).message.contains("another key"), "{s}");
    Ok(())
}

#[tokio::test]
async fn an_unusable_dpop_setting_is_dpop_proof_invalid_and_nothing_is_sent() -> TestResult {
    let server = start_demo().await?;
    let mut profile = demo_profile(&server, "demo-dpop")?;
    profile.dpop = Some(DpopConfig { alg: "RS256".into(), private_key: None });
    let engine = engine();
    let report = engine.call(fetch_spec("demo-dpop", &profile, "read orders")?, None).await;
    let s = summary(&report);
    assert_eq!(report.verdict, Verdict::Error, "{s}");
    assert_eq!(primary(&report).code, Code::DpopProofInvalid, "{s}");
    assert!(primary(&report).message.contains("dpop.private_key"), "{s}");
    assert_eq!(engine.token_fetch_count(), 0);
    Ok(())
}

/// A token endpoint that always demands a nonce, or always refuses the proof.
async fn refusing_token_endpoint(always: &'static str, hits: Arc<AtomicUsize>) -> Result<String, BoxError> {
    let router = Router::new().route(
        "/token",
        post(move |headers: HeaderMap| {
            let hits = Arc::clone(&hits);
            async move {
                hits.fetch_add(1, Ordering::SeqCst);
                let proof = if headers.get("dpop").is_some() { "with-proof" } else { "no-proof" };
                let nonce = format!("n-{}", hits.load(Ordering::SeqCst));
                let body = json!({ "error": always, "error_description": "refused by the test" });
                (StatusCode::BAD_REQUEST, [("dpop-nonce", nonce), ("x-saw", proof.to_owned())], axum::Json(body))
                    .into_response()
            }
        }),
    );
    serve(router).await
}

#[rstest::rstest]
#[case::nonce_never_settles("use_dpop_nonce", 2, "still demands a DPoP nonce")]
#[case::proof_refused("invalid_dpop_proof", 1, "refused the DPoP proof")]
#[tokio::test]
async fn token_endpoint_dpop_refusals_are_dpop_proof_invalid(
    #[case] error: &'static str,
    #[case] requests: usize,
    #[case] said: &str,
) -> TestResult {
    let server = start_demo().await?;
    let hits = Arc::new(AtomicUsize::new(0));
    let base = refusing_token_endpoint(error, Arc::clone(&hits)).await?;
    let mut profile = demo_profile(&server, "demo-dpop")?;
    profile.issuer.url = None;
    profile.issuer.token_endpoint = Some(format!("{base}/token"));
    let report = engine().call(fetch_spec("demo-dpop", &profile, "read orders")?, None).await;
    let s = summary(&report);
    assert_eq!(hits.load(Ordering::SeqCst), requests, "one retry at most: {s}");
    assert_eq!(primary(&report).code, Code::DpopProofInvalid, "{s}");
    assert!(primary(&report).message.contains(said), "{s}");
    let token_hops = report.trace.iter().filter(|h| h.hop == HopKind::Token).count();
    assert_eq!(token_hops, requests, "every attempt is traced");
    Ok(())
}

#[tokio::test]
async fn token_command_with_dpop_reports_the_proofs() -> TestResult {
    let server = start_demo().await?;
    let profile = demo_profile(&server, "demo-dpop")?;
    let secret = client_secret(&profile)?;
    let fetch = engine().fetch_token("demo-dpop", &profile, Credentials::secret(secret), true, None).await;
    let dpop = fetch.dpop.as_ref().ok_or("no dpop")?;
    assert_eq!(dpop.token_request.len(), 2);
    assert!(fetch.findings.is_empty(), "{:?}", fetch.findings);
    let json = serde_json::to_value(&fetch)?;
    assert_eq!(json["dpop"]["token_request"][1]["proof"]["header"]["typ"], "dpop+jwt");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn call_json_shows_the_decoded_proofs_never_signed() -> TestResult {
    let server = start_demo().await?;
    let dir = tempfile::tempdir()?;
    tokdbg::demo::write_demo_profiles(dir.path(), &server.base_url())?;
    let profiles = dir.path().to_string_lossy().into_owned();
    let run = tokdbg(&["--profiles", profiles.as_str(), "call", "demo-dpop", "--json"]).await;
    run.code(0);
    let json = run.json();
    assert_eq!(json["dpop"]["key"]["source"], "generated");
    assert_eq!(json["dpop"]["api_call"][1]["proof"]["claims"]["htm"], "GET");
    let header = json["token_request"]["request"]["headers"]
        .as_array()
        .and_then(|h| h.iter().find(|pair| pair[0] == "DPoP"))
        .ok_or("no DPoP header in the request view")?;
    assert!(header[1].as_str().is_some_and(|v| v.ends_with(".[signature redacted]")), "{header}");
    let human = tokdbg(&["--profiles", profiles.as_str(), "call", "demo-dpop-proxy"]).await;
    human.code(1).stdout_has("dpop_proof_invalid");
    // The human output says how many proofs each request took (the nonce dances), not the proofs.
    let human = tokdbg(&["--profiles", profiles.as_str(), "call", "demo-dpop"]).await;
    human
        .code(0)
        .stdout_has("ES256 key (generated), jkt ")
        .stdout_has("token request: 2 proofs (a nonce was demanded), API call: 2 proofs");
    Ok(())
}

#[tokio::test]
async fn an_api_whose_nonce_never_settles_is_retried_once_and_explained() -> TestResult {
    let server = start_demo().await?;
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&hits);
    let router = Router::new().route(
        "/api",
        axum::routing::get(move || {
            let hits = Arc::clone(&counter);
            async move {
                let n = hits.fetch_add(1, Ordering::SeqCst);
                let challenge = r#"DPoP algs="ES256", error="use_dpop_nonce", error_description="nonce required""#;
                (
                    StatusCode::UNAUTHORIZED,
                    [("www-authenticate", challenge.to_owned()), ("dpop-nonce", format!("rs-{n}"))],
                )
                    .into_response()
            }
        }),
    );
    let base = serve(router).await?;
    let mut profile = demo_profile(&server, "demo-dpop")?;
    profile.endpoints[0].url = format!("{base}/api");
    let report = engine().call(fetch_spec("demo-dpop", &profile, "read orders")?, None).await;
    let s = summary(&report);
    assert_eq!(hits.load(Ordering::SeqCst), 2, "one retry: {s}");
    assert_eq!(primary(&report).code, Code::DpopProofInvalid, "{s}");
    assert!(primary(&report).message.contains("API still demands a DPoP nonce"), "{s}");
    let api = report.dpop.as_ref().map(|d| d.api_call.len());
    assert_eq!(api, Some(2));
    Ok(())
}

#[tokio::test]
async fn a_token_endpoint_wanting_a_proof_from_a_profile_without_dpop_is_token_binding_mismatch() -> TestResult {
    let server = start_demo().await?;
    let hits = Arc::new(AtomicUsize::new(0));
    let base = refusing_token_endpoint("invalid_dpop_proof", Arc::clone(&hits)).await?;
    let mut profile = demo_profile(&server, "demo-dpop-as-bearer")?;
    profile.issuer.url = None;
    profile.issuer.token_endpoint = Some(format!("{base}/token"));
    let report = engine().call(fetch_spec("demo-dpop-as-bearer", &profile, "read orders")?, None).await;
    let s = summary(&report);
    assert_eq!(hits.load(Ordering::SeqCst), 1, "no retry without DPoP: {s}");
    assert_eq!(primary(&report).code, Code::TokenBindingMismatch, "{s}");
    assert!(primary(&report).fix.contains("[dpop]"), "{s}");
    Ok(())
}

#[tokio::test]
async fn an_api_offering_dpop_beside_bearer_is_read_by_its_bearer_answer() -> TestResult {
    // express-oauth2-jwt-bearer advertises DPoP on every 401, beside the Bearer challenge that
    // says why (its real answer to an API expecting another audience, tests/fixtures).
    let router = Router::new().route(
        "/api",
        axum::routing::get(|| async {
            let challenge = r#"Bearer realm="api", error="invalid_token", error_description="Unexpected 'aud' value", DPoP algs="RS256 ES256""#;
            (StatusCode::UNAUTHORIZED, [("www-authenticate", challenge), ("x-powered-by", "Express")]).into_response()
        }),
    );
    let base = serve(router).await?;
    let server = start_demo().await?;
    let engine = engine();
    let token = call_demo(&engine, &server, "demo-reader", "read orders").await?.access_token.ok_or("no token")?;
    let mut reader = demo_profile(&server, "demo-reader")?;
    reader.endpoints[0].url = format!("{base}/api");
    let report = engine.call(given_spec("demo-reader", &reader, "read orders", token.expose())?, None).await;
    let s = summary(&report);
    assert_eq!(primary(&report).code, Code::AudienceMismatch, "{s}");
    assert!(finding(&report, Code::TokenBindingMismatch).is_none(), "Bearer is accepted here: {s}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_tab_shows_the_dpop_proofs_decoded() {
    use crate::support::tui::{Harness, key};
    use tokdbg::tui::msg::Msg;
    let mut h = Harness::demo(120, 80).await;
    h.select("demo-dpop");
    h.run(vec![key('t'), Msg::WaitIdle]).await;
    let fetch = h.app.selected_session().and_then(|s| s.token.clone()).expect("a token fetch");
    assert_eq!(fetch.dpop.as_ref().map(|d| d.token_request.len()), Some(2), "the nonce demand and the retry");
    let screen = h.screen();
    assert!(screen.contains("DPoP proofs (signature not shown)"), "{screen}");
    assert!(screen.contains("nonce demanded") && screen.contains("\"htm\": \"POST\""), "{screen}");
    // The request's DPoP header shows the proof unsigned too.
    assert!(screen.contains(".[signature redacted]"), "{screen}");
}
