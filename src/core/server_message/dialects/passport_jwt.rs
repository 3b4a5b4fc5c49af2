//! passport-jwt on Express: passport's bare `401 Unauthorized`, which keeps jsonwebtoken's reason to itself unless the app shows it.

use super::{Answer, Dialect, Kind, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::PassportJwt,
    rules: &[
        // lib/strategy.js: `self.fail(new Error("No auth token"))` when jwtFromRequest found
        // none; an app that shows `info.message` shows this. Every other failure is
        // jsonwebtoken's own error (read by the express-jwt rules), or with jwks-rsa's
        // passportJwtSecret an unknown kid or an HS256 token: no key, so jsonwebtoken's
        // "secret or public key must be provided". Other stacks say "no auth token" too; the
        // phrase lives here once (passport-jwt's is the exact sentence).
        rule(Tier::NoToken, "no auth token", Kind::TokenMissing),
    ],
    key_outage: &[],
    generic_invalid: &[],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// passport's default failure: `res.end(http.STATUS_CODES[401])`, so a 401 whose whole
/// body is "Unauthorized" with no Content-Type (Express's `res.send` and most frameworks
/// would set one). Registered before express-jwt, whose rule knows only that the app is Express.
fn detect(answer: &Answer<'_>) -> bool {
    answer.status == 401 && answer.trimmed_body() == "Unauthorized" && answer.header("content-type").is_none()
}

pub(super) static WORDING: StackWording = StackWording {
    product: "passport-jwt",
    issuer: "passport-jwt's `issuer` option",
    audience: "passport-jwt's `audience` option",
    algorithms: "passport-jwt's `algorithms` option (and its secretOrKey or secretOrKeyProvider)",
    jwks: "Check the jwksUri given to jwks-rsa's passportJwtSecret (the strategy's secretOrKeyProvider): reachable from the API host, with the issuer's full path. When it finds no key for the kid, passport-jwt fails as if no key were configured.",
    scope_claim: "the scope check after passport.authenticate: read req.user.{claim} (what the verify callback passes to done)",
    scope_check: "The API's scope check reads another place: passport-jwt checks no scopes, so check the claim the route reads from req.user (whatever the verify callback passed to done), its shape, and whether it needs all or any of the scopes.",
    hidden_cause: Some(
        "passport answers a bare \"Unauthorized\" and keeps passport-jwt's reason (jsonwebtoken's error) in `info`: on a development API, call passport.authenticate('jwt', { session: false }, (err, user, info) => ...) with a custom callback that sends info.message, and compare it with the profile's [expect].",
    ),
};

#[cfg(test)]
mod tests {
    use crate::core::server_message::{ServerDialect, ServerReason, interpret_answer};

    #[test]
    fn passports_bare_unauthorized_is_told_apart_from_an_express_body() {
        let express = vec![("x-powered-by".to_owned(), "Express".to_owned())];
        let v = interpret_answer(401, None, &express, "Unauthorized", true);
        assert_eq!(v.reason, ServerReason::Unrecognized);
        assert_eq!(v.dialect, Some(ServerDialect::PassportJwt));
        // The same word sent by `res.send` (a Content-Type) is not passport's default.
        let mut typed = express.clone();
        typed.push(("content-type".to_owned(), "text/html; charset=utf-8".to_owned()));
        assert_eq!(interpret_answer(401, None, &typed, "Unauthorized", true).dialect, Some(ServerDialect::ExpressJwt));
        // Without a token it is the no-token refusal, still credited to passport.
        let none = interpret_answer(401, None, &express, "Unauthorized", false);
        assert_eq!((none.reason, none.dialect), (ServerReason::TokenMissing, Some(ServerDialect::PassportJwt)));
    }
}
