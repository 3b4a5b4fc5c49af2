//! The Endpoints tab: each endpoint with its scope gap, and the answer to the last request.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::core::model::profile::Profile;
use crate::core::token::scopes;

use super::super::state::app::{App, Tab};
use super::super::state::session::{Pending, Session};
use super::super::theme::Theme;
use super::widgets::{heading, spinner, truncate};

/// The scheme://host:port all endpoints share, so rows can show paths only.
fn common_origin(profile: &Profile) -> Option<String> {
    let origins: Vec<String> = profile
        .endpoints
        .iter()
        .filter_map(|e| url::Url::parse(&e.url).ok())
        .map(|u| u.origin().ascii_serialization())
        .collect();
    let first = origins.first()?;
    (origins.len() == profile.endpoints.len() && origins.iter().all(|o| o == first)).then(|| first.clone())
}

pub fn lines<'a>(
    profile: &Profile,
    session: Option<&Session>,
    app: &App,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let mut lines = endpoint_rows(profile, session, width, theme);
    lines.push(Line::raw(""));
    lines.extend(last_request(session, app, theme));
    lines
}

/// One row per endpoint with its method, path and scope marks; or how to add one.
fn endpoint_rows<'a>(profile: &Profile, session: Option<&Session>, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    if profile.endpoints.is_empty() {
        lines.push(Line::styled("No endpoints in this profile.", theme.dim()));
        lines.push(Line::from(vec![
            Span::styled("e", theme.key()),
            Span::raw(" adds endpoints in the form, "),
            Span::styled("a", theme.key()),
            Span::raw(" sends a request to any URL."),
        ]));
        return lines;
    }
    let selected = session.map(|s| s.endpoint).unwrap_or(0);
    let granted = session.and_then(|s| s.token.as_ref()).and_then(|t| t.token.scopes.clone());
    let name_width = profile.endpoints.iter().map(|e| e.name.chars().count()).max().unwrap_or(0).min(28).min(width / 3);
    let origin = common_origin(profile);
    for (i, endpoint) in profile.endpoints.iter().enumerate() {
        let marker = if i == selected { "▶ " } else { "  " };
        let style = if i == selected { theme.selected() } else { Style::new() };
        let target = match &origin {
            Some(origin) => endpoint.url.strip_prefix(origin.as_str()).unwrap_or(&endpoint.url).to_owned(),
            None => endpoint.url.clone(),
        };
        // Scope marks come first so a narrow terminal cuts the path, never the verdict on scopes.
        let mut marks: Vec<Span> = Vec::new();
        if !endpoint.required_scopes.is_empty() {
            match &granted {
                Some(granted) => {
                    let gap = scopes::scope_gap(&endpoint.required_scopes, granted, profile.expect.scope_match);
                    for scope in &endpoint.required_scopes {
                        let have = !gap.missing.contains(scope);
                        let text = if have { format!(" ✓{scope}") } else { format!(" ✗{scope}") };
                        marks.push(Span::styled(text, if have { theme.ok() } else { theme.bad().patch(theme.bold()) }));
                    }
                }
                None => marks.push(Span::styled(format!(" [{}]", endpoint.required_scopes.join(" ")), theme.dim())),
            }
        }
        let marks_width: usize = marks.iter().map(|m| m.content.chars().count()).sum();
        let fixed = 2 + name_width + 1 + 6 + 1;
        let room = width.saturating_sub(fixed + marks_width).max(8);
        let mut spans = vec![
            Span::styled(marker, style),
            Span::styled(format!("{:<name_width$}", truncate(&endpoint.name, name_width)), style.patch(theme.bold())),
            Span::styled(format!(" {:<6} {}", endpoint.method, truncate(&target, room)), style),
        ];
        spans.extend(marks);
        lines.push(Line::from(spans));
    }
    if let Some(origin) = &origin {
        lines.push(Line::styled(format!("  (paths on {origin})"), theme.dim()));
    }
    lines
}

