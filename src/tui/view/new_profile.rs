//! The `n` flow's screens: the choice, the URL line, the curl box (never showing the command),
//! and the draft under review with its notes, warnings marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::super::keymap;
use super::super::layout::centered;
use super::super::state::app::App;
use super::super::state::new_profile::{CurlStep, NewProfile, NewStep, Review, SaveAs, UrlStep};
use super::super::theme::Theme;
use super::overlays::binding_lines;
use super::widgets::{self, spinner, truncate};

pub fn render(frame: &mut Frame, new: &NewProfile, app: &App, theme: &Theme) {
    match &new.step {
        NewStep::Choose => choose(frame, theme),
        NewStep::Url(url) => url_step(frame, url, app, theme),
        NewStep::Curl(curl) => curl_step(frame, curl, theme),
        NewStep::Review(review) => {
            review_screen(frame, review, theme);
            if let Some(saving) = &review.saving {
                save_as(frame, saving, app, spinner(app.spinner), theme);
            }
        }
    }
}

fn choose(frame: &mut Frame, theme: &Theme) {
    let width = frame.area().width.min(72);
    let mut lines = vec![Line::styled("How do you want to start?", theme.bold()), Line::raw("")];
    lines.extend(binding_lines(keymap::NEW_CHOOSE, width.saturating_sub(2) as usize, theme));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Nothing is written before you save the draft.", theme.dim()));
    popup(frame, "New profile", lines, width, theme);
}

/// The rows `lines` take wrapped in `width` columns (a word-wrapped line may take one more row
/// than its length says: one row of slack per wrapped line).
fn wrapped_height(lines: &[Line<'_>], width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let rows: usize = lines
        .iter()
        .map(|line| {
            let length = line.width();
            if length <= width { 1 } else { length.div_ceil(width) + 1 }
        })
        .sum();
    u16::try_from(rows).unwrap_or(u16::MAX)
}

/// `label value▏`, the value's end shown when it is too long.
fn input_line<'a>(label: &str, value: &str, active: bool, width: usize, theme: &Theme) -> Line<'a> {
    let room = width.saturating_sub(label.chars().count() + 2);
    let count = value.chars().count();
    let shown: String = if count > room {
        format!("…{}", value.chars().skip(count - room + 1).collect::<String>())
    } else {
        value.to_owned()
    };
    Line::from(vec![
        Span::styled(label.to_owned(), theme.key()),
        Span::raw(shown),
        Span::styled(if active { "▏" } else { "" }, theme.key()),
    ])
}

fn popup(frame: &mut Frame, title: &str, lines: Vec<Line<'_>>, width: u16, theme: &Theme) {
    let width = width.min(frame.area().width);
    let height = wrapped_height(&lines, width.saturating_sub(2)).saturating_add(2);
    let area = centered(frame.area(), width, height);
    frame.render_widget(Clear, area);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    frame.render_widget(paragraph.block(widgets::pane(title, true, theme)), area);
}

fn url_step(frame: &mut Frame, url: &UrlStep, app: &App, theme: &Theme) {
    let width = frame.area().width.saturating_sub(4).min(100);
    let inner = width.saturating_sub(2) as usize;
    let mut lines = vec![
        Line::raw(
            "The API's URL. It is called without a token; its challenge (WWW-Authenticate), its RFC 9728 metadata and its issuer's metadata make the draft.",
        ),
        Line::raw(""),
        input_line("URL ", url.input.value(), url.pending.is_none(), inner, theme),
        Line::raw(""),
    ];
    match (&url.pending, &url.error) {
        (Some(_), _) => lines.push(Line::styled(
            format!("{} drafting… asking the API and its issuer (Esc cancels)", spinner(app.spinner)),
            theme.warn(),
        )),
        (None, Some(error)) => lines.push(Line::styled(format!("✗ {error}"), theme.bad())),
        (None, None) => lines.push(Line::styled("Enter drafts · Esc cancels", theme.dim())),
    }
    popup(frame, "New profile from an API URL", lines, width, theme);
}

fn curl_step(frame: &mut Frame, curl: &CurlStep, theme: &Theme) {
    let width = frame.area().width.saturating_sub(4).min(100);
    let (line_count, chars) = curl.size();
    let mut lines = vec![
        Line::raw("Paste the curl command, all its lines (a token request or an API call)."),
        Line::styled("It is never shown here, and dropped once read: it may hold a secret or a token.", theme.dim()),
        Line::raw(""),
    ];
    let pasted = if chars == 0 {
        Line::styled("▏ nothing pasted yet", theme.key())
    } else {
        let noun = if line_count == 1 { "line" } else { "lines" };
        Line::from(vec![
            Span::styled("pasted    ", theme.key()),
            Span::raw(format!("{line_count} {noun}, {chars} characters (not shown)")),
        ])
    };
    lines.push(pasted);
    match &curl.reading {
        Some(Ok(reading)) => lines.push(Line::from(vec![
            Span::styled("reads as  ", theme.key()),
            Span::raw(truncate(reading, width.saturating_sub(14) as usize)),
        ])),
        Some(Err(error)) => lines.push(Line::styled(format!("✗ {error}"), theme.bad())),
        None => {}
    }
    lines.push(Line::raw(""));
    match curl.error.as_ref().filter(|e| curl.reading.as_ref().and_then(|r| r.as_ref().err()) != Some(e)) {
        Some(error) => lines.push(Line::styled(format!("✗ {error}"), theme.bad())),
        None => lines.push(Line::styled("Enter drafts · Ctrl-U clears · Esc cancels", theme.dim())),
    }
    popup(frame, "New profile from a curl command", lines, width, theme);
}

/// How a line of the draft's TOML is drawn: FILL IN comments stand out, other comments recede.
fn toml_line(line: &str, theme: &Theme) -> Line<'static> {
    let trimmed = line.trim_start();
    let style = if trimmed.starts_with("# FILL IN") {
        theme.warn()
    } else if trimmed.starts_with('#') {
        theme.dim()
    } else if trimmed.starts_with('[') {
        theme.bold()
    } else {
        Style::new()
    };
    Line::styled(line.to_owned(), style)
}

