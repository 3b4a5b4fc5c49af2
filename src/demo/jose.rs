//! JOSE helpers shared by the emulated verifiers: lenient base64url and JWK signature checks.

use base64::Engine as _;
use base64::engine::general_purpose::GeneralPurpose;
use base64::engine::{DecodePaddingMode, GeneralPurposeConfig};
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};

// Node's Buffer.from(s, 'base64') ignores padding and stray trailing bits; so do we.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes base64url the way Node's `Buffer` does: a dangling last character is dropped
/// and characters outside the alphabet end the input instead of failing it.
pub(crate) fn lenient_b64(text: &str) -> Vec<u8> {
    let usable: String = text
        .trim_end_matches('=')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let keep = if usable.len() % 4 == 1 { usable.len() - 1 } else { usable.len() };
    LENIENT.decode(&usable[..keep]).unwrap_or_default()
}

/// The kind of a JWK's key, named as Node's `KeyObject.asymmetricKeyType` names it.
pub(crate) fn node_key_type(jwk: &Jwk) -> &'static str {
    match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => "rsa",
        AlgorithmParameters::EllipticCurve(_) => "ec",
        AlgorithmParameters::OctetKeyPair(_) => "ed25519",
        AlgorithmParameters::OctetKey(_) => "secret",
        _ => "unknown",
    }
}

/// The named curve of an EC JWK, with OpenSSL's names as Node reports them.
pub(crate) fn node_curve(jwk: &Jwk) -> Option<&'static str> {
    match &jwk.algorithm {
        AlgorithmParameters::EllipticCurve(params) => Some(match params.curve {
            EllipticCurve::P256 => "prime256v1",
            EllipticCurve::P384 => "secp384r1",
            EllipticCurve::P521 => "secp521r1",
            _ => "unknown",
        }),
        _ => None,
    }
}

/// Whether a JWK is meant for signatures (jwks-rsa keeps `use` = `sig` or absent).
pub(crate) fn is_signing_key(jwk: &Jwk) -> bool {
    matches!(jwk.common.public_key_use, None | Some(PublicKeyUse::Signature))
        && !matches!(jwk.algorithm, AlgorithmParameters::OctetKey(_))
}

/// Verifies `signing_input`'s signature with the JWK; anything unusable is a failure.
pub(crate) fn signature_ok(jwk: &Jwk, alg: &str, signing_input: &str, signature: &str) -> bool {
    let Ok(algorithm) = alg.parse::<Algorithm>() else {
        return false;
    };
    let Ok(key) = DecodingKey::from_jwk(jwk) else {
        return false;
    };
    // Re-encode so odd-but-accepted base64 (see lenient_b64) reaches the crate canonical.
    let canonical = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(lenient_b64(signature));
    jsonwebtoken::crypto::verify(&canonical, signing_input.as_bytes(), &key, algorithm).unwrap_or(false)
}

/// Java's `Instant.toString()` for whole seconds, e.g. `2026-01-02T03:04:05Z`.
pub(crate) fn java_instant(unix_secs: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::from_unix_timestamp(unix_secs)
        .ok()
        .and_then(|at| at.format(&format).ok())
        .unwrap_or_else(|| unix_secs.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_base64_matches_node() {
        assert_eq!(lenient_b64("eyJhIjoxfQ"), br#"{"a":1}"#);
        assert_eq!(lenient_b64("eyJhIjoxfQ=="), br#"{"a":1}"#);
        // A dangling sixth-bit character is ignored as Node ignores it.
        assert_eq!(lenient_b64("YWJjx"), b"abc");
        assert_eq!(java_instant(0), "1970-01-01T00:00:00Z");
    }
}
