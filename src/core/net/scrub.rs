//! Scrubbing the secrets of a call out of what a server answers, before anything reads it.
//!
//! A token endpoint that echoes the request body (in `error_description`, or an HTML 500
//! page) hands the client secret back; an API that echoes its request headers hands back the
//! bearer token. Every string tokdbg shows or keeps of an answer (body, parsed JSON, headers,
//! OAuth error fields, evidence, history, exports) derives from the [`HttpResponse`], so the
//! response is scrubbed once, as it arrives, of every form in which the secret was sent.

use std::borrow::Cow;

use base64::Engine as _;

use crate::core::model::secret::Secret;
use crate::core::net::http::HttpResponse;

/// What stands in for a secret found in an answer.
pub const REDACTED: &str = "[redacted]";

/// Header names always treated as credentials.
const CREDENTIAL_HEADERS: &[&str] = &["authorization", "proxy-authorization", "cookie", "set-cookie"];

/// Parts of a header name that mark it as carrying a credential (`X-Api-Key`, `X-Auth-Token`,
/// `X-Session-Id`, `Client-Secret`...): false positives only hide a value.
const CREDENTIAL_WORDS: &[&str] = &["key", "token", "secret", "auth", "session", "password", "credential"];

/// Whether a header's value is a credential: redacted in exports, scrubbed from answers.
pub fn is_credential_header(name: &str) -> bool {
    let name = name.trim().to_ascii_lowercase();
    CREDENTIAL_HEADERS.contains(&name.as_str()) || CREDENTIAL_WORDS.iter().any(|word| name.contains(word))
}

/// Shorter secrets are not searched for: replacing every "ab" of a page would say nothing
/// about the secret and wreck the evidence.
const MIN_NEEDLE: usize = 4;

/// `text` with the characters `which` picks written by `escape`.
fn escape_each(text: &str, which: impl Fn(char) -> bool, escape: impl Fn(char) -> String) -> String {
    text.chars().map(|c| if which(c) { escape(c) } else { c.to_string() }).collect()
}

/// The byte strings to remove from an answer: each secret in every encoding it was sent in.
#[derive(Clone, Default)]
pub struct Scrubber {
    needles: Vec<Vec<u8>>,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Scrubber({} needles, [redacted])", self.needles.len())
    }
}

impl Scrubber {
    pub fn new() -> Self {
        Self::default()
    }

    /// A secret sent as is, form-urlencoded, percent-encoded, or quoted in JSON or HTML.
    pub fn add_secret(&mut self, secret: &Secret) -> &mut Self {
        let raw = secret.expose();
        for form in [
            raw.to_owned(),
            url::form_urlencoded::byte_serialize(raw.as_bytes()).collect(),
            percent_encoding::utf8_percent_encode(raw, percent_encoding::NON_ALPHANUMERIC).to_string(),
            serde_json::to_string(raw).map(|quoted| quoted[1..quoted.len() - 1].to_owned()).unwrap_or_default(),
            html_escaped(raw),
            // Go's html/template and encoding/json, .NET's System.Text.Json: the characters they
            // escape, as they escape them (text decoded later is scrubbed again, see scrub_json).
            escape_each(raw, |c| matches!(c, '&' | '\'' | '<' | '>' | '"' | '+'), |c| format!("&#{};", c as u32)),
            escape_each(
                raw,
                |c| matches!(c, '&' | '\'' | '<' | '>' | '"' | '+'),
                |c| match c {
                    '&' => "&amp;".to_owned(),
                    '<' => "&lt;".to_owned(),
                    '>' => "&gt;".to_owned(),
                    other => format!("&#{};", other as u32),
                },
            ),
            escape_each(raw, |c| matches!(c, '&' | '<' | '>'), |c| format!("\\u{:04x}", c as u32)),
            escape_each(
                raw,
                |c| !c.is_ascii_alphanumeric() && !matches!(c, '-' | '_' | '.' | '/' | ' ' | '~'),
                |c| format!("\\u{:04X}", c as u32),
            ),
            // JSON as PHP and others write it, with "/" escaped.
            serde_json::to_string(raw)
                .map(|quoted| quoted[1..quoted.len() - 1].replace('/', "\\/"))
                .unwrap_or_default(),
        ] {
            self.add_needle(form.into_bytes());
        }
        self
    }

