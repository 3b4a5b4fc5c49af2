//! The demo's emulated stacks against their real libraries' answers: each case sends the demo
//! the request a captured fixture (`tests/fixtures/<stack>/*.http`) was answered to, with the
//! same kind of token, and compares status, the headers that carry meaning and the body.
//!
//! Volatile values are normalised on both sides before comparing: loopback ports, instants
//! (`2026-11-30T14:29:43Z`), and values a case's setup decides (see [`Deliberate`]). Run one
//! case with `cargo test --test main demo_fidelity::<stack>_<fixture stem>`.
//!
//! Fixtures with no case here, and why:
//! * `express_jwt/interop_es256_at_rs256`: the real API allows RS256 only; the demo's Express
//!   route allows RS256 and ES256 on purpose (profile demo-es256 shows an ES256 token accepted).
//! * `express_jwt/interop_api_hs256_only`, `pyjwt/interop_api_hs256_only`: the demo has no
//!   HS256-only route (an API keyed with a shared secret teaches nothing the zero-setup demo's
//!   `demo-hs256` profile does not).
//! * `express_oauth2_jwt_bearer`, `fastify_jwt`, `koa_jwt`: stacks the demo does not emulate.
//! * Spring: no Spring runs here; the Spring fixtures marked "captured from `tokdbg demo serve`"
//!   are the demo's own answers, so their cases guard the emulation against drift only. The
//!   hand-written ones (no `error_uri`, other wordings) are not the demo's shape.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::Algorithm;
use rstest::rstest;
use serde_json::Value;
use tokdbg::core::probe::www_authenticate::bearer;
use tokdbg::core::server_message::interpret_answer;
use tokdbg::demo::{DemoKey, DemoServer, sign_token};

use crate::support::captured::{Fixture, fixtures_dir, parse};
use crate::support::{BoxError, TestResult, start_demo};

/// The headers whose values say something about the failure or the stack.
const MEANINGFUL_HEADERS: &[&str] = &["www-authenticate", "content-type", "x-powered-by", "server"];

/// How the request's token is obtained, as `tests/interop/runner.py` obtains it.
#[derive(Debug, Clone, Copy)]
enum Token {
    /// No `Authorization` header.
    None,
    /// Fetched from the demo issuer by this client (client_credentials, scope order:read).
    Fetch(&'static str),
    /// demo-reader's token with one byte of its signature flipped.
    Tampered,
    /// demo-reader's claims signed by a key the demo never published, under a kid it lacks.
    UnknownKid,
}

/// Where the demo differs from the real library on purpose; the body is compared after the
/// part that differs is masked on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Deliberate {
    Nothing,
    /// The misconfigured audience is a setting of the app, not of the library: the real app
    /// expects `https://api.example.com`, the demo's copies the quick start's slip (the AK,
    /// `demo-reader`). The text after `expected: ` is masked.
    ExpectedValue,
    /// Express's final handler prints `err.stack` unless NODE_ENV=production (the interop run
    /// sets it and gets "Internal Server Error"); the demo plays a development server and shows
    /// the `JwksError` line, the cause the zero-setup TUI is there to teach. The `<pre>` text is
    /// masked; the page, status and headers must still be Express's.
    ErrorPageText,
}

