//! The profile form's Endpoints section (one line per endpoint), the endpoint sub-form popup,
//! and the "Discard changes?" question.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::super::keymap::{self, Row};
use super::super::layout::centered;
use super::super::state::endpoint_form::{EndpointEditor, EndpointField, EndpointList};
use super::super::theme::Theme;
use super::form::{scroll_offset, text_spans, wrap};
use super::widgets;

/// Width of the sub-form's label column (`required_scopes`).
const LABEL_WIDTH: usize = 16;

/// The section's lines under its label line, and which of them is the selected endpoint.
pub fn section_lines<'a>(list: &EndpointList, focused: bool, width: usize, theme: &Theme) -> (Vec<Line<'a>>, usize) {
    let items = list.items();
    let mut lines = Vec::new();
    if items.is_empty() {
        let text = if focused { "    none yet: a adds one" } else { "    none yet" };
        lines.push(Line::styled(text, theme.dim()));
    }
    let name_width = items.iter().map(|e| e.name.chars().count()).max().unwrap_or(0).min(24);
    let mut selected_row = 0;
    for (i, endpoint) in items.iter().enumerate() {
        let selected = i == list.selected();
        if selected {
            selected_row = lines.len();
        }
        let marker = if selected && focused { "  ▸ " } else { "    " };
        let name = widgets::truncate(&endpoint.name, name_width);
        let mut rest = format!("{name:<name_width$}  {}", endpoint.url);
        if !endpoint.required_scopes.is_empty() {
            rest.push_str(&format!("  needs {}", endpoint.required_scopes.join(" ")));
        }
        let room = width.saturating_sub(marker.chars().count() + 8);
        let style = if selected && focused { theme.selected() } else { Style::new() };
        lines.push(Line::from(vec![
            Span::styled(marker, theme.key()),
            Span::styled(format!("{:<7} ", endpoint.method), theme.bold()),
            Span::styled(widgets::truncate(&rest, room), style),
        ]));
    }
    if let Some(note) = list.note() {
        for part in wrap(note, width.saturating_sub(4)) {
            lines.push(Line::styled(format!("    {part}"), theme.dim()));
        }
    }
    (lines, selected_row)
}

/// The keys of `rows` that the hint line shows, as one line.
pub fn hint_line<'a>(rows: &[&[Row]], extra: &[(&'static str, &'static str)], theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    let shown = rows.iter().flat_map(|rows| rows.iter()).filter(|row| row.hint).map(|row| (row.keys, row.short));
    for (keys, short) in shown.chain(extra.iter().copied()) {
        spans.push(Span::styled(keys, theme.key()));
        spans.push(Span::raw(format!(" {short}  ")));
    }
    Line::from(spans)
}

