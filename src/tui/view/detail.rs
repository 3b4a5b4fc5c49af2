//! The tab bar and the detail pane, which shows the selected tab for the selected profile.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::state::app::{App, Focus, Tab};
use super::super::theme::Theme;
use super::{diagnosis, endpoints, history, profile, token, trace, verify, widgets};

pub fn render_tabs(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut spans = vec![Span::raw(" ")];
    let (labels, gap) = super::super::layout::tab_labels(area.width);
    for (tab, label) in Tab::ALL.iter().zip(labels) {
        let style = if *tab == app.tab { theme.selected().patch(theme.bold()) } else { Style::new() };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" ".repeat(gap)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Focus::Detail;
    let title = match app.profiles.selected() {
        Some(item) if app.tab != Tab::History => format!("{} · {}", app.tab.title(), item.stem),
        _ => app.tab.title().to_owned(),
    };
    let mut block = widgets::pane(&title, focused, theme);
    let inner = block.inner(area);
    if app.tab == Tab::History {
        frame.render_widget(block, area);
        history::render(frame, inner, app, theme);
        return;
    }
    let lines = content(app, inner.width as usize, theme);
    let (offset, below) = window(lines.len(), inner.height as usize, app.scroll.detail);
    // Where more lies above or below, the bottom border says so and how to get there.
    let more = match (offset > 0, below > 0) {
        (false, false) => None,
        (true, false) => Some(" ↑ top: Home ".to_owned()),
        (_, true) => Some(format!(" ↓ {below} more: PgDn ")),
    };
    if let Some(more) = more {
        block = block.title_bottom(Line::styled(more, theme.key()).right_aligned());
    }
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(lines).scroll((offset as u16, 0)), inner);
}

/// The first line shown and how many lines stay hidden below, for `total` lines in `height`
/// rows scrolled by `wanted`: never past the end, so a long scroll cannot show a blank pane.
pub fn window(total: usize, height: usize, wanted: u16) -> (usize, usize) {
    let last_start = total.saturating_sub(height);
    let offset = (wanted as usize).min(last_start);
    (offset, total.saturating_sub(offset + height))
}

/// The detail pane's lines for the selected profile and tab, wrapped to `width`.
pub fn content(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let Some(item) = app.profiles.selected() else {
        let text = if app.profiles.items.is_empty() {
            "Create a profile with n, or paste a token with p."
        } else {
            "Select a profile."
        };
        return vec![Line::styled(text, theme.dim())];
    };
    let lines = match &item.loaded {
        Ok(profile) => {
            let session = app.session(&item.stem);
            match app.tab {
                Tab::Profile => profile::lines(item, profile, theme),
                Tab::Token => token::lines(session, app, theme),
                Tab::Verify => verify::lines(session, app.now, width, theme),
                Tab::Endpoints => endpoints::lines(profile, session, app, width, theme),
                Tab::Diagnosis => diagnosis::lines(session, width, theme),
                Tab::History => Vec::new(),
                Tab::Trace => trace::lines(session, app, width, theme),
            }
        }
        Err(error) => vec![
            Line::styled("This profile file does not load:", theme.bad()),
            Line::raw(""),
            Line::raw(error.clone()),
            Line::raw(""),
            Line::styled(
                format!("Fix {} in an editor; the other profiles still work.", item.path.display()),
                theme.dim(),
            ),
        ],
    };
    lines.into_iter().flat_map(|line| widgets::wrap_line(line, width)).collect()
}

/// How far the detail pane can scroll at the app's terminal size, and its height: `update`
/// clamps with this, so the state never holds an offset past the end.
pub fn scroll_extent(app: &App) -> (u16, u16) {
    let areas = super::super::layout::areas(Rect::new(0, 0, app.size.0, app.size.1), app);
    let inner = ratatui::widgets::Block::bordered().inner(areas.detail);
    let theme = Theme::new(false);
    let total = content(app, inner.width as usize, &theme).len();
    let max = total.saturating_sub(inner.height as usize);
    (u16::try_from(max).unwrap_or(u16::MAX), inner.height)
}
