//! `tokdbg check-api PATH [--profile P | --issuer URL]`: the verifier settings of an API's
//! code and config, each with file:line, judged against the live issuer (and a token fetched
//! for the profile); the findings' fixes are the lines to write.

use std::fmt::Write as _;

use crate::core::api_config::compare::{LiveFacts, compare};
use crate::core::api_config::walk::{self, Limits};
use crate::core::api_config::{ApiSetting, SettingKind};
use crate::core::engine::api_check::live_token;
use crate::core::engine::{Engine, TokenChoice};
use crate::core::findings::{Finding, Severity};
use crate::core::model::profile::Profile;
use crate::core::safe_text::visible_line;
use crate::core::secret_choice::{self, TokenWanted};

use super::args::{CheckApiArgs, Global};
use super::input::{apply_tls_flags, find_profile, read_needed, within_deadline};
use super::outcome::{CliError, CmdResult, Exit};
use super::paint::Paint;
use super::stdout::out;

/// Where the issuer compared with came from.
struct Asked {
    url: String,
    from: String,
}

pub fn run(global: &Global, paint: &Paint, runtime: &tokio::runtime::Runtime, args: &CheckApiArgs) -> CmdResult {
    let walked = walk::walk(&args.path, Limits::default())
        .map_err(|e| CliError::usage(format!("cannot read {}: {e}", args.path.display())))?;
    let settings = walked.settings;
    let mut notes = walked.notes;
    let (stem, mut profile) = match &args.profile {
        Some(name) => {
            let (stem, profile) = find_profile(global, name)?;
            (Some(stem), profile)
        }
        None => (None, Profile::default()),
    };
    apply_tls_flags(global, &mut profile)?;
    let asked = asked_issuer(args, stem.as_deref(), &profile, &settings)?;
    crate::core::store::profile_store::check_http_url(&asked.url)
        .map_err(|e| CliError::usage(format!("issuer {} ({}): {e}", asked.url, asked.from)))?;

    let engine = Engine::new(global.http_config());
    let token = match &stem {
        Some(stem) => fetch_token(global, runtime, &engine, stem, &profile, &mut notes)?,
        None => None,
    };
    let client_id = profile.client.as_ref().map(|c| c.id.clone()).filter(|id| !id.is_empty());
    let tls = engine.tls_needs(&profile, None);
    let facts =
        within_deadline(global, runtime, engine.api_live_facts(&asked.url, &settings, &tls, token.clone(), client_id))?;
    let findings = if settings.is_empty() {
        notes.push(format!("no verifier settings found in {} file(s) read", walked.files_read));
        Vec::new()
    } else {
        compare(&settings, &facts)
    };
    let exit = if findings.iter().any(|f| f.severity == Severity::Error) { Exit::Denied } else { Exit::Ok };

    if global.json {
        let discovery = match &facts.discovery {
            Ok(d) => serde_json::json!({ "url": d.url, "issuer": d.issuer, "jwks_uri": d.jwks_uri }),
            Err(error) => serde_json::json!({ "error": error }),
        };
        let value = serde_json::json!({
            "path": args.path.display().to_string(),
            "issuer": { "url": asked.url, "from": asked.from },
            "discovery": discovery,
            "files_read": walked.files_read,
            "api_config": settings,
            "findings": findings,
            "notes": notes,
        });
        super::stdout::json(&value);
    } else {
        out!("{}", human(paint, args, &asked, &facts, walked.files_read, &settings, &findings, &notes));
    }
    Ok(exit)
}

/// `--issuer`, else the profile's issuer, else the first the config names.
fn asked_issuer(
    args: &CheckApiArgs,
    stem: Option<&str>,
    profile: &Profile,
    settings: &[ApiSetting],
) -> Result<Asked, CliError> {
    if let Some(url) = &args.issuer {
        return Ok(Asked { url: url.clone(), from: "--issuer".to_owned() });
    }
    if let Some(stem) = stem {
        let url = profile.issuer.url.clone().ok_or_else(|| {
            CliError::profile(format!("profile {stem} has no issuer.url: pass --issuer URL to say where to compare"))
        })?;
        return Ok(Asked { url, from: format!("profile {stem}") });
    }
    for kind in [SettingKind::Issuer, SettingKind::IssuerBaseUrl] {
        let found = settings.iter().find(|s| s.setting == kind).and_then(|s| Some((s, s.comparable()?.first()?)));
        if let Some((setting, value)) = found {
            let url = if value.contains("://") { value.clone() } else { format!("https://{value}") };
            return Ok(Asked { url, from: setting.location() });
        }
    }
    Err(CliError::usage(format!(
        "{} names no issuer to compare with: pass --issuer URL or --profile P",
        args.path.display()
    )))
}

