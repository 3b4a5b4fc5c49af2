//! The actions keys and clicks trigger: fetch, send, cancel, copy — each returns commands.

use crate::core::model::profile::{Endpoint, Profile, SecretSource};
use crate::core::model::secret::Secret;
use crate::core::secret_choice::{self, TokenWanted};

use super::super::msg::Cmd;
use super::super::state::app::{AfterPrompt, App, Mode, PromptState};
use super::super::state::session::{Pending, SentRequest};

/// The selected profile, if it loaded; otherwise a status message and `None`.
fn selected_profile(app: &mut App) -> Option<(String, Profile)> {
    let Some(item) = app.profiles.selected() else {
        app.warn("no profile selected");
        return None;
    };
    match &item.loaded {
        Ok(profile) => Some((item.stem.clone(), profile.clone())),
        Err(error) => {
            let text = format!("{} is broken: {error}", item.stem);
            app.error(text);
            None
        }
    }
}

/// The secret typed at the prompt when the call will read the client secret from a `prompt`
/// source: `Some(None)` when nothing needs typing, `None` after opening the prompt for it.
/// What a call reads is `secret_choice`'s decision; the task makes it again knowing the cache.
fn prompted_secret(
    app: &mut App,
    stem: &str,
    profile: &Profile,
    wanted: TokenWanted,
    then: AfterPrompt,
) -> Option<Option<Secret>> {
    // No fresh cached token is assumed here: the cache lives in the engine, and a cached token
    // of a `prompt` profile means its secret was typed in this run already.
    // Without a client the task reports why (callers warn before getting here).
    let Ok(needs) = secret_choice::secrets_needed(profile, wanted, None) else { return Some(None) };
    // A secret typed for this profile also stands in for an unset `env:` variable (the task
    // reads the variable first; see `TaskResult::SecretMissing`).
    match needs.token.credentials().and_then(|c| c.secret.as_ref()) {
        Some(SecretSource::Env(_)) => return Some(app.prompted.get(stem).cloned()),
        Some(SecretSource::Prompt) => {}
        _ => return Some(None),
    }
    if let Some(secret) = app.prompted.get(stem) {
        return Some(Some(secret.clone()));
    }
    let client_id = profile.client.as_ref().map(|c| c.id.as_str()).unwrap_or("?");
    app.mode = Mode::Prompt(Box::new(PromptState {
        stem: stem.to_owned(),
        label: format!("client secret (SK) of {client_id} for {stem}"),
        input: tui_input::Input::default(),
        then,
    }));
    None
}

/// Introspects the token the Token tab shows (RFC 7662) with the profile's client.
pub fn introspect(app: &mut App) -> Vec<Cmd> {
    let Some((stem, profile)) = selected_profile(app) else { return Vec::new() };
    if profile.client.is_none() {
        app.warn(format!("{stem} has no [client] section: introspection needs the client's credentials"));
        return Vec::new();
    }
    let Some(token) = app.session_mut(&stem).token.as_ref().and_then(|t| t.access_token.clone()) else {
        app.warn("no token to introspect yet: press t to fetch one");
        return Vec::new();
    };
    let prompted = app.prompted.get(&stem).cloned();
    let mut cmds = cancel_pending(app, &stem);
    app.status = None;
    let task = app.new_task(format!("introspecting the token of {stem}"), Some(&stem));
    app.session_mut(&stem).pending = Some(Pending::Token(task));
    cmds.push(Cmd::Introspect { task, stem, profile: Box::new(profile), token, prompted });
    cmds
}

/// Fetches a token for the selected profile (always a new one: the user asked).
pub fn fetch_token(app: &mut App) -> Vec<Cmd> {
    let Some((stem, profile)) = selected_profile(app) else { return Vec::new() };
    if profile.client.is_none() {
        app.warn(format!("{stem} has no [client] section: nothing to fetch a token with (paste one with p)"));
        return Vec::new();
    }
    let wanted = TokenWanted::Fetch { force: true };
    let Some(prompted) = prompted_secret(app, &stem, &profile, wanted, AfterPrompt::FetchToken) else {
        return Vec::new();
    };
    let mut cmds = cancel_pending(app, &stem);
    // The previous answer must not read as this request's while it runs.
    app.status = None;
    let task = app.new_task(format!("fetching a token for {stem}"), Some(&stem));
    app.session_mut(&stem).pending = Some(Pending::Token(task));
    cmds.push(Cmd::FetchToken { task, stem, profile: Box::new(profile), prompted });
    cmds
}

