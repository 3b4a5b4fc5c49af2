//! Paste mode: the token field, the URL field, the decoded token and, once asked, its checks.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::core::clock;
use crate::core::token::jwt::NumericDate;

use super::super::state::app::App;
use super::super::state::paste::{PasteField, PasteState};
use super::super::theme::Theme;
use super::verify::checklist;
use super::widgets::{self, heading, json_lines, spinner};

fn input_line<'a>(label: &str, value: &str, active: bool, width: usize, theme: &Theme) -> Line<'a> {
    // Long tokens: show the tail, where typing happens.
    let room = width.saturating_sub(label.len() + 3);
    let count = value.chars().count();
    let shown: String = if count > room {
        format!("…{}", value.chars().skip(count - room + 1).collect::<String>())
    } else {
        value.to_owned()
    };
    Line::from(vec![
        Span::styled(label.to_owned(), if active { theme.key() } else { theme.dim() }),
        Span::raw(shown),
        Span::styled(if active { "▏" } else { "" }, theme.key()),
    ])
}

pub fn render(frame: &mut Frame, state: &PasteState, app: &App, theme: &Theme) {
    // Nearly full screen: the status and hint lines stay visible below.
    let screen = frame.area();
    let area = ratatui::layout::Rect { height: screen.height.saturating_sub(2).max(1), ..screen };
    frame.render_widget(Clear, area);
    let block = widgets::pane("Paste a token", true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [inputs, body] = Layout::vertical([Constraint::Length(5), Constraint::Min(1)]).areas(inner);
    let profile = app.profiles.selected().map(|p| p.stem.clone()).unwrap_or_else(|| "(none)".to_owned());
    let width = inputs.width as usize;
    let input_lines = vec![
        input_line("token    ", state.token.value(), state.field == PasteField::Token, width, theme),
        input_line("verify   ", state.jwks.value(), state.field == PasteField::Jwks, width, theme),
        Line::styled(format!("  (a JWKS or issuer URL; empty: as profile {profile})"), theme.dim()),
        input_line("issuer   ", state.issuer.value(), state.field == PasteField::Issuer, width, theme),
        input_line("audience ", state.audience.value(), state.field == PasteField::Audience, width, theme),
    ];
    frame.render_widget(Paragraph::new(input_lines), inputs);

    let mut lines = Vec::new();
    if state.pending.is_some() {
        lines.push(Line::styled(format!("{} verifying… (Esc cancels)", spinner(app.spinner)), theme.warn()));
    }
    match &state.decoded {
        None => lines.push(Line::styled(
            "Paste a JWT (Ctrl-Shift-V or your terminal's paste); it is decoded at once.",
            theme.dim(),
        )),
        Some(Err(error)) => lines.push(Line::styled(format!("✗ {error}"), theme.bad())),
        Some(Ok(token)) => {
            if let Some(report) = &state.report
                && let Some(verification) = &report.verification
            {
                let expiry = report.token.expires_at.map(|exp| (exp, app.now));
                lines.extend(checklist(verification, expiry, body.width as usize, theme));
                for finding in &report.findings {
                    if finding.severity == crate::core::findings::Severity::Error {
                        lines.push(Line::from(vec![
                            Span::styled(format!("fix [{}] ", finding.code), theme.bold()),
                            Span::raw(finding.fix.clone()),
                        ]));
                    }
                }
                lines.push(Line::raw(""));
            }
            lines.push(Line::styled(
                format!(
                    "{} · kid {} · {} bytes",
                    token.alg.as_deref().unwrap_or("no alg"),
                    token.kid.as_deref().unwrap_or("-"),
                    token.size
                ),
                theme.bold(),
            ));
            if let NumericDate::Valid(exp) = token.numeric_date("exp") {
                lines.push(Line::styled(
                    format!("{} ({})", clock::expiry_phrase(exp, app.now), clock::format_utc(exp)),
                    theme.expiry(exp - app.now),
                ));
            }
            lines.push(heading("Header", theme));
            lines.extend(json_lines(&serde_json::Value::Object(token.header.clone()), theme));
            lines.push(heading("Claims", theme));
            lines.extend(json_lines(&serde_json::Value::Object(token.claims.clone()), theme));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((state.scroll, 0)), body);
}
