//! The claim checks of verification: exp and nbf (with the leeway), iss, aud, typ — each
//! with what was expected beside what the token holds, judged by the rules of the API's
//! stack (`VerifyOptions::rules`; without a stack, tokdbg's own). The iat check is in `iat`.

use crate::core::clock;
use crate::core::findings::Code;
use crate::core::token::check::{Check, CheckName, VerifyOptions};
use crate::core::token::jwt::{DecodedToken, NumericDate};
use crate::core::verifier::{AudRule, Boundary, ExpRule, NbfRule, TypRule};

/// A duration as a verdict needs it: to the second below ten minutes ("61 s", where
/// "1 min" would hide the second that decides), humanized above.
pub(crate) fn exact_duration(secs: u64) -> String {
    if secs < 600 { format!("{secs} s") } else { clock::humanize_duration(secs) }
}

pub(super) fn exp_check(token: &DecodedToken, options: &VerifyOptions) -> Check {
    let leeway = i64::try_from(options.leeway_secs).unwrap_or(i64::MAX);
    let rules = &options.rules;
    if rules.exp == ExpRule::NotChecked {
        let detail = format!("not checked by {} unless configured to", rules.who());
        return Check::skip(CheckName::Exp, token.claims.get("exp").map(|v| v.to_string()), detail);
    }
    match token.numeric_date("exp") {
        NumericDate::Absent if rules.exp == ExpRule::Required => Check::fail(
            CheckName::Exp,
            Code::MalformedToken,
            Some("an exp claim".into()),
            None,
            format!("no exp claim: {} requires one", rules.who()),
        ),
        NumericDate::Absent => Check::skip(CheckName::Exp, None, "no exp claim: the token never expires"),
        NumericDate::Invalid(raw) => Check::fail(
            CheckName::Exp,
            Code::MalformedToken,
            Some("a number (seconds since 1970)".into()),
            Some(raw),
            "exp is not a NumericDate",
        ),
        NumericDate::Valid(exp) => {
            let actual = Some(format!("{} ({})", clock::format_utc(exp), clock::expiry_phrase(exp, options.now)));
            let limit = exp.saturating_add(leeway);
            let (expected, expired) = match rules.boundary {
                Boundary::FailsAtLimit => (format!("now < exp + {leeway} s leeway"), options.now >= limit),
                Boundary::PassesAtLimit => (format!("now <= exp + {leeway} s leeway"), options.now > limit),
            };
            let expected = Some(expected);
            if expired {
                let detail = match rules.stack {
                    None => format!("expired {} ago", clock::humanize_duration(options.now.abs_diff(exp))),
                    Some(stack) => format!(
                        "expired {} ago, beyond {stack}'s {leeway} s leeway",
                        exact_duration(options.now.abs_diff(exp))
                    ),
                };
                Check::fail(CheckName::Exp, Code::Expired, expected, actual, detail)
            } else {
                Check::pass(CheckName::Exp, expected, actual, clock::expiry_phrase(exp, options.now))
            }
        }
    }
}

pub(super) fn nbf_check(token: &DecodedToken, options: &VerifyOptions) -> Check {
    let leeway = i64::try_from(options.leeway_secs).unwrap_or(i64::MAX);
    if options.rules.nbf == NbfRule::NotChecked {
        let detail = format!("not checked by {} unless configured to", options.rules.who());
        return Check::skip(CheckName::Nbf, token.claims.get("nbf").map(|v| v.to_string()), detail);
    }
    match token.numeric_date("nbf") {
        NumericDate::Absent => Check::skip(CheckName::Nbf, None, "no nbf claim"),
        NumericDate::Invalid(raw) => Check::fail(
            CheckName::Nbf,
            Code::MalformedToken,
            Some("a number (seconds since 1970)".into()),
            Some(raw),
            "nbf is not a NumericDate",
        ),
        NumericDate::Valid(nbf) => {
            let actual = Some(format!("{} ({})", clock::format_utc(nbf), clock::relative(nbf, options.now)));
            let expected = Some(format!("nbf <= now + {leeway} s leeway"));
            if nbf > options.now.saturating_add(leeway) {
                Check::fail(
                    CheckName::Nbf,
                    Code::NotYetValid,
                    expected,
                    actual,
                    format!(
                        "not valid for another {} (clock skew between issuer and here?)",
                        clock::humanize_duration(nbf.abs_diff(options.now))
                    ),
                )
            } else {
                Check::pass(CheckName::Nbf, expected, actual, "already valid")
            }
        }
    }
}

