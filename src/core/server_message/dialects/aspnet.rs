//! ASP.NET Core JwtBearer and Microsoft.IdentityModel: `IDXnnnnn` codes, and JwtBearer's own descriptions.

use super::{Answer, Dialect, Kind, Matcher, Rule, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::AspNet,
    rules: &[
        Rule { tier: Tier::LeadingCode, matcher: Matcher::Reader(leading_idx_kind) },
        rule(Tier::KeyForKid, "unable to match key", Kind::NoVerificationKey),
        rule(Tier::KeyForKid, "signature key was not found", Kind::NoVerificationKey),
        rule(Tier::Signature, "signature validation failed", Kind::InvalidSignature),
        rule(Tier::Signature, "the signature is invalid", Kind::InvalidSignature),
        // IDX12709: "CanReadToken() returned false. JWT is not well formed".
        rule(Tier::Malformed, "not well formed", Kind::Malformed),
        rule(Tier::Malformed, "not well-formed", Kind::Malformed),
        rule(Tier::Expired, "the token expired at", Kind::Expired),
        rule(Tier::NotYetValid, "not valid before", Kind::NotYetValid),
        rule(Tier::ClaimStated(1), "audience validation failed", Kind::Audience),
        rule(Tier::ClaimStated(1), "issuer validation failed", Kind::Issuer),
    ],
    // IDX20803: the discovery document (where ASP.NET gets its keys) could not be fetched.
    key_outage: &["idx20803"],
    generic_invalid: &[],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// The cause named by the first `idxNNNNN` code in the text, if it is one we know.
fn leading_idx_kind(lower: &str) -> Option<Kind> {
    first_idx_code(lower).and_then(idx_kind)
}

/// The number of the first `idxNNNNN` in the text.
fn first_idx_code(lower: &str) -> Option<u32> {
    let bytes = lower.as_bytes();
    let mut from = 0;
    while let Some(rel) = lower.get(from..)?.find("idx") {
        let digits = from + rel + 3;
        let code = bytes.get(digits..digits + 5)?;
        if code.iter().all(u8::is_ascii_digit) {
            return std::str::from_utf8(code).ok()?.parse().ok();
        }
        from = digits;
    }
    None
}

/// Microsoft.IdentityModel's codes for token validation failures.
fn idx_kind(code: u32) -> Option<Kind> {
    Some(match code {
        10223 => Kind::Expired,
        10222 => Kind::NotYetValid,
        10206..=10208 | 10214 => Kind::Audience,
        10204 | 10205 | 10211 => Kind::Issuer,
        // 10500: no keys at all; 10501/10516: none matches the token's kid.
        10500 | 10501 | 10516 => Kind::NoVerificationKey,
        // 10511 is a signature that failed against the key its kid selected, so a bad
        // signature (not an algorithm problem); 10504: the token has no signature.
        10503 | 10504 | 10508 | 10511 => Kind::InvalidSignature,
        // 10634: no signature provider for the token's algorithm and the key.
        10634 => Kind::InvalidAlgorithm,
        // 20803: the discovery document (where ASP.NET gets its keys) could not be fetched.
        20803 => Kind::Jwks,
        12709 | 12723 | 12729 | 12741 | 14100..=14102 | 14120 => Kind::Malformed,
        _ => return None,
    })
}

/// Kestrel (or IIS) as the server: ASP.NET Core's JwtBearer behind it.
fn detect(answer: &Answer<'_>) -> bool {
    answer.header("server").is_some_and(|v| {
        let v = v.to_ascii_lowercase();
        v == "kestrel" || v.starts_with("microsoft-iis")
    })
}

pub(super) static WORDING: StackWording = StackWording {
    product: "ASP.NET Core JwtBearer",
    issuer: "the JwtBearer Authority / TokenValidationParameters.ValidIssuer(s)",
    audience: "TokenValidationParameters.ValidAudience(s)",
    algorithms: "TokenValidationParameters.ValidAlgorithms",
    jwks: "Check the API's JwtBearer Authority / MetadataAddress (reachable from the API host; the metadata's jwks_uri too).",
    scope_claim: "ASP.NET: a policy reading the \"{claim}\" claim",
    scope_check: "The API's scope check reads another place: check the authorization policy's claim type (scope, scp or http://schemas.microsoft.com/identity/claims/scope) and whether it needs all or any of the scopes.",
    hidden_cause: Some(
        "ASP.NET hides token values in its messages ([PII is hidden]): set IdentityModelEventSource.ShowPII = true on a development API to see them.",
    ),
};
