//! "Save as endpoint" from the request editor: asks a name (replace the endpoint the request
//! came from, or add a new one), then writes the profile through `Cmd::Save`, which re-reads
//! the file and refuses one changed on disk.

use crossterm::event::{Event, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

use crate::core::model::profile::Endpoint;

use super::super::keymap::Action;
use super::super::msg::Cmd;
use super::super::state::app::{App, Mode};
use super::super::state::request::{RequestEditor, SaveAs};

/// Ctrl-S in the request editor: asks for the name once the request itself is valid.
pub fn open(app: &App, editor: &mut RequestEditor) {
    if let Err(error) = editor.to_endpoint() {
        editor.error = Some(error);
        return;
    }
    if app.profiles.selected().is_none_or(|p| p.loaded.is_err()) {
        editor.error = Some("select a profile that loads: the endpoint is saved into it".to_owned());
        return;
    }
    editor.error = None;
    editor.saving =
        Some(SaveAs { name: editor.suggested_name().into(), replace: editor.from_index.is_some(), error: None });
}

/// A key while the name is asked.
pub fn key(app: &mut App, mut editor: RequestEditor, action: Option<Action>, key: KeyEvent) -> Vec<Cmd> {
    let Some(mut saving) = editor.saving.take() else {
        app.mode = Mode::Request(Box::new(editor));
        return Vec::new();
    };
    let mut cmds = Vec::new();
    match action {
        Some(Action::Cancel) => {
            app.mode = Mode::Request(Box::new(editor));
            return cmds;
        }
        // Replacing is only offered for a request that came from an endpoint.
        Some(Action::SwitchField) if editor.from_index.is_some() => saving.replace = !saving.replace,
        Some(Action::Submit) => match save(app, &editor, &saving) {
            Ok(cmd) => {
                cmds.push(cmd);
                // The editor stays open until the save lands, so a refused save loses nothing.
                app.mode = Mode::Request(Box::new(editor));
                return cmds;
            }
            Err(error) => saving.error = Some(error),
        },
        Some(_) => {}
        None => {
            if saving.name.handle_event(&Event::Key(key)).is_some_and(|changed| changed.value) {
                saving.error = None;
            }
        }
    }
    editor.saving = Some(saving);
    app.mode = Mode::Request(Box::new(editor));
    cmds
}

/// The save command for the selected profile with the request put in, or why not.
fn save(app: &mut App, editor: &RequestEditor, saving: &SaveAs) -> Result<Cmd, String> {
    let name = saving.name.value().trim().to_owned();
    if name.is_empty() {
        return Err("type the endpoint's name".to_owned());
    }
    let endpoint = Endpoint { name: name.clone(), ..editor.to_endpoint()? };
    let item = app.profiles.selected().ok_or("no profile selected")?;
    let mut profile = item.loaded.clone().map_err(|e| format!("{} does not load: {e}", item.stem))?;
    let replaced = editor.from_index.filter(|i| saving.replace && *i < profile.endpoints.len());
    let clash = profile.endpoints.iter().enumerate().any(|(i, e)| e.name == name && Some(i) != replaced);
    if clash {
        let how = if editor.from_index.is_some() { " (or Tab: replace the one it came from)" } else { "" };
        return Err(format!("another endpoint is named \"{name}\": choose another name{how}"));
    }
    let index = match replaced {
        Some(i) => {
            profile.endpoints[i] = endpoint;
            i
        }
        None => {
            profile.endpoints.push(endpoint);
            profile.endpoints.len() - 1
        }
    };
    let (stem, path, stamp) = (item.stem.clone(), item.path.clone(), item.stamp.clone());
    let task = app.new_task(format!("saving {}", path.display()), Some(&stem));
    let session = app.session_mut(&stem);
    // The saved endpoint is the one selected afterwards; its draft is what was saved.
    session.endpoint = index;
    session.draft = None;
    Ok(Cmd::Save { task, stem, path, profile: Box::new(profile), stamp })
}