/// Sends the selected endpoint of the selected profile.
pub fn send(app: &mut App, with_token: bool) -> Vec<Cmd> {
    send_endpoint(app, None, with_token)
}

/// Sends `edited` (a request from the editor), else the selected endpoint.
pub fn send_endpoint(app: &mut App, edited: Option<Endpoint>, with_token: bool) -> Vec<Cmd> {
    let Some((stem, profile)) = selected_profile(app) else { return Vec::new() };
    let index = app.session(&stem).map(|s| s.endpoint).unwrap_or(0);
    let chosen = edited.clone().or_else(|| profile.endpoints.get(index).or(profile.endpoints.first()).cloned());
    let Some(endpoint) = chosen else {
        app.warn(format!("{stem} has no endpoints: add some in the profile form (e), or send an ad-hoc URL (a)"));
        return Vec::new();
    };
    let then = if edited.is_some() { AfterPrompt::SendEdited } else { AfterPrompt::Send { with_token } };
    let prompted = if with_token {
        if profile.client.is_none() {
            app.warn(format!("{stem} has no [client] section: send without a token with b"));
            return Vec::new();
        }
        match prompted_secret(app, &stem, &profile, TokenWanted::Fetch { force: false }, then) {
            Some(prompted) => prompted,
            None => {
                app.pending_request = edited;
                return Vec::new();
            }
        }
    } else {
        None
    };
    let mut cmds = cancel_pending(app, &stem);
    app.status = None;
    let unedited_index = edited.is_none().then_some(index);
    app.session_mut(&stem).sent = Some(SentRequest { endpoint: endpoint.clone(), with_token, unedited_index });
    let how = if with_token { "" } else { " without a token" };
    let task = app.new_task(format!("{} {}{how}", endpoint.method, endpoint.url), Some(&stem));
    app.session_mut(&stem).pending = Some(Pending::Call(task));
    let edited = edited.is_some();
    cmds.push(Cmd::Call {
        task,
        stem,
        profile: Box::new(profile),
        endpoint,
        prompted,
        with_token,
        edited,
        given: None,
    });
    cmds
}

/// Sends the selected endpoint with a token the user pasted (`call --token` in the TUI).
pub fn send_with_given_token(app: &mut App, token: Secret) -> Vec<Cmd> {
    let Some((stem, profile)) = selected_profile(app) else { return Vec::new() };
    let index = app.session(&stem).map(|s| s.endpoint).unwrap_or(0);
    let Some(endpoint) = profile.endpoints.get(index).or(profile.endpoints.first()).cloned() else {
        app.warn(format!("{stem} has no endpoints: add some in the profile form (e)"));
        return Vec::new();
    };
    app.mode = Mode::Normal;
    let mut cmds = cancel_pending(app, &stem);
    app.status = None;
    let task = app.new_task(format!("{} {} with the pasted token", endpoint.method, endpoint.url), Some(&stem));
    app.session_mut(&stem).pending = Some(Pending::Call(task));
    app.session_mut(&stem).sent =
        Some(SentRequest { endpoint: endpoint.clone(), with_token: true, unedited_index: Some(index) });
    cmds.push(Cmd::Call {
        task,
        stem,
        profile: Box::new(profile),
        endpoint,
        prompted: None,
        with_token: true,
        edited: false,
        given: Some(token),
    });
    cmds
}

/// A new request for a profile supersedes the one still running.
fn cancel_pending(app: &mut App, stem: &str) -> Vec<Cmd> {
    let pending = app.session_mut(stem).pending.take();
    match pending {
        Some(Pending::Token(task) | Pending::Call(task)) => {
            app.running.remove(&task);
            vec![Cmd::Cancel(task)]
        }
        None => Vec::new(),
    }
}

/// Esc in normal mode: cancel what the selected profile is waiting for.
pub fn cancel_selected(app: &mut App) -> Vec<Cmd> {
    let Some(stem) = app.selected_stem() else { return Vec::new() };
    let cmds = cancel_pending(app, &stem);
    if !cmds.is_empty() {
        app.info("cancelled");
    }
    cmds
}
