//! The Verify tab: one line per check, pass/fail/not checked, expected beside actual.

use ratatui::text::Line;

use ratatui::style::Style;

use crate::core::token::verify::{CheckName, CheckStatus, Verification};

use super::super::state::session::Session;
use super::super::theme::Theme;
use super::widgets::{field, labelled_wrapped};

pub fn checklist<'a>(verification: &Verification, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let verdict = if verification.valid {
        Line::styled("✓ the token verifies as the API's [expect] says", theme.ok().patch(theme.bold()))
    } else {
        Line::styled("✗ the token does not verify", theme.bad().patch(theme.bold()))
    };
    lines.push(verdict);
    if let Some(key) = &verification.key {
        lines.push(field(
            "key",
            format!("{} {} from {}", key.kty, key.kid.as_deref().unwrap_or("(no kid)"), key.source),
            theme,
        ));
    }
    lines.push(Line::raw(""));
    for check in &verification.checks {
        let (mark, style) = match check.status {
            CheckStatus::Pass => ("✓", theme.ok()),
            CheckStatus::Fail => ("✗", theme.bad()),
            CheckStatus::Skip => ("–", theme.dim()),
        };
        // Passing checks carry their value inline; failures (and exp) get expected beside actual.
        let detailed = check.status == CheckStatus::Fail || check.name == CheckName::Exp;
        let inline = match (&check.actual, detailed) {
            (Some(actual), false) => format!("{} · {actual}", check.detail),
            _ => check.detail.clone(),
        };
        let head = format!("{mark} {:<10}", check.name.label());
        lines.extend(labelled_wrapped(&head, &inline, width, style.patch(theme.bold()), style));
        if detailed {
            if let Some(expected) = &check.expected {
                lines.extend(labelled_wrapped("    expected ", expected, width, theme.dim(), Style::new()));
            }
            if let Some(actual) = &check.actual {
                let actual_style = if check.status == CheckStatus::Fail { theme.bad() } else { Style::new() };
                lines.extend(labelled_wrapped("    actual   ", actual, width, theme.dim(), actual_style));
            }
        }
    }
    if !verification.available_kids.is_empty() {
        lines.push(Line::raw(""));
        lines.push(field("JWKS kids", verification.available_kids.join(", "), theme));
    }
    lines
}

pub fn lines<'a>(session: Option<&Session>, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    match session.and_then(|s| s.token.as_ref()).and_then(|t| t.verification.as_ref()) {
        Some(verification) => checklist(verification, width, theme),
        None => vec![Line::styled(
            "Nothing verified yet: fetch a token (t), send a request (s), or paste one (p).",
            theme.dim(),
        )],
    }
}