#[rstest]
#[case::express_jwt_interop_no_token(
    "express_jwt/interop_no_token.http",
    "GET",
    "/api/protected",
    Token::None,
    Deliberate::Nothing
)]
#[case::express_jwt_interop_scope_gap(
    "express_jwt/interop_scope_gap.http",
    "POST",
    "/api/orders",
    Token::Fetch("demo-reader"),
    Deliberate::Nothing
)]
#[case::express_jwt_interop_expired(
    "express_jwt/interop_expired.http",
    "GET",
    "/api/protected",
    Token::Fetch("demo-skewed"),
    Deliberate::Nothing
)]
#[case::express_jwt_interop_tampered(
    "express_jwt/interop_tampered.http",
    "GET",
    "/api/protected",
    Token::Tampered,
    Deliberate::Nothing
)]
#[case::express_jwt_interop_unknown_kid(
    "express_jwt/interop_unknown_kid.http",
    "GET",
    "/api/protected",
    Token::UnknownKid,
    Deliberate::Nothing
)]
#[case::express_jwt_interop_hs256_token(
    "express_jwt/interop_hs256_token.http",
    "GET",
    "/api/protected",
    Token::Fetch("demo-hs256"),
    Deliberate::Nothing
)]
#[case::express_jwt_interop_wrong_issuer(
    "express_jwt/interop_wrong_issuer.http",
    "GET",
    "/api/misconfigured/issuer",
    Token::Fetch("demo-reader"),
    Deliberate::Nothing
)]
#[case::express_jwt_interop_wrong_audience(
    "express_jwt/interop_wrong_audience.http",
    "GET",
    "/api/misconfigured/audience",
    Token::Fetch("demo-reader"),
    Deliberate::ExpectedValue
)]
#[case::express_jwt_interop_wrong_jwks_url(
    "express_jwt/interop_wrong_jwks_url.http",
    "GET",
    "/api/misconfigured/jwks",
    Token::Fetch("demo-reader"),
    Deliberate::ErrorPageText
)]
#[case::express_jwt_interop_api_reads_scp(
    "express_jwt/interop_api_reads_scp.http",
    "GET",
    "/api/misconfigured/scp",
    Token::Fetch("demo-reader"),
    Deliberate::Nothing
)]
#[case::pyjwt_interop_no_token(
    "pyjwt/interop_no_token.http",
    "GET",
    "/api/fastapi/protected",
    Token::None,
    Deliberate::Nothing
)]
#[case::pyjwt_interop_scope_gap(
    "pyjwt/interop_scope_gap.http",
    "POST",
    "/api/fastapi/orders",
    Token::Fetch("demo-reader"),
    Deliberate::Nothing
)]
#[case::pyjwt_interop_expired(
    "pyjwt/interop_expired.http",
    "GET",
    "/api/fastapi/protected",
    Token::Fetch("demo-skewed"),
    Deliberate::Nothing
)]
#[case::pyjwt_interop_tampered(
    "pyjwt/interop_tampered.http",
    "GET",
    "/api/fastapi/protected",
    Token::Tampered,
    Deliberate::Nothing
)]
#[case::pyjwt_interop_unknown_kid(
    "pyjwt/interop_unknown_kid.http",
    "GET",
    "/api/fastapi/protected",
    Token::UnknownKid,
    Deliberate::Nothing
)]
#[case::pyjwt_interop_hs256_token(
    "pyjwt/interop_hs256_token.http",
    "GET",
    "/api/fastapi/protected",
    Token::Fetch("demo-hs256"),
    Deliberate::Nothing
)]
#[case::pyjwt_interop_es256_at_rs256(
    "pyjwt/interop_es256_at_rs256.http",
    "GET",
    "/api/fastapi/protected",
    Token::Fetch("demo-es256"),
    Deliberate::Nothing
)]
#[case::pyjwt_interop_wrong_issuer(
    "pyjwt/interop_wrong_issuer.http",
    "GET",
    "/api/fastapi/misconfigured/issuer",
    Token::Fetch("demo-reader"),
    Deliberate::Nothing
)]
#[case::pyjwt_interop_wrong_audience(
    "pyjwt/interop_wrong_audience.http",
    "GET",
    "/api/fastapi/misconfigured/audience",
    Token::Fetch("demo-reader"),
    Deliberate::Nothing
)]
#[case::pyjwt_interop_wrong_jwks_url(
    "pyjwt/interop_wrong_jwks_url.http",
    "GET",
    "/api/fastapi/misconfigured/jwks",
    Token::Fetch("demo-reader"),
    Deliberate::Nothing
)]
#[case::pyjwt_interop_api_reads_scp(
    "pyjwt/interop_api_reads_scp.http",
    "GET",
    "/api/fastapi/misconfigured/scp",
    Token::Fetch("demo-reader"),
    Deliberate::Nothing
)]
#[case::spring_no_token_bare_challenge(
    "spring/no_token_bare_challenge.http",
    "GET",
    "/api/rfc6750/protected",
    Token::None,
    Deliberate::Nothing
)]
#[case::spring_insufficient_scope(
    "spring/insufficient_scope.http",
    "GET",
    "/api/rfc6750/protected",
    Token::Fetch("demo-noscope"),
    Deliberate::Nothing
)]
#[case::spring_jwt_expired_at(
    "spring/jwt_expired_at.http",
    "GET",
    "/api/rfc6750/protected",
    Token::Fetch("demo-skewed"),
    Deliberate::Nothing
)]
#[case::spring_invalid_signature(
    "spring/invalid_signature.http",
    "GET",
    "/api/rfc6750/protected",
    Token::Tampered,
    Deliberate::Nothing
)]
#[case::spring_another_algorithm_expected(
    "spring/another_algorithm_expected.http",
    "GET",
    "/api/rfc6750/protected",
    Token::UnknownKid,
    Deliberate::Nothing
)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_answers_as_the_real_library(
    #[case] path: &str,
    #[case] method: &str,
    #[case] route: &str,
    #[case] token: Token,
    #[case] deliberate: Deliberate,
) -> TestResult {
    let real = parse(&std::fs::read_to_string(fixtures_dir().join(path))?)?;
    let server = start_demo().await?;
    let demo = ask_demo(&server, method, route, token).await?;

    assert_eq!(demo.status, real.status, "{path}: status; demo body {:?}", demo.body);
    for name in MEANINGFUL_HEADERS {
        let (ours, theirs) = (demo.header(name).map(normalise), real.header(name).map(normalise));
        assert_eq!(ours, theirs, "{path}: header {name}");
    }
    let (ours, theirs) = (mask(&normalise(&demo.body), deliberate), mask(&normalise(&real.body), deliberate));
    assert_eq!(ours, theirs, "{path}: body");

    // Whatever was masked, tokdbg must read both answers as the same stack.
    let (ours, theirs) = (read(&demo), read(&real));
    assert_eq!(ours["dialect"], theirs["dialect"], "{path}: dialect (demo {ours}, real {theirs})");
    if deliberate != Deliberate::ErrorPageText {
        assert_eq!(ours["reason"]["kind"], theirs["reason"]["kind"], "{path}: reason (demo {ours}, real {theirs})");
    }
    server.shutdown().await;
    Ok(())
}

