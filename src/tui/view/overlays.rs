//! Popups: help (every key of the current view), delete confirmation, secret prompt, copy menu.

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::super::keymap::{self, Row};
use super::super::layout::centered;
use super::super::state::app::{App, Mode, PromptState};
use super::super::theme::Theme;
use super::widgets;

pub(super) fn binding_lines<'a>(bindings: &[Row], width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let keys_width = bindings.iter().map(|b| b.keys.chars().count()).max().unwrap_or(0).min(22) + 2;
    bindings
        .iter()
        .flat_map(|b| {
            widgets::labelled_wrapped(&format!("{:<keys_width$}", b.keys), b.help, width, theme.key(), Style::new())
        })
        .collect()
}

pub fn help(frame: &mut Frame, app: &App, theme: &Theme) {
    // Help describes the view under it: the keys of browsing mode at the current focus and tab.
    let width = frame.area().width.min(96);
    let inner_width = width.saturating_sub(2) as usize;
    let mut lines = vec![
        Line::styled(format!("Keys here ({} tab) — ↑↓ scroll, any other key closes", app.tab.title()), theme.bold()),
        Line::raw(""),
    ];
    for set in keymap::current(&Mode::Normal, app.focus, app.tab) {
        lines.extend(binding_lines(set, inner_width, theme));
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("Paste mode, forms and popups show their keys at the bottom.", theme.dim()));
    let area = centered(frame.area(), width, lines.len() as u16 + 2);
    let max_scroll = (lines.len() as u16 + 2).saturating_sub(area.height);
    let scroll = app.scroll.help.min(max_scroll);
    let title = match (scroll > 0, scroll < max_scroll) {
        (false, true) => "Help ▼ more",
        (true, true) => "Help ▲▼ more",
        (true, false) => "Help ▲ more",
        (false, false) => "Help",
    };
    frame.render_widget(Clear, area);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((scroll, 0));
    frame.render_widget(paragraph.block(widgets::pane(title, true, theme)), area);
}

pub fn confirm_delete(frame: &mut Frame, stem: &str, theme: &Theme) {
    let lines = vec![
        Line::raw(format!("Delete the profile file {stem}.toml?")),
        Line::styled("This cannot be undone.", theme.warn()),
        Line::raw(""),
        Line::from(vec![
            Span::styled("y", theme.key()),
            Span::raw(" delete   "),
            Span::styled("n", theme.key()),
            Span::raw(" keep"),
        ]),
    ];
    let area = centered(frame.area(), 50, 6);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(widgets::pane("Delete profile", true, theme)), area);
}

pub fn prompt(frame: &mut Frame, prompt: &PromptState, theme: &Theme) {
    let masked = "•".repeat(prompt.input.value().chars().count());
    let lines = vec![
        Line::raw(format!("Enter the {}", prompt.label)),
        Line::styled("kept in memory for this run only, never written", theme.dim()),
        Line::raw(""),
        Line::from(vec![Span::styled("> ", theme.key()), Span::raw(masked), Span::styled("▏", theme.key())]),
    ];
    let area = centered(frame.area(), 70, 6);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(widgets::pane("Secret", true, theme)),
        area,
    );
}

pub fn copy_menu(frame: &mut Frame, app: &App, theme: &Theme) {
    let mut lines = binding_lines(keymap::COPY, 62, theme);
    // The first nine claims can be copied one by one.
    let claims = app.selected_session().and_then(|s| s.token.as_ref()).and_then(|t| t.token.claims.as_ref());
    if let Some(claims) = claims.filter(|c| !c.is_empty()) {
        lines.push(Line::raw(""));
        for (i, (name, value)) in claims.iter().take(9).enumerate() {
            let shown = value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string());
            lines.push(Line::from(vec![
                Span::styled(format!("{}  ", i + 1), theme.key()),
                Span::styled(format!("{name:<10} "), theme.dim()),
                Span::raw(widgets::truncate(&shown, 46)),
            ]));
        }
    }
    let area = centered(frame.area(), 64, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(widgets::pane("Copy", true, theme)), area);
}
