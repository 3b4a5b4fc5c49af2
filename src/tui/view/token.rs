//! The Token tab: the request (secret redacted), the response, the decoded token and a countdown.

use ratatui::text::{Line, Span};

use crate::core::clock;
use crate::core::engine::TokenSource;
use crate::core::token::jwt::NumericDate;

use super::super::state::app::App;
use super::super::state::session::{Pending, Session};
use super::super::theme::Theme;
use super::token_cert;
use super::widgets::{field, field_styled, heading, json_lines, spinner};

pub fn lines<'a>(session: Option<&Session>, app: &App, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    if let Some(Session { pending: Some(Pending::Token(_)), .. }) = session {
        lines.push(Line::styled(format!("{} fetching a token… (Esc cancels)", spinner(app.spinner)), theme.warn()));
        lines.push(Line::raw(""));
    } else if let Some(failure) = session.and_then(|s| s.failure.as_ref()) {
        lines.push(Line::styled(format!("✗ the last attempt failed: {failure}"), theme.bad()));
        lines.push(Line::from(vec![Span::styled("t", theme.key()), Span::raw(" tries again.")]));
        lines.push(Line::raw(""));
    }
    let Some(fetch) = session.and_then(|s| s.token.as_ref()) else {
        if lines.is_empty() {
            lines.push(Line::from(vec![
                Span::raw("No token yet. Press "),
                Span::styled("t", theme.key()),
                Span::raw(" to fetch one, or "),
                Span::styled("s", theme.key()),
                Span::raw(" to send a request (which fetches one)."),
            ]));
        }
        return lines;
    };
    let token = &fetch.token;
    if let Some(exp) = token.expires_at {
        let left = exp - app.now;
        let text = if left > 0 {
            format!("expires in {} ({})", clock::humanize_duration(left as u64), clock::format_utc(exp))
        } else {
            format!("EXPIRED {} ago ({})", clock::humanize_duration(left.unsigned_abs()), clock::format_utc(exp))
        };
        lines.push(field_styled("expiry", text, theme.expiry(left).patch(theme.bold()), theme));
    }
    let when = token.obtained_at.map(|at| format!(" {}", clock::relative(at, app.now))).unwrap_or_default();
    let source = match token.source {
        TokenSource::Fetched => format!("fetched{when}"),
        TokenSource::Cached => format!("from this run's cache (fetched{when})"),
        TokenSource::Given => "given".to_owned(),
        TokenSource::None => "none".to_owned(),
    };
    lines.push(field("source", source, theme));
    if let Some(error) = &token.decode_error {
        lines.push(field_styled("token", error.clone(), theme.bad(), theme));
    }
    if let Some(size) = token.size {
        lines.push(field("size", format!("{size} bytes"), theme));
    }
    for finding in &fetch.findings {
        lines.push(Line::raw(""));
        lines.push(Line::styled(format!("✗ [{}] {}", finding.code, finding.message), theme.bad()));
        lines.push(Line::from(vec![Span::styled("  fix ", theme.bold()), Span::raw(finding.fix.clone())]));
    }
    if let Some(discovery) = &fetch.discovery {
        lines.push(field(
            "discovery",
            if discovery.ok { format!("{} ✓", discovery.url) } else { discovery.url.clone() },
            theme,
        ));
    }
    lines.extend(certificate_lines(fetch, session, app.now, theme));
    if let (Some(header), Some(claims)) = (&token.header, &token.claims) {
        lines.push(Line::raw(""));
        lines.push(heading("Header", theme));
        lines.extend(json_lines(&serde_json::Value::Object(header.clone()), theme));
        lines.push(heading("Claims", theme));
        lines.extend(json_lines(&serde_json::Value::Object(claims.clone()), theme));
        if let Some(decoded) = &token.decoded {
            lines.push(heading("Times", theme));
            for name in ["iat", "nbf", "exp"] {
                match decoded.numeric_date(name) {
                    NumericDate::Valid(ts) => lines.push(field(
                        name,
                        format!("{}  {}", clock::format_utc(ts), clock::relative(ts, app.now)),
                        theme,
                    )),
                    NumericDate::Invalid(raw) => {
                        lines.push(field_styled(name, format!("not a NumericDate: {raw}"), theme.bad(), theme))
                    }
                    NumericDate::Absent => {}
                }
            }
        }
        if !token.scope_claims.is_empty() {
            lines.push(heading("Scopes", theme));
            for granted in &token.scope_claims {
                lines.push(field(&granted.claim, granted.scopes.join(" "), theme));
            }
        }
    }
    if let Some(introspection) = &fetch.introspection {
        lines.extend(introspection_lines(introspection, app, theme));
    }
    if let Some(request) = &fetch.token_request {
        lines.push(Line::raw(""));
        lines.push(heading("Request", theme));
        lines.push(Line::raw(format!("{} {}", request.request.method, request.request.url)));
        for (name, value) in &request.request.headers {
            lines.push(Line::styled(format!("{name}: {value}"), theme.dim()));
        }
        let form: Vec<String> = request.request.form.iter().map(|(k, v)| format!("{k}={v}")).collect();
        lines.push(Line::raw(form.join("&")));
        if let Some(assertion) = &request.assertion {
            // The client assertion decoded; its signature is never shown.
            lines.push(Line::raw(""));
            lines.push(heading("Client assertion (signature not shown)", theme));
            lines.extend(json_lines(&assertion.header, theme));
            lines.extend(json_lines(&assertion.claims, theme));
            if let Some(thumbprint) = &assertion.key_thumbprint {
                lines.push(field("key thumbprint", thumbprint.clone(), theme));
            }
        }
        lines.push(Line::raw(""));
        let status = request.status.map(|s| s.to_string()).unwrap_or_else(|| "no answer".to_owned());
        lines.push(Line::from(vec![
            Span::styled("Response ", theme.bold()),
            Span::styled(status, request.status.map(|s| theme.status(s)).unwrap_or(theme.bad())),
            Span::styled(format!("  {} ms", request.latency_ms), theme.dim()),
        ]));
        if let Some(error) = &request.error {
            lines.push(Line::styled(error.clone(), theme.bad()));
        }
        if let Some(body) = &request.response {
            lines.extend(json_lines(&shorten_tokens(body), theme));
        }
        for note in &request.notes {
            lines.push(Line::styled(format!("note: {note}"), theme.warn()));
        }
    }
    if let Some(dpop) = &fetch.dpop {
        lines.extend(dpop_lines(dpop, theme));
    }
    lines
}

