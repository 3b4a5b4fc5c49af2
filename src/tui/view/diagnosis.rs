//! The Diagnosis tab: the verdict, then each finding with evidence and fix, primary first.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::core::diagnose::Verdict;
use crate::core::findings::Severity;

use super::super::state::session::Session;
use super::super::theme::Theme;
use super::widgets::labelled_wrapped;

pub fn lines<'a>(session: Option<&Session>, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let Some(report) = session.and_then(|s| s.call.as_ref()) else {
        return vec![Line::styled("No call yet: send an endpoint (s) and the diagnosis appears here.", theme.dim())];
    };
    let (verdict, style) = match report.verdict {
        Verdict::Allowed => ("ALLOWED", theme.ok()),
        Verdict::Denied => ("DENIED", theme.bad()),
        Verdict::Error => ("ERROR", theme.server_error()),
    };
    let status = report.response.as_ref().map(|r| format!(" · HTTP {}", r.status)).unwrap_or_default();
    // The stack the answer revealed, whose words the fixes speak.
    let stack = report
        .server
        .as_ref()
        .and_then(|s| s.dialect.as_ref())
        .and_then(|d| d.product())
        .map(|product| format!(" · {product}"))
        .unwrap_or_default();
    let mut lines = vec![
        Line::from(vec![
            Span::styled(verdict, style.patch(theme.bold())),
            Span::raw(format!("  {} {}{status}{stack}", report.endpoint.method, report.endpoint.url)),
        ]),
        Line::raw(""),
    ];
    // How the request was built (the profile's Authorization header vs the token) bears on the verdict.
    for note in &report.notes {
        lines.extend(labelled_wrapped("note ", note, width, theme.warn(), Style::new()));
    }
    if !report.notes.is_empty() {
        lines.push(Line::raw(""));
    }
    for (i, finding) in report.findings.iter().enumerate() {
        let (mark, style) = match finding.severity {
            Severity::Error => ("✗", theme.bad()),
            Severity::Warning => ("!", theme.warn()),
            Severity::Info => ("✓", theme.ok()),
        };
        let rank = if i == 0 && report.findings.len() > 1 { "PRIMARY " } else { "" };
        lines.push(Line::from(vec![Span::styled(format!("{mark} {rank}{}", finding.code), style.patch(theme.bold()))]));
        lines.extend(labelled_wrapped("  ", &finding.message, width, Style::new(), Style::new()));
        if let Some(expected) = &finding.evidence.expected {
            lines.extend(labelled_wrapped("  expected ", expected, width, theme.dim(), Style::new()));
        }
        if let Some(actual) = &finding.evidence.actual {
            lines.extend(labelled_wrapped("  actual   ", actual, width, theme.dim(), Style::new()));
        }
        if finding.severity != Severity::Info {
            lines.extend(labelled_wrapped("  fix      ", &finding.fix, width, theme.bold(), Style::new()));
        }
        lines.push(Line::raw(""));
    }
    lines
}
