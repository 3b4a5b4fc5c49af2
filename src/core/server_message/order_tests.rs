//! Pins the merged rule order to the single phrase list the dialects were split from, so the split changed no cause.
//!
//! `LEGACY_RULES` is that list as it stood (most specific first; the first
//! phrase a text contains decided). The dialects may add phrases, but only
//! longer forms of a listed phrase naming the same cause (to credit the right
//! dialect), and the merged order must keep every two listed phrases of
//! different causes in their old relative order.

use super::dialects::{Kind, Matcher, classify, ordered_rules, registry};

/// Phrases, most specific first, as they were before the split.
const LEGACY_RULES: &[(&str, Kind)] = &[
    // No token: express-jwt, Spring, golang-jwt's request package, Echo, generic.
    ("no authorization token was found", Kind::TokenMissing),
    ("credentials_required", Kind::TokenMissing),
    ("full authentication is required", Kind::TokenMissing),
    ("no token present in request", Kind::TokenMissing),
    ("missing authorization header", Kind::TokenMissing),
    ("authorization header is missing", Kind::TokenMissing),
    ("authorization header missing", Kind::TokenMissing),
    ("authorization header not found", Kind::TokenMissing),
    ("authorization header is required", Kind::TokenMissing),
    ("missing bearer token", Kind::TokenMissing),
    ("bearer token is missing", Kind::TokenMissing),
    ("access token is missing", Kind::TokenMissing),
    ("missing access token", Kind::TokenMissing),
    ("missing or malformed jwt", Kind::TokenMissing),
    ("no bearer token", Kind::TokenMissing),
    ("no auth token", Kind::TokenMissing),
    ("no token found", Kind::TokenMissing),
    ("no token provided", Kind::TokenMissing),
    ("token not provided", Kind::TokenMissing),
    ("jwt must be provided", Kind::TokenMissing),
    // A header that is not `Bearer <token>` (before "malformed").
    ("credentials_bad_scheme", Kind::BadScheme),
    ("credentials_bad_format", Kind::BadScheme),
    ("format is authorization: bearer", Kind::BadScheme),
    ("authorization header format must be bearer", Kind::BadScheme),
    ("invalid authorization header", Kind::BadScheme),
    ("malformed authorization header", Kind::BadScheme),
    ("authorization header is malformed", Kind::BadScheme),
    ("bad authorization header", Kind::BadScheme),
    ("unsupported authorization scheme", Kind::BadScheme),
    ("invalid authorization scheme", Kind::BadScheme),
    // Scopes: express-jwt-authz, RFC 6750, Spring, express-jwt-permissions.
    ("insufficient scope", Kind::InsufficientScope),
    ("insufficient_scope", Kind::InsufficientScope),
    ("requires higher privileges", Kind::InsufficientScope),
    ("missing required scope", Kind::InsufficientScope),
    ("permission_denied", Kind::InsufficientScope),
    // Algorithm. Nimbus's "Another algorithm expected, or no matching key(s)
    // found" covers both causes; it names the algorithm first, and the local
    // verifier tells the two apart. It must come before "no matching key".
    ("another algorithm expected", Kind::InvalidAlgorithm),
    ("invalid algorithm", Kind::InvalidAlgorithm),
    ("signing method", Kind::InvalidAlgorithm),
    ("algorithm not allowed", Kind::InvalidAlgorithm),
    ("algorithm is not allowed", Kind::InvalidAlgorithm),
    ("alg not allowed", Kind::InvalidAlgorithm),
    ("unsupported algorithm", Kind::InvalidAlgorithm),
    ("unexpected algorithm", Kind::InvalidAlgorithm),
    ("algorithm mismatch", Kind::InvalidAlgorithm),
    ("key is of invalid type", Kind::InvalidAlgorithm),
    // jsonwebtoken on an unsigned (`alg: none`) token.
    ("jwt signature is required", Kind::InvalidAlgorithm),
    ("please specify \"none\"", Kind::InvalidAlgorithm),
    // No key for the token's kid (jwks-rsa, ASP.NET text, generic). Before "jwks":
    // "kid not found in JWKS" is about the key, not the fetch.
    ("signingkeynotfounderror", Kind::NoVerificationKey),
    ("unable to find a signing key", Kind::NoVerificationKey),
    ("unable to match key", Kind::NoVerificationKey),
    ("signature key was not found", Kind::NoVerificationKey),
    ("kid not found", Kind::NoVerificationKey),
    ("unknown kid", Kind::NoVerificationKey),
    ("no matching key", Kind::NoVerificationKey),
    ("no signing key", Kind::NoVerificationKey),
    // Fetching the keys failed (jwks-rsa's JwksError / JwksRateLimitError, Spring's "remote JWK set").
    ("jwksratelimiterror", Kind::Jwks),
    ("jwkserror", Kind::Jwks),
    ("jwks", Kind::Jwks),
    ("jwk set", Kind::Jwks),
    // The discovery document the keys come from (its URL may contain "issuer").
    ("openid-configuration", Kind::Jwks),
    // express-jwt when jwks-rsa found no key for the kid, or an HS* token met a
    // public-key-only verifier; golang-jwt when its keyfunc failed.
    ("secret or public key must be provided", Kind::NoVerificationKey),
    ("token is unverifiable", Kind::NoVerificationKey),
    ("no key found", Kind::NoVerificationKey),
    ("key not found", Kind::NoVerificationKey),
    // Signature.
    ("invalid signature", Kind::InvalidSignature),
    ("signature is invalid", Kind::InvalidSignature),
    ("signature invalid", Kind::InvalidSignature),
    ("signature verification failed", Kind::InvalidSignature),
    ("signature validation failed", Kind::InvalidSignature),
    ("failed to verify signature", Kind::InvalidSignature),
    ("signature does not match", Kind::InvalidSignature),
    ("signature mismatch", Kind::InvalidSignature),
    ("bad signature", Kind::InvalidSignature),
    ("verification error", Kind::InvalidSignature),
    // Not a JWT.
    ("jwt malformed", Kind::Malformed),
    ("malformed", Kind::Malformed),
    ("invalid jwt serialization", Kind::Malformed),
    ("invalid serialized", Kind::Malformed),
    ("invalid number of segments", Kind::Malformed),
    ("not well formed", Kind::Malformed),
    ("not well-formed", Kind::Malformed),
    ("invalid compact", Kind::Malformed),
    ("invalid token specified", Kind::Malformed),
    ("not a valid jwt", Kind::Malformed),
    // Time. Expired first: Azure's "has expired or is not yet valid" is nearly
    // always the former.
    ("expired", Kind::Expired),
    ("jwt not active", Kind::NotYetValid),
    ("not valid yet", Kind::NotYetValid),
    ("not yet valid", Kind::NotYetValid),
    ("not valid before", Kind::NotYetValid),
    ("used before issued", Kind::NotYetValid),
    ("notbeforeerror", Kind::NotYetValid),
    // Audience and issuer: the explicit phrases of both before the bare words,
    // so an issuer URL that happens to contain "audience" cannot mislead.
    ("jwt audience invalid", Kind::Audience),
    ("jwt issuer invalid", Kind::Issuer),
    ("audience validation failed", Kind::Audience),
    ("issuer validation failed", Kind::Issuer),
    ("invalid audience", Kind::Audience),
    ("invalid issuer", Kind::Issuer),
    ("aud claim", Kind::Audience),
    ("iss claim", Kind::Issuer),
    ("audience", Kind::Audience),
    ("issuer", Kind::Issuer),
];

