//! The Trace tab: the last call's requests as a sequence — caller → issuer (discovery, token,
//! JWKS), caller → API — one row per hop with a latency bar scaled to the slowest, the failing
//! hop marked, and the selected hop's request and response below.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::core::engine::trace::{HopKind, Peer};
use crate::core::engine::{CallReport, Hop, TokenFetch};
use crate::core::net::scrub::is_credential_header;

use super::super::state::app::App;
use super::super::state::session::{Pending, Session};
use super::super::theme::Theme;
use super::widgets::{field, heading, json_lines, spinner, truncate};

/// The trace the tab shows: the last call's, else the last token fetch's.
pub fn shown(session: &Session) -> &[Hop] {
    match (&session.call, &session.token) {
        (Some(call), _) => &call.trace,
        (None, Some(fetch)) => &fetch.trace,
        (None, None) => &[],
    }
}

pub fn lines(session: Option<&Session>, app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some(Session { pending: Some(Pending::Call(_) | Pending::Token(_)), .. }) = session {
        lines.push(Line::styled(format!("{} under way… (Esc cancels)", spinner(app.spinner)), theme.warn()));
        lines.push(Line::raw(""));
    }
    let Some(session) = session.filter(|s| !shown(s).is_empty()) else {
        lines.push(Line::from(vec![
            Span::raw("No requests yet. "),
            Span::styled("s", theme.key()),
            Span::raw(" sends the selected endpoint, "),
            Span::styled("t", theme.key()),
            Span::raw(" fetches a token: each request they make shows here."),
        ]));
        return lines;
    };
    let trace = shown(session);
    let selected = session.hop.min(trace.len() - 1);
    lines.extend(hop_rows(trace, selected, width, theme));
    lines.push(Line::raw(""));
    let hop = &trace[selected];
    lines.extend(hop_detail(session, hop, selected, trace.len(), theme));
    lines
}

/// One header per stretch of hops to the same party and origin, one row per hop under it.
fn hop_rows(trace: &[Hop], selected: usize, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let method_width = trace.iter().map(|h| h.method.chars().count()).max().unwrap_or(3).min(7);
    let statuses: Vec<String> = trace.iter().map(status_word).collect();
    let status_width = statuses.iter().map(|s| s.chars().count()).max().unwrap_or(3);
    // marker (3) kind (9+1) method (+1) path (+1) status (+1) latency (9+1) bar
    let fixed = 3 + 10 + method_width + 1 + 1 + status_width + 1 + 10;
    let bar_width = (width.saturating_sub(fixed) / 3).clamp(3, 16);
    let path_width = width.saturating_sub(fixed + bar_width).max(8);
    let slowest = trace.iter().filter_map(|h| h.latency_ms).fold(0.0, f64::max);
    let mut lines = Vec::new();
    let mut group: Option<(Peer, String)> = None;
    for (i, (hop, status)) in trace.iter().zip(&statuses).enumerate() {
        let (origin, path) = split_url(&hop.url);
        if group.as_ref() != Some(&(hop.to, origin.clone())) {
            lines.push(Line::from(vec![
                Span::styled(format!("caller → {}", hop.to.as_str()), theme.bold()),
                Span::styled(format!("  {origin}"), theme.dim()),
            ]));
            group = Some((hop.to, origin));
        }
        let style = if i == selected { theme.selected() } else { Style::new() };
        let cursor = if i == selected { "▶" } else { " " };
        let (mark, kind_style) =
            if hop.failed { ("✗", theme.bad().patch(theme.bold())) } else { (" ", Style::new()) };
        let status_style = match (hop.cached, hop.status, &hop.error) {
            (true, _, _) => theme.dim(),
            (false, Some(code), None) => theme.status(code),
            _ => theme.bad(),
        };
        let latency = hop.latency_ms.map(|ms| format!("{ms:>6.1} ms ")).unwrap_or_else(|| " ".repeat(10));
        let bar = match hop.latency_ms {
            Some(ms) if slowest > 0.0 => "█".repeat((((ms / slowest) * bar_width as f64).round() as usize).max(1)),
            Some(_) => "█".to_owned(),
            None => String::new(),
        };
        lines.push(Line::from(vec![
            Span::styled(cursor, style),
            Span::styled(format!("{mark} "), kind_style),
            Span::styled(format!("{:<9} ", hop.hop.as_str()), style.patch(kind_style)),
            Span::styled(format!("{:<method_width$} ", hop.method), style),
            Span::styled(format!("{:<path_width$} ", cut_left(&path, path_width)), style),
            Span::styled(format!("{status:<status_width$} "), status_style),
            Span::styled(latency, theme.dim()),
            Span::styled(bar, if hop.failed { theme.bad() } else { theme.ok() }),
        ]));
    }
    lines
}

