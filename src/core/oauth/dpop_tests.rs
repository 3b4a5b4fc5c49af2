//! Unit tests of DPoP proofs: claims, header, htu normalisation, ath, keys.

use super::*;

fn decode_part(compact: &str, index: usize) -> serde_json::Value {
    let part = compact.split('.').nth(index).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

#[test]
fn htu_drops_query_fragment_default_port_and_lowercases() {
    // RFC 9449 §4.2 / RFC 3986 §6.2.2–6.2.3: syntax-based normalisation.
    assert_eq!(htu("HTTPS://Server.Example.COM:443/token?x=1#frag").unwrap(), "https://server.example.com/token");
    assert_eq!(htu("https://server.example.com/token").unwrap(), "https://server.example.com/token");
    assert_eq!(htu("http://127.0.0.1:80").unwrap(), "http://127.0.0.1/");
    assert_eq!(htu("http://127.0.0.1:4455/api/dpop?q=1").unwrap(), "http://127.0.0.1:4455/api/dpop");
    assert_eq!(
        htu("https://resource.example.org:8443/protectedresource").unwrap(),
        "https://resource.example.org:8443/protectedresource"
    );
    assert_eq!(htu("https://user:pw@host.example/p").unwrap(), "https://host.example/p");
    assert!(htu("ftp://host/x").is_err());
    assert!(htu("not a url").is_err());
}

#[test]
fn ath_is_base64url_sha256_of_the_token() {
    // RFC 9449 §7.1's example: this access token and its ath.
    let token = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
    assert_eq!(ath(token), "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
}

#[test]
fn proof_has_the_rfc_header_and_claims() {
    let key = DpopKey::generate("ES256").unwrap();
    let mut claims = ProofClaims::new("get", "http://127.0.0.1:4455/api/dpop", 1_700_000_000);
    claims.nonce = Some("n-1".into());
    claims.ath = Some(ath("tok"));
    let proof = key.sign(claims).unwrap();
    let header = decode_part(proof.compact.expose(), 0);
    assert_eq!(header["typ"], "dpop+jwt");
    assert_eq!(header["alg"], "ES256");
    assert_eq!(header["jwk"]["kty"], "EC");
    assert_eq!(header["jwk"]["crv"], "P-256");
    assert!(header["jwk"].get("d").is_none(), "the header's jwk is the public key only");
    let body = decode_part(proof.compact.expose(), 1);
    assert_eq!(body["htm"], "GET");
    assert_eq!(body["htu"], "http://127.0.0.1:4455/api/dpop");
    assert_eq!(body["iat"], 1_700_000_000);
    assert_eq!(body["nonce"], "n-1");
    assert_eq!(body["ath"], ath("tok"));
    assert!(body["jti"].as_str().unwrap().len() >= 16);
    assert_eq!(proof.view.header, header);
    assert_eq!(proof.view.claims, body);
    assert!(proof.shown().ends_with("[signature redacted]"));
    let again = key.sign(ProofClaims::new("GET", "http://h/", 0)).unwrap();
    assert_ne!(decode_part(again.compact.expose(), 1)["jti"], body["jti"], "a fresh jti per proof");
}

#[test]
fn thumbprint_matches_rfc7638() {
    // RFC 7638 §3.1's RSA example key's thumbprint, through a public JWK.
    let jwk: Jwk = serde_json::from_value(serde_json::json!({
        "kty": "RSA",
        "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        "e": "AQAB"
    }))
    .unwrap();
    assert_eq!(jwk.thumbprint(ThumbprintHash::SHA256).unwrap(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

#[test]
fn keys_by_alg() {
    for alg in ["ES256", "ES384", "EdDSA", "es256"] {
        let key = DpopKey::generate(alg).unwrap();
        assert!(key.generated());
        assert_eq!(key.thumbprint().len(), 43);
        let proof = key.sign(ProofClaims::new("POST", "http://h/token", 1)).unwrap();
        assert_eq!(decode_part(proof.compact.expose(), 0)["alg"], key.alg());
    }
    assert_eq!(DpopKey::generate("RS256").unwrap_err(), DpopError::NeedsKey("RS256".into()));
    assert!(matches!(DpopKey::generate("HS256"), Err(DpopError::UnsupportedAlg(_))));
    assert!(matches!(DpopKey::from_document("ES256", "garbage"), Err(DpopError::BadKey { .. })));
    let debug = format!("{:?}", DpopKey::generate("ES256").unwrap());
    assert!(debug.contains("jkt") && !debug.contains("content"), "{debug}");
}

#[test]
fn a_private_ec_jwk_is_a_key_and_its_thumbprint_is_stable() {
    use aws_lc_rs::encoding::{AsBigEndian as _, EcPrivateKeyBin};
    use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _};
    let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).unwrap();
    let public = pair.public_key().as_ref().to_vec();
    let private: EcPrivateKeyBin = pair.private_key().as_be_bytes().unwrap();
    let jwk = serde_json::json!({
        "kty": "EC", "crv": "P-256",
        "x": URL_SAFE_NO_PAD.encode(&public[1..33]),
        "y": URL_SAFE_NO_PAD.encode(&public[33..]),
        "d": URL_SAFE_NO_PAD.encode(private.as_ref()),
    });
    let a = DpopKey::from_document("ES256", &jwk.to_string()).unwrap();
    let b = DpopKey::from_document("ES256", &jwk.to_string()).unwrap();
    assert!(!a.generated());
    assert_eq!(a.thumbprint(), b.thumbprint());
}
