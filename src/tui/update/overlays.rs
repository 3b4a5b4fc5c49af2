//! Keys and pastes while an overlay is open: filter, paste mode, form, prompt, confirm, copy.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::backend::crossterm::EventHandler;

use crate::core::curl::{self, CurlOptions, CurlTransport};
use crate::core::model::profile::{IssuerConfig, Profile};
use crate::core::model::secret::Secret;
use crate::core::probe::ProbeRequest;

use super::super::keymap::Action;
use super::super::msg::Cmd;
use super::super::state::app::{AfterPrompt, App, Mode, Tab};
use super::super::state::form::{FormOutcome, FormState};
use super::super::state::paste::{PasteField, PasteState};
use super::super::state::request::RequestEditor;
use super::{actions, save_request};

pub enum FormKind {
    New,
    Edit,
    Duplicate,
}

pub fn open_form(app: &mut App, kind: FormKind) -> Vec<Cmd> {
    let dir = app.profiles.dir.clone();
    let taken = app.profiles.items.iter().map(|item| item.stem.clone()).collect();
    let form = match kind {
        FormKind::New => FormState::new_profile(&dir, taken),
        FormKind::Edit | FormKind::Duplicate => {
            let Some(item) = app.profiles.selected() else {
                app.warn("no profile selected");
                return Vec::new();
            };
            if let Err(error) = &item.loaded {
                let text = format!("{} cannot be opened in the form until the file parses: {error}", item.stem);
                app.error(text);
                return Vec::new();
            }
            match kind {
                FormKind::Edit => FormState::edit(item),
                _ => FormState::duplicate(item, &dir, taken),
            }
        }
    };
    app.mode = Mode::Form(Box::new(form));
    Vec::new()
}

