//! The candidate texts of a denial, ranked: the challenge's words, then the body's (JSON fields, HTML elements, or a line).
//!
//! The input is hostile server output: it is clipped before it is parsed, and
//! nothing here can panic.

use serde_json::Value;

use crate::core::probe::www_authenticate::BearerChallenge;

/// How much of a body is scanned as text, and the most that is parsed as JSON.
/// Error bodies are small; anything bigger is a page or a dump we only skim.
const MAX_TEXT_SCAN: usize = 64 * 1024;
pub(super) const MAX_JSON_PARSE: usize = 1024 * 1024;
/// How much of one candidate text is matched against the dialects' rules.
const MAX_MATCH_LEN: usize = 4 * 1024;
/// The server's message as shown to the user: one line, at most this many chars.
const MAX_MESSAGE_CHARS: usize = 300;

/// One candidate text and where it came from.
pub(super) struct Text {
    pub source: &'static str,
    /// ASCII-lowercased, clipped to [`MAX_MATCH_LEN`]. Byte offsets equal the
    /// clipped original's, so matches can be cut out of `original`.
    pub lower: String,
    pub original: String,
    /// The display form: one line, at most [`MAX_MESSAGE_CHARS`] chars.
    pub line: String,
    /// A machine code (`invalid_token`, `UnauthorizedError`) rather than prose:
    /// it may classify, but is a poor message to show.
    pub is_code: bool,
}

impl Text {
    fn new(source: &'static str, raw: &str, is_code: bool) -> Option<Text> {
        let original = clip(raw, MAX_MATCH_LEN).to_owned();
        let line = one_line(&original);
        if line.is_empty() {
            return None;
        }
        Some(Text { source, lower: original.to_ascii_lowercase(), original, line, is_code })
    }
}

pub(super) struct Found {
    /// Ranked: the challenge, then the body's fields.
    pub texts: Vec<Text>,
    /// jsonwebtoken's `TokenExpiredError.expiredAt`, when the body is its JSON.
    pub expired_at: Option<String>,
    /// The scopes a JSON body says the call needs (django-oauth-toolkit's
    /// `required_scopes`, sent when `ERROR_RESPONSE_WITH_SCOPES` is on).
    pub required_scopes: Vec<String>,
}

pub(super) fn collect(challenge: Option<&BearerChallenge>, body: &str) -> Found {
    let mut texts = Vec::new();
    let mut expired_at = None;
    let mut required_scopes = Vec::new();
    if let Some(c) = challenge {
        texts.extend(c.error_description.as_deref().and_then(|d| Text::new("www-authenticate", d, false)));
        // The challenge's error comes before the body: the header is the
        // structured channel (and express-jwt-authz puts its only words there).
        texts.extend(c.error.as_deref().and_then(|e| Text::new("www-authenticate", e, true)));
    }

    // Binary junk decoded lossily, a BOM: neither is text worth matching.
    let body = body.trim_start_matches('\u{feff}').trim();
    let json = match body.as_bytes().first() {
        Some(b'{' | b'[' | b'"') if body.len() <= MAX_JSON_PARSE => serde_json::from_str::<Value>(body).ok(),
        _ => None,
    };
    match json {
        Some(value) => {
            // `[{...}]` bodies: the first element is the error.
            let value = match value {
                Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
                v => v,
            };
            match &value {
                Value::Object(_) => {
                    for (source, path, is_code) in JSON_FIELDS {
                        if let Some(s) = json_path(&value, path).and_then(Value::as_str) {
                            texts.extend(Text::new(source, s, *is_code));
                        }
                    }
                    expired_at = expired_at_field(&value);
                    required_scopes = required_scopes_field(&value);
                }
                Value::String(s) => texts.extend(first_line(s).and_then(|l| Text::new("body", l, false))),
                _ => {}
            }
        }
        None => {
            let scan = clip(body, MAX_TEXT_SCAN);
            if looks_like_html(scan) {
                texts.extend(html_texts(scan));
            } else {
                texts.extend(first_line(scan).and_then(|l| Text::new("body", l, false)));
            }
        }
    }
    Found { texts, expired_at, required_scopes }
}

/// JSON fields read, in rank order: (source, dotted path, is a code).
/// Covers express-jwt's serialised `UnauthorizedError` (`message`, `code`,
/// `inner`), OAuth-style (`error`, `error_description`), RFC 7807 (`detail`,
/// `title`), Spring Boot (`error`, `message`), and `{"error": {...}}` / `{"errors": [...]}` APIs.
const JSON_FIELDS: &[(&str, &str, bool)] = &[
    ("json:message", "message", false),
    ("json:error_description", "error_description", false),
    ("json:detail", "detail", false),
    ("json:error.message", "error.message", false),
    ("json:errors[0].message", "errors.0.message", false),
    ("json:inner.message", "inner.message", false),
    ("json:error", "error", false),
    ("json:title", "title", false),
    // Kong's jwt plugin answers a failed registered-claim check keyed by the claim:
    // `{"exp":"token expired"}`, `{"nbf":"token not valid yet"}`.
    ("json:exp", "exp", false),
    ("json:nbf", "nbf", false),
    ("json:code", "code", true),
    ("json:error.code", "error.code", true),
    ("json:name", "name", true),
    ("json:inner.name", "inner.name", true),
];

