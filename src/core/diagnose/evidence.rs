//! The rules of evidence: which local checks ran, whether the server's answer names a cause,
//! and which cause it names that tokdbg could not check itself (then the server is trusted).

use crate::core::diagnose::facts::Facts;
use crate::core::findings::Code;
use crate::core::server_message::ServerReason;
use crate::core::token::verify::{CheckName, CheckStatus};

/// Whether the server's answer names *which* failure (not only that there was one). A bare
/// status, unknown wording and RFC 6750's catch-all description name none.
pub fn names_a_cause(reason: &ServerReason) -> bool {
    !matches!(reason, ServerReason::Unrecognized | ServerReason::InvalidToken { .. })
}

/// The finding code for the cause a server names, and the local check that would have seen it.
fn cause_check(reason: &ServerReason) -> Option<(Code, CheckName)> {
    Some(match reason {
        ServerReason::Expired { .. } => (Code::Expired, CheckName::Exp),
        ServerReason::NotYetValid => (Code::NotYetValid, CheckName::Nbf),
        ServerReason::InvalidSignature => (Code::SignatureInvalid, CheckName::Signature),
        ServerReason::InvalidAlgorithm => (Code::AlgNotAllowed, CheckName::Alg),
        ServerReason::NoVerificationKey => (Code::KidNotFound, CheckName::Key),
        ServerReason::AudienceInvalid { .. } => (Code::AudienceMismatch, CheckName::Aud),
        ServerReason::IssuerInvalid { .. } => (Code::IssuerMismatch, CheckName::Iss),
        _ => return None,
    })
}

/// The code of the cause the server names when tokdbg's own check for it did not run (no
/// verification at all, as for an opaque token, or that check skipped): the server is then
/// the only witness, and is trusted.
pub fn unchecked_cause(facts: &Facts<'_>, reason: &ServerReason) -> Option<Code> {
    let (code, name) = cause_check(reason)?;
    let ran = facts
        .verification
        .and_then(|v| v.checks.iter().find(|c| c.name == name))
        .is_some_and(|c| c.status != CheckStatus::Skip);
    (!ran).then_some(code)
}

/// Why a check could not run, for a message: "an opaque token", "exp was not checked".
pub fn why_unchecked(facts: &Facts<'_>, reason: &ServerReason) -> String {
    if facts.token().decoded.is_none() {
        return "the token cannot be read locally".to_owned();
    }
    match cause_check(reason) {
        Some((_, name)) => format!("{} was not checked locally", name.label()),
        None => "it was not checked locally".to_owned(),
    }
}

/// How much the local checks vouch for a token the API refused: "passes every local check"
/// only when every check ran and passed; otherwise the checks that did not run are named.
pub fn local_standing(facts: &Facts<'_>) -> String {
    let Some(verification) = facts.verification else {
        return "a token tokdbg could not check locally".to_owned();
    };
    let with = |status: CheckStatus| -> Vec<&'static str> {
        verification.checks.iter().filter(|c| c.status == status).map(|c| c.name.label()).collect()
    };
    let passed = with(CheckStatus::Pass);
    // nbf, typ and iat are optional: skipped, they had nothing to check, which leaves no gap.
    let skipped: Vec<&str> = verification
        .checks
        .iter()
        .filter(|c| {
            c.status == CheckStatus::Skip && !matches!(c.name, CheckName::Nbf | CheckName::Typ | CheckName::Iat)
        })
        .map(|c| c.name.label())
        .collect();
    if passed.is_empty() {
        "a token tokdbg could not check locally".to_owned()
    } else if skipped.is_empty() {
        "a token that passes every local check".to_owned()
    } else {
        format!(
            "a token that passes the local checks that ran ({}; not checked: {})",
            passed.join(", "),
            skipped.join(", ")
        )
    }
}
