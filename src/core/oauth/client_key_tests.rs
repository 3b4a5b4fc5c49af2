//! Key reading: each format and each refusal, with committed fixture files.

use super::*;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/client_keys/", $name))
    };
}

fn kind(text: &str) -> KeyKind {
    match ClientKey::parse(text) {
        Ok(key) => key.kind(),
        Err(error) => panic!("fixture should parse: {error}"),
    }
}

fn refusal(text: &str) -> String {
    match ClientKey::parse(text) {
        Ok(key) => panic!("fixture should be refused, parsed {key:?}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn each_pem_format_is_read_and_told_apart() {
    assert_eq!(kind(fixture!("rsa-pkcs8.pem")), KeyKind::Rsa { bits: 2048 });
    assert_eq!(kind(fixture!("rsa-pkcs1.pem")), KeyKind::Rsa { bits: 2048 });
    assert_eq!(kind(fixture!("ec-p256-pkcs8.pem")), KeyKind::EcP256);
    assert_eq!(kind(fixture!("ec-p256-sec1.pem")), KeyKind::EcP256);
    assert_eq!(kind(fixture!("ec-p384-pkcs8.pem")), KeyKind::EcP384);
    assert_eq!(kind(fixture!("ed25519-pkcs8.pem")), KeyKind::Ed25519);
}

#[test]
fn private_jwks_are_read_with_their_kid() {
    for (text, expected) in [
        (fixture!("rsa.jwk.json"), KeyKind::Rsa { bits: 2048 }),
        (fixture!("ec-p256.jwk.json"), KeyKind::EcP256),
        (fixture!("ed25519.jwk.json"), KeyKind::Ed25519),
    ] {
        let key = ClientKey::parse(text).unwrap();
        assert_eq!(key.kind(), expected);
        assert!(key.jwk_kid().is_some_and(|kid| kid.starts_with("fixture-")));
    }
    let set = format!("{{\"keys\": [{}]}}", fixture!("ec-p256.jwk.json"));
    assert_eq!(kind(&set), KeyKind::EcP256);
}

#[test]
fn the_same_key_has_the_same_thumbprint_in_every_format() {
    let print = |text: &str| ClientKey::parse(text).unwrap().thumbprint();
    assert_eq!(print(fixture!("rsa-pkcs8.pem")), print(fixture!("rsa-pkcs1.pem")));
    assert_eq!(print(fixture!("rsa-pkcs8.pem")), print(fixture!("rsa.jwk.json")));
    assert_eq!(print(fixture!("ec-p256-sec1.pem")), print(fixture!("ec-p256.jwk.json")));
    assert_eq!(print(fixture!("ed25519-pkcs8.pem")), print(fixture!("ed25519.jwk.json")));
    assert_eq!(print(fixture!("rsa-pkcs8.pem")).len(), 43);
}

#[test]
fn each_refusal_names_the_problem_and_the_fix() {
    let cases = [
        (fixture!("rsa-encrypted-pkcs8.pem"), "an encrypted PKCS#8 key is not supported: decrypt it (openssl pkcs8"),
        (fixture!("rsa-public.pem"), "a public key, not a private one"),
        (fixture!("ec-p256-public.jwk.json"), "a public JWK (no \"d\"), not a private one"),
        (fixture!("certificate.pem"), "a certificate, not its private key"),
        (fixture!("ec-p521-pkcs8.pem"), "a P-521 key (ES512), which tokdbg cannot sign with"),
        (fixture!("rsa-1024.pem"), "an RSA 1024-bit key: too short"),
        ("", "client.private_key is empty"),
        ("hunter2", "neither PEM"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n", "an OpenSSH key"),
        ("{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}", "symmetric JWK"),
        ("{\"keys\":[{},{}]}", "a JWK set of 2 keys"),
        ("{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\",\"d\":\"AQAB\"}", "no \"p\" member"),
    ];
    for (text, expected) in cases {
        let message = refusal(text);
        assert!(message.contains(expected), "{message:?} should contain {expected:?}");
    }
    let two = format!("{}{}", fixture!("ec-p256-pkcs8.pem"), fixture!("ec-p384-pkcs8.pem"));
    assert!(refusal(&two).contains("holds 2 private keys"));
}

#[test]
fn no_error_and_no_debug_carries_key_material() {
    let pem = fixture!("rsa-pkcs1.pem");
    let body_line = pem.lines().nth(3).unwrap();
    let key = ClientKey::parse(pem).unwrap();
    assert!(!format!("{key:?}").contains(body_line));
    let damaged = pem.replace(body_line, &body_line.chars().rev().collect::<String>());
    let message = ClientKey::parse(&damaged).map(|_| String::new()).unwrap_or_else(|e| e.to_string());
    assert!(!message.contains(body_line) && !message.contains(&body_line.chars().rev().collect::<String>()));
    let jwk = fixture!("ec-p256.jwk.json");
    let d = serde_json::from_str::<Value>(jwk).unwrap()["d"].as_str().unwrap().to_owned();
    let broken = ClientKey::parse(&jwk.replace('}', "")).unwrap_err().to_string();
    assert!(!broken.contains(&d), "{broken}");
}