fn note_line(note: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let (mark, style) = if note.starts_with("warning:") {
        ("! ", theme.warn())
    } else if note.starts_with("fill in") {
        ("→ ", theme.key())
    } else {
        ("· ", Style::new())
    };
    widgets::labelled_wrapped(mark, note, width, style, style)
}

fn review_screen(frame: &mut Frame, review: &Review, theme: &Theme) {
    // Nearly full screen: the status and hint lines stay visible below.
    let screen = frame.area();
    let area = Rect { height: screen.height.saturating_sub(2).max(1), ..screen };
    frame.render_widget(Clear, area);
    let title = format!("Draft from {}", review.origin);
    let title = truncate(&title, area.width.saturating_sub(6) as usize);
    let block = widgets::pane(&title, true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mut lines = Vec::new();
    if !review.draft.notes.is_empty() {
        lines.push(widgets::heading("Notes", theme));
        for note in &review.draft.notes {
            lines.extend(note_line(note, width, theme));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::from(vec![
        Span::styled(format!("{}.toml", review.draft.name), theme.bold()),
        Span::styled("  (not written yet: s saves it, e finishes it in the form)", theme.dim()),
    ]));
    lines.extend(review.draft.profile_toml.lines().map(|line| toml_line(line, theme)));
    let last = wrapped_height(&lines, inner.width).saturating_sub(inner.height);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((review.scroll.min(last), 0));
    frame.render_widget(paragraph, inner);
}

fn save_as(frame: &mut Frame, saving: &SaveAs, app: &App, spin: &str, theme: &Theme) {
    let width = frame.area().width.saturating_sub(4).min(80);
    let inner = width.saturating_sub(2) as usize;
    let name = format!("{}.toml", saving.input.value());
    let mut lines = vec![
        Line::styled(format!("in {}", app.profiles.dir.display()), theme.dim()),
        input_line("name ", saving.input.value(), saving.pending.is_none(), inner, theme),
        Line::raw(""),
    ];
    match (&saving.pending, &saving.error) {
        (Some(_), _) => lines.push(Line::styled(format!("{spin} writing {name}…"), theme.warn())),
        (None, Some(error)) => lines.push(Line::styled(format!("✗ {error}"), theme.bad())),
        (None, None) => lines
            .push(Line::styled(format!("Enter writes {name} (0600; an existing file is never replaced)"), theme.dim())),
    }
    popup(frame, "Save the draft as", lines, width, theme);
}
