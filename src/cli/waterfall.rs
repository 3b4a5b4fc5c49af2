//! `call --trace`: the exchange as a compact text waterfall, one line per hop (discovery, token,
//! JWKS, API) with its method, URL, status, latency and a bar placed at its start in the call.

use std::fmt::Write as _;

use crate::core::engine::Hop;

use super::paint::Paint;

/// Columns of the bar: the whole call spans this many.
const BAR_WIDTH: usize = 24;
/// A longer URL keeps its scheme and its end ("https://…/.well-known/openid-configuration").
const URL_WIDTH: usize = 64;

/// The waterfall under a `trace` heading; the failing hop marked ✗ and red.
pub fn render(p: &Paint, trace: &[Hop]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", p.bold("trace"));
    if trace.is_empty() {
        let _ = writeln!(out, "  no request was made\n");
        return out;
    }
    let urls: Vec<String> = trace.iter().map(|hop| shorten_url(&safe(&hop.url), URL_WIDTH)).collect();
    let url_width = urls.iter().map(|u| u.chars().count()).max().unwrap_or(0);
    let statuses: Vec<String> = trace.iter().map(status_text).collect();
    let status_width = statuses.iter().map(|s| s.chars().count()).max().unwrap_or(0);
    let method_width = trace.iter().map(|hop| hop.method.chars().count()).max().unwrap_or(0).min(8);
    let total: f64 = trace.iter().filter_map(|hop| hop.latency_ms.map(|l| hop.offset_ms + l)).fold(0.0, f64::max);
    for ((hop, url), status) in trace.iter().zip(&urls).zip(&statuses) {
        let mark = if hop.failed { p.red("✗") } else { " ".to_owned() };
        let kind = format!("{:<9}", hop.hop.as_str());
        let kind = if hop.failed { p.red(&kind) } else { kind };
        let method = format!("{:<method_width$}", safe(&hop.method));
        let padded_status = format!("{status:<status_width$}");
        let status = match (hop.cached, hop.status) {
            (true, _) => padded_status,
            (false, Some(code)) if hop.error.is_none() => padded_status.replacen(&code.to_string(), &p.status(code), 1),
            _ => p.red(&padded_status),
        };
        let latency = hop.latency_ms.map(|ms| format!("{ms:>8.1} ms")).unwrap_or_else(|| " ".repeat(11));
        let line = format!(" {mark} {kind}  {method}  {url:<url_width$}  {status}  {latency}  {}", bar(hop, total));
        let _ = writeln!(out, "{}", line.trim_end());
    }
    // The findings follow: a blank line keeps the picture apart from the words.
    out.push('\n');
    out
}

/// The status, the error kind, both, or `cached`.
fn status_text(hop: &Hop) -> String {
    match (hop.cached, hop.status, &hop.error) {
        (true, _, _) => "cached".to_owned(),
        (false, Some(status), Some(error)) => format!("{status} {}", safe(error)),
        (false, Some(status), None) => status.to_string(),
        (false, None, Some(error)) => safe(error),
        (false, None, None) => "no answer".to_owned(),
    }
}

/// Blank up to the hop's start, then one block per slice of the call it took (at least one).
fn bar(hop: &Hop, total: f64) -> String {
    let Some(latency) = hop.latency_ms else { return String::new() };
    if total <= 0.0 {
        return "█".to_owned();
    }
    let columns = |ms: f64| ((ms / total) * BAR_WIDTH as f64).round() as usize;
    let start = columns(hop.offset_ms).min(BAR_WIDTH - 1);
    let length = columns(latency).clamp(1, BAR_WIDTH - start);
    format!("{}{}", " ".repeat(start), "█".repeat(length))
}

/// A URL cut to `max` columns in its path, keeping the origin and the end of the path (which
/// says which hop it is): `http://127.0.0.1:4455/…/openid-configuration`.
fn shorten_url(url: &str, max: usize) -> String {
    let length = url.chars().count();
    if length <= max {
        return url.to_owned();
    }
    let after_scheme = url.find("://").map(|at| at + 3).unwrap_or(0);
    let origin_end = url[after_scheme..].find('/').map(|at| after_scheme + at).unwrap_or(url.len());
    let (head, marker) = if url[..origin_end].chars().count() + 14 <= max {
        (&url[..origin_end], "/…")
    } else {
        (&url[..after_scheme], "…")
    };
    let keep = max.saturating_sub(head.chars().count() + marker.chars().count());
    let tail: String = url.chars().skip(length.saturating_sub(keep)).collect();
    format!("{head}{marker}{tail}")
}

/// Outside text (a URL from a discovery document, a server's error code) on one line.
fn safe(text: &str) -> String {
    crate::core::safe_text::visible_line(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::engine::trace::{HopKind, Peer};

    fn hop(kind: HopKind, status: Option<u16>, latency: Option<f64>, offset: f64) -> Hop {
        Hop {
            hop: kind,
            to: kind.peer(),
            method: "GET".into(),
            url: "http://127.0.0.1:1/x".into(),
            status,
            error: None,
            latency_ms: latency,
            offset_ms: offset,
            cached: latency.is_none(),
            failed: false,
        }
    }

    #[test]
    fn bars_start_where_their_hop_starts() {
        let trace = [hop(HopKind::Token, Some(200), Some(1.0), 0.0), hop(HopKind::Api, Some(403), Some(3.0), 1.0)];
        let text = render(&Paint::plain(), &trace);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "trace");
        assert!(lines[1].ends_with(&format!("1.0 ms  {}", "█".repeat(6))), "{text}");
        assert!(lines[2].ends_with(&format!("3.0 ms  {}{}", " ".repeat(6), "█".repeat(18))), "{text}");
        assert_eq!(Peer::Api, trace[1].to);
    }

    #[test]
    fn long_urls_keep_their_scheme_and_end() {
        let url = format!("https://issuer.example/{}/.well-known/openid-configuration", "x".repeat(60));
        let short = shorten_url(&url, 50);
        assert_eq!(short.chars().count(), 50);
        assert!(short.starts_with("https://issuer.example/…") && short.ends_with("openid-configuration"), "{short}");
        let host = format!("https://{}.example/x", "h".repeat(60));
        let short = shorten_url(&host, 40);
        assert!(
            short.starts_with("https://…") && short.ends_with(".example/x") && short.chars().count() == 40,
            "{short}"
        );
    }
}
