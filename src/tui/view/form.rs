//! The profile form popup: one field a line, errors under their field, the focus kept in view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use tui_input::Input;

use super::super::keymap;
use super::super::layout::centered;
use super::super::state::endpoint_form::FormKeys;
use super::super::state::form::FormState;
use super::super::state::form_fields::{AUTH_METHODS, FieldId, FieldKind, SCOPE_MATCHES, SecretKind};
use super::super::theme::Theme;
use super::endpoint_form;
use super::widgets;

/// Width of the label column (the longest label is `issuer.token_endpoint`).
const LABEL_WIDTH: usize = 22;
/// The marker column before the labels.
const MARKER: usize = 2;

const INSECURE_WARNING: &str =
    "dev only: any server certificate is accepted (no protection against interception); warned on every call";

const LITERAL_WARNING: &str =
    "a literal secret is written in plain text to the file (0600): prefer env/file/cmd/prompt";

pub fn render(frame: &mut Frame, state: &FormState, theme: &Theme) {
    let screen = frame.area();
    let width = screen.width.saturating_sub(4).clamp(20.min(screen.width), 96);
    let inner_width = width.saturating_sub(2) as usize;
    let room = inner_width.saturating_sub(MARKER + LABEL_WIDTH + 1).max(8);
    let (body, focus_rows) = body_lines(state, room, theme);
    let note = state.kept_note();
    let footer_height = 1 + u16::from(note.is_some());
    let wanted = body.len() as u16 + footer_height + 5;
    let area = centered(screen, width, wanted.min(screen.height.saturating_sub(2).max(8)));
    frame.render_widget(Clear, area);
    let block = widgets::pane("Profile", true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [header_area, fields_area, footer_area] =
        Layout::vertical([Constraint::Length(2), Constraint::Min(1), Constraint::Length(footer_height + 1)])
            .areas(inner);

    let rows = fields_area.height as usize;
    let total = body.len();
    let offset = scroll_offset(focus_rows, total, rows);
    let more = |shown: bool, text: &'static str| Line::styled(if shown { text } else { "" }, theme.dim());
    let header = vec![Line::styled(state.header(), theme.bold()), more(offset > 0, "  ▲ more")];
    frame.render_widget(Paragraph::new(header), header_area);
    frame.render_widget(Paragraph::new(body).scroll((offset as u16, 0)), fields_area);

    let mut footer = vec![more(offset + rows < total, "  ▼ more")];
    if let Some(note) = note {
        footer.push(Line::styled(note, theme.dim()));
    }
    footer.push(match state.keys() {
        FormKeys::Endpoints => {
            endpoint_form::hint_line(&[keymap::FORM_ENDPOINTS], &[("Ctrl-S", "save"), ("Esc", "cancel")], theme)
        }
        _ => keys_line(theme),
    });
    frame.render_widget(Paragraph::new(footer), footer_area);

    if let Some(editor) = &state.endpoints.editor {
        let title = match editor.index {
            Some(i) => format!("Endpoint {} of {}", i + 1, state.endpoints.items().len()),
            None => "New endpoint".to_owned(),
        };
        endpoint_form::render_editor(frame, editor, &title, theme);
        if editor.confirm_discard {
            endpoint_form::confirm_discard(frame, "this endpoint", theme);
        }
    }
    if state.confirm_discard {
        endpoint_form::confirm_discard(frame, "this profile", theme);
    }
}

/// The first row shown: the focused field (with its error lines) near the middle, when it scrolls.
pub(super) fn scroll_offset((start, end): (usize, usize), total: usize, rows: usize) -> usize {
    if total <= rows || rows == 0 {
        return 0;
    }
    let middle = (start + end) / 2;
    let offset = middle.saturating_sub(rows / 2).min(total - rows);
    // A field taller than the view shows its first line.
    offset.max((end + 1).saturating_sub(rows)).min(start)
}

fn keys_line<'a>(theme: &Theme) -> Line<'a> {
    let keys =
        [("Tab/↓ ↑", "field"), ("←→", "choice/cursor"), ("Ctrl-R", "reveal"), ("Ctrl-S", "save"), ("Esc", "cancel")];
    let mut spans = Vec::new();
    for (key, action) in keys {
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(format!(" {action}  ")));
    }
    Line::from(spans)
}