/// The request in flight, or the answer to the last one (an endpoint's or an ad-hoc URL's).
fn last_request<'a>(session: Option<&Session>, app: &App, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    if let Some(Session { pending: Some(Pending::Call(_)), .. }) = session {
        lines.push(Line::styled(format!("{} sending… (Esc cancels)", spinner(app.spinner)), theme.warn()));
        return lines;
    }
    if let Some(failure) = session.and_then(|s| s.failure.as_ref()) {
        lines.push(Line::styled(format!("✗ the last attempt failed: {failure}"), theme.bad()));
        lines.push(Line::raw(""));
    }
    let Some(report) = session.and_then(|s| s.call.as_ref()) else {
        lines.push(Line::from(vec![
            Span::styled("Enter", theme.key()),
            Span::raw(" sends it with a token, "),
            Span::styled("b", theme.key()),
            Span::raw(" without, "),
            Span::styled("r", theme.key()),
            Span::raw(" edits it first, "),
            Span::styled("a", theme.key()),
            Span::raw(" sends to any URL."),
        ]));
        return lines;
    };
    let mut request = vec![
        Span::styled("Last request ", theme.bold()),
        Span::raw(format!("{} {}", report.endpoint.method, report.endpoint.url)),
    ];
    // An ad-hoc request's name is its URL: saying it twice helps nobody.
    let ad_hoc_name = format!("{} {}", report.endpoint.method, report.endpoint.url);
    if ![report.endpoint.url.as_str(), ad_hoc_name.as_str(), ""].contains(&report.endpoint.name.as_str()) {
        request.push(Span::styled(format!(" ({})", report.endpoint.name), theme.dim()));
    }
    lines.push(Line::from(request));
    match (&report.response, &report.request_error) {
        (Some(response), _) => {
            lines.push(Line::from(vec![
                Span::styled("HTTP ", theme.bold()),
                Span::styled(response.status.to_string(), theme.status(response.status).patch(theme.bold())),
                Span::styled(format!("  {} ms  {}", response.latency_ms, report.verdict.as_str()), theme.dim()),
                Span::styled(
                    if report.token.source == crate::core::engine::TokenSource::None {
                        "  (no token sent)"
                    } else {
                        ""
                    },
                    theme.dim(),
                ),
            ]));
            if let Some(first) = report.findings.first() {
                let style =
                    if report.verdict == crate::core::diagnose::Verdict::Allowed { theme.ok() } else { theme.bad() };
                let text = if first.code == crate::core::findings::Code::Ok {
                    format!("✓ {}", first.message)
                } else {
                    format!("[{}] {}", first.code, first.message)
                };
                lines.push(Line::styled(text, style));
                let diagnosis = Tab::Diagnosis.index() + 1;
                let pointer = if report.verdict == crate::core::diagnose::Verdict::Allowed {
                    format!("  ({diagnosis} Diagnosis: what was checked)")
                } else {
                    format!("  ({diagnosis} Diagnosis: the evidence and the fix)")
                };
                lines.push(Line::styled(pointer, theme.dim()));
            }
            if let Some(challenge) = &response.bearer {
                lines.push(Line::raw(""));
                lines.push(heading("WWW-Authenticate", theme));
                lines.push(Line::raw(challenge.raw.clone()));
                for (name, value) in [
                    ("error", challenge.error.clone()),
                    ("description", challenge.error_description.clone()),
                    ("scope", (!challenge.scope.is_empty()).then(|| challenge.scope.join(" "))),
                    ("realm", challenge.realm.clone()),
                ] {
                    if let Some(value) = value {
                        lines.push(Line::from(vec![
                            Span::styled(format!("  {name:<12}"), theme.dim()),
                            Span::raw(value),
                        ]));
                    }
                }
            }
            lines.push(Line::raw(""));
            lines.push(heading("Headers", theme));
            for (name, value) in &response.headers {
                lines.push(Line::from(vec![Span::styled(format!("{name}: "), theme.dim()), Span::raw(value.clone())]));
            }
            lines.push(Line::raw(""));
            lines.push(heading(if response.truncated { "Body (truncated)" } else { "Body" }, theme));
            for line in response.body.lines().take(400) {
                lines.push(Line::raw(line.to_owned()));
            }
        }
        (None, Some(error)) => lines.push(Line::styled(format!("request failed: {error}"), theme.bad())),
        (None, None) => {
            if let Some(first) = report.findings.first() {
                lines.push(Line::styled(format!("not sent: [{}] {}", first.code, first.message), theme.bad()));
            }
        }
    }
    lines
}
