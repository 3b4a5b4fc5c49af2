//! Reads a denying server's own words (challenge, JSON, HTML or text body) and names the cause it states, and in whose dialect.
//!
//! The middleware behind an API says why it refused a token, in its own
//! dialect: express-jwt/jsonwebtoken, jwks-rsa, express-jwt-authz, Spring
//! Security (Nimbus), ASP.NET (`IDXnnnnn` codes), golang-jwt. Each dialect is a
//! module under `dialects/` with its own rules; this module only runs them:
//!
//! ```text
//!  status, Bearer challenge, body
//!     │
//!     ▼
//!  text::collect ─────────► ranked texts: challenge error_description, challenge error,
//!     │                     then the body's JSON fields by rank | HTML <pre>/<h1>/<title> | first line
//!     ├─ 2xx ─────────────► nothing to explain
//!     ├─ 5xx ─────────────► a dialect's key-outage words? JwksFailure : Unrecognized (text shown)
//!     ▼
//!  for each text, in rank order:
//!     dialects::classify ─► the first rule, in one merged order (tier, then registry,
//!     │                     then the dialect's own list), that the text matches
//!     │                     = a Kind + the dialect that says it that way
//!     ▼ (no text matched)
//!  the challenge's structured code (RFC 6750 insufficient_scope / invalid_token)
//!     ▼ (none)
//!  a dialect's generic "invalid token" wording ──► InvalidToken
//!     ▼ (none)
//!  401 to a request without a token ──► TokenMissing (RFC 6750 §3.1), else Unrecognized
//!     │
//!     ▼
//!  build_reason: Kind + values::{expected_value, expiry_detail} ──► ServerVerdict
//! ```
//!
//! The challenge's `error_description` outranks the body. The input is hostile
//! server output: it is clipped before it is parsed, and nothing here can panic.

mod dialects;
mod stack;
mod text;
mod values;

use std::borrow::Cow;

use serde::{Serialize, Serializer};

use crate::core::probe::www_authenticate::BearerChallenge;
use dialects::{Answer, Dialect, Kind};
pub use stack::StackWording;
use text::Text;

/// The cause a server states for denying a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ServerReason {
    /// The server saw no token (express-jwt `credentials_required`, a bare RFC 6750 challenge...).
    TokenMissing,
    /// The `Authorization` header is not `Bearer <token>`.
    BadScheme,
    /// Not a JWT the server could parse.
    Malformed,
    /// `detail`: when it expired, as the server states it, if it does.
    Expired {
        detail: Option<String>,
    },
    NotYetValid,
    InvalidSignature,
    /// `alg` not accepted (e.g. an HS256 token at an RS256-only API).
    InvalidAlgorithm,
    /// The server has no key to check the token with (kid not in its JWKS, or an HS* secret where it wants a public key).
    NoVerificationKey,
    AudienceInvalid {
        expected: Option<String>,
    },
    IssuerInvalid {
        expected: Option<String>,
    },
    /// `scopes`: the ones the challenge says are required.
    InsufficientScope {
        scopes: Vec<String>,
    },
    /// A generic invalid_token with an unrecognised description.
    InvalidToken {
        detail: Option<String>,
    },
    /// A claim the API requires is absent (express-oauth2-jwt-bearer's `Missing 'permissions'
    /// claim`, the FastAPI samples' `No claim "permissions" found in token`): `claim` as named.
    ClaimMissing {
        claim: String,
    },
    /// The server could not get its keys (JWKS fetch failed or was rate limited).
    JwksFailure {
        detail: Option<String>,
    },
    Unrecognized,
}

