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
            Some((key, rest)) => {
                Line::from(vec![Span::styled(format!("{key}\": "), theme.dim()), Span::raw(rest.to_owned())])
            }
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
pub fn labelled_wrapped<'a>(
    label: &str,
    text: &str,
    width: usize,
    label_style: Style,
    text_style: Style,
) -> Vec<Line<'a>> {
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

/// Wraps a styled line to `width` columns, breaking after spaces where it can (mid-word only
/// for runs longer than a line, such as URLs and tokens). Continuation lines are indented by the
/// line's label — its first span when that is a short prefix — so wrapped values stay under
/// their value column instead of at column 0.
pub fn wrap_line(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    let total: usize = line.spans.iter().map(|s| s.content.chars().count()).sum();
    if width == 0 || total <= width {
        return vec![line];
    }
    let label_width = match line.spans.as_slice() {
        [first, _, ..] => {
            let w = first.content.chars().count();
            if w <= 24 && w * 2 < width { w } else { 0 }
        }
        _ => 0,
    };
    let cells: Vec<(char, Style)> =
        line.spans.iter().flat_map(|span| span.content.chars().map(move |c| (c, span.style))).collect();
    let mut rows: Vec<Vec<(char, Style)>> = Vec::new();
    let mut start = 0;
    let mut first = true;
    while start < cells.len() {
        let indent = if first { 0 } else { label_width };
        let room = width.saturating_sub(indent).max(1);
        let mut end = (start + room).min(cells.len());
        if end < cells.len() {
            // Break after the last space in range, unless that leaves the row nearly empty; a
            // URL or path without spaces breaks after a `/`, `?`, `&` or `,` rather than mid-word.
            let at = |pred: fn(char) -> bool| {
                cells[start..end].iter().rposition(|(c, _)| pred(*c)).filter(|&i| i > room / 3)
            };
            if let Some(space) = at(|c| c == ' ').or_else(|| at(|c| matches!(c, '/' | '?' | '&' | ','))) {
                end = start + space + 1;
            }
        }
        let mut row: Vec<(char, Style)> = vec![(' ', Style::new()); indent];
        let chunk = &cells[start..end];
        // Leading spaces of a continuation would only shift the text.
        let skip = if first { 0 } else { chunk.iter().take_while(|(c, _)| *c == ' ').count() };
        row.extend_from_slice(&chunk[skip..]);
        rows.push(row);
        start = end;
        first = false;
    }
    rows.into_iter()
        .map(|row| {
            let mut spans: Vec<Span<'static>> = Vec::new();
            let mut text = String::new();
            let mut style = row.first().map(|(_, s)| *s).unwrap_or_default();
            for (c, s) in row {
                if s != style && !text.is_empty() {
                    spans.push(Span::styled(std::mem::take(&mut text), style));
                }
                style = s;
                text.push(c);
            }
            if !text.is_empty() {
                spans.push(Span::styled(text, style));
            }
            Line::from(spans).style(line.style)
        })
        .collect()
}

/// Cuts text to `width` columns with an ellipsis.
pub fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn wrapped_values_stay_under_their_label() {
        let line = Line::from(vec![Span::raw("label     "), Span::raw("one two three four five six seven")]);
        let rows = wrap_line(line, 24);
        let texts: Vec<String> = rows.iter().map(text).collect();
        assert_eq!(texts[0], "label     one two three ");
        assert!(texts[1].starts_with("          four"), "{texts:?}");
        assert!(texts.iter().all(|t| t.chars().count() <= 24), "{texts:?}");
    }

    #[test]
    fn long_words_break_hard_and_short_lines_are_untouched() {
        let rows = wrap_line(Line::raw("x".repeat(50)), 20);
        assert_eq!(rows.len(), 3);
        let rows = wrap_line(Line::raw("short"), 20);
        assert_eq!(rows.len(), 1);
        assert!(wrap_line(Line::raw("anything"), 0).len() == 1);
    }
}
