//! Demo-only key material: the embedded fixture keys, their public JWKs, and token signing.
//!
//! The PEM files under `src/demo/keys/` are published on purpose and protect nothing;
//! they are embedded so the demo and the tests never generate keys at run time
//! (RSA generation takes seconds in debug builds).

use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{Jwk, JwkSet, PublicKeyUse};
use jsonwebtoken::{Algorithm, AlgorithmFamily, EncodingKey};
use serde_json::{Map, Value, json};

/// One of the embedded demo keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DemoKey {
    /// RS256, kid `demo-rsa-1`: the issuer's signing key before rotation.
    Rsa1,
    /// RS256, kid `demo-rsa-2`: the key the issuer rotates to.
    Rsa2,
    /// ES256 (P-256), kid `demo-ec-1`.
    Ec256,
    /// ES384 (P-384), kid `demo-ec-384`; never published, for tests.
    Ec384,
    /// EdDSA (Ed25519), kid `demo-ed-1`; never published, for tests.
    Ed25519,
    /// RS256 key that no JWKS publishes: its signatures must fail.
    RsaStranger,
}

const ALL: [DemoKey; 6] =
    [DemoKey::Rsa1, DemoKey::Rsa2, DemoKey::Ec256, DemoKey::Ec384, DemoKey::Ed25519, DemoKey::RsaStranger];

// Parsed once: PEM parsing is the expensive part of signing.
static ENCODING_KEYS: LazyLock<Vec<EncodingKey>> =
    LazyLock::new(|| ALL.iter().map(|key| key.parse_encoding_key()).collect());

impl DemoKey {
    /// The `kid` this key is published (or would be published) under.
    pub fn kid(self) -> &'static str {
        match self {
            DemoKey::Rsa1 => "demo-rsa-1",
            DemoKey::Rsa2 => "demo-rsa-2",
            DemoKey::Ec256 => "demo-ec-1",
            DemoKey::Ec384 => "demo-ec-384",
            DemoKey::Ed25519 => "demo-ed-1",
            DemoKey::RsaStranger => "demo-rsa-stranger",
        }
    }

    /// The algorithm this key signs with when the caller asks for one of another family.
    pub fn natural_algorithm(self) -> Algorithm {
        match self {
            DemoKey::Rsa1 | DemoKey::Rsa2 | DemoKey::RsaStranger => Algorithm::RS256,
            DemoKey::Ec256 => Algorithm::ES256,
            DemoKey::Ec384 => Algorithm::ES384,
            DemoKey::Ed25519 => Algorithm::EdDSA,
        }
    }

    fn private_pem(self) -> &'static str {
        match self {
            DemoKey::Rsa1 => include_str!("keys/rsa1.pem"),
            DemoKey::Rsa2 => include_str!("keys/rsa2.pem"),
            DemoKey::Ec256 => include_str!("keys/ec256.pem"),
            DemoKey::Ec384 => include_str!("keys/ec384.pem"),
            DemoKey::Ed25519 => include_str!("keys/ed25519.pem"),
            DemoKey::RsaStranger => include_str!("keys/rsa-stranger.pem"),
        }
    }

    /// The matching public key (SPKI PEM).
    pub fn public_pem(self) -> &'static str {
        match self {
            DemoKey::Rsa1 => include_str!("keys/rsa1.pub.pem"),
            DemoKey::Rsa2 => include_str!("keys/rsa2.pub.pem"),
            DemoKey::Ec256 => include_str!("keys/ec256.pub.pem"),
            DemoKey::Ec384 => include_str!("keys/ec384.pub.pem"),
            DemoKey::Ed25519 => include_str!("keys/ed25519.pub.pem"),
            DemoKey::RsaStranger => include_str!("keys/rsa-stranger.pub.pem"),
        }
    }

    fn index(self) -> usize {
        ALL.iter().position(|key| *key == self).unwrap_or(0)
    }

    #[allow(clippy::expect_used)]
    fn parse_encoding_key(self) -> EncodingKey {
        let pem = self.private_pem().as_bytes();
        let parsed = match self.natural_algorithm().family() {
            AlgorithmFamily::Rsa => EncodingKey::from_rsa_pem(pem),
            AlgorithmFamily::Ec => EncodingKey::from_ec_pem(pem),
            _ => EncodingKey::from_ed_pem(pem),
        };
        // The PEM is a compile-time fixture, not input: failing here is a build defect.
        parsed.expect("embedded demo key fixture must parse")
    }

    /// The private key, parsed once and cached.
    ///
    /// # Panics
    /// Only if the embedded fixture PEM is broken (a defect of the build, not of input).
    pub fn encoding_key(self) -> EncodingKey {
        ENCODING_KEYS[self.index()].clone()
    }

    /// The public JWK with `kid`, `use` = `sig` and `alg` set.
    ///
    /// # Panics
    /// Only if the embedded fixture is broken.
    #[allow(clippy::expect_used)]
    pub fn public_jwk(self, alg: Algorithm) -> Jwk {
        // The curve of an EC JWK comes from the algorithm, so derive the parameters with
        // the key's own algorithm and only then label the JWK with the requested one.
        let mut jwk = Jwk::from_encoding_key(&ENCODING_KEYS[self.index()], self.natural_algorithm())
            .expect("embedded demo key fixture must yield a public JWK");
        jwk.common.key_algorithm = Some(alg.into());
        jwk.common.key_id = Some(self.kid().to_owned());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        jwk
    }
}