/// The demo's answer to the request, in the fixture's form.
async fn ask_demo(server: &DemoServer, method: &str, route: &str, token: Token) -> Result<Fixture, BoxError> {
    let client = reqwest::Client::new();
    let url = format!("{}{route}", server.base_url());
    let mut request = match method {
        "POST" => client
            .post(url)
            .header("content-type", "application/json")
            .body(r#"{"item": "coffee beans", "quantity": 1}"#),
        _ => client.get(url),
    };
    request = request.header("accept", "application/json");
    let sent_token = match token {
        Token::None => None,
        Token::Fetch(client_id) => Some(fetch_token(server, client_id).await?),
        Token::Tampered => Some(tampered(&fetch_token(server, "demo-reader").await?)),
        Token::UnknownKid => Some(unknown_kid(&fetch_token(server, "demo-reader").await?)?),
    };
    if let Some(token) = &sent_token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).trim().to_owned()))
        .collect();
    let www_authenticate =
        headers.iter().filter(|(name, _)| name == "www-authenticate").map(|(_, value)| value.clone()).collect();
    let body = response.text().await?;
    Ok(Fixture { expect: Vec::new(), sent_token: sent_token.is_some(), status, headers, www_authenticate, body })
}

/// A token from the demo issuer for `client_id` (its secret is `{client_id}-secret`).
async fn fetch_token(server: &DemoServer, client_id: &str) -> Result<String, BoxError> {
    let secret = format!("{client_id}-secret");
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", secret.as_str()),
        ("scope", "order:read"),
    ];
    let answer: Value =
        reqwest::Client::new().post(format!("{}/token", server.issuer())).form(&form).send().await?.json().await?;
    Ok(answer["access_token"].as_str().ok_or_else(|| format!("no access_token in {answer}"))?.to_owned())
}

