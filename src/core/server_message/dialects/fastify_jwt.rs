//! @fastify/jwt with get-jwks: the key lookup's errors, which reach the client as a 500 unless the app maps them.

use super::{Dialect, Kind, Tier, rule};
use crate::core::server_message::ServerDialect;

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::Other(std::borrow::Cow::Borrowed("fastify_jwt")),
    rules: &[
        // get-jwks src/get-jwks.js `errors.JWK_NOT_FOUND`: no key in the set for the token's kid
        // and alg. Its body is `{"code":"JWK_NOT_FOUND","message":"No matching JWK found in the set."}`.
        rule(Tier::KeyForKid, "no matching jwk found", Kind::NoVerificationKey),
        rule(Tier::KeyForKid, "jwk_not_found", Kind::NoVerificationKey),
    ],
    // get-jwks `errors.NO_JWKS` / `NO_JWKS_URI`: the set itself could not be had.
    key_outage: &["no jwks found in the response", "no valid jwks_uri"],
    generic_invalid: &[],
    challenge_codes: &[],
};
