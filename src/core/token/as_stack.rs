//! A verified token judged again as each stack would judge it (`verify --as`): the key and
//! signature as they ran once, the claims by each stack's preset — pure arithmetic — and the
//! one-line summaries that say by how much ("expired 61 s ago: fails spring (60 s) …").

use serde::Serialize;

use crate::core::token::check::{CheckName, CheckStatus, VerifyOptions};
use crate::core::token::claims::exact_duration;
use crate::core::token::jwt::{DecodedToken, NumericDate};
use crate::core::token::verify::{Verification, rejudge};
use crate::core::verifier::{Stack, preset};

/// One row of the `--as` matrix.
#[derive(Debug, Clone, Serialize)]
pub struct StackVerdict {
    pub stack: Stack,
    /// The signature verified and no check failed under this stack's rules.
    pub valid: bool,
    /// The failed checks' names (those of `verification.checks[].name`).
    pub failed: Vec<&'static str>,
    pub notes: Vec<String>,
    /// The leeway this row used (the stack's, unless written or given by a flag).
    #[serde(skip)]
    pub leeway_secs: u64,
    /// The whole checklist under this stack's rules.
    #[serde(skip)]
    pub verification: Verification,
}

/// `base` judged by `stack`, whose options (leeway, algorithms, rules) the caller resolved.
pub fn judge(base: &Verification, token: &DecodedToken, options: &VerifyOptions, stack: Stack) -> StackVerdict {
    let verification = rejudge(base, token, options);
    let failed_check = |name: CheckName| verification.failed().any(|c| c.name == name);
    let mut notes: Vec<String> = verification.failed().map(|c| format!("{}: {}", c.name.label(), c.detail)).collect();
    // The iat line says what a stack that does not check it would do: worth a note when dated ahead.
    if let Some(iat) = verification.check(CheckName::Iat).filter(|c| c.status == CheckStatus::Skip)
        && iat.detail.contains("in the future")
    {
        notes.push(format!("iat: {}", iat.detail));
    }
    if failed_check(CheckName::Aud) && options.rules.bad_aud_status != 401 {
        notes.push(format!("{stack} answers {} for a refused audience", options.rules.bad_aud_status));
    }
    if stack == Stack::FastifyJwt && failed_check(CheckName::Nbf) {
        notes.push("fastify-jwt answers 500 (FAST_JWT_INACTIVE) for a future nbf, not 401".to_owned());
    }
    if let Some(caveat) = preset(stack).caveat {
        notes.push(caveat.to_owned());
    }
    let failed = verification.failed().map(|c| c.name.label()).collect();
    StackVerdict { stack, valid: verification.valid, failed, notes, leeway_secs: options.leeway_secs, verification }
}

/// The time claims that part the stacks, one sentence each: which stacks fail and which pass
/// a token expired (or dated ahead) by so much, each with its leeway.
pub fn summaries(token: &DecodedToken, now: i64, verdicts: &[StackVerdict]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = |what: String, name: CheckName| {
        let status_of = |v: &StackVerdict| v.verification.check(name).map(|c| c.status);
        let list = |status: CheckStatus| -> Vec<String> {
            verdicts
                .iter()
                .filter(|v| status_of(v) == Some(status))
                .map(|v| format!("{} ({} s)", v.stack, v.leeway_secs))
                .collect()
        };
        let (fails, passes) = (list(CheckStatus::Fail), list(CheckStatus::Pass));
        let skipped: Vec<&str> = verdicts
            .iter()
            .filter(|v| status_of(v) != Some(CheckStatus::Fail) && status_of(v) != Some(CheckStatus::Pass))
            .map(|v| v.stack.as_str())
            .collect();
        let mut parts = Vec::new();
        if !fails.is_empty() {
            parts.push(format!("fails {}", fails.join(", ")));
        }
        if !passes.is_empty() {
            parts.push(format!("passes {}", passes.join(", ")));
        }
        if !skipped.is_empty() {
            parts.push(format!("not checked by {}", skipped.join(", ")));
        }
        lines.push(format!("{what}: {}", parts.join("; ")));
    };
    match token.numeric_date("exp") {
        NumericDate::Valid(exp) if exp <= now => {
            line(format!("expired {} ago", exact_duration(now.abs_diff(exp))), CheckName::Exp)
        }
        NumericDate::Absent => line("no exp".to_owned(), CheckName::Exp),
        _ => {}
    }
    if let NumericDate::Valid(iat) = token.numeric_date("iat")
        && iat > now
    {
        line(format!("iat {} in the future", exact_duration(iat.abs_diff(now))), CheckName::Iat);
    }
    if let NumericDate::Valid(nbf) = token.numeric_date("nbf")
        && nbf > now
    {
        line(format!("nbf {} in the future", exact_duration(nbf.abs_diff(now))), CheckName::Nbf);
    }
    lines
}

#[cfg(test)]
#[path = "as_stack_tests.rs"]
mod tests;
