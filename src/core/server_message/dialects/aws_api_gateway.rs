//! AWS API Gateway's JWT authorizer (HTTP APIs): `{"message":"Unauthorized"}` with the cause in the `www-authenticate` challenge's lower-case description.

use super::{Answer, Dialect, Kind, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::AwsApiGateway,
    rules: &[
        // The identity source held `Bearer <token>` where the authorizer wanted the bare token
        // (serverless-application-model issue 1300).
        rule(Tier::HeaderShape, "tokenstring should not contain 'bearer '", Kind::BadScheme),
        // The API Gateway developer guide, "Troubleshooting issues with HTTP API JWT authorizers".
        rule(Tier::ClaimStated(1), "the token does not have a valid audience", Kind::Audience),
    ],
    key_outage: &[],
    generic_invalid: &[],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// API Gateway's request id headers.
fn detect(answer: &Answer<'_>) -> bool {
    ["apigw-requestid", "x-amzn-requestid", "x-amz-apigw-id"].iter().any(|h| answer.header(h).is_some())
}

pub(super) static WORDING: StackWording = StackWording {
    product: "AWS API Gateway's JWT authorizer",
    issuer: "the authorizer's JwtConfiguration.Issuer",
    audience: "the authorizer's JwtConfiguration.Audience (matched against aud, or client_id when the token has no aud)",
    algorithms: "the issuer's keys (the JWT authorizer accepts RSA-signed tokens only)",
    jwks: "Check the authorizer's JwtConfiguration.Issuer: API Gateway fetches {Issuer}/.well-known/openid-configuration and its jwks_uri, which must be public HTTPS.",
    scope_claim: "the route's AuthorizationScopes (API Gateway reads the \"scope\" or \"scp\" claim, not \"{claim}\")",
    scope_check: "The API's scope check reads another place: the route's AuthorizationScopes need any one of them in the token's scope (or scp) claim.",
    hidden_cause: None,
};
