//! Human output: the token, the checklist, the response and the findings, as text.

use std::fmt::Write as _;

use crate::core::clock;
use crate::core::engine::{CallReport, TokenInfo, TokenReport, TokenSource};
use crate::core::findings::{Finding, Severity};
use crate::core::token::jwt::{DecodedToken, NumericDate};
use crate::core::token::scopes;
use crate::core::token::verify::{CheckStatus, Verification};

use super::paint::Paint;

/// An outside value in a one-line slot: its own newlines and tabs are shown, so it cannot
/// start a line that reads like tokdbg's (the boundary handles every other control).
fn one(text: &str) -> std::borrow::Cow<'_, str> {
    crate::core::safe_text::visible_line(text)
}

/// A line's label, bold: the README promises colours that avoid grey (dim), which some
/// themes render unreadable.
fn label(p: &Paint, name: &str) -> String {
    p.bold(&format!("{name:<10}"))
}

/// The label of an evidence line (`expected`, `actual`, `fix`), padded so their values align.
fn evidence_label(name: &str) -> String {
    format!("{name:<8}")
}

/// A check's detail with its value: in parentheses, unless the detail already holds the value
/// (then it would read twice) or has parentheses of its own (then a dash reads better).
fn detail_with_value(detail: &str, value: &str) -> String {
    if value.is_empty() || detail.contains(value) {
        one(detail).into_owned()
    } else if detail.contains('(') {
        format!("{} — token: {}", one(detail), one(value))
    } else {
        format!("{} ({})", one(detail), one(value))
    }
}

pub fn source_name(source: TokenSource) -> &'static str {
    match source {
        TokenSource::Fetched => "fetched",
        TokenSource::Cached => "cached",
        TokenSource::Given => "given",
        TokenSource::None => "none",
    }
}

/// One line about the token: source, alg, kid, expiry, scopes.
pub fn token_line(p: &Paint, token: &TokenInfo) -> String {
    if token.source == TokenSource::None {
        return "none sent".to_owned();
    }
    if let Some(error) = &token.decode_error {
        return format!("{} · {}", source_name(token.source), p.red(&one(error)));
    }
    let mut parts = vec![source_name(token.source).to_owned()];
    parts.push(token.alg.as_deref().map_or_else(|| "no alg".to_owned(), |alg| one(alg).into_owned()));
    if let Some(kid) = &token.kid {
        parts.push(format!("kid {}", one(kid)));
    }
    if let Some(expiry) = token.expires {
        let text = format!("{expiry} ({})", clock::format_utc(expiry.exp));
        parts.push(if expiry.exp <= expiry.at { p.red(&text) } else { text });
    }
    match &token.scopes {
        Some(scopes) if !scopes.is_empty() => parts.push(format!("scopes {}", one(&scopes.join(" ")))),
        _ => parts.push(p.yellow("no scopes in the claim the API reads")),
    }
    parts.join(" · ")
}

pub fn checklist(p: &Paint, verification: &Verification) -> String {
    let mut out = String::new();
    for check in &verification.checks {
        let mark = match check.status {
            CheckStatus::Pass => p.green("✓"),
            CheckStatus::Fail => p.red("✗"),
            CheckStatus::Skip => p.yellow("–"),
        };
        let _ = write!(out, "  {mark} {:<10} ", check.name.label());
        if check.status == CheckStatus::Fail || check.name == crate::core::token::verify::CheckName::Exp {
            out.push_str(&one(&check.detail));
            if let Some(expected) = &check.expected {
                let _ = write!(out, "\n               {} {}", evidence_label("expected"), one(expected));
            }
            if let Some(actual) = &check.actual {
                let _ = write!(out, "\n               {} {}", evidence_label("actual"), one(actual));
            }
        } else {
            out.push_str(&detail_with_value(&check.detail, check.actual.as_deref().unwrap_or_default()));
        }
        out.push('\n');
    }
    out
}

pub fn findings(p: &Paint, findings: &[Finding]) -> String {
    let mut out = String::new();
    for (i, finding) in findings.iter().enumerate() {
        let tag = match finding.severity {
            Severity::Error => p.red("error"),
            Severity::Warning => p.yellow("warning"),
            Severity::Info => p.green("ok"),
        };
        // "ok [ok]" would say it twice: an all-clear shows its tag alone, any other its code.
        let code = if finding.code == crate::core::findings::Code::Ok {
            String::new()
        } else {
            format!(" [{}]", finding.code)
        };
        let primary = if i == 0 && findings.len() > 1 { p.bold(" (primary cause)") } else { String::new() };
        let _ = writeln!(out, "  {tag}{code}{primary} {}", one(&finding.message));
        if let Some(expected) = &finding.evidence.expected {
            let _ = writeln!(out, "      {} {}", evidence_label("expected"), one(expected));
        }
        if let Some(actual) = &finding.evidence.actual {
            let _ = writeln!(out, "      {} {}", evidence_label("actual"), one(actual));
        }
        // `check-api`: where the API's config says it (no other finding has a location).
        if let Some(location) = &finding.evidence.location {
            let _ = writeln!(out, "      {} {}", evidence_label("at"), one(location));
        }
        if finding.severity != Severity::Info {
            let _ = writeln!(out, "      {} {}", p.bold(&evidence_label("fix")), one(&finding.fix));
        }
    }
    out
}