/// The client certificate the token request presented (mTLS) and what the last call presented,
/// with the token's binding to it (its `cnf`, or the introspection answer's).
fn certificate_lines<'a>(
    fetch: &crate::core::engine::TokenFetch,
    session: Option<&Session>,
    now: i64,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let introspected = fetch.introspection.as_ref().and_then(|i| i.answer.as_ref());
    let cnf = fetch
        .token
        .claims
        .as_ref()
        .and_then(|claims| claims.get("cnf"))
        .or_else(|| introspected.and_then(|answer| answer.members.get("cnf")));
    let binding = if fetch.token.source == TokenSource::None {
        token_cert::Binding::NoToken
    } else if fetch.token.claims.is_none() && introspected.is_none() {
        token_cert::Binding::Opaque
    } else {
        token_cert::Binding::Cnf(cnf)
    };
    let view = token_cert::CertificateView {
        token_request: fetch.client_certificate.as_ref(),
        api_call: session.and_then(|s| s.call.as_ref()).map(|call| call.client_certificate.as_ref()),
        binding,
        now,
    };
    token_cert::lines(&view, theme)
}

/// The token request's DPoP proofs (RFC 9449), decoded: the key's thumbprint, and each proof's
/// claims with the server's answer (a nonce demand makes two). Never a signature.
fn dpop_lines<'a>(dpop: &crate::core::oauth::dpop_report::DpopReport, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = vec![Line::raw(""), heading("DPoP proofs (signature not shown)", theme)];
    if let Some(key) = &dpop.key {
        lines.push(field("key", format!("{} ({}), jkt {}", key.alg, key.source, key.jkt), theme));
    }
    if let Some(error) = &dpop.error {
        lines.push(Line::styled(format!("no proof could be made: {error}"), theme.bad()));
    }
    for (i, attempt) in dpop.token_request.iter().enumerate() {
        let status = attempt.status.map(|s| s.to_string()).unwrap_or_else(|| "no answer".to_owned());
        let nonce = attempt.nonce_demanded.as_deref().map(|n| format!(", nonce demanded: {n}")).unwrap_or_default();
        lines.push(Line::styled(format!("proof {} → {status}{nonce}", i + 1), theme.dim()));
        lines.extend(json_lines(&attempt.proof.claims, theme));
    }
    if let Some(token_type) = &dpop.token_type {
        lines.push(field("token_type", token_type.clone(), theme));
    }
    lines
}

/// What the issuer's introspection endpoint said (RFC 7662): active or not, and every member.
fn introspection_lines<'a>(
    report: &crate::core::engine::IntrospectionReport,
    app: &App,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let mut lines = vec![Line::raw(""), heading("Introspection", theme)];
    if let Some(endpoint) = &report.endpoint {
        let status = report.status.map(|s| format!(" → {s}")).unwrap_or_default();
        lines.push(Line::styled(format!("POST {endpoint}{status}"), theme.dim()));
    }
    match &report.answer {
        Some(answer) => {
            let (text, style) = if answer.active {
                ("active", theme.ok())
            } else {
                ("NOT active (revoked, expired or unknown)", theme.bad())
            };
            lines.push(field_styled("active", text.to_owned(), style, theme));
            for (key, value) in answer.members.iter().filter(|(key, _)| *key != "active") {
                let shown = match (key.as_str(), value.as_i64()) {
                    ("exp" | "iat" | "nbf", Some(at)) => {
                        format!("{}  {}", clock::format_utc(at), clock::relative(at, app.now))
                    }
                    _ => value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string()),
                };
                lines.push(field(key, shown, theme));
            }
        }
        None => lines.push(Line::styled(format!("✗ {}", report.error.as_deref().unwrap_or("no answer")), theme.bad())),
    }
    lines
}

/// The response body with long token strings cut to their start (the Claims above show them).
pub(super) fn shorten_tokens(body: &serde_json::Value) -> serde_json::Value {
    let mut copy = body.clone();
    if let Some(object) = copy.as_object_mut() {
        for key in ["access_token", "id_token"] {
            if let Some(serde_json::Value::String(token)) = object.get(key)
                && token.len() > 40
            {
                let start: String = token.chars().take(24).collect();
                object.insert(key.to_owned(), serde_json::Value::String(format!("{start}…[signature redacted]")));
            }
        }
    }
    copy
}
