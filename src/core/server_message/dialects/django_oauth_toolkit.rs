//! Django REST framework with django-oauth-toolkit (`OAuth2Authentication`, `TokenHasScope`): DOT's challenge descriptions and DRF's `{"detail": …}` sentences.

use super::{Answer, Dialect, Kind, Matcher, Rule, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::DjangoOauthToolkit,
    rules: &[
        // oauth2_validators.py: an unknown (or revoked) token. It names no cause, and DRF's
        // body beside it ("Authentication credentials were not provided.") must not be read.
        Rule { tier: Tier::NoCause, matcher: Matcher::Reader(token_is_invalid) },
        // DRF's NotAuthenticated. With a token that DOT rejected its challenge names the
        // reason first; alone it means no Bearer token reached OAuth2Authentication.
        rule(Tier::NoToken, "authentication credentials were not provided", Kind::TokenMissing),
        // DOT's own views and validators, when they check scopes themselves.
        rule(Tier::Scope, "does not have enough scope", Kind::InsufficientScope),
        // DRF's PermissionDenied: behind OAuth2Authentication the token was accepted, so the
        // refusal is a permission class's, TokenHasScope's in DOT setups (with
        // ERROR_RESPONSE_WITH_SCOPES the body lists `required_scopes`).
        rule(Tier::Scope, "you do not have permission to perform this action", Kind::InsufficientScope),
        rule(Tier::Expired, "the access token has expired", Kind::Expired),
        // RFC 8707: a token restricted to other resources (DOT 3.1+).
        rule(Tier::ClaimStated(1), "the access token is not valid for this resource", Kind::Audience),
    ],
    key_outage: &[],
    generic_invalid: &[],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// DOT's "The access token is invalid." and nothing more (a longer sentence may name a cause).
fn token_is_invalid(lower: &str) -> Option<Kind> {
    (lower.trim().trim_end_matches('.') == "the access token is invalid").then_some(Kind::InvalidToken)
}

/// DRF's APIView answer: `{"detail": ...}` with the `Allow` and `Vary: Accept` headers
/// every APIView response carries.
fn detect(answer: &Answer<'_>) -> bool {
    answer.json_has_keys(&["detail"])
        && answer.header("allow").is_some()
        && answer.header("vary").is_some_and(|v| v.to_ascii_lowercase().contains("accept"))
}

pub(super) static WORDING: StackWording = StackWording {
    product: "django-oauth-toolkit",
    issuer: "OAUTH2_PROVIDER's RESOURCE_SERVER_INTROSPECTION_URL (the authorization server that issued the token)",
    audience: "the token's `resource` restriction (RFC 8707) against this API's URL",
    algorithms: "the authorization server's token settings (DOT checks opaque tokens, not signatures)",
    jwks: "Check OAUTH2_PROVIDER's RESOURCE_SERVER_INTROSPECTION_URL and its credentials (RESOURCE_SERVER_AUTH_TOKEN or RESOURCE_SERVER_INTROSPECTION_CREDENTIALS), reachable from the API host.",
    scope_claim: "the view's `required_scopes` (DOT reads the token's scope, not a \"{claim}\" claim)",
    scope_check: "The API's scope check reads another place: TokenHasScope compares the view's `required_scopes` with the token's scope as DOT stored it (or as introspection returned it), needing all of them; OAUTH2_PROVIDER's SCOPES must list them.",
    hidden_cause: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_bare_sentence_names_no_cause() {
        assert_eq!(token_is_invalid("the access token is invalid."), Some(Kind::InvalidToken));
        // Another stack's longer sentence names a cause: left to the other rules.
        assert_eq!(token_is_invalid("the access token is invalid or has expired"), None);
    }
}
