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

/// Word-wraps `text` to `width` columns; continuation lines start with `indent` spaces, so a
/// wrapped message stays visibly under its label.
pub fn wrap_indented(text: &str, width: usize, first_prefix: usize, indent: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut room = width.saturating_sub(first_prefix).max(10);
    for word in text.split_whitespace() {
        let len = current.chars().count();
        let word_len = word.chars().count();
        if len > 0 && len + 1 + word_len > room {
            lines.push(std::mem::take(&mut current));
            room = width.saturating_sub(indent).max(10);
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// `label text` with the text wrapped and aligned under itself.
pub fn labelled_wrapped<'a>(label: &str, text: &str, width: usize, label_style: Style, text_style: Style) -> Vec<Line<'a>> {
    let prefix = label.chars().count();
    wrap_indented(text, width, prefix, prefix)
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let head = if i == 0 { label.to_owned() } else { " ".repeat(prefix) };
            Line::from(vec![Span::styled(head, label_style), Span::styled(chunk, text_style)])
        })
        .collect()
}
