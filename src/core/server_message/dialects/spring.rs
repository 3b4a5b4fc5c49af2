//! Spring Security's resource server (Nimbus JOSE + JWT underneath): its descriptions, usually behind "An error occurred while attempting to decode the Jwt: ".

use super::{Dialect, Kind, Tier, rule};
use crate::core::server_message::ServerDialect;

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::Spring,
    rules: &[
        rule(Tier::NoToken, "full authentication is required", Kind::TokenMissing),
        // BearerTokenErrors' insufficient_scope description.
        rule(Tier::Scope, "requires higher privileges", Kind::InsufficientScope),
        rule(Tier::Algorithm, "another algorithm expected", Kind::InvalidAlgorithm),
        rule(Tier::Algorithm, "unsupported algorithm of none", Kind::InvalidAlgorithm),
        // "Couldn't retrieve remote JWK set".
        rule(Tier::KeyFetch, "jwk set", Kind::Jwks),
        rule(Tier::Signature, "signed jwt rejected: invalid signature", Kind::InvalidSignature),
        rule(Tier::Malformed, "invalid jwt serialization", Kind::Malformed),
        rule(Tier::Malformed, "invalid serialized", Kind::Malformed),
        // DefaultBearerTokenResolver, before any decoding.
        rule(Tier::Malformed, "bearer token is malformed", Kind::Malformed),
        rule(Tier::Malformed, "decode the jwt: malformed", Kind::Malformed),
        rule(Tier::Expired, "jwt expired at", Kind::Expired),
        // JwtClaimValidator's failures for `aud` and `iss`.
        rule(Tier::ClaimNamed, "aud claim", Kind::Audience),
        rule(Tier::ClaimNamed, "iss claim", Kind::Issuer),
    ],
    key_outage: &["jwk set"],
    generic_invalid: &[],
    challenge_codes: &[],
};
