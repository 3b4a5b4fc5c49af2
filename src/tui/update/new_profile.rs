//! The `n` flow's keys, pastes and results: choose how to start, give an API URL (looked up
//! off the loop) or a curl command (read here: it is pure), review the draft, then write it
//! under a free name or finish it in the profile form.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::core::draft::Draft;
use crate::core::draft::curl_draft::{self, ImportOptions};
use crate::core::draft::curl_import;
use crate::core::store::profile_store::{self, check_http_url};

use super::super::keymap::Action;
use super::super::msg::{Cmd, TaskId};
use super::super::state::app::{App, Mode};
use super::super::state::form::FormState;
use super::super::state::form_fields::check_new_stem;
use super::super::state::new_profile::{
    CurlStep, NewProfile, NewStep, Review, SaveAs, UrlStep, import_error_text, renamed,
};
use super::overlays::{self, FormKind};

/// `n`: the choice of how to start.
pub fn open(app: &mut App) {
    app.mode = Mode::NewProfile(Box::new(NewProfile::choose()));
}

/// A key while the flow is open (its mode was taken out of `app`; put back unless closed).
pub fn key(app: &mut App, mut new: NewProfile, action: Option<Action>, key: KeyEvent) -> Vec<Cmd> {
    let step = std::mem::replace(&mut new.step, NewStep::Choose);
    let (step, cmds) = match step {
        NewStep::Choose => match action {
            Some(Action::NewBlank) => return overlays::open_form(app, FormKind::New),
            Some(Action::NewFromUrl) => (NewStep::Url(UrlStep::default()), Vec::new()),
            Some(Action::NewFromCurl) => (NewStep::Curl(CurlStep::default()), Vec::new()),
            Some(Action::Cancel) => return Vec::new(),
            _ => (NewStep::Choose, Vec::new()),
        },
        NewStep::Url(url) => match url_key(app, url, action, key) {
            Some(done) => done,
            None => return Vec::new(),
        },
        NewStep::Curl(curl) => match curl_key(app, curl, action, key) {
            Some(step) => (step, Vec::new()),
            None => return Vec::new(),
        },
        NewStep::Review(review) => match review_key(app, *review, action, key) {
            Some(done) => done,
            None => return Vec::new(),
        },
    };
    new.step = step;
    app.mode = Mode::NewProfile(Box::new(new));
    cmds
}

/// `None` when the flow closes.
fn url_key(app: &mut App, mut url: UrlStep, action: Option<Action>, key: KeyEvent) -> Option<(NewStep, Vec<Cmd>)> {
    let mut cmds = Vec::new();
    match action {
        Some(Action::Cancel) => match url.pending.take() {
            Some(task) => {
                app.running.remove(&task);
                app.info("lookup cancelled: the URL is kept");
                cmds.push(Cmd::Cancel(task));
            }
            None => return None,
        },
        // One lookup at a time: the URL cannot change under it.
        _ if url.pending.is_some() => {}
        Some(Action::Submit) => {
            let typed = url.input.value().trim().to_owned();
            match check_http_url(&typed) {
                Ok(parsed) => {
                    url.error = None;
                    let task = app.new_task(format!("drafting a profile from {typed}"), None);
                    url.pending = Some(task);
                    app.status = None;
                    cmds.push(Cmd::DraftFromUrl { task, url: parsed.to_string() });
                }
                Err(error) if typed.is_empty() => url.error = Some(format!("type the API's URL first ({error})")),
                Err(error) => url.error = Some(format!("{typed}: {error}")),
            }
        }
        Some(Action::ClearField) => url.input = Input::default(),
        Some(_) => {}
        None => {
            url.input.handle_event(&Event::Key(key));
            url.error = None;
        }
    }
    Some((NewStep::Url(url), cmds))
}

/// `None` when the flow closes (the command is dropped with it).
fn curl_key(app: &mut App, mut curl: CurlStep, action: Option<Action>, key: KeyEvent) -> Option<NewStep> {
    match action {
        Some(Action::Cancel) => return None,
        Some(Action::Submit) => return Some(read_curl(app, curl)),
        Some(Action::ClearField) => curl.clear(),
        Some(_) => {}
        None => match key.code {
            KeyCode::Backspace => curl.pop(),
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => curl.push_str(&c.to_string()),
            _ => {}
        },
    }
    Some(NewStep::Curl(curl))
}

/// Reads the pasted command into a draft; the command is dropped once read.
fn read_curl(app: &mut App, mut curl: CurlStep) -> NewStep {
    if curl.is_empty() {
        curl.error = Some("paste a curl command first".to_owned());
        return NewStep::Curl(curl);
    }
    let command = curl.take();
    match curl_import::parse_command(command.expose()) {
        Ok(request) => {
            // Relative paths in the command stay as written: the TUI has no shell's cwd to read.
            let draft = curl_draft::draft(&request, &ImportOptions::default());
            let origin =
                format!("a curl command ({} {})", request.method, crate::core::engine::trace::redact_url(&request.url));
            drop(request);
            drop(command);
            app.info("the curl command was read and dropped; its secrets are not in the draft");
            review(draft, origin)
        }
        Err(error) => {
            curl.push_str(command.expose());
            curl.error = Some(import_error_text(&error));
            NewStep::Curl(curl)
        }
    }
}

fn review(draft: Draft, origin: String) -> NewStep {
    NewStep::Review(Box::new(Review { draft, origin, scroll: 0, saving: None }))
}

