//! The status line (last message, running task) and the key hint line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::keymap;
use super::super::state::app::{App, StatusKind};
use super::super::theme::Theme;
use super::widgets::spinner;

pub fn render_status(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut spans = Vec::new();
    if let Some(task) = app.running.values().next() {
        spans.push(Span::styled(format!("{} {} ", spinner(app.spinner), task.label), theme.warn()));
        if app.running.len() > 1 {
            spans.push(Span::styled(format!("(+{}) ", app.running.len() - 1), theme.dim()));
        }
        spans.push(Span::styled(if app.status.is_some() { "· " } else { "(Esc cancels)" }, theme.dim()));
    }
    match &app.status {
        Some(status) => {
            let style = match status.kind {
                StatusKind::Info => ratatui::style::Style::new(),
                StatusKind::Warning => theme.warn(),
                StatusKind::Error => theme.bad(),
            };
            let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
            let room = (area.width as usize).saturating_sub(used);
            spans.push(Span::styled(super::widgets::truncate(&status.text.replace('\n', " "), room), style));
        }
        None => {
            if let Some(banner) = &app.banner {
                spans.push(Span::styled(banner.clone(), theme.dim()));
            }
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn render_hints(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut spans = Vec::new();
    let mut width = 0usize;
    let mut shown: Vec<&str> = Vec::new();
    for binding in keymap::current(&app.mode, app.focus, app.tab).into_iter().flatten().filter(|b| b.hint) {
        // A pane's own row for keys (the Trace tab's ↑↓) hides the general one behind it.
        if shown.contains(&binding.keys) {
            continue;
        }
        shown.push(binding.keys);
        let action = binding.short;
        let piece = binding.keys.len() + action.len() + 3;
        if width + piece > area.width as usize {
            break;
        }
        width += piece;
        spans.push(Span::styled(binding.keys, theme.key()));
        spans.push(Span::styled(format!(" {action}  "), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
