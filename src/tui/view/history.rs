//! The History tab: this run's calls, newest first; Enter reopens one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::core::clock;

use super::super::layout::list_offset;
use super::super::state::app::App;
use super::super::theme::Theme;
use super::widgets::truncate;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    if app.history.is_empty() {
        frame.render_widget(Paragraph::new(Line::styled("No calls yet in this run.", theme.dim())), area);
        return;
    }
    let rows = area.height as usize;
    let offset = list_offset(app.scroll.history, rows);
    let lines: Vec<Line> = app
        .history
        .iter()
        .rev()
        .enumerate()
        .skip(offset)
        .take(rows)
        .map(|(i, report)| {
            let style = if i == app.scroll.history { theme.selected() } else { Style::new() };
            let status = report.response.as_ref().map(|r| r.status);
            let status_text = status.map(|s| s.to_string()).unwrap_or_else(|| "---".to_owned());
            let code = report.findings.first().map(|f| f.code.as_str()).unwrap_or("");
            // Time, status and code first: they are what a narrow terminal must still show.
            let width = area.width as usize;
            let rest = width.saturating_sub(9 + 5 + 22);
            let target = truncate(&format!("{} · {}", report.profile, report.endpoint.name), rest);
            Line::from(vec![
                Span::styled(format!("{:>8} ", clock::relative(report.at, app.now)), style.patch(theme.dim())),
                Span::styled(
                    format!("{status_text:<4} "),
                    style.patch(status.map(|s| theme.status(s)).unwrap_or(theme.server_error())),
                ),
                Span::styled(format!("{:<21} ", truncate(code, 21)), style),
                Span::styled(target, style),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}
