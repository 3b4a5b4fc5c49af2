//! The trace of a call (issue 10, "a picture of the call"): one hop per request the engine
//! made, cache hits marked, latencies and offsets by the engine's clock, the failing hop marked.

use std::sync::Arc;
use std::time::Duration;

use crate::support::*;
use tokdbg::core::clock::FixedClock;
use tokdbg::core::engine::trace::{HopKind, failing_hop};
use tokdbg::core::engine::{Engine, Hop};
use tokdbg::core::model::credentials::Credentials;
use tokdbg::core::net::http::HttpConfig;

/// An engine on a fixed clock: every request takes 1.5 ms, so offsets are exact.
fn fixed_engine() -> Engine {
    let config = HttpConfig {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(5),
        ..HttpConfig::default()
    };
    Engine::with_clock(config, Arc::new(FixedClock::at(tokdbg::core::clock::now_unix())))
}

fn kinds(trace: &[Hop]) -> Vec<HopKind> {
    trace.iter().map(|hop| hop.hop).collect()
}

#[tokio::test]
async fn a_first_call_has_four_hops_and_a_repeat_call_sends_only_the_api_request() -> TestResult {
    let server = start_demo().await?;
    let engine = fixed_engine();
    let first = call_demo(&engine, &server, "demo-reader", "read orders").await?;
    assert_eq!(kinds(&first.trace), [HopKind::Discovery, HopKind::Token, HopKind::Jwks, HopKind::Api]);
    assert!(first.trace.iter().all(|hop| !hop.cached && !hop.failed && hop.status.is_some_and(|s| s < 300)));
    assert_eq!(first.trace.iter().map(|h| h.method.as_str()).collect::<Vec<_>>(), ["GET", "POST", "GET", "GET"]);
    assert!(first.trace[0].url.ends_with("/oidc/.well-known/openid-configuration"), "{:?}", first.trace[0]);
    assert_eq!(first.trace[1].url, first.token_request.as_ref().map(|r| r.request.url.clone()).unwrap_or_default());
    assert_eq!(first.trace[3].url, first.endpoint.url);
    // Sequential hops, each 1.5 ms on the fixed clock.
    let offsets: Vec<f64> = first.trace.iter().map(|h| h.offset_ms).collect();
    assert_eq!(offsets, [0.0, 1.5, 3.0, 4.5]);
    assert!(first.trace.iter().all(|h| h.latency_ms == Some(1.5)));
    assert_eq!(failing_hop(&first.trace), None);

    // Discovery, token and key set all come from the engine's caches the second time.
    let again = call_demo(&engine, &server, "demo-reader", "read orders").await?;
    assert_eq!(kinds(&again.trace), kinds(&first.trace));
    let sent: Vec<HopKind> = again.trace.iter().filter(|h| !h.cached).map(|h| h.hop).collect();
    assert_eq!(sent, [HopKind::Api], "{:#?}", again.trace);
    assert!(again.trace.iter().filter(|h| h.cached).all(|h| h.latency_ms.is_none() && h.status.is_none()));
    assert_eq!(again.trace[3].offset_ms, 0.0, "nothing was sent before the API request");
    Ok(())
}

#[tokio::test]
async fn a_wrong_secret_fails_at_the_token_request_and_sends_nothing_more() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&fixed_engine(), &server, "demo-wrong-secret", "read orders").await?;
    assert_eq!(kinds(&report.trace), [HopKind::Discovery, HopKind::Token], "{:#?}", report.trace);
    let failing = failing_hop(&report.trace).map(|i| &report.trace[i]);
    assert_eq!(failing.map(|h| h.hop), Some(HopKind::Token), "{:#?}", report.trace);
    assert_eq!(failing.and_then(|h| h.status), Some(401));
    assert_eq!(failing.and_then(|h| h.error.as_deref()), Some("invalid_client"));
    // The token request's URL carries no secret; the form is not part of a hop.
    let json = serde_json::to_string(&report)?;
    assert!(!json.contains("not-the-reader-secret") && json.contains("\"trace\":["), "{json}");
    Ok(())
}

#[tokio::test]
async fn a_403_fails_at_the_api_request() -> TestResult {
    let server = start_demo().await?;
    let report = call_demo(&fixed_engine(), &server, "demo-reader", "write orders").await?;
    let index = failing_hop(&report.trace).ok_or("no failing hop")?;
    assert_eq!(report.trace[index].hop, HopKind::Api);
    assert_eq!(report.trace[index].status, Some(403));
    assert_eq!(report.trace.iter().filter(|h| h.failed).count(), 1);
    Ok(())
}

#[tokio::test]
async fn an_unreachable_api_is_a_hop_with_the_error_kind() -> TestResult {
    let server = start_demo().await?;
    let mut profile = demo_profile(&server, "demo-reader")?;
    let port = closed_port()?;
    for endpoint in &mut profile.endpoints {
        endpoint.url = format!("http://127.0.0.1:{port}/api/orders");
    }
    let report = fixed_engine().call(fetch_spec("demo-reader", &profile, "read orders")?, None).await;
    let last = report.trace.last().ok_or("no hops")?;
    assert_eq!(
        (last.hop, last.status, last.error.as_deref(), last.failed),
        (HopKind::Api, None, Some("connect"), true)
    );
    Ok(())
}

#[tokio::test]
async fn a_token_fetch_has_its_own_trace() -> TestResult {
    let server = start_demo().await?;
    let engine = fixed_engine();
    let profile = demo_profile(&server, "demo-reader")?;
    let fetch =
        engine.fetch_token("demo-reader", &profile, Credentials::secret(client_secret(&profile)?), false, None).await;
    assert_eq!(kinds(&fetch.trace), [HopKind::Discovery, HopKind::Token, HopKind::Jwks]);
    assert_eq!(failing_hop(&fetch.trace), None);
    let json = serde_json::to_value(&fetch)?;
    assert_eq!(json["trace"][1]["hop"], "token");
    assert_eq!(json["trace"][1]["to"], "issuer");
    Ok(())
}