/// The same token with one byte in the middle of its signature flipped.
fn tampered(token: &str) -> String {
    let (signing_input, signature) = token.rsplit_once('.').unwrap_or((token, ""));
    let mut raw = URL_SAFE_NO_PAD.decode(signature).unwrap_or_default();
    let middle = raw.len() / 2;
    if let Some(byte) = raw.get_mut(middle) {
        *byte ^= 0x01;
    }
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(raw))
}

/// The token's claims signed by a key the demo never published, under a kid its JWKS lacks.
fn unknown_kid(token: &str) -> Result<String, BoxError> {
    let payload = token.split('.').nth(1).ok_or("not a JWS")?;
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload)?)?;
    Ok(sign_token(&claims, Algorithm::RS256, DemoKey::RsaStranger, Some("interop-stranger-1")))
}

/// The answer as tokdbg's interpreter reads it, as JSON.
fn read(answer: &Fixture) -> Value {
    let challenge = bearer(&answer.www_authenticate);
    let verdict = interpret_answer(answer.status, challenge.as_ref(), &answer.headers, &answer.body, answer.sent_token);
    serde_json::to_value(&verdict).unwrap_or_default()
}

/// Loopback ports become `PORT`, ISO instants (`2026-11-30T14:29:43Z`) become `INSTANT`.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("127.0.0.1:") {
        let (before, after) = rest.split_at(at + "127.0.0.1:".len());
        out.push_str(before);
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        out.push_str(if digits > 0 { "PORT" } else { "" });
        rest = &after[digits..];
    }
    out.push_str(rest);
    mask_instants(&out)
}

fn mask_instants(text: &str) -> String {
    // YYYY-MM-DDTHH:MM:SSZ: digits everywhere but these positions.
    const SHAPE: &[u8] = b"0000-00-00T00:00:00Z";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let window = bytes.get(i..i + SHAPE.len());
        let is_instant = window
            .is_some_and(|w| w.iter().zip(SHAPE).all(|(b, s)| if *s == b'0' { b.is_ascii_digit() } else { b == s }));
        if is_instant {
            out.push_str("INSTANT");
            i += SHAPE.len();
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// Masks the part of a body a [`Deliberate`] difference covers.
fn mask(body: &str, deliberate: Deliberate) -> String {
    let between = |start: &str, end: &str| -> String {
        match body.split_once(start).and_then(|(head, tail)| tail.split_once(end).map(|(_, rest)| (head, rest))) {
            Some((head, rest)) => format!("{head}{start}MASKED{end}{rest}"),
            None => body.to_owned(),
        }
    };
    match deliberate {
        Deliberate::Nothing => body.to_owned(),
        Deliberate::ExpectedValue => between("expected: ", "\""),
        Deliberate::ErrorPageText => between("<pre>", "</pre>"),
    }
}

/// A fixture of an emulated stack that nobody listed above, and that the header of this file
/// does not explain, would go unchecked: every interop capture of express-jwt and PyJWT is a
/// case or a named exception.
#[test]
fn every_interop_capture_of_an_emulated_stack_is_a_case() {
    let listed = include_str!("demo_fidelity.rs");
    for stack in ["express_jwt", "pyjwt"] {
        let dir = fixtures_dir().join(stack);
        let Ok(entries) = std::fs::read_dir(&dir) else { panic!("no {}", dir.display()) };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(stem) = name.strip_prefix("interop_").and_then(|n| n.strip_suffix(".http")) else { continue };
            let case = format!("\"{stack}/interop_{stem}.http\"");
            let excused = format!("`{stack}/interop_{stem}`");
            assert!(listed.contains(&case) || listed.contains(&excused), "{stack}/{name}: no case, no reason");
        }
    }
}
