//! `tokdbg init URL` and `tokdbg import curl 'curl …'`: a draft profile printed (or saved
//! with `--write`, 0600, never over an existing file), each value with where it came from.

use std::io::Read as _;

use crate::core::draft::curl_draft::{self, ImportOptions};
use crate::core::draft::curl_import;
use crate::core::draft::init_draft::{self, InitOptions};
use crate::core::draft::{Draft, SecretPlacement};
use crate::core::engine::Engine;
use crate::core::model::profile::Profile;
use crate::core::store::{fsutil, profile_edit, profile_store};

use super::args::{DraftArgs, Global, InitArgs, SecretFrom};
use super::input::{apply_tls_flags, within_deadline};
use super::outcome::{CliError, CmdResult, Exit};
use super::paint::Paint;
use super::stdout::outln;

/// A pasted command longer than this is not one.
const MAX_COMMAND: u64 = 1024 * 1024;

pub fn run(global: &Global, paint: &Paint, runtime: &tokio::runtime::Runtime, args: &InitArgs) -> CmdResult {
    let url = profile_store::check_http_url(&args.url).map_err(|e| CliError::usage(format!("{}: {e}", args.url)))?;
    // --cacert / --insecure reach the API and its issuer as they reach every command.
    let mut settings = Profile::default();
    apply_tls_flags(global, &mut settings)?;
    let engine = Engine::new(global.http_config());
    let tls = engine.tls_needs(&settings, None);
    let facts = within_deadline(global, runtime, engine.init_facts(&url, &tls))?;
    let draft =
        init_draft::draft(&facts, &InitOptions { name: args.draft.name.clone(), secret: placement(&args.draft) });
    finish(global, paint, draft, &args.draft)
}

pub fn import_curl(global: &Global, paint: &Paint, command: &str, args: &DraftArgs) -> CmdResult {
    let command = if command == "-" {
        let mut buffer = String::new();
        std::io::stdin()
            .take(MAX_COMMAND)
            .read_to_string(&mut buffer)
            .map_err(|e| CliError::usage(format!("cannot read the curl command from stdin: {e}")))?;
        buffer
    } else {
        command.to_owned()
    };
    let request = curl_import::parse_command(&command).map_err(|e| CliError::usage(e.to_string()))?;
    let options = ImportOptions { name: args.name.clone(), secret: placement(args), cwd: std::env::current_dir().ok() };
    finish(global, paint, curl_draft::draft(&request, &options), args)
}

fn placement(args: &DraftArgs) -> SecretPlacement {
    match args.secret_from {
        SecretFrom::Prompt => SecretPlacement::Prompt,
        SecretFrom::Env => SecretPlacement::Env,
    }
}

/// Prints the draft (and saves it with `--write`); exit 0 whenever a draft was made.
fn finish(global: &Global, paint: &Paint, mut draft: Draft, args: &DraftArgs) -> CmdResult {
    // A draft that would not load is a bug here, not the user's to find later.
    profile_store::parse_profile(&draft.profile_toml, "draft")
        .map_err(|e| CliError::invalid(format!("the draft does not load as a profile ({e}); nothing written")))?;
    let written = if args.write { Some(write(global, &mut draft)?) } else { None };
    if global.json {
        let value = serde_json::json!({
            "name": draft.name,
            "profile_toml": draft.profile_toml,
            "sources": draft.sources,
            "notes": draft.notes,
            "written": written.as_ref().map(|p| p.display().to_string()),
        });
        super::stdout::json(&value);
        return Ok(Exit::Ok);
    }
    outln!("{}", draft.profile_toml.trim_end());
    if !draft.notes.is_empty() {
        outln!();
        outln!("{}", paint.bold("Notes"));
        for note in &draft.notes {
            let mark = if note.starts_with("warning:") { paint.yellow("!") } else { "·".to_owned() };
            outln!("  {mark} {note}");
        }
    }
    outln!();
    match written {
        Some(path) => outln!(
            "Written to {} (0600). Next: fill in what the notes name, then `tokdbg profiles check {}`.",
            path.display(),
            draft.name
        ),
        None => outln!("Not saved: add --write to save it as {}.toml in the profile directory.", draft.name),
    }
    Ok(Exit::Ok)
}

/// Saves the draft as `NAME.toml` in the profile directory, refusing a name that is taken.
fn write(global: &Global, draft: &mut Draft) -> Result<std::path::PathBuf, CliError> {
    let (dir, _) =
        profile_store::resolve_dir(global.profiles.as_deref()).map_err(|e| CliError::profile(e.to_string()))?;
    let stem = profile_edit::free_stem_among(&draft.name, |_| false);
    let path = dir.join(format!("{stem}.toml"));
    fsutil::write_private_new(&path, draft.profile_toml.as_bytes()).map_err(|e| {
        if e.kind == std::io::ErrorKind::AlreadyExists {
            CliError::profile(format!("{} already exists: not overwritten (choose another --name)", path.display()))
        } else {
            CliError::profile(e.to_string())
        }
    })?;
    draft.name = stem;
    Ok(path)
}
