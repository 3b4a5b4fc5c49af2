//! Actions while browsing (no overlay open); the keys behind them are in `keymap`.

use super::super::keymap::Action;
use super::super::msg::Cmd;
use super::super::state::app::{App, Focus, Mode, Tab};
use super::super::state::request::RequestEditor;
use super::super::view;
use super::actions;
use super::overlays;

pub fn act(app: &mut App, action: Action) -> Vec<Cmd> {
    match action {
        Action::Quit => {
            app.quit = true;
            return vec![Cmd::Quit];
        }
        Action::Cancel => {
            let cmds = actions::cancel_selected(app);
            if cmds.is_empty() && !app.profiles.filter.is_empty() {
                app.profiles.set_filter("");
            } else if cmds.is_empty() {
                app.status = None;
            }
            return cmds;
        }
        Action::Help => app.mode = Mode::Help,
        Action::FocusNext => {
            app.focus = match app.focus {
                Focus::Profiles => Focus::Detail,
                Focus::Detail => Focus::Profiles,
            }
        }
        Action::Filter => {
            app.focus = Focus::Profiles;
            app.mode = Mode::Filter;
        }
        Action::Paste => app.mode = Mode::Paste(Box::default()),
        Action::FetchToken => {
            app.tab = Tab::Token;
            return actions::fetch_token(app);
        }
        Action::Introspect => return actions::introspect(app),
        Action::Send => return send_from(app, true),
        Action::SendWithoutToken => return send_from(app, false),
        Action::CopyMenu => {
            if app.selected_session().is_some_and(|s| s.token.is_some() || s.call.is_some()) {
                app.mode = Mode::CopyMenu;
            } else {
                app.warn("nothing to copy yet: fetch a token (t) or send a request (s)");
            }
        }
        Action::EditRequest => open_editor(app, false),
        Action::AdHoc => open_editor(app, true),
        Action::NewProfile => super::new_profile::open(app),
        Action::EditProfile => return overlays::open_form(app, overlays::FormKind::Edit),
        Action::DuplicateProfile => return overlays::open_form(app, overlays::FormKind::Duplicate),
        Action::Reload => return vec![reload(app)],
        Action::OpenInEditor => match app.profiles.selected() {
            Some(item) => return vec![Cmd::Edit { path: item.path.clone() }],
            None => app.warn("no profile selected: n creates one"),
        },
        Action::DeleteProfile => {
            if let Some(stem) = app.selected_stem() {
                app.mode = Mode::ConfirmDelete(stem);
            }
        }
        Action::SelectTab(index) => {
            if let Some(tab) = Tab::ALL.get(index) {
                app.tab = *tab;
                app.scroll.detail = 0;
            }
        }
        Action::NextTab => switch_tab(app, 1),
        Action::PrevTab => switch_tab(app, -1),
        Action::Up => move_by(app, -1),
        Action::Down => move_by(app, 1),
        Action::PageUp => page(app, -1),
        Action::PageDown => page(app, 1),
        Action::First if app.focus == Focus::Detail && app.tab != Tab::History => app.scroll.detail = 0,
        Action::Last if app.focus == Focus::Detail && app.tab != Tab::History => {
            app.scroll.detail = view::detail::scroll_extent(app).0
        }
        Action::First => app.move_selection(isize::MIN / 2),
        Action::Last => app.move_selection(isize::MAX / 2),
        Action::OpenEndpoints => {
            app.focus = Focus::Detail;
            app.tab = Tab::Endpoints;
        }
        Action::Reopen => reopen_history(app),
        // The keys of overlays and input modes are not bound while browsing.
        _ => {}
    }
    Vec::new()
}

/// Reads the profile directory again, as a task (so a script can wait for it).
pub fn reload(app: &mut App) -> Cmd {
    let task = app.new_task("reading the profiles again", None);
    Cmd::Reload { task, dir: app.profiles.dir.clone() }
}

/// `r` edits the selected endpoint's request before sending; `a` starts from a blank URL.
fn open_editor(app: &mut App, ad_hoc: bool) {
    let Some(item) = app.profiles.selected() else {
        app.warn("select a profile first: requests are sent with its token");
        return;
    };
    let index = app.session(&item.stem).map(|s| s.endpoint).unwrap_or(0);
    let endpoint = item.loaded.as_ref().ok().and_then(|p| p.endpoints.get(index).cloned());
    // The edits last made to this request (or the last ad-hoc URL) come back.
    let wanted = if ad_hoc || endpoint.is_none() { None } else { Some(index) };
    if let Some((_, draft)) = app.session(&item.stem).and_then(|s| s.draft.as_ref()).filter(|(from, _)| *from == wanted)
    {
        app.mode = Mode::Request(draft.clone());
        return;
    }
    let editor = match (ad_hoc, endpoint) {
        (false, Some(endpoint)) => RequestEditor::from_endpoint(&endpoint, index),
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
        Focus::Profiles => app.move_selection(delta),
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
            Tab::Trace => select_hop(app, delta),
            Tab::History => {
                let count = app.history.len();
                if count > 0 {
                    app.scroll.history = (app.scroll.history as isize + delta).clamp(0, count as isize - 1) as usize;
                }
            }
            _ => scroll_detail(app, delta),
        },
    }
}

/// ↑↓ in the Trace tab: the next or previous hop of the trace shown.
fn select_hop(app: &mut App, delta: isize) {
    let Some(stem) = app.selected_stem() else { return };
    let count = app.session(&stem).map(|s| view::trace::shown(s).len()).unwrap_or(0);
    if count > 0 {
        let session = app.session_mut(&stem);
        session.hop = (session.hop as isize + delta).clamp(0, count as isize - 1) as usize;
        app.scroll.detail = 0;
    }
}

/// PgUp / PgDn: a page of the detail pane (all but one line, so the reader keeps context);
/// in the list and History, ten rows.
fn page(app: &mut App, direction: isize) {
    if app.focus == Focus::Detail && app.tab != Tab::History {
        let height = view::detail::scroll_extent(app).1.max(2) as isize;
        scroll_detail(app, direction * (height - 1));
    } else {
        move_by(app, direction * 10);
    }
}

/// Scrolls the detail pane, never past its last line.
pub fn scroll_detail(app: &mut App, delta: isize) {
    let max = view::detail::scroll_extent(app).0 as isize;
    let current = (app.scroll.detail as isize).min(max);
    app.scroll.detail = (current + delta).clamp(0, max) as u16;
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