/// `action` is what the key is bound to in the open mode; an unbound key is typed into its input.
pub fn key(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Cmd> {
    let mode = std::mem::replace(&mut app.mode, Mode::Normal);
    match mode {
        Mode::Filter => filter_key(app, action, key),
        Mode::Paste(state) => paste_key(app, *state, action, key),
        Mode::Form(mut form) => match form.handle(action, key) {
            FormOutcome::Continue => {
                app.mode = Mode::Form(form);
                Vec::new()
            }
            FormOutcome::Cancel => Vec::new(),
            FormOutcome::Save { stem, profile } => {
                let path = form.path.clone().unwrap_or_else(|| app.profiles.dir.join(format!("{stem}.toml")));
                let stamp = form.stamp.clone();
                let task = app.new_task(format!("saving {}", path.display()), Some(&stem));
                // Keep the form open until the save lands, so an error loses nothing.
                app.mode = Mode::Form(form);
                vec![Cmd::Save { task, stem, path, profile: Box::new(profile), stamp }]
            }
        },
        Mode::ConfirmDelete(stem) => {
            if action == Some(Action::Confirm) {
                let Some(item) = app.profiles.items.iter().find(|i| i.stem == stem) else { return Vec::new() };
                let (path, stamp) = (item.path.clone(), item.stamp.clone());
                let task = app.new_task(format!("deleting {}", path.display()), Some(&stem));
                return vec![Cmd::Delete { task, stem, path, stamp }];
            }
            app.info("kept");
            Vec::new()
        }
        Mode::Prompt(mut prompt) => match action {
            Some(Action::Cancel) => {
                app.info("cancelled: no secret entered");
                Vec::new()
            }
            Some(Action::Submit) => {
                let value = prompt.input.value().to_owned();
                if value.is_empty() {
                    app.mode = Mode::Prompt(prompt);
                    return Vec::new();
                }
                app.prompted.insert(prompt.stem.clone(), Secret::new(value));
                match prompt.then {
                    AfterPrompt::FetchToken => actions::fetch_token(app),
                    AfterPrompt::Send { with_token } => actions::send(app, with_token),
                    AfterPrompt::SendEdited => {
                        let edited = app.pending_request.take();
                        actions::send_endpoint(app, edited, true)
                    }
                }
            }
            _ => {
                prompt.input.handle_event(&Event::Key(key));
                app.mode = Mode::Prompt(prompt);
                Vec::new()
            }
        },
        Mode::CopyMenu => copy_key(app, action),
        Mode::Request(editor) => request_key(app, *editor, action, key),
        Mode::NewProfile(new) => super::new_profile::key(app, *new, action, key),
        other => {
            app.mode = other;
            Vec::new()
        }
    }
}

fn request_key(app: &mut App, mut editor: RequestEditor, action: Option<Action>, key: KeyEvent) -> Vec<Cmd> {
    if editor.saving.is_some() {
        return save_request::key(app, editor, action, key);
    }
    // Whatever happens, the fields are kept: `r` or `a` reopens them as left.
    if matches!(action, Some(Action::Cancel | Action::Submit))
        && let Some(stem) = app.selected_stem()
    {
        let mut kept = editor.clone();
        kept.error = None;
        let index = editor.from_index;
        app.session_mut(&stem).draft = Some((index, Box::new(kept)));
    }
    match action {
        // Nothing is lost, so nothing is asked: the fields wait for the next `r` or `a`.
        Some(Action::Cancel) => {
            let how =
                if editor.from_index.is_some() { "r reopens them, Ctrl-R there resets" } else { "a reopens them" };
            app.info(format!("request closed; its fields are kept ({how})"));
            return Vec::new();
        }
        Some(Action::SaveAsEndpoint) => save_request::open(app, &mut editor),
        Some(Action::NextField) => editor.shift(1),
        Some(Action::PrevField) => editor.shift(-1),
        Some(Action::ToggleToken) => editor.with_token = !editor.with_token,
        Some(Action::ResetRequest) => {
            let profile = app.profiles.selected().and_then(|p| p.loaded.as_ref().ok());
            let original = editor.from_index.and_then(|i| profile.and_then(|p| p.endpoints.get(i)).map(|e| (i, e)));
            editor = match original {
                Some((index, endpoint)) => RequestEditor::from_endpoint(endpoint, index),
                None => RequestEditor::ad_hoc(None),
            };
            if let Some(stem) = app.selected_stem() {
                app.session_mut(&stem).draft = None;
            }
        }
        Some(Action::Submit) => match editor.to_endpoint() {
            Ok(endpoint) => {
                app.tab = Tab::Endpoints;
                return actions::send_endpoint(app, Some(endpoint), editor.with_token);
            }
            Err(error) => editor.error = Some(error),
        },
        _ => {
            let field = editor.field;
            editor.input_mut(field).handle_event(&Event::Key(key));
            editor.error = None;
        }
    }
    app.mode = Mode::Request(Box::new(editor));
    Vec::new()
}

fn filter_key(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Cmd> {
    match (action, key.code) {
        (Some(Action::Cancel), _) => app.profiles.set_filter(""),
        (Some(Action::Submit), _) => {}
        (Some(Action::Up | Action::Down), _) => {
            app.profiles.move_by(if action == Some(Action::Up) { -1 } else { 1 });
            app.mode = Mode::Filter;
        }
        (Some(_), _) => app.mode = Mode::Filter,
        (None, KeyCode::Backspace) => {
            let mut filter = app.profiles.filter.clone();
            filter.pop();
            app.profiles.set_filter(&filter);
            app.mode = Mode::Filter;
        }
        (None, KeyCode::Char(c)) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            let filter = format!("{}{c}", app.profiles.filter);
            app.profiles.set_filter(&filter);
            app.mode = Mode::Filter;
        }
        _ => app.mode = Mode::Filter,
    }
    Vec::new()
}

fn paste_key(app: &mut App, mut state: PasteState, action: Option<Action>, key: KeyEvent) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    match action {
        Some(Action::Cancel) => {
            if let Some(task) = state.pending.take() {
                app.running.remove(&task);
                cmds.push(Cmd::Cancel(task));
                app.info("verification cancelled");
                app.mode = Mode::Paste(Box::new(state));
            }
            return cmds;
        }
        Some(Action::NextField) => state.field = state.field.shifted(1),
        Some(Action::PrevField) => state.field = state.field.shifted(-1),
        Some(Action::SendPasted) => {
            let token = state.token.value().to_owned();
            if !matches!(state.decoded, Some(Ok(_))) && token.trim().is_empty() {
                app.warn("paste a token first");
                app.mode = Mode::Paste(Box::new(state));
                return cmds;
            }
            // The answer is read on the Endpoints tab, as any other call's.
            app.tab = super::super::state::app::Tab::Endpoints;
            return actions::send_with_given_token(app, crate::core::model::secret::Secret::new(token));
        }
        Some(Action::Up) => state.scroll = state.scroll.saturating_sub(1),
        Some(Action::Down) => state.scroll = state.scroll.saturating_add(1),
        Some(Action::ClearField) => match state.field {
            PasteField::Token => {
                state.token = tui_input::Input::default();
                state.token_changed();
            }
            other => *state.input_mut(other) = tui_input::Input::default(),
        },
        Some(Action::Submit) => cmds.extend(verify_pasted(app, &mut state)),
        Some(_) => {}
        None => match state.field {
            PasteField::Token => {
                if state.token.handle_event(&Event::Key(key)).is_some_and(|r| r.value) {
                    state.token_changed();
                }
            }
            other => {
                state.input_mut(other).handle_event(&Event::Key(key));
            }
        },
    }
    app.mode = Mode::Paste(Box::new(state));
    cmds
}

