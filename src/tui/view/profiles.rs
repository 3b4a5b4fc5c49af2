//! The profile list: name and last outcome, issuer host and client id; broken files marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::layout::list_offset;
use super::super::state::app::{App, Focus, Mode};
use super::super::theme::Theme;
use super::widgets::{self, truncate};

/// The list's title: the count, the filter as typed (its end, when long) and the matches, in
/// `room` columns.
fn title(app: &App, room: usize) -> String {
    let list = &app.profiles;
    let typing = matches!(app.mode, Mode::Filter);
    if list.filter.is_empty() && !typing {
        return format!("Profiles ({})", list.items.len());
    }
    let count = format!(" ({}/{})", list.visible.len(), list.items.len());
    let cursor = if typing { "▏" } else { "" };
    let fixed = "Profiles /".chars().count() + cursor.chars().count() + count.chars().count();
    let filter: Vec<char> = list.filter.chars().collect();
    let shown: String = if fixed + filter.len() <= room {
        list.filter.clone()
    } else {
        let keep = room.saturating_sub(fixed + 1);
        format!("…{}", filter[filter.len().saturating_sub(keep)..].iter().collect::<String>())
    };
    format!("Profiles /{shown}{cursor}{count}")
}

/// Each profile takes two lines.
pub const ROWS_PER_ITEM: usize = 2;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let list = &app.profiles;
    let title = title(app, area.width.saturating_sub(4) as usize);
    let block = widgets::pane(&title, app.focus == Focus::Profiles, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if list.items.is_empty() {
        let lines = vec![
            Line::raw("No profiles yet."),
            Line::raw(""),
            Line::from(vec![Span::styled("n", theme.key()), Span::raw(" creates one here, in")]),
            Line::styled(list.dir.display().to_string(), theme.dim()),
            Line::raw(""),
            Line::raw("Or quit and run"),
            Line::styled("  tokdbg demo", theme.bold()),
            Line::raw("to try a built-in issuer and API."),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }), inner);
        return;
    }
    if list.visible.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled("no profile matches the filter (Esc clears it)", theme.dim())),
            inner,
        );
        return;
    }
    let width = inner.width as usize;
    let capacity = (inner.height as usize / ROWS_PER_ITEM).max(1);
    let offset = list_offset(list.cursor, capacity);
    let mut lines = Vec::new();
    for (position, &index) in list.visible.iter().enumerate().skip(offset).take(capacity) {
        let item = &list.items[index];
        let selected = position == list.cursor;
        let busy = app.session(&item.stem).is_some_and(|s| s.is_busy());
        let (badge, badge_style) = match (&item.loaded, &item.last, busy) {
            (_, _, true) => (widgets::spinner(app.spinner).to_owned(), theme.warn()),
            (Err(_), _, _) => ("broken".to_owned(), theme.bad()),
            (Ok(_), Some(last), _) => match last.status {
                Some(status) => (status.to_string(), theme.status(status)),
                None => ("err".to_owned(), theme.server_error()),
            },
            (Ok(_), None, _) => (String::new(), Style::new()),
        };
        let name_width = width.saturating_sub(badge.chars().count() + 3);
        let marker = if selected { "▶ " } else { "  " };
        let name = truncate(item.name(), name_width);
        let pad = width.saturating_sub(2 + name.chars().count() + badge.chars().count());
        let row_style = if selected { theme.selected() } else { Style::new() };
        lines.push(Line::from(vec![
            Span::styled(marker, row_style),
            Span::styled(name, row_style.patch(theme.bold())),
            Span::styled(" ".repeat(pad), row_style),
            Span::styled(badge, row_style.patch(badge_style)),
        ]));
        let second = match &item.loaded {
            Ok(_) => {
                let host = item.issuer_host();
                let client = item.client_id();
                let text = match (host.is_empty(), client.is_empty()) {
                    (false, false) => format!("{client} @ {host}"),
                    (false, true) => host,
                    (true, false) => client.to_owned(),
                    (true, true) => item.stem.clone(),
                };
                Span::styled(truncate(&format!("  {text}"), width), theme.dim())
            }
            Err(error) => {
                // The error starts with the file's path, which the row already names: show the reason.
                let path = item.path.display().to_string();
                let reason = error.strip_prefix(path.as_str()).unwrap_or(error).trim_start_matches(':');
                Span::styled(truncate(&format!("  {reason}"), width), theme.bad())
            }
        };
        lines.push(Line::from(second));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