/// What the status column says: the code, the kind of error, or `cached`.
fn status_word(hop: &Hop) -> String {
    match (hop.cached, hop.status, &hop.error) {
        (true, _, _) => "cached".to_owned(),
        (false, Some(code), _) => code.to_string(),
        (false, None, Some(error)) => truncate(error, 12),
        (false, None, None) => "—".to_owned(),
    }
}

/// `scheme://host:port` and the rest of a URL (the whole text as the path if it does not parse).
fn split_url(url: &str) -> (String, String) {
    match url::Url::parse(url) {
        Ok(parsed) if parsed.has_host() => {
            let origin = parsed.origin().ascii_serialization();
            let rest = url.strip_prefix(origin.as_str()).unwrap_or(url);
            (origin, if rest.is_empty() { "/".to_owned() } else { rest.to_owned() })
        }
        _ => (String::new(), url.to_owned()),
    }
}

/// The end of `text` in `width` columns: a path's last segments say the most.
fn cut_left(text: &str, width: usize) -> String {
    let length = text.chars().count();
    if length <= width {
        return text.to_owned();
    }
    let tail: String = text.chars().skip(length - width.saturating_sub(1)).collect();
    format!("…{tail}")
}

/// The selected hop: what went out and what came back, as far as the report knows it.
fn hop_detail(session: &Session, hop: &Hop, index: usize, count: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("Hop {}/{count} ", index + 1), theme.bold()),
        Span::raw(format!("{} · caller → {}", hop.hop.as_str(), hop.to.as_str())),
        Span::styled(
            match hop.latency_ms {
                Some(_) => format!("  started +{:.1} ms", hop.offset_ms),
                None => String::new(),
            },
            theme.dim(),
        ),
    ])];
    if hop.failed {
        let diagnosis = super::super::state::app::Tab::Diagnosis.index() + 1;
        lines.push(Line::styled(
            format!("✗ the call failed here ({diagnosis} Diagnosis: the evidence and the fix)"),
            theme.bad(),
        ));
    }
    if hop.cached {
        lines.push(Line::styled("answered from this run's cache: no request was sent", theme.dim()));
    }
    let call: Option<&CallReport> = session.call.as_deref();
    let fetch: Option<&TokenFetch> = session.token.as_deref();
    match hop.hop {
        HopKind::Discovery => discovery_detail(
            call.and_then(|c| c.discovery.as_ref()).or(fetch.and_then(|f| f.discovery.as_ref())),
            hop,
            theme,
            &mut lines,
        ),
        HopKind::Token => token_detail(
            call.and_then(|c| c.token_request.as_ref()).or(fetch.and_then(|f| f.token_request.as_ref())),
            hop,
            theme,
            &mut lines,
        ),
        HopKind::Jwks => jwks_detail(
            call.and_then(|c| c.verification.as_ref()).or(fetch.and_then(|f| f.verification.as_ref())),
            hop,
            theme,
            &mut lines,
        ),
        HopKind::Api => api_detail(session, call, hop, theme, &mut lines),
        HopKind::Introspection | HopKind::Revocation => {
            request_line(hop, theme, &mut lines);
            response_line(hop, theme, &mut lines);
        }
    }
    lines
}

fn request_line(hop: &Hop, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    lines.push(Line::raw(""));
    lines.push(heading("Request", theme));
    lines.push(Line::raw(format!("{} {}", hop.method, hop.url)));
}

fn response_line(hop: &Hop, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    if hop.cached {
        return;
    }
    lines.push(Line::raw(""));
    let status = match (hop.status, &hop.error) {
        (Some(code), Some(error)) => Span::styled(format!("{code} {error}"), theme.bad()),
        (Some(code), None) => Span::styled(code.to_string(), theme.status(code)),
        (None, Some(error)) => Span::styled(format!("no answer: {error}"), theme.bad()),
        (None, None) => Span::styled("no answer".to_owned(), theme.bad()),
    };
    let latency = hop.latency_ms.map(|ms| format!("  {ms:.1} ms")).unwrap_or_default();
    lines.push(Line::from(vec![Span::styled("Response ", theme.bold()), status, Span::styled(latency, theme.dim())]));
}

