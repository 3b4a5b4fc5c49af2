//! The registry of server dialects, and the rule vocabulary they share: what a rule matches, the cause it names, its tier.
//!
//! Each dialect (one file here) lists the phrases its stack writes, each with a
//! [`Tier`]. All dialects' rules are merged once into one order: by tier, then
//! by the order of [`REGISTRY`], then by the order in the dialect's own list. A
//! text's cause is the first rule in that order that it matches, and the rule's
//! dialect is recorded with it.
//!
//! Adding a dialect: write `dialects/<name>.rs` with a `pub(super) static
//! DIALECT: Dialect` (its id may be `ServerDialect::Other("name".into())`), then
//! add `mod <name>;` and one line to [`REGISTRY`].

mod aspnet;
mod authlib;
mod aws_api_gateway;
mod django_oauth_toolkit;
mod envoy;
mod express_jwt;
mod express_oauth2_jwt_bearer;
mod fastapi;
mod fastify_jwt;
mod generic;
mod go;
mod hapi_auth_jwt2;
mod koa_jwt;
mod kong;
mod nginx;
mod passport_jwt;
mod rfc6750;
mod spring;

use std::sync::LazyLock;

use super::ServerDialect;
use super::stack::StackWording;

/// The causes a rule can name. The interpreter turns one into a
/// [`super::ServerReason`], with the values the text states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    TokenMissing,
    BadScheme,
    Malformed,
    Expired,
    NotYetValid,
    InvalidSignature,
    InvalidAlgorithm,
    NoVerificationKey,
    Audience,
    Issuer,
    InsufficientScope,
    Jwks,
    /// A bad token with no stated cause (RFC 6750's `invalid_token`).
    InvalidToken,
    /// A claim the API requires is absent; the interpreter reads which one from the text.
    ClaimMissing,
}

/// Where a rule stands in the merged order; an earlier tier wins. Every tier
/// but the `Claim*` ones names a single kind, so inside them the order of the
/// dialects only decides which dialect is credited, never the cause. The
/// comments say which overlap each tier's place exists for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tier {
    /// A sentence that lists every cause and so names none (RFC 6750's description of
    /// `invalid_token`, which Authlib sends verbatim): first, so its words "expired" and
    /// "malformed" cannot be read as a cause.
    NoCause,
    /// A leading machine code (ASP.NET's `IDX10214: ...`) is the verdict, even
    /// when the message quotes other codes and exceptions further on.
    LeadingCode,
    /// No token. Before `Malformed`: "missing or malformed jwt" means none came.
    NoToken,
    /// A header that is not `Bearer <token>`. Before `Malformed`: "malformed authorization header".
    HeaderShape,
    Scope,
    /// Before the key tiers: Nimbus's "Another algorithm expected, or no
    /// matching key(s) found" covers both and names the algorithm first (the
    /// local verifier tells them apart); golang-jwt's "token is unverifiable:
    /// signing method X is invalid" is an algorithm problem.
    Algorithm,
    /// No key for the token's kid. Before `KeyFetch`: "kid not found in JWKS"
    /// is about the key, not the fetch.
    KeyForKid,
    /// Fetching the keys failed. Before the claim tiers: a discovery URL may
    /// contain "issuer".
    KeyFetch,
    /// No usable key, in words that do not say why ("secret or public key must
    /// be provided", "token is unverifiable", "key not found"). After the fetch
    /// errors, before the signature.
    KeyVague,
    Signature,
    Malformed,
    /// Before `NotYetValid`: Azure's "has expired or is not yet valid" is nearly always the former.
    Expired,
    NotYetValid,
    /// A claim named with its failure ("jwt audience invalid", "issuer validation
    /// failed", "invalid audience"). Audience and issuer share the three claim
    /// tiers, so here the number orders the dialects explicitly, lower first:
    /// jsonwebtoken's phrases (0), ASP.NET's and golang-jwt's (1), the generic ones (2).
    ClaimStated(u8),
    /// The claim's short name: "aud claim", "iss claim".
    ClaimNamed,
    /// The bare words, last, so an issuer URL that happens to contain
    /// "audience" cannot outrank an explicit issuer phrase.
    ClaimWord,
}

/// What a rule looks for in a lower-cased text.
pub(crate) enum Matcher {
    /// A case-insensitive substring (written lower-case) and the cause it names.
    Phrase(&'static str, Kind),
    /// A reader for structured text (a leading code); `None` when it does not apply.
    Reader(fn(&str) -> Option<Kind>),
}

pub(crate) struct Rule {
    pub tier: Tier,
    pub matcher: Matcher,
}

impl Rule {
    /// The cause this rule reads in `lower`, if it matches.
    fn names(&self, lower: &str) -> Option<Kind> {
        match self.matcher {
            Matcher::Phrase(phrase, kind) => lower.contains(phrase).then_some(kind),
            Matcher::Reader(read) => read(lower),
        }
    }
}

/// `rule(tier, "lower-case phrase", kind)`: the short form the dialect files use.
pub(crate) const fn rule(tier: Tier, phrase: &'static str, kind: Kind) -> Rule {
    Rule { tier, matcher: Matcher::Phrase(phrase, kind) }
}

/// One server stack's way of saying why it refused a token.
pub(crate) struct Dialect {
    pub id: ServerDialect,
    /// Phrases naming a specific cause, each with its tier.
    pub rules: &'static [Rule],
    /// Words that, in a 5xx, mean the server could not get its signing keys.
    pub key_outage: &'static [&'static str],
    /// "Your token is bad" without a cause: the `InvalidToken` fallback when no
    /// rule matched. A text that is only one of these has no detail to show.
    pub generic_invalid: &'static [&'static str],
    /// Structured challenge `error` codes (as normalised by the challenge
    /// parser) and the cause each names, read when no text names one.
    pub challenge_codes: &'static [(&'static str, Kind)],
    /// Tells the stack from the shape of its answer (headers, body layout, a fixed
    /// sentence), also when its words name no cause. `None`: known only by its words.
    pub detect: Option<fn(&Answer<'_>) -> bool>,
    /// The stack's own words for its settings, for fixes; `None` for wording many
    /// stacks share (the plain words are used).
    pub wording: Option<&'static StackWording>,
}