/// Every line of the field list, and the rows the focused field takes (first, last).
fn body_lines<'a>(state: &FormState, room: usize, theme: &Theme) -> (Vec<Line<'a>>, (usize, usize)) {
    let mut lines: Vec<Line<'a>> = Vec::new();
    let mut focus_rows = (0, 0);
    let indent = " ".repeat(MARKER + LABEL_WIDTH);
    for id in state.fields() {
        let focused = state.focus() == id;
        if matches!(id, FieldId::Save | FieldId::Endpoints | FieldId::TlsCaFile | FieldId::DpopAlg) {
            lines.push(Line::raw(""));
        }
        let start = lines.len();
        lines.push(field_line(state, id, focused, room, theme));
        if id == FieldId::Endpoints {
            let (section, selected) =
                endpoint_form::section_lines(&state.endpoints, focused, room + LABEL_WIDTH, theme);
            lines.extend(section);
            if focused {
                // Keep the selected endpoint in view, the section's label with it when it fits.
                focus_rows = (start, start + 1 + selected);
            }
            continue;
        }
        match id {
            FieldId::SecretKind if state.secret_kind() == SecretKind::Prompt => {
                for part in wrap("asked when a token is fetched; kept in memory, never written", room) {
                    lines.push(Line::styled(format!("{indent}{part}"), theme.dim()));
                }
            }
            FieldId::SecretValue if state.secret_kind() == SecretKind::Literal => {
                for part in wrap(LITERAL_WARNING, room) {
                    lines.push(Line::styled(format!("{indent}{part}"), theme.warn()));
                }
            }
            FieldId::TlsInsecure if state.insecure() => {
                for part in wrap(&format!("⚠ {INSECURE_WARNING}"), room) {
                    lines.push(Line::styled(format!("{indent}{part}"), theme.warn()));
                }
            }
            _ => {}
        }
        if let Some(error) = state.error(id) {
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

fn field_line<'a>(state: &FormState, id: FieldId, focused: bool, room: usize, theme: &Theme) -> Line<'a> {
    let marker = Span::styled(if focused { "▸ " } else { "  " }, theme.key());
    if id == FieldId::Save {
        let style = if focused { theme.selected().patch(theme.bold()) } else { theme.bold() };
        return Line::from(vec![marker, Span::styled("[ Save ]", style)]);
    }
    let label = if id == FieldId::SecretValue { state.secret_kind().value_label() } else { id.label() };
    let label_style = if focused {
        theme.selected()
    } else if state.error(id).is_some() {
        theme.bad()
    } else {
        Style::new()
    };
    let mut spans = vec![marker, Span::styled(format!("{label:<LABEL_WIDTH$}"), label_style), Span::raw(" ")];
    match id.kind() {
        FieldKind::Choice => spans.extend(choice_spans(state, id, focused, theme)),
        FieldKind::Text => {
            let placeholder =
                if id == FieldId::SecretValue { state.secret_kind().placeholder() } else { id.placeholder() };
            if let Some(input) = state.text(id) {
                spans.extend(text_spans(input, state.masked(id), focused, room, placeholder, theme));
            }
        }
        FieldKind::Button => {}
        FieldKind::Section => {
            let count = state.endpoints.items().len();
            let text = match (count, focused) {
                (0, _) => String::new(),
                (_, true) => format!("{count} · Enter edits, a adds, x removes, K/J move"),
                (_, false) => count.to_string(),
            };
            spans.push(Span::styled(text, theme.dim()));
        }
    }
    Line::from(spans)
}

fn choice_spans<'a>(state: &FormState, id: FieldId, focused: bool, theme: &Theme) -> Vec<Span<'a>> {
    let (options, selected): (Vec<&'static str>, &'static str) = match id {
        FieldId::SecretKind => (SecretKind::ALL.map(SecretKind::as_str).to_vec(), state.secret_kind().as_str()),
        FieldId::AuthMethod => (AUTH_METHODS.map(|m| m.as_str()).to_vec(), state.auth_method().as_str()),
        FieldId::ScopeMatch => (SCOPE_MATCHES.map(|m| m.as_str()).to_vec(), state.scope_match().as_str()),
        FieldId::TlsInsecure => (vec!["false", "true"], if state.insecure() { "true" } else { "false" }),
        _ => (Vec::new(), ""),
    };
    let mut spans = Vec::new();
    // A long list (the seven auth methods) shows its choice alone, with where it stands.
    if options.len() > 5 {
        let at = options.iter().position(|o| *o == selected).map_or(0, |i| i + 1);
        let style = if focused { theme.selected().patch(theme.bold()) } else { theme.bold() };
        spans.push(Span::styled(format!("‹{selected}›"), style));
        spans.push(Span::styled(format!("  {at} of {} · ← →", options.len()), theme.dim()));
        return spans;
    }
    for option in options {
        let style = match (option == selected, focused) {
            (true, true) => theme.selected().patch(theme.bold()),
            (true, false) => theme.bold(),
            (false, _) => theme.dim(),
        };
        let text = if option == selected { format!("‹{option}›") } else { format!(" {option} ") };
        spans.push(Span::styled(text, style));
        spans.push(Span::raw(" "));
    }
    spans
}

/// A text value fitted to `room` columns: around the cursor when focused, cut with … otherwise.
pub(super) fn text_spans<'a>(
    input: &Input,
    masked: bool,
    focused: bool,
    room: usize,
    placeholder: &str,
    theme: &Theme,
) -> Vec<Span<'a>> {
    let chars: Vec<char> =
        if masked { vec!['•'; input.value().chars().count()] } else { input.value().chars().collect() };
    let hint = Span::styled(placeholder.to_owned(), theme.dim());
    if !focused {
        if chars.is_empty() {
            return vec![hint];
        }
        let shown: String = if chars.len() > room {
            chars[..room.saturating_sub(1)].iter().chain(['…'].iter()).collect()
        } else {
            chars.iter().collect()
        };
        return vec![Span::raw(shown)];
    }
    let room = room.saturating_sub(1).max(1);
    let cursor = input.cursor().min(chars.len());
    let start = cursor.saturating_sub(room.saturating_sub(1));
    let end = (start + room).min(chars.len());
    let mut spans = vec![
        Span::raw(chars[start..cursor].iter().collect::<String>()),
        Span::styled("▏", theme.key()),
        Span::raw(chars[cursor..end.max(cursor)].iter().collect::<String>()),
    ];
    if chars.is_empty() {
        spans.push(hint);
    }
    spans
}

/// Splits text into lines of at most `width` characters, at spaces where possible.
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.chars().count() > width {
            let head: String = line.chars().take(width).collect();
            let tail: String = line.chars().skip(width).collect();
            lines.push(head);
            line = tail;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_and_scrolls() {
        assert_eq!(wrap("abc def ghi", 8), ["abc def", "ghi"]);
        assert_eq!(wrap("abcdefghij", 8), ["abcdefgh", "ij"]);
        assert_eq!(scroll_offset((0, 0), 10, 20), 0);
        assert_eq!(scroll_offset((25, 26), 30, 10), 20);
        assert_eq!(scroll_offset((12, 12), 30, 10), 7);
        assert_eq!(scroll_offset((2, 14), 30, 10), 2);
    }
}