/// A GET of a JSON document (discovery, JWKS): the request, the answer, why it failed.
fn json_fetch(hop: &Hop, error: Option<&str>, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    request_line(hop, theme, lines);
    lines.push(Line::styled("Accept: application/json", theme.dim()));
    response_line(hop, theme, lines);
    if let Some(error) = error {
        lines.push(Line::styled(error.to_owned(), theme.bad()));
    }
}

fn discovery_detail(
    report: Option<&crate::core::engine::DiscoveryReport>,
    hop: &Hop,
    theme: &Theme,
    lines: &mut Vec<Line<'static>>,
) {
    json_fetch(hop, report.and_then(|r| r.error.as_deref()), theme, lines);
    let Some(report) = report else { return };
    if let Some(document) = &report.document {
        lines.extend(json_lines(document, theme));
    }
}

fn token_detail(
    report: Option<&crate::core::engine::TokenRequestReport>,
    hop: &Hop,
    theme: &Theme,
    lines: &mut Vec<Line<'static>>,
) {
    let Some(report) = report.filter(|_| !hop.cached) else {
        request_line(hop, theme, lines);
        lines.push(Line::styled("(t fetches a new token)", theme.dim()));
        return;
    };
    lines.push(Line::raw(""));
    lines.push(heading("Request", theme));
    lines.push(Line::raw(format!("{} {}", report.request.method, report.request.url)));
    // The request as a value with the client's secret already redacted (as on the Token tab).
    for (name, value) in &report.request.headers {
        lines.push(Line::styled(format!("{name}: {value}"), theme.dim()));
    }
    let form: Vec<String> = report.request.form.iter().map(|(k, v)| format!("{k}={v}")).collect();
    lines.push(Line::raw(form.join("&")));
    response_line(hop, theme, lines);
    if let Some(error) = &report.error {
        lines.push(Line::styled(error.clone(), theme.bad()));
    }
    if let Some(body) = &report.response {
        lines.extend(json_lines(&super::token::shorten_tokens(body), theme));
    }
}

fn jwks_detail(
    verification: Option<&crate::core::token::verify::Verification>,
    hop: &Hop,
    theme: &Theme,
    lines: &mut Vec<Line<'static>>,
) {
    json_fetch(hop, verification.and_then(|v| v.jwks_error.as_deref()), theme, lines);
    let Some(verification) = verification else { return };
    if !verification.available_kids.is_empty() {
        lines.push(field("keys (kid)", verification.available_kids.join(", "), theme));
    }
    if let Some(key) = &verification.key {
        let kid = key.kid.clone().unwrap_or_else(|| "(no kid)".to_owned());
        lines.push(field("key used", format!("{kid} ({})", key.kty), theme));
    }
    if verification.jwks_refetched {
        lines.push(field("refetched", "the token's kid was not in the cached set", theme));
    }
}

fn api_detail(session: &Session, call: Option<&CallReport>, hop: &Hop, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    request_line(hop, theme, lines);
    let with_token = call.is_some_and(|c| c.access_token.is_some());
    if let Some(sent) = &session.sent {
        // The token's Authorization header replaces the endpoint's own (ProbeRequest does so).
        let sent_headers = sent
            .endpoint
            .headers
            .iter()
            .filter(|(name, _)| !(with_token && name.trim().eq_ignore_ascii_case("authorization")));
        for (name, value) in sent_headers {
            let value = if is_credential_header(name) { "[redacted]".to_owned() } else { value.clone() };
            lines.push(Line::styled(format!("{name}: {value}"), theme.dim()));
        }
    }
    if with_token {
        lines.push(Line::styled("Authorization: Bearer [the token, redacted]", theme.dim()));
    }
    if let Some(body) = session.sent.as_ref().and_then(|s| s.endpoint.body.as_ref()) {
        lines.extend(body.lines().take(20).map(|line| Line::raw(line.to_owned())));
    }
    response_line(hop, theme, lines);
    let Some(call) = call else { return };
    if let Some(error) = &call.request_error {
        lines.push(Line::styled(error.clone(), theme.bad()));
    }
    let Some(response) = &call.response else { return };
    for (name, value) in &response.headers {
        lines.push(Line::from(vec![Span::styled(format!("{name}: "), theme.dim()), Span::raw(value.clone())]));
    }
    lines.push(Line::raw(""));
    lines.push(heading(if response.truncated { "Body (excerpt, truncated)" } else { "Body" }, theme));
    lines.extend(response.body.lines().take(40).map(|line| Line::raw(line.to_owned())));
}