    /// A client secret: the forms of [`Scrubber::add_secret`], and the Basic credentials
    /// built from it (RFC 6749 §2.3.1 urlencodes id and secret first; many clients do not).
    pub fn add_client_secret(&mut self, client_id: &str, secret: &Secret) -> &mut Self {
        self.add_secret(secret);
        let encode = |s: &str| -> String { url::form_urlencoded::byte_serialize(s.as_bytes()).collect() };
        for joined in
            [format!("{}:{}", encode(client_id), encode(secret.expose())), format!("{client_id}:{}", secret.expose())]
        {
            let standard = base64::engine::general_purpose::STANDARD.encode(&joined);
            self.add_needle(standard.trim_end_matches('=').as_bytes().to_vec());
            self.add_needle(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&joined).into_bytes());
        }
        self
    }

    /// A bearer token: the whole token, and a JWT's signature on its own (it is what makes a
    /// copied token usable; header and payload are public anyway).
    pub fn add_token(&mut self, token: &Secret) -> &mut Self {
        let raw = token.expose().trim();
        self.add_needle(raw.as_bytes().to_vec());
        if let Some(signature) = raw.rsplit('.').next().filter(|_| raw.matches('.').count() == 2) {
            self.add_needle(signature.as_bytes().to_vec());
        }
        self
    }

    /// A credential header's value as sent, and its credentials alone after an auth scheme
    /// (`Basic …`, `Bearer …`).
    pub fn add_header_value(&mut self, value: &str) -> &mut Self {
        self.add_secret(&Secret::new(value.trim()));
        if let Some((_, credentials)) = value.trim().split_once(' ') {
            self.add_token(&Secret::new(credentials.trim()));
        }
        self
    }

    /// A private key's text (PEM or JWK): the whole, each base64 line of a PEM body, and
    /// each private member of a JWK — an answer echoing any of them is scrubbed.
    pub fn add_private_key(&mut self, key: &Secret) -> &mut Self {
        let text = key.expose().trim();
        self.add_secret(&Secret::new(text));
        for line in text.lines().map(str::trim).filter(|line| line.len() >= 16 && !line.starts_with("-----")) {
            self.add_needle(line.as_bytes().to_vec());
        }
        if let Ok(serde_json::Value::Object(jwk)) = serde_json::from_str::<serde_json::Value>(text) {
            for member in ["d", "p", "q", "dp", "dq", "qi", "k"] {
                if let Some(value) = jwk.get(member).and_then(serde_json::Value::as_str) {
                    self.add_needle(value.as_bytes().to_vec());
                }
            }
        }
        self
    }

    fn add_needle(&mut self, needle: Vec<u8>) {
        if needle.len() >= MIN_NEEDLE && !self.needles.contains(&needle) {
            self.needles.push(needle);
            // Longest first, so a secret's encoded form is not half-replaced by a shorter one.
            self.needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// `bytes` with every needle replaced; when the body was cut at the size cap, a tail that
    /// begins a needle is cut too (a secret split by the cap would otherwise leak its start).
    pub fn scrub_bytes(&self, bytes: &[u8], truncated: bool) -> Option<Vec<u8>> {
        let mut out: Option<Vec<u8>> = None;
        for needle in &self.needles {
            let current = out.as_deref().unwrap_or(bytes);
            if let Some(replaced) = replace_all(current, needle) {
                out = Some(replaced);
            }
        }
        if truncated {
            let current = out.as_deref().unwrap_or(bytes);
            let cut = self
                .needles
                .iter()
                .filter_map(|needle| {
                    (MIN_NEEDLE..needle.len())
                        .rev()
                        .find(|&k| current.ends_with(&needle[..k]))
                        .map(|k| current.len() - k)
                })
                .min();
            if let Some(at) = cut {
                let mut shortened = current[..at].to_vec();
                shortened.extend_from_slice(REDACTED.as_bytes());
                out = Some(shortened);
            }
        }
        out
    }

    /// `text` with every needle replaced.
    pub fn scrub_str<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.scrub_bytes(text.as_bytes(), false) {
            // Needles are whole UTF-8 strings, so replacing them keeps the text valid UTF-8.
            Some(bytes) => Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
            None => Cow::Borrowed(text),
        }
    }

    /// Scrubs every key and string of a parsed JSON value in place: JSON escapes (`\u002B`)
    /// are decoded by then, whatever subset of characters the server's encoder escaped.
    pub fn scrub_json(&self, value: &mut serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::String(text) => {
                if let Cow::Owned(scrubbed) = self.scrub_str(text) {
                    *text = scrubbed;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.scrub_json(item)),
            Value::Object(map) => {
                let entries = std::mem::take(map);
                for (key, mut item) in entries {
                    self.scrub_json(&mut item);
                    map.insert(self.scrub_str(&key).into_owned(), item);
                }
            }
            _ => {}
        }
    }

    /// Scrubs a string in place (for text decoded after the answer was scrubbed).
    pub fn scrub_in_place(&self, text: &mut String) {
        if let Cow::Owned(scrubbed) = self.scrub_str(text) {
            *text = scrubbed;
        }
    }

    /// Scrubs an answer in place: body, header values and the final URL.
    pub fn scrub_response(&self, response: &mut HttpResponse) {
        if self.is_empty() {
            return;
        }
        if let Some(body) = self.scrub_bytes(&response.body, response.truncated) {
            response.body = body;
        }
        for (_, value) in &mut response.headers {
            if let Cow::Owned(scrubbed) = self.scrub_str(value) {
                *value = scrubbed;
            }
        }
        if let Cow::Owned(scrubbed) = self.scrub_str(&response.final_url) {
            response.final_url = scrubbed;
        }
    }
}

