//! What a token verified on its own says beyond its failed checks: the all-clear naming what
//! was and was not checked, and an HS* signature left unchecked for want of the secret.

use crate::core::diagnose::facts::Facts;
use crate::core::findings::{Code, Evidence, Finding};
use crate::core::token::verify::{CheckName, CheckStatus, Verification};

/// The all-clear of a token on its own, naming what was checked and what was not (a check
/// skipped for want of an expected value is not a pass).
pub fn verified(verification: &Verification) -> Finding {
    let with_status = |status: CheckStatus| -> Vec<&'static str> {
        verification.checks.iter().filter(|c| c.status == status).map(|c| c.name.label()).collect()
    };
    let (passed, skipped) = (with_status(CheckStatus::Pass), with_status(CheckStatus::Skip));
    let mut message = format!("the token verifies: {} checked", passed.join(", "));
    if !skipped.is_empty() {
        message.push_str(&format!("; not checked: {}", skipped.join(", ")));
    }
    let unchecked_claims: Vec<&str> = skipped.iter().copied().filter(|name| matches!(*name, "iss" | "aud")).collect();
    let fix = if unchecked_claims.is_empty() {
        "Nothing to fix.".to_owned()
    } else {
        format!(
            "Nothing failed; to check {} too, give the expected value{} (expect.issuer / expect.audience, or --iss / --aud).",
            unchecked_claims.join(" and "),
            if unchecked_claims.len() > 1 { "s" } else { "" }
        )
    };
    Finding::info(Code::Ok, message, Evidence::none(), fix)
}

/// An HS* token whose signature was never checked because no shared secret was given: the
/// verdict is "invalid", and this says why and how to give the secret.
pub fn unchecked_hmac_signature(facts: &Facts<'_>) -> Option<Finding> {
    let verification = facts.verification?;
    let alg = facts.token().alg.as_deref().filter(|alg| alg.starts_with("HS"))?;
    let key = verification.checks.iter().find(|c| c.name == CheckName::Key)?;
    let alg_allowed = verification.checks.iter().any(|c| c.name == CheckName::Alg && c.status == CheckStatus::Pass);
    if key.status != CheckStatus::Skip || !alg_allowed {
        return None;
    }
    Some(Finding::error(
        Code::SignatureInvalid,
        format!("the signature was not checked: {alg} is signed with a shared secret, and none was given"),
        Evidence::new(Some("the API's shared secret".to_owned()), Some("none given".to_owned())),
        "Give the secret the API verifies with: --hmac-secret env:VAR (or file:PATH, cmd:COMMAND, prompt), or expect.hmac_secret in the profile.",
    ))
}
