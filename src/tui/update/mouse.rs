//! Mouse: a click selects and focuses, the wheel scrolls the pane under the pointer.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::super::layout::{self, list_offset};
use super::super::msg::Cmd;
use super::super::state::app::{App, Focus, Mode, Tab};
use super::super::view::ROWS_PER_ITEM;

pub fn handle(app: &mut App, event: MouseEvent) -> Vec<Cmd> {
    if !matches!(app.mode, Mode::Normal) {
        return Vec::new();
    }
    let areas = layout::areas(Rect::new(0, 0, app.size.0, app.size.1), app);
    let at = Position::new(event.column, event.row);
    match event.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            if areas.list.contains(at) {
                app.focus = Focus::Profiles;
                let inner_top = areas.list.y + 1;
                let capacity = (areas.list.height.saturating_sub(2) as usize / ROWS_PER_ITEM).max(1);
                if event.row >= inner_top {
                    let row =
                        (event.row - inner_top) as usize / ROWS_PER_ITEM + list_offset(app.profiles.cursor, capacity);
                    if row < app.profiles.visible.len() {
                        app.move_selection(row as isize - app.profiles.cursor as isize);
                    }
                }
            } else if areas.tabs.contains(at) {
                app.focus = Focus::Detail;
                if let Some(index) =
                    layout::tab_spans(areas.tabs).iter().position(|(start, end)| (*start..*end).contains(&event.column))
                {
                    app.tab = Tab::ALL[index];
                    app.scroll.detail = 0;
                }
            } else if areas.detail.contains(at) {
                app.focus = Focus::Detail;
            }
        }
        MouseEventKind::ScrollUp | MouseEventKind::ScrollDown => {
            let delta: isize = if event.kind == MouseEventKind::ScrollUp { -1 } else { 1 };
            if areas.list.contains(at) {
                app.move_selection(delta);
            } else if areas.detail.contains(at) {
                super::normal::scroll_detail(app, delta * 3);
            }
        }
        _ => {}
    }
    Vec::new()
}
