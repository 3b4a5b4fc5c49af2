//! The Verify tab: one line per check, pass/fail/not checked, expected beside actual.

use ratatui::text::Line;

use ratatui::style::Style;

use crate::core::clock;
use crate::core::token::verify::{CheckName, CheckStatus, Verification};

use super::super::state::session::Session;
use super::super::theme::Theme;
use super::widgets::{field, labelled_wrapped};

/// The checks of `verification`; `expiry` = (the token's exp, now) lets the exp line speak of
/// now rather than of when the token was verified.
pub fn checklist<'a>(
    verification: &Verification,
    expiry: Option<(i64, i64)>,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let skipped: Vec<&str> =
        verification.checks.iter().filter(|c| c.status == CheckStatus::Skip).map(|c| c.name.label()).collect();
    let verdict = if verification.valid && skipped.is_empty() {
        Line::styled("✓ the token passes every check", theme.ok().patch(theme.bold()))
    } else if verification.valid {
        Line::styled(
            format!("✓ the token passes the checks that ran (not checked: {})", skipped.join(", ")),
            theme.ok().patch(theme.bold()),
        )
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
        let detail = match (check.name, check.status, expiry) {
            (CheckName::Exp, CheckStatus::Pass, Some((exp, now))) if exp <= now => {
                format!("{} (valid when verified)", clock::expiry_phrase(exp, now))
            }
            (CheckName::Exp, CheckStatus::Pass, Some((exp, now))) => clock::expiry_phrase(exp, now),
            _ => check.detail.clone(),
        };
        let inline = match (&check.actual, detailed) {
            (Some(actual), false) => format!("{detail} · {actual}"),
            _ => detail,
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

pub fn lines<'a>(session: Option<&Session>, now: i64, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let fetch = session.and_then(|s| s.token.as_ref());
    match fetch.and_then(|t| t.verification.as_ref()) {
        Some(verification) => {
            let expiry = fetch.and_then(|t| t.token.expires_at).map(|exp| (exp, now));
            checklist(verification, expiry, width, theme)
        }
        None => vec![Line::styled(
            "Nothing verified yet: fetch a token (t), send a request (s), or paste one (p).",
            theme.dim(),
        )],
    }
}
