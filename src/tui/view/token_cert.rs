//! The Token tab's client certificate (mTLS): who it names, how long it is valid, its
//! `x5t#S256`, whether the token is bound to it, and what the API call presented. Never its key.

use ratatui::text::Line;

use crate::core::clock;
use crate::core::net::cert_info::CertInfo;
use crate::core::safe_text;

use super::super::theme::Theme;
use super::widgets::{field, field_styled, heading};

/// What is known of the token's binding: its `cnf` claim (or its introspection answer's).
#[derive(Debug, Clone, Copy)]
pub enum Binding<'a> {
    /// No token came: nothing is bound.
    NoToken,
    /// An opaque token, not introspected: its binding cannot be read.
    Opaque,
    /// The token's (or its introspection answer's) `cnf` member, if it has one.
    Cnf(Option<&'a serde_json::Value>),
}

/// What the lines are drawn from: the certificate the token request presented, the one the
/// last API call presented (`None` when there was no call), and the token's binding claims.
pub struct CertificateView<'a> {
    pub token_request: Option<&'a CertInfo>,
    pub api_call: Option<Option<&'a CertInfo>>,
    pub binding: Binding<'a>,
    pub now: i64,
}

/// The section, empty when no certificate was presented anywhere.
pub fn lines<'a>(view: &CertificateView<'_>, theme: &Theme) -> Vec<Line<'a>> {
    let api = view.api_call.flatten();
    let (certificate, title) = match (view.token_request, api) {
        (Some(certificate), _) => (certificate, "Client certificate (mTLS; its key is never shown)"),
        (None, Some(certificate)) => (certificate, "Client certificate presented to the API (mTLS)"),
        (None, None) => return Vec::new(),
    };
    let mut lines = vec![Line::raw(""), heading(title, theme)];
    // A certificate's names are the holder's text: shown with control and bidi characters escaped.
    lines.push(field("subject", safe_text::visible_line(&certificate.subject).into_owned(), theme));
    lines.push(field("issuer", safe_text::visible_line(&certificate.issuer).into_owned(), theme));
    lines.push(validity_line(certificate, view.now, theme));
    lines.push(field("x5t#S256", certificate.thumbprint.clone(), theme));
    if let Some(line) = binding_line(certificate, view.binding, theme) {
        lines.push(line);
    }
    if view.token_request.is_some()
        && let Some(presented) = view.api_call
    {
        lines.push(api_line(certificate, presented, theme));
    }
    lines
}

fn validity_line<'a>(certificate: &CertInfo, now: i64, theme: &Theme) -> Line<'a> {
    if certificate.not_before > now {
        let text = format!(
            "NOT YET VALID: from {} ({})",
            clock::format_utc(certificate.not_before),
            clock::relative(certificate.not_before, now)
        );
        return field_styled("valid", text, theme.bad(), theme);
    }
    let text = format!(
        "until {} ({})",
        clock::format_utc(certificate.not_after),
        clock::expiry_phrase(certificate.not_after, now)
    );
    let left = certificate.not_after.saturating_sub(now);
    field_styled("valid", text, theme.expiry(left), theme)
}

/// RFC 8705 §3.1: a certificate-bound token names its certificate's thumbprint in `cnf`.
fn binding_line<'a>(certificate: &CertInfo, binding: Binding<'_>, theme: &Theme) -> Option<Line<'a>> {
    let cnf = match binding {
        Binding::NoToken => return None,
        Binding::Opaque => {
            let text = "unknown: the token is opaque (i introspects it)";
            return Some(field_styled("token binding", text, theme.dim(), theme));
        }
        Binding::Cnf(cnf) => cnf,
    };
    let line = match cnf.and_then(|cnf| cnf.get("x5t#S256")) {
        Some(serde_json::Value::String(x5t)) if *x5t == certificate.thumbprint => {
            field_styled("token binding", "✓ cnf.x5t#S256 matches this certificate", theme.ok(), theme)
        }
        Some(other) => {
            let shown = other.as_str().map(str::to_owned).unwrap_or_else(|| other.to_string());
            let text = format!(
                "✗ cnf.x5t#S256 is {}: the token is bound to another certificate",
                safe_text::visible_line(&shown)
            );
            field_styled("token binding", text, theme.bad(), theme)
        }
        None => field_styled("token binding", "none: the token has no cnf.x5t#S256", theme.dim(), theme),
    };
    Some(line)
}

