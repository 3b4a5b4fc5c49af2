//! `update`: applies one message to the state and returns the commands to run.
//!
//! It is pure: no file, network, clock or terminal access. Keys arrive as [`Action`]s from the
//! keymap's one table. Whatever needs the outside world is a [`Cmd`] the runner (`tasks.rs`)
//! executes off the loop, reporting back as `Msg::Done`: reading secrets (which ones is
//! `core::secret_choice`'s decision, made in the task where the token cache is known), saving
//! and reading back a profile file (`Cmd::Save` returns the file as reloaded), deleting one.
//! The form checks new file names against the listed profiles, not the disk; the save refuses
//! a file that appeared since. The clock comes in as `Msg::Tick` and the loop's `app.now`.

mod actions;
mod mouse;
mod new_profile;
mod normal;
mod overlays;
mod results;
mod save_request;

use crossterm::event::KeyEventKind;

use super::keymap::{self, Action};
use super::msg::{Cmd, Msg};
use super::state::app::{App, Mode};

pub use actions::{fetch_token, send};
pub use normal::reload;

pub fn update(app: &mut App, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::Key(key) => {
            if key.kind == KeyEventKind::Release {
                return Vec::new();
            }
            let action = keymap::action_for(&app.mode, app.focus, app.tab, &key);
            match action {
                Some(Action::Quit) => {
                    app.quit = true;
                    return vec![Cmd::Quit];
                }
                // The event loop suspends (it needs the terminal); the state is unchanged.
                Some(Action::Suspend) => return Vec::new(),
                _ => {}
            }
            match &app.mode {
                Mode::Normal => action.map(|action| normal::act(app, action)).unwrap_or_default(),
                Mode::Help => {
                    // Arrows scroll a long help; any other key closes it (q and Esc do nothing else).
                    match action {
                        Some(Action::Up) => app.scroll.help = app.scroll.help.saturating_sub(1),
                        Some(Action::Down) => app.scroll.help = app.scroll.help.saturating_add(1),
                        Some(Action::PageUp) => app.scroll.help = app.scroll.help.saturating_sub(10),
                        Some(Action::PageDown) => app.scroll.help = app.scroll.help.saturating_add(10),
                        _ => {
                            app.mode = Mode::Normal;
                            app.scroll.help = 0;
                        }
                    }
                    Vec::new()
                }
                _ => overlays::key(app, action, key),
            }
        }
        Msg::Mouse(event) => mouse::handle(app, event),
        Msg::Paste(text) => overlays::paste(app, &text),
        Msg::Resize(width, height) => {
            app.size = (width, height);
            Vec::new()
        }
        Msg::Tick(now) => {
            app.now = now;
            app.spinner = app.spinner.wrapping_add(1);
            Vec::new()
        }
        Msg::Done(task, result) => results::apply(app, task, result),
        // The event loop acts on these itself (they need the terminal); the state is unchanged.
        Msg::WaitIdle | Msg::Suspend | Msg::Resume => Vec::new(),
        Msg::Reloaded { store: Ok(store), asked } => {
            results::reloaded(app, &store, asked);
            Vec::new()
        }
        Msg::Reloaded { store: Err(error), .. } => {
            app.error(error);
            Vec::new()
        }
    }
}
