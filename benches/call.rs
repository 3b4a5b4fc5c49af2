//! A full call against the embedded demo on loopback (discovery, token, JWKS, API request):
//! the first call of an `Engine`, then repeat calls in the same engine (cached discovery,
//! token and JWKS; pooled connections), with the HTTP requests each made (the demo's
//! counters) and the TCP connections opened (from /proc/net/tcp).
//!
//! `cargo bench --bench call [-- ROUNDS]` (default 40 rounds; each round is a fresh engine,
//! one first call and 10 repeat calls). Plain binary: criterion cannot time a "first" call.

mod common;

use std::collections::BTreeSet;
use std::time::Instant;

use tokdbg::demo::{DemoCounters, DemoServer};

use common::*;

const REPEATS: usize = 10;

fn delta(after: DemoCounters, before: DemoCounters) -> [u64; 4] {
    [after.discovery - before.discovery, after.jwks - before.jwks, after.token - before.token, after.api - before.api]
}

/// Local ports of this machine's TCP sockets connected to `port` (the client side of each connection).
fn client_ports(port: u16) -> BTreeSet<u16> {
    let text = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let local = fields.nth(1)?;
            let remote = fields.next()?;
            let state = fields.next()?;
            let remote_port = u16::from_str_radix(remote.rsplit(':').next()?, 16).ok()?;
            // 01 = ESTABLISHED
            (remote_port == port && state == "01")
                .then(|| u16::from_str_radix(local.rsplit(':').next()?, 16).ok())
                .flatten()
        })
        .collect()
}

fn main() {
    let rounds: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(40);
    // As the CLI and the TUI run: a multi-threaded runtime (2 workers on this machine).
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let server = DemoServer::start("127.0.0.1:0".parse().expect("addr")).await.expect("demo starts");
        let port = server.addr().port();
        let profile = demo_profile(&server, "demo-reader");
        let mut first_ms = Vec::new();
        let mut first_http_ms = Vec::new();
        let mut repeat_ms = Vec::new();
        let mut repeat_http_ms = Vec::new();
        let mut repeat_own_ms = Vec::new();
        let mut first_requests = Vec::new();
        let mut repeat_requests = Vec::new();
        let mut first_conns = Vec::new();
        let mut repeat_new_conns = 0usize;
        for _ in 0..rounds {
            let engine = engine();
            let before = server.counters();
            let ports_before = client_ports(port);
            let started = Instant::now();
            let report = engine.call(call_spec(&profile, "demo-reader", "read orders"), None).await;
            first_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(report.response.as_ref().map(|r| r.status), Some(200), "read orders is allowed");
            let http = report.token_request.as_ref().map(|t| t.latency_ms).unwrap_or_default()
                + report.response.as_ref().map(|r| r.latency_ms).unwrap_or_default();
            first_http_ms.push(http);
            first_requests.push(delta(server.counters(), before));
            let ports_after_first = client_ports(port);
            first_conns.push(ports_after_first.difference(&ports_before).count());
            for _ in 0..REPEATS {
                let before = server.counters();
                let started = Instant::now();
                let report = engine.call(call_spec(&profile, "demo-reader", "read orders"), None).await;
                let total = started.elapsed().as_secs_f64() * 1000.0;
                assert_eq!(report.response.as_ref().map(|r| r.status), Some(200));
                assert!(report.token_request.is_none(), "the repeat call reuses the cached token");
                let api = report.response.as_ref().map(|r| r.latency_ms).unwrap_or_default();
                repeat_ms.push(total);
                repeat_http_ms.push(api);
                repeat_own_ms.push(total - api);
                repeat_requests.push(delta(server.counters(), before));
            }
            repeat_new_conns += client_ports(port).difference(&ports_after_first).count();
        }

        // A bare reqwest client, keep-alive, the same API request: loopback + server alone.
        let token = engine().call(call_spec(&profile, "demo-reader", "read orders"), None).await.access_token.expect("a token");
        let client = reqwest::Client::new();
        let url = format!("{}/api/protected", server.base_url());
        let mut bare_ms = Vec::new();
        for i in 0..(rounds * REPEATS + 5) {
            let started = Instant::now();
            let response = client.get(&url).bearer_auth(token.expose()).send().await.expect("sent");
            let _ = response.bytes().await.expect("body");
            if i >= 5 {
                bare_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }

        // Building the engine: reqwest builds its TLS verifier (the system's CA roots) here.
        let mut engine_new_ms = Vec::new();
        for _ in 0..20 {
            let started = Instant::now();
            let engine = tokdbg::core::engine::Engine::new(tokdbg::core::net::http::HttpConfig::default());
            engine_new_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            drop(engine);
        }

        // What Engine::new cost before the TLS client became lazy: a reqwest client with rustls
        // and the platform verifier, which reads and parses the system's CA roots.
        let mut tls_client_ms = Vec::new();
        for _ in 0..20 {
            let started = Instant::now();
            let client = reqwest::Client::builder().build().expect("a TLS client");
            tls_client_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            drop(client);
        }

        println!("full call against the demo on loopback: demo-reader \"read orders\" (200), {rounds} rounds x (1 first + {REPEATS} repeat)");
        report("first call (fresh Engine): wall", "ms", &mut first_ms);
        report("first call: token + API request HTTP time", "ms", &mut first_http_ms);
        report("repeat call (same Engine): wall", "ms", &mut repeat_ms);
        report("repeat call: API request HTTP time (server + loopback)", "ms", &mut repeat_http_ms);
        report("repeat call: tokdbg's own time (wall - HTTP)", "ms", &mut repeat_own_ms);
        report("bare reqwest keep-alive GET, same request", "ms", &mut bare_ms);
        report("Engine::new (HTTP client and caches)", "ms", &mut engine_new_ms);
        report("  before: reqwest client with TLS (loads the CA roots)", "ms", &mut tls_client_ms);
        let show = |label: &str, all: &[[u64; 4]]| {
            let distinct: BTreeSet<[u64; 4]> = all.iter().copied().collect();
            let text: Vec<String> = distinct
                .iter()
                .map(|[d, j, t, a]| format!("discovery {d}, jwks {j}, token {t}, api {a} (total {})", d + j + t + a))
                .collect();
            println!("{label:<58} {}", text.join(" | "));
        };
        show("HTTP requests per first call", &first_requests);
        show("HTTP requests per repeat call", &repeat_requests);
        let conns: BTreeSet<usize> = first_conns.iter().copied().collect();
        println!("{:<58} {:?} (per first call)", "TCP connections opened", conns);
        println!("{:<58} {repeat_new_conns} (over {} repeat calls)", "TCP connections opened by repeat calls", rounds * REPEATS);
        server.shutdown().await;
    });
}
