//! The request editor popup.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::super::layout::centered;
use super::super::state::request::{RequestEditor, RequestField};
use super::super::theme::Theme;
use super::widgets;

pub fn render(frame: &mut Frame, editor: &RequestEditor, theme: &Theme) {
    let title = match &editor.origin {
        Some(name) => format!("Edit request: {name}"),
        None => "Ad-hoc request".to_owned(),
    };
    let mut lines = Vec::new();
    for field in RequestField::ALL {
        let active = field == editor.field;
        let value = editor.input(field).value().to_owned();
        lines.push(Line::from(vec![
            Span::styled(format!("{:<14}", field.label()), if active { theme.key() } else { theme.dim() }),
            Span::styled(value, if active { theme.bold() } else { ratatui::style::Style::new() }),
            Span::styled(if active { "▏" } else { "" }, theme.key()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("headers: Name: value; Name2: value2 — the Bearer token is added by tokdbg", theme.dim()));
    let token = if editor.with_token { "with the profile's token" } else { "WITHOUT a token" };
    lines.push(Line::from(vec![
        Span::styled("Enter", theme.key()),
        Span::raw(format!(" sends {token}  ")),
        Span::styled("Ctrl-T", theme.key()),
        Span::raw(" toggles  "),
        Span::styled("Ctrl-S", theme.key()),
        Span::raw(" saves as an endpoint"),
    ]));
    if let Some(error) = &editor.error {
        lines.push(Line::styled(error.clone(), theme.bad()));
    }
    if let Some(saving) = &editor.saving {
        lines.push(Line::raw(""));
        lines.push(Line::from(vec![
            Span::styled(format!("{:<14}", "save as"), theme.key()),
            Span::styled(saving.name.value().to_owned(), theme.bold()),
            Span::styled("▏", theme.key()),
        ]));
        let target = match (&editor.origin, saving.replace) {
            (Some(origin), true) => format!("replaces the endpoint \"{origin}\" (Tab: add as a new one)"),
            (Some(_), false) => "added as a new endpoint (Tab: replace the one it came from)".to_owned(),
            (None, _) => "added as a new endpoint of the profile".to_owned(),
        };
        lines.push(Line::styled(format!("{:<14}{target}", ""), theme.dim()));
        if let Some(error) = &saving.error {
            lines.push(Line::styled(format!("{:<14}{error}", ""), theme.bad()));
        }
        lines.push(Line::from(vec![
            Span::styled("Enter", theme.key()),
            Span::raw(" writes it into the profile file  "),
            Span::styled("Esc", theme.key()),
            Span::raw(" back to the request"),
        ]));
    }
    let area = centered(frame.area(), 100, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(widgets::pane(&title, true, theme)),
        area,
    );
}