/// A denying answer as detection rules see it: status, headers (names lower-case) and body.
pub(crate) struct Answer<'a> {
    pub status: u16,
    pub headers: &'a [(String, String)],
    pub body: &'a str,
    /// The body parsed as JSON, when it is.
    pub json: Option<serde_json::Value>,
}

impl<'a> Answer<'a> {
    pub fn new(status: u16, headers: &'a [(String, String)], body: &'a str) -> Self {
        let json = serde_json::from_str(body).ok();
        Answer { status, headers, body, json }
    }

    /// The first value of header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Whether the body is a JSON object holding every key of `keys` (and maybe more).
    pub fn json_has_keys(&self, keys: &[&str]) -> bool {
        self.json.as_ref().and_then(|j| j.as_object()).is_some_and(|o| keys.iter().all(|k| o.contains_key(*k)))
    }

    /// The body without surrounding white space.
    pub fn trimmed_body(&self) -> &'a str {
        self.body.trim()
    }
}

/// The registered dialects. The order is the tie-break inside a tier, so it
/// decides which dialect is credited when several match one text: stacks whose
/// messages carry a distinctive prefix come first (ASP.NET, Spring's Nimbus,
/// golang-jwt, then the gateways' fixed sentences: Envoy, Kong, AWS), then Python's
/// (Authlib, DRF + django-oauth-toolkit, FastAPI), then node's short messages (which those prefixed texts often
/// contain: Spring's "Signed JWT rejected: Invalid signature" holds jsonwebtoken's
/// "invalid signature"; the stacks that wrap jsonwebtoken come before express-jwt,
/// which claims its words, so their own sentences and shapes are credited to them),
/// then the RFC 6750 codes, then phrasing many stacks share.
/// It never changes the cause: the one tier where kinds mix orders its dialects
/// by number ([`Tier::ClaimStated`]).
static REGISTRY: &[&Dialect] = &[
    &aspnet::DIALECT,
    &spring::DIALECT,
    &go::DIALECT,
    &envoy::DIALECT,
    &kong::DIALECT,
    &aws_api_gateway::DIALECT,
    &express_oauth2_jwt_bearer::DIALECT,
    &fastify_jwt::DIALECT,
    &authlib::DIALECT,
    &django_oauth_toolkit::DIALECT,
    &fastapi::DIALECT,
    &koa_jwt::DIALECT,
    &hapi_auth_jwt2::DIALECT,
    &passport_jwt::DIALECT,
    &express_jwt::DIALECT,
    &nginx::DIALECT,
    &rfc6750::DIALECT,
    &generic::DIALECT,
];

/// Every rule of every dialect, in the order they are tried.
static ORDER: LazyLock<Vec<(&'static Dialect, &'static Rule)>> = LazyLock::new(|| {
    let mut order: Vec<_> = REGISTRY.iter().flat_map(|d| d.rules.iter().map(move |r| (*d, r))).collect();
    // Stable: the registry order, then each dialect's own, survive inside a tier.
    order.sort_by_key(|(_, r)| r.tier);
    order
});

/// The specific cause `lower` states, and whose dialect says it that way.
pub(super) fn classify(lower: &str) -> Option<(Kind, &'static Dialect)> {
    ORDER.iter().find_map(|(dialect, rule)| rule.names(lower).map(|kind| (kind, *dialect)))
}

/// In a 5xx: the dialect whose key-outage words `lower` contains.
pub(super) fn key_outage(lower: &str) -> Option<&'static Dialect> {
    REGISTRY.iter().copied().find(|d| d.key_outage.iter().any(|w| lower.contains(w)))
}

/// The dialect whose generic "invalid token" wording `lower` contains.
pub(super) fn generic_invalid(lower: &str) -> Option<&'static Dialect> {
    REGISTRY.iter().copied().find(|d| d.generic_invalid.iter().any(|w| lower.contains(w)))
}

/// Whether `bare` (lower-cased, trimmed) is nothing but a generic "invalid token".
pub(super) fn is_only_generic_invalid(bare: &str) -> bool {
    REGISTRY.iter().any(|d| d.generic_invalid.contains(&bare))
}

/// The cause a structured challenge code names, and whose code it is.
pub(super) fn challenge_code(code: &str) -> Option<(Kind, &'static Dialect)> {
    REGISTRY.iter().find_map(|d| d.challenge_codes.iter().find(|(c, _)| *c == code).map(|(_, kind)| (*kind, *d)))
}

/// The stack the answer's shape reveals, in registry order.
pub(super) fn detect(answer: &Answer<'_>) -> Option<&'static Dialect> {
    REGISTRY.iter().copied().find(|d| d.detect.is_some_and(|detect| detect(answer)))
}

/// The stack wording of the dialect named `id`, if it has its own.
pub(super) fn wording_of(id: &ServerDialect) -> Option<&'static StackWording> {
    REGISTRY.iter().find(|d| d.id == *id).and_then(|d| d.wording)
}

/// The merged order, for the tests that pin it.
#[cfg(test)]
pub(super) fn ordered_rules() -> &'static [(&'static Dialect, &'static Rule)] {
    &ORDER
}

/// All key-outage and generic-invalid words, for the tests that pin them.
#[cfg(test)]
pub(super) fn registry() -> &'static [&'static Dialect] {
    REGISTRY
}
