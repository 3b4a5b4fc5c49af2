//! Reads a denying server's own words (challenge, JSON, HTML or text body) and names the cause it states.
//!
//! The middleware behind an API says why it refused a token. It says so in its
//! own dialect: express-jwt/jsonwebtoken, jwks-rsa, express-jwt-authz, Spring
//! Security (Nimbus), ASP.NET (`IDXnnnnn` codes), golang-jwt. This module maps
//! those phrases onto one vocabulary. Matching is by case-insensitive substring,
//! most specific phrase first. The texts are tried in a fixed order: the
//! challenge's `error_description` outranks the body. The input is hostile
//! server output: it is clipped before it is parsed, and nothing here can panic.

use serde::Serialize;
use serde_json::Value;

use crate::core::probe::www_authenticate::BearerChallenge;

/// How much of a body is scanned as text, and the most that is parsed as JSON.
/// Error bodies are small; anything bigger is a page or a dump we only skim.
const MAX_TEXT_SCAN: usize = 64 * 1024;
const MAX_JSON_PARSE: usize = 1024 * 1024;
/// How much of one candidate text is matched against the phrase table.
const MAX_MATCH_LEN: usize = 4 * 1024;
/// The server's message as shown to the user: one line, at most this many chars.
const MAX_MESSAGE_CHARS: usize = 300;
/// Values pulled out of a message (an expected audience, an expiry stamp).
const MAX_VALUE_CHARS: usize = 200;

/// The cause a server states for denying a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ServerReason {
    /// The server saw no token (express-jwt `credentials_required`, a bare RFC 6750 challenge...).
    TokenMissing,
    /// The `Authorization` header is not `Bearer <token>`.
    BadScheme,
    /// Not a JWT the server could parse.
    Malformed,
    /// `detail`: when it expired, as the server states it, if it does.
    Expired {
        detail: Option<String>,
    },
    NotYetValid,
    InvalidSignature,
    /// `alg` not accepted (e.g. an HS256 token at an RS256-only API).
    InvalidAlgorithm,
    /// The server has no key to check the token with (kid not in its JWKS, or an HS* secret where it wants a public key).
    NoVerificationKey,
    AudienceInvalid {
        expected: Option<String>,
    },
    IssuerInvalid {
        expected: Option<String>,
    },
    /// `scopes`: the ones the challenge says are required.
    InsufficientScope {
        scopes: Vec<String>,
    },
    /// A generic invalid_token with an unrecognised description.
    InvalidToken {
        detail: Option<String>,
    },
    /// The server could not get its keys (JWKS fetch failed or was rate limited).
    JwksFailure {
        detail: Option<String>,
    },
    Unrecognized,
}

/// What the server said, structured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerVerdict {
    pub reason: ServerReason,
    /// The server's own message, trimmed to at most 300 chars, one line.
    pub message: Option<String>,
    /// Where it was read: "www-authenticate", "json:<field>" (e.g. "json:message",
    /// "json:error_description", "json:errors[0].message") or "body".
    pub source: Option<String>,
}

/// [`interpret_with`] for a request that carried a token (the usual case).
pub fn interpret(status: u16, challenge: Option<&BearerChallenge>, body: &str) -> ServerVerdict {
    interpret_with(status, challenge, body, true)
}

/// Names the cause the server gives for answering `status`. `request_had_token`
/// says whether we sent a token. A 401 to a request without one is the
/// token-missing baseline even when the server says nothing.
pub fn interpret_with(
    status: u16,
    challenge: Option<&BearerChallenge>,
    body: &str,
    request_had_token: bool,
) -> ServerVerdict {
    let found = collect_texts(challenge, body);
    let texts = &found.texts;

    // A success has nothing to explain.
    if (200..300).contains(&status) {
        return verdict(ServerReason::Unrecognized, None);
    }

    if status >= 500 {
        // A 5xx is the server failing, not judging the token. The one auth cause
        // worth naming is that it could not get its keys (e.g. jwks-rsa's rate
        // limit). Any other text is shown, not interpreted.
        let jwks = texts.iter().find(|t| JWKS_5XX.iter().any(|p| t.lower.contains(p)));
        return match jwks {
            Some(t) => verdict(ServerReason::JwksFailure { detail: Some(t.line.clone()) }, Some(t)),
            None => verdict(ServerReason::Unrecognized, best_message(texts)),
        };
    }

    // Pass 1: a specific phrase, in the first text (by rank) that has one.
    for text in texts {
        if let Some(kind) = classify(&text.lower) {
            let reason = build_reason(kind, text, challenge, found.expired_at.as_deref());
            return verdict(reason, Some(text));
        }
    }

    // Pass 2: structured or generic signals, when no text is specific.
    let normalized = challenge.and_then(|c| c.normalized_error.as_deref());
    match normalized {
        Some("insufficient_scope") => {
            let scopes = challenge.map(|c| c.scope.clone()).unwrap_or_default();
            return verdict(ServerReason::InsufficientScope { scopes }, best_message(texts));
        }
        Some("invalid_token") => {
            let detail = informative_detail(texts);
            return verdict(ServerReason::InvalidToken { detail }, best_message(texts));
        }
        _ => {}
    }
    if let Some(text) = texts.iter().find(|t| GENERIC_INVALID.iter().any(|p| t.lower.contains(p))) {
        // Show the server's own explanation when it gives one beside the code.
        let detail = informative_detail(texts);
        let shown = texts.iter().find(|t| detail.as_ref() == Some(&t.line)).unwrap_or(text);
        return verdict(ServerReason::InvalidToken { detail }, Some(shown));
    }
    // RFC 6750 §3.1: a 401 challenge without an error code means the request
    // had no credentials. We only trust that when we know we sent none. With a
    // token, a silent 401 could be anything (a proxy stripping the header, a
    // terse server), so it stays unrecognised.
    if status == 401 && !request_had_token {
        return verdict(ServerReason::TokenMissing, best_message(texts));
    }
    verdict(ServerReason::Unrecognized, best_message(texts))
}

