//! Shared command plumbing: loading profiles, reading tokens from arguments or stdin, secrets.

use std::io::Read;

use crate::core::engine::TokenChoice;
use crate::core::model::credentials::{CredentialField, Credentials};
use crate::core::model::profile::{Profile, SecretSource};
use crate::core::model::secret::Secret;
use crate::core::model::secret_source::SecretShape;
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
    // The file named like the profile is the answer whenever it exists: one file parsed, not
    // the whole directory (most of a `call`'s own work before the network).
    let (dir, _) =
        profile_store::resolve_dir(global.profiles.as_deref()).map_err(|e| CliError::profile(e.to_string()))?;
    if let Some(found) = profile_store::find_by_stem(&dir, name) {
        return found.map_err(|e| CliError::profile(e.to_string()));
    }
    let store = load_store(global)?;
    if !store.exists {
        return Err(CliError::profile(format!(
            "no profile directory at {} (from {}); create it, pass --profiles DIR, or try `tokdbg demo`",
            store.dir.display(),
            store.origin.describe()
        )));
    }
    let (entry, profile) = store.find(name).map_err(|e| {
        let known = store.entries.iter().map(|e| e.stem.as_str());
        let hint = match e {
            profile_store::LookupError::NotFound { .. } => super::suggest::did_you_mean(name, known),
            _ => String::new(),
        };
        CliError::profile(format!("{e}{hint}"))
    })?;
    Ok((entry.stem.clone(), profile.clone()))
}

/// Applies `--cacert` / `--insecure` to the profile a network command uses, and refuses a
/// CA file that cannot be used before anything is sent (exit 2).
pub fn apply_tls_flags(global: &Global, profile: &mut Profile) -> Result<(), CliError> {
    use crate::core::model::tls_config::TlsOrigin;
    if let Some(path) = &global.cacert {
        profile.tls.ca_file = Some(path.display().to_string());
        profile.tls.ca_origin = TlsOrigin::Flag;
    }
    if global.insecure {
        profile.tls.insecure = true;
        profile.tls.insecure_origin = TlsOrigin::Flag;
    }
    crate::core::engine::tls::check(profile)
        .map_err(|e| if global.cacert.is_some() { CliError::usage(e) } else { CliError::profile(e) })
}

/// A token argument, or stdin for "-" / no argument.
pub fn token_argument(token: Option<&str>) -> Result<String, CliError> {
    match token {
        Some(text) if text != "-" => Ok(text.to_owned()),
        _ => {
            // A terminal on stdin means nobody piped anything: say what the wait is for.
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                super::stdout::errln!(
                    "tokdbg: reading the token from the terminal: paste it and press Ctrl-D, or pass it as an argument"
                );
            }
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
    resolve_shaped(source, field, SecretShape::Line, profile)
}

/// [`resolve_secret`] for one of the client's credentials (a key or a certificate is read whole).
fn resolve_credential(source: &SecretSource, field: CredentialField, profile: &str) -> Result<Secret, CliError> {
    resolve_shaped(source, field.label(), field.shape(), profile)
}

fn resolve_shaped(source: &SecretSource, field: &str, shape: SecretShape, profile: &str) -> Result<Secret, CliError> {
    let resolved = source
        .resolve_shaped(&format!("{field} of profile {profile}"), &TerminalPrompter, shape)
        .map_err(|e| CliError::profile(format!("profile {profile}: {field}: {e}")))?;
    for warning in &resolved.warnings {
        super::stdout::errln!("tokdbg: warning: profile {profile}: {field}: {warning}");
    }
    Ok(resolved.secret)
}

/// Reads what `secret_choice` decided a call needs, the client's credentials first: the
/// engine's token choice and the HMAC secret.
pub async fn read_needed(needs: SecretsNeeded, stem: &str) -> Result<(TokenChoice, Option<Secret>), CliError> {
    let read =
        |field: CredentialField, source: SecretSource| std::future::ready(resolve_credential(&source, field, stem));
    let choice = needs.token.into_choice(read).await?;
    let hmac = match &needs.hmac_secret {
        Some(source) => Some(resolve_secret(source, "expect.hmac_secret", stem)?),
        None => None,
    };
    Ok((choice, hmac))
}

/// Reads the client's credentials for introspecting a given or cached opaque token, when the
/// call will need them; one that cannot be read is warned about and introspection skipped.
pub async fn read_introspection(needs: &SecretsNeeded, stem: &str) -> Option<Credentials> {
    needs
        .read_introspection(|field: CredentialField, source: SecretSource| {
            let read = resolve_credential(&source, field, stem);
            if let Err(error) = &read {
                super::stdout::errln!("tokdbg: warning: the token is not introspected: {}", error.message);
            }
            std::future::ready(read)
        })
        .await
}

/// Runs a command's network work on `runtime`, given up after the command's deadline
/// (`--timeout` × 3): each request has its own timeout, this bounds them all together.
pub fn within_deadline<F: std::future::Future>(
    global: &Global,
    runtime: &tokio::runtime::Runtime,
    work: F,
) -> Result<F::Output, CliError> {
    let deadline = global.command_deadline();
    // The timer is made inside the runtime: tokio's clock exists only there.
    runtime.block_on(async { tokio::time::timeout(deadline, work).await }).map_err(|_| {
        CliError::network(format!(
            "gave up after {} s (the command's deadline: three times --timeout {} s)",
            deadline.as_secs(),
            global.request_timeout().as_secs()
        ))
    })
}