/// Walks `a.b.0.c`: object keys, and array indices for numeric segments.
pub(super) fn json_path<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, seg| match v {
        Value::Object(m) => m.get(seg),
        Value::Array(items) => seg.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

fn looks_like_html(s: &str) -> bool {
    let head = clip(s, 1024).to_ascii_lowercase();
    head.starts_with('<')
        && ["<html", "<!doctype", "<pre", "<title", "<body", "<h1", "<head"].iter().any(|t| head.contains(t))
}

/// The texts of an HTML error page: `<pre>` (Express's default error handler puts
/// `UnauthorizedError: jwt expired` and the stack there), then `<h1>`, then
/// `<title>`; the first line of each. A page with none of them: its text.
fn html_texts(html: &str) -> Vec<Text> {
    let lower = html.to_ascii_lowercase();
    let mut out: Vec<Text> = ["pre", "h1", "title"]
        .iter()
        .filter_map(|tag| element_content(html, &lower, tag))
        .filter_map(|inner| {
            let text = html_to_text(inner);
            first_line(&text).and_then(|l| Text::new("body", l, false))
        })
        .collect();
    if out.is_empty() {
        let text = html_to_text(html);
        out.extend(first_line(&text).and_then(|l| Text::new("body", l, false)));
    }
    out
}

/// The inside of the first `<tag ...>...</tag>`; an unclosed element runs to the end.
fn element_content<'a>(html: &'a str, lower: &str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}");
    let mut from = 0;
    while let Some(rel) = lower.get(from..)?.find(&open) {
        let at = from + rel + open.len();
        // `<pre>` or `<pre class=...>`, not `<prefix>`.
        if matches!(lower.as_bytes().get(at), Some(b'>' | b' ' | b'\t' | b'\r' | b'\n')) {
            let start = at + lower.get(at..)?.find('>')? + 1;
            let close = format!("</{tag}");
            let end = lower.get(start..)?.find(&close).map_or(html.len(), |e| start + e);
            return html.get(start..end);
        }
        from = at;
    }
    None
}

/// Tags dropped (`<br>`, `<p>`, `<div>` become line breaks), entities decoded.
fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut chars = html.chars();
    while let Some(c) = chars.next() {
        if c != '<' {
            out.push(c);
            continue;
        }
        let mut tag = String::new();
        for t in chars.by_ref() {
            if t == '>' {
                break;
            }
            if tag.len() < 16 {
                tag.push(t.to_ascii_lowercase());
            }
        }
        let name = tag.trim_start_matches('/');
        if ["br", "p", "div", "li", "tr", "h1", "h2", "h3"]
            .iter()
            .any(|n| name == *n || name.starts_with(&format!("{n} ")) || name.starts_with(&format!("{n}/")))
        {
            out.push('\n');
        }
    }
    decode_entities(&out)
}

/// The handful of entities error pages use; unknown ones are kept as written.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let entity = after.char_indices().take(10).find(|(_, c)| *c == ';').map(|(i, _)| (&after[..i], i));
        let decoded = entity.and_then(|(name, len)| {
            let c = match name {
                "nbsp" => Some(' '),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse::<u32>().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, len))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn first_line(s: &str) -> Option<&str> {
    s.lines().map(str::trim).find(|l| !l.is_empty())
}

/// Whitespace and control characters collapsed to single spaces, trimmed, and
/// cut to [`MAX_MESSAGE_CHARS`] chars (an ellipsis marks a cut).
fn one_line(s: &str) -> String {
    let mut out = String::new();
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() || c.is_control() || c == '\u{fffd}' {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    clip_chars(&out, MAX_MESSAGE_CHARS)
}

/// At most `max` chars; a cut ends in `…` (counted in `max`).
pub(super) fn clip_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// At most `max` bytes, cut on a char boundary.
fn clip(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Values pulled out of a message (an expected audience, an expiry stamp) are cut to this.
pub(super) const MAX_VALUE_CHARS: usize = 200;

/// jsonwebtoken's `TokenExpiredError.expiredAt`, as express-jwt serialises it
/// (top level, or under `inner`).
/// The string items of a top-level `required_scopes` array (a few at most, each clipped).
fn required_scopes_field(value: &Value) -> Vec<String> {
    const MAX_SCOPES: usize = 32;
    value
        .get("required_scopes")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .take(MAX_SCOPES)
                .map(|s| clip_chars(s.trim(), MAX_VALUE_CHARS))
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn expired_at_field(value: &Value) -> Option<String> {
    ["expiredAt", "inner.expiredAt"]
        .iter()
        .find_map(|p| json_path(value, p).and_then(Value::as_str))
        .map(|s| clip_chars(s.trim(), MAX_VALUE_CHARS))
}