/// `call`'s human output; with `trace`, the waterfall of its requests after the verdict line.
pub fn call_report(p: &Paint, report: &CallReport, trace: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", label(p, "profile"), one(&report.profile));
    let needs = if report.endpoint.required_scopes.is_empty() {
        String::new()
    } else {
        format!("  needs {}", one(&report.endpoint.required_scopes.join(" ")))
    };
    let _ = writeln!(
        out,
        "{} {} {} {}{needs}",
        label(p, "endpoint"),
        one(&report.endpoint.name),
        one(&report.endpoint.method),
        one(&report.endpoint.url)
    );
    if let Some(discovery) = report.discovery.as_ref().filter(|d| !d.ok) {
        let _ =
            writeln!(out, "{} {}", label(p, "discovery"), p.red(&one(discovery.error.as_deref().unwrap_or("failed"))));
    }
    if let Some(request) = &report.token_request {
        let outcome = match (&request.error, request.status) {
            (Some(error), _) => p.red(&one(error)),
            (None, Some(status)) => format!("HTTP {} in {} ms", p.status(status), request.latency_ms),
            (None, None) => String::new(),
        };
        let _ = writeln!(
            out,
            "{} POST {} ({}) → {outcome}",
            label(p, "token req"),
            one(&request.request.url),
            auth_method_of(request)
        );
        for note in &request.notes {
            let _ = writeln!(out, "{} {}", label(p, ""), p.yellow(&one(note)));
        }
    }
    let _ = writeln!(out, "{} {}", label(p, "token"), token_line(p, &report.token));
    if let Some(verification) = &report.verification {
        let _ = writeln!(out, "{} {}", label(p, "verify"), summary_marks(p, verification));
    }
    if let Some(introspection) = &report.introspection {
        let _ = writeln!(out, "{} {}", label(p, "introspect"), introspection_line(p, introspection));
    }
    if let Some(gap) = &report.scope_gap {
        let text = if gap.required.is_empty() {
            "no scopes required".to_owned()
        } else if gap.satisfied {
            p.green(&format!("has {}", one(&gap.required.join(" "))))
        } else {
            p.red(&format!("missing {}", one(&gap.missing.join(" "))))
        };
        let _ = writeln!(out, "{} {text}", label(p, "scopes"));
    }
    match (&report.response, &report.request_error) {
        (Some(response), _) => {
            let mut line =
                format!("{} {} in {} ms", label(p, "response"), p.status(response.status), response.latency_ms);
            // The stack its answer revealed: the fixes below speak its language.
            if let Some(product) = report.server.as_ref().and_then(|s| s.dialect.as_ref()).and_then(|d| d.product()) {
                let _ = write!(line, " · {product}");
            }
            if let Some(challenge) = response.www_authenticate.first() {
                let _ = write!(line, "\n{} WWW-Authenticate: {}", label(p, ""), one(challenge));
            }
            let body = crate::core::net::http::excerpt(&response.body, 160);
            if !body.is_empty() {
                let _ = write!(line, "\n{} {}", label(p, ""), body);
            }
            let _ = writeln!(out, "{line}");
        }
        (None, Some(error)) => {
            let _ = writeln!(out, "{} {}", label(p, "response"), p.red(&one(error)));
        }
        (None, None) => {
            let _ = writeln!(out, "{} not sent", label(p, "response"));
        }
    }
    if let Some(certificate) = &report.client_certificate {
        let _ = writeln!(
            out,
            "{} {} (issued by {}), x5t#S256 {}",
            label(p, "client cert"),
            one(&certificate.subject),
            one(&certificate.issuer),
            certificate.thumbprint
        );
    }
    if let Some(dpop) = &report.dpop {
        let _ = writeln!(out, "{} {}", label(p, "dpop"), dpop_line(dpop));
    }
    for note in &report.notes {
        let _ = writeln!(out, "{} {}", label(p, "note"), p.yellow(note));
    }
    let verdict = match report.verdict {
        crate::core::diagnose::Verdict::Allowed => p.green("ALLOWED"),
        crate::core::diagnose::Verdict::Denied => p.red("DENIED"),
        crate::core::diagnose::Verdict::Error => p.magenta("ERROR"),
    };
    let _ = writeln!(out, "\n{verdict}");
    if trace {
        out.push_str(&super::waterfall::render(p, &report.trace));
    }
    out.push_str(&findings(p, &report.findings));
    out
}