/// Whose wording the cause was read in (or whose answer's shape was recognised).
/// Serialised as a string: the names below, or an added dialect's own name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerDialect {
    /// express-jwt, node-jsonwebtoken, jwks-rsa, express-jwt-authz (`express_jwt`).
    ExpressJwt,
    /// express-oauth2-jwt-bearer, Auth0's Express middleware over `jose` (`express_oauth2_jwt_bearer`).
    ExpressOauth2JwtBearer,
    /// @fastify/jwt with fast-jwt and get-jwks (`fastify_jwt`).
    FastifyJwt,
    /// koa-jwt (`koa_jwt`).
    KoaJwt,
    /// hapi-auth-jwt2 with @hapi/boom (`hapi_auth_jwt2`).
    HapiAuthJwt2,
    /// passport-jwt (`passport_jwt`).
    PassportJwt,
    /// FastAPI's security classes and PyJWT's messages (`fastapi`).
    FastApi,
    /// Authlib's resource protector (`authlib`).
    Authlib,
    /// Django REST framework with django-oauth-toolkit (`django_oauth_toolkit`).
    DjangoOauthToolkit,
    /// Spring Security / Nimbus (`spring`).
    Spring,
    /// ASP.NET JwtBearer / Microsoft.IdentityModel (`aspnet`).
    AspNet,
    /// golang-jwt and Go middlewares (`go`).
    Go,
    /// Envoy's `jwt_authn` filter and its RBAC filter (`envoy`).
    Envoy,
    /// Kong's jwt plugin (`kong`).
    Kong,
    /// AWS API Gateway's JWT authorizer (`aws_api_gateway`).
    AwsApiGateway,
    /// nginx `auth_jwt` (`nginx`).
    Nginx,
    /// RFC 6750's own error codes (`rfc6750`).
    Rfc6750,
    /// Wording many stacks share (`generic`).
    Generic,
    /// A dialect added without a variant of its own.
    Other(Cow<'static, str>),
}

impl ServerDialect {
    /// The name it is serialised as.
    pub fn as_str(&self) -> &str {
        match self {
            ServerDialect::ExpressJwt => "express_jwt",
            ServerDialect::ExpressOauth2JwtBearer => "express_oauth2_jwt_bearer",
            ServerDialect::FastifyJwt => "fastify_jwt",
            ServerDialect::KoaJwt => "koa_jwt",
            ServerDialect::HapiAuthJwt2 => "hapi_auth_jwt2",
            ServerDialect::PassportJwt => "passport_jwt",
            ServerDialect::FastApi => "fastapi",
            ServerDialect::Authlib => "authlib",
            ServerDialect::DjangoOauthToolkit => "django_oauth_toolkit",
            ServerDialect::Spring => "spring",
            ServerDialect::AspNet => "aspnet",
            ServerDialect::Go => "go",
            ServerDialect::Envoy => "envoy",
            ServerDialect::Kong => "kong",
            ServerDialect::AwsApiGateway => "aws_api_gateway",
            ServerDialect::Nginx => "nginx",
            ServerDialect::Rfc6750 => "rfc6750",
            ServerDialect::Generic => "generic",
            ServerDialect::Other(name) => name,
        }
    }

    /// The product this dialect names ("express-jwt", "Spring Security"), when it is a
    /// stack's own and not wording many stacks share.
    pub fn product(&self) -> Option<&'static str> {
        dialects::wording_of(self).map(|w| w.product)
    }

    /// The stack's own words for its settings (the plain words when it has none).
    pub fn wording(dialect: Option<&ServerDialect>) -> &'static StackWording {
        dialect.and_then(dialects::wording_of).unwrap_or(&stack::PLAIN)
    }
}

impl Serialize for ServerDialect {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// What the server said, structured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerVerdict {
    pub reason: ServerReason,
    /// The server's own message, trimmed to at most 300 chars, one line.
    pub message: Option<String>,
    /// Where it was read: "www-authenticate", "json:<field>" (e.g. "json:message",
    /// "json:error_description", "json:errors[0].message") or "body".
    pub source: Option<String>,
    /// Whose wording named the reason; `None` when nothing was recognised.
    pub dialect: Option<ServerDialect>,
}

/// [`interpret_with`] for a request that carried a token (the usual case).
pub fn interpret(status: u16, challenge: Option<&BearerChallenge>, body: &str) -> ServerVerdict {
    interpret_with(status, challenge, body, true)
}

/// [`interpret_answer`] without the headers (no stack is told by its answer's shape).
pub fn interpret_with(
    status: u16,
    challenge: Option<&BearerChallenge>,
    body: &str,
    request_had_token: bool,
) -> ServerVerdict {
    read_words(status, challenge, body, request_had_token)
}

