//! Shared by the benches: tokens signed with the demo keys, a loopback JWKS server, a demo
//! call captured over real HTTP, and the TUI driven on a `TestBackend` (as the tests do).
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use axum::Router;
use axum::http::header;
use axum::routing::get;
use jsonwebtoken::Algorithm;
use jsonwebtoken::jwk::JwkSet;
use serde_json::{Value, json};
use tokdbg::core::engine::{CallReport, CallSpec, Engine, TokenChoice};
use tokdbg::core::model::profile::{NoPrompt, Profile};
use tokdbg::core::net::http::HttpConfig;
use tokdbg::core::store::profile_store::parse_profile;
use tokdbg::core::token::verify::VerifyOptions;
use tokdbg::demo::{DemoKey, DemoServer, demo_profiles, sign_hmac_token, sign_token};

pub const ISSUER: &str = "https://issuer.bench.test/oidc";
pub const HMAC_SECRET: &str = "bench-hmac-secret-of-32-bytes-ok";

/// A current-thread runtime with I/O and timers (the micro benches are single-threaded).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime")
}

/// What the demo issuer puts in an access token (about 0.6 KiB signed with RS256).
pub fn typical_claims(now: i64) -> Value {
    json!({
        "iss": ISSUER,
        "sub": "demo-reader",
        "aud": "demo-app",
        "client_id": "demo-reader",
        "azp": "demo-reader",
        "scope": "openid order:read order:list",
        "iat": now - 60,
        "nbf": now - 60,
        "exp": now + 3540,
        "jti": "0f8c2a4e-5b1d-4c7e-9a3f-2d6b8e1c4a70",
    })
}

/// The five algorithms of the micro benches: (name, algorithm, key, kid).
pub const ALGORITHMS: [(&str, Algorithm, Option<DemoKey>); 5] = [
    ("RS256", Algorithm::RS256, Some(DemoKey::Rsa1)),
    ("PS256", Algorithm::PS256, Some(DemoKey::Rsa2)),
    ("ES256", Algorithm::ES256, Some(DemoKey::Ec256)),
    ("EdDSA", Algorithm::EdDSA, Some(DemoKey::Ed25519)),
    ("HS256", Algorithm::HS256, None),
];

/// A token for `claims` with `alg`: the demo key's kid in the header, or HS256 with [`HMAC_SECRET`].
pub fn token_for(alg: Algorithm, key: Option<DemoKey>, claims: &Value) -> String {
    match key {
        Some(key) => sign_token(claims, alg, key, Some(key.kid())),
        None => sign_hmac_token(claims, alg, HMAC_SECRET.as_bytes()),
    }
}

/// The JWKS of the micro benches: every asymmetric key above, labelled with its algorithm
/// (demo-rsa-2 as PS256), plus `extra` RSA keys (demo-rsa-1's material under kids `k-0`..).
pub fn bench_jwks(extra: usize) -> String {
    let mut keys = Vec::new();
    for i in 0..extra {
        let mut jwk = DemoKey::Rsa1.public_jwk(Algorithm::RS256);
        jwk.common.key_id = Some(format!("k-{i}"));
        keys.push(jwk);
    }
    for (_, alg, key) in ALGORITHMS {
        if let Some(key) = key {
            keys.push(key.public_jwk(alg));
        }
    }
    serde_json::to_string(&JwkSet { keys }).expect("a JWK set serializes")
}

/// Serves `body` as `application/json` at `/jwks.json` on 127.0.0.1:0 (on the current runtime).
pub async fn serve_jwks(body: String) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let addr: SocketAddr = listener.local_addr().expect("local addr");
    let app = Router::new()
        .route("/jwks.json", get(move || async move { ([(header::CONTENT_TYPE, "application/json")], body) }));
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}/jwks.json"), task)
}

/// The options an express-jwt-like API would use for a token of `alg`.
pub fn verify_options(alg: Algorithm, jwks_uri: &str, now: i64) -> VerifyOptions {
    VerifyOptions {
        algorithms: vec![format!("{alg:?}")],
        issuer: Some(ISSUER.to_owned()),
        audience: vec!["demo-app".to_owned()],
        leeway_secs: 0,
        jwks_uri: Some(jwks_uri.to_owned()),
        jwks_tls: Default::default(),
        hmac_secret: Some(tokdbg::core::model::secret::Secret::new(HMAC_SECRET)),
        now,
        rules: Default::default(),
    }
}

/// An engine with loopback timeouts.
pub fn engine() -> Engine {
    Engine::new(HttpConfig {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(5),
        ..HttpConfig::default()
    })
}

/// A demo profile pointed at `server`, parsed as a user's file is.
pub fn demo_profile(server: &DemoServer, stem: &str) -> Profile {
    let (_, text) =
        demo_profiles(&server.base_url()).into_iter().find(|(name, _)| *name == stem).expect("a demo profile");
    parse_profile(&text, &format!("{stem}.toml")).expect("the demo profile parses")
}

