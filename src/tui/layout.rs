//! Where each pane sits for a terminal size: one function the views and the mouse share.

use ratatui::layout::{Constraint, Layout, Rect};

use super::state::app::App;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub list: Rect,
    pub tabs: Rect,
    pub detail: Rect,
    pub status: Rect,
    pub hints: Rect,
}

pub fn areas(screen: Rect, app: &App) -> Areas {
    let [body, status, hints] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(1), Constraint::Length(1)]).areas(screen);
    // The list gets about a third, within bounds that keep names and statuses readable; on a
    // wide terminal (160 columns and more) it grows, up to two fifths, until its names fit.
    let base = (body.width / 3).clamp(22.min(body.width), 38);
    let cap = if body.width >= 160 { body.width * 2 / 5 } else { base };
    let list_width = list_width_wanted(app).clamp(base, cap.max(base));
    let [list, right] = Layout::horizontal([Constraint::Length(list_width), Constraint::Min(10)]).areas(body);
    let [tabs, detail] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(right);
    Areas { list, tabs, detail, status, hints }
}

/// The width the profile list needs to show every name, badge and client @ host uncut.
fn list_width_wanted(app: &App) -> u16 {
    let widest = app
        .profiles
        .visible
        .iter()
        .filter_map(|&i| app.profiles.items.get(i))
        .map(|item| {
            let first = item.name().chars().count() + 2 + 4;
            let second = item.client_id().chars().count() + 3 + item.issuer_host().chars().count() + 2;
            first.max(second)
        })
        .max()
        .unwrap_or(0);
    // Two columns of border.
    u16::try_from(widest + 2).unwrap_or(u16::MAX)
}

/// The tab titles as drawn, and the gap between them: full names when they fit, else short
/// ones; with a one-column gap when that fits too (the titles' own padding keeps them apart).
pub fn tab_labels(width: u16) -> (Vec<String>, usize) {
    use super::state::app::Tab;
    let full: Vec<String> = Tab::ALL.iter().enumerate().map(|(i, t)| format!(" {}:{} ", i + 1, t.title())).collect();
    let short: Vec<String> =
        Tab::ALL.iter().enumerate().map(|(i, t)| format!(" {}:{} ", i + 1, t.short_title())).collect();
    let needed = |labels: &[String], gap: usize| labels.iter().map(|l| l.chars().count() + gap).sum::<usize>() + 1;
    for labels in [&full, &short] {
        for gap in [1, 0] {
            if needed(labels, gap) <= width as usize {
                return (labels.clone(), gap);
            }
        }
    }
    (short, 0)
}

/// The x-ranges of the tab titles in the tab bar, for mouse clicks.
pub fn tab_spans(tabs: Rect) -> Vec<(u16, u16)> {
    let mut x = tabs.x + 1;
    let (labels, gap) = tab_labels(tabs.width);
    labels
        .iter()
        .map(|label| {
            let width = label.chars().count() as u16;
            let span = (x, x + width);
            x += width + gap as u16;
            span
        })
        .collect()
}

/// A rectangle of `width` x `height` centered in `area` (clamped to it).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height }
}

/// First visible row of a list of `rows` lines that keeps `cursor` in view (the views and the
/// mouse must agree on it, so it is computed, not kept in widget state).
pub fn list_offset(cursor: usize, rows: usize) -> usize {
    if rows == 0 { cursor } else { cursor.saturating_sub(rows - 1) }
}