/// Names the cause the server gives for answering `status`, and whose stack answered.
/// `request_had_token` says whether we sent a token: a 401 to a request without one is
/// the token-missing baseline even when the server says nothing. The stack is the one
/// the answer's shape reveals (headers, body layout), else the one whose words named
/// the cause.
pub fn interpret_answer(
    status: u16,
    challenge: Option<&BearerChallenge>,
    headers: &[(String, String)],
    body: &str,
    request_had_token: bool,
) -> ServerVerdict {
    // Without a Bearer challenge, another scheme's `error` param is the stack's verdict
    // (hapi-auth-jwt2's `Token error="Invalid token format"`, also when its body has been
    // replaced by hapi's "Missing authentication").
    let other_scheme = match challenge {
        Some(_) => None,
        None => {
            let lines: Vec<String> = headers
                .iter()
                .filter(|(name, _)| name.eq_ignore_ascii_case("www-authenticate"))
                .map(|(_, value)| value.clone())
                .collect();
            crate::core::probe::www_authenticate::error_challenge(&lines)
        }
    };
    let mut verdict = read_words(status, challenge.or(other_scheme.as_ref()), body, request_had_token);
    if (200..300).contains(&status) {
        return verdict;
    }
    if let Some(stack) = dialects::detect(&Answer::new(status, headers, body)) {
        verdict.dialect = Some(stack.id.clone());
    }
    verdict
}

/// The cause the answer's words name, and the dialect that words it so.
fn read_words(status: u16, challenge: Option<&BearerChallenge>, body: &str, request_had_token: bool) -> ServerVerdict {
    let found = text::collect(challenge, body);
    let texts = &found.texts;

    // A success has nothing to explain.
    if (200..300).contains(&status) {
        return verdict(ServerReason::Unrecognized, None, None);
    }

    if status >= 500 {
        // A 5xx is the server failing, not judging the token. The one auth cause
        // worth naming is that it could not get its keys (e.g. jwks-rsa's rate
        // limit). Any other text is shown, not interpreted.
        let outage = texts.iter().find_map(|t| dialects::key_outage(&t.lower).map(|d| (t, d)));
        if let Some((t, d)) = outage {
            return verdict(ServerReason::JwksFailure { detail: Some(t.line.clone()) }, Some(t), Some(d));
        }
        // A named stack's own words for a verification failure (get-jwks' JWK_NOT_FOUND behind
        // @fastify/jwt's 500) are that failure, reported by a server that mishandled it. The
        // generic dialect's loose words ("expired") are not trusted inside a 5xx page.
        let named = texts.iter().find_map(|t| {
            dialects::classify(&t.lower)
                .filter(|(kind, d)| *kind != Kind::InvalidToken && d.id != ServerDialect::Generic)
                .map(|(kind, d)| (t, kind, d))
        });
        return match named {
            Some((t, kind, d)) => verdict(build_reason(kind, Some(t), challenge, &found), Some(t), Some(d)),
            None => verdict(ServerReason::Unrecognized, best_message(texts), None),
        };
    }

    // Pass 1: a specific cause, in the first text (by rank) that states one.
    for text in texts {
        if let Some((kind, dialect)) = dialects::classify(&text.lower) {
            let reason = build_reason(kind, Some(text), challenge, &found);
            return verdict(reason, Some(text), Some(dialect));
        }
    }

    // Pass 2: structured or generic signals, when no text is specific.
    let code = challenge.and_then(|c| c.normalized_error.as_deref());
    if let Some((kind, dialect)) = code.and_then(dialects::challenge_code) {
        return verdict(build_reason(kind, None, challenge, &found), best_message(texts), Some(dialect));
    }
    if let Some((text, dialect)) = texts.iter().find_map(|t| dialects::generic_invalid(&t.lower).map(|d| (t, d))) {
        // Show the server's own explanation when it gives one beside the code.
        let detail = informative_detail(texts);
        let shown = texts.iter().find(|t| detail.as_ref() == Some(&t.line)).unwrap_or(text);
        return verdict(ServerReason::InvalidToken { detail }, Some(shown), Some(dialect));
    }
    // RFC 6750 §3.1: a 401 challenge without an error code means the request
    // had no credentials. We only trust that when we know we sent none. With a
    // token, a silent 401 could be anything (a proxy stripping the header, a
    // terse server), so it stays unrecognised. A 403 to no token is the same
    // refusal in other stacks' words (FastAPI's HTTPBearer before 0.115).
    if (status == 401 || status == 403) && !request_had_token {
        return ServerVerdict {
            dialect: Some(ServerDialect::Rfc6750),
            ..verdict(ServerReason::TokenMissing, best_message(texts), None)
        };
    }
    verdict(ServerReason::Unrecognized, best_message(texts), None)
}