/// The call of `stem`'s `endpoint`, fetching (or reusing) a token.
pub fn call_spec(profile: &Profile, stem: &str, endpoint: &str) -> CallSpec {
    let secret = profile
        .client
        .as_ref()
        .and_then(|c| c.secret.as_ref())
        .expect("client.secret")
        .resolve("client secret", &NoPrompt)
        .expect("literal secret");
    CallSpec {
        profile_key: stem.to_owned(),
        profile: profile.clone(),
        endpoint: profile.endpoint(endpoint).expect("the endpoint").clone(),
        token: TokenChoice::Fetch {
            credentials: tokdbg::core::model::credentials::Credentials::secret(secret),
            force: false,
        },
    }
}

/// One real call against the demo (demo-reader, "write orders": a 403 with a scope gap).
pub async fn captured_call(server: &DemoServer) -> (CallReport, Profile) {
    let profile = demo_profile(server, "demo-reader");
    let report = engine().call(call_spec(&profile, "demo-reader", "write orders"), None).await;
    (report, profile)
}

/// `count` profile files like the demo's, each named and pointed at its own issuer host.
pub fn write_profiles(dir: &Path, count: usize) {
    let (_, reader) =
        demo_profiles("http://127.0.0.1:4455").into_iter().find(|(n, _)| *n == "demo-reader").expect("demo-reader");
    for i in 0..count {
        let text = reader
            .replace(
                "name = \"reader (200 / 403 / misconfigured APIs)\"",
                &format!("name = \"orders service {i:03} (team {})\"", i % 17),
            )
            .replace("127.0.0.1:4455", &format!("issuer-{i:03}.example.test"))
            .replace("id = \"demo-reader\"", &format!("id = \"client-{i:03}\""));
        std::fs::write(dir.join(format!("svc-{i:03}.toml")), text).expect("write a profile");
    }
}

/// Median and the interquartile range of `samples` (sorted in place), in the samples' unit.
pub fn median_iqr(samples: &mut [f64]) -> (f64, f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.25), at(0.75))
}

/// Prints one result line: `name  median  [p25 .. p75]  unit  (n=N)`, and the min and max.
pub fn report(name: &str, unit: &str, samples: &mut [f64]) {
    let (median, p25, p75) = median_iqr(samples);
    let min = samples.first().copied().unwrap_or_default();
    let max = samples.last().copied().unwrap_or_default();
    println!(
        "{name:<58} median {median:>9.3} {unit}  IQR [{p25:.3} .. {p75:.3}]  min {min:.3} max {max:.3}  (n={})",
        samples.len()
    );
}

// ---------------------------------------------------------------------------------------------
// The TUI, driven as the tests drive it

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokdbg::core::model::secret::Secret;
use tokdbg::core::store::profile_store::{self, DirOrigin};
use tokdbg::tui::event_loop;
use tokdbg::tui::msg::Msg;
use tokdbg::tui::state::app::App;
use tokdbg::tui::state::profiles::ProfileList;
use tokdbg::tui::tasks::{Clipboard, Runner};

pub fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub fn press(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A clipboard that drops everything (no bench copies).
pub struct NoClipboard;

impl Clipboard for NoClipboard {
    fn copy(&mut self, label: &str, _text: &Secret, _to_file: bool) -> Result<String, String> {
        Ok(format!("{label} not copied (bench)"))
    }
}

/// The app as `tokdbg demo` opens it: the demo profiles written to `dir` for `server`,
/// loaded from disk, demo-reader selected, the banner set.
pub fn demo_app(server: &DemoServer, dir: &Path, width: u16, height: u16) -> App {
    tokdbg::demo::write_demo_profiles(dir, &server.base_url()).expect("write the demo profiles");
    let store = profile_store::load_dir(dir, DirOrigin::Flag).expect("the profile dir loads");
    let mut app = App::new(ProfileList::from_store(&store), tokdbg::core::clock::now_unix(), true);
    app.banner = Some(format!("demo issuer {} · demo-only credentials · ? for keys", server.issuer()));
    app.profiles.select_stem("demo-reader");
    app.size = (width, height);
    app
}

/// Runs the real event loop over `script` (end it with `Msg::WaitIdle` to wait for results).
pub async fn drive(app: &mut App, terminal: &mut Terminal<TestBackend>, script: Vec<Msg>) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let mut runner = Runner::new(Arc::new(engine()), tx, Box::new(NoClipboard));
    let run = event_loop::run(
        terminal,
        futures_util::stream::iter(script),
        app,
        &mut runner,
        rx,
        tokdbg::core::clock::now_unix,
    );
    tokio::time::timeout(Duration::from_secs(20), run)
        .await
        .expect("the script ends within 20 s")
        .expect("the loop draws");
}

/// The text of a buffer, one line per row.
pub fn screen_text(buffer: &ratatui::buffer::Buffer) -> String {
    let width = buffer.area.width as usize;
    buffer
        .content
        .chunks(width)
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>().trim_end().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}