pub(super) fn iss_check(token: &DecodedToken, options: &VerifyOptions) -> Check {
    let actual = token.claims.get("iss").map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()));
    let Some(expected) = &options.issuer else {
        return Check::skip(CheckName::Iss, actual, "no expected issuer (expect.issuer)");
    };
    match token.claim_str("iss") {
        Some(iss) if iss == expected => Check::pass(CheckName::Iss, Some(expected.clone()), actual, "matches"),
        Some(_) => Check::fail(
            CheckName::Iss,
            Code::IssuerMismatch,
            Some(expected.clone()),
            actual,
            "differs from the expected issuer",
        ),
        None => Check::fail(
            CheckName::Iss,
            Code::IssuerMismatch,
            Some(expected.clone()),
            actual,
            "the token has no iss string",
        ),
    }
}

pub(super) fn aud_check(token: &DecodedToken, options: &VerifyOptions) -> Check {
    let actual = token.claims.get("aud").map(|v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    let rules = &options.rules;
    let who = rules.who();
    if rules.aud == AudRule::NotChecked {
        return Check::skip(CheckName::Aud, actual, format!("not checked by {who}"));
    }
    if options.audience.is_empty() {
        return match rules.aud {
            AudRule::Required => Check::fail(
                CheckName::Aud,
                Code::AudienceMismatch,
                Some("(an audience setting)".into()),
                actual,
                format!("{who} does not accept a token without a configured audience: set expect.audience (--aud)"),
            ),
            AudRule::RejectsUnexpected if actual.is_some() => Check::fail(
                CheckName::Aud,
                Code::AudienceMismatch,
                Some("(no audience configured)".into()),
                actual,
                format!(
                    "the token has an aud and {who} was given no audience: it rejects the token (set expect.audience)"
                ),
            ),
            _ => Check::skip(CheckName::Aud, actual, "no expected audience (expect.audience)"),
        };
    }
    let expected = Some(options.audience.join(" | "));
    if token.audiences().is_none() {
        match rules.aud {
            AudRule::MissingPasses => {
                return Check::pass(
                    CheckName::Aud,
                    expected,
                    actual,
                    format!("no aud claim: {who} accepts a token without one"),
                );
            }
            AudRule::ClientIdFallback => {
                return match token.claim_str("client_id") {
                    Some(id) if options.audience.iter().any(|a| a == id) => Check::pass(
                        CheckName::Aud,
                        expected,
                        Some(format!("client_id {id}")),
                        format!("no aud: {who} reads client_id, which matches"),
                    ),
                    other => Check::fail(
                        CheckName::Aud,
                        Code::AudienceMismatch,
                        expected,
                        other.map(|id| format!("client_id {id}")),
                        format!("no aud, and the client_id {who} falls back to is not expected"),
                    ),
                };
            }
            _ => {}
        }
    }
    match token.audiences() {
        Some(auds) if auds.iter().any(|a| options.audience.contains(a)) => {
            Check::pass(CheckName::Aud, expected, actual, "matches")
        }
        Some(_) => Check::fail(
            CheckName::Aud,
            Code::AudienceMismatch,
            expected,
            actual,
            "none of the token's audiences is expected",
        ),
        None => {
            Check::fail(CheckName::Aud, Code::AudienceMismatch, expected, actual, "the token has no usable aud claim")
        }
    }
}

pub(super) fn typ_check(token: &DecodedToken, options: &VerifyOptions) -> Check {
    let who = options.rules.who();
    let lower = token.typ.as_deref().map(str::to_ascii_lowercase);
    let at_jwt = matches!(lower.as_deref(), Some("at+jwt" | "application/at+jwt"));
    match (options.rules.typ, token.typ.as_deref()) {
        (TypRule::JwtOrAbsent, Some(typ)) if at_jwt || !matches!(lower.as_deref(), Some("jwt")) => {
            return Check::fail(
                CheckName::Typ,
                Code::MalformedToken,
                Some("JWT (or no typ)".into()),
                Some(typ.to_owned()),
                format!("{who} accepts only typ JWT by default (an RFC 9068 at+jwt token needs its at+jwt validator)"),
            );
        }
        (TypRule::AtJwtIfPresent, Some(typ)) if !at_jwt => {
            return Check::fail(
                CheckName::Typ,
                Code::MalformedToken,
                Some("at+jwt (or no typ)".into()),
                Some(typ.to_owned()),
                format!("{who}'s RFC 9068 validator accepts only typ at+jwt"),
            );
        }
        _ => {}
    }
    match token.typ.as_deref() {
        None => Check::skip(CheckName::Typ, None, "no typ header (most verifiers do not check it)"),
        Some(typ) if ["jwt", "at+jwt", "application/at+jwt"].contains(&typ.to_ascii_lowercase().as_str()) => {
            let detail =
                if typ.to_ascii_lowercase().contains("at+jwt") { "an RFC 9068 access token" } else { "a plain JWT" };
            Check::pass(CheckName::Typ, None, Some(typ.to_owned()), detail)
        }
        Some(typ) => Check::skip(
            CheckName::Typ,
            Some(typ.to_owned()),
            "an unusual typ: an ID token or logout token sent as an access token?",
        ),
    }
}
