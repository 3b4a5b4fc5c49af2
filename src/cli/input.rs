//! Shared command plumbing: loading profiles, reading tokens from arguments or stdin, secrets.

use std::io::Read;

use crate::core::engine::TokenChoice;
use crate::core::model::profile::{Profile, SecretSource};
use crate::core::model::secret::Secret;
use crate::core::secret_choice::SecretsNeeded;
use crate::core::store::profile_store::{self, ProfileStore};

use super::args::Global;
use super::outcome::CliError;
use super::prompt::TerminalPrompter;

/// Tokens larger than this are refused when read from stdin.
const MAX_STDIN: u64 = 1024 * 1024;

pub fn load_store(global: &Global) -> Result<ProfileStore, CliError> {
    let (dir, origin) =
        profile_store::resolve_dir(global.profiles.as_deref()).map_err(|e| CliError::profile(e.to_string()))?;
    profile_store::load_dir(&dir, origin).map_err(|e| CliError::profile(e.to_string()))
}

/// The profile named on the command line, or a profile error (exit 2).
pub fn find_profile(global: &Global, name: &str) -> Result<(String, Profile), CliError> {
    let store = load_store(global)?;
    if !store.exists {
        return Err(CliError::profile(format!(
            "no profile directory at {} (from {}); create it, pass --profiles DIR, or try `tokdbg demo`",
            store.dir.display(),
            store.origin.describe()
        )));
    }
    let (entry, profile) = store.find(name).map_err(|e| CliError::profile(e.to_string()))?;
    Ok((entry.stem.clone(), profile.clone()))
}

/// A token argument, or stdin for "-" / no argument.
pub fn token_argument(token: Option<&str>) -> Result<String, CliError> {
    match token {
        Some(text) if text != "-" => Ok(text.to_owned()),
        _ => {
            let mut buffer = String::new();
            std::io::stdin()
                .take(MAX_STDIN)
                .read_to_string(&mut buffer)
                .map_err(|e| CliError::usage(format!("cannot read the token from stdin: {e}")))?;
            if buffer.trim().is_empty() {
                return Err(CliError::usage("no token given (pass it as an argument, or pipe it on stdin)"));
            }
            Ok(buffer)
        }
    }
}

/// Reads a secret source, naming the profile field it came from in any error. Its warnings
/// (e.g. a `file:` with more than one line) go to stderr, so `--json` stdout stays one document.
pub fn resolve_secret(source: &SecretSource, field: &str, profile: &str) -> Result<Secret, CliError> {
    let resolved = source
        .resolve_noting(&format!("{field} of profile {profile}"), &TerminalPrompter)
        .map_err(|e| CliError::profile(format!("profile {profile}: {field}: {e}")))?;
    for warning in &resolved.warnings {
        super::stdout::errln!("tokdbg: warning: profile {profile}: {field}: {warning}");
    }
    Ok(resolved.secret)
}

/// Reads what `secret_choice` decided a call needs, client secret first: the engine's token
/// choice and the HMAC secret.
pub async fn read_needed(needs: SecretsNeeded, stem: &str) -> Result<(TokenChoice, Option<Secret>), CliError> {
    let read = |source: SecretSource| std::future::ready(resolve_secret(&source, "client.secret", stem));
    let choice = needs.token.into_choice(read).await?;
    let hmac = match &needs.hmac_secret {
        Some(source) => Some(resolve_secret(source, "expect.hmac_secret", stem)?),
        None => None,
    };
    Ok((choice, hmac))
}
