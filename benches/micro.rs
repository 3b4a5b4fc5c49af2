//! Micro benches (criterion): decode, verification per algorithm next to the crypto floor,
//! scope gap, `WWW-Authenticate` parsing, and the diagnosis of a real call.
//!
//! `cargo bench --bench micro`. Verification uses `tokdbg::core::token::verify::verify` with a
//! `JwksCache` that fetched its set once from a loopback server before timing; the floor is
//! the same signature check through `jsonwebtoken::crypto::verify` with a prebuilt key.

mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jsonwebtoken::{DecodingKey, Validation};
use tokdbg::core::clock;
use tokdbg::core::diagnose::diagnose;
use tokdbg::core::model::profile::ScopeMatch;
use tokdbg::core::net::jwks::JwksCache;
use tokdbg::core::probe::www_authenticate;
use tokdbg::core::token::jwt;
use tokdbg::core::token::scopes::{granted_scopes, scope_gap};
use tokdbg::core::token::verify::verify;
use tokdbg::demo::DemoServer;

use common::*;

fn decode(c: &mut Criterion) {
    let token = token_for(
        jsonwebtoken::Algorithm::RS256,
        Some(tokdbg::demo::DemoKey::Rsa1),
        &typical_claims(clock::now_unix()),
    );
    eprintln!("typical RS256 access token: {} bytes", token.len());
    c.bench_function("decode/typical RS256 access token", |b| {
        b.iter(|| jwt::decode(black_box(&token)).expect("decodes"))
    });
}

fn verification(c: &mut Criterion) {
    let rt = runtime();
    let now = clock::now_unix();
    let (uri, _server) = rt.block_on(serve_jwks(bench_jwks(0)));
    let cache = JwksCache::new(engine().http().clone());
    let claims = typical_claims(now);
    let mut group = c.benchmark_group("verify");
    for (name, alg, key) in ALGORITHMS {
        let token = token_for(alg, key, &claims);
        let decoded = jwt::decode(&token).expect("decodes");
        let options = verify_options(alg, &uri, now);
        // Fill the cache before the timing loop; every timed lookup is a cache hit.
        let first = rt.block_on(verify(&cache, &decoded, &options));
        assert!(first.valid, "{name} verifies: {:?}", first.checks);

        group.bench_function(format!("{name}/tokdbg verify (cached JWKS)"), |b| {
            b.to_async(&rt).iter(|| async { verify(&cache, black_box(&decoded), &options).await })
        });

        // The floor: the signature check alone, the key already parsed.
        let floor_key = match key {
            Some(key) => {
                let jwk = key.public_jwk(alg);
                DecodingKey::from_jwk(&jwk).expect("jwk")
            }
            None => DecodingKey::from_secret(HMAC_SECRET.as_bytes()),
        };
        group.bench_function(format!("{name}/floor jsonwebtoken::crypto::verify"), |b| {
            b.iter(|| {
                let ok = jsonwebtoken::crypto::verify(
                    black_box(&decoded.signature_b64),
                    decoded.signing_input.as_bytes(),
                    &floor_key,
                    alg,
                );
                assert!(matches!(ok, Ok(true)));
            })
        });

        // What a service would call: jsonwebtoken::decode (split, base64, JSON, signature, claims).
        let mut validation = Validation::new(alg);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&["demo-app"]);
        group.bench_function(format!("{name}/reference jsonwebtoken::decode"), |b| {
            b.iter(|| {
                jsonwebtoken::decode::<serde_json::Value>(black_box(&token), &floor_key, &validation).expect("valid")
            })
        });
    }
    group.finish();
    assert_eq!(cache.fetch_count(), 1, "the JWKS was fetched once, before timing");
}

fn scopes_and_headers(c: &mut Criterion) {
    let token =
        jwt::decode(&token_for(jsonwebtoken::Algorithm::RS256, Some(tokdbg::demo::DemoKey::Rsa1), &typical_claims(0)))
            .expect("decodes");
    let required = vec!["order:read".to_owned(), "order:write".to_owned()];
    c.bench_function("scope gap/granted scopes + gap (2 required, 3 granted)", |b| {
        b.iter(|| {
            let granted = granted_scopes(black_box(&token.claims), "scope").map(|g| g.scopes).unwrap_or_default();
            scope_gap(&required, &granted, ScopeMatch::All)
        })
    });

    let headers = [
        // express-jwt-authz
        vec![r#"Bearer scope="order:write", error="Insufficient scope""#.to_owned()],
        // RFC 6750 (Spring)
        vec![r#"Bearer realm="orders", error="invalid_token", error_description="Jwt expired at 2026-11-23T10:00:00Z", error_uri="https://tools.ietf.org/html/rfc6750#section-3.1""#.to_owned()],
        // several challenges in one line
        vec![r#"Negotiate abc123==, Basic realm="legacy", Bearer realm="api", scope="order:read order:write""#.to_owned()],
    ];
    for (name, header) in ["express-jwt-authz 403", "RFC 6750 expired", "three challenges"].iter().zip(headers.iter()) {
        c.bench_function(&format!("www-authenticate/{name}"), |b| {
            b.iter(|| www_authenticate::bearer(black_box(header)).expect("a bearer challenge"))
        });
    }
}

fn diagnosis(c: &mut Criterion) {
    let rt = runtime();
    let (report, profile) = rt.block_on(async {
        let server = DemoServer::start("127.0.0.1:0".parse().expect("addr")).await.expect("demo starts");
        let captured = captured_call(&server).await;
        server.shutdown().await;
        captured
    });
    assert_eq!(report.response.as_ref().map(|r| r.status), Some(403), "write orders is a 403 for demo-reader");
    c.bench_function("diagnose/403 scope_missing call (demo-reader, write orders)", |b| {
        b.iter(|| diagnose(black_box(&report.facts(&profile, false))))
    });
}

criterion_group!(benches, decode, verification, scopes_and_headers, diagnosis);
criterion_main!(benches);
