//! The bad-input corpus: tokens, JWK sets, discovery documents, token responses and profile
//! files that users (and servers) get wrong, each with the error KIND it must produce.
//!
//! Every case runs through the core (`jwt::decode` + `Engine::inspect`, `jwks::parse_key_set`,
//! `discovery::fetch`, `token_request::parse_token_response` + `Engine::call`, `parse_profile` /
//! `load_file`) and through the `tokdbg` binary as a process (`--json`, `NO_COLOR=1`), and
//! asserts: no panic, the expected kind, a message that names what is wrong and where, and
//! the exit code. Documents are served by the fault server (`tests/support/faults.rs`) on
//! 127.0.0.1; nothing leaves loopback.
//!
//! Each table case is a named case (`cargo test --test main bad_input::tokens::` runs one
//! table, `bad_input::tokens::case_01_empty` one case); `every_table_case_is_a_named_case`
//! keeps the tables and the case lists in step, and `corpus_size -- --nocapture` prints the
//! number of cases per category.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::Algorithm;
use serde_json::{Value, json};
use tokdbg::core::engine::{CallSpec, Engine, TokenChoice, TokenSource};
use tokdbg::core::findings::{Code, Finding};
use tokdbg::core::model::profile::{IssuerConfig, Profile};
use tokdbg::core::model::secret::Secret;
use tokdbg::core::net::discovery::{self, DiscoveryError};
use tokdbg::core::net::http::{Http, HttpConfig, HttpResponse};
use tokdbg::core::net::jwks;
use tokdbg::core::oauth::token_request::{self, TokenError};
use tokdbg::core::store::profile_store::{self, ProfileError};
use tokdbg::core::token::jwt::{self, DecodeError};
use tokdbg::demo::{DemoKey, DemoServer};

use crate::support::faults::{Fault, FaultServer, Reply};
use crate::support::{self, Invocation, Run};
use rstest::rstest;

/// `verify` without a profile or `--alg`: every asymmetric algorithm (as the CLI does).
const ASYMMETRIC: [&str; 9] = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];
/// The audience the `aud` cases expect (`--aud demo-app`).
const AUD: &str = "demo-app";

// ---------------------------------------------------------------------------------------------
// Shared plumbing: running the binary, collecting failures, checking messages.

/// The case checks on a run: each says what differs instead of panicking, so a case's
/// failure message names the case.
trait Checks {
    fn exit(&self, expected: i32) -> Result<&Self, String>;
    /// `{"error": {kind, message, exit_code}}`: the kind, and the message holding every needle.
    fn error_kind(&self, kind: &str, needles: &[String]) -> Result<(), String>;
    /// The first finding's code is `code` (and, with needles, its message holds them).
    fn first_finding(&self, code: &str, needles: &[String]) -> Result<Value, String>;
}

impl Checks for Run {
    fn exit(&self, expected: i32) -> Result<&Self, String> {
        if self.code != expected {
            return Err(format!("exit {} instead of {expected}: {}", self.code, self.describe()));
        }
        if self.panicked() {
            return Err(format!("the binary panicked: {}", self.describe()));
        }
        Ok(self)
    }

    fn error_kind(&self, kind: &str, needles: &[String]) -> Result<(), String> {
        let value = self.try_json()?;
        let error = &value["error"];
        if error["kind"] != kind {
            return Err(format!("error kind {} instead of {kind}: {}", error["kind"], self.describe()));
        }
        if error["exit_code"] != self.code {
            return Err(format!(
                "error.exit_code {} differs from the exit code: {}",
                error["exit_code"],
                self.describe()
            ));
        }
        has_all(error["message"].as_str().unwrap_or_default(), needles).map_err(|e| format!("{e}\n{}", self.describe()))
    }

    fn first_finding(&self, code: &str, needles: &[String]) -> Result<Value, String> {
        let value = self.try_json()?;
        let first = value["findings"].get(0).cloned().unwrap_or(Value::Null);
        if first["code"] != code {
            return Err(format!("first finding {} instead of {code}: {}", first["code"], self.describe()));
        }
        let text = format!(
            "{} | expected {} | actual {}",
            first["message"].as_str().unwrap_or_default(),
            first["evidence"]["expected"],
            first["evidence"]["actual"]
        );
        has_all(&text, needles).map_err(|e| format!("{e}\n{}", self.describe()))?;
        Ok(value)
    }
}

/// Runs the binary (see `support::tokdbg_command`); a spawn failure or a hang is a run with
/// exit code -1 saying so, which fails the case's exit check.
async fn tokdbg(args: Vec<String>, stdin: Option<Vec<u8>>) -> Run {
    let invocation = Invocation::new(&args);
    let invocation = match stdin {
        Some(bytes) => invocation.stdin(bytes),
        None => invocation,
    };
    invocation.try_run().await.unwrap_or_else(|e| Run { args, code: -1, stderr: e, ..Run::default() })
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|a| (*a).to_owned()).collect()
}

fn strings(list: &[&str]) -> Vec<String> {
    args(list)
}

/// Ok when `text` holds every needle (exact, case-sensitive).
fn has_all(text: &str, needles: &[String]) -> Result<(), String> {
    let missing: Vec<&String> = needles.iter().filter(|n| !text.contains(n.as_str())).collect();
    if missing.is_empty() { Ok(()) } else { Err(format!("message lacks {missing:?}: {text:?}")) }
}

/// Runs a synchronous core call, turning a panic into a failure that names the case.
fn no_panic<T>(case: &str, f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        let text = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        format!("{case}: the core panicked: {text}")
    })
}

/// Runs an async core call on its own task, turning a panic into a failure.
async fn no_panic_async<T: Send + 'static>(
    case: &str,
    f: impl std::future::Future<Output = T> + Send + 'static,
) -> Result<T, String> {
    tokio::spawn(f).await.map_err(|e| format!("{case}: the core panicked: {e}"))
}

/// Runs the table case called `name` (each table case is one named `rstest` case, so one can
/// be run alone: `cargo test --test main bad_input::tokens::case_01_empty`).
async fn run_case<C, F, Fut>(cases: Vec<C>, name: &str, name_of: impl Fn(&C) -> &'static str, check: F)
where
    F: FnOnce(C) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let case = cases.into_iter().find(|c| name_of(c) == name).unwrap_or_else(|| panic!("no table case {name:?}"));
    if let Err(failure) = check(case).await {
        panic!("[{name}] {failure}");
    }
}

fn http() -> Http {
    Http::new(short_config())
}

fn short_config() -> HttpConfig {
    HttpConfig { connect_timeout: Duration::from_secs(2), timeout: Duration::from_secs(5), ..HttpConfig::default() }
}

fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn seg(value: &Value) -> String {
    b64(value.to_string())
}

fn now() -> i64 {
    support::now()
}

/// A profile directory holding `{stem}.toml` with `text` (`{origin}` and `{jwks}` filled in).
fn profile_dir(stem: &str, text: &str) -> Result<tempfile::TempDir, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    std::fs::write(dir.path().join(format!("{stem}.toml")), text).map_err(|e| e.to_string())?;
    Ok(dir)
}

fn dir_arg(dir: &Path) -> String {
    dir.display().to_string()
}

async fn start(fault: Fault) -> Result<FaultServer, String> {
    FaultServer::start(fault).await.map_err(|e| format!("fault server: {e}"))
}

async fn demo() -> DemoServer {
    support::start_demo().await.expect("the demo server starts on 127.0.0.1:0")
}

fn demo_jwks(server: &DemoServer) -> String {
    format!("{}/.well-known/jwks.json", server.issuer())
}

// ---------------------------------------------------------------------------------------------
// Tokens.

/// What a token must come to.
#[derive(Debug, Clone, Copy)]
enum TokenExpect {
    /// `jwt::decode` fails with this kind; verification's finding is `malformed_token`.
    Undecodable(&'static str),
    /// Decodes; verification's first finding has this code.
    Finding(Code),
    /// Decodes and verifies against the demo JWKS.
    Valid,
}

#[derive(Debug, Clone)]
enum TokenInput {
    Text(String),
    /// Raw bytes, as pasted into stdin (the core sees them lossily decoded).
    Bytes(Vec<u8>),
}

#[derive(Debug, Clone)]
struct TokenCase {
    name: &'static str,
    input: TokenInput,
    expect: TokenExpect,
    /// In the decode error (undecodable) or the first finding's message.
    needles: Vec<String>,
    /// Verify with `--aud demo-app`.
    aud: bool,
}

fn decode_kind(error: &DecodeError) -> &'static str {
    #[allow(unreachable_patterns)]
    match error {
        DecodeError::Empty => "empty",
        DecodeError::TooLarge(_) => "too_large",
        DecodeError::Encrypted => "encrypted",
        DecodeError::SegmentCount(_) => "segment_count",
        DecodeError::Base64 { .. } => "base64",
        DecodeError::Json { .. } => "json",
        DecodeError::NotObject { .. } => "not_object",
        DecodeError::BadCharacters(_) => "bad_characters",
        _ => "other",
    }
}

fn token_header() -> Value {
    json!({ "alg": "RS256", "typ": "JWT", "kid": DemoKey::Rsa1.kid() })
}

fn token_claims() -> Value {
    let now = now();
    json!({
        "iss": "https://issuer.example/oidc",
        "sub": "svc",
        "aud": AUD,
        "scope": "order:read",
        "iat": now,
        "exp": now + 3600,
    })
}

/// `value` with `key` set (to anything, `null` included).
fn with(mut value: Value, key: &str, new: Value) -> Value {
    if let Some(map) = value.as_object_mut() {
        map.insert(key.to_owned(), new);
    }
    value
}

fn without(mut value: Value, key: &str) -> Value {
    if let Some(map) = value.as_object_mut() {
        map.remove(key);
    }
    value
}

/// Signed with demo-rsa-1 (RS256) whatever the header says.
fn signed(header: &Value, claims: &Value) -> String {
    support::sign_with_header(header, claims, &DemoKey::Rsa1.encoding_key(), Algorithm::RS256)
}

/// Signed over exactly these two segments (e.g. padded ones).
fn signed_segments(header: &str, payload: &str) -> String {
    let message = format!("{header}.{payload}");
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &DemoKey::Rsa1.encoding_key(), Algorithm::RS256)
        .expect("signing with demo-rsa-1");
    format!("{message}.{signature}")
}