/// A token for the profile, as the API would receive it; a fetch that fails is a note.
fn fetch_token(
    global: &Global,
    runtime: &tokio::runtime::Runtime,
    engine: &Engine,
    stem: &str,
    profile: &Profile,
    notes: &mut Vec<String>,
) -> Result<Option<crate::core::api_config::compare::LiveToken>, CliError> {
    let Ok(needs) = secret_choice::secrets_needed(profile, TokenWanted::Fetch { force: false }, None) else {
        notes.push(format!("profile {stem} has no [client]: no token to compare the audience and scopes with"));
        return Ok(None);
    };
    let (choice, hmac_secret) = runtime.block_on(read_needed(needs, stem))?;
    let TokenChoice::Fetch { credentials, force } = choice else { return Ok(None) };
    let fetch = within_deadline(global, runtime, engine.fetch_token(stem, profile, credentials, force, hmac_secret))?;
    match &fetch.token.decoded {
        Some(decoded) => Ok(Some(live_token(decoded))),
        None => {
            let why = fetch.findings.first().map_or("not a JWT".to_owned(), |f| f.message.clone());
            notes.push(format!("no token to compare with: {why}"));
            Ok(None)
        }
    }
}

/// A setting's value as the table shows it.
fn shown_value(setting: &ApiSetting) -> String {
    let mut text = match (&setting.value, &setting.env) {
        (None, Some(env)) => format!("(from env {env}, not set here)"),
        (Some(value), Some(env)) => format!("{value}  (env {env} overrides)"),
        (Some(value), None) => value.clone(),
        (None, None) => "(not a fixed value)".to_owned(),
    };
    if setting.implied {
        text.push_str("  (default, not written)");
    }
    if setting.templated {
        text.push_str("  (template, not compared)");
    }
    text
}

#[allow(clippy::too_many_arguments)]
fn human(
    p: &Paint,
    args: &CheckApiArgs,
    asked: &Asked,
    facts: &LiveFacts,
    files_read: usize,
    settings: &[ApiSetting],
    findings: &[Finding],
    notes: &[String],
) -> String {
    let one = |text: &str| visible_line(text).into_owned();
    let label = |name: &str| p.bold(&format!("{name:<10}"));
    let mut out = String::new();
    let _ = writeln!(out, "{} {} ({files_read} file(s) read)", label("path"), one(&args.path.display().to_string()));
    let _ = writeln!(out, "{} {} (from {})", label("issuer"), one(&asked.url), one(&asked.from));
    match &facts.discovery {
        Ok(d) => {
            let issuer = d.issuer.as_deref().unwrap_or("(no issuer)");
            let jwks = d.jwks_uri.as_deref().unwrap_or("(no jwks_uri)");
            let _ = writeln!(out, "{} issuer {} · jwks_uri {}", label("discovery"), one(issuer), one(jwks));
        }
        Err(error) => {
            let _ = writeln!(out, "{} {}", label("discovery"), p.red(&one(error)));
        }
    }
    if let Some(token) = &facts.token {
        let aud = token.claims.get("aud").map(|a| a.to_string()).unwrap_or_else(|| "(no aud)".to_owned());
        let alg = token.alg.as_deref().unwrap_or("(no alg)");
        let _ = writeln!(out, "{} fetched · {} · aud {}", label("token"), one(alg), one(&aud));
    }
    let _ = writeln!(out, "\n{}", p.bold("api config"));
    let width = settings.iter().map(|s| s.setting.as_str().len()).max().unwrap_or(0).max(7);
    for setting in settings {
        let value = super::columns::fit(&one(&shown_value(setting)), 72);
        let pad = 72usize.saturating_sub(super::columns::width(&value));
        let _ = writeln!(
            out,
            "  {:<width$}  {value}{}  {}",
            setting.setting.as_str(),
            " ".repeat(pad),
            one(&setting.location())
        );
    }
    if settings.is_empty() {
        let _ = writeln!(out, "  (none found)");
    }
    if !findings.is_empty() {
        let _ = writeln!(out, "\n{}", p.bold("findings"));
        // One at a time: the settings' problems are independent, none is "the primary cause".
        for finding in findings {
            out.push_str(&super::render::findings(p, std::slice::from_ref(finding)));
        }
    }
    for note in notes {
        let _ = writeln!(out, "{} {}", label("note"), p.yellow(&one(note)));
    }
    out
}
