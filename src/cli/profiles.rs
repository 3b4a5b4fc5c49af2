//! `tokdbg profiles list|show|check`: what profiles exist, what one holds, which are broken.

use serde_json::json;

use crate::core::store::profile_store::ProfileEntry;

use super::args::{Global, ProfilesAction};
use super::input::{find_profile, load_store};
use super::outcome::{CliError, CmdResult, Exit};
use super::paint::Paint;
use super::stdout::outln;

/// A file name or profile value in a column: shown on its one line, whatever it holds.
fn one(text: &str) -> std::borrow::Cow<'_, str> {
    crate::core::safe_text::visible_line(text)
}

fn entry_json(entry: &ProfileEntry) -> serde_json::Value {
    match &entry.loaded {
        Ok(profile) => json!({
            "stem": entry.stem,
            "name": entry.display_name(),
            "path": entry.path,
            "ok": true,
            "issuer": profile.issuer.url,
            "client_id": profile.client.as_ref().map(|c| &c.id),
            "endpoints": profile.endpoints.iter().map(|e| &e.name).collect::<Vec<_>>(),
            "warnings": profile.warnings(),
        }),
        Err(error) => json!({ "stem": entry.stem, "path": entry.path, "ok": false, "error": error.to_string() }),
    }
}

pub fn run(global: &Global, paint: &Paint, action: Option<&ProfilesAction>) -> CmdResult {
    match action {
        None | Some(ProfilesAction::List) => list(global, paint),
        Some(ProfilesAction::Show { profile }) => show(global, profile),
        Some(ProfilesAction::Check { profile }) => check(global, paint, profile.as_deref()),
    }
}

fn list(global: &Global, paint: &Paint) -> CmdResult {
    let store = load_store(global)?;
    if global.json {
        let entries: Vec<_> = store.entries.iter().map(entry_json).collect();
        super::stdout::json(&json!({ "dir": store.dir, "profiles": entries }));
        return Ok(Exit::Ok);
    }
    if store.entries.is_empty() {
        outln!(
            "No profiles in {} (from {}).\nCreate one (see profiles/ in the tokdbg repository for examples), or try `tokdbg demo`.",
            store.dir.display(),
            store.origin.describe()
        );
        return Ok(Exit::Ok);
    }
    for entry in &store.entries {
        match &entry.loaded {
            Ok(profile) => outln!(
                "{:<24} {:<28} {:<22} {}",
                one(&entry.stem),
                one(entry.display_name()),
                one(&profile.issuer_host().unwrap_or_else(|| "-".to_owned())),
                one(profile.client.as_ref().map(|c| c.id.as_str()).unwrap_or("-"))
            ),
            Err(error) => outln!("{:<24} {}", one(&entry.stem), paint.red(&format!("broken: {error}"))),
        }
    }
    Ok(Exit::Ok)
}

fn show(global: &Global, name: &str) -> CmdResult {
    let (stem, mut profile) = find_profile(global, name)?;
    // Serializing a profile writes secret sources by description: a literal shows as [redacted].
    // Credential headers of endpoints are shown as curl exports show them: redacted.
    for endpoint in &mut profile.endpoints {
        for (header, value) in endpoint.headers.iter_mut() {
            if crate::core::net::scrub::is_credential_header(header) {
                *value = crate::core::net::scrub::REDACTED.to_owned();
            }
        }
    }
    if global.json {
        let value = json!({ "stem": stem, "profile": profile, "warnings": profile.warnings() });
        super::stdout::json(&value);
    } else {
        let text = toml::to_string_pretty(&profile)
            .map_err(|e| CliError::profile(format!("cannot show profile {stem}: {e}")))?;
        outln!("# {stem}\n{text}");
        for warning in profile.warnings() {
            outln!("# warning: {}", one(&warning));
        }
    }
    Ok(Exit::Ok)
}

fn check(global: &Global, paint: &Paint, only: Option<&str>) -> CmdResult {
    let store = load_store(global)?;
    let entries: Vec<&ProfileEntry> = match only {
        Some(name) => {
            let entry = store.entries.iter().find(|e| e.stem == name || e.display_name().eq_ignore_ascii_case(name));
            vec![
                entry.ok_or_else(|| {
                    CliError::profile(format!("no profile named \"{name}\" in {}", store.dir.display()))
                })?,
            ]
        }
        None => store.entries.iter().collect(),
    };
    let broken = entries.iter().filter(|e| e.loaded.is_err()).count();
    if global.json {
        let list: Vec<_> = entries.iter().map(|e| entry_json(e)).collect();
        super::stdout::json(&json!({ "dir": store.dir, "ok": broken == 0, "profiles": list }));
    } else {
        for entry in &entries {
            match &entry.loaded {
                Ok(profile) => {
                    outln!("{} {}", paint.green("ok    "), one(&entry.stem));
                    for warning in profile.warnings() {
                        outln!("       {}", paint.yellow(&format!("warning: {}", one(&warning))));
                    }
                }
                Err(error) => outln!("{} {}", paint.red("broken"), error),
            }
        }
        outln!("{} profile(s), {broken} broken", entries.len());
    }
    Ok(if broken == 0 { Exit::Ok } else { Exit::Usage })
}
