//! `tokdbg profiles list|show|check`: what profiles exist, what one holds, which are broken.

use serde_json::json;

use crate::core::store::profile_store::ProfileEntry;

use super::args::{Global, ProfilesAction};
use super::columns;
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
        None => list(global, paint, false),
        Some(ProfilesAction::List { names }) => list(global, paint, *names),
        Some(ProfilesAction::Show { profile }) => show(global, profile),
        Some(ProfilesAction::Check { profile }) => check(global, paint, profile.as_deref()),
    }
}

/// The widest a `profiles list` column grows before its values are cut with "…".
const MAX_COLUMN: usize = 40;

fn list(global: &Global, paint: &Paint, names_only: bool) -> CmdResult {
    let store = load_store(global)?;
    if names_only {
        // One name per line and nothing else, for shell completion: no header, no error text
        // for a missing directory (no names), and only names safe to offer as words.
        for entry in &store.entries {
            if !entry.stem.chars().any(|c| c.is_whitespace() || crate::core::safe_text::is_unsafe(c)) {
                outln!("{}", entry.stem);
            }
        }
        return Ok(Exit::Ok);
    }
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
    let rows: Vec<[String; 4]> = store
        .entries
        .iter()
        .map(|entry| match &entry.loaded {
            Ok(profile) => [
                one(&entry.stem).into_owned(),
                one(entry.display_name()).into_owned(),
                one(&profile.issuer_host().unwrap_or_else(|| "-".to_owned())).into_owned(),
                one(profile.client.as_ref().map(|c| c.id.as_str()).unwrap_or("-")).into_owned(),
            ],
            Err(_) => [one(&entry.stem).into_owned(), String::new(), String::new(), String::new()],
        })
        .collect();
    let header = ["PROFILE", "NAME", "ISSUER", "CLIENT"];
    let widths: Vec<usize> = (0..4)
        .map(|i| rows.iter().map(|r| columns::width(&r[i])).chain([header[i].len()]).max().unwrap_or(0).min(MAX_COLUMN))
        .collect();
    let line = |cells: [&str; 4]| {
        let shown: Vec<String> = (0..3).map(|i| columns::cell(cells[i], widths[i])).collect();
        format!("{}  {}  {}  {}", shown[0], shown[1], shown[2], columns::fit(cells[3], widths[3])).trim_end().to_owned()
    };
    outln!("{}", paint.bold(&line(header)));
    for (entry, row) in store.entries.iter().zip(&rows) {
        match &entry.loaded {
            Ok(_) => outln!("{}", line([&row[0], &row[1], &row[2], &row[3]])),
            Err(error) => {
                outln!("{}  {}", columns::cell(&row[0], widths[0]), paint.red(&one(&format!("broken: {error}"))))
            }
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
    // Nothing checked is not "ok": a mistyped --profiles or $TOKDBG_PROFILES must not pass.
    if !store.exists {
        return Err(CliError::profile(format!(
            "no profile directory at {} (from {}): nothing to check",
            store.dir.display(),
            store.origin.describe()
        )));
    }
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
