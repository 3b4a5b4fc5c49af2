//! Small building blocks shared by the views: bordered panes, key/value lines, JSON text.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};

use super::super::theme::Theme;

pub fn pane<'a>(title: &'a str, focused: bool, theme: &Theme) -> Block<'a> {
    let style = if focused { theme.focused_border() } else { theme.border() };
    Block::new()
        .borders(Borders::ALL)
        .border_type(if focused { BorderType::Thick } else { BorderType::Plain })
        .border_style(style)
        .title(Span::styled(format!(" {title} "), if focused { theme.bold() } else { Style::new() }))
}

/// `label  value` with the label dimmed and padded.
pub fn field<'a>(label: &str, value: impl Into<String>, theme: &Theme) -> Line<'a> {
    Line::from(vec![Span::styled(format!("{label:<16}"), theme.dim()), Span::raw(value.into())])
}

pub fn field_styled<'a>(label: &str, value: impl Into<String>, style: Style, theme: &Theme) -> Line<'a> {
    Line::from(vec![Span::styled(format!("{label:<16}"), theme.dim()), Span::styled(value.into(), style)])
}

pub fn heading<'a>(text: &str, theme: &Theme) -> Line<'a> {
    Line::from(Span::styled(text.to_owned(), theme.bold()))
}

/// Pretty JSON as lines, keys and values coloured lightly.
pub fn json_lines<'a>(value: &serde_json::Value, theme: &Theme) -> Vec<Line<'a>> {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.lines()
        .map(|line| match line.split_once("\": ") {
            Some((key, rest)) => Line::from(vec![Span::styled(format!("{key}\": "), theme.dim()), Span::raw(rest.to_owned())]),
            None => Line::raw(line.to_owned()),
        })
        .collect()
}

pub fn spinner(frame: usize) -> &'static str {
    const FRAMES: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];
    FRAMES[frame % FRAMES.len()]
}
