//! Kong's jwt plugin (kong/plugins/jwt/handler.lua and jwt_parser.lua): `{"message": …}` bodies, and claim errors keyed by the claim.

use super::{Answer, Dialect, Kind, Matcher, Rule, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::Kong,
    rules: &[
        // `No mandatory '<key_claim_name>' in claims`: the claim Kong looks the consumer's
        // credential up by (iss by default) is absent.
        Rule { tier: Tier::Scope, matcher: Matcher::Reader(no_mandatory_claim) },
        rule(Tier::HeaderShape, "multiple tokens provided", Kind::BadScheme),
        rule(Tier::HeaderShape, "unrecognizable token", Kind::BadScheme),
        // `Bad token; invalid alg`: the header's alg is not one Kong verifies.
        rule(Tier::Algorithm, "bad token; invalid alg", Kind::InvalidAlgorithm),
        // `No credentials found for given '<key_claim_name>'`: no consumer credential has the
        // token's iss (or kid) as its `key`.
        Rule { tier: Tier::KeyForKid, matcher: Matcher::Reader(no_credentials_for) },
        // The credential has no secret / rsa_public_key for its algorithm.
        rule(Tier::KeyVague, "invalid key/secret", Kind::NoVerificationKey),
        rule(Tier::Malformed, "bad token;", Kind::Malformed),
        // jwt_parser.lua's registered-claim checks, as `{"exp": ...}` / `{"nbf": ...}`. Its
        // "token expired" is left to the generic "expired" (too common to credit Kong with).
        rule(Tier::NotYetValid, "token not valid yet", Kind::NotYetValid),
    ],
    key_outage: &[],
    generic_invalid: &[],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// The quoted name in `<prefix>'name'...`.
fn quoted_after<'a>(lower: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = lower.get(lower.find(prefix)? + prefix.len()..)?;
    rest.get(..rest.find('\'')?)
}

fn no_mandatory_claim(lower: &str) -> Option<Kind> {
    quoted_after(lower, "no mandatory '").map(|_| Kind::ClaimMissing)
}

/// The lookup claim names the cause: iss (the default) is the issuer, kid the key.
fn no_credentials_for(lower: &str) -> Option<Kind> {
    match quoted_after(lower, "no credentials found for given '")? {
        "iss" => Some(Kind::Issuer),
        _ => Some(Kind::NoVerificationKey),
    }
}

/// Kong's own answer: `server: kong/x.y` or its latency header.
fn detect(answer: &Answer<'_>) -> bool {
    answer.header("server").is_some_and(|v| v.to_ascii_lowercase().starts_with("kong/"))
        || answer.header("x-kong-response-latency").is_some()
}

pub(super) static WORDING: StackWording = StackWording {
    product: "Kong's jwt plugin",
    issuer: "the consumer's jwt credential `key` (Kong matches it to the token's iss, the plugin's key_claim_name)",
    audience: "a plugin after jwt that checks aud (Kong's jwt plugin does not check audience)",
    algorithms: "the consumer's jwt credential `algorithm` (one per credential)",
    jwks: "Check the consumer's jwt credential: its `rsa_public_key` (Kong's jwt plugin does not fetch a JWKS; the key must be the issuer's current one).",
    scope_claim: "a plugin after jwt that reads the \"{claim}\" claim (Kong's jwt plugin checks no scopes)",
    scope_check: "The API's scope check reads another place: Kong's jwt plugin checks no scopes, so check the plugin or upstream that does (which claim, string or list, all or any).",
    hidden_cause: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lookup_claim_names_the_cause() {
        assert_eq!(no_credentials_for("no credentials found for given 'iss'"), Some(Kind::Issuer));
        assert_eq!(no_credentials_for("no credentials found for given 'kid'"), Some(Kind::NoVerificationKey));
        assert_eq!(no_credentials_for("no credentials found for given 'iss"), None);
        assert_eq!(no_mandatory_claim("no mandatory 'iss' in claims"), Some(Kind::ClaimMissing));
        assert_eq!(no_mandatory_claim("unauthorized"), None);
    }
}
