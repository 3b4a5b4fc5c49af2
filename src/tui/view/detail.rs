//! The tab bar and the detail pane, which shows the selected tab for the selected profile.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::state::app::{App, Focus, Tab};
use super::super::theme::Theme;
use super::{diagnosis, endpoints, history, profile, token, verify, widgets};

pub fn render_tabs(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut spans = vec![Span::raw(" ")];
    for (tab, label) in Tab::ALL.iter().zip(super::super::layout::tab_labels(area.width)) {
        let style = if *tab == app.tab { theme.selected().patch(theme.bold()) } else { Style::new() };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Focus::Detail;
    let title = match app.profiles.selected() {
        Some(item) if app.tab != Tab::History => format!("{} · {}", app.tab.title(), item.stem),
        _ => app.tab.title().to_owned(),
    };
    let block = widgets::pane(&title, focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.tab == Tab::History {
        history::render(frame, inner, app, theme);
        return;
    }
    let Some(item) = app.profiles.selected() else {
        let text = if app.profiles.items.is_empty() {
            "Create a profile with n, or paste a token with p."
        } else {
            "Select a profile."
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme.dim())), inner);
        return;
    };
    let profile = match &item.loaded {
        Ok(profile) => profile,
        Err(error) => {
            let lines = vec![
                Line::styled("This profile file does not load:", theme.bad()),
                Line::raw(""),
                Line::raw(error.clone()),
                Line::raw(""),
                Line::styled(
                    format!("Fix {} in an editor; the other profiles still work.", item.path.display()),
                    theme.dim(),
                ),
            ];
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
            return;
        }
    };
    let session = app.session(&item.stem);
    let lines = match app.tab {
        Tab::Profile => profile::lines(item, profile, theme),
        Tab::Token => token::lines(session, app, theme),
        Tab::Verify => verify::lines(session, inner.width as usize, theme),
        Tab::Endpoints => endpoints::lines(profile, session, app, inner.width as usize, theme),
        Tab::Diagnosis => diagnosis::lines(session, inner.width as usize, theme),
        Tab::History => Vec::new(),
    };
    let width = inner.width as usize;
    let lines: Vec<Line> = lines.into_iter().flat_map(|line| widgets::wrap_line(line, width)).collect();
    frame.render_widget(Paragraph::new(lines).scroll((app.scroll.detail, 0)), inner);
}