fn replace_all(haystack: &[u8], needle: &[u8]) -> Option<Vec<u8>> {
    let first = find(haystack, needle, 0)?;
    let mut out = Vec::with_capacity(haystack.len());
    let mut from = 0;
    let mut at = Some(first);
    while let Some(i) = at {
        out.extend_from_slice(&haystack[from..i]);
        out.extend_from_slice(REDACTED.as_bytes());
        from = i + needle.len();
        at = find(haystack, needle, from);
    }
    out.extend_from_slice(&haystack[from..]);
    Some(out)
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

fn html_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrub(s: &Scrubber, text: &str) -> String {
        s.scrub_str(text).into_owned()
    }

    #[test]
    fn a_client_secret_is_scrubbed_in_every_form_it_was_sent() {
        let mut s = Scrubber::new();
        s.add_client_secret("app id", &Secret::new("s3cr&t+/="));
        assert_eq!(scrub(&s, "client_secret=s3cr%26t%2B%2F%3D&x"), "client_secret=[redacted]&x");
        assert_eq!(scrub(&s, "raw s3cr&t+/= html s3cr&amp;t+/="), "raw [redacted] html [redacted]");
        let basic = base64::engine::general_purpose::STANDARD.encode("app+id:s3cr%26t%2B%2F%3D");
        assert_eq!(scrub(&s, &format!("Authorization: Basic {basic}")), "Authorization: Basic [redacted]");
    }

    #[test]
    fn a_token_and_its_signature_alone_are_scrubbed() {
        let mut s = Scrubber::new();
        s.add_token(&Secret::new("eyJh.eyJz.c2lnbmF0dXJlLXBhcnQ"));
        assert_eq!(scrub(&s, "got Bearer eyJh.eyJz.c2lnbmF0dXJlLXBhcnQ!"), "got Bearer [redacted]!");
        assert_eq!(scrub(&s, "sig=c2lnbmF0dXJlLXBhcnQ"), "sig=[redacted]");
    }

    #[test]
    fn a_secret_cut_by_the_size_cap_loses_its_start_too() {
        let mut s = Scrubber::new();
        s.add_secret(&Secret::new("abcdefghij"));
        let out = s.scrub_bytes(b"echo: abcdefg", true).unwrap();
        assert_eq!(out, b"echo: [redacted]");
        assert!(s.scrub_bytes(b"echo: abcdefg", false).is_none());
    }

    #[test]
    fn escapes_of_dotnet_go_and_html_templates_are_scrubbed_too() {
        let mut s = Scrubber::new();
        s.add_secret(&Secret::new("ab+cd/e&f"));
        assert_eq!(scrub(&s, r#"{"d":"ab\u002Bcd/e\u0026f"}"#), r#"{"d":"[redacted]"}"#);
        assert_eq!(scrub(&s, r#"{"d":"ab+cd/e\u0026f"}"#), r#"{"d":"[redacted]"}"#);
        assert_eq!(scrub(&s, "<p>ab&#43;cd/e&#38;f</p>"), "<p>[redacted]</p>");
        assert_eq!(scrub(&s, "<p>ab&#43;cd/e&amp;f</p>"), "<p>[redacted]</p>");
    }

    #[test]
    fn decoded_json_is_scrubbed_in_keys_and_values() {
        let mut s = Scrubber::new();
        s.add_secret(&Secret::new("ab+cd/ef"));
        let mut value: serde_json::Value =
            serde_json::from_str(r#"{"a":["x ab\u002bcd/ef y"],"ab+cd/ef":1,"n":{"m":"ab+cd\/ef"}}"#).unwrap();
        s.scrub_json(&mut value);
        assert_eq!(value, serde_json::json!({"a":["x [redacted] y"],"[redacted]":1,"n":{"m":"[redacted]"}}));
    }

    #[test]
    fn very_short_secrets_are_not_searched() {
        let mut s = Scrubber::new();
        s.add_secret(&Secret::new("ab"));
        assert!(s.is_empty());
    }

    #[test]
    fn debug_shows_no_needle() {
        let mut s = Scrubber::new();
        s.add_secret(&Secret::new("hunter2-sk"));
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
