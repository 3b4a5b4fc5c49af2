//! Finished tasks land here: results of cancelled or superseded tasks are dropped.

use std::sync::Arc;

use crate::core::clock;
use crate::core::diagnose::Verdict;
use crate::core::engine::trace::HopKind;
use crate::core::engine::{CallReport, TokenFetch, TokenSource};
use crate::core::model::profile::Profile;

use super::super::msg::{Cmd, Retry, TaskId, TaskResult};
use super::super::state::app::{AfterPrompt, App, Mode, PromptState};
use super::super::state::profiles::{LastOutcome, ProfileItem};
use super::super::state::session::{Pending, Session};

pub fn apply(app: &mut App, task: TaskId, result: TaskResult) -> Vec<Cmd> {
    // Not running any more means cancelled or superseded: the result is stale.
    let Some(running) = app.running.remove(&task) else { return Vec::new() };
    match result {
        TaskResult::Token(fetch) => token_fetched(app, task, running.stem, fetch),
        TaskResult::Introspected(run) => introspected(app, task, run),
        TaskResult::Call(report) => call_done(app, task, report),
        TaskResult::Verify(report) => {
            if let Mode::Paste(state) = &mut app.mode
                && state.pending == Some(task)
            {
                state.pending = None;
                let text = if report.valid {
                    "the pasted token verifies"
                } else {
                    "the pasted token does not verify: see the checks"
                };
                state.report = Some(report);
                app.info(text);
            }
        }
        TaskResult::Saved { stem, path, loaded, stamp } => {
            let before = app.profiles.by_stem_mut(&stem).and_then(|item| item.loaded.clone().ok());
            let endpoints_only = match (&before, loaded.as_ref()) {
                (Some(before), Ok(after)) => {
                    Profile { endpoints: Vec::new(), ..before.clone() }
                        == Profile { endpoints: Vec::new(), ..after.clone() }
                }
                _ => false,
            };
            let count = loaded.as_ref().as_ref().map(|p| p.endpoints.len()).unwrap_or(0);
            app.profiles.upsert(ProfileItem {
                stem: stem.clone(),
                path: path.clone(),
                loaded: *loaded,
                stamp,
                last: None,
            });
            app.profiles.select_stem(&stem);
            // The cached token was for the old settings, unless only the endpoints changed.
            let old = app.sessions.remove(&stem);
            if let Some(old) = old.filter(|_| endpoints_only) {
                let endpoint = old.endpoint.min(count.saturating_sub(1));
                app.sessions.insert(stem.clone(), Session { token: old.token, endpoint, ..Session::default() });
            }
            if matches!(app.mode, Mode::Form(_) | Mode::Request(_) | Mode::NewProfile(_)) {
                app.mode = Mode::Normal;
            }
            app.info(format!("saved {}", path.display()));
        }
        TaskResult::Deleted { stem } => {
            app.profiles.remove(&stem);
            app.sessions.remove(&stem);
            app.info(format!("deleted {stem}"));
        }
        TaskResult::Copied(what) => app.info(what),
        TaskResult::Reloaded(store) => reloaded(app, &store, true),
        TaskResult::SecretMissing { stem, error, retry } => secret_missing(app, task, stem, error, retry),
        TaskResult::Drafted(draft) => super::new_profile::drafted(app, task, *draft),
        TaskResult::Cancelled => app.info(format!("cancelled: {}", running.label)),
        TaskResult::Failed(error) => {
            if let Some(stem) = &running.stem {
                let session = app.session_mut(stem);
                if matches!(session.pending, Some(Pending::Token(t) | Pending::Call(t)) if t == task) {
                    session.pending = None;
                    session.failure = Some(error.clone());
                }
            }
            if let Mode::Paste(state) = &mut app.mode
                && state.pending == Some(task)
            {
                state.pending = None;
            }
            super::new_profile::failed(app, task, &error);
            app.error(error);
        }
    }
    Vec::new()
}