/// The sub-form over the profile form: one field a line, the body on as many lines as it has.
pub fn render_editor(frame: &mut Frame, editor: &EndpointEditor, title: &str, theme: &Theme) {
    let screen = frame.area();
    let width = screen.width.saturating_sub(8).clamp(20.min(screen.width), 90);
    let room = (width.saturating_sub(2) as usize).saturating_sub(2 + LABEL_WIDTH + 1).max(8);
    let (body, focus_rows) = field_lines(editor, room, theme);
    let wanted = body.len() as u16 + 6;
    let area = centered(screen, width, wanted.min(screen.height.saturating_sub(4).max(8)));
    frame.render_widget(Clear, area);
    let block = widgets::pane("Endpoint", true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [header_area, fields_area, footer_area] =
        Layout::vertical([Constraint::Length(2), Constraint::Min(1), Constraint::Length(2)]).areas(inner);
    let rows = fields_area.height as usize;
    let offset = scroll_offset(focus_rows, body.len(), rows);
    let more = |shown: bool, text: &'static str| Line::styled(if shown { text } else { "" }, theme.dim());
    let header = vec![Line::styled(title.to_owned(), theme.bold()), more(offset > 0, "  ▲ more")];
    frame.render_widget(Paragraph::new(header), header_area);
    frame.render_widget(Paragraph::new(body.clone()).scroll((offset as u16, 0)), fields_area);
    let footer = vec![more(offset + rows < body.len(), "  ▼ more"), hint_line(&[keymap::ENDPOINT_EDIT], &[], theme)];
    frame.render_widget(Paragraph::new(footer), footer_area);
}

fn field_lines<'a>(editor: &EndpointEditor, room: usize, theme: &Theme) -> (Vec<Line<'a>>, (usize, usize)) {
    let mut lines = Vec::new();
    let mut focus_rows = (0, 0);
    let indent = " ".repeat(2 + LABEL_WIDTH + 1);
    for field in EndpointField::ALL {
        let focused = editor.focus() == field;
        if field == EndpointField::Done {
            lines.push(Line::raw(""));
        }
        let start = lines.len();
        let marker = Span::styled(if focused { "▸ " } else { "  " }, theme.key());
        let label_style = if focused {
            theme.selected()
        } else if editor.error(field).is_some() {
            theme.bad()
        } else {
            Style::new()
        };
        let label = Span::styled(format!("{:<LABEL_WIDTH$} ", field.label()), label_style);
        match field {
            EndpointField::Done => {
                let style = if focused { theme.selected().patch(theme.bold()) } else { theme.bold() };
                lines.push(Line::from(vec![marker, Span::styled("[ Done ]", style)]));
            }
            EndpointField::Method => {
                let mut spans = vec![marker, label];
                for method in editor.methods() {
                    let chosen = method == editor.method();
                    let style = match (chosen, focused) {
                        (true, true) => theme.selected().patch(theme.bold()),
                        (true, false) => theme.bold(),
                        (false, _) => theme.dim(),
                    };
                    let text = if chosen { format!("‹{method}›") } else { format!(" {method} ") };
                    spans.push(Span::styled(text, style));
                    spans.push(Span::raw(" "));
                }
                lines.push(Line::from(spans));
            }
            EndpointField::Body => {
                let body = body_lines(editor, focused, room, theme);
                for (i, spans) in body.into_iter().enumerate() {
                    let mut line =
                        if i == 0 { vec![marker.clone(), label.clone()] } else { vec![Span::raw(indent.clone())] };
                    line.extend(spans);
                    lines.push(Line::from(line));
                }
            }
            _ => {
                let mut spans = vec![marker, label];
                if let Some(input) = editor.text(field) {
                    spans.extend(text_spans(input, false, focused, room, field.placeholder(), theme));
                }
                lines.push(Line::from(spans));
            }
        }
        if let Some(error) = editor.error(field) {
            for part in wrap(&format!("✗ {error}"), room) {
                lines.push(Line::styled(format!("{indent}{part}"), theme.bad()));
            }
        }
        if focused {
            focus_rows = (start, lines.len() - 1);
        }
    }
    (lines, focus_rows)
}

/// The body, one screen line per line of text, the cursor shown where it is when focused.
fn body_lines<'a>(editor: &EndpointEditor, focused: bool, room: usize, theme: &Theme) -> Vec<Vec<Span<'a>>> {
    let Some(input) = editor.text(EndpointField::Body) else { return vec![Vec::new()] };
    if input.value().is_empty() {
        let cursor = if focused { vec![Span::styled("▏", theme.key())] } else { Vec::new() };
        return vec![[cursor, vec![Span::styled(EndpointField::Body.placeholder(), theme.dim())]].concat()];
    }
    let cursor = input.cursor();
    let mut lines = Vec::new();
    let mut at = 0usize;
    for text in input.value().split('\n') {
        let count = text.chars().count();
        let chars: Vec<char> = text.chars().collect();
        if focused && (at..=at + count).contains(&cursor) {
            // The line with the cursor shows the part around it.
            let column = cursor - at;
            let start = column.saturating_sub(room.saturating_sub(2));
            let end = (start + room.saturating_sub(1)).min(count);
            lines.push(vec![
                Span::raw(chars[start..column].iter().collect::<String>()),
                Span::styled("▏", theme.key()),
                Span::raw(chars[column..end.max(column)].iter().collect::<String>()),
            ]);
        } else {
            lines.push(vec![Span::raw(widgets::truncate(text, room))]);
        }
        at += count + 1;
    }
    lines
}

/// "Discard changes?" over the form: y discards, anything else goes back to editing.
pub fn confirm_discard(frame: &mut Frame, what: &str, theme: &Theme) {
    let lines = vec![
        Line::raw(format!("Discard the changes to {what}?")),
        Line::raw(""),
        hint_line(&[keymap::DISCARD], &[], theme),
    ];
    let width = (lines[0].width() as u16 + 4).clamp(40, frame.area().width.max(1));
    let area = centered(frame.area(), width, 5);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(widgets::pane("Discard changes?", true, theme)), area);
}
