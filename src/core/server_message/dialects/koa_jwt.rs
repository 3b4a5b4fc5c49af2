//! koa-jwt: one sentence for every failure unless the app turns `debug` on, when jsonwebtoken's own messages (read by the express-jwt rules) come through.

use super::{Answer, Dialect, Kind, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::KoaJwt,
    rules: &[
        // lib/index.js: a missing header, with `debug` on.
        rule(Tier::NoToken, "token not found", Kind::TokenMissing),
        // lib/resolvers/auth-header.js, with `debug` on.
        rule(Tier::HeaderShape, "bad authorization header format", Kind::BadScheme),
    ],
    key_outage: &[],
    // lib/index.js: `ctx.throw(401, debug ? e.message : 'Authentication Error')`; Koa sends
    // the message as a text/plain body. It names no cause, so local evidence decides.
    generic_invalid: &["authentication error"],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// Koa's 401 with koa-jwt's fixed sentence as the whole body.
fn detect(answer: &Answer<'_>) -> bool {
    answer.status == 401 && answer.trimmed_body() == "Authentication Error"
}

pub(super) static WORDING: StackWording = StackWording {
    product: "koa-jwt",
    issuer: "koa-jwt's `issuer` option",
    audience: "koa-jwt's `audience` option",
    algorithms: "koa-jwt's `algorithms` option",
    jwks: "Check the jwksUri given to jwks-rsa's koaJwtSecret (reachable from the API host, with the issuer's full path) and its rate limit.",
    scope_claim: "the scope check after koa-jwt: read ctx.state.user.{claim}",
    scope_check: "The API's scope check reads another place: check the claim it reads from ctx.state.user (or the `key` koa-jwt stores the token under), its shape, and whether it needs all or any of the scopes.",
    hidden_cause: Some(
        "koa-jwt answers \"Authentication Error\" to every failure: pass `debug: true` to koa-jwt on a development API to see jsonwebtoken's reason, and compare its issuer, audience, algorithms and key with the profile's [expect].",
    ),
};
