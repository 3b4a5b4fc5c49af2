//! `tokdbg token`: fetch a token for a profile and show the request, the answer, the token and
//! its verification, with a verdict and the findings of a token that does not verify.

use crate::core::clock;
use crate::core::diagnose::{self, Facts};
use crate::core::engine::{Engine, TokenChoice, TokenFetch};
use crate::core::findings::{Finding, Severity};
use crate::core::model::profile::Profile;
use crate::core::secret_choice::{self, TokenWanted};

use super::args::Global;
use super::input::{find_profile, read_needed, within_deadline};
use super::outcome::{CliError, CmdResult, Exit};
use super::paint::Paint;
use super::render;
use super::stdout::{out, outln};

/// How much of the token the command prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// The report only, the token's signature redacted.
    Redacted,
    /// The raw token first, then the report (`--reveal`).
    Revealed,
    /// The raw token and nothing else on stdout (`--raw`), for `$(tokdbg token P --raw)`.
    Raw,
}

pub fn run(global: &Global, paint: &Paint, runtime: &tokio::runtime::Runtime, name: &str, shown: Shown) -> CmdResult {
    let (stem, mut profile) = find_profile(global, name)?;
    super::input::apply_tls_flags(global, &mut profile)?;
    let engine = Engine::new(global.http_config());
    // A new token every time: showing the token request is the point of this command.
    let needs =
        secret_choice::secrets_needed(&profile, TokenWanted::Fetch { force: true }, None).map_err(|e| match e {
            secret_choice::CannotRequest::NoClient => {
                CliError::profile(format!("profile {stem} has no [client] section: nothing to fetch a token with"))
            }
            other => CliError::profile(format!("profile {stem}: {other}")),
        })?;
    let (choice, hmac_secret) = runtime.block_on(read_needed(needs, &stem))?;
    let TokenChoice::Fetch { credentials, force } = choice else {
        return Err(CliError::profile(format!("profile {stem}: a forced fetch always requests a token")));
    };
    let mut fetch =
        within_deadline(global, runtime, engine.fetch_token(&stem, &profile, credentials, force, hmac_secret))?;
    add_verification_findings(&mut fetch, &profile);
    // An opaque token has no verification (it needs introspection): only a JWT that was
    // checked and failed makes the command fail.
    let verifies = fetch.verification.as_ref().map(|v| v.valid);
    let exit = match (&fetch.access_token, fetch.network_unreachable()) {
        (Some(_), _) if verifies != Some(false) => Exit::Ok,
        (Some(_), _) => Exit::Denied,
        (None, true) => Exit::Network,
        (None, false) => Exit::Denied,
    };

    if shown == Shown::Raw {
        return raw(&fetch, exit);
    }
    if global.json {
        let mut value = serde_json::to_value(&fetch).unwrap_or_default();
        // true / false for a JWT that verifies or not, null when there is nothing to verify.
        value["valid"] = match (&fetch.access_token, verifies) {
            (Some(_), Some(valid)) => serde_json::Value::Bool(valid),
            (Some(_), None) => serde_json::Value::Null,
            (None, _) => serde_json::Value::Bool(false),
        };
        if shown == Shown::Revealed
            && let Some(token) = &fetch.access_token
        {
            value["access_token"] = serde_json::Value::String(token.expose().to_owned());
        }
        super::stdout::json(&value);
    } else {
        if shown == Shown::Revealed
            && let Some(token) = &fetch.access_token
        {
            outln!("{}\n", token.expose());
        }
        out!("{}", render::token_fetch(paint, &fetch));
    }
    Ok(exit)
}

/// `--raw`: the token alone on stdout; when there is none, or it does not verify, the reason on
/// stderr (the exit code says which), as every other error.
fn raw(fetch: &TokenFetch, exit: Exit) -> CmdResult {
    let Some(token) = &fetch.access_token else {
        let reason = fetch.findings.first().map_or("no token came", |f| f.message.as_str());
        let error = if exit == Exit::Network { CliError::network(reason) } else { CliError::invalid(reason) };
        return Err(error);
    };
    outln!("{}", token.expose());
    if exit != Exit::Ok {
        let reason = fetch.findings.iter().find(|f| f.severity == Severity::Error).map_or("", |f| f.message.as_str());
        super::stdout::errln!("tokdbg: warning: the token does not verify as the API would: {reason}");
    }
    Ok(exit)
}

/// A token that came but does not verify gets the findings of a token on its own (expired,
/// wrong alg, no HMAC secret, …): the fetch's own findings only say why no token came.
fn add_verification_findings(fetch: &mut TokenFetch, profile: &Profile) {
    let Some(verification) = fetch.verification.as_ref().filter(|v| !v.valid) else { return };
    let found: Vec<Finding> = diagnose::token_findings(&Facts {
        token: Some(&fetch.token),
        verification: Some(verification),
        ..Facts::new(profile, clock::now_unix())
    });
    for finding in found {
        if !fetch.findings.iter().any(|f| f.code == finding.code && f.message == finding.message) {
            fetch.findings.push(finding);
        }
    }
}