// Built once: the published JWKs never change, only which of them are published.
static PUBLISHED: LazyLock<[Jwk; 3]> = LazyLock::new(|| {
    [
        DemoKey::Rsa1.public_jwk(Algorithm::RS256),
        DemoKey::Rsa2.public_jwk(Algorithm::RS256),
        DemoKey::Ec256.public_jwk(Algorithm::ES256),
    ]
});

/// The issuer's JWKS: demo-rsa-1 unless retired, demo-rsa-2 once rotated, and demo-ec-1.
pub(crate) fn published_jwks(rotated: bool, rsa1_published: bool) -> JwkSet {
    let [rsa1, rsa2, ec] = &*PUBLISHED;
    let mut keys = Vec::with_capacity(3);
    if rotated {
        keys.push(rsa2.clone());
    }
    if rsa1_published || !rotated {
        keys.push(rsa1.clone());
    }
    keys.push(ec.clone());
    JwkSet { keys }
}

/// The JWS `alg` name, as written in a header.
pub(crate) fn alg_name(alg: Algorithm) -> &'static str {
    match alg {
        Algorithm::HS256 => "HS256",
        Algorithm::HS384 => "HS384",
        Algorithm::HS512 => "HS512",
        Algorithm::ES256 => "ES256",
        Algorithm::ES384 => "ES384",
        Algorithm::RS256 => "RS256",
        Algorithm::RS384 => "RS384",
        Algorithm::RS512 => "RS512",
        Algorithm::PS256 => "PS256",
        Algorithm::PS384 => "PS384",
        Algorithm::PS512 => "PS512",
        _ => "EdDSA",
    }
}

/// Signs `header.claims` and assembles the compact JWS.
///
/// Built by hand instead of with `jsonwebtoken::encode` so tests can also craft lying
/// tokens: when `alg` is not of the key's family, the header still says `alg` but the
/// signature is made with `sign_alg` (the key's own algorithm).
#[allow(clippy::expect_used)]
fn assemble(header: &Value, claims: &Value, key: &EncodingKey, sign_alg: Algorithm) -> String {
    let encode_part = |value: &Value| URL_SAFE_NO_PAD.encode(value.to_string());
    let message = format!("{}.{}", encode_part(header), encode_part(claims));
    // Only the fixture keys or an HMAC secret reach this point, with an algorithm of
    // their own family, so signing cannot fail on input.
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), key, sign_alg)
        .expect("signing with a demo key of the matching family");
    format!("{message}.{signature}")
}

fn header(alg: Algorithm, kid: Option<&str>) -> Value {
    let mut header = Map::new();
    header.insert("alg".into(), json!(alg_name(alg)));
    header.insert("typ".into(), json!("JWT"));
    if let Some(kid) = kid {
        header.insert("kid".into(), json!(kid));
    }
    Value::Object(header)
}

/// Signs arbitrary claims with a demo key; `kid` None leaves the header without a kid.
///
/// If `alg` does not belong to the key's family the header still claims `alg` while the
/// signature uses the key's own algorithm (a deliberately inconsistent token).
pub fn sign_token(claims: &serde_json::Value, alg: Algorithm, key: DemoKey, kid: Option<&str>) -> String {
    let encoding_key = &ENCODING_KEYS[key.index()];
    let sign_alg = if alg.family() == key.natural_algorithm().family()
        && (alg.family() != AlgorithmFamily::Ec || alg == key.natural_algorithm())
    {
        alg
    } else {
        key.natural_algorithm()
    };
    assemble(&header(alg, kid), claims, encoding_key, sign_alg)
}

/// Builds an HS* token (no kid) with a shared secret; a non-HS `alg` is written to the
/// header but the signature is HS256.
pub fn sign_hmac_token(claims: &serde_json::Value, alg: Algorithm, secret: &[u8]) -> String {
    let sign_alg = if alg.family() == AlgorithmFamily::Hmac { alg } else { Algorithm::HS256 };
    assemble(&header(alg, None), claims, &EncodingKey::from_secret(secret), sign_alg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixture_yields_a_jwk_with_kid_and_use() {
        for key in ALL {
            let jwk = key.public_jwk(key.natural_algorithm());
            assert_eq!(jwk.common.key_id.as_deref(), Some(key.kid()));
            assert_eq!(jwk.common.public_key_use, Some(PublicKeyUse::Signature));
        }
    }

    #[test]
    fn rotation_changes_the_published_set() {
        let kids = |set: JwkSet| -> Vec<String> { set.keys.into_iter().filter_map(|k| k.common.key_id).collect() };
        assert_eq!(kids(published_jwks(false, true)), ["demo-rsa-1", "demo-ec-1"]);
        assert_eq!(kids(published_jwks(true, true)), ["demo-rsa-2", "demo-rsa-1", "demo-ec-1"]);
        assert_eq!(kids(published_jwks(true, false)), ["demo-rsa-2", "demo-ec-1"]);
    }
}
