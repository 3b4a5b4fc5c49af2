//! The claim checks of verification: exp and nbf (with the leeway), iss, aud, typ — each
//! with what was expected beside what the token holds.

use crate::core::clock;
use crate::core::findings::Code;
use crate::core::token::check::{Check, CheckName, VerifyOptions};
use crate::core::token::jwt::{DecodedToken, NumericDate};

pub(super) fn exp_check(token: &DecodedToken, options: &VerifyOptions) -> Check {
    let leeway = i64::try_from(options.leeway_secs).unwrap_or(i64::MAX);
    match token.numeric_date("exp") {
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
            let expected = Some(format!("now < exp + {leeway} s leeway"));
            if options.now >= exp.saturating_add(leeway) {
                Check::fail(
                    CheckName::Exp,
                    Code::Expired,
                    expected,
                    actual,
                    format!("expired {} ago", clock::humanize_duration(options.now.abs_diff(exp))),
                )
            } else {
                Check::pass(CheckName::Exp, expected, actual, clock::expiry_phrase(exp, options.now))
            }
        }
    }
}

pub(super) fn nbf_check(token: &DecodedToken, options: &VerifyOptions) -> Check {
    let leeway = i64::try_from(options.leeway_secs).unwrap_or(i64::MAX);
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
    if options.audience.is_empty() {
        return Check::skip(CheckName::Aud, actual, "no expected audience (expect.audience)");
    }
    let expected = Some(options.audience.join(" | "));
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

pub(super) fn typ_check(token: &DecodedToken) -> Check {
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