/// The 5xx key-outage words and the generic invalid-token wording, as they were.
const LEGACY_KEY_OUTAGE: &[&str] =
    &["jwks", "jwk set", "jwk_set", "signing key", "signingkey", "openid-configuration", "idx20803"];
const LEGACY_GENERIC_INVALID: &[&str] =
    &["invalid_token", "invalid token", "token invalid", "token is invalid", "invalid jwt", "invalid access token"];

fn legacy_classify(lower: &str) -> Option<Kind> {
    LEGACY_RULES.iter().find(|(phrase, _)| lower.contains(phrase)).map(|(_, kind)| *kind)
}

/// The phrase rules in merged order.
fn merged_phrases() -> Vec<(&'static str, Kind)> {
    ordered_rules()
        .iter()
        .filter_map(|(_, rule)| match rule.matcher {
            Matcher::Phrase(phrase, kind) => Some((phrase, kind)),
            Matcher::Reader(_) => None,
        })
        .collect()
}

#[test]
fn every_old_phrase_is_kept_with_its_cause() {
    let merged = merged_phrases();
    for (phrase, kind) in LEGACY_RULES {
        assert_eq!(merged.iter().filter(|(p, _)| p == phrase).count(), 1, "{phrase} once");
        assert!(merged.contains(&(*phrase, *kind)), "{phrase} -> {kind:?}");
    }
}

