//! The iat check: a token dated in the future, judged where the API's stack compares `iat`
//! with its clock (PyJWT, authlib), pointed out where it does not.

use crate::core::clock;
use crate::core::findings::Code;
use crate::core::token::check::{Check, CheckName, VerifyOptions};
use crate::core::token::claims::exact_duration;
use crate::core::token::jwt::{DecodedToken, NumericDate};
use crate::core::verifier::IatRule;

/// The iat line of the checklist; `None` for a profile without a stack whose token is not
/// dated in the future (so such a profile's checklist reads exactly as before presets).
pub(super) fn iat_check(token: &DecodedToken, options: &VerifyOptions) -> Option<Check> {
    let leeway = i64::try_from(options.leeway_secs).unwrap_or(i64::MAX);
    let now = options.now;
    let who = options.rules.who();
    let date = token.numeric_date("iat");
    let ahead = match &date {
        NumericDate::Valid(iat) if *iat > now => Some(iat.abs_diff(now)),
        _ => None,
    };
    let actual = match &date {
        NumericDate::Valid(iat) => Some(format!("{} ({})", clock::format_utc(*iat), clock::relative(*iat, now))),
        NumericDate::Invalid(raw) => Some(raw.clone()),
        NumericDate::Absent => None,
    };
    let future = |secs: u64| format!("dated {} in the future", exact_duration(secs));
    match options.rules.iat {
        IatRule::Unset => ahead.map(|secs| {
            Check::skip(
                CheckName::Iat,
                actual,
                format!(
                    "{}: not judged without expect.stack; PyJWT and authlib reject an iat beyond their leeway",
                    future(secs)
                ),
            )
        }),
        IatRule::NotChecked => Some(Check::skip(
            CheckName::Iat,
            actual,
            match ahead {
                Some(secs) => format!("{}: {who} does not compare iat with its clock", future(secs)),
                None => format!("{who} does not compare iat with its clock"),
            },
        )),
        IatRule::OptIn(option) => Some(Check::skip(
            CheckName::Iat,
            actual,
            match ahead {
                Some(secs) if secs > options.leeway_secs => {
                    format!("{}: not checked by {who} by default; with {option} it would fail", future(secs))
                }
                _ => format!("not checked by {who} by default ({option} turns it on)"),
            },
        )),
        IatRule::Checked { required } => Some(match date {
            NumericDate::Absent if required => Check::fail(
                CheckName::Iat,
                Code::MalformedToken,
                Some("an iat claim".into()),
                None,
                format!("no iat claim: {who} requires one"),
            ),
            NumericDate::Absent => Check::skip(CheckName::Iat, None, "no iat claim"),
            NumericDate::Invalid(_) => Check::fail(
                CheckName::Iat,
                Code::MalformedToken,
                Some("a number (seconds since 1970)".into()),
                actual,
                "iat is not a NumericDate",
            ),
            NumericDate::Valid(iat) => {
                let expected = Some(format!("iat <= now + {leeway} s leeway"));
                if iat > now.saturating_add(leeway) {
                    let secs = iat.abs_diff(now);
                    let detail = format!("{} by its iat, beyond {who}'s {leeway} s leeway", future(secs));
                    Check::fail(CheckName::Iat, Code::NotYetValid, expected, actual, detail)
                } else {
                    Check::pass(CheckName::Iat, expected, actual, "not in the future")
                }
            }
        }),
    }
}