/// `None` when the flow closes.
fn review_key(app: &mut App, mut review: Review, action: Option<Action>, key: KeyEvent) -> Option<(NewStep, Vec<Cmd>)> {
    let mut cmds = Vec::new();
    if let Some(mut saving) = review.saving.take() {
        match action {
            Some(Action::Cancel) if saving.pending.is_none() => {}
            _ if saving.pending.is_some() => review.saving = Some(saving),
            Some(Action::Submit) => {
                let taken = app.profiles.items.iter().map(|item| item.stem.clone()).collect();
                match check_new_stem(&app.profiles.dir, &taken, saving.input.value()) {
                    Ok(stem) => {
                        let path = app.profiles.dir.join(format!("{stem}.toml"));
                        let text = renamed(&review.draft, &stem);
                        let task = app.new_task(format!("writing {}", path.display()), None);
                        saving.pending = Some(task);
                        saving.error = None;
                        cmds.push(Cmd::WriteDraft { task, stem, path, text });
                    }
                    Err(error) => saving.error = Some(error),
                }
                review.saving = Some(saving);
            }
            Some(_) => review.saving = Some(saving),
            None => {
                saving.input.handle_event(&Event::Key(key));
                saving.error = None;
                review.saving = Some(saving);
            }
        }
        return Some((NewStep::Review(Box::new(review)), cmds));
    }
    match action {
        Some(Action::Cancel) => {
            app.info("draft dropped: nothing was written");
            return None;
        }
        Some(Action::SaveDraft) => {
            let taken = app.profiles.items.iter().map(|item| item.stem.clone()).collect();
            // The name drafted, and at once why it cannot be used if it is taken.
            let error = check_new_stem(&app.profiles.dir, &taken, &review.draft.name).err();
            review.saving = Some(SaveAs { input: Input::new(review.draft.name.clone()), error, pending: None });
        }
        Some(Action::DraftToForm) => match profile_store::parse_profile(&review.draft.profile_toml, "draft") {
            Ok(profile) => {
                let taken = app.profiles.items.iter().map(|item| item.stem.clone()).collect();
                let no_client_id = profile.client.as_ref().is_some_and(|c| c.id.trim().is_empty());
                let form = FormState::from_draft(profile, &app.profiles.dir, taken, &review.draft.name);
                app.mode = Mode::Form(Box::new(form));
                app.info(if no_client_id {
                    "the draft is in the form: type the client id (AK) of your app, then Ctrl-S saves"
                } else {
                    "the draft is in the form: check it, then Ctrl-S saves"
                });
                return None;
            }
            Err(error) => app.error(format!("the draft does not load as a profile: {error}")),
        },
        Some(Action::Up) => review.scroll = review.scroll.saturating_sub(1),
        Some(Action::Down) => review.scroll = review.scroll.saturating_add(1),
        Some(Action::PageUp) => review.scroll = review.scroll.saturating_sub(10),
        Some(Action::PageDown) => review.scroll = review.scroll.saturating_add(10),
        _ => {}
    }
    Some((NewStep::Review(Box::new(review)), cmds))
}

/// Bracketed paste into the flow: the URL's first line, the whole curl command, a name. Pasted
/// at the choice, a curl command or a URL goes straight to its step.
pub fn paste(new: &mut NewProfile, text: &str) {
    let first_line = || text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("").to_owned();
    match &mut new.step {
        NewStep::Choose => {
            let trimmed = text.trim_start().trim_start_matches("$ ");
            if trimmed.starts_with("curl ") {
                let mut curl = CurlStep::default();
                curl.push_str(text);
                new.step = NewStep::Curl(curl);
            } else if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
                new.step = NewStep::Url(UrlStep { input: Input::new(first_line()), ..UrlStep::default() });
            }
        }
        NewStep::Url(url) if url.pending.is_none() => {
            url.input = Input::new(format!("{}{}", url.input.value(), first_line()));
            url.error = None;
        }
        NewStep::Curl(curl) => curl.push_str(text),
        NewStep::Review(review) => {
            if let Some(saving) = review.saving.as_mut().filter(|s| s.pending.is_none()) {
                saving.input = Input::new(format!("{}{}", saving.input.value(), first_line()));
                saving.error = None;
            }
        }
        NewStep::Url(_) => {}
    }
}

/// The URL's lookup finished: review its draft (a stale or cancelled lookup is ignored).
pub fn drafted(app: &mut App, task: TaskId, draft: Draft) {
    let Mode::NewProfile(new) = &mut app.mode else { return };
    let NewStep::Url(url) = &new.step else { return };
    if url.pending != Some(task) {
        return;
    }
    let origin = url.input.value().trim().to_owned();
    let warnings = draft.notes.iter().filter(|n| n.starts_with("warning:")).count();
    new.step = review(draft, origin);
    let text = match warnings {
        0 => "drafted: review it, then s saves or e finishes it in the form".to_owned(),
        n => format!("drafted with {n} warning(s): see the notes below the draft"),
    };
    app.info(text);
}

/// A lookup or a write of the flow failed: the error shows where it happened. True when the
/// task was the flow's.
pub fn failed(app: &mut App, task: TaskId, error: &str) -> bool {
    let Mode::NewProfile(new) = &mut app.mode else { return false };
    match &mut new.step {
        NewStep::Url(url) if url.pending == Some(task) => {
            url.pending = None;
            url.error = Some(error.to_owned());
            true
        }
        NewStep::Review(review) => match review.saving.as_mut().filter(|s| s.pending == Some(task)) {
            Some(saving) => {
                saving.pending = None;
                saving.error = Some(error.to_owned());
                true
            }
            None => false,
        },
        _ => false,
    }
}