/// Verifies the pasted token against the typed URL, else the selected profile.
fn verify_pasted(app: &mut App, state: &mut PasteState) -> Vec<Cmd> {
    if !matches!(state.decoded, Some(Ok(_))) {
        app.warn("paste a JWT first (three base64url parts)");
        return Vec::new();
    }
    let url = state.jwks.value().trim().to_owned();
    let profile = if url.is_empty() {
        match app.profiles.selected().and_then(|p| p.loaded.as_ref().ok()) {
            Some(profile) => profile.clone(),
            None => {
                app.warn("type a JWKS or issuer URL (Tab), or select a profile to verify against");
                return Vec::new();
            }
        }
    } else {
        if let Err(e) = crate::core::store::profile_store::check_http_url(&url) {
            app.error(format!("{url}: {e}"));
            return Vec::new();
        }
        // A URL ending in .json (or naming jwks) is a key set; anything else an issuer.
        let is_jwks = url.ends_with(".json") || url.to_lowercase().contains("jwks") || url.contains("/certs");
        let mut profile = Profile {
            issuer: if is_jwks {
                IssuerConfig { jwks_uri: Some(url.clone()), ..Default::default() }
            } else {
                IssuerConfig { url: Some(url.clone()), ..Default::default() }
            },
            ..Profile::default()
        };
        profile.expect.algorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"]
            .map(str::to_owned)
            .to_vec();
        if !is_jwks {
            profile.expect.issuer = Some(url);
        }
        profile
    };
    // What the API expects, as typed, over the profile's (or the URL's) own.
    let mut profile = profile;
    let issuer = state.issuer.value().trim();
    if !issuer.is_empty() {
        profile.expect.issuer = Some(issuer.to_owned());
    }
    let audience: Vec<String> = state.audience.value().split_whitespace().map(str::to_owned).collect();
    if !audience.is_empty() {
        profile.expect.audience = audience;
    }
    if let Some(task) = state.pending.take() {
        app.running.remove(&task);
    }
    let task = app.new_task("verifying the pasted token", None);
    state.pending = Some(task);
    vec![Cmd::Verify { task, profile: Box::new(profile), token: Secret::new(state.token.value()) }]
}

