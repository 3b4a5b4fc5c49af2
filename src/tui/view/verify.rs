//! The Verify tab: one line per check, pass/fail/not checked, expected beside actual.

use ratatui::text::{Line, Span};

use crate::core::verify::{CheckStatus, Verification};

use super::super::state::session::Session;
use super::super::theme::Theme;
use super::widgets::field;

pub fn checklist<'a>(verification: &Verification, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let verdict = if verification.valid {
        Line::styled("✓ the token verifies as the API's [expect] says", theme.ok().patch(theme.bold()))
    } else {
        Line::styled("✗ the token does not verify", theme.bad().patch(theme.bold()))
    };
    lines.push(verdict);
    if let Some(key) = &verification.key {
        lines.push(field("key", format!("{} {} from {}", key.kty, key.kid.as_deref().unwrap_or("(no kid)"), key.source), theme));
    }
    lines.push(Line::raw(""));
    for check in &verification.checks {
        let (mark, style) = match check.status {
            CheckStatus::Pass => ("✓", theme.ok()),
            CheckStatus::Fail => ("✗", theme.bad()),
            CheckStatus::Skip => ("–", theme.dim()),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} {:<10}", check.name.label()), style.patch(theme.bold())),
            Span::styled(check.detail.clone(), style),
        ]));
        if check.expected.is_some() || check.actual.is_some() {
            lines.push(Line::from(vec![
                Span::styled("    expected ", theme.dim()),
                Span::raw(check.expected.clone().unwrap_or_else(|| "-".to_owned())),
            ]));
            lines.push(Line::from(vec![
                Span::styled("    actual   ", theme.dim()),
                Span::styled(check.actual.clone().unwrap_or_else(|| "-".to_owned()), if check.status == CheckStatus::Fail { theme.bad() } else { ratatui::style::Style::new() }),
            ]));
        }
    }
    if !verification.available_kids.is_empty() {
        lines.push(Line::raw(""));
        lines.push(field("JWKS kids", verification.available_kids.join(", "), theme));
    }
    lines
}

pub fn lines<'a>(session: Option<&Session>, theme: &Theme) -> Vec<Line<'a>> {
    match session.and_then(|s| s.token.as_ref()).and_then(|t| t.verification.as_ref()) {
        Some(verification) => checklist(verification, theme),
        None => vec![Line::styled("Nothing verified yet: fetch a token (t), send a request (s), or paste one (p).", theme.dim())],
    }
}
