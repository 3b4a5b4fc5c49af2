//! Scale (criterion): 500 profiles (load, filter per keystroke), a 64 KiB token (decode,
//! verify), a JWKS of 200 keys (parse, lookup, verify with the last kid).
//!
//! `cargo bench --bench scale`.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use jsonwebtoken::Algorithm;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;
use tokdbg::core::clock;
use tokdbg::core::net::jwks::{JwksCache, parse_key_set};
use tokdbg::core::store::profile_store::{self, DirOrigin};
use tokdbg::core::token::jwt;
use tokdbg::core::token::verify::verify;
use tokdbg::demo::{DemoKey, sign_token};
use tokdbg::tui::state::app::App;
use tokdbg::tui::state::profiles::ProfileList;
use tokdbg::tui::update::update;
use tokdbg::tui::view;

use common::*;

const PROFILES: usize = 500;

fn profiles(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    write_profiles(dir.path(), PROFILES);
    let mut group = c.benchmark_group("500 profiles");
    group.sample_size(30).measurement_time(Duration::from_secs(8));
    group.bench_function("load_dir (read + parse 500 files)", |b| {
        b.iter(|| {
            let store = profile_store::load_dir(black_box(dir.path()), DirOrigin::Flag).expect("loads");
            assert_eq!(store.entries.len(), PROFILES);
            store
        })
    });
    let store = profile_store::load_dir(dir.path(), DirOrigin::Flag).expect("loads");
    assert!(store.entries.iter().all(|e| e.loaded.is_ok()), "every generated profile parses");
    group.bench_function("ProfileList::from_store", |b| b.iter(|| ProfileList::from_store(black_box(&store))));
    group.finish();

    let mut group = c.benchmark_group("500 profiles filter");
    let mut list = ProfileList::from_store(&store);
    // Typing "team 16" one key at a time; each keystroke refilters all 500.
    let typed: Vec<String> = (1..="team 16".len()).map(|n| "team 16"[..n].to_owned()).collect();
    group.bench_function("set_filter per keystroke (typing \"team 16\", mean of 7)", |b| {
        b.iter(|| {
            for prefix in &typed {
                list.set_filter(black_box(prefix));
            }
        })
    });
    // The whole keystroke in the TUI: update in filter mode, then the 200x60 redraw.
    let mut app = App::new(ProfileList::from_store(&store), clock::now_unix(), true);
    app.size = (200, 60);
    let _ = update(&mut app, key('/'));
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    group.bench_function("filter keystroke + redraw 200x60 (type '1', Backspace: 2 keys)", |b| {
        b.iter(|| {
            let _ = update(&mut app, key('1'));
            terminal.draw(|frame| view::render(frame, &app)).expect("draws");
            let _ = update(&mut app, press(KeyCode::Backspace));
            terminal.draw(|frame| view::render(frame, &app)).expect("draws");
        })
    });
    group.finish();
}

fn big_token(c: &mut Criterion) {
    let rt = runtime();
    let now = clock::now_unix();
    let (uri, _server) = rt.block_on(serve_jwks(bench_jwks(0)));
    let cache = JwksCache::new(engine().http().clone());
    // A 64 KiB token: a typical one with 480 group claims (what a bloated IdP sends).
    let mut claims = typical_claims(now);
    let groups: Vec<String> = (0..480).map(|i| format!("cn=group-{i:04},ou=teams,dc=example,dc=test")).collect();
    claims["groups"] = json!(groups);
    let mut token = token_for(Algorithm::RS256, Some(DemoKey::Rsa1), &claims);
    while token.len() < 64 * 1024 {
        let pad = "x".repeat((64 * 1024 - token.len()) * 3 / 4 + 1);
        claims["pad"] = json!(pad);
        token = token_for(Algorithm::RS256, Some(DemoKey::Rsa1), &claims);
    }
    eprintln!("big token: {} bytes", token.len());
    let options = verify_options(Algorithm::RS256, &uri, now);
    let decoded = jwt::decode(&token).expect("decodes");
    assert!(rt.block_on(verify(&cache, &decoded, &options)).valid);
    let mut group = c.benchmark_group("64 KiB token");
    group.bench_function("decode", |b| b.iter(|| jwt::decode(black_box(&token)).expect("decodes")));
    group.bench_function("decode + verify RS256 (cached JWKS)", |b| {
        b.to_async(&rt).iter(|| async {
            let decoded = jwt::decode(black_box(&token)).expect("decodes");
            verify(&cache, &decoded, &options).await
        })
    });
    group.finish();
}

fn big_jwks(c: &mut Criterion) {
    let rt = runtime();
    let now = clock::now_unix();
    let body = bench_jwks(200);
    eprintln!("JWKS: 204 keys, {} bytes", body.len());
    let (uri, _server) = rt.block_on(serve_jwks(body.clone()));
    let cache = JwksCache::new(engine().http().clone());
    let token = sign_token(&typical_claims(now), Algorithm::RS256, DemoKey::Rsa1, Some("k-199"));
    let decoded = jwt::decode(&token).expect("decodes");
    let options = verify_options(Algorithm::RS256, &uri, now);
    let first = rt.block_on(verify(&cache, &decoded, &options));
    assert!(first.valid, "{:?}", first.checks);
    let mut group = c.benchmark_group("JWKS of 204 keys");
    group.bench_function("parse_key_set (204 RSA/EC/OKP keys)", |b| {
        b.iter(|| parse_key_set(black_box(&uri), body.as_bytes()).expect("a key set"))
    });
    group.bench_function("JwksCache::lookup kid k-199 (cached)", |b| {
        b.to_async(&rt)
            .iter(|| async { cache.lookup(&uri, &Default::default(), Some(black_box("k-199"))).await.expect("found") })
    });
    group.bench_function("verify RS256 kid k-199 (cached)", |b| {
        b.to_async(&rt).iter(|| async { verify(&cache, black_box(&decoded), &options).await })
    });
    group.finish();
    assert_eq!(cache.fetch_count(), 1);
}

criterion_group!(benches, profiles, big_token, big_jwks);
criterion_main!(benches);
