//! Keys while browsing (no overlay open).

use crossterm::event::{KeyCode, KeyEvent};

use super::super::msg::Cmd;
use super::super::state::app::{App, Focus, Mode, Tab};
use super::super::state::request::RequestEditor;
use super::actions;
use super::overlays;

pub fn key(app: &mut App, key: KeyEvent) -> Vec<Cmd> {
    match key.code {
        KeyCode::Char('q') => {
            app.quit = true;
            return vec![Cmd::Quit];
        }
        KeyCode::Esc => {
            let cmds = actions::cancel_selected(app);
            if cmds.is_empty() && !app.profiles.filter.is_empty() {
                app.profiles.set_filter("");
            } else if cmds.is_empty() {
                app.status = None;
            }
            return cmds;
        }
        KeyCode::Char('?') => app.mode = Mode::Help,
        KeyCode::Tab | KeyCode::BackTab => {
            app.focus = match app.focus {
                Focus::Profiles => Focus::Detail,
                Focus::Detail => Focus::Profiles,
            }
        }
        KeyCode::Char('/') => {
            app.focus = Focus::Profiles;
            app.mode = Mode::Filter;
        }
        KeyCode::Char('p') => app.mode = Mode::Paste(Box::default()),
        KeyCode::Char('t') => {
            app.tab = Tab::Token;
            return actions::fetch_token(app);
        }
        KeyCode::Char('s') => return send_from(app, true),
        KeyCode::Char('b') => return send_from(app, false),
        KeyCode::Char('y') => {
            if app.selected_session().is_some_and(|s| s.token.is_some() || s.call.is_some()) {
                app.mode = Mode::CopyMenu;
            } else {
                app.warn("nothing to copy yet: fetch a token (t) or send a request (s)");
            }
        }
        KeyCode::Char('r') => open_editor(app, false),
        KeyCode::Char('a') => open_editor(app, true),
        KeyCode::Char('n') => return overlays::open_form(app, overlays::FormKind::New),
        KeyCode::Char('e') => return overlays::open_form(app, overlays::FormKind::Edit),
        KeyCode::Char('d') => return overlays::open_form(app, overlays::FormKind::Duplicate),
        KeyCode::Char('x') | KeyCode::Delete => {
            if let Some(stem) = app.selected_stem() {
                app.mode = Mode::ConfirmDelete(stem);
            }
        }
        KeyCode::Char(c @ '1'..='6') => {
            app.tab = Tab::ALL[(c as usize) - ('1' as usize)];
            app.scroll.detail = 0;
        }
        KeyCode::Char(']') => switch_tab(app, 1),
        KeyCode::Char('[') => switch_tab(app, -1),
        KeyCode::Left | KeyCode::Char('h') if app.focus == Focus::Detail => switch_tab(app, -1),
        KeyCode::Right | KeyCode::Char('l') if app.focus == Focus::Detail => switch_tab(app, 1),
        KeyCode::Up | KeyCode::Char('k') => move_by(app, -1),
        KeyCode::Down | KeyCode::Char('j') => move_by(app, 1),
        KeyCode::PageUp => move_by(app, -10),
        KeyCode::PageDown => move_by(app, 10),
        KeyCode::Home if app.focus == Focus::Profiles => app.profiles.cursor = 0,
        KeyCode::End if app.focus == Focus::Profiles => app.profiles.move_by(isize::MAX / 2),
        KeyCode::Enter => return enter(app),
        _ => {}
    }
    Vec::new()
}

/// `r` edits the selected endpoint's request before sending; `a` starts from a blank URL.
fn open_editor(app: &mut App, ad_hoc: bool) {
    let Some(item) = app.profiles.selected() else {
        app.warn("select a profile first: requests are sent with its token");
        return;
    };
    let index = app.session(&item.stem).map(|s| s.endpoint).unwrap_or(0);
    let endpoint = item.loaded.as_ref().ok().and_then(|p| p.endpoints.get(index).cloned());
    let editor = match (ad_hoc, endpoint) {
        (false, Some(endpoint)) => RequestEditor::from_endpoint(&endpoint),
        (_, endpoint) => {
            // Start from the API's origin: usually only the path differs.
            let base = endpoint
                .and_then(|e| url::Url::parse(&e.url).ok())
                .map(|u| format!("{}/", u.origin().ascii_serialization()));
            RequestEditor::ad_hoc(base.as_deref())
        }
    };
    app.mode = Mode::Request(Box::new(editor));
}

fn switch_tab(app: &mut App, delta: isize) {
    app.tab = app.tab.shifted(delta);
    app.scroll.detail = 0;
}

fn send_from(app: &mut App, with_token: bool) -> Vec<Cmd> {
    app.tab = Tab::Endpoints;
    actions::send(app, with_token)
}

fn move_by(app: &mut App, delta: isize) {
    match app.focus {
        Focus::Profiles => {
            app.profiles.move_by(delta);
            app.scroll.detail = 0;
        }
        Focus::Detail => match app.tab {
            Tab::Endpoints => {
                let count = app
                    .profiles
                    .selected()
                    .and_then(|p| p.loaded.as_ref().ok())
                    .map(|p| p.endpoints.len())
                    .unwrap_or(0);
                if let Some(stem) = app.selected_stem()
                    && count > 0
                {
                    let session = app.session_mut(&stem);
                    session.endpoint = (session.endpoint as isize + delta).clamp(0, count as isize - 1) as usize;
                }
            }
            Tab::History => {
                let count = app.history.len();
                if count > 0 {
                    app.scroll.history = (app.scroll.history as isize + delta).clamp(0, count as isize - 1) as usize;
                }
            }
            _ => app.scroll.detail = (app.scroll.detail as isize + delta).clamp(0, u16::MAX as isize) as u16,
        },
    }
}

fn enter(app: &mut App) -> Vec<Cmd> {
    match (app.focus, app.tab) {
        (Focus::Profiles, _) => {
            app.focus = Focus::Detail;
            app.tab = Tab::Endpoints;
            Vec::new()
        }
        (Focus::Detail, Tab::Endpoints) => actions::send(app, true),
        (Focus::Detail, Tab::History) => {
            reopen_history(app);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Shows a past call again: selects its profile and endpoint and opens its diagnosis.
fn reopen_history(app: &mut App) {
    // History is shown newest first.
    let Some(report) = app.history.iter().rev().nth(app.scroll.history).cloned() else { return };
    app.profiles.select_stem(&report.profile);
    let endpoint = app
        .profiles
        .selected()
        .and_then(|p| p.loaded.as_ref().ok())
        .and_then(|p| p.endpoints.iter().position(|e| e.name == report.endpoint.name));
    let session = app.session_mut(&report.profile);
    session.call = Some(report);
    if let Some(index) = endpoint {
        session.endpoint = index;
    }
    app.tab = Tab::Diagnosis;
    app.scroll.detail = 0;
}