/// The profile directory as read again. A removed profile loses what this run knew of it; a
/// changed one keeps its answers and history, and loses its token only when what the token
/// depends on (issuer, client, expectations) changed. An open form on a changed file is warned.
pub fn reloaded(app: &mut App, store: &crate::core::store::profile_store::ProfileStore, asked: bool) {
    let before: std::collections::HashMap<String, Option<crate::core::model::profile::Profile>> =
        app.profiles.items.iter().map(|i| (i.stem.clone(), i.loaded.as_ref().ok().cloned())).collect();
    let reload = app.profiles.reload(store);
    for stem in &reload.removed {
        app.sessions.remove(stem);
    }
    for stem in &reload.changed {
        let old = before.get(stem).cloned().flatten();
        let new = app.profiles.items.iter().find(|i| &i.stem == stem).and_then(|i| i.loaded.as_ref().ok());
        let same_token = matches!((&old, new), (Some(old), Some(new))
            if old.issuer == new.issuer && old.client == new.client && old.expect == new.expect);
        if let Some(session) = app.sessions.get_mut(stem) {
            if !same_token {
                session.token = None;
                session.failure = None;
            }
            // The endpoint list may have shrunk.
            let count = new.map(|p| p.endpoints.len()).unwrap_or(0);
            session.endpoint = session.endpoint.min(count.saturating_sub(1));
        }
    }
    if let Mode::Form(form) = &app.mode
        && let Some(path) = &form.path
        && app.profiles.items.iter().any(|i| &i.path == path && reload.changed.contains(&i.stem))
    {
        app.warn("this file changed on disk while the form is open: saving will be refused (Esc, then e again)");
        return;
    }
    match (reload.is_empty(), asked) {
        (true, true) => app.info(format!("profiles reloaded from {}: no change", app.profiles.dir.display())),
        (true, false) => {}
        (false, _) => app.info(format!("profiles reloaded: {}", reload.summary())),
    }
}

/// The client secret's variable is unset: say so on the profile's tabs and ask for the secret,
/// then do what was asked again with it.
fn secret_missing(app: &mut App, task: TaskId, stem: String, error: String, retry: Retry) {
    let session = app.session_mut(&stem);
    if !matches!(session.pending, Some(Pending::Token(t) | Pending::Call(t)) if t == task) {
        return;
    }
    session.pending = None;
    session.failure = Some(error.clone());
    let then = match retry {
        Retry::FetchToken => AfterPrompt::FetchToken,
        Retry::Send { with_token } => AfterPrompt::Send { with_token },
        Retry::SendEdited(endpoint) => {
            app.pending_request = Some(endpoint);
            AfterPrompt::SendEdited
        }
    };
    app.warn(error.clone());
    app.mode = Mode::Prompt(Box::new(PromptState {
        stem: stem.clone(),
        label: format!("{error}. Type the client secret (SK) for {stem}; it is kept in memory for this run only"),
        input: tui_input::Input::default(),
        then,
    }));
}

fn token_fetched(app: &mut App, task: TaskId, stem: Option<String>, fetch: Box<TokenFetch>) {
    let Some(stem) = stem else { return };
    let session = app.session_mut(&stem);
    if session.pending != Some(Pending::Token(task)) {
        return;
    }
    session.pending = None;
    session.failure = None;
    let message = match (&fetch.access_token, fetch.findings.first()) {
        (Some(_), _) => {
            let valid = fetch.verification.as_ref().is_some_and(|v| v.valid);
            let expiry = fetch
                .token
                .expires_at
                .map(|exp| clock::expiry_phrase(exp, app.now))
                .unwrap_or_else(|| "no expiry".to_owned());
            Ok(format!(
                "token {} ({}, {expiry}){}",
                if fetch.token.source == TokenSource::Cached { "from cache" } else { "fetched" },
                fetch.token.alg.as_deref().unwrap_or("?"),
                if valid { ", verifies" } else { ", does NOT verify: see Verify" }
            ))
        }
        (None, Some(finding)) => {
            Err((finding.code.as_str().to_owned(), format!("{}: {}", finding.code, finding.message)))
        }
        (None, None) => Err((
            "token_request_failed".to_owned(),
            "no token endpoint: set issuer.url or issuer.token_endpoint".to_owned(),
        )),
    };
    app.session_mut(&stem).token = Some(fetch);
    match message {
        Ok(text) => app.info(text),
        Err((code, text)) => {
            if let Some(item) = app.profiles.by_stem_mut(&stem) {
                item.last = Some(LastOutcome { status: None, code });
            }
            app.error(text);
        }
    }
}