fn token_cases() -> Vec<TokenCase> {
    use TokenExpect::{Finding as F, Undecodable as U, Valid};
    let good = signed(&token_header(), &token_claims());
    let h = seg(&token_header());
    let p = seg(&token_claims());
    let sig = support::signature_of(&good);
    let claims = token_claims;
    let header = token_header;
    let mut cases = Vec::new();
    let mut add = |name: &'static str, token: String, expect: TokenExpect, needles: &[&str]| {
        cases.push(TokenCase { name, input: TokenInput::Text(token), expect, needles: strings(needles), aud: false });
    };

    // Not three segments.
    add("empty", String::new(), U("empty"), &["empty"]);
    add("only whitespace", " \n\t ".into(), U("empty"), &["empty"]);
    add("one segment (opaque)", "2YotnFZFEjr1zCsicMWpAA".into(), U("segment_count"), &["1 segment", "introspection"]);
    add("two segments", format!("{h}.{p}"), U("segment_count"), &["2 segment", "where a JWT has 3"]);
    add("four segments", format!("{good}.{sig}"), U("segment_count"), &["4 segment"]);
    add(
        "five segments (JWE)",
        format!("{}.a.b.c.d", b64(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#)),
        U("encrypted"),
        &["five segments", "JWE"],
    );
    add("six segments", "a.b.c.d.e.f".into(), U("segment_count"), &["6 segment"]);
    add("only dots", "..".into(), U("json"), &["header", "not valid JSON"]);
    // Base64.
    add("header of impossible length", format!("A.{p}.{sig}"), U("base64"), &["header", "base64url", "length"]);
    add("padding inside the header", format!("ab=cd.{p}.{sig}"), U("base64"), &["header", "base64url"]);
    add("payload of impossible length", format!("{h}.AAAAA.{sig}"), U("base64"), &["payload", "base64url"]);
    // Base64 of something that is not a JSON object.
    add("header is base64 of text", format!("{}.{p}.{sig}", b64("not json")), U("json"), &["header", "not valid JSON"]);
    add(
        "payload is base64 of HTML",
        format!("{h}.{}.{sig}", b64("<html>hi</html>")),
        U("json"),
        &["payload", "not valid JSON"],
    );
    add("empty header segment", format!(".{p}.{sig}"), U("json"), &["header", "EOF"]);
    add("empty payload segment", format!("{h}..{sig}"), U("json"), &["payload", "EOF"]);
    add("header is an array", format!("{}.{p}.{sig}", b64("[1]")), U("not_object"), &["header", "not an object"]);
    add("payload is a string", format!("{h}.{}.{sig}", b64("\"sub\"")), U("not_object"), &["payload", "not an object"]);
    add("payload is null", format!("{h}.{}.{sig}", b64("null")), U("not_object"), &["payload", "not an object"]);
    add("payload is a number", format!("{h}.{}.{sig}", b64("42")), U("not_object"), &["payload", "not an object"]);
    add(
        "payload nests arrays 10k deep",
        format!("{h}.{}.{sig}", b64("[".repeat(10_000) + &"]".repeat(10_000))),
        U("json"),
        &["payload", "recursion limit"],
    );
    add(
        "header nests objects 10k deep",
        format!("{}.{p}.{sig}", b64(r#"{"a":"#.repeat(10_000) + "1" + &"}".repeat(10_000))),
        U("json"),
        &["header", "recursion limit"],
    );
    add(
        "payload holds invalid UTF-8",
        format!("{h}.{}.{sig}", b64(b"{\"sub\":\"\xff\xfe\"}")),
        U("json"),
        &["payload", "unicode"],
    );
    add(
        "payload holds a raw control character",
        format!("{h}.{}.{sig}", b64("{\"sub\":\"a\u{1}b\"}")),
        U("json"),
        &["payload", "control character"],
    );
    // Size.
    let over = with(header(), "pad", json!("x".repeat(300_000)));
    add("header over the size cap", signed(&over, &claims()), U("too_large"), &["bytes", "262144-byte limit"]);
    let under = with(header(), "pad", json!("x".repeat(190_000)));
    add("header just under the size cap", signed(&under, &claims()), Valid, &[]);
    // Characters no JWT has.
    add("a space inside", format!("{h}.{} {}.{sig}", &p[..10], &p[10..]), U("bad_characters"), &["' '", "position"]);
    add(
        "a line break inside (wrapped paste)",
        format!("{}\n{}", &good[..40], &good[40..]),
        U("bad_characters"),
        &["'\\n'", "position 40"],
    );
    add("a non-ASCII letter", format!("{h}é.{p}.{sig}"), U("bad_characters"), &["'é'"]);
    add("a Basic credential pasted", "Authorization: Basic ZGVtbzpzZWNyZXQ=".into(), U("bad_characters"), &["' '"]);
    // The header's alg.
    add(
        "alg none without signature",
        format!("{}.{p}.", seg(&with(header(), "alg", json!("none")))),
        F(Code::AlgNone),
        &["unsigned"],
    );
    add(
        "alg none with a signature",
        signed(&with(header(), "alg", json!("none")), &claims()),
        F(Code::AlgNone),
        &["unsigned"],
    );
    add(
        "alg NONE in capitals",
        format!("{}.{p}.", seg(&with(header(), "alg", json!("NONE")))),
        F(Code::AlgNone),
        &["unsigned"],
    );
    add("alg unknown", signed(&with(header(), "alg", json!("RS257")), &claims()), F(Code::AlgNotAllowed), &["RS257"]);
    add(
        "alg in lower case",
        signed(&with(header(), "alg", json!("rs256")), &claims()),
        F(Code::AlgNotAllowed),
        &["rs256"],
    );
    add("alg missing", signed(&without(header(), "alg"), &claims()), F(Code::MalformedToken), &["alg"]);
    add("alg null", signed(&with(header(), "alg", Value::Null), &claims()), F(Code::MalformedToken), &["alg"]);
    add("alg a number", signed(&with(header(), "alg", json!(256)), &claims()), F(Code::AlgNotAllowed), &["256"]);
    add(
        "alg an object",
        signed(&with(header(), "alg", json!({"name": "RS256"})), &claims()),
        F(Code::AlgNotAllowed),
        &["name"],
    );
    add(
        "alg HS256 at an asymmetric API",
        signed(&with(header(), "alg", json!("HS256")), &claims()),
        F(Code::AlgNotAllowed),
        &["HS256"],
    );
    // The header's kid.
    add("kid a number", signed(&with(header(), "kid", json!(7)), &claims()), F(Code::KidNotFound), &["kid 7"]);
    add(
        "kid an object",
        signed(&with(header(), "kid", json!({"id": 1})), &claims()),
        F(Code::KidNotFound),
        &["\"id\""],
    );
    add("kid an empty string", signed(&with(header(), "kid", json!("")), &claims()), F(Code::KidNotFound), &["kid"]);
    add("kid null (every key is tried)", signed(&with(header(), "kid", Value::Null), &claims()), Valid, &[]);
    // Numeric dates.
    add(
        "exp a string",
        signed(&header(), &with(claims(), "exp", json!((now() + 60).to_string()))),
        F(Code::MalformedToken),
        &["exp", "NumericDate"],
    );
    add(
        "nbf a string",
        signed(&header(), &with(claims(), "nbf", json!("0"))),
        F(Code::MalformedToken),
        &["nbf", "NumericDate"],
    );
    add("exp a boolean", signed(&header(), &with(claims(), "exp", json!(true))), F(Code::MalformedToken), &["exp"]);
    add("exp with a fraction", signed(&header(), &with(claims(), "exp", json!(now() as f64 + 3600.5))), Valid, &[]);
    add("exp 1e300", signed(&header(), &with(claims(), "exp", json!(1e300))), F(Code::MalformedToken), &["exp"]);
    add("exp u64::MAX", signed(&header(), &with(claims(), "exp", json!(u64::MAX))), F(Code::MalformedToken), &["exp"]);
    add("exp i64::MAX", signed(&header(), &with(claims(), "exp", json!(i64::MAX))), Valid, &[]);
    add("exp -1", signed(&header(), &with(claims(), "exp", json!(-1))), F(Code::Expired), &["expired", "ago"]);
    add(
        "exp i64::MIN",
        signed(&header(), &with(claims(), "exp", json!(i64::MIN))),
        F(Code::Expired),
        &["expired", "ago"],
    );
    add(
        "nbf i64::MAX",
        signed(&header(), &with(claims(), "nbf", json!(i64::MAX))),
        F(Code::NotYetValid),
        &["not valid for another"],
    );
    // The signature.
    let mut altered = good.clone();
    altered.truncate(good.len() - 4);
    altered.push_str(if good.ends_with("AAAA") { "BBBB" } else { "AAAA" });
    add("signature altered", altered, F(Code::SignatureInvalid), &["signature"]);
    add("signature of impossible length", format!("{h}.{p}.A"), F(Code::SignatureInvalid), &["signature"]);
    // What people paste along: all of it decodes.
    add("Bearer prefix", format!("Bearer {good}"), Valid, &[]);
    add("bearer prefix in lower case", format!("bearer {good}"), Valid, &[]);
    add("Authorization: Bearer prefix", format!("Authorization: Bearer {good}"), Valid, &[]);
    add("newlines and spaces around", format!("\n  {good} \r\n"), Valid, &[]);
    add("double quotes around", format!("\"{good}\""), Valid, &[]);
    add("single quotes around", format!("'{good}'"), Valid, &[]);
    add("Bearer and quotes", format!("Bearer \"{good}\"\n"), Valid, &[]);
    add("padded segments", signed_segments(&format!("{h}=="), &format!("{p}=")), Valid, &[]);

    // `aud` of odd types, verified with --aud demo-app.
    for (name, aud, expect) in [
        ("aud a number", json!(7), F(Code::AudienceMismatch)),
        ("aud an array of numbers", json!([1, 2]), F(Code::AudienceMismatch)),
        ("aud null", Value::Null, F(Code::AudienceMismatch)),
        ("aud an object", json!({"aud": AUD}), F(Code::AudienceMismatch)),
        ("aud an array holding the audience", json!(["other", AUD]), Valid),
    ] {
        let needles = if matches!(expect, Valid) { vec![] } else { strings(&["aud", AUD]) };
        cases.push(TokenCase {
            name,
            input: TokenInput::Text(signed(&header(), &with(claims(), "aud", aud))),
            expect,
            needles,
            aud: true,
        });
    }
    // Bytes that are not UTF-8 at all, pasted on stdin.
    let mut raw = good.as_bytes()[..30].to_vec();
    raw.extend_from_slice(b"\xff\xfe");
    raw.extend_from_slice(&good.as_bytes()[30..]);
    cases.push(TokenCase {
        name: "raw invalid UTF-8 pasted",
        input: TokenInput::Bytes(raw),
        expect: U("bad_characters"),
        needles: strings(&["'\u{fffd}'"]),
        aud: false,
    });
    cases
}

async fn check_token(case: TokenCase, jwks_uri: String) -> Result<(), String> {
    let name = case.name;
    let text = match &case.input {
        TokenInput::Text(text) => text.clone(),
        TokenInput::Bytes(bytes) => String::from_utf8_lossy(bytes).into_owned(),
    };

    // Core: decode.
    let decoded = no_panic(name, || jwt::decode(&text))?;
    match (&decoded, case.expect) {
        (Err(error), TokenExpect::Undecodable(kind)) => {
            if decode_kind(error) != kind {
                return Err(format!("decode: {} ({error}) instead of {kind}", decode_kind(error)));
            }
            has_all(&error.to_string(), &case.needles).map_err(|e| format!("decode: {e}"))?;
        }
        (Err(error), _) => return Err(format!("decode failed ({error}); expected it to decode")),
        (Ok(_), TokenExpect::Undecodable(kind)) => return Err(format!("decoded; expected a {kind} error")),
        (Ok(_), _) => {}
    }

    // Core: verify against the demo JWKS.
    let mut profile = Profile {
        issuer: IssuerConfig {
            url: None,
            token_endpoint: None,
            jwks_uri: Some(jwks_uri.clone()),
            ..Default::default()
        },
        ..Profile::default()
    };
    profile.expect.algorithms = strings(&ASYMMETRIC);
    if case.aud {
        profile.expect.audience = vec![AUD.to_owned()];
    }
    let token = text.clone();
    let report = no_panic_async(name, async move {
        let engine = Engine::new(short_config());
        engine.inspect(&profile, &token, TokenSource::Given, None).await
    })
    .await?;
    let first = report.findings.first();
    match case.expect {
        TokenExpect::Valid => {
            if !report.valid {
                return Err(format!("verify: not valid: {:?}", codes_of(&report.findings)));
            }
        }
        TokenExpect::Undecodable(_) => {
            expect_first(first, Code::MalformedToken, &[]).map_err(|e| format!("verify: {e}"))?
        }
        TokenExpect::Finding(code) => {
            expect_first(first, code, &case.needles).map_err(|e| format!("verify: {e}"))?;
            if report.valid {
                return Err("verify: reported valid".to_owned());
            }
        }
    }

    // The binary: decode, then verify. Big or raw inputs go through stdin.
    let via_stdin = matches!(case.input, TokenInput::Bytes(_)) || text.len() > 100_000;
    let (token_arg, stdin) = match &case.input {
        _ if !via_stdin => (text.clone(), None),
        TokenInput::Text(text) => ("-".to_owned(), Some(text.clone().into_bytes())),
        TokenInput::Bytes(bytes) => ("-".to_owned(), Some(bytes.clone())),
    };
    let run = tokdbg(vec!["--json".into(), "decode".into(), token_arg.clone()], stdin.clone()).await;
    if matches!(case.input, TokenInput::Bytes(_)) {
        // stdin that is not UTF-8 is refused before decoding: a usage error naming stdin.
        run.exit(2)?.error_kind("usage", &strings(&["stdin", "UTF-8"]))?;
        return Ok(());
    }
    match case.expect {
        TokenExpect::Undecodable(_) => {
            let mut needles = vec!["cannot decode the token".to_owned()];
            needles.extend(case.needles.iter().cloned());
            run.exit(1)?.error_kind("malformed_token", &needles)?;
        }
        _ => {
            let value = run.exit(0)?.try_json()?;
            if !value["header"].is_object() || value["signature_checked"] != false {
                return Err(format!("decode --json lacks the header: {}", run.describe()));
            }
        }
    }
    let mut verify = vec!["verify".to_owned(), token_arg, "--jwks".into(), jwks_uri, "--json".into()];
    if case.aud {
        verify.extend(["--aud".to_owned(), AUD.to_owned()]);
    }
    let run = tokdbg(verify, stdin).await;
    match case.expect {
        TokenExpect::Valid => {
            let value = run.exit(0)?.try_json()?;
            if value["valid"] != true {
                return Err(format!("verify --json: not valid: {}", run.describe()));
            }
        }
        TokenExpect::Undecodable(_) => {
            run.exit(1)?.first_finding("malformed_token", &[])?;
        }
        TokenExpect::Finding(code) => {
            run.exit(1)?.first_finding(code.as_str(), &case.needles)?;
        }
    }
    Ok(())
}

fn codes_of(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

fn expect_first(first: Option<&Finding>, code: Code, needles: &[String]) -> Result<(), String> {
    let Some(first) = first else { return Err(format!("no finding; expected {code}")) };
    if first.code != code {
        return Err(format!("first finding {} ({}) instead of {code}", first.code, first.message));
    }
    // What a person reads: the message, then the evidence under it.
    let text =
        format!("{} | expected {:?} | actual {:?}", first.message, first.evidence.expected, first.evidence.actual);
    has_all(&text, needles)
}

#[rstest]
#[case::empty("empty")]
#[case::only_whitespace("only whitespace")]
#[case::one_segment_opaque("one segment (opaque)")]
#[case::two_segments("two segments")]
#[case::four_segments("four segments")]
#[case::five_segments_jwe("five segments (JWE)")]
#[case::six_segments("six segments")]
#[case::only_dots("only dots")]
#[case::header_of_impossible_length("header of impossible length")]
#[case::padding_inside_the_header("padding inside the header")]
#[case::payload_of_impossible_length("payload of impossible length")]
#[case::header_is_base64_of_text("header is base64 of text")]
#[case::payload_is_base64_of_html("payload is base64 of HTML")]
#[case::empty_header_segment("empty header segment")]
#[case::empty_payload_segment("empty payload segment")]
#[case::header_is_an_array("header is an array")]
#[case::payload_is_a_string("payload is a string")]
#[case::payload_is_null("payload is null")]
#[case::payload_is_a_number("payload is a number")]
#[case::payload_nests_arrays_10k_deep("payload nests arrays 10k deep")]
#[case::header_nests_objects_10k_deep("header nests objects 10k deep")]
#[case::payload_holds_invalid_utf_8("payload holds invalid UTF-8")]
#[case::payload_holds_a_raw_control_character("payload holds a raw control character")]
#[case::header_over_the_size_cap("header over the size cap")]
#[case::header_just_under_the_size_cap("header just under the size cap")]
#[case::a_space_inside("a space inside")]
#[case::a_line_break_inside_wrapped_paste("a line break inside (wrapped paste)")]
#[case::a_non_ascii_letter("a non-ASCII letter")]
#[case::a_basic_credential_pasted("a Basic credential pasted")]
#[case::alg_none_without_signature("alg none without signature")]
#[case::alg_none_with_a_signature("alg none with a signature")]
#[case::alg_none_in_capitals("alg NONE in capitals")]
#[case::alg_unknown("alg unknown")]
#[case::alg_in_lower_case("alg in lower case")]
#[case::alg_missing("alg missing")]
#[case::alg_null("alg null")]
#[case::alg_a_number("alg a number")]
#[case::alg_an_object("alg an object")]
#[case::alg_hs256_at_an_asymmetric_api("alg HS256 at an asymmetric API")]
#[case::kid_a_number("kid a number")]
#[case::kid_an_object("kid an object")]
#[case::kid_an_empty_string("kid an empty string")]
#[case::kid_null_every_key_is_tried("kid null (every key is tried)")]
#[case::exp_a_string("exp a string")]
#[case::nbf_a_string("nbf a string")]
#[case::exp_a_boolean("exp a boolean")]
#[case::exp_with_a_fraction("exp with a fraction")]
#[case::exp_1e300("exp 1e300")]
#[case::exp_u64_max("exp u64::MAX")]
#[case::exp_i64_max("exp i64::MAX")]
#[case::exp_1("exp -1")]
#[case::exp_i64_min("exp i64::MIN")]
#[case::nbf_i64_max("nbf i64::MAX")]
#[case::signature_altered("signature altered")]
#[case::signature_of_impossible_length("signature of impossible length")]
#[case::bearer_prefix("Bearer prefix")]
#[case::bearer_prefix_in_lower_case("bearer prefix in lower case")]
#[case::authorization_bearer_prefix("Authorization: Bearer prefix")]
#[case::newlines_and_spaces_around("newlines and spaces around")]
#[case::double_quotes_around("double quotes around")]
#[case::single_quotes_around("single quotes around")]
#[case::bearer_and_quotes("Bearer and quotes")]
#[case::padded_segments("padded segments")]
#[case::aud_a_number("aud a number")]
#[case::aud_an_array_of_numbers("aud an array of numbers")]
#[case::aud_null("aud null")]
#[case::aud_an_object("aud an object")]
#[case::aud_an_array_holding_the_audience("aud an array holding the audience")]
#[case::raw_invalid_utf_8_pasted("raw invalid UTF-8 pasted")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens(#[case] name: &str) {
    let server = demo().await;
    let jwks_uri = demo_jwks(&server);
    run_case(token_cases(), name, |c| c.name, |case| check_token(case, jwks_uri)).await;
}

// ---------------------------------------------------------------------------------------------
// JWK sets.

#[derive(Debug, Clone, Copy)]
enum JwksExpect {
    /// `parse_key_set` refuses the document: ("json" | "set").
    SetError(&'static str),
    /// Key `n` parses with a problem.
    KeyProblem(usize),
    /// Key `n` parses but must not verify an RS256 token.
    KeyUnfit(usize),
    /// Parses; some key can verify the token.
    Usable,
}

#[derive(Debug, Clone)]
struct JwksCase {
    name: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
    expect: JwksExpect,
    /// In the core's detail / the key's problem.
    needles: Vec<String>,
    /// `verify --jwks` against the served body: exit code and first finding (none when valid).
    cli: (i32, Option<Code>),
    /// In the first finding's message (the JWKS URL is always required for set errors).
    cli_needles: Vec<String>,
}

fn rsa_jwk() -> Value {
    serde_json::to_value(DemoKey::Rsa1.public_jwk(Algorithm::RS256)).unwrap_or(Value::Null)
}

fn ec_jwk() -> Value {
    // Labelled with the RSA key's kid, so the token's lookup lands on it.
    with(
        serde_json::to_value(DemoKey::Ec256.public_jwk(Algorithm::ES256)).unwrap_or(Value::Null),
        "kid",
        json!(DemoKey::Rsa1.kid()),
    )
}

fn okp_jwk() -> Value {
    with(
        serde_json::to_value(DemoKey::Ed25519.public_jwk(Algorithm::EdDSA)).unwrap_or(Value::Null),
        "kid",
        json!(DemoKey::Rsa1.kid()),
    )
}

fn set_of(keys: Vec<Value>) -> Vec<u8> {
    json!({ "keys": keys }).to_string().into_bytes()
}

fn jwks_cases() -> Vec<JwksCase> {
    use JwksExpect::{KeyProblem, KeyUnfit, SetError, Usable};
    let mut cases = Vec::new();
    let kid = DemoKey::Rsa1.kid();
    let mut add = |name: &'static str,
                   content_type: &'static str,
                   body: Vec<u8>,
                   expect: JwksExpect,
                   needles: &[&str],
                   cli: (i32, Option<Code>),
                   cli_needles: &[&str]| {
        cases.push(JwksCase {
            name,
            content_type,
            body,
            expect,
            needles: strings(needles),
            cli,
            cli_needles: strings(cli_needles),
        });
    };
    let unreachable = (1, Some(Code::JwksUnreachable));
    let unusable = (1, Some(Code::SignatureInvalid));
    let json_type = "application/json";

    add(
        "not JSON",
        "text/plain",
        b"hello".to_vec(),
        SetError("json"),
        &["expected"],
        unreachable,
        &["not JSON", "text/plain", "hello"],
    );
    add("an empty body", json_type, Vec::new(), SetError("json"), &["EOF"], unreachable, &["not JSON", "empty body"]);
    add(
        "an HTML page",
        "text/html",
        b"<!doctype html><html><body><h1>Sign in</h1></body></html>".to_vec(),
        SetError("json"),
        &["expected"],
        unreachable,
        &["not JSON", "text/html", "Sign in"],
    );
    add(
        "HTML labelled application/json",
        json_type,
        b"<html><body>Bad gateway</body></html>".to_vec(),
        SetError("json"),
        &["expected"],
        unreachable,
        &["not JSON", "application/json"],
    );
    add(
        "200 with {}",
        json_type,
        b"{}".to_vec(),
        SetError("set"),
        &["no \"keys\" member"],
        unreachable,
        &["not a JWK set", "\"keys\""],
    );
    add(
        "keys is an object",
        json_type,
        br#"{"keys":{}}"#.to_vec(),
        SetError("set"),
        &["not an array"],
        unreachable,
        &["not an array"],
    );
    add(
        "keys is a string",
        json_type,
        br#"{"keys":"abc"}"#.to_vec(),
        SetError("set"),
        &["not an array"],
        unreachable,
        &["not an array"],
    );
    add(
        "keys is null",
        json_type,
        br#"{"keys":null}"#.to_vec(),
        SetError("set"),
        &["not an array"],
        unreachable,
        &["not an array"],
    );
    add(
        "a JSON array",
        json_type,
        b"[]".to_vec(),
        SetError("set"),
        &["no \"keys\" member"],
        unreachable,
        &["\"keys\""],
    );
    add(
        "a single JWK, not a set",
        json_type,
        rsa_jwk().to_string().into_bytes(),
        SetError("set"),
        &["single JWK"],
        unreachable,
        &["single JWK"],
    );
    add(
        "nested 10k deep",
        json_type,
        ("[".repeat(10_000) + &"]".repeat(10_000)).into_bytes(),
        SetError("json"),
        &["recursion limit"],
        unreachable,
        &["not JSON"],
    );
    add("an empty key set", json_type, set_of(vec![]), Usable, &[], (1, Some(Code::KidNotFound)), &[kid]);
    add(
        "RSA without n",
        json_type,
        set_of(vec![without(rsa_jwk(), "n")]),
        KeyProblem(0),
        &["missing \"n\""],
        unusable,
        &[kid, "missing \"n\""],
    );
    add(
        "RSA without e",
        json_type,
        set_of(vec![without(rsa_jwk(), "e")]),
        KeyProblem(0),
        &["missing \"e\""],
        unusable,
        &[kid, "missing \"e\""],
    );
    add(
        "RSA with a short n",
        json_type,
        set_of(vec![with(rsa_jwk(), "n", json!("AQAB"))]),
        KeyProblem(0),
        &["key rejected: 17-bit RSA is below the backend's minimum"],
        unusable,
        &[kid, "key rejected: 17-bit RSA"],
    );
    add(
        "RSA with garbage n",
        json_type,
        set_of(vec![with(rsa_jwk(), "n", json!("!!not base64!!"))]),
        KeyProblem(0),
        &["\"n\" is not base64url"],
        unusable,
        &[kid, "\"n\""],
    );
    add(
        "RSA with n a number",
        json_type,
        set_of(vec![with(rsa_jwk(), "n", json!(65537))]),
        KeyProblem(0),
        &["\"n\""],
        unusable,
        &[kid, "\"n\""],
    );
    add(
        "RSA with garbage e",
        json_type,
        set_of(vec![with(rsa_jwk(), "e", json!("@@"))]),
        KeyProblem(0),
        &["\"e\" is not base64url"],
        unusable,
        &[kid, "\"e\""],
    );
    add(
        "EC without crv",
        json_type,
        set_of(vec![without(ec_jwk(), "crv")]),
        KeyProblem(0),
        &["missing \"crv\""],
        unusable,
        &[kid, "crv"],
    );
    add(
        "EC on P-521",
        json_type,
        set_of(vec![with(ec_jwk(), "crv", json!("P-521"))]),
        KeyProblem(0),
        &["P-521"],
        unusable,
        &[kid, "P-521"],
    );
    add(
        "EC with a short x",
        json_type,
        set_of(vec![with(ec_jwk(), "x", json!("AAAA"))]),
        KeyProblem(0),
        &["do not fit the curve"],
        unusable,
        &[kid, "curve"],
    );
    add(
        "EC without y",
        json_type,
        set_of(vec![without(ec_jwk(), "y")]),
        KeyProblem(0),
        &["missing \"y\""],
        unusable,
        &[kid, "\"y\""],
    );
    add(
        "EC with garbage y",
        json_type,
        set_of(vec![with(ec_jwk(), "y", json!("%%%"))]),
        KeyProblem(0),
        &["\"y\" is not base64url"],
        unusable,
        &[kid, "\"y\""],
    );
    add(
        "OKP on X25519",
        json_type,
        set_of(vec![with(okp_jwk(), "crv", json!("X25519"))]),
        KeyProblem(0),
        &["Ed25519"],
        unusable,
        &[kid, "Ed25519"],
    );
    add(
        "OKP with a short x",
        json_type,
        set_of(vec![with(okp_jwk(), "x", json!("AAAA"))]),
        KeyProblem(0),
        &["32 bytes"],
        unusable,
        &[kid, "32 bytes"],
    );
    add(
        "unknown kty",
        json_type,
        set_of(vec![json!({"kty": "XYZ", "kid": kid})]),
        KeyProblem(0),
        &["unsupported key type \"XYZ\""],
        unusable,
        &[kid, "XYZ"],
    );
    add(
        "kty missing",
        json_type,
        set_of(vec![without(rsa_jwk(), "kty")]),
        KeyProblem(0),
        &["key type"],
        unusable,
        &[kid, "key type"],
    );
    add(
        "a key that is a string",
        json_type,
        set_of(vec![json!("demo-rsa-1")]),
        KeyProblem(0),
        &["not a JSON object"],
        (1, Some(Code::KidNotFound)),
        &[kid],
    );
    add(
        "use: enc",
        json_type,
        set_of(vec![with(rsa_jwk(), "use", json!("enc"))]),
        KeyUnfit(0),
        &["\"enc\""],
        unusable,
        &[kid, "\"enc\""],
    );
    add(
        "published for RS512",
        json_type,
        set_of(vec![with(rsa_jwk(), "alg", json!("RS512"))]),
        KeyUnfit(0),
        &["RS512"],
        unusable,
        &[kid, "RS512"],
    );
    add(
        "an EC key under the RSA kid",
        json_type,
        set_of(vec![without(ec_jwk(), "alg")]),
        KeyUnfit(0),
        &["key type EC"],
        unusable,
        &[kid, "EC"],
    );
    add(
        "an oct key under the RSA kid",
        json_type,
        set_of(vec![json!({"kty": "oct", "kid": kid, "k": "c2VjcmV0"})]),
        KeyUnfit(0),
        &["key type oct"],
        unusable,
        &[kid, "oct"],
    );
    add(
        "kid a number",
        json_type,
        set_of(vec![with(rsa_jwk(), "kid", json!(7))]),
        Usable,
        &[],
        (1, Some(Code::KidNotFound)),
        &[kid],
    );
    // Duplicate kids: an encryption key and the signing key share the kid (seen in the wild).
    add(
        "duplicate kids, enc key first",
        json_type,
        set_of(vec![with(rsa_jwk(), "use", json!("enc")), rsa_jwk()]),
        Usable,
        &[],
        (0, None),
        &[],
    );
    add("duplicate kids, identical keys", json_type, set_of(vec![rsa_jwk(), rsa_jwk()]), Usable, &[], (0, None), &[]);
    add(
        "duplicate kids, a stranger's key first",
        json_type,
        set_of(vec![
            with(
                serde_json::to_value(DemoKey::RsaStranger.public_jwk(Algorithm::RS256)).unwrap_or(Value::Null),
                "kid",
                json!(kid),
            ),
            rsa_jwk(),
        ]),
        Usable,
        &[],
        (0, None),
        &[],
    );
    add("JSON labelled text/html", "text/html", set_of(vec![rsa_jwk()]), Usable, &[], (0, None), &[]);
    cases
}

async fn check_jwks(case: JwksCase, token: String) -> Result<(), String> {
    let name = case.name;
    let uri = "https://issuer.example/jwks";
    let parsed = no_panic(name, || jwks::parse_key_set(uri, &case.body))?;
    match (&parsed, case.expect) {
        (Err((kind, detail)), JwksExpect::SetError(expected)) => {
            if kind != expected {
                return Err(format!("parse_key_set: {kind} ({detail}) instead of {expected}"));
            }
            has_all(detail, &case.needles)?;
        }
        (Err((kind, detail)), _) => return Err(format!("parse_key_set refused the set: {kind}: {detail}")),
        (Ok(set), JwksExpect::SetError(expected)) => {
            return Err(format!("parsed {} key(s); expected a {expected} error", set.keys.len()));
        }
        (Ok(set), JwksExpect::KeyProblem(index)) => {
            let problem =
                set.keys.get(index).and_then(|k| k.problem.clone()).ok_or(format!("key {index} has no problem"))?;
            has_all(&problem, &case.needles)?;
        }
        (Ok(set), JwksExpect::KeyUnfit(index)) => {
            let key = set.keys.get(index).ok_or(format!("no key {index}"))?;
            if let Some(problem) = &key.problem {
                return Err(format!("key {index} has a problem ({problem}); expected it to parse"));
            }
            let unfit = key.unfit_for(Algorithm::RS256).ok_or(format!("key {index} would verify RS256"))?;
            has_all(&unfit, &case.needles)?;
        }
        (Ok(_), JwksExpect::Usable) => {}
    }

    // The binary, against the body served on loopback.
    let server = start(Fault::Routes(vec![(
        "/jwks".into(),
        Fault::Respond(Reply::new(200, case.content_type, case.body.clone())),
    )]))
    .await?;
    let url = server.url("/jwks");
    let run = tokdbg(args(&["--json", "verify", &token, "--jwks", &url]), None).await;
    match case.cli {
        (0, _) => {
            let value = run.exit(0)?.try_json()?;
            if value["valid"] != true {
                return Err(format!("not valid: {}", run.describe()));
            }
        }
        (exit, Some(code)) => {
            let mut needles = case.cli_needles.clone();
            if code == Code::JwksUnreachable {
                needles.push(url.clone());
            }
            run.exit(exit)?.first_finding(code.as_str(), &needles)?;
        }
        (exit, None) => {
            run.exit(exit)?;
        }
    }
    Ok(())
}

#[rstest]
#[case::not_json("not JSON")]
#[case::an_empty_body("an empty body")]
#[case::an_html_page("an HTML page")]
#[case::html_labelled_application_json("HTML labelled application/json")]
#[case::n200_with("200 with {}")]
#[case::keys_is_an_object("keys is an object")]
#[case::keys_is_a_string("keys is a string")]
#[case::keys_is_null("keys is null")]
#[case::a_json_array("a JSON array")]
#[case::a_single_jwk_not_a_set("a single JWK, not a set")]
#[case::nested_10k_deep("nested 10k deep")]
#[case::an_empty_key_set("an empty key set")]
#[case::rsa_without_n("RSA without n")]
#[case::rsa_without_e("RSA without e")]
#[case::rsa_with_a_short_n("RSA with a short n")]
#[case::rsa_with_garbage_n("RSA with garbage n")]
#[case::rsa_with_n_a_number("RSA with n a number")]
#[case::rsa_with_garbage_e("RSA with garbage e")]
#[case::ec_without_crv("EC without crv")]
#[case::ec_on_p_521("EC on P-521")]
#[case::ec_with_a_short_x("EC with a short x")]
#[case::ec_without_y("EC without y")]
#[case::ec_with_garbage_y("EC with garbage y")]
#[case::okp_on_x25519("OKP on X25519")]
#[case::okp_with_a_short_x("OKP with a short x")]
#[case::unknown_kty("unknown kty")]
#[case::kty_missing("kty missing")]
#[case::a_key_that_is_a_string("a key that is a string")]
#[case::use_enc("use: enc")]
#[case::published_for_rs512("published for RS512")]
#[case::an_ec_key_under_the_rsa_kid("an EC key under the RSA kid")]
#[case::an_oct_key_under_the_rsa_kid("an oct key under the RSA kid")]
#[case::kid_a_number("kid a number")]
#[case::duplicate_kids_enc_key_first("duplicate kids, enc key first")]
#[case::duplicate_kids_identical_keys("duplicate kids, identical keys")]
#[case::duplicate_kids_a_stranger_s_key_first("duplicate kids, a stranger's key first")]
#[case::json_labelled_text_html("JSON labelled text/html")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jwk_sets(#[case] name: &str) {
    let token = signed(&token_header(), &token_claims());
    run_case(jwks_cases(), name, |c| c.name, |case| check_jwks(case, token)).await;
}

// ---------------------------------------------------------------------------------------------
// Discovery documents.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// `verify TOKEN --issuer {origin}` / `Engine::inspect`.
    Verify,
    /// `call svc` on a profile with a client / `Engine::call`.
    Call,
}

#[derive(Debug, Clone)]
struct DiscoveryCase {
    name: &'static str,
    /// Served at `/.well-known/openid-configuration`; `{origin}` is the server, `{jwks}` the demo JWKS.
    reply: Reply,
    via: Via,
    /// `discovery::fetch`: "ok" | "status" | "not_json" | "not_object".
    fetch: &'static str,
    /// The first finding, its severity is an error unless `warning`.
    code: Code,
    warning: bool,
    needles: Vec<String>,
    exit: i32,
}

fn discovery_doc(changes: &[(&str, Value)], remove: &[&str]) -> Vec<u8> {
    let mut doc = json!({
        "issuer": "{origin}",
        "token_endpoint": "{origin}/token",
        "jwks_uri": "{jwks}",
        "grant_types_supported": ["client_credentials"],
    });
    for (key, value) in changes {
        doc = with(doc, key, value.clone());
    }
    for key in remove {
        doc = without(doc, key);
    }
    doc.to_string().into_bytes()
}

fn discovery_cases() -> Vec<DiscoveryCase> {
    let mut cases = Vec::new();
    let mut add = |name: &'static str,
                   reply: Reply,
                   via: Via,
                   fetch: &'static str,
                   code: Code,
                   warning: bool,
                   needles: &[&str],
                   exit: i32| {
        cases.push(DiscoveryCase { name, reply, via, fetch, code, warning, needles: strings(needles), exit });
    };
    let well_known = "/.well-known/openid-configuration";
    let doc = |changes: &[(&str, Value)], remove: &[&str]| Reply::json(200, discovery_doc(changes, remove));
    add(
        "missing jwks_uri",
        doc(&[], &["jwks_uri"]),
        Via::Verify,
        "ok",
        Code::DiscoveryFailed,
        false,
        &["jwks_uri", well_known],
        1,
    );
    add(
        "jwks_uri a number",
        doc(&[("jwks_uri", json!(42))], &[]),
        Via::Verify,
        "ok",
        Code::DiscoveryFailed,
        false,
        &["jwks_uri", "42"],
        1,
    );
    add(
        "relative jwks_uri",
        doc(&[("jwks_uri", json!("/jwks"))], &[]),
        Via::Verify,
        "ok",
        Code::DiscoveryFailed,
        false,
        &["jwks_uri", "\"/jwks\"", "absolute"],
        1,
    );
    add(
        "missing token_endpoint",
        doc(&[], &["token_endpoint"]),
        Via::Call,
        "ok",
        Code::DiscoveryFailed,
        false,
        &["token_endpoint", well_known],
        1,
    );
    add(
        "relative token_endpoint",
        doc(&[("token_endpoint", json!("/token"))], &[]),
        Via::Call,
        "ok",
        Code::DiscoveryFailed,
        false,
        &["token_endpoint", "\"/token\""],
        1,
    );
    add(
        "another issuer",
        doc(&[("issuer", json!("https://login.example.com/oidc"))], &[]),
        Via::Verify,
        "ok",
        Code::IssuerMismatch,
        true,
        &["https://login.example.com/oidc", "issuer", well_known],
        0,
    );
    add(
        "issuer with a trailing slash",
        doc(&[("issuer", json!("{origin}/"))], &[]),
        Via::Verify,
        "ok",
        Code::IssuerMismatch,
        true,
        &["trailing slash"],
        0,
    );
    add(
        "not JSON",
        Reply::new(200, "text/plain", "hello"),
        Via::Verify,
        "not_json",
        Code::DiscoveryFailed,
        false,
        &["not JSON", "text/plain", well_known],
        1,
    );
    add(
        "an HTML page",
        Reply::html(200, "<html><body><h1>Welcome</h1></body></html>"),
        Via::Verify,
        "not_json",
        Code::DiscoveryFailed,
        false,
        &["text/html", "Welcome"],
        1,
    );
    add(
        "an empty body",
        Reply::json(200, ""),
        Via::Call,
        "not_json",
        Code::DiscoveryFailed,
        false,
        &["not JSON", well_known],
        1,
    );
    add(
        "a JSON array",
        Reply::json(200, "[]"),
        Via::Verify,
        "not_object",
        Code::DiscoveryFailed,
        false,
        &["not an object", well_known],
        1,
    );
    add(
        "404 HTML",
        Reply::html(404, "<h1>Not Found</h1>"),
        Via::Call,
        "status",
        Code::DiscoveryFailed,
        false,
        &["HTTP 404", well_known],
        1,
    );
    add(
        "500 HTML",
        Reply::html(500, "<h1>Internal Server Error</h1>"),
        Via::Verify,
        "status",
        Code::DiscoveryFailed,
        false,
        &["HTTP 500"],
        1,
    );
    add(
        "nested 10k deep",
        Reply::json(200, "[".repeat(10_000) + &"]".repeat(10_000)),
        Via::Verify,
        "not_json",
        Code::DiscoveryFailed,
        false,
        &["not JSON"],
        1,
    );
    cases
}

fn fetch_kind(result: &Result<discovery::Discovery, DiscoveryError>) -> &'static str {
    #[allow(unreachable_patterns)]
    match result {
        Ok(_) => "ok",
        Err(DiscoveryError::Http(_)) => "http",
        Err(DiscoveryError::Status { .. }) => "status",
        Err(DiscoveryError::NotJson { .. }) => "not_json",
        Err(DiscoveryError::NotObject { .. }) => "not_object",
        Err(_) => "other",
    }
}

/// A profile whose issuer is `origin` (discovery finds the rest), with a client and an endpoint.
fn discovery_profile(origin: &str) -> String {
    format!(
        "[issuer]\nurl = \"{origin}\"\n\n[client]\nid = \"svc\"\nsecret = \"svc-secret\"\n\n[expect]\nissuer = \"{origin}\"\naudience = \"{AUD}\"\n\n[[endpoints]]\nname = \"api\"\nurl = \"{origin}/api\"\n"
    )
}

async fn check_discovery(case: DiscoveryCase, jwks_uri: String) -> Result<(), String> {
    let name = case.name;
    let mut reply = case.reply.clone();
    reply.body = String::from_utf8_lossy(&reply.body).replace("{jwks}", &jwks_uri).into_bytes();
    let server = start(Fault::Routes(vec![
        ("/.well-known/openid-configuration".into(), Fault::Respond(reply)),
        ("/token".into(), Fault::Respond(Reply::json(200, r#"{"access_token":"opaque-token","token_type":"Bearer"}"#))),
        ("/api".into(), Fault::Respond(Reply::json(200, "{}"))),
    ]))
    .await?;
    let origin = server.url("");
    let token = signed(&token_header(), &with(token_claims(), "iss", json!(origin)));

    // Core: the fetch itself, then the findings of the whole flow.
    let fetched = discovery::fetch(&http(), &origin).await;
    if fetch_kind(&fetched) != case.fetch {
        return Err(format!("discovery::fetch: {} instead of {}: {fetched:?}", fetch_kind(&fetched), case.fetch));
    }
    if let Err(error) = &fetched {
        has_all(&error.to_string(), &strings(&[&origin]))?;
    }
    let profile = profile_store::parse_profile(&discovery_profile(&origin), "svc.toml").map_err(|e| e.to_string())?;
    let findings = match case.via {
        Via::Verify => {
            let (profile, token) = (profile.clone(), token.clone());
            let mut profile = Profile { client: None, endpoints: Vec::new(), ..profile };
            profile.expect.algorithms = strings(&ASYMMETRIC);
            profile.expect.audience = Vec::new();
            no_panic_async(name, async move {
                Engine::new(short_config()).inspect(&profile, &token, TokenSource::Given, None).await.findings
            })
            .await?
        }
        Via::Call => {
            let spec = CallSpec {
                profile_key: "svc".into(),
                endpoint: profile.endpoints[0].clone(),
                profile,
                token: TokenChoice::Fetch {
                    credentials: tokdbg::core::model::credentials::Credentials::secret(Secret::new("svc-secret")),
                    force: false,
                },
            };
            no_panic_async(name, async move { Engine::new(short_config()).call(spec, None).await.findings }).await?
        }
    };
    let first = findings.first().ok_or("no finding")?;
    expect_first(Some(first), case.code, &case.needles)?;
    let severity = serde_json::to_value(first.severity).unwrap_or_default();
    let wanted = if case.warning { "warning" } else { "error" };
    if severity != wanted {
        return Err(format!("the finding is {severity}, not {wanted}: {}", first.message));
    }

    // The binary.
    let run = match case.via {
        Via::Verify => tokdbg(args(&["verify", &token, "--issuer", &origin, "--json"]), None).await,
        Via::Call => {
            let dir = profile_dir("svc", &discovery_profile(&origin))?;
            tokdbg(args(&["--profiles", &dir_arg(dir.path()), "--json", "call", "svc"]), None).await
        }
    };
    let value = run.exit(case.exit)?.first_finding(case.code.as_str(), &case.needles)?;
    if value["findings"][0]["severity"] != wanted {
        return Err(format!("the finding is not an {wanted}: {}", run.describe()));
    }
    Ok(())
}

#[rstest]
#[case::missing_jwks_uri("missing jwks_uri")]
#[case::jwks_uri_a_number("jwks_uri a number")]
#[case::relative_jwks_uri("relative jwks_uri")]
#[case::missing_token_endpoint("missing token_endpoint")]
#[case::relative_token_endpoint("relative token_endpoint")]
#[case::another_issuer("another issuer")]
#[case::issuer_with_a_trailing_slash("issuer with a trailing slash")]
#[case::not_json("not JSON")]
#[case::an_html_page("an HTML page")]
#[case::an_empty_body("an empty body")]
#[case::a_json_array("a JSON array")]
#[case::n404_html("404 HTML")]
#[case::n500_html("500 HTML")]
#[case::nested_10k_deep("nested 10k deep")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_documents(#[case] name: &str) {
    let server = demo().await;
    let jwks_uri = demo_jwks(&server);
    run_case(discovery_cases(), name, |c| c.name, |case| check_discovery(case, jwks_uri)).await;
}

// ---------------------------------------------------------------------------------------------
// Token responses.

#[derive(Debug, Clone)]
struct TokenResponseCase {
    name: &'static str,
    reply: Reply,
    /// `parse_token_response`: "ok" | "not_oauth" | "oauth:<error>" | "redirected".
    kind: String,
    /// In the error message, or (for "ok") in the notes.
    needles: Vec<String>,
    /// `token --json`: exit code and first finding (none when a token came).
    exit: i32,
    code: Option<Code>,
}

fn token_kind(result: &Result<token_request::TokenResponse, TokenError>) -> String {
    #[allow(unreachable_patterns)]
    match result {
        Ok(_) => "ok".to_owned(),
        Err(TokenError::OAuth { error, .. }) => format!("oauth:{error}"),
        Err(TokenError::NotOAuth { .. }) => "not_oauth".to_owned(),
        Err(TokenError::Redirected { .. }) => "redirected".to_owned(),
        Err(TokenError::Http(_)) => "http".to_owned(),
        Err(_) => "other".to_owned(),
    }
}

fn token_response_cases() -> Vec<TokenResponseCase> {
    let mut cases = Vec::new();
    let failed = Some(Code::TokenRequestFailed);
    let mut add = |name: &'static str, reply: Reply, kind: &str, needles: &[&str], exit: i32, code: Option<Code>| {
        cases.push(TokenResponseCase { name, reply, kind: kind.to_owned(), needles: strings(needles), exit, code });
    };
    let jwt = signed(&token_header(), &token_claims());
    let ok = |extra: &str| Reply::json(200, format!(r#"{{"access_token":"{jwt}","token_type":"Bearer"{extra}}}"#));
    let opaque = |extra: &str| {
        Reply::json(200, format!(r#"{{"access_token":"opaque-token-value","token_type":"Bearer"{extra}}}"#))
    };

    add(
        "200 with an HTML login page",
        Reply::html(200, "<html><body><form>Sign in</form></body></html>"),
        "not_oauth",
        &["HTTP 200", "HTML", "Sign in"],
        1,
        failed,
    );
    add("200 with an empty body", Reply::json(200, ""), "not_oauth", &["HTTP 200", "empty body"], 1, failed);
    add("expires_in as a string", ok(r#","expires_in":"3600""#), "ok", &["expires_in", "string"], 0, None);
    add("expires_in as a word", ok(r#","expires_in":"soon""#), "ok", &["expires_in", "soon"], 0, None);
    add("expires_in negative", ok(r#","expires_in":-60"#), "ok", &["expires_in", "-60"], 0, None);
    add("expires_in 1e30", opaque(r#","expires_in":1e30"#), "ok", &["expires_in", "1e+30"], 0, None);
    // Fits a unix time (292 billion years): accepted as is, and cached without overflow.
    add("expires_in i64::MAX", opaque(&format!(r#","expires_in":{}"#, i64::MAX)), "ok", &[], 0, None);
    add(
        "expires_in u64::MAX",
        opaque(&format!(r#","expires_in":{}"#, u64::MAX)),
        "ok",
        &["expires_in", "18446744073709551615"],
        0,
        None,
    );
    add("expires_in an object", ok(r#","expires_in":{"s":1}"#), "ok", &["expires_in", "unusable"], 0, None);
    add(
        "token_type mac",
        Reply::json(200, format!(r#"{{"access_token":"{jwt}","token_type":"mac"}}"#)),
        "ok",
        &["token_type", "mac"],
        0,
        None,
    );
    add(
        "JSON labelled text/html",
        Reply::html(200, format!(r#"{{"access_token":"{jwt}","token_type":"Bearer"}}"#)),
        "ok",
        &[],
        0,
        None,
    );
    add(
        "missing access_token",
        Reply::json(200, r#"{"token_type":"Bearer","expires_in":3600}"#),
        "not_oauth",
        &["access_token"],
        1,
        failed,
    );
    add(
        "access_token a number",
        Reply::json(200, r#"{"access_token":42}"#),
        "not_oauth",
        &["access_token", "not a string"],
        1,
        failed,
    );
    add(
        "access_token an empty string",
        Reply::json(200, r#"{"access_token":""}"#),
        "not_oauth",
        &["access_token", "empty"],
        1,
        failed,
    );
    add("access_token null", Reply::json(200, r#"{"access_token":null}"#), "not_oauth", &["access_token"], 1, failed);
    add(
        "200 with an OAuth error",
        Reply::json(200, r#"{"error":"invalid_client","error_description":"bad secret"}"#),
        "oauth:invalid_client",
        &["invalid_client", "bad secret"],
        1,
        Some(Code::InvalidClient),
    );
    add(
        "400 with plain text",
        Reply::new(400, "text/plain", "Bad Request"),
        "not_oauth",
        &["HTTP 400", "non-JSON", "text/plain"],
        1,
        failed,
    );
    add("400 with error a number", Reply::json(400, r#"{"error":42}"#), "not_oauth", &["HTTP 400", "JSON"], 1, failed);
    add(
        "500 HTML",
        Reply::html(500, "<html><title>500</title><body>Internal Server Error</body></html>"),
        "not_oauth",
        &["HTTP 500", "HTML", "Internal Server Error"],
        1,
        failed,
    );
    add(
        "200 with a JSON array",
        Reply::json(200, "[]"),
        "not_oauth",
        &["HTTP 200", "JSON that is not an OAuth answer"],
        1,
        failed,
    );
    add("200 with null", Reply::json(200, "null"), "not_oauth", &["HTTP 200", "JSON"], 1, failed);
    add(
        "nested 10k deep",
        Reply::json(200, "[".repeat(10_000) + &"]".repeat(10_000)),
        "not_oauth",
        &["HTTP 200"],
        1,
        failed,
    );
    add(
        "302 to another origin",
        Reply::new(302, "text/plain", "moved").header("Location", "http://localhost:1/token"),
        "redirected",
        &["http://localhost:1/token", "not followed"],
        1,
        failed,
    );
    // A token whose times are absurd: fetched, cached and fetched again without a panic.
    let absurd = signed(&token_header(), &with(with(token_claims(), "exp", json!(i64::MIN)), "iat", json!(i64::MIN)));
    add(
        "a token with exp and iat i64::MIN",
        Reply::json(200, format!(r#"{{"access_token":"{absurd}","expires_in":3600}}"#)),
        "ok",
        &[],
        // `token` exits 1 for a token that does not verify (issue 10): this one expired long ago.
        1,
        None,
    );
    cases
}

fn http_response(reply: &Reply) -> HttpResponse {
    HttpResponse {
        status: reply.status,
        headers: reply.headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.clone())).collect(),
        body: reply.body.clone(),
        truncated: false,
        latency: Duration::from_millis(1),
        final_url: "https://issuer.example/token".to_owned(),
    }
}

fn token_profile(origin: &str, jwks_uri: &str) -> String {
    format!(
        "[issuer]\ntoken_endpoint = \"{origin}/token\"\njwks_uri = \"{jwks_uri}\"\n\n[client]\nid = \"svc\"\nsecret = \"svc-secret\"\n\n[expect]\nalgorithms = [\"RS256\"]\n\n[[endpoints]]\nname = \"api\"\nurl = \"{origin}/api\"\n"
    )
}

async fn check_token_response(case: TokenResponseCase, jwks_uri: String) -> Result<(), String> {
    let name = case.name;
    let parsed = no_panic(name, || token_request::parse_token_response(&http_response(&case.reply)))?;
    if token_kind(&parsed) != case.kind {
        return Err(format!("parse_token_response: {} instead of {}: {parsed:?}", token_kind(&parsed), case.kind));
    }
    match &parsed {
        Ok(response) => has_all(&response.notes.join("\n"), &case.needles).map_err(|e| format!("notes: {e}"))?,
        Err(error) => has_all(&error.to_string(), &case.needles)?,
    }

    let server = start(Fault::Routes(vec![
        ("/token".into(), Fault::Respond(case.reply.clone())),
        ("/api".into(), Fault::Respond(Reply::json(200, "{}"))),
    ]))
    .await?;
    let origin = server.url("");
    let text = token_profile(&origin, &jwks_uri);

    // Core: the whole call, twice on one engine (the second one meets the cached token).
    let profile = profile_store::parse_profile(&text, "svc.toml").map_err(|e| e.to_string())?;
    let spec = CallSpec {
        profile_key: "svc".into(),
        endpoint: profile.endpoints[0].clone(),
        profile,
        token: TokenChoice::Fetch {
            credentials: tokdbg::core::model::credentials::Credentials::secret(Secret::new("svc-secret")),
            force: false,
        },
    };
    let reports = no_panic_async(name, async move {
        let engine = Engine::new(short_config());
        let first = engine.call(spec.clone(), None).await;
        let second = engine.call(spec, None).await;
        (first, second)
    })
    .await?;
    let report = reports.0;
    match case.code {
        Some(code) => {
            let needles: Vec<String> = if case.kind == "not_oauth" { strings(&["HTTP"]) } else { Vec::new() };
            expect_first(report.findings.first(), code, &needles).map_err(|e| format!("call: {e}"))?;
        }
        None => {
            if report.token_request.as_ref().and_then(|t| t.error.clone()).is_some() || report.access_token.is_none() {
                return Err(format!("call: no token: {:?}", report.token_request));
            }
        }
    }

    // The binary: `token` and `call`.
    let dir = profile_dir("svc", &text)?;
    let run = tokdbg(args(&["--profiles", &dir_arg(dir.path()), "token", "svc", "--json"]), None).await;
    match case.code {
        Some(code) => {
            let value = run.exit(case.exit)?.first_finding(code.as_str(), &[])?;
            let error = value["token_request"]["error"].as_str().unwrap_or_default();
            has_all(error, &case.needles).map_err(|e| format!("token_request.error: {e}\n{}", run.describe()))?;
        }
        None => {
            let value = run.exit(case.exit)?.try_json()?;
            let notes: Vec<String> = value["token_request"]["notes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect();
            has_all(&notes.join("\n"), &case.needles)
                .map_err(|e| format!("token_request.notes: {e}\n{}", run.describe()))?;
        }
    }
    let run = tokdbg(args(&["--profiles", &dir_arg(dir.path()), "call", "svc", "--json"]), None).await;
    match case.code {
        Some(code) => {
            run.exit(1)?.first_finding(code.as_str(), &[])?;
        }
        None => {
            let value = run.exit(0)?.try_json()?;
            if value["response"]["status"] != 200 || value["verdict"] != "allowed" {
                return Err(format!("call: the API was not called with the token: {}", run.describe()));
            }
        }
    }
    Ok(())
}

#[rstest]
#[case::n200_with_an_html_login_page("200 with an HTML login page")]
#[case::n200_with_an_empty_body("200 with an empty body")]
#[case::expires_in_as_a_string("expires_in as a string")]
#[case::expires_in_as_a_word("expires_in as a word")]
#[case::expires_in_negative("expires_in negative")]
#[case::expires_in_1e30("expires_in 1e30")]
#[case::expires_in_i64_max("expires_in i64::MAX")]
#[case::expires_in_u64_max("expires_in u64::MAX")]
#[case::expires_in_an_object("expires_in an object")]
#[case::token_type_mac("token_type mac")]
#[case::json_labelled_text_html("JSON labelled text/html")]
#[case::missing_access_token("missing access_token")]
#[case::access_token_a_number("access_token a number")]
#[case::access_token_an_empty_string("access_token an empty string")]
#[case::access_token_null("access_token null")]
#[case::n200_with_an_oauth_error("200 with an OAuth error")]
#[case::n400_with_plain_text("400 with plain text")]
#[case::n400_with_error_a_number("400 with error a number")]
#[case::n500_html("500 HTML")]
#[case::n200_with_a_json_array("200 with a JSON array")]
#[case::n200_with_null("200 with null")]
#[case::nested_10k_deep("nested 10k deep")]
#[case::n302_to_another_origin("302 to another origin")]
#[case::a_token_with_exp_and_iat_i64_min("a token with exp and iat i64::MIN")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_responses(#[case] name: &str) {
    let server = demo().await;
    let jwks_uri = demo_jwks(&server);
    run_case(token_response_cases(), name, |c| c.name, |case| check_token_response(case, jwks_uri)).await;
}

// ---------------------------------------------------------------------------------------------
// Profiles.

#[derive(Debug, Clone)]
enum ProfileFile {
    Text(String),
    Bytes(Vec<u8>),
    /// A directory named `bad.toml`.
    Directory,
    /// A FIFO named `bad.toml` (opening it for reading would wait for a writer forever).
    Fifo,
    /// `bad.toml` a symlink to this path (e.g. `/dev/zero`).
    LinkTo(&'static str),
    /// `bad.toml` a symlink to a regular file (not `*.toml`) holding this text.
    LinkToText(String),
}

#[derive(Debug, Clone)]
struct ProfileCase {
    name: &'static str,
    file: ProfileFile,
    /// "parse" | "invalid" | "io" | "ok"
    kind: &'static str,
    /// In the error, whose path is `…bad.toml` (so `bad.toml:L:C` names the place).
    needles: Vec<String>,
}

fn profile_kind(result: &Result<Profile, ProfileError>) -> &'static str {
    #[allow(unreachable_patterns)]
    match result {
        Ok(_) => "ok",
        Err(ProfileError::Parse { .. }) => "parse",
        Err(ProfileError::Invalid { .. }) => "invalid",
        Err(ProfileError::Io { .. }) => "io",
        Err(_) => "other",
    }
}

const CLIENT: &str = "[client]\nid = \"svc\"\nsecret = \"env:SVC_SECRET\"\n";
const ENDPOINT: &str = "[[endpoints]]\nname = \"api\"\nurl = \"https://api.example/orders\"\n";

fn profile_cases() -> Vec<ProfileCase> {
    let mut cases = Vec::new();
    let mut add = |name: &'static str, text: String, kind: &'static str, needles: &[&str]| {
        cases.push(ProfileCase { name, file: ProfileFile::Text(text), kind, needles: strings(needles) });
    };
    // Broken TOML.
    add("unclosed string", "name = \"orders\n".into(), "parse", &["bad.toml:1:", "string"]);
    add("key without =", "name \"orders\"\n".into(), "parse", &["bad.toml:1:6", "expected `=`"]);
    add("unclosed table header", "[issuer\nurl = \"https://x\"\n".into(), "parse", &["bad.toml:1:8", "unclosed table"]);
    add("duplicate key", "name = \"a\"\nname = \"b\"\n".into(), "parse", &["bad.toml:2:1", "duplicate key"]);
    add(
        "duplicate table",
        "[issuer]\nurl = \"https://a\"\n[issuer]\n".into(),
        "parse",
        &["bad.toml:3:", "duplicate key"],
    );
    add("a NUL byte in a string", "name = \"a\0b\"\n".into(), "parse", &["bad.toml:1:", "invalid basic string"]);
    add(
        "an array never closed",
        "[client]\nid = \"svc\"\nsecret = \"s\"\nscopes = [\"a\", \"b\"\n".into(),
        "parse",
        &["bad.toml:4:", "array"],
    );
    add(
        "nested arrays 10k deep",
        format!("[expect]\nalgorithms = {}\"RS256\"{}\n", "[".repeat(10_000), "]".repeat(10_000)),
        "parse",
        &["bad.toml:2:", "recursion"],
    );
    add(
        "nested inline tables 10k deep",
        format!("name = {}1{}\n", "{a=".repeat(10_000), "}".repeat(10_000)),
        "parse",
        &["bad.toml:1:", "recursion"],
    );
    // Wrong types.
    add("issuer.url a number", "[issuer]\nurl = 42\n".into(), "parse", &["bad.toml:2:7", "string"]);
    add(
        "client.scopes a string",
        format!("{CLIENT}scopes = \"order:read\"\n"),
        "parse",
        &["bad.toml:4:10", "expected a sequence"],
    );
    add("leeway_secs negative", "[expect]\nleeway_secs = -5\n".into(), "parse", &["bad.toml:2:15", "-5"]);
    add("leeway_secs a string", "[expect]\nleeway_secs = \"10\"\n".into(), "parse", &["bad.toml:2:15", "\"10\""]);
    add("client.secret a number", "[client]\nid = \"svc\"\nsecret = 42\n".into(), "parse", &["bad.toml:3:10", "42"]);
    add(
        "expect.audience a number",
        "[expect]\naudience = 5\n".into(),
        "parse",
        &["bad.toml:2:12", "a string or a list of strings"],
    );
    add("endpoints as a table", "[endpoints]\nname = \"api\"\n".into(), "parse", &["bad.toml:1:", "sequence"]);
    add(
        "auth_method unknown",
        format!("{CLIENT}auth_method = \"client_secret_jwk\"\n"),
        "parse",
        &["bad.toml:4:15", "client_secret_jwk"],
    );
    add("scope_match unknown", "[expect]\nscope_match = \"some\"\n".into(), "parse", &["bad.toml:2:15", "some"]);
    // Unknown keys.
    add("unknown top-level key", "nmae = \"orders\"\n".into(), "parse", &["bad.toml:1:1", "unknown field `nmae`"]);
    add("unknown section", "[expects]\nissuer = \"x\"\n".into(), "parse", &["bad.toml:1:2", "unknown field `expects`"]);
    add(
        "unknown key in [expect]",
        "\n[expect]\nscope_clam = \"scp\"\n".into(),
        "parse",
        &["bad.toml:3:1", "scope_clam"],
    );
    add(
        "unknown key in [client]",
        format!("{CLIENT}scope = [\"a\"]\n"),
        "parse",
        &["bad.toml:4:1", "unknown field `scope`"],
    );
    add(
        "unknown key in [[endpoints]]",
        format!("{ENDPOINT}required_scope = [\"a\"]\n"),
        "parse",
        &["bad.toml:4:1", "required_scope"],
    );
    // Missing required keys.
    add(
        "client.id missing",
        "name = \"x\"\n\n[client]\nsecret = \"s\"\n".into(),
        "parse",
        &["bad.toml:3:", "missing field `id`"],
    );
    add(
        "client.secret missing",
        "[client]\nid = \"svc\"\n".into(),
        "invalid",
        &["client.auth_method = \"client_secret_post\" needs client.secret"],
    );
    add(
        "private_key_jwt without a private key",
        "[client]\nid = \"svc\"\nauth_method = \"private_key_jwt\"\n".into(),
        "invalid",
        &["client.auth_method = \"private_key_jwt\" needs client.private_key"],
    );
    add(
        "certificate without its key",
        format!("{CLIENT}certificate = \"file:client.pem\"\n"),
        "invalid",
        &["client.certificate needs its key in client.private_key"],
    );
    add(
        "dpop alg unknown",
        "[dpop]\nalg = \"ES257\"\n".into(),
        "invalid",
        &["bad.toml", "dpop.alg = \"ES257\"", "ES256, ES384, EdDSA"],
    );
    add(
        "dpop RS256 without a key",
        "[dpop]\nalg = \"RS256\"\n".into(),
        "invalid",
        &["dpop.alg = \"RS256\" needs dpop.private_key"],
    );
    add(
        "endpoint url missing",
        "[[endpoints]]\nname = \"api\"\n".into(),
        "parse",
        &["bad.toml:1:", "missing field `url`"],
    );
    // A draft's empty client id loads (profiles check warns; a token fetch refuses it).
    add("client.id empty", "[client]\nid = \" \"\nsecret = \"s\"\n".into(), "ok", &[]);
    // Values that parse but are wrong.
    add(
        "issuer.url not a URL",
        "[issuer]\nurl = \"example.authing.cn/oidc\"\n".into(),
        "invalid",
        &["bad.toml", "issuer.url", "not a URL"],
    );
    add("issuer.url ftp", "[issuer]\nurl = \"ftp://example.com\"\n".into(), "invalid", &["issuer.url", "ftp"]);
    add(
        "jwks_uri without a host",
        "[issuer]\njwks_uri = \"http://\"\n".into(),
        "invalid",
        &["issuer.jwks_uri", "empty host"],
    );
    add(
        "token_endpoint relative",
        "[issuer]\ntoken_endpoint = \"/oidc/token\"\n".into(),
        "invalid",
        &["issuer.token_endpoint", "/oidc/token"],
    );
    add(
        "endpoint url relative",
        "[[endpoints]]\nname = \"api\"\nurl = \"/orders\"\n".into(),
        "invalid",
        &["endpoints[0].url", "/orders"],
    );
    add("method with a space", format!("{ENDPOINT}method = \"GE T\"\n"), "invalid", &["endpoints[0].method", "GE T"]);
    add(
        "method empty",
        format!("{ENDPOINT}method = \"\"\n"),
        "invalid",
        &["endpoints[0].method", "not an HTTP method"],
    );
    add(
        "duplicate endpoint names",
        format!("{ENDPOINT}\n{ENDPOINT}"),
        "invalid",
        &["endpoints[1]", "\"api\"", "twice"],
    );
    add(
        "empty endpoint name",
        "[[endpoints]]\nname = \"\"\nurl = \"https://api.example\"\n".into(),
        "invalid",
        &["endpoints[0].name is empty"],
    );
    add("algorithms empty", "[expect]\nalgorithms = []\n".into(), "invalid", &["expect.algorithms is empty"]);
    add("algorithm unknown", "[expect]\nalgorithms = [\"RS257\"]\n".into(), "invalid", &["expect.algorithms", "RS257"]);
    add("scope_claim empty", "[expect]\nscope_claim = \"\"\n".into(), "invalid", &["expect.scope_claim is empty"]);
    // Valid oddities.
    add("an empty file", String::new(), "ok", &[]);
    add("a byte-order mark", "\u{feff}name = \"orders\"\n".into(), "ok", &[]);
    add("CRLF line endings", format!("name = \"orders\"\r\n{}", CLIENT.replace('\n', "\r\n")), "ok", &[]);
    // Profiles are read up to 1 MiB (a committed link to /dev/zero must not eat the memory).
    let mut big = String::from("name = \"big\"\n");
    while big.len() < 1000 * 1000 {
        big.push_str("# padding: a profile is small, but nothing breaks when one is not ...........\n");
    }
    add("a 1 MB file (under the 1 MiB cap)", big.clone(), "ok", &[]);
    let last_line = format!("bad.toml:{}:", big.lines().count() + 1);
    let mut huge = big.clone();
    while huge.len() <= 1024 * 1024 {
        huge.push_str("# padding: a profile is small, but nothing breaks when one is not ...........\n");
    }
    cases.push(ProfileCase {
        name: "a file over the 1 MiB cap",
        // Bytes: the cap is the file reader's, `parse_profile` on text in memory has none.
        file: ProfileFile::Bytes(huge.into_bytes()),
        kind: "io",
        needles: strings(&["bad.toml", "cannot read", "larger than 1 MiB"]),
    });
    cases.push(ProfileCase {
        name: "a 1 MB file broken on its last line",
        file: ProfileFile::Text(format!("{big}oops\n")),
        kind: "parse",
        needles: vec![last_line, "expected `=`".to_owned()],
    });
    // Files that are not text, or not files.
    cases.push(ProfileCase {
        name: "invalid UTF-8",
        file: ProfileFile::Bytes(b"name = \"caf\xe9\"\n".to_vec()),
        kind: "invalid",
        needles: strings(&["bad.toml", "not UTF-8", "offset 11"]),
    });
    cases.push(ProfileCase {
        name: "a directory named bad.toml",
        file: ProfileFile::Directory,
        kind: "io",
        needles: strings(&["bad.toml", "cannot read"]),
    });
    cases.push(ProfileCase {
        name: "a FIFO named bad.toml",
        file: ProfileFile::Fifo,
        kind: "io",
        needles: strings(&["bad.toml", "cannot read", "not a regular file (a FIFO)"]),
    });
    cases.push(ProfileCase {
        name: "a symlink to /dev/zero",
        file: ProfileFile::LinkTo("/dev/zero"),
        kind: "io",
        needles: strings(&["bad.toml", "not a regular file (a character device)"]),
    });
    cases.push(ProfileCase {
        name: "a symlink to a regular profile file (followed)",
        file: ProfileFile::LinkToText(format!("name = \"linked\"\n{CLIENT}")),
        kind: "ok",
        needles: Vec::new(),
    });
    cases
}

async fn check_profile(case: ProfileCase) -> Result<(), String> {
    let name = case.name;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join("bad.toml");
    match &case.file {
        ProfileFile::Text(text) => std::fs::write(&path, text),
        ProfileFile::Bytes(bytes) => std::fs::write(&path, bytes),
        ProfileFile::Directory => std::fs::create_dir(&path),
        ProfileFile::Fifo => make_fifo(&path),
        ProfileFile::LinkTo(target) => symlink(Path::new(target), &path),
        ProfileFile::LinkToText(text) => {
            let target = dir.path().join("target.txt");
            std::fs::write(&target, text).and_then(|()| symlink(&target, &path))
        }
    }
    .map_err(|e| e.to_string())?;

    // Core: parse_profile on the text, load_file on the file.
    if let ProfileFile::Text(text) = &case.file {
        let parsed = no_panic(name, || profile_store::parse_profile(text, "bad.toml"))?;
        if profile_kind(&parsed) != case.kind {
            return Err(format!("parse_profile: {} instead of {}: {parsed:?}", profile_kind(&parsed), case.kind));
        }
        if let Err(error) = &parsed {
            has_all(&error.to_string(), &case.needles).map_err(|e| format!("parse_profile: {e}"))?;
        }
    }
    let entry = no_panic(name, || profile_store::load_file(&path))?;
    if profile_kind(&entry.loaded) != case.kind {
        return Err(format!("load_file: {} instead of {}: {:?}", profile_kind(&entry.loaded), case.kind, entry.loaded));
    }
    if let Err(error) = &entry.loaded {
        has_all(&error.to_string(), &case.needles).map_err(|e| format!("load_file: {e}"))?;
    }

    // The binary: `profiles check` reports it; `call` refuses it as a profile error.
    let dir_text = dir_arg(dir.path());
    let run = tokdbg(args(&["--profiles", &dir_text, "profiles", "check", "--json"]), None).await;
    let value = run.exit(if case.kind == "ok" { 0 } else { 2 })?.try_json()?;
    let entry = &value["profiles"][0];
    if case.kind == "ok" {
        if entry["ok"] != true {
            return Err(format!("profiles check: not ok: {}", run.describe()));
        }
        return Ok(());
    }
    if entry["ok"] != false || value["ok"] != false {
        return Err(format!("profiles check: not reported broken: {}", run.describe()));
    }
    has_all(entry["error"].as_str().unwrap_or_default(), &case.needles)
        .map_err(|e| format!("profiles check: {e}\n{}", run.describe()))?;
    let run = tokdbg(args(&["--profiles", &dir_text, "call", "bad", "--json"]), None).await;
    let mut needles = vec!["broken".to_owned()];
    needles.extend(case.needles.iter().cloned());
    run.exit(2)?.error_kind("profile", &needles)?;
    Ok(())
}

fn make_fifo(path: &Path) -> std::io::Result<()> {
    let status = std::process::Command::new("mkfifo").arg(path).status()?;
    if status.success() { Ok(()) } else { Err(std::io::Error::other(format!("mkfifo failed: {status}"))) }
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(_target: &Path, _link: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("symlinks and FIFOs are unix cases"))
}

#[rstest]
#[case::unclosed_string("unclosed string")]
#[case::key_without("key without =")]
#[case::unclosed_table_header("unclosed table header")]
#[case::duplicate_key("duplicate key")]
#[case::duplicate_table("duplicate table")]
#[case::a_nul_byte_in_a_string("a NUL byte in a string")]
#[case::an_array_never_closed("an array never closed")]
#[case::nested_arrays_10k_deep("nested arrays 10k deep")]
#[case::nested_inline_tables_10k_deep("nested inline tables 10k deep")]
#[case::issuer_url_a_number("issuer.url a number")]
#[case::client_scopes_a_string("client.scopes a string")]
#[case::leeway_secs_negative("leeway_secs negative")]
#[case::leeway_secs_a_string("leeway_secs a string")]
#[case::client_secret_a_number("client.secret a number")]
#[case::expect_audience_a_number("expect.audience a number")]
#[case::endpoints_as_a_table("endpoints as a table")]
#[case::auth_method_unknown("auth_method unknown")]
#[case::scope_match_unknown("scope_match unknown")]
#[case::unknown_top_level_key("unknown top-level key")]
#[case::unknown_section("unknown section")]
#[case::unknown_key_in_expect("unknown key in [expect]")]
#[case::unknown_key_in_client("unknown key in [client]")]
#[case::unknown_key_in_endpoints("unknown key in [[endpoints]]")]
#[case::client_id_missing("client.id missing")]
#[case::client_secret_missing("client.secret missing")]
#[case::private_key_jwt_without_a_private_key("private_key_jwt without a private key")]
#[case::certificate_without_its_key("certificate without its key")]
#[case::dpop_alg_unknown("dpop alg unknown")]
#[case::dpop_rs256_without_a_key("dpop RS256 without a key")]
#[case::endpoint_url_missing("endpoint url missing")]
#[case::client_id_empty("client.id empty")]
#[case::issuer_url_not_a_url("issuer.url not a URL")]
#[case::issuer_url_ftp("issuer.url ftp")]
#[case::jwks_uri_without_a_host("jwks_uri without a host")]
#[case::token_endpoint_relative("token_endpoint relative")]
#[case::endpoint_url_relative("endpoint url relative")]
#[case::method_with_a_space("method with a space")]
#[case::method_empty("method empty")]
#[case::duplicate_endpoint_names("duplicate endpoint names")]
#[case::empty_endpoint_name("empty endpoint name")]
#[case::algorithms_empty("algorithms empty")]
#[case::algorithm_unknown("algorithm unknown")]
#[case::scope_claim_empty("scope_claim empty")]
#[case::an_empty_file("an empty file")]
#[case::a_byte_order_mark("a byte-order mark")]
#[case::crlf_line_endings("CRLF line endings")]
#[case::a_1_mb_file_under_the_1_mib_cap("a 1 MB file (under the 1 MiB cap)")]
#[case::a_file_over_the_1_mib_cap("a file over the 1 MiB cap")]
#[case::a_1_mb_file_broken_on_its_last_line("a 1 MB file broken on its last line")]
#[case::invalid_utf_8("invalid UTF-8")]
#[case::a_directory_named_bad_toml("a directory named bad.toml")]
#[case::a_fifo_named_bad_toml("a FIFO named bad.toml")]
#[case::a_symlink_to_dev_zero("a symlink to /dev/zero")]
#[case::a_symlink_to_a_regular_profile_file_followed("a symlink to a regular profile file (followed)")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles(#[case] name: &str) {
    run_case(profile_cases(), name, |c| c.name, check_profile).await;
}

// ---------------------------------------------------------------------------------------------
// The corpus itself.

/// Prints the number of cases per category (the figures of tests/README.md) and keeps the
/// corpus at its promised size.
#[test]
fn corpus_size() {
    let counts: BTreeMap<&str, usize> = [
        ("tokens", token_cases().len()),
        ("jwks", jwks_cases().len()),
        ("discovery", discovery_cases().len()),
        ("token responses", token_response_cases().len()),
        ("profiles", profile_cases().len()),
    ]
    .into_iter()
    .collect();
    let total: usize = counts.values().sum();
    for (category, count) in &counts {
        println!("bad_input corpus: {category:<16} {count:>3} cases");
    }
    println!("bad_input corpus: {:<16} {total:>3} cases", "total");
    assert!(total >= 80, "the corpus shrank to {total} cases");
    assert!(counts.values().all(|&n| n >= 10), "a category has fewer than 10 cases: {counts:?}");
}

/// Every case of every table is listed as a named case of its test, and no named case is
/// missing from its table: the lists above are the tables' names, in the tables' order.
#[test]
fn every_table_case_is_a_named_case() {
    let source = include_str!("bad_input.rs");
    let tables: [(&str, Vec<&str>); 5] = [
        ("tokens", token_cases().iter().map(|c| c.name).collect()),
        ("jwk_sets", jwks_cases().iter().map(|c| c.name).collect()),
        ("discovery_documents", discovery_cases().iter().map(|c| c.name).collect()),
        ("token_responses", token_response_cases().iter().map(|c| c.name).collect()),
        ("profiles", profile_cases().iter().map(|c| c.name).collect()),
    ];
    for (test, table) in tables {
        let listed = named_cases(source, test);
        assert_eq!(listed, table, "{test}: the #[case::…] list differs from the table");
        assert_eq!(table.iter().collect::<BTreeSet<_>>().len(), table.len(), "{test}: a name repeats");
    }
}

/// The names in the `#[case::ident("name")]` lines right above `async fn {test}(`.
fn named_cases<'a>(source: &'a str, test: &str) -> Vec<&'a str> {
    let end = source.find(&format!("\nasync fn {test}(")).unwrap_or_else(|| panic!("no test {test}"));
    let mut names: Vec<&str> = source[..end]
        .lines()
        .rev()
        .take_while(|line| line.starts_with("#["))
        .filter_map(|line| line.strip_prefix("#[case::"))
        .filter_map(|line| line.split_once("(\"").and_then(|(_, rest)| rest.strip_suffix("\")]")))
        .collect();
    names.reverse();
    names
}