/// What introspection said of the call's opaque token, on one line.
fn introspection_line(p: &Paint, report: &crate::core::engine::IntrospectionReport) -> String {
    let url = one(report.endpoint.as_deref().unwrap_or("")).into_owned();
    match &report.answer {
        Some(answer) if answer.active => {
            let scope = answer.scope.as_deref().map(|s| format!(" · scope {}", one(s))).unwrap_or_default();
            format!("POST {url} → {}{scope}", p.green("active"))
        }
        Some(_) => format!("POST {url} → {}", p.red("not active")),
        None => p.red(&one(report.error.as_deref().unwrap_or("failed"))),
    }
}

fn auth_method_of(request: &crate::core::engine::TokenRequestReport) -> &'static str {
    if request.request.headers.iter().any(|(k, _)| k == "Authorization") {
        "client_secret_basic"
    } else {
        "client_secret_post"
    }
}

fn summary_marks(p: &Paint, verification: &Verification) -> String {
    let marks: Vec<String> = verification
        .checks
        .iter()
        .map(|c| match c.status {
            CheckStatus::Pass => p.green(&format!("✓ {}", c.name.label())),
            CheckStatus::Fail => p.red(&format!("✗ {}", c.name.label())),
            CheckStatus::Skip => format!("{} {}", p.yellow("–"), c.name.label()),
        })
        .collect();
    marks.join("  ")
}

/// `decode`: header, claims with human times, scopes.
pub fn decoded(p: &Paint, token: &DecodedToken, now: i64) -> String {
    let mut out = String::new();
    let pretty = |map: &serde_json::Map<String, serde_json::Value>| crate::core::safe_text::json(map, true);
    let _ = writeln!(out, "{}\n{}", p.bold("header"), pretty(&token.header));
    let _ = writeln!(out, "{}\n{}", p.bold("claims"), pretty(&token.claims));
    let _ = writeln!(out, "{}", p.bold("times"));
    for name in ["iat", "nbf", "exp"] {
        match token.numeric_date(name) {
            NumericDate::Absent => {}
            NumericDate::Valid(ts) => {
                let phrase = if name == "exp" { clock::expiry_phrase(ts, now) } else { clock::relative(ts, now) };
                let phrase = if name == "exp" && ts <= now { p.red(&phrase) } else { phrase };
                let _ = writeln!(out, "  {name}  {}  {phrase}", clock::format_utc(ts));
            }
            NumericDate::Invalid(raw) => {
                let _ = writeln!(out, "  {name}  {}", p.red(&format!("not a NumericDate: {}", one(&raw))));
            }
        }
    }
    let found = scopes::scope_claims_present(&token.claims);
    if !found.is_empty() {
        let _ = writeln!(out, "{}", p.bold("scopes"));
        for granted in found {
            let _ = writeln!(out, "  {:<12} {}", one(&granted.claim), one(&granted.scopes.join(" ")));
        }
    }
    let _ = writeln!(
        out,
        "{} {} bytes · alg {} · {}",
        p.bold("size"),
        token.size,
        one(token.alg.as_deref().unwrap_or("(none)")),
        if token.is_unsigned() { p.red("unsigned") } else { "signature not checked (use `tokdbg verify`)".to_owned() }
    );
    out
}

pub fn token_report(p: &Paint, report: &TokenReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", label(p, "token"), token_line(p, &report.token));
    if let Some(uri) = &report.jwks_uri {
        let _ = writeln!(out, "{} {}", label(p, "jwks"), one(uri));
    }
    if let Some(discovery) = report.discovery.as_ref().filter(|d| !d.ok) {
        let _ =
            writeln!(out, "{} {}", label(p, "discovery"), p.red(&one(discovery.error.as_deref().unwrap_or("failed"))));
    }
    if let Some(verification) = &report.verification {
        out.push_str(&checklist(p, verification));
    }
    let verdict = if report.valid { p.green("VALID") } else { p.red("INVALID") };
    let _ = writeln!(out, "\n{verdict}");
    out.push_str(&findings(p, &report.findings));
    out
}

