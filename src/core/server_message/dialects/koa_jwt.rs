//! koa-jwt: one sentence for every failure unless the app turns `debug` on, when jsonwebtoken's and jwks-rsa's own messages (read by the express-jwt rules) come through.

use super::{Answer, Dialect, Kind, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::KoaJwt,
    rules: &[
        // lib/index.js: `ctx.throw(401, debug ? 'Token not found' : 'Authentication Error')`.
        rule(Tier::NoToken, "token not found", Kind::TokenMissing),
        // lib/resolvers/auth-header.js, `debug` or not: 'Bad Authorization header format.
        // Format is "Authorization: Bearer <token>"'.
        rule(Tier::HeaderShape, "bad authorization header format", Kind::BadScheme),
        // jwks-rsa's koaJwtSecret (src/integrations/koa.js) for an alg outside its list (an
        // HS256 token), shown with `debug` on.
        rule(Tier::Algorithm, "missing / invalid token algorithm", Kind::InvalidAlgorithm),
        // lib/index.js with `debug` on: no secret, or the secret function returned none.
        rule(Tier::KeyVague, "secret not provided", Kind::NoVerificationKey),
    ],
    key_outage: &[],
    // lib/index.js: `const msg = debug ? e.message : 'Authentication Error'` then
    // `ctx.throw(401, msg, ...)`, and 'Authentication Error' for a missing token too; Koa sends
    // the message as a text/plain body. It names no cause, so local evidence decides.
    generic_invalid: &["authentication error"],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// Koa's 401: `ctx.throw` sends the message alone as `text/plain; charset=utf-8`, with no
/// `x-powered-by` or `server` header (Express and most servers add one) — koa-jwt's fixed
/// sentence, or with `debug` on, the message of jsonwebtoken, jwks-rsa or koa-jwt itself.
fn detect(answer: &Answer<'_>) -> bool {
    let body = answer.trimmed_body();
    if answer.status != 401 || body.is_empty() {
        return false;
    }
    if body == "Authentication Error" {
        return true;
    }
    let koa_shaped = answer.header("content-type").is_some_and(|v| v.eq_ignore_ascii_case("text/plain; charset=utf-8"))
        && answer.header("x-powered-by").is_none()
        && answer.header("server").is_none();
    let lower = body.to_ascii_lowercase();
    koa_shaped && DEBUG_MESSAGES.iter().any(|m| lower.starts_with(m))
}

/// How the messages koa-jwt shows with `debug` on begin: jsonwebtoken's errors, jwks-rsa's
/// (SigningKeyNotFoundError, koaJwtSecret's), and koa-jwt's own. Not jsonwebtoken's "invalid
/// token": too many stacks write those words.
const DEBUG_MESSAGES: &[&str] = &[
    "jwt ",
    "invalid signature",
    "invalid algorithm",
    "secret or public key must be provided",
    "unable to find a signing key",
    "missing / invalid token algorithm",
    "token not found",
    "secret not provided",
    "bad authorization header format",
];

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

#[cfg(test)]
mod tests {
    use crate::core::server_message::{ServerDialect, ServerReason, interpret};

    #[test]
    fn debug_mode_messages() {
        let read = |text: &str| {
            let v = interpret(401, None, text);
            (v.reason, v.dialect)
        };
        let koa = Some(ServerDialect::KoaJwt);
        assert_eq!(read("Token not found"), (ServerReason::TokenMissing, koa.clone()));
        // jwks-rsa's koaJwtSecret refusing an HS256 token.
        assert_eq!(read("Missing / invalid token algorithm"), (ServerReason::InvalidAlgorithm, koa.clone()));
        assert_eq!(read("Secret not provided"), (ServerReason::NoVerificationKey, koa.clone()));
        assert_eq!(
            read(r#"Bad Authorization header format. Format is "Authorization: Bearer <token>""#),
            (ServerReason::BadScheme, koa)
        );
    }
}