fn verdict(reason: ServerReason, text: Option<&Text>) -> ServerVerdict {
    ServerVerdict { reason, message: text.map(|t| t.line.clone()), source: text.map(|t| t.source.to_owned()) }
}

/// One candidate text and where it came from.
struct Text {
    source: &'static str,
    /// ASCII-lowercased, clipped to [`MAX_MATCH_LEN`]. Byte offsets equal the
    /// clipped original's, so matches can be cut out of `original`.
    lower: String,
    original: String,
    /// The display form: one line, at most [`MAX_MESSAGE_CHARS`] chars.
    line: String,
    /// A machine code (`invalid_token`, `UnauthorizedError`) rather than prose:
    /// it may classify, but is a poor message to show.
    is_code: bool,
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

/// The first prose text that says more than "invalid token": the detail of an
/// [`ServerReason::InvalidToken`] (a bare code would only repeat the reason).
fn informative_detail(texts: &[Text]) -> Option<String> {
    texts
        .iter()
        .filter(|t| !t.is_code)
        .find(|t| {
            let bare = t.lower.trim().trim_end_matches(['.', '!']);
            !GENERIC_INVALID.contains(&bare)
        })
        .map(|t| t.line.clone())
}

/// The first prose text, else the first text of any kind.
fn best_message(texts: &[Text]) -> Option<&Text> {
    texts.iter().find(|t| !t.is_code).or_else(|| texts.first())
}

struct Found {
    /// Ranked: the challenge, then the body's fields.
    texts: Vec<Text>,
    /// jsonwebtoken's `TokenExpiredError.expiredAt`, when the body is its JSON.
    expired_at: Option<String>,
}

fn collect_texts(challenge: Option<&BearerChallenge>, body: &str) -> Found {
    let mut texts = Vec::new();
    let mut expired_at = None;
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
                    expired_at = ["expiredAt", "inner.expiredAt"]
                        .iter()
                        .find_map(|p| json_path(&value, p).and_then(Value::as_str))
                        .map(|s| clip_chars(s.trim(), MAX_VALUE_CHARS));
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
    Found { texts, expired_at }
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
    ("json:code", "code", true),
    ("json:error.code", "error.code", true),
    ("json:name", "name", true),
    ("json:inner.name", "inner.name", true),
];

/// Walks `a.b.0.c`: object keys, and array indices for numeric segments.
fn json_path<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
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
fn clip_chars(s: &str, max: usize) -> String {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    TokenMissing,
    BadScheme,
    Malformed,
    Expired,
    NotYetValid,
    InvalidSignature,
    InvalidAlgorithm,
    NoVerificationKey,
    Audience,
    Issuer,
    InsufficientScope,
    Jwks,
}

/// The specific cause a text states, if any.
fn classify(lower: &str) -> Option<Kind> {
    // ASP.NET leads with its code (`IDX10214: Audience validation failed...`) and
    // may quote other codes and exceptions further on. The leading one is the verdict.
    if let Some(kind) = first_idx_code(lower).and_then(idx_kind) {
        return Some(kind);
    }
    RULES.iter().find(|(phrase, _)| lower.contains(phrase)).map(|(_, kind)| *kind)
}

/// The number of the first `idxNNNNN` in the text.
fn first_idx_code(lower: &str) -> Option<u32> {
    let bytes = lower.as_bytes();
    let mut from = 0;
    while let Some(rel) = lower.get(from..)?.find("idx") {
        let digits = from + rel + 3;
        let code = bytes.get(digits..digits + 5)?;
        if code.iter().all(u8::is_ascii_digit) {
            return std::str::from_utf8(code).ok()?.parse().ok();
        }
        from = digits;
    }
    None
}

/// Microsoft.IdentityModel's codes for token validation failures.
fn idx_kind(code: u32) -> Option<Kind> {
    Some(match code {
        10223 => Kind::Expired,
        10222 => Kind::NotYetValid,
        10206..=10208 | 10214 => Kind::Audience,
        10204 | 10205 | 10211 => Kind::Issuer,
        // 10500: no keys at all; 10501/10516: none matches the token's kid.
        10500 | 10501 | 10516 => Kind::NoVerificationKey,
        // 10511 is a signature that failed against the key its kid selected, so a bad
        // signature (not an algorithm problem); 10504: the token has no signature.
        10503 | 10504 | 10508 | 10511 => Kind::InvalidSignature,
        // 10634: no signature provider for the token's algorithm and the key.
        10634 => Kind::InvalidAlgorithm,
        // 20803: the discovery document (where ASP.NET gets its keys) could not be fetched.
        20803 => Kind::Jwks,
        12709 | 12723 | 12729 | 12741 | 14100..=14102 | 14120 => Kind::Malformed,
        _ => return None,
    })
}

/// Phrases, most specific first; the first one a text contains decides.
const RULES: &[(&str, Kind)] = &[
    // No token: express-jwt, Spring, golang-jwt's request package, Echo, generic.
    ("no authorization token was found", Kind::TokenMissing),
    ("credentials_required", Kind::TokenMissing),
    ("full authentication is required", Kind::TokenMissing),
    ("no token present in request", Kind::TokenMissing),
    ("missing authorization header", Kind::TokenMissing),
    ("authorization header is missing", Kind::TokenMissing),
    ("authorization header missing", Kind::TokenMissing),
    ("authorization header not found", Kind::TokenMissing),
    ("authorization header is required", Kind::TokenMissing),
    ("missing bearer token", Kind::TokenMissing),
    ("bearer token is missing", Kind::TokenMissing),
    ("access token is missing", Kind::TokenMissing),
    ("missing access token", Kind::TokenMissing),
    ("missing or malformed jwt", Kind::TokenMissing),
    ("no bearer token", Kind::TokenMissing),
    ("no auth token", Kind::TokenMissing),
    ("no token found", Kind::TokenMissing),
    ("no token provided", Kind::TokenMissing),
    ("token not provided", Kind::TokenMissing),
    ("jwt must be provided", Kind::TokenMissing),
    // A header that is not `Bearer <token>` (before "malformed").
    ("credentials_bad_scheme", Kind::BadScheme),
    ("credentials_bad_format", Kind::BadScheme),
    ("format is authorization: bearer", Kind::BadScheme),
    ("authorization header format must be bearer", Kind::BadScheme),
    ("invalid authorization header", Kind::BadScheme),
    ("malformed authorization header", Kind::BadScheme),
    ("authorization header is malformed", Kind::BadScheme),
    ("bad authorization header", Kind::BadScheme),
    ("unsupported authorization scheme", Kind::BadScheme),
    ("invalid authorization scheme", Kind::BadScheme),
    // Scopes: express-jwt-authz, RFC 6750, Spring, express-jwt-permissions.
    ("insufficient scope", Kind::InsufficientScope),
    ("insufficient_scope", Kind::InsufficientScope),
    ("requires higher privileges", Kind::InsufficientScope),
    ("missing required scope", Kind::InsufficientScope),
    ("permission_denied", Kind::InsufficientScope),
    // Algorithm. Nimbus's "Another algorithm expected, or no matching key(s)
    // found" covers both causes; it names the algorithm first, and the local
    // verifier tells the two apart. It must come before "no matching key".
    ("another algorithm expected", Kind::InvalidAlgorithm),
    ("invalid algorithm", Kind::InvalidAlgorithm),
    ("signing method", Kind::InvalidAlgorithm),
    ("algorithm not allowed", Kind::InvalidAlgorithm),
    ("algorithm is not allowed", Kind::InvalidAlgorithm),
    ("alg not allowed", Kind::InvalidAlgorithm),
    ("unsupported algorithm", Kind::InvalidAlgorithm),
    ("unexpected algorithm", Kind::InvalidAlgorithm),
    ("algorithm mismatch", Kind::InvalidAlgorithm),
    ("key is of invalid type", Kind::InvalidAlgorithm),
    // jsonwebtoken on an unsigned (`alg: none`) token.
    ("jwt signature is required", Kind::InvalidAlgorithm),
    ("please specify \"none\"", Kind::InvalidAlgorithm),
    // No key for the token's kid (jwks-rsa, ASP.NET text, generic). Before "jwks":
    // "kid not found in JWKS" is about the key, not the fetch.
    ("signingkeynotfounderror", Kind::NoVerificationKey),
    ("unable to find a signing key", Kind::NoVerificationKey),
    ("unable to match key", Kind::NoVerificationKey),
    ("signature key was not found", Kind::NoVerificationKey),
    ("kid not found", Kind::NoVerificationKey),
    ("unknown kid", Kind::NoVerificationKey),
    ("no matching key", Kind::NoVerificationKey),
    ("no signing key", Kind::NoVerificationKey),
    // Fetching the keys failed (jwks-rsa's JwksError / JwksRateLimitError, Spring's "remote JWK set").
    ("jwksratelimiterror", Kind::Jwks),
    ("jwkserror", Kind::Jwks),
    ("jwks", Kind::Jwks),
    ("jwk set", Kind::Jwks),
    // The discovery document the keys come from (its URL may contain "issuer").
    ("openid-configuration", Kind::Jwks),
    // express-jwt when jwks-rsa found no key for the kid, or an HS* token met a
    // public-key-only verifier; golang-jwt when its keyfunc failed.
    ("secret or public key must be provided", Kind::NoVerificationKey),
    ("token is unverifiable", Kind::NoVerificationKey),
    ("no key found", Kind::NoVerificationKey),
    ("key not found", Kind::NoVerificationKey),
    // Signature.
    ("invalid signature", Kind::InvalidSignature),
    ("signature is invalid", Kind::InvalidSignature),
    ("signature invalid", Kind::InvalidSignature),
    ("signature verification failed", Kind::InvalidSignature),
    ("signature validation failed", Kind::InvalidSignature),
    ("failed to verify signature", Kind::InvalidSignature),
    ("signature does not match", Kind::InvalidSignature),
    ("signature mismatch", Kind::InvalidSignature),
    ("bad signature", Kind::InvalidSignature),
    ("verification error", Kind::InvalidSignature),
    // Not a JWT.
    ("jwt malformed", Kind::Malformed),
    ("malformed", Kind::Malformed),
    ("invalid jwt serialization", Kind::Malformed),
    ("invalid serialized", Kind::Malformed),
    ("invalid number of segments", Kind::Malformed),
    ("not well formed", Kind::Malformed),
    ("not well-formed", Kind::Malformed),
    ("invalid compact", Kind::Malformed),
    ("invalid token specified", Kind::Malformed),
    ("not a valid jwt", Kind::Malformed),
    // Time. Expired first: Azure's "has expired or is not yet valid" is nearly
    // always the former.
    ("expired", Kind::Expired),
    ("jwt not active", Kind::NotYetValid),
    ("not valid yet", Kind::NotYetValid),
    ("not yet valid", Kind::NotYetValid),
    ("not valid before", Kind::NotYetValid),
    ("used before issued", Kind::NotYetValid),
    ("notbeforeerror", Kind::NotYetValid),
    // Audience and issuer: the explicit phrases of both before the bare words,
    // so an issuer URL that happens to contain "audience" cannot mislead.
    ("jwt audience invalid", Kind::Audience),
    ("jwt issuer invalid", Kind::Issuer),
    ("audience validation failed", Kind::Audience),
    ("issuer validation failed", Kind::Issuer),
    ("invalid audience", Kind::Audience),
    ("invalid issuer", Kind::Issuer),
    ("aud claim", Kind::Audience),
    ("iss claim", Kind::Issuer),
    ("audience", Kind::Audience),
    ("issuer", Kind::Issuer),
];

/// In a 5xx, the words that mean the server could not get its signing keys.
const JWKS_5XX: &[&str] =
    &["jwks", "jwk set", "jwk_set", "signing key", "signingkey", "openid-configuration", "idx20803"];

/// Generic "your token is bad" with no cause: the InvalidToken fallback.
const GENERIC_INVALID: &[&str] =
    &["invalid_token", "invalid token", "token invalid", "token is invalid", "invalid jwt", "invalid access token"];

fn build_reason(
    kind: Kind,
    text: &Text,
    challenge: Option<&BearerChallenge>,
    expired_at: Option<&str>,
) -> ServerReason {
    match kind {
        Kind::TokenMissing => ServerReason::TokenMissing,
        Kind::BadScheme => ServerReason::BadScheme,
        Kind::Malformed => ServerReason::Malformed,
        Kind::Expired => {
            ServerReason::Expired { detail: expiry_detail(text).or_else(|| expired_at.map(str::to_owned)) }
        }
        Kind::NotYetValid => ServerReason::NotYetValid,
        Kind::InvalidSignature => ServerReason::InvalidSignature,
        Kind::InvalidAlgorithm => ServerReason::InvalidAlgorithm,
        Kind::NoVerificationKey => ServerReason::NoVerificationKey,
        Kind::Audience => {
            ServerReason::AudienceInvalid { expected: expected_value(text, &["validaudience: '", "validaudiences: '"]) }
        }
        Kind::Issuer => {
            ServerReason::IssuerInvalid { expected: expected_value(text, &["validissuer: '", "validissuers: '"]) }
        }
        Kind::InsufficientScope => {
            ServerReason::InsufficientScope { scopes: challenge.map(|c| c.scope.clone()).unwrap_or_default() }
        }
        Kind::Jwks => ServerReason::JwksFailure { detail: Some(text.line.clone()) },
    }
}

/// The expected audience/issuer a message states: ASP.NET's
/// `validationParameters.ValidAudience: 'y'` (the plural list when the single one
/// is 'null'), else whatever follows `expected:` (jsonwebtoken's
/// `jwt audience invalid. expected: A or B`).
fn expected_value(text: &Text, aspnet_markers: &[&str]) -> Option<String> {
    let aspnet = aspnet_markers.iter().find_map(|marker| {
        let start = text.lower.find(marker)? + marker.len();
        let value = text.original.get(start..)?;
        let end = value.find('\'')?;
        usable_value(value.get(..end)?)
    });
    aspnet.or_else(|| {
        let start = text.lower.find("expected:")? + "expected:".len();
        value_at(text.original.get(start..)?)
    })
}

/// When it expired, as the message states: `... expired at X` (Spring, ASP.NET
/// JwtBearer) or IDX10223's `ValidTo: 'X'`.
fn expiry_detail(text: &Text) -> Option<String> {
    if let Some(at) = text.lower.find("expired at ") {
        return value_at(text.original.get(at + "expired at ".len()..)?);
    }
    let after = text.original.get(text.lower.find("validto")?..)?;
    let open = after.find('\'')? + 1;
    let rest = after.get(open..)?;
    usable_value(rest.get(..rest.find('\'')?)?)
}

/// A value at the start of `s`: the inside of its quotes if quoted, else the
/// rest of the line without trailing punctuation.
fn value_at(s: &str) -> Option<String> {
    let s = s.trim_start();
    match s.chars().next() {
        Some(q @ ('\'' | '"' | '`')) => usable_value(s.get(q.len_utf8()..)?.split(q).next()?),
        _ => usable_value(s),
    }
}

fn usable_value(v: &str) -> Option<String> {
    let v = v.lines().next().unwrap_or_default().trim();
    let v = v.trim_end_matches(['.', ',', ';']).trim();
    // ASP.NET hides values as "[PII of type ... is hidden]" unless PII logging is on;
    // 'null' is how it prints an unset parameter.
    if v.is_empty() || v.eq_ignore_ascii_case("null") || v.starts_with("[PII") {
        return None;
    }
    Some(clip_chars(v, MAX_VALUE_CHARS))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::probe::www_authenticate::bearer;

    fn challenge(header: &str) -> Option<BearerChallenge> {
        bearer(&[header.to_owned()])
    }

    fn with(status: u16, header: Option<&str>, body: &str) -> ServerVerdict {
        let ch = header.and_then(challenge);
        interpret(status, ch.as_ref(), body)
    }

    fn reason(status: u16, header: Option<&str>, body: &str) -> ServerReason {
        with(status, header, body).reason
    }

    fn body_reason(body: &str) -> ServerReason {
        reason(401, None, body)
    }

    fn expired(detail: Option<&str>) -> ServerReason {
        ServerReason::Expired { detail: detail.map(str::to_owned) }
    }

    fn aud(expected: Option<&str>) -> ServerReason {
        ServerReason::AudienceInvalid { expected: expected.map(str::to_owned) }
    }

    fn iss(expected: Option<&str>) -> ServerReason {
        ServerReason::IssuerInvalid { expected: expected.map(str::to_owned) }
    }

    #[test]
    fn token_missing_phrases() {
        for text in [
            "UnauthorizedError: No authorization token was found",
            "Full authentication is required to access this resource",
            "no token present in request",
            "Missing Authorization header",
            r#"{"name":"UnauthorizedError","message":"Unauthorized","code":"credentials_required","status":401}"#,
        ] {
            assert_eq!(body_reason(text), ServerReason::TokenMissing, "{text}");
        }
    }

    #[test]
    fn bare_bearer_challenge_is_token_missing_only_without_a_token() {
        let ch = challenge("Bearer");
        let sent = interpret_with(401, ch.as_ref(), "", true);
        assert_eq!(sent.reason, ServerReason::Unrecognized);
        let unsent = interpret_with(401, ch.as_ref(), "", false);
        assert_eq!(unsent.reason, ServerReason::TokenMissing);
        let realm = challenge(r#"Bearer realm="api""#);
        assert_eq!(interpret_with(401, realm.as_ref(), "Unauthorized", false).reason, ServerReason::TokenMissing);
        // A 401 with nothing at all.
        assert_eq!(interpret(401, None, ""), verdict(ServerReason::Unrecognized, None));
        // A 403 without a token is not the RFC 6750 baseline.
        assert_eq!(interpret_with(403, ch.as_ref(), "", false).reason, ServerReason::Unrecognized);
    }

    #[test]
    fn bad_scheme() {
        for text in [
            r#"{"message":"Format is Authorization: Bearer [token]","code":"credentials_bad_format"}"#,
            r#"{"message":"Format is Authorization: Bearer [token]","code":"credentials_bad_scheme"}"#,
            "Authorization header format must be Bearer {token}",
        ] {
            assert_eq!(body_reason(text), ServerReason::BadScheme, "{text}");
        }
    }

    #[test]
    fn malformed() {
        for text in [
            "jwt malformed",
            "token is malformed: could not base64 decode header",
            "An error occurred while attempting to decode the Jwt: Malformed token",
            "Invalid JWT serialization: Missing dot delimiter(s)",
            "IDX12741: JWT: '[PII of type 'System.String' is hidden]' must have three segments (JWS) or five segments (JWE).",
            "token contains an invalid number of segments",
        ] {
            assert_eq!(body_reason(text), ServerReason::Malformed, "{text}");
        }
    }

    #[test]
    fn expired_with_and_without_detail() {
        assert_eq!(body_reason("jwt expired"), expired(None));
        assert_eq!(body_reason("token has invalid claims: token is expired"), expired(None));
        assert_eq!(body_reason("Token has expired"), expired(None));
        assert_eq!(
            reason(
                401,
                Some(r#"Bearer error="invalid_token", error_description="Jwt expired at 2021-04-27T14:40:34Z""#),
                ""
            ),
            expired(Some("2021-04-27T14:40:34Z"))
        );
        assert_eq!(
            reason(
                401,
                Some(r#"Bearer error="invalid_token", error_description="The token expired at '04/27/2021 14:40:34'""#),
                ""
            ),
            expired(Some("04/27/2021 14:40:34"))
        );
        assert_eq!(
            body_reason(
                "IDX10223: Lifetime validation failed. The token is expired. ValidTo (UTC): '4/27/2021 2:40:34 PM', Current time (UTC): '11/23/2026 0:00:00 AM'."
            ),
            expired(Some("4/27/2021 2:40:34 PM"))
        );
        // express-jwt's serialised error carries the instant in `inner.expiredAt`.
        assert_eq!(
            body_reason(
                r#"{"name":"UnauthorizedError","message":"jwt expired","code":"invalid_token","status":401,"inner":{"name":"TokenExpiredError","message":"jwt expired","expiredAt":"2021-04-27T14:40:34.000Z"}}"#
            ),
            expired(Some("2021-04-27T14:40:34.000Z"))
        );
    }

    #[test]
    fn rfc6750_example_reads_as_expired() {
        let v = with(
            401,
            Some(r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#),
            "",
        );
        assert_eq!(v.reason, expired(None));
        assert_eq!(v.message.as_deref(), Some("The access token expired"));
        assert_eq!(v.source.as_deref(), Some("www-authenticate"));
    }

    #[test]
    fn not_yet_valid() {
        for text in [
            "jwt not active",
            "token is not valid yet",
            "IDX10222: Lifetime validation failed. The token is not yet valid. ValidFrom (UTC): '...'",
            "The token is not valid before '04/27/2031 14:40:34'",
        ] {
            assert_eq!(body_reason(text), ServerReason::NotYetValid, "{text}");
        }
    }

    #[test]
    fn signature_algorithm_and_keys() {
        for text in [
            "invalid signature",
            "token signature is invalid: crypto/rsa: verification error",
            "Invalid signature",
            "IDX10503: Signature validation failed. Token does not have a kid. Keys tried: 'System.Text.StringBuilder'. Exceptions caught: 'IDX10634: Unable to create the SignatureProvider'.",
            "An error occurred while attempting to decode the Jwt: Signed JWT rejected: Invalid signature",
            "IDX10511: Signature validation failed. Keys tried: '...'. kid: 'abc'.",
            "The signature is invalid",
        ] {
            assert_eq!(body_reason(text), ServerReason::InvalidSignature, "{text}");
        }
        for text in [
            "invalid algorithm",
            "token is unverifiable: signing method RS256 is invalid",
            "signing method HS256 is invalid",
            "Signed JWT rejected: Another algorithm expected, or no matching key(s) found",
            "IDX10634: Unable to create the SignatureProvider. Algorithm: 'HS256'",
        ] {
            assert_eq!(body_reason(text), ServerReason::InvalidAlgorithm, "{text}");
        }
        for text in [
            "secret or public key must be provided",
            "SigningKeyNotFoundError: Unable to find a signing key that matches 'TfLOt3Lbn8'",
            "Unable to find a signing key that matches 'abc'",
            "IDX10501: Signature validation failed. Unable to match key: \nkid: 'abc'.",
            "token is unverifiable: error while executing keyfunc",
            "The signature key was not found",
            "kid not found in JWKS",
        ] {
            assert_eq!(body_reason(text), ServerReason::NoVerificationKey, "{text}");
        }
    }

    #[test]
    fn audience_with_expected_values() {
        assert_eq!(
            body_reason("jwt audience invalid. expected: 6050751aed0f29bf7723c7a8"),
            aud(Some("6050751aed0f29bf7723c7a8"))
        );
        assert_eq!(body_reason("jwt audience invalid. expected: app-id or ak-id"), aud(Some("app-id or ak-id")));
        assert_eq!(
            body_reason(
                "IDX10214: Audience validation failed. Audiences: 'x'. Did not match: validationParameters.ValidAudience: 'y' or validationParameters.ValidAudiences: 'null'."
            ),
            aud(Some("y"))
        );
        assert_eq!(
            body_reason(
                "IDX10214: Audience validation failed. Audiences: 'x'. Did not match: validationParameters.ValidAudience: 'null' or validationParameters.ValidAudiences: 'a, b'."
            ),
            aud(Some("a, b"))
        );
        assert_eq!(
            body_reason(
                "IDX10214: Audience validation failed. Audiences: '[PII of type 'System.String' is hidden]'. Did not match: validationParameters.ValidAudience: '[PII of type 'System.String' is hidden]'"
            ),
            aud(None)
        );
        for text in [
            "This aud claim is not equal to the configured audience",
            "The aud claim is not valid",
            "The audience 'x' is invalid",
            "token has invalid claims: token has invalid audience",
        ] {
            assert_eq!(body_reason(text), aud(None), "{text}");
        }
    }

    #[test]
    fn issuer_with_expected_values() {
        assert_eq!(
            body_reason("jwt issuer invalid. expected: https://example.authing.cn/oidc"),
            iss(Some("https://example.authing.cn/oidc"))
        );
        assert_eq!(
            body_reason(
                "IDX10205: Issuer validation failed. Issuer: 'x'. Did not match: validationParameters.ValidIssuer: 'https://a/oidc' or validationParameters.ValidIssuers: 'null'."
            ),
            iss(Some("https://a/oidc"))
        );
        for text in [
            "The iss claim is not valid",
            "The issuer 'https://a' is invalid",
            "token has invalid claims: token has invalid issuer",
        ] {
            assert_eq!(body_reason(text), iss(None), "{text}");
        }
        // An issuer URL containing "audience" is still an issuer problem.
        assert_eq!(
            body_reason("jwt issuer invalid. expected: https://audience.example/"),
            iss(Some("https://audience.example/"))
        );
    }

    #[test]
    fn insufficient_scope() {
        let scopes = ServerReason::InsufficientScope { scopes: vec!["order:read".to_owned()] };
        let v = with(403, Some(r#"Bearer scope="order:read", error="Insufficient scope""#), "Insufficient scope");
        assert_eq!(v.reason, scopes);
        assert_eq!(v.message.as_deref(), Some("Insufficient scope"));
        // Empty body: the header alone says it.
        assert_eq!(reason(403, Some(r#"Bearer scope="order:read", error="Insufficient scope""#), ""), scopes);
        assert_eq!(
            reason(
                403,
                Some(
                    r#"Bearer error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token.", error_uri="https://tools.ietf.org/html/rfc6750#section-3.1""#
                ),
                ""
            ),
            ServerReason::InsufficientScope { scopes: vec![] }
        );
        // No challenge: the body alone.
        assert_eq!(
            reason(403, None, r#"{"statusCode":403,"error":"Forbidden","message":"Insufficient scope"}"#),
            ServerReason::InsufficientScope { scopes: vec![] }
        );
        // A structured code with an unhelpful body.
        assert_eq!(
            reason(403, Some(r#"Bearer error="insufficient_scope""#), "Forbidden"),
            ServerReason::InsufficientScope { scopes: vec![] }
        );
    }

    #[test]
    fn generic_invalid_token() {
        let v = with(401, Some(r#"Bearer error="invalid_token", error_description="Something unusual happened""#), "");
        assert_eq!(v.reason, ServerReason::InvalidToken { detail: Some("Something unusual happened".into()) });
        let v = with(401, Some(r#"Bearer error="invalid_token""#), "");
        assert_eq!(v.reason, ServerReason::InvalidToken { detail: None });
        assert_eq!(v.message.as_deref(), Some("invalid_token"));
        assert_eq!(body_reason(r#"{"error":"invalid_token"}"#), ServerReason::InvalidToken { detail: None });
        let v = with(401, None, "Invalid token.");
        assert_eq!(v.reason, ServerReason::InvalidToken { detail: None });
        assert_eq!(v.message.as_deref(), Some("Invalid token."));
        assert_eq!(
            body_reason(r#"{"error":"invalid_token","message":"Token revoked by admin"}"#),
            ServerReason::InvalidToken { detail: Some("Token revoked by admin".into()) }
        );
        let v = with(401, None, r#"{"error":"invalid_token","message":"Token revoked by admin"}"#);
        assert_eq!(v.source.as_deref(), Some("json:message"));
    }

    #[test]
    fn specific_body_beats_generic_challenge() {
        // The challenge says only invalid_token; the body names the cause.
        let v =
            with(401, Some(r#"Bearer error="invalid_token""#), r#"{"message":"jwt audience invalid. expected: api"}"#);
        assert_eq!(v.reason, aud(Some("api")));
        assert_eq!(v.source.as_deref(), Some("json:message"));
        // The challenge's description outranks the body.
        let v = with(
            401,
            Some(r#"Bearer error="invalid_token", error_description="Jwt expired at 2021-04-27T14:40:34Z""#),
            "invalid signature",
        );
        assert_eq!(v.reason, expired(Some("2021-04-27T14:40:34Z")));
    }

    #[test]
    fn jwks_failures() {
        assert_eq!(
            reason(500, None, "JwksRateLimitError: Too many requests to the JWKS endpoint\n    at ..."),
            ServerReason::JwksFailure {
                detail: Some("JwksRateLimitError: Too many requests to the JWKS endpoint".into())
            }
        );
        assert!(matches!(reason(500, None, r#"{"message":"Unable to fetch JWKS"}"#), ServerReason::JwksFailure { .. }));
        assert!(matches!(
            reason(503, None, "SigningKeyNotFoundError: no signing key"),
            ServerReason::JwksFailure { .. }
        ));
        assert!(matches!(
            reason(
                500,
                None,
                "IDX20803: Unable to obtain configuration from: 'https://issuer.example/.well-known/openid-configuration'."
            ),
            ServerReason::JwksFailure { .. }
        ));
        assert!(matches!(reason(401, None, "JwksError: Not Found"), ServerReason::JwksFailure { .. }));
        // Any other 5xx is shown, not interpreted, even if it mentions a token.
        let v = with(500, None, "<html><head><title>500 Internal Server Error</title></head></html>");
        assert_eq!(v.reason, ServerReason::Unrecognized);
        assert_eq!(v.message.as_deref(), Some("500 Internal Server Error"));
        assert_eq!(reason(502, None, "jwt expired"), ServerReason::Unrecognized);
    }

    #[test]
    fn json_fields_and_sources() {
        let v = with(
            401,
            None,
            r#"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"Jwt expired at 2021-04-27T14:40:34Z"}"#,
        );
        assert_eq!(v.reason, expired(Some("2021-04-27T14:40:34Z")));
        assert_eq!(v.source.as_deref(), Some("json:detail"));
        let v = with(401, None, r#"{"errors":[{"message":"jwt malformed"}]}"#);
        assert_eq!((v.reason, v.source.as_deref()), (ServerReason::Malformed, Some("json:errors[0].message")));
        let v = with(
            401,
            None,
            r#"{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired or is not yet valid."}}"#,
        );
        assert_eq!(v.reason, expired(None));
        let v = with(401, None, r#"{"error":"invalid_request","error_description":"jwt not active"}"#);
        assert_eq!((v.reason, v.source.as_deref()), (ServerReason::NotYetValid, Some("json:error_description")));
        let v = with(401, None, r#"[{"message":"invalid signature"}]"#);
        assert_eq!(v.reason, ServerReason::InvalidSignature);
        let v = with(401, None, r#""jwt expired""#);
        assert_eq!(v.reason, expired(None));
        // Unrecognised JSON: the prose message is shown, not the code.
        let v = with(401, None, r#"{"code":"E42","message":"Go away"}"#);
        assert_eq!(v.reason, ServerReason::Unrecognized);
        assert_eq!((v.message.as_deref(), v.source.as_deref()), (Some("Go away"), Some("json:message")));
    }

    #[test]
    fn html_bodies() {
        let page = "<!DOCTYPE html><html><head><title>Error</title></head><body><pre>UnauthorizedError: jwt expired<br> &nbsp; &nbsp;at ...</pre></body></html>";
        let v = with(401, None, page);
        assert_eq!(v.reason, expired(None));
        assert_eq!(v.message.as_deref(), Some("UnauthorizedError: jwt expired"));
        assert_eq!(v.source.as_deref(), Some("body"));
        let v = with(
            401,
            None,
            "<html><body><h1>401 &amp; Unauthorized</h1><p>jwt audience invalid. expected: api</p></body></html>",
        );
        assert_eq!(v.reason, ServerReason::Unrecognized);
        assert_eq!(v.message.as_deref(), Some("401 & Unauthorized"));
        let v = with(401, None, "<html><body><p>invalid&#32;signature</p></body></html>");
        assert_eq!(v.reason, ServerReason::InvalidSignature);
        // Unclosed and odd markup.
        assert_eq!(body_reason("<html><pre class=\"x\">jwt malformed"), ServerReason::Malformed);
        let _ = interpret(401, None, "<html><pre");
        let _ = interpret(401, None, "<html>&#xFFFFFFFF; &#99999999999; &; &");
    }

    #[test]
    fn plain_text_uses_first_non_empty_line() {
        let v = with(401, None, "\n\n   \nUnauthorized\njwt expired\n");
        assert_eq!(v.reason, ServerReason::Unrecognized);
        assert_eq!(v.message.as_deref(), Some("Unauthorized"));
    }

    #[test]
    fn messages_are_one_short_line() {
        let long = format!("jwt expired {}", "x".repeat(5000));
        let v = with(401, None, &format!(r#"{{"message":"{long}\nsecond line"}}"#));
        assert_eq!(v.reason, expired(None));
        let msg = v.message.unwrap_or_default();
        assert_eq!(msg.chars().count(), 300);
        assert!(msg.ends_with('…') && !msg.contains('\n'));
        let v = with(401, None, r#"{"message":"a\tb\r\n  c\u0000d"}"#);
        assert_eq!(v.message.as_deref(), Some("a b c d"));
    }

    #[test]
    fn success_has_nothing_to_explain() {
        assert_eq!(interpret(200, None, "jwt expired"), verdict(ServerReason::Unrecognized, None));
    }

    #[test]
    fn hostile_bodies_do_not_panic() {
        let mut junk = String::new();
        let mut x: u32 = 7;
        while junk.len() < 200 * 1024 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            junk.push(char::from_u32((x >> 8) % 0x3000).unwrap_or('\u{fffd}'));
        }
        let ch = challenge(r#"Bearer error="invalid_token", error_description="IDX1""#);
        for status in [0, 100, 301, 400, 401, 403, 404, 500, 599, u16::MAX] {
            for body in [
                junk.as_str(),
                "",
                "{",
                "[]",
                "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
                "\u{feff}<",
                "expired at '",
                "ValidTo '",
                "expected: '",
                "IDX",
                "idx1022",
                "jwt audience invalid. expected:",
                "\u{0}\u{1}\u{7f}",
            ] {
                let _ = interpret(status, ch.as_ref(), body);
                let _ = interpret_with(status, None, body, false);
            }
        }
        // A huge JSON body is skimmed as text, not parsed.
        let big = format!(r#"{{"message":"jwt expired","pad":"{}"}}"#, "x".repeat(2 * MAX_JSON_PARSE));
        let v = interpret(401, None, &big);
        assert!(v.message.is_some_and(|m| m.chars().count() <= 300));
    }

    #[test]
    fn serializes_with_a_kind_tag() {
        let v = with(401, None, "jwt audience invalid. expected: api");
        let json = serde_json::to_value(&v).unwrap_or_default();
        assert_eq!(json["reason"]["kind"], "audience_invalid");
        assert_eq!(json["reason"]["expected"], "api");
        assert_eq!(json["source"], "body");
        let missing = serde_json::to_value(verdict(ServerReason::TokenMissing, None)).unwrap_or_default();
        assert_eq!(missing["reason"]["kind"], "token_missing");
    }
}
