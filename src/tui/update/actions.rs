//! The actions keys and clicks trigger: fetch, send, cancel, copy — each returns commands.

use crate::core::model::profile::{Endpoint, Profile, SecretSource};

use super::super::msg::{Cmd, SecretPlan};
use super::super::state::app::{AfterPrompt, App, Mode, PromptState};
use super::super::state::session::Pending;

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

/// How the client secret will be found, or `None` after opening the prompt for it.
fn secret_plan(app: &mut App, stem: &str, profile: &Profile, then: AfterPrompt) -> Option<Option<SecretPlan>> {
    let Some(client) = &profile.client else {
        return Some(None);
    };
    match &client.secret {
        SecretSource::Prompt => match app.prompted.get(stem) {
            Some(secret) => Some(Some(SecretPlan::Known(secret.clone()))),
            None => {
                app.mode = Mode::Prompt(Box::new(PromptState {
                    stem: stem.to_owned(),
                    label: format!("client secret (SK) of {} for {stem}", client.id),
                    input: tui_input::Input::default(),
                    then,
                }));
                None
            }
        },
        other => Some(Some(SecretPlan::Source(other.clone()))),
    }
}

fn hmac_plan(profile: &Profile) -> Option<SecretPlan> {
    profile.expect.hmac_secret.clone().map(SecretPlan::Source)
}

/// Fetches a token for the selected profile (always a new one: the user asked).
pub fn fetch_token(app: &mut App) -> Vec<Cmd> {
    let Some((stem, profile)) = selected_profile(app) else { return Vec::new() };
    if profile.client.is_none() {
        app.warn(format!("{stem} has no [client] section: nothing to fetch a token with (paste one with p)"));
        return Vec::new();
    }
    let Some(Some(secret)) = secret_plan(app, &stem, &profile, AfterPrompt::FetchToken) else { return Vec::new() };
    let mut cmds = cancel_pending(app, &stem);
    let task = app.new_task(format!("fetching a token for {stem}"), Some(&stem));
    app.session_mut(&stem).pending = Some(Pending::Token(task));
    let hmac = hmac_plan(&profile);
    cmds.push(Cmd::FetchToken { task, stem, profile: Box::new(profile), secret, hmac, force: true });
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
        app.warn(format!(
            "{stem} has no endpoints: add [[endpoints]] to the profile (e to edit), or send an ad-hoc URL (a)"
        ));
        return Vec::new();
    };
    let then = if edited.is_some() { AfterPrompt::SendEdited } else { AfterPrompt::Send { with_token } };
    let secret = if with_token {
        if profile.client.is_none() {
            app.warn(format!("{stem} has no [client] section: send without a token with b"));
            return Vec::new();
        }
        match secret_plan(app, &stem, &profile, then) {
            Some(plan) => plan,
            None => {
                app.pending_request = edited;
                return Vec::new();
            }
        }
    } else {
        None
    };
    let mut cmds = cancel_pending(app, &stem);
    let how = if with_token { "" } else { " without a token" };
    let task = app.new_task(format!("{} {}{how}", endpoint.method, endpoint.url), Some(&stem));
    app.session_mut(&stem).pending = Some(Pending::Call(task));
    let hmac = hmac_plan(&profile);
    cmds.push(Cmd::Call { task, stem, profile: Box::new(profile), endpoint, secret, hmac, with_token });
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
