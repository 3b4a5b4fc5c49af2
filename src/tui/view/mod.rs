//! Views: pure functions from `App` to a frame. Nothing here changes state.

pub mod detail;
mod diagnosis;
mod endpoint_form;
mod endpoints;
mod form;
mod history;
mod new_profile;
mod overlays;
mod paste;
mod profile;
mod profiles;
mod request;
mod status;
mod token;
mod token_cert;
pub mod trace;
mod verify;
pub mod widgets;

use ratatui::Frame;

pub use profiles::ROWS_PER_ITEM;

use super::layout;
use super::state::app::{App, Mode};
use super::theme::Theme;

pub fn render(frame: &mut Frame, app: &App) {
    let theme = Theme::new(app.color);
    let areas = layout::areas(frame.area(), app);
    profiles::render(frame, areas.list, app, &theme);
    detail::render_tabs(frame, areas.tabs, app, &theme);
    detail::render(frame, areas.detail, app, &theme);
    status::render_status(frame, areas.status, app, &theme);
    status::render_hints(frame, areas.hints, app, &theme);
    match &app.mode {
        Mode::Help => overlays::help(frame, app, &theme),
        Mode::Paste(state) => paste::render(frame, state, app, &theme),
        Mode::Form(state) => form::render(frame, state, &theme),
        Mode::ConfirmDelete(stem) => overlays::confirm_delete(frame, stem, &theme),
        Mode::Prompt(prompt) => overlays::prompt(frame, prompt, &theme),
        Mode::CopyMenu => overlays::copy_menu(frame, app, &theme),
        Mode::Request(editor) => request::render(frame, editor, &theme),
        Mode::NewProfile(new) => new_profile::render(frame, new, app, &theme),
        Mode::Normal | Mode::Filter => {}
    }
    drop_terminal_control(frame.buffer_mut());
}

/// The TUI's output boundary: whatever a token, a server or a profile put in a cell, no
/// control, bidi or invisible format character reaches the terminal (ratatui already drops
/// C0 and C1; bidi and format characters would ride along as zero-width parts of a cell).
fn drop_terminal_control(buffer: &mut ratatui::buffer::Buffer) {
    for cell in &mut buffer.content {
        if cell.symbol().chars().any(crate::core::safe_text::is_unsafe) {
            let kept = crate::core::safe_text::strip(cell.symbol()).into_owned();
            cell.set_symbol(if kept.is_empty() { " " } else { &kept });
        }
    }
}