fn verdict(reason: ServerReason, text: Option<&Text>, dialect: Option<&Dialect>) -> ServerVerdict {
    ServerVerdict {
        reason,
        message: text.map(|t| t.line.clone()),
        source: text.map(|t| t.source.to_owned()),
        dialect: dialect.map(|d| d.id.clone()),
    }
}

/// The reason for `kind`, with the values `text` states (none without a text).
fn build_reason(
    kind: Kind,
    text: Option<&Text>,
    challenge: Option<&BearerChallenge>,
    found: &text::Found,
) -> ServerReason {
    match kind {
        Kind::TokenMissing => ServerReason::TokenMissing,
        Kind::BadScheme => ServerReason::BadScheme,
        Kind::Malformed => ServerReason::Malformed,
        Kind::Expired => {
            ServerReason::Expired { detail: text.and_then(values::expiry_detail).or_else(|| found.expired_at.clone()) }
        }
        Kind::NotYetValid => ServerReason::NotYetValid,
        Kind::InvalidSignature => ServerReason::InvalidSignature,
        Kind::InvalidAlgorithm => ServerReason::InvalidAlgorithm,
        Kind::NoVerificationKey => ServerReason::NoVerificationKey,
        Kind::Audience => ServerReason::AudienceInvalid {
            expected: text.and_then(|t| values::expected_value(t, values::ASPNET_AUDIENCE_MARKERS)),
        },
        Kind::Issuer => ServerReason::IssuerInvalid {
            expected: text.and_then(|t| values::expected_value(t, values::ASPNET_ISSUER_MARKERS)),
        },
        Kind::InsufficientScope => {
            let from_challenge = challenge.map(|c| c.scope.clone()).unwrap_or_default();
            // The challenge is the standard place; a body's `required_scopes` list
            // (django-oauth-toolkit) when the challenge names none.
            let scopes = if from_challenge.is_empty() { found.required_scopes.clone() } else { from_challenge };
            ServerReason::InsufficientScope { scopes }
        }
        Kind::Jwks => ServerReason::JwksFailure { detail: text.map(|t| t.line.clone()) },
        Kind::InvalidToken => ServerReason::InvalidToken { detail: informative_detail(&found.texts) },
        Kind::ClaimMissing => match text.and_then(values::named_claim) {
            // A registered claim's absence is that claim's failure.
            Some(claim) if claim == "aud" => ServerReason::AudienceInvalid { expected: None },
            Some(claim) if claim == "iss" => ServerReason::IssuerInvalid { expected: None },
            Some(claim) if claim == "exp" => ServerReason::Expired { detail: None },
            Some(claim) => ServerReason::ClaimMissing { claim },
            None => ServerReason::InvalidToken { detail: text.map(|t| t.line.clone()) },
        },
    }
}

/// The first prose text that says more than "invalid token": the detail of an
/// [`ServerReason::InvalidToken`] (a bare code would only repeat the reason).
fn informative_detail(texts: &[Text]) -> Option<String> {
    texts
        .iter()
        .filter(|t| !t.is_code)
        .find(|t| !dialects::is_only_generic_invalid(t.lower.trim().trim_end_matches(['.', '!'])))
        .map(|t| t.line.clone())
}

/// The first prose text, else the first text of any kind.
fn best_message(texts: &[Text]) -> Option<&Text> {
    texts.iter().find(|t| !t.is_code).or_else(|| texts.first())
}

#[cfg(test)]
mod order_tests;
#[cfg(test)]
mod stack_tests;
#[cfg(test)]
mod tests;