fn api_line<'a>(certificate: &CertInfo, presented: Option<&CertInfo>, theme: &Theme) -> Line<'a> {
    match presented {
        Some(api) if api.thumbprint == certificate.thumbprint => {
            field("API call", "presented this certificate too", theme)
        }
        Some(api) => field_styled(
            "API call",
            format!(
                "presented another certificate: {} (x5t#S256 {})",
                safe_text::visible_line(&api.subject),
                api.thumbprint
            ),
            theme.warn(),
            theme,
        ),
        None => field_styled("API call", "presented no certificate (plain http, or none read)", theme.dim(), theme),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;
    const DAY: i64 = 86_400;

    fn certificate(subject: &str) -> CertInfo {
        CertInfo {
            subject: subject.to_owned(),
            issuer: "CN=test CA".to_owned(),
            names: Vec::new(),
            not_before: NOW - 10 * DAY,
            not_after: NOW + 42 * DAY,
            thumbprint: "x5t-of-the-test-certificate".to_owned(),
        }
    }

    fn text(lines: &[Line<'_>]) -> String {
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect::<String>() + "\n").collect()
    }

    fn view(certificate: &CertInfo, cnf: Option<&serde_json::Value>) -> String {
        let view =
            CertificateView { token_request: Some(certificate), api_call: None, binding: Binding::Cnf(cnf), now: NOW };
        text(&lines(&view, &Theme::new(false)))
    }

    #[test]
    fn a_hostile_subject_is_shown_escaped() {
        let hostile = certificate("CN=evil\u{1b}]0;pwned\u{7}\u{202e}txt.exe");
        let shown = view(&hostile, None);
        assert!(!shown.chars().any(|c| safe_text::is_unsafe(c) && c != '\n'), "{shown:?}");
        assert!(shown.contains("CN=evil"), "{shown}");
        assert!(shown.contains("\\u{1b}"), "the escape is visible: {shown}");
    }

    #[test]
    fn validity_reads_relative_to_the_clock() {
        let shown = view(&certificate("CN=a"), None);
        assert!(shown.contains("expires in 42 days"), "{shown}");
        let expired = CertInfo { not_after: NOW - 3 * DAY, ..certificate("CN=a") };
        assert!(view(&expired, None).contains("expired 3 days ago"));
    }

    #[test]
    fn the_binding_is_checked_against_the_thumbprint() {
        let certificate = certificate("CN=a");
        let matching = serde_json::json!({ "x5t#S256": "x5t-of-the-test-certificate" });
        assert!(view(&certificate, Some(&matching)).contains("✓ cnf.x5t#S256 matches"));
        let other = serde_json::json!({ "x5t#S256": "another" });
        assert!(view(&certificate, Some(&other)).contains("✗ cnf.x5t#S256 is another"));
        assert!(view(&certificate, None).contains("none: the token has no cnf.x5t#S256"));
    }

    #[test]
    fn without_a_token_no_binding_is_claimed() {
        let certificate = certificate("CN=a");
        let view =
            CertificateView { token_request: Some(&certificate), api_call: None, binding: Binding::NoToken, now: NOW };
        let shown = text(&lines(&view, &Theme::new(false)));
        assert!(shown.contains("subject") && !shown.contains("token binding"), "{shown}");
    }

    #[test]
    fn no_certificate_no_section() {
        let view = CertificateView { token_request: None, api_call: Some(None), binding: Binding::NoToken, now: NOW };
        assert!(lines(&view, &Theme::new(false)).is_empty());
    }
}