fn copy_key(app: &mut App, action: Option<Action>) -> Vec<Cmd> {
    let Some(stem) = app.selected_stem() else { return Vec::new() };
    let session = app.session(&stem).cloned().unwrap_or_default();
    let token = session.token.as_ref().and_then(|t| t.access_token.clone());
    let profile = app.profiles.selected().and_then(|p| p.loaded.as_ref().ok()).cloned();
    let selected = profile.as_ref().and_then(|p| p.endpoints.get(session.endpoint).or(p.endpoints.first()).cloned());
    // The request as last sent (edited, ad hoc, or without a token), unless it was another
    // endpoint of the profile than the one selected now.
    let (endpoint, with_token) = match &session.sent {
        Some(sent) if sent.unedited_index.is_none_or(|i| i == session.endpoint) || selected.is_none() => {
            (Some(sent.endpoint.clone()), sent.with_token)
        }
        _ => (selected, true),
    };
    let probe = endpoint.map(|e| ProbeRequest {
        method: e.method,
        url: e.url,
        headers: e.headers.into_iter().collect(),
        body: e.body,
        token: if with_token { token.clone() } else { None },
    });
    let (label, text, to_file) = match action {
        Some(Action::CopyToken) => match &token {
            Some(token) => ("the access token".to_owned(), token.clone(), false),
            None => return nothing(app, "no token yet: fetch one with t"),
        },
        Some(copy @ (Action::CopyCurl | Action::CopyCurlWithToken | Action::CopyCurlToFile)) => match &probe {
            Some(probe) => {
                let reveal = copy == Action::CopyCurlWithToken;
                // Over the profile's transport (client certificate, CA, insecure, DPoP) with
                // what the last call learnt of its DPoP key and nonce.
                let transport = profile.as_ref().map(CurlTransport::for_profile).unwrap_or_default();
                let dpop = session.call.as_ref().and_then(|c| c.dpop.as_ref());
                let dpop = dpop.or_else(|| session.token.as_ref().and_then(|t| t.dpop.as_ref()));
                let transport = transport.with_dpop_report(dpop, true);
                let options = CurlOptions { reveal_token: reveal, reveal_secret: false };
                let text = curl::probe_as_curl_over(probe, &transport, options);
                let label = if reveal { "curl (with the token)" } else { "curl (token redacted)" };
                (label.to_owned(), Secret::new(text), copy == Action::CopyCurlToFile)
            }
            None => return nothing(app, "the profile has no endpoint to export"),
        },
        Some(Action::CopyClaim(index)) => {
            let claims = session.token.as_ref().and_then(|t| t.token.claims.clone()).unwrap_or_default();
            match claims.iter().nth(index) {
                // A string claim is copied bare (no JSON quotes); anything else as JSON.
                Some((name, value)) => {
                    let text = value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string());
                    (format!("the claim {name}"), Secret::new(text), false)
                }
                None => return nothing(app, "no such claim"),
            }
        }
        Some(Action::CopyClaims) => match session.token.as_ref().and_then(|t| t.token.claims.clone()) {
            Some(claims) => {
                ("the claims".to_owned(), Secret::new(serde_json::to_string_pretty(&claims).unwrap_or_default()), false)
            }
            None => return nothing(app, "no decoded token yet"),
        },
        _ => return Vec::new(),
    };
    let task = app.new_task(format!("copying {label}"), None);
    vec![Cmd::Copy { task, label, text, to_file }]
}

fn nothing(app: &mut App, why: &str) -> Vec<Cmd> {
    app.warn(why.to_owned());
    Vec::new()
}

/// Bracketed paste: into whatever input is open; in browsing mode it opens paste mode.
pub fn paste(app: &mut App, text: &str) -> Vec<Cmd> {
    match &mut app.mode {
        Mode::Paste(state) => match state.field {
            PasteField::Token => state.set_token(text),
            other => *state.input_mut(other) = tui_input::Input::new(text.trim().to_owned()),
        },
        Mode::Form(form) => form.handle_paste(text),
        Mode::Request(editor) => {
            let field = editor.field;
            let line = text.lines().next().unwrap_or("").to_owned();
            let input = editor.input_mut(field);
            *input = tui_input::Input::new(format!("{}{line}", input.value()));
        }
        Mode::Prompt(prompt) => {
            prompt.input =
                tui_input::Input::new(format!("{}{}", prompt.input.value(), text.trim_end_matches(['\n', '\r'])))
        }
        Mode::Filter => {
            let filter = format!("{}{}", app.profiles.filter, text.trim());
            app.profiles.set_filter(&filter);
        }
        Mode::Normal | Mode::Help => {
            let mut state = PasteState::default();
            state.set_token(text);
            app.mode = Mode::Paste(Box::new(state));
        }
        Mode::NewProfile(new) => super::new_profile::paste(new, text),
        Mode::ConfirmDelete(_) | Mode::CopyMenu => {}
    }
    Vec::new()
}
