//! One preset per stack: the verifier defaults read in that stack's own source (the citation
//! says which file of which version), as data. Each value is what the stack does when the
//! app's configuration does not say otherwise; `[expect]` fields written by hand win.

use crate::core::verifier::rules::{AudRule, Boundary, ExpRule, IatRule, NbfRule, Rules, TypRule};
use crate::core::verifier::stack::Stack;

/// What one stack's verifier does by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preset {
    pub stack: Stack,
    /// Clock tolerance, seconds, applied to exp, nbf and (where checked) iat.
    pub leeway_secs: u64,
    pub rules: Rules,
    /// The algorithms accepted when the app names none; `None` when the library refuses to
    /// run without the app's own list (then the profile's or tokdbg's default stands).
    pub algorithms: Option<&'static [&'static str]>,
    /// The claim scopes are read from, and whether one required scope is enough.
    pub scope_claim: &'static str,
    pub scope_any: bool,
    /// The scope handling in words, for the presets table.
    pub scopes: &'static str,
    /// The status a request without a token gets.
    pub missing_token_status: &'static str,
    /// Where these defaults were read: package, version, file.
    pub source: &'static str,
    /// What else a user of this stack should know when reading a verdict.
    pub caveat: Option<&'static str>,
}

/// Every algorithm tokdbg verifies, asymmetric ones: a library that derives the list from the key.
const ASYMMETRIC: &[&str] = &["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];
/// The same plus HMAC: a library that accepts whatever the key can verify.
const ANY_KEY: &[&str] =
    &["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "HS256", "HS384", "HS512"];

const fn rules(stack: Stack, exp: ExpRule, boundary: Boundary, iat: IatRule, aud: AudRule, typ: TypRule) -> Rules {
    Rules { stack: Some(stack), exp, boundary, iat, nbf: NbfRule::Checked, aud, typ, bad_aud_status: 401 }
}

static PRESETS: [Preset; 13] = [
    Preset {
        stack: Stack::ExpressJwt,
        leeway_secs: 0,
        rules: rules(
            Stack::ExpressJwt,
            ExpRule::Optional,
            Boundary::FailsAtLimit,
            IatRule::NotChecked,
            AudRule::WhenConfigured,
            TypRule::Ignored,
        ),
        algorithms: None,
        scope_claim: "scope",
        scope_any: true,
        scopes: "`scope` (express-jwt-authz), any; `checkAllScopes` = all",
        missing_token_status: "401 `credentials_required`",
        source: "express-jwt 8.5.1 dist/index.js; jsonwebtoken 9.0.3 verify.js; express-jwt-authz 2.4.1 lib/index.js",
        caveat: Some("express-jwt refuses to start without `algorithms`: the profile's list is used"),
    },
    Preset {
        stack: Stack::ExpressOauth2JwtBearer,
        leeway_secs: 5,
        rules: rules(
            Stack::ExpressOauth2JwtBearer,
            ExpRule::Required,
            Boundary::FailsAtLimit,
            IatRule::NotChecked,
            AudRule::Required,
            TypRule::Ignored,
        ),
        algorithms: Some(ASYMMETRIC),
        scope_claim: "scope",
        scope_any: false,
        scopes: "`scope` (`requiredScopes`), all; `scopeIncludesAny` = any",
        missing_token_status: "401 (400 for a malformed header)",
        source: "express-oauth2-jwt-bearer 1.10.0 dist/index.js; jose 4.15.9 jwt_claims_set.js",
        caveat: Some("typ is checked only with `strict: true` (then at+jwt is required)"),
    },
    Preset {
        stack: Stack::FastifyJwt,
        leeway_secs: 0,
        rules: rules(
            Stack::FastifyJwt,
            ExpRule::Optional,
            Boundary::FailsAtLimit,
            IatRule::NotChecked,
            AudRule::MissingPasses,
            TypRule::Ignored,
        ),
        algorithms: Some(ANY_KEY),
        scope_claim: "scope",
        scope_any: false,
        scopes: "none (the app reads `request.user`)",
        missing_token_status: "401 `FST_JWT_NO_AUTHORIZATION_IN_HEADER`",
        source: "@fastify/jwt 10.2.8 index.js; fast-jwt 6.3.6 src/verifier.js",
        caveat: Some("`verify.clockTolerance` is in milliseconds"),
    },
    Preset {
        stack: Stack::PassportJwt,
        leeway_secs: 0,
        rules: rules(
            Stack::PassportJwt,
            ExpRule::Optional,
            Boundary::FailsAtLimit,
            IatRule::NotChecked,
            AudRule::WhenConfigured,
            TypRule::Ignored,
        ),
        algorithms: Some(ANY_KEY),
        scope_claim: "scope",
        scope_any: false,
        scopes: "none",
        missing_token_status: "401 `Unauthorized`",
        source: "passport-jwt 4.0.1 lib/strategy.js, lib/verify_jwt.js; jsonwebtoken 9.0.3 verify.js; passport 0.7.0",
        caveat: None,
    },
    Preset {
        stack: Stack::KoaJwt,
        leeway_secs: 0,
        rules: rules(
            Stack::KoaJwt,
            ExpRule::Optional,
            Boundary::FailsAtLimit,
            IatRule::NotChecked,
            AudRule::WhenConfigured,
            TypRule::Ignored,
        ),
        algorithms: Some(ANY_KEY),
        scope_claim: "scope",
        scope_any: false,
        scopes: "none",
        missing_token_status: "401 `Authentication Error`",
        source: "koa-jwt 4.0.4 lib/index.js, lib/verify.js; jsonwebtoken 9.0.3 verify.js",
        caveat: Some("without `debug: true` every refusal says only `Authentication Error`"),
    },
    Preset {
        stack: Stack::Pyjwt,
        leeway_secs: 0,
        rules: rules(
            Stack::Pyjwt,
            ExpRule::Optional,
            Boundary::FailsAtLimit,
            IatRule::Checked { required: false },
            AudRule::RejectsUnexpected,
            TypRule::Ignored,
        ),
        algorithms: None,
        scope_claim: "scope",
        scope_any: false,
        scopes: "none (FastAPI `SecurityScopes`: all)",
        missing_token_status: "401 (FastAPI `HTTPBearer` >= 0.122.0; 403 before)",
        source: "PyJWT 2.15.1 jwt/api_jwt.py, jwt/api_jws.py; FastAPI 0.165.0 fastapi/security/http.py",
        caveat: Some("`jwt.decode` refuses to run without `algorithms=`: the profile's list is used"),
    },
    Preset {
        stack: Stack::Authlib,
        leeway_secs: 0,
        rules: rules(
            Stack::Authlib,
            ExpRule::Required,
            Boundary::PassesAtLimit,
            IatRule::Checked { required: true },
            AudRule::Required,
            TypRule::AtJwtIfPresent,
        ),
        algorithms: Some(ANY_KEY),
        scope_claim: "scope",
        scope_any: false,
        scopes: "`scope`; each entry all-of, several entries any-of",
        missing_token_status: "401 `missing_authorization`",
        source: "authlib 1.6.0/1.9.10 jose/rfc7519/claims.py, oauth2/rfc9068/token_validator.py, oauth2/rfc9068/claims.py",
        caveat: Some("the RFC 9068 validator also requires sub, client_id and jti"),
    },
    Preset {
        stack: Stack::Spring,
        leeway_secs: 60,
        rules: rules(
            Stack::Spring,
            ExpRule::Optional,
            Boundary::PassesAtLimit,
            IatRule::OptIn("JwtIssuedAtValidator"),
            AudRule::WhenConfigured,
            TypRule::JwtOrAbsent,
        ),
        algorithms: Some(&["RS256"]),
        scope_claim: "scope",
        scope_any: false,
        scopes: "`scope` or `scp` → `SCOPE_x` authorities; per expression",
        missing_token_status: "401",
        source: "spring-security 7.1.1 JwtTimestampValidator.java, JwtTypeValidator.java, NimbusJwtDecoder.java; Spring Boot OAuth2ResourceServerJwtConfiguration.java",
        caveat: Some("the audience is checked only when `jwt.audiences` is set (Spring Boot)"),
    },
    Preset {
        stack: Stack::Aspnet,
        leeway_secs: 300,
        rules: rules(
            Stack::Aspnet,
            ExpRule::Required,
            Boundary::PassesAtLimit,
            IatRule::NotChecked,
            AudRule::Required,
            TypRule::Ignored,
        ),
        algorithms: Some(ANY_KEY),
        scope_claim: "scp",
        scope_any: true,
        scopes: "none built in (policies; Microsoft.Identity.Web reads `scp`, unverified)",
        missing_token_status: "401",
        source: "Microsoft.IdentityModel.Tokens 8.1.2 TokenValidationParameters.cs, Validators.cs, ValidatorUtilities.cs",
        caveat: None,
    },
    Preset {
        stack: Stack::GolangJwt,
        leeway_secs: 0,
        rules: rules(
            Stack::GolangJwt,
            ExpRule::Optional,
            Boundary::FailsAtLimit,
            IatRule::OptIn("WithIssuedAt()"),
            AudRule::WhenConfigured,
            TypRule::Ignored,
        ),
        algorithms: Some(ANY_KEY),
        scope_claim: "scope",
        scope_any: false,
        scopes: "none",
        missing_token_status: "n/a (the app decides)",
        source: "golang-jwt/jwt v5.3.1 validator.go, parser_option.go",
        caveat: Some("a library: the HTTP status is the app's"),
    },
    Preset {
        stack: Stack::Envoy,
        leeway_secs: 60,
        rules: Rules {
            bad_aud_status: 403,
            ..rules(
                Stack::Envoy,
                ExpRule::Optional,
                Boundary::PassesAtLimit,
                IatRule::NotChecked,
                AudRule::WhenConfigured,
                TypRule::Ignored,
            )
        },
        algorithms: Some(ANY_KEY),
        scope_claim: "scope",
        scope_any: false,
        scopes: "none (RBAC filter)",
        missing_token_status: "401",
        source: "envoy jwt_authn config.proto, filter.cc, authenticator.cc (main, 2025); google/jwt_verify_lib src/jwt.cc",
        caveat: Some("a refused audience is answered 403, not 401"),
    },
    Preset {
        stack: Stack::Kong,
        leeway_secs: 0,
        rules: Rules {
            nbf: NbfRule::NotChecked,
            ..rules(
                Stack::Kong,
                ExpRule::NotChecked,
                Boundary::FailsAtLimit,
                IatRule::NotChecked,
                AudRule::NotChecked,
                TypRule::Ignored,
            )
        },
        algorithms: Some(&["HS256"]),
        scope_claim: "scope",
        scope_any: false,
        scopes: "none (ACL by consumer group)",
        missing_token_status: "401",
        source: "Kong 3.9.1 kong/plugins/jwt/jwt_parser.lua, schema.lua, handler.lua, daos.lua",
        caveat: Some("exp and nbf are checked only when listed in `claims_to_verify`"),
    },
    Preset {
        stack: Stack::AwsApigw,
        leeway_secs: 0,
        rules: rules(
            Stack::AwsApigw,
            ExpRule::Optional,
            Boundary::FailsAtLimit,
            IatRule::NotChecked,
            AudRule::ClientIdFallback,
            TypRule::Ignored,
        ),
        algorithms: Some(&["RS256", "RS384", "RS512"]),
        scope_claim: "scope",
        scope_any: true,
        scopes: "`scope` or `scp`, any",
        missing_token_status: "401 (unverified)",
        source: "AWS API Gateway developer guide: http-api-jwt-authorizer.html, http-api-troubleshooting-jwt.html",
        caveat: Some("leeway, exp presence and the iat rule are not documented: tokdbg assumes none"),
    },
];

/// The preset of a stack.
pub fn preset(stack: Stack) -> &'static Preset {
    // PRESETS is in Stack::ALL's order; the test below keeps it so.
    &PRESETS[Stack::ALL.iter().position(|s| *s == stack).unwrap_or(0)]
}

/// The rules of a stack, or tokdbg's own without one.
pub fn rules_of(stack: Option<Stack>) -> Rules {
    stack.map(|s| preset(s).rules).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_stack_order() {
        for stack in Stack::ALL {
            assert_eq!(preset(stack).stack, stack);
            assert_eq!(preset(stack).rules.stack, Some(stack));
        }
    }

    #[test]
    fn preset_algorithms_are_ones_tokdbg_verifies() {
        for stack in Stack::ALL {
            for alg in preset(stack).algorithms.unwrap_or(&[]) {
                assert!(alg.parse::<jsonwebtoken::Algorithm>().is_ok(), "{stack}: {alg}");
            }
        }
    }
}
