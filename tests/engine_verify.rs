//! Local verification over real HTTP: every supported algorithm against a JWKS on loopback
//! (the demo's, or a tiny one serving fixture keys per algorithm), the HMAC and `none`
//! rules, kid rotation and the refetch rate limit, leeway, and scope claim shapes.

use std::time::Duration;

use crate::support::*;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Map, Value, json};
use tokdbg::core::engine::TokenSource;
use tokdbg::core::findings::Code;
use tokdbg::core::model::profile::{Profile, ScopeMatch, SecretSource};
use tokdbg::core::model::secret::Secret;
use tokdbg::core::net::http::{Http, HttpConfig};
use tokdbg::core::net::jwks::JwksCache;
use tokdbg::core::token::jwt;
use tokdbg::core::token::scopes::{self, ScopeShape};
use tokdbg::core::token::verify::{self, CheckName, CheckStatus, Verification, VerifyOptions};
use tokdbg::demo::{APP_ID, DemoKey, DemoServer, sign_hmac_token, sign_token};

fn jwks_cache() -> JwksCache {
    JwksCache::new(Http::new(HttpConfig::default()))
}

/// What the demo API accepts, with these algorithms and this JWKS.
fn options(server: &DemoServer, algorithms: &[&str], jwks_uri: Option<String>) -> VerifyOptions {
    VerifyOptions {
        algorithms: algorithms.iter().map(|a| (*a).to_owned()).collect(),
        issuer: Some(server.issuer()),
        audience: vec![APP_ID.to_owned()],
        leeway_secs: 0,
        jwks_uri,
        hmac_secret: None,
        jwks_tls: Default::default(),
        now: now(),
        rules: Default::default(),
    }
}

fn demo_jwks(server: &DemoServer) -> Option<String> {
    Some(format!("{}/.well-known/jwks.json", server.issuer()))
}

async fn check(cache: &JwksCache, token: &str, options: &VerifyOptions) -> Result<Verification, BoxError> {
    let decoded = jwt::decode(token)?;
    Ok(verify::verify(cache, &decoded, options).await)
}

fn status(verification: &Verification, name: CheckName) -> Option<CheckStatus> {
    verification.check(name).map(|c| c.status)
}

fn detail(verification: &Verification, name: CheckName) -> String {
    verification.check(name).map(|c| c.detail.clone()).unwrap_or_default()
}

