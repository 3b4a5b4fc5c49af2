//! How a verifier judges each claim when its configuration says nothing: the vocabulary a
//! preset is written in, and the rules of a profile without a stack (tokdbg's own, as before
//! presets existed).

use crate::core::verifier::stack::Stack;

/// Whether `exp` must be present (and whether it is looked at at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpRule {
    /// Checked when present; a token without `exp` never expires.
    Optional,
    /// A token without `exp` is rejected.
    Required,
    /// Not looked at unless configured (Kong's `claims_to_verify`).
    NotChecked,
}

/// What happens exactly at the limit (`now == exp + leeway`): the libraries differ by one second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boundary {
    /// Fails when `now >= exp + leeway` (jsonwebtoken, jose, PyJWT, golang-jwt, Kong).
    FailsAtLimit,
    /// Fails only when `now > exp + leeway` (authlib, Spring, IdentityModel, Envoy).
    PassesAtLimit,
}

/// What the verifier does with an `iat` in the future.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IatRule {
    /// A profile without a stack: not judged, but a future `iat` is pointed out (a skip with
    /// a note) because some stacks reject it.
    Unset,
    /// Never compared with the clock.
    NotChecked,
    /// Not checked by default; the named option turns it on.
    OptIn(&'static str),
    /// Fails when `iat > now + leeway`; `required`: a token without `iat` fails too.
    Checked { required: bool },
}

/// Whether `nbf` is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NbfRule {
    /// Fails when `nbf > now + leeway`.
    Checked,
    /// Not looked at unless configured (Kong's `claims_to_verify`).
    NotChecked,
}

/// How the audience is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudRule {
    /// Checked only when an audience is configured; then a token without `aud` fails; any match.
    WhenConfigured,
    /// Checked only when configured, and a token without `aud` passes (fast-jwt's `allowedAud`).
    MissingPasses,
    /// The verifier cannot run without a configured audience; a token without `aud` fails.
    Required,
    /// Like `WhenConfigured`, and with none configured a token that has an `aud` fails
    /// (PyJWT's `Invalid audience` when `audience=` was not passed).
    RejectsUnexpected,
    /// Never checked.
    NotChecked,
    /// `aud`, or `client_id` when the token has no `aud` (AWS API Gateway).
    ClientIdFallback,
}

/// What the verifier accepts in the header's `typ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypRule {
    /// Not checked (tokdbg's own reading of it is shown, never a failure).
    Ignored,
    /// `JWT` or absent; `at+jwt` fails (Spring Security's `JwtTypeValidator.jwt()`).
    JwtOrAbsent,
    /// `at+jwt` or absent; `JWT` fails (authlib's RFC 9068 validator).
    AtJwtIfPresent,
}

/// Everything but the leeway and the lists: how each claim is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// The stack these rules are, for notes; `None` = tokdbg's own rules (no stack).
    pub stack: Option<Stack>,
    pub exp: ExpRule,
    pub boundary: Boundary,
    pub iat: IatRule,
    pub nbf: NbfRule,
    pub aud: AudRule,
    pub typ: TypRule,
    /// The status a refused audience gets (Envoy answers 403).
    pub bad_aud_status: u16,
}

impl Default for Rules {
    /// A profile without a stack: what tokdbg checked before presets, unchanged.
    fn default() -> Self {
        Rules {
            stack: None,
            exp: ExpRule::Optional,
            boundary: Boundary::FailsAtLimit,
            iat: IatRule::Unset,
            nbf: NbfRule::Checked,
            aud: AudRule::WhenConfigured,
            typ: TypRule::Ignored,
            bad_aud_status: 401,
        }
    }
}

impl Rules {
    /// Who judges, for a check's detail: the stack's name or "the API".
    pub fn who(&self) -> &'static str {
        self.stack.map(Stack::as_str).unwrap_or("the API")
    }
}
