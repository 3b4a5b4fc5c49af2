//! `tokdbg introspect` (RFC 7662) and `tokdbg revoke` (RFC 7009): ask the issuer about a
//! token, or to revoke it, with the profile client's own credentials.

use std::fmt::Write as _;

use crate::core::clock;
use crate::core::engine::{Engine, IntrospectionRun, RevocationRun, TokenChoice};
use crate::core::model::credentials::Credentials;
use crate::core::model::secret::Secret;
use crate::core::secret_choice::{self, TokenWanted};

use super::args::Global;
use super::input::{find_profile, read_needed, token_argument, within_deadline};
use super::outcome::{CliError, CmdResult, Exit};
use super::paint::Paint;
use super::render;
use super::stdout::{json, out};

/// The client's credentials for `stem`, read as a token request would read them.
fn client_credentials(
    global: &Global,
    runtime: &tokio::runtime::Runtime,
    name: &str,
    what: &str,
) -> Result<(String, crate::core::model::profile::Profile, Credentials), CliError> {
    let (stem, profile) = find_profile(global, name)?;
    let needs = secret_choice::secrets_needed(&profile, TokenWanted::Fetch { force: true }, None).map_err(|_| {
        CliError::profile(format!("profile {stem} has no [client] section: {what} needs the client's credentials"))
    })?;
    let (choice, _) = runtime.block_on(read_needed(needs, &stem))?;
    let TokenChoice::Fetch { credentials, .. } = choice else {
        return Err(CliError::profile(format!("profile {stem}: the client's credentials were not read")));
    };
    Ok((stem, profile, credentials))
}

/// The token named on the command line: itself, or stdin for `-`.
fn given_token(token: Option<&str>) -> Result<Option<Secret>, CliError> {
    match token {
        None => Ok(None),
        Some(text) => Ok(Some(Secret::new(token_argument(Some(text))?.trim()))),
    }
}

pub fn run_introspect(
    global: &Global,
    paint: &Paint,
    runtime: &tokio::runtime::Runtime,
    name: &str,
    token: Option<&str>,
) -> CmdResult {
    let token = given_token(token)?;
    let (stem, profile, credentials) = client_credentials(global, runtime, name, "introspection")?;
    let engine = Engine::new(global.http_config());
    let run = within_deadline(global, runtime, engine.introspect(&stem, &profile, token, credentials))?;
    let exit = match run.introspection.active() {
        Some(true) => Exit::Ok,
        Some(false) => Exit::Denied,
        None if run.network_unreachable() => Exit::Network,
        // No endpoint known: the profile says too little.
        None if run.introspection.endpoint.is_none() && run.token.source != crate::core::engine::TokenSource::None => {
            Exit::Usage
        }
        None => Exit::Denied,
    };
    if global.json {
        json(&introspection_json(&run));
    } else {
        out!("{}", render_introspection(paint, &run));
    }
    Ok(exit)
}

/// `introspect --json`: the introspection response's members (with `active`) at the top, and
/// tokdbg's own fields after them.
pub fn introspection_json(run: &IntrospectionRun) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    if let Some(answer) = &run.introspection.answer {
        object.extend(answer.members.clone());
        object.insert("active".to_owned(), answer.active.into());
    }
    let report = &run.introspection;
    let ours = serde_json::json!({
        "profile": run.profile,
        "introspection_endpoint": report.endpoint,
        "status": report.status,
        "request": report.request,
        "latency_ms": report.latency_ms,
        "token": run.token,
        "token_request": run.token_request,
        "discovery": run.discovery,
        "findings": run.findings,
        "trace": run.trace,
    });
    if let serde_json::Value::Object(ours) = ours {
        object.extend(ours);
    }
    for (key, value) in [
        ("error", report.error.clone()),
        ("oauth_error", report.oauth_error.clone()),
        ("raw_body", report.raw_body.clone()),
    ] {
        if let Some(value) = value {
            object.insert(key.to_owned(), value.into());
        }
    }
    if let Some(answer) = &report.answer
        && !answer.notes.is_empty()
    {
        object.insert("notes".to_owned(), serde_json::json!(answer.notes));
    }
    serde_json::Value::Object(object)
}

fn render_introspection(p: &Paint, run: &IntrospectionRun) -> String {
    let mut out = String::new();
    let report = &run.introspection;
    let label = |name: &str| p.bold(&format!("{name:<11}"));
    let line = |text: &str| crate::core::safe_text::visible_line(text).into_owned();
    let verdict = match report.active() {
        Some(true) => p.green("ACTIVE"),
        Some(false) => p.red("INACTIVE"),
        None => p.red("ERROR"),
    };
    let _ = writeln!(out, "{verdict}  introspection of a token of {}", line(&run.profile));
    if let Some(endpoint) = &report.endpoint {
        let status = report.status.map(|s| format!("  → {}", p.status(s))).unwrap_or_default();
        let _ = writeln!(out, "  {} POST {}{status}", label("endpoint"), line(endpoint));
    }
    if let Some(answer) = &report.answer {
        let now = clock::now_unix();
        for (key, value) in &answer.members {
            let shown = match (key.as_str(), value.as_i64()) {
                ("exp" | "iat" | "nbf", Some(at)) => {
                    format!("{at} ({}, {})", clock::format_utc(at), clock::relative(at, now))
                }
                _ => match value {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                },
            };
            let _ = writeln!(out, "  {} {}", label(key), line(&shown));
        }
        for note in &answer.notes {
            let _ = writeln!(out, "  {} {}", p.yellow("note"), line(note));
        }
    }
    if !run.findings.is_empty() {
        out.push('\n');
        out.push_str(&render::findings(p, &run.findings));
    }
    out
}

pub fn run_revoke(
    global: &Global,
    paint: &Paint,
    runtime: &tokio::runtime::Runtime,
    name: &str,
    token: &str,
) -> CmdResult {
    let token = given_token(Some(token))?.unwrap_or_else(|| Secret::new(""));
    let (stem, profile, credentials) = client_credentials(global, runtime, name, "revocation")?;
    let engine = Engine::new(global.http_config());
    let run = within_deadline(global, runtime, engine.revoke(&stem, &profile, token, credentials))?;
    let report = &run.revocation;
    let exit = if report.revoked {
        Exit::Ok
    } else if report.unreachable() {
        Exit::Network
    } else if report.endpoint.is_none() || report.request.is_none() {
        Exit::Usage
    } else {
        Exit::Denied
    };
    if global.json {
        json(&run);
    } else {
        out!("{}", render_revocation(paint, &run));
    }
    Ok(exit)
}

fn render_revocation(p: &Paint, run: &RevocationRun) -> String {
    let report = &run.revocation;
    let line = |text: &str| crate::core::safe_text::visible_line(text).into_owned();
    let mut out = String::new();
    if report.revoked {
        let _ = writeln!(
            out,
            "{}  the issuer accepted the revocation (RFC 7009: also said of a token it does not know)",
            p.green("REVOKED")
        );
    } else {
        let _ = writeln!(out, "{}  {}", p.red("NOT REVOKED"), line(report.error.as_deref().unwrap_or("no answer")));
    }
    if let Some(endpoint) = &report.endpoint {
        let status = report.status.map(|s| format!("  → {}", p.status(s))).unwrap_or_default();
        let _ = writeln!(out, "  {} POST {}{status}", p.bold("endpoint   "), line(endpoint));
    }
    if let Some(body) = &report.raw_body {
        let _ = writeln!(out, "  {} {}", p.bold("answer     "), line(body));
    }
    out
}