/// The client assertion sent, decoded: header and claims (the signature is never shown), and
/// the signing key's thumbprint to compare with the key the issuer has registered.
fn assertion_lines(p: &Paint, assertion: &crate::core::oauth::client_assertion::AssertionView) -> String {
    let mut out = String::new();
    let compact = |value: &serde_json::Value| crate::core::safe_text::json(value, false);
    let _ = writeln!(out, "{} header {}", label(p, "assertion"), compact(&assertion.header));
    let _ = writeln!(out, "{} claims {} (signature not shown)", label(p, ""), compact(&assertion.claims));
    if let Some(thumbprint) = &assertion.key_thumbprint {
        let _ = writeln!(out, "{} key thumbprint (RFC 7638, SHA-256) {}", label(p, ""), one(thumbprint));
    }
    out
}

/// `token`: discovery, the request (secret redacted), the response, the token and its checks.
pub fn token_fetch(p: &Paint, fetch: &crate::core::engine::TokenFetch) -> String {
    let mut out = String::new();
    if let Some(discovery) = &fetch.discovery {
        // A failure's message names the URL itself: the URL is not repeated before it.
        let line = match (&discovery.error, discovery.ok) {
            (_, true) => format!("{} {}", one(&discovery.url), p.green("ok")),
            (Some(error), false) if error.contains(&discovery.url) => p.red(&one(error)),
            (error, false) => format!("{} {}", one(&discovery.url), p.red(&one(error.as_deref().unwrap_or("failed")))),
        };
        let _ = writeln!(out, "{} {line}", label(p, "discovery"));
    }
    if let Some(request) = &fetch.token_request {
        let _ = writeln!(out, "{} {} {}", label(p, "request"), request.request.method, one(&request.request.url));
        for (name, value) in &request.request.headers {
            let _ = writeln!(out, "{} {}: {}", label(p, ""), one(name), one(value));
        }
        let form: Vec<String> = request.request.form.iter().map(|(k, v)| format!("{}={}", one(k), one(v))).collect();
        let _ = writeln!(out, "{} {}", label(p, ""), form.join("&"));
        if let Some(assertion) = &request.assertion {
            out.push_str(&assertion_lines(p, assertion));
        }
        match (&request.error, request.status) {
            (Some(error), _) => {
                let _ = writeln!(out, "{} {}", label(p, "response"), p.red(&one(error)));
            }
            (None, Some(status)) => {
                let _ =
                    writeln!(out, "{} HTTP {} in {} ms", label(p, "response"), p.status(status), request.latency_ms);
            }
            _ => {}
        }
        if let Some(body) = &request.response {
            let _ = writeln!(out, "{}", crate::core::safe_text::json(body, true));
        }
        for note in &request.notes {
            let _ = writeln!(out, "{} {}", label(p, "note"), p.yellow(&one(note)));
        }
    }
    if fetch.access_token.is_some() {
        let _ = writeln!(out, "{} {}", label(p, "token"), token_line(p, &fetch.token));
    }
    if let Some(verification) = &fetch.verification {
        out.push_str(&checklist(p, verification));
    }
    // The verdict of the token as the API would see it: VALID, INVALID, or NO TOKEN.
    let verdict = match (&fetch.access_token, &fetch.verification) {
        (Some(_), Some(verification)) if verification.valid => p.green("VALID"),
        (Some(_), Some(_)) => p.red("INVALID"),
        (Some(_), None) => p.yellow("NOT VERIFIED (not a JWT: an opaque token needs introspection)"),
        (None, _) => p.red("NO TOKEN"),
    };
    let _ = writeln!(out, "\n{verdict}");
    out.push_str(&findings(p, &fetch.findings));
    out
}

/// One line on a call's DPoP: the key, and how many proofs each request took (a nonce demand
/// makes two). The proofs themselves are in `--json`, decoded.
fn dpop_line(dpop: &crate::core::engine::dpop::DpopReport) -> String {
    if let Some(error) = &dpop.error {
        return format!("no proof could be made: {}", one(error));
    }
    let key = dpop.key.as_ref().map(|k| format!("{} key ({}), jkt {}", k.alg, k.source, k.jkt)).unwrap_or_default();
    let proofs = |what: &str, attempts: &[crate::core::engine::dpop::ProofAttempt]| match attempts.len() {
        0 => None,
        1 => Some(format!("{what}: 1 proof")),
        n => Some(format!("{what}: {n} proofs (a nonce was demanded)")),
    };
    let counts: Vec<String> = [proofs("token request", &dpop.token_request), proofs("API call", &dpop.api_call)]
        .into_iter()
        .flatten()
        .collect();
    let token_type = dpop.token_type.as_deref().map(|t| format!("; token_type {}", one(t))).unwrap_or_default();
    format!("{key}; {}{token_type}", counts.join(", "))
}