fn checklist(verification: &Verification) -> String {
    verification
        .checks
        .iter()
        .map(|c| format!("{} {:?} {:?}: {}", c.name.label(), c.status, c.code, c.detail))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A profile for `Engine::inspect`: the demo reader's expectations with these algorithms.
fn inspect_profile(server: &DemoServer, algorithms: &[&str], jwks_uri: Option<String>) -> Result<Profile, BoxError> {
    let mut profile = demo_profile(server, "demo-reader")?;
    profile.expect.algorithms = algorithms.iter().map(|a| (*a).to_owned()).collect();
    profile.issuer.jwks_uri = jwks_uri;
    Ok(profile)
}

// ---------------------------------------------------------------------------------------
// every supported asymmetric algorithm

/// (alg, key) pairs for every asymmetric algorithm tokdbg verifies.
const ASYMMETRIC: &[(Algorithm, DemoKey)] = &[
    (Algorithm::RS256, DemoKey::Rsa1),
    (Algorithm::RS384, DemoKey::Rsa1),
    (Algorithm::RS512, DemoKey::Rsa1),
    (Algorithm::PS256, DemoKey::Rsa1),
    (Algorithm::PS384, DemoKey::Rsa1),
    (Algorithm::PS512, DemoKey::Rsa1),
    (Algorithm::ES256, DemoKey::Ec256),
    (Algorithm::ES384, DemoKey::Ec384),
    (Algorithm::EdDSA, DemoKey::Ed25519),
];

fn alg_text(alg: Algorithm) -> String {
    format!("{alg:?}")
}

/// A loopback JWKS per algorithm at `/{alg}`, each publishing the key with `alg` pinned.
async fn per_alg_jwks() -> Result<String, BoxError> {
    let documents = ASYMMETRIC
        .iter()
        .map(|(alg, key)| (format!("/{}", alg_text(*alg)), jwks_json(vec![key.public_jwk(*alg)])))
        .collect();
    serve_json(documents).await
}

#[tokio::test]
async fn every_asymmetric_algorithm_verifies_against_a_jwks_pinning_it() -> TestResult {
    let server = start_demo().await?;
    let base = per_alg_jwks().await?;
    let cache = jwks_cache();
    for (alg, key) in ASYMMETRIC {
        let name = alg_text(*alg);
        let token = sign_token(&good_claims(&server), *alg, *key, Some(key.kid()));
        let opts = options(&server, &[name.as_str()], Some(format!("{base}/{name}")));
        let v = check(&cache, &token, &opts).await?;
        let list = checklist(&v);
        assert!(v.valid, "{name}:\n{list}");
        assert_eq!(status(&v, CheckName::Alg), Some(CheckStatus::Pass), "{name}:\n{list}");
        assert_eq!(status(&v, CheckName::Key), Some(CheckStatus::Pass), "{name}:\n{list}");
        assert_eq!(status(&v, CheckName::Signature), Some(CheckStatus::Pass), "{name}:\n{list}");
        assert_eq!(v.check(CheckName::Signature).and_then(|c| c.actual.clone()), Some(name.clone()));
        let used = v.key.as_ref().ok_or("no key used")?;
        assert_eq!(used.kid.as_deref(), Some(key.kid()), "{name}");
        let kty = match alg {
            Algorithm::ES256 | Algorithm::ES384 => "EC",
            Algorithm::EdDSA => "OKP",
            _ => "RSA",
        };
        assert_eq!(used.kty, kty, "{name}");
    }
    Ok(())
}

#[tokio::test]
async fn every_asymmetric_algorithm_is_valid_through_engine_inspect() -> TestResult {
    let server = start_demo().await?;
    let base = per_alg_jwks().await?;
    let engine = engine();
    for (alg, key) in ASYMMETRIC {
        let name = alg_text(*alg);
        let profile = inspect_profile(&server, &[name.as_str()], Some(format!("{base}/{name}")))?;
        let token = sign_token(&good_claims(&server), *alg, *key, Some(key.kid()));
        let report = engine.inspect(&profile, &token, TokenSource::Given, None).await;
        assert!(report.valid, "{name}: {:?}", report.findings);
        assert_eq!(report.findings.first().map(|f| f.code), Some(Code::Ok), "{name}");
        assert_eq!(report.token.alg.as_deref(), Some(name.as_str()));
    }
    Ok(())
}

#[tokio::test]
async fn rs256_and_es256_verify_against_the_demo_issuers_own_jwks_via_discovery() -> TestResult {
    let server = start_demo().await?;
    let engine = engine();
    let profile = inspect_profile(&server, &["RS256", "ES256"], None)?;
    for (alg, key) in [(Algorithm::RS256, DemoKey::Rsa1), (Algorithm::ES256, DemoKey::Ec256)] {
        let token = sign_token(&good_claims(&server), alg, key, Some(key.kid()));
        let report = engine.inspect(&profile, &token, TokenSource::Given, None).await;
        assert!(report.valid, "{alg:?}: {:?}", report.findings);
        assert_eq!(report.jwks_uri, demo_jwks(&server));
        assert!(report.discovery.as_ref().is_some_and(|d| d.ok));
    }
    assert_eq!(server.counters().discovery, 1, "discovery is cached per issuer");
    assert_eq!(server.counters().jwks, 1, "the key set is cached");
    Ok(())
}

#[tokio::test]
async fn jwk_alg_pinned_to_rs256_refuses_a_ps256_token_under_the_same_kid() -> TestResult {
    let server = start_demo().await?;
    let cache = jwks_cache();
    let token = sign_token(&good_claims(&server), Algorithm::PS256, DemoKey::Rsa1, Some("demo-rsa-1"));
    let v = check(&cache, &token, &options(&server, &["RS256", "PS256"], demo_jwks(&server))).await?;
    let list = checklist(&v);
    assert!(!v.valid, "{list}");
    assert_eq!(status(&v, CheckName::Alg), Some(CheckStatus::Pass), "{list}");
    assert_eq!(status(&v, CheckName::Key), Some(CheckStatus::Fail), "{list}");
    assert!(detail(&v, CheckName::Key).contains("published for RS256"), "{list}");
    assert_ne!(status(&v, CheckName::Signature), Some(CheckStatus::Pass), "{list}");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// HMAC

const SHARED: &[u8] = b"a-shared-secret-of-at-least-32-bytes!!";

#[tokio::test]
async fn hs256_hs384_hs512_verify_with_the_profiles_shared_secret() -> TestResult {
    let server = start_demo().await?;
    let cache = jwks_cache();
    for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
        let name = alg_text(alg);
        let token = sign_hmac_token(&good_claims(&server), alg, SHARED);
        let mut opts = options(&server, &[name.as_str()], demo_jwks(&server));
        opts.hmac_secret = Some(Secret::new(String::from_utf8(SHARED.to_vec())?));
        let v = check(&cache, &token, &opts).await?;
        assert!(v.valid, "{name}:\n{}", checklist(&v));
        assert_eq!(v.key.as_ref().map(|k| k.source.as_str()), Some("hmac_secret"));
        // Another secret: the signature fails.
        opts.hmac_secret = Some(Secret::new("not-the-shared-secret"));
        let v = check(&cache, &token, &opts).await?;
        assert!(!v.valid, "{name}");
        assert_eq!(v.check(CheckName::Signature).and_then(|c| c.code), Some(Code::SignatureInvalid), "{name}");
        // No secret at all: nothing to check with.
        opts.hmac_secret = None;
        let v = check(&cache, &token, &opts).await?;
        assert!(!v.valid, "{name}");
        assert_eq!(status(&v, CheckName::Signature), Some(CheckStatus::Skip), "{name}");
    }
    assert_eq!(server.counters().jwks, 0, "HS* never looks at the JWKS");
    Ok(())
}

#[tokio::test]
async fn hs256_token_through_inspect_uses_the_profiles_hmac_secret() -> TestResult {
    let server = start_demo().await?;
    let mut profile = inspect_profile(&server, &["HS256"], None)?;
    profile.expect.hmac_secret = Some(SecretSource::parse("demo-hs256-secret"));
    let token = sign_hmac_token(&good_claims(&server), Algorithm::HS256, b"demo-hs256-secret");
    let report = engine().inspect(&profile, &token, TokenSource::Given, Some(Secret::new("demo-hs256-secret"))).await;
    assert!(report.valid, "{:?}", report.findings);
    assert_eq!(report.findings.first().map(|f| f.code), Some(Code::Ok));
    Ok(())
}

#[tokio::test]
async fn an_rsa_public_key_is_never_usable_as_an_hmac_secret() -> TestResult {
    let server = start_demo().await?;
    let cache = jwks_cache();
    // The classic key-confusion forgery: HS256 keyed with the issuer's public key,
    // under the kid of that public key in the JWKS.
    let header = json!({ "alg": "HS256", "typ": "JWT", "kid": "demo-rsa-1" });
    let forged = sign_with_header(
        &header,
        &good_claims(&server),
        &EncodingKey::from_secret(DemoKey::Rsa1.public_pem().as_bytes()),
        Algorithm::HS256,
    );
    let opts = options(&server, &["RS256", "HS256"], demo_jwks(&server));
    let v = check(&cache, &forged, &opts).await?;
    let list = checklist(&v);
    assert!(!v.valid, "{list}");
    assert_ne!(status(&v, CheckName::Signature), Some(CheckStatus::Pass), "{list}");
    assert_ne!(v.key.as_ref().map(|k| k.kty.as_str()), Some("RSA"), "{list}");
    assert_eq!(cache.fetch_count(), 0, "the JWKS is not even consulted for HS*");
    // Through inspect, with the demo's discovery and JWKS: still not valid.
    let profile = inspect_profile(&server, &["RS256", "HS256"], None)?;
    let report = engine().inspect(&profile, &forged, TokenSource::Given, None).await;
    assert!(!report.valid, "{:?}", report.findings);
    assert_ne!(report.findings.first().map(|f| f.code), Some(Code::Ok));
    Ok(())
}

// ---------------------------------------------------------------------------------------
// the allow-list and `none`

#[tokio::test]
async fn an_algorithm_outside_the_allow_list_fails_even_when_the_signature_verifies() -> TestResult {
    let server = start_demo().await?;
    let cache = jwks_cache();
    let token = sign_token(&good_claims(&server), Algorithm::ES256, DemoKey::Ec256, Some("demo-ec-1"));
    let v = check(&cache, &token, &options(&server, &["RS256"], demo_jwks(&server))).await?;
    let list = checklist(&v);
    assert_eq!(status(&v, CheckName::Signature), Some(CheckStatus::Pass), "{list}");
    assert_eq!(status(&v, CheckName::Alg), Some(CheckStatus::Fail), "{list}");
    assert!(!v.valid, "{list}");
    let profile = inspect_profile(&server, &["RS256"], demo_jwks(&server))?;
    let report = engine().inspect(&profile, &token, TokenSource::Given, None).await;
    assert!(!report.valid);
    assert_eq!(report.findings.first().map(|f| f.code), Some(Code::AlgNotAllowed), "{:?}", report.findings);
    Ok(())
}

#[tokio::test]
async fn none_is_never_accepted_even_when_listed_in_the_algorithms() -> TestResult {
    let server = start_demo().await?;
    let cache = jwks_cache();
    let opts = options(&server, &["none", "RS256"], demo_jwks(&server));
    let claims = good_claims(&server);
    // Unsigned, and "none" with a bogus signature segment.
    for token in [unsigned(&claims), format!("{}.{BOGUS_SIGNATURE}", unsigned(&claims).trim_end_matches('.'))] {
        let v = check(&cache, &token, &opts).await?;
        let list = checklist(&v);
        assert!(!v.valid, "{list}");
        assert_eq!(v.check(CheckName::Alg).and_then(|c| c.code), Some(Code::AlgNone), "{list}");
    }
    let profile = inspect_profile(&server, &["none", "RS256"], demo_jwks(&server))?;
    let report = engine().inspect(&profile, &unsigned(&claims), TokenSource::Given, None).await;
    assert!(!report.valid);
    assert_eq!(report.findings.first().map(|f| f.code), Some(Code::AlgNone), "{:?}", report.findings);
    Ok(())
}

/// A base64url segment standing in for a signature on a `none` token.
const BOGUS_SIGNATURE: &str = "c2lnbmF0dXJl";

// ---------------------------------------------------------------------------------------
// kid rotation and the refetch rate limit

#[tokio::test]
async fn a_rotated_kid_is_found_by_refetching_once_and_a_second_miss_is_rate_limited() -> TestResult {
    let server = start_demo().await?;
    let engine = engine();
    let profile = demo_profile(&server, "demo-reader")?;

    let before = engine.call(fetch_spec("demo-reader", &profile, "read orders")?, None).await;
    assert_eq!(before.token.kid.as_deref(), Some("demo-rsa-1"));
    assert_eq!(before.findings.first().map(|f| f.code), Some(Code::Ok), "{}", summary(&before));
    assert_eq!((engine.jwks().fetch_count(), server.counters().jwks), (1, 1));

    server.rotate_keys(false);
    let mut spec = fetch_spec("demo-reader", &profile, "read orders")?;
    spec.token = tokdbg::core::engine::TokenChoice::Fetch {
        credentials: tokdbg::core::model::credentials::Credentials::secret(client_secret(&profile)?),
        force: true,
    };
    let after = engine.call(spec, None).await;
    assert_eq!(after.token.kid.as_deref(), Some("demo-rsa-2"));
    assert_eq!(after.findings.first().map(|f| f.code), Some(Code::Ok), "{}", summary(&after));
    let v = after.verification.as_ref().ok_or("no verification")?;
    assert!(v.valid && v.jwks_refetched, "{}", checklist(v));
    assert_eq!(status(v, CheckName::Key), Some(CheckStatus::Pass));
    assert!(detail(v, CheckName::Key).contains("fetching the JWKS again"), "{}", checklist(v));
    assert!(v.available_kids.contains(&"demo-rsa-2".to_owned()));
    assert_eq!((engine.jwks().fetch_count(), server.counters().jwks), (2, 2));

    // Another unknown kid within 30 s: no third fetch.
    let stranger = sign_token(&good_claims(&server), Algorithm::RS256, DemoKey::RsaStranger, Some("demo-rsa-9"));
    let report = engine.inspect(&profile, &stranger, TokenSource::Given, None).await;
    let v = report.verification.as_ref().ok_or("no verification")?;
    assert!(!v.jwks_refetched);
    assert_eq!(v.check(CheckName::Key).and_then(|c| c.code), Some(Code::KidNotFound), "{}", checklist(v));
    assert!(detail(v, CheckName::Key).contains("not refetched"), "{}", checklist(v));
    assert_eq!(report.findings.first().map(|f| f.code), Some(Code::KidNotFound));
    assert_eq!((engine.jwks().fetch_count(), server.counters().jwks), (2, 2), "rate-limited");
    Ok(())
}

#[tokio::test]
async fn an_unknown_kid_is_refetched_once_when_the_interval_allows() -> TestResult {
    let server = start_demo().await?;
    let cache = JwksCache::with_miss_interval(Http::new(HttpConfig::default()), Duration::ZERO);
    let opts = options(&server, &["RS256"], demo_jwks(&server));
    let good = rs256(&good_claims(&server));
    assert!(check(&cache, &good, &opts).await?.valid);
    let stranger = sign_token(&good_claims(&server), Algorithm::RS256, DemoKey::RsaStranger, Some("demo-rsa-9"));
    let v = check(&cache, &stranger, &opts).await?;
    assert!(v.jwks_refetched, "{}", checklist(&v));
    assert!(detail(&v, CheckName::Key).contains("even after fetching it again"), "{}", checklist(&v));
    assert_eq!(cache.fetch_count(), 2);
    assert_eq!(server.counters().jwks, 2);
    Ok(())
}

#[tokio::test]
async fn a_retired_kid_is_kid_not_found_once_the_set_was_refetched() -> TestResult {
    let server = start_demo().await?;
    let cache = jwks_cache();
    let opts = options(&server, &["RS256"], demo_jwks(&server));
    // Cache the set while it still has demo-rsa-1 … then retire it and ask for a new kid.
    assert!(check(&cache, &rs256(&good_claims(&server)), &opts).await?.valid);
    server.rotate_keys(true);
    let rsa2 = sign_token(&good_claims(&server), Algorithm::RS256, DemoKey::Rsa2, Some("demo-rsa-2"));
    let v = check(&cache, &rsa2, &opts).await?;
    assert!(v.valid && v.jwks_refetched, "{}", checklist(&v));
    assert!(!v.available_kids.contains(&"demo-rsa-1".to_owned()));
    // A token still signed by the retired key: its kid is gone, and no refetch so soon.
    let old = check(&cache, &rs256(&good_claims(&server)), &opts).await?;
    assert!(!old.valid && !old.jwks_refetched, "{}", checklist(&old));
    assert_eq!(old.check(CheckName::Key).and_then(|c| c.code), Some(Code::KidNotFound), "{}", checklist(&old));
    assert_eq!(cache.fetch_count(), 2);
    Ok(())
}

// ---------------------------------------------------------------------------------------
// leeway

#[tokio::test]
async fn expired_thirty_seconds_ago_fails_without_leeway_and_passes_with_sixty() -> TestResult {
    let server = start_demo().await?;
    let cache = jwks_cache();
    let now = now();
    let token = rs256(&claims_with(&server, json!({ "iat": now - 600, "exp": now - 30 })));
    let mut opts = options(&server, &["RS256"], demo_jwks(&server));
    opts.now = now;
    let strict = check(&cache, &token, &opts).await?;
    assert!(!strict.valid);
    assert_eq!(strict.check(CheckName::Exp).and_then(|c| c.code), Some(Code::Expired), "{}", checklist(&strict));
    assert!(detail(&strict, CheckName::Exp).contains("expired 30 s ago"), "{}", checklist(&strict));
    opts.leeway_secs = 60;
    let lenient = check(&cache, &token, &opts).await?;
    assert!(lenient.valid, "{}", checklist(&lenient));
    assert_eq!(status(&lenient, CheckName::Exp), Some(CheckStatus::Pass));
    Ok(())
}

#[tokio::test]
async fn nbf_thirty_seconds_ahead_fails_without_leeway_and_passes_with_sixty() -> TestResult {
    let server = start_demo().await?;
    let cache = jwks_cache();
    let now = now();
    let token = rs256(&claims_with(&server, json!({ "nbf": now + 30 })));
    let mut opts = options(&server, &["RS256"], demo_jwks(&server));
    opts.now = now;
    let strict = check(&cache, &token, &opts).await?;
    assert!(!strict.valid);
    assert_eq!(strict.check(CheckName::Nbf).and_then(|c| c.code), Some(Code::NotYetValid), "{}", checklist(&strict));
    assert!(detail(&strict, CheckName::Nbf).contains("30 s"), "{}", checklist(&strict));
    opts.leeway_secs = 60;
    let lenient = check(&cache, &token, &opts).await?;
    assert!(lenient.valid, "{}", checklist(&lenient));
    assert_eq!(status(&lenient, CheckName::Nbf), Some(CheckStatus::Pass));
    Ok(())
}

// ---------------------------------------------------------------------------------------
// iss / aud checks on their own

#[tokio::test]
async fn issuer_and_audience_checks_name_expected_and_actual() -> TestResult {
    let server = start_demo().await?;
    let cache = jwks_cache();
    let opts = options(&server, &["RS256"], demo_jwks(&server));
    let token = rs256(&claims_with(&server, json!({ "iss": "http://elsewhere.example/oidc", "aud": ["x", "y"] })));
    let v = check(&cache, &token, &opts).await?;
    assert!(!v.valid);
    let iss = v.check(CheckName::Iss).ok_or("no iss check")?;
    assert_eq!((iss.code, iss.expected.clone()), (Some(Code::IssuerMismatch), Some(server.issuer())));
    let aud = v.check(CheckName::Aud).ok_or("no aud check")?;
    assert_eq!(aud.code, Some(Code::AudienceMismatch));
    assert_eq!(aud.expected.as_deref(), Some(APP_ID));
    // A list holding the expected audience passes.
    let token = rs256(&claims_with(&server, json!({ "aud": ["other", APP_ID] })));
    assert!(check(&cache, &token, &opts).await?.valid);
    Ok(())
}

// ---------------------------------------------------------------------------------------
// scope claim shapes (tokdbg::core::token::scopes)

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn scope_claims_in_every_shape_are_read() {
    let claims = object(json!({
        "scope": "openid order:read",
        "scp": ["order:read", "order:write"],
        "permissions": ["order:delete"],
        "https://demo.local/scopes": "a b",
    }));
    let read = |key: &str| scopes::granted_scopes(&claims, key).map(|g| (g.shape, g.scopes));
    assert_eq!(read("scope"), Some((ScopeShape::SpaceSeparated, strings(&["openid", "order:read"]))));
    assert_eq!(read("scp"), Some((ScopeShape::Array, strings(&["order:read", "order:write"]))));
    assert_eq!(read("permissions"), Some((ScopeShape::Array, strings(&["order:delete"]))));
    assert_eq!(read("https://demo.local/scopes"), Some((ScopeShape::SpaceSeparated, strings(&["a", "b"]))));
    assert_eq!(read("roles"), None);
    let array_scope = object(json!({ "scope": ["order:read"] }));
    assert_eq!(
        scopes::granted_scopes(&array_scope, "scope").map(|g| (g.shape, g.scopes)),
        Some((ScopeShape::Array, strings(&["order:read"])))
    );
    let present: Vec<String> = scopes::scope_claims_present(&claims).into_iter().map(|g| g.claim).collect();
    assert_eq!(present, strings(&["scope", "scp", "permissions"]));
}

#[test]
fn all_of_and_any_of_matching() {
    let required = strings(&["order:read", "order:write"]);
    let granted = strings(&["order:read"]);
    let all = scopes::scope_gap(&required, &granted, ScopeMatch::All);
    assert!(!all.satisfied);
    assert_eq!(all.missing, strings(&["order:write"]));
    let any = scopes::scope_gap(&required, &granted, ScopeMatch::Any);
    assert!(any.satisfied);
    assert_eq!(any.missing, strings(&["order:write"]));
    assert!(!scopes::scope_gap(&required, &strings(&["openid"]), ScopeMatch::Any).satisfied);
    assert!(scopes::scope_gap(&required, &strings(&["order:write", "order:read"]), ScopeMatch::All).satisfied);
}

// ---------------------------------------------------------------------------------------
// headers the JOSE RFCs forbid to accept: crit (RFC 7515 §4.1.11) and b64 (RFC 7797)

/// An RS256 token from demo-rsa-1 whose header has these extra members.
fn rs256_with_header(server: &DemoServer, extra: Value) -> String {
    let mut header = json!({ "alg": "RS256", "typ": "JWT", "kid": DemoKey::Rsa1.kid() });
    if let (Some(target), Some(extra)) = (header.as_object_mut(), extra.as_object()) {
        target.extend(extra.clone());
    }
    sign_with_header(&header, &good_claims(server), &DemoKey::Rsa1.encoding_key(), Algorithm::RS256)
}

/// Verifies `token` against the demo JWKS: the signature check must fail as `malformed_token`
/// with a detail holding every one of `wanted`, and inspect's first finding must say so too.
async fn assert_header_refused(server: &DemoServer, token: &str, wanted: &[&str]) -> TestResult {
    let v = check(&jwks_cache(), token, &options(server, &["RS256"], demo_jwks(server))).await?;
    let list = checklist(&v);
    assert!(!v.valid, "{list}");
    assert_eq!(status(&v, CheckName::Key), Some(CheckStatus::Pass), "the key is found as usual:\n{list}");
    let signature = v.check(CheckName::Signature).ok_or("no signature check")?;
    assert_eq!((signature.status, signature.code), (CheckStatus::Fail, Some(Code::MalformedToken)), "{list}");
    for text in wanted {
        assert!(signature.detail.contains(text), "{text:?} missing:\n{list}");
    }
    assert!(!signature.detail.contains("another key"), "{list}");

    let profile = inspect_profile(server, &["RS256"], demo_jwks(server))?;
    let report = engine().inspect(&profile, token, TokenSource::Given, None).await;
    assert!(!report.valid);
    let first = report.findings.first().ok_or("no finding")?;
    assert_eq!(first.code, Code::MalformedToken, "{:?}", report.findings);
    assert!(first.message.contains("header makes it invalid"), "{}", first.message);
    assert!(!first.fix.is_empty() && !first.fix.contains("another key"), "{}", first.fix);
    Ok(())
}

#[tokio::test]
async fn crit_naming_an_unknown_extension_does_not_verify() -> TestResult {
    let server = start_demo().await?;
    let token = rs256_with_header(&server, json!({ "crit": ["urn:example:ext"], "urn:example:ext": 1 }));
    // The signature matches demo-rsa-1: the header alone makes the token invalid.
    assert_header_refused(
        &server,
        &token,
        &["\"urn:example:ext\"", "RFC 7515 §4.1.11", "does not implement", "signature itself matches"],
    )
    .await
}

#[tokio::test]
async fn crit_listing_b64_with_b64_false_does_not_verify() -> TestResult {
    let server = start_demo().await?;
    let token = rs256_with_header(&server, json!({ "crit": ["b64"], "b64": false }));
    assert_header_refused(&server, &token, &["b64 is false", "RFC 7797 §7"]).await
}

#[tokio::test]
async fn b64_false_without_crit_does_not_verify() -> TestResult {
    let server = start_demo().await?;
    let token = rs256_with_header(&server, json!({ "b64": false }));
    assert_header_refused(&server, &token, &["b64 is false", "unencoded payload"]).await
}

#[tokio::test]
async fn crit_listing_b64_with_b64_true_verifies() -> TestResult {
    let server = start_demo().await?;
    // b64 is the one critical extension tokdbg implements, and true is its default.
    let token = rs256_with_header(&server, json!({ "crit": ["b64"], "b64": true }));
    let v = check(&jwks_cache(), &token, &options(&server, &["RS256"], demo_jwks(&server))).await?;
    assert!(v.valid, "{}", checklist(&v));
    Ok(())
}

#[tokio::test]
async fn malformed_crit_does_not_verify() -> TestResult {
    let server = start_demo().await?;
    let cases = [
        ("not a list", json!({ "crit": "urn:x", "urn:x": 1 }), "is not a list"),
        ("an empty list", json!({ "crit": [] }), "the list is empty"),
        ("a number in the list", json!({ "crit": [7] }), "7 is not a header name"),
        ("a registered header", json!({ "crit": ["alg"] }), "\"alg\", a registered header"),
        ("a name the header lacks", json!({ "crit": ["urn:x"] }), "which the header does not have"),
        ("a name twice", json!({ "crit": ["urn:x", "urn:x"], "urn:x": 1 }), "\"urn:x\" twice"),
    ];
    for (name, extra, wanted) in cases {
        let token = rs256_with_header(&server, extra);
        assert_header_refused(&server, &token, &["crit header is malformed", wanted])
            .await
            .map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// RSA keys: leading zero octets, and keys the crypto backend refuses

/// demo-rsa-1's JWK with a zero octet put in front of member `name` (`n` or `e`).
fn rsa1_jwk_with_leading_zero(name: &str) -> Result<Value, BoxError> {
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut jwk = serde_json::to_value(DemoKey::Rsa1.public_jwk(Algorithm::RS256))?;
    let member = jwk.get_mut(name).ok_or("no such member")?;
    let mut bytes = engine.decode(member.as_str().ok_or("not a string")?)?;
    bytes.insert(0, 0);
    *member = json!(engine.encode(bytes));
    Ok(jwk)
}

async fn assert_leading_zero_verifies(name: &str) -> TestResult {
    let server = start_demo().await?;
    let base = serve_json(vec![("/jwks".to_owned(), json!({ "keys": [rsa1_jwk_with_leading_zero(name)?] }))]).await?;
    let v = check(
        &jwks_cache(),
        &rs256(&good_claims(&server)),
        &options(&server, &["RS256"], Some(format!("{base}/jwks"))),
    )
    .await?;
    assert!(v.valid, "{}", checklist(&v));
    assert_eq!(status(&v, CheckName::Signature), Some(CheckStatus::Pass));
    Ok(())
}

#[tokio::test]
async fn rsa_jwk_with_a_leading_zero_in_n_verifies() -> TestResult {
    assert_leading_zero_verifies("n").await
}

#[tokio::test]
async fn rsa_jwk_with_a_leading_zero_in_e_verifies() -> TestResult {
    assert_leading_zero_verifies("e").await
}

const RSA1024_JWKS: &str = include_str!("fixtures/rsa1024/jwks.json");
const RSA1024_TOKEN: &str = include_str!("fixtures/rsa1024/token.txt");

#[tokio::test]
async fn a_1024_bit_rsa_key_is_reported_as_rejected_not_as_a_bad_signature() -> TestResult {
    let base = serve_json(vec![("/jwks".to_owned(), serde_json::from_str(RSA1024_JWKS)?)]).await?;
    let opts = VerifyOptions {
        algorithms: vec!["RS256".to_owned()],
        jwks_uri: Some(format!("{base}/jwks")),
        now: now(),
        ..VerifyOptions::default()
    };
    let v = check(&jwks_cache(), RSA1024_TOKEN, &opts).await?;
    let list = checklist(&v);
    assert!(!v.valid, "{list}");
    let key = v.check(CheckName::Key).ok_or("no key check")?;
    assert_eq!(key.status, CheckStatus::Fail, "{list}");
    assert!(
        key.detail.contains("rsa-1024: key rejected: 1024-bit RSA is below the backend's minimum (2048 bits)"),
        "{list}"
    );
    assert_eq!(status(&v, CheckName::Signature), Some(CheckStatus::Skip), "{list}");
    assert!(!list.contains("another key") && !list.contains("altered"), "{list}");

    // Through inspect: the finding names the key size, and its fix the backend's range.
    let mut profile = Profile::default();
    profile.expect.algorithms = vec!["RS256".to_owned()];
    profile.issuer.jwks_uri = Some(format!("{base}/jwks"));
    let report = engine().inspect(&profile, RSA1024_TOKEN, TokenSource::Given, None).await;
    let first = report.findings.first().ok_or("no finding")?;
    assert!(first.message.contains("1024-bit RSA is below the backend's minimum"), "{}", first.message);
    assert!(first.fix.contains("at least 2048 bits"), "{}", first.fix);
    assert!(!first.fix.contains("another key") && !first.message.contains("altered"), "{:?}", first);
    Ok(())
}

#[tokio::test]
async fn the_engine_judges_time_by_its_clock() -> TestResult {
    use tokdbg::core::clock::FixedClock;
    use tokdbg::core::engine::Engine;
    let server = start_demo().await?;
    let profile = inspect_profile(&server, &["RS256"], demo_jwks(&server))?;
    let exp = now() + 600;
    let token = rs256(&claims_with(&server, json!({ "exp": exp })));
    let clock = std::sync::Arc::new(FixedClock::at(exp - 60));
    let engine = Engine::with_clock(HttpConfig::default(), clock.clone());
    let before = engine.inspect(&profile, &token, TokenSource::Given, None).await;
    assert!(before.valid, "{:?}", before.findings);
    assert_eq!(before.token.expires.map(|e| e.to_string()).as_deref(), Some("expires in 1 min"));
    clock.set(exp + 61);
    let after = engine.inspect(&profile, &token, TokenSource::Given, None).await;
    assert_eq!(after.findings.first().map(|f| f.code), Some(Code::Expired), "{:?}", after.findings);
    assert_eq!(after.token.expires.map(|e| e.to_string()).as_deref(), Some("expired 1 min ago"));
    Ok(())
}