/// Phrases that read differently from before on purpose: RFC 6750's catch-all description of
/// invalid_token lists "expired" and "malformed" and names no cause (issue 11, rules of evidence);
/// Envoy's "Jwks doesn't have key to match kid or alg from Jwt" is a missing key, not a failed
/// fetch, although it holds the word "jwks".
const DELIBERATE_REREADINGS: &[&str] =
    &["expired, revoked, malformed, or invalid for other reasons", "jwks doesn't have key to match kid or alg"];

/// Generic "invalid token" wording a dialect added on purpose: koa-jwt's default "Authentication Error".
const ADDED_GENERIC_INVALID: &[&str] = &["authentication error"];

#[test]
fn added_phrases_never_reread_an_old_phrase() {
    // A new dialect's phrase may be new words; if the old rules read it, it reads the same.
    for (phrase, kind) in merged_phrases() {
        if LEGACY_RULES.iter().any(|(p, _)| *p == phrase) || DELIBERATE_REREADINGS.contains(&phrase) {
            continue;
        }
        if let Some(old) = legacy_classify(phrase) {
            assert_eq!(old, kind, "added {phrase:?} must read as before");
        }
    }
}

#[test]
fn old_phrases_of_different_causes_keep_their_order() {
    let merged = merged_phrases();
    let at = |phrase: &str| merged.iter().position(|(p, _)| *p == phrase);
    for (i, (first, first_kind)) in LEGACY_RULES.iter().enumerate() {
        for (later, later_kind) in &LEGACY_RULES[i + 1..] {
            if first_kind != later_kind {
                assert!(at(first) < at(later), "{first:?} ({first_kind:?}) before {later:?} ({later_kind:?})");
            }
        }
    }
}

#[test]
fn every_pair_of_phrases_reads_as_before() {
    // A text holding two phrases exercises the order between them.
    let phrases: Vec<&str> = LEGACY_RULES.iter().map(|(p, _)| *p).collect();
    for a in &phrases {
        for b in &phrases {
            let text = format!("{a} {b}");
            assert_eq!(classify(&text).map(|(kind, _)| kind), legacy_classify(&text), "{text}");
        }
    }
}

#[test]
fn outage_words_are_the_old_ones_or_longer_and_generic_words_the_old_ones_or_added() {
    let outage: Vec<&str> = registry().iter().flat_map(|d| d.key_outage.iter().copied()).collect();
    let generic: Vec<&str> = registry().iter().flat_map(|d| d.generic_invalid.iter().copied()).collect();
    for word in LEGACY_KEY_OUTAGE {
        assert!(outage.contains(word), "{word}");
    }
    for word in &outage {
        assert!(LEGACY_KEY_OUTAGE.iter().any(|old| word.contains(old)), "{word}");
    }
    let mut sorted = generic.clone();
    sorted.sort_unstable();
    let mut old = [LEGACY_GENERIC_INVALID, ADDED_GENERIC_INVALID].concat();
    old.sort_unstable();
    assert_eq!(sorted, old);
}