/// `i` on the Token tab: the answer joins the shown token.
fn introspected(app: &mut App, task: TaskId, run: Box<crate::core::engine::IntrospectionRun>) {
    let session = app.session_mut(&run.profile);
    if session.pending != Some(Pending::Token(task)) {
        return;
    }
    session.pending = None;
    let message = match run.introspection.active() {
        Some(true) => Ok("introspection: the token is active".to_owned()),
        Some(false) => Err("introspection: the token is NOT active (revoked, expired or unknown)".to_owned()),
        None => Err(format!("introspection failed: {}", run.introspection.error.as_deref().unwrap_or("no answer"))),
    };
    if let Some(fetch) = session.token.as_mut() {
        fetch.introspection = Some(run.introspection);
    }
    match message {
        Ok(text) => app.info(text),
        Err(text) => app.error(text),
    }
}

fn call_done(app: &mut App, task: TaskId, report: Arc<CallReport>) {
    let stem = report.profile.clone();
    let session = app.session_mut(&stem);
    if session.pending != Some(Pending::Call(task)) {
        return;
    }
    session.pending = None;
    session.failure = None;
    // A call that fetched or used a token, or tried to, refreshes the Token and Verify tabs.
    if report.token.source != TokenSource::None || report.token_request.is_some() {
        let access_token = session.token.as_ref().and_then(|t| t.access_token.clone());
        // A token the app handed over from its own fetch went out with that fetch's certificate.
        let kept_certificate = session
            .token
            .as_ref()
            .filter(|_| report.token.source == TokenSource::Cached)
            .and_then(|t| t.client_certificate.clone());
        session.token = Some(Box::new(TokenFetch {
            profile: stem.clone(),
            discovery: report.discovery.clone(),
            token_endpoint: report.token_request.as_ref().map(|r| r.request.url.clone()),
            jwks_uri: report.verification.as_ref().and_then(|v| v.key.as_ref().map(|k| k.source.clone())),
            token_request: report.token_request.clone(),
            token: report.token.clone(),
            verification: report.verification.clone(),
            // Without a token, the call's findings say why none came.
            findings: if report.access_token.is_none() { report.findings.clone() } else { Vec::new() },
            // The call's requests for its token: all but the API's.
            trace: report.trace.iter().filter(|hop| hop.hop != HopKind::Api).cloned().collect(),
            access_token: report.access_token.clone().or(access_token),
            introspection: report.introspection.clone(),
            dpop: report.dpop.clone(),
            client_certificate: report.token_client_certificate.clone().or(kept_certificate),
        }));
    }
    session.call = Some(report.clone());
    // The Trace tab opens on the hop the call failed at.
    session.hop = crate::core::engine::trace::failing_hop(&report.trace).unwrap_or(0);
    app.history.push(report.clone());
    let primary = report.findings.first();
    if let Some(item) = app.profiles.by_stem_mut(&stem) {
        item.last = Some(LastOutcome {
            status: report.response.as_ref().map(|r| r.status),
            code: primary.map(|f| f.code.as_str().to_owned()).unwrap_or_default(),
        });
    }
    let status = report.response.as_ref().map(|r| format!("{} ", r.status)).unwrap_or_default();
    let text = format!(
        "{status}{} — {}",
        report.verdict.as_str(),
        // "ok: allowed: …" would say allowed three times in one line.
        primary
            .map(|f| match f.code {
                crate::core::findings::Code::Ok => f.message.trim_start_matches("allowed: ").to_owned(),
                _ => format!("{}: {}", f.code, f.message),
            })
            .unwrap_or_default()
    );
    match report.verdict {
        Verdict::Allowed => app.info(text),
        Verdict::Denied | Verdict::Error => app.error(text),
    }
}
