//! Decoding a token without a key: header, claims and signature of a JWS, or why it is not one.

use base64::Engine as _;
use serde::Serialize;
use serde_json::{Map, Value};

/// Tokens above this size are refused before any parsing (browsers and servers cap far lower).
pub const MAX_TOKEN_BYTES: usize = 256 * 1024;

/// A JWT split and decoded; nothing in it is verified.
///
/// `Debug` leaves the signature out: reports holding a token are debug-printed.
#[derive(Clone, Serialize)]
pub struct DecodedToken {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    /// `alg` as written in the header (may be "none" or unknown to any library).
    pub alg: Option<String>,
    pub kid: Option<String>,
    pub typ: Option<String>,
    /// Size of the whole compact token in bytes.
    pub size: usize,
    #[serde(skip)]
    pub signing_input: String,
    /// The third segment, still base64url; empty for unsigned tokens.
    #[serde(skip)]
    pub signature_b64: String,
}

impl std::fmt::Debug for DecodedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecodedToken")
            .field("header", &self.header)
            .field("claims", &self.claims)
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("typ", &self.typ)
            .field("size", &self.size)
            .field("signature_b64", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// Why a string is not a decodable JWT.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum DecodeError {
    #[error("the token is empty")]
    Empty,
    #[error("the token is {0} bytes, over the {MAX_TOKEN_BYTES}-byte limit")]
    TooLarge(usize),
    #[error("five segments: an encrypted JWE token, which only its recipient can read")]
    Encrypted,
    #[error("{0} segment(s) separated by dots where a JWT has 3: not a JWT (an opaque token needs introspection)")]
    SegmentCount(usize),
    #[error("the {part} is not valid base64url: {detail}")]
    Base64 { part: &'static str, detail: String },
    #[error("the {part} is not valid JSON: {detail}")]
    Json { part: &'static str, detail: String },
    #[error("the {part} is JSON but not an object")]
    NotObject { part: &'static str },
    #[error("the token contains characters no JWT has (only A-Z a-z 0-9 - _ and dots): {0}")]
    BadCharacters(String),
}

impl DecodeError {
    /// True when the input looks like an opaque (reference) token rather than a broken JWT.
    pub fn looks_opaque(&self) -> bool {
        matches!(self, DecodeError::SegmentCount(1))
    }
}

/// Cleans what people paste: surrounding whitespace, quotes, an `Authorization:`/`Bearer ` prefix.
pub fn clean_pasted(input: &str) -> &str {
    let mut text = input.trim();
    if let Some(rest) = strip_prefix_ignore_case(text, "authorization:") {
        text = rest.trim_start();
    }
    if let Some(rest) = strip_prefix_ignore_case(text, "bearer ") {
        text = rest.trim_start();
    }
    text.trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace())
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

/// Decodes a compact JWS. Input is cleaned with [`clean_pasted`] first.
pub fn decode(input: &str) -> Result<DecodedToken, DecodeError> {
    let token = clean_pasted(input);
    if token.is_empty() {
        return Err(DecodeError::Empty);
    }
    if token.len() > MAX_TOKEN_BYTES {
        return Err(DecodeError::TooLarge(token.len()));
    }
    if let Some((at, bad)) =
        token.chars().enumerate().find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=')))
    {
        let shown = if bad.is_control() || bad.is_whitespace() { format!("{:?}", bad) } else { format!("'{bad}'") };
        // Where: pasted tokens are long, and a wrapped line break is invisible.
        return Err(DecodeError::BadCharacters(format!("{shown} at position {at}")));
    }
    let parts: Vec<&str> = token.split('.').collect();
    match parts.len() {
        3 => {}
        5 => return Err(DecodeError::Encrypted),
        n => return Err(DecodeError::SegmentCount(n)),
    }
    let header = decode_part(parts[0], "header")?;
    let claims = decode_part(parts[1], "payload")?;
    let text_field = |name: &str| match header.get(name) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Null) | None => None,
        Some(other) => Some(other.to_string()),
    };
    Ok(DecodedToken {
        alg: text_field("alg"),
        kid: text_field("kid"),
        typ: text_field("typ"),
        size: token.len(),
        signing_input: format!("{}.{}", parts[0], parts[1]),
        signature_b64: parts[2].to_owned(),
        header,
        claims,
    })
}

fn decode_part(segment: &str, part: &'static str) -> Result<Map<String, Value>, DecodeError> {
    // Some issuers pad; base64url in JWS has no padding, so accept both.
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(segment.trim_end_matches('='))
        .map_err(|e| DecodeError::Base64 { part, detail: base64_problem(segment, &e) })?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| DecodeError::Json { part, detail: e.to_string() })?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(DecodeError::NotObject { part }),
    }
}

/// The base64 crate's error in words a person can act on ("Invalid last symbol 116, offset 2"
/// says neither which character nor that the segment is cut short).
fn base64_problem(segment: &str, error: &base64::DecodeError) -> String {
    let char_at = |offset: usize| segment.get(offset..).and_then(|s| s.chars().next());
    match error {
        base64::DecodeError::InvalidByte(offset, _) => match char_at(*offset) {
            Some(c) => format!("{:?} at position {} is not a base64url character", c, offset + 1),
            None => format!("a character at position {} is not base64url", offset + 1),
        },
        base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidLastSymbol(..) => format!(
            "its length ({} characters) is not whole base64url bytes: the segment looks cut short or has extra characters at its end",
            segment.chars().count()
        ),
        base64::DecodeError::InvalidPadding => "misplaced '=' padding".to_owned(),
    }
}

/// A numeric date claim read leniently, with a note when it is not a plain integer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum NumericDate {
    Absent,
    Valid(i64),
    /// Present but unusable (a string, a bool, out of range...), with what it was.
    Invalid(String),
}

impl DecodedToken {
    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    /// `exp`, `nbf`, `iat`: integers, or floats truncated (RFC 7519 allows fractions).
    pub fn numeric_date(&self, name: &str) -> NumericDate {
        match self.claims.get(name) {
            None | Some(Value::Null) => NumericDate::Absent,
            Some(Value::Number(n)) => {
                if let Some(i) = n.as_i64() {
                    NumericDate::Valid(i)
                } else if let Some(f) = n.as_f64().filter(|f| f.is_finite() && f.abs() < 1e15) {
                    NumericDate::Valid(f.trunc() as i64)
                } else {
                    NumericDate::Invalid(n.to_string())
                }
            }
            Some(other) => NumericDate::Invalid(other.to_string()),
        }
    }

    /// `aud` as a list: a string is one audience, an array its strings.
    pub fn audiences(&self) -> Option<Vec<String>> {
        match self.claims.get("aud")? {
            Value::String(s) => Some(vec![s.clone()]),
            Value::Array(items) => Some(items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()),
            _ => None,
        }
    }

    pub fn is_unsigned(&self) -> bool {
        self.signature_b64.is_empty() || self.alg.as_deref().is_some_and(|a| a.eq_ignore_ascii_case("none"))
    }
}

/// Header parameters registered by RFC 7515 (JWS) and RFC 7516 (JWE): `crit` must never list
/// them (RFC 7515 §4.1.11), since every recipient already understands them.
const REGISTERED_HEADERS: &[&str] =
    &["alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc", "zip"];

/// Critical header extensions tokdbg implements: only `b64` (RFC 7797), and only its default
/// `true` — a JWT never has an unencoded payload.
const UNDERSTOOD_CRITICAL: &[&str] = &["b64"];

/// Why a token's protected header makes it invalid whatever its key, per the JOSE RFCs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderProblem {
    /// `crit` is not a non-empty list of distinct extension names present in the header.
    MalformedCrit(String),
    /// `crit` names extensions tokdbg does not implement (RFC 7515 §4.1.11: the JWS is invalid).
    UnknownCritical(Vec<String>),
    /// `b64` is `false` (RFC 7797 unencoded payload), which a JWT must not use (RFC 7797 §7).
    UnencodedPayload,
    /// `b64` is present but not a boolean.
    MalformedB64(String),
}

impl HeaderProblem {
    /// One line saying what is wrong, for the checklist.
    pub fn detail(&self) -> String {
        match self {
            HeaderProblem::MalformedCrit(why) => format!("the crit header is malformed: {why} (RFC 7515 §4.1.11)"),
            HeaderProblem::UnknownCritical(names) => format!(
                "the crit header marks {} as critical, an extension tokdbg does not implement: \
                 RFC 7515 §4.1.11 makes the token invalid for any verifier that does not",
                quoted_list(names)
            ),
            HeaderProblem::UnencodedPayload => {
                "b64 is false: an unencoded payload (RFC 7797), which a JWT must not use (RFC 7797 §7)".to_owned()
            }
            HeaderProblem::MalformedB64(raw) => format!("b64 is {raw}, not a boolean (RFC 7797 §3)"),
        }
    }

    /// What to do about it.
    pub fn fix(&self) -> String {
        match self {
            HeaderProblem::MalformedCrit(_) => "The issuer writes a malformed crit header: it must be a non-empty \
                 list of extension header names that occur in the header, never a registered one like alg. \
                 Report it to the issuer; a strict verifier rejects every such token."
                .to_owned(),
            HeaderProblem::UnknownCritical(names) => format!(
                "The issuer requires every verifier to implement {}: tokdbg cannot check it, and an API that \
                 ignores it breaks RFC 7515. Have the issuer drop the critical extension from access tokens, or \
                 verify with a library that implements it.",
                quoted_list(names)
            ),
            HeaderProblem::UnencodedPayload | HeaderProblem::MalformedB64(_) => "Have the issuer sign the JWT \
                 without the b64 header parameter: a JWT's payload is always base64url, and a verifier that \
                 ignores b64 checks other bytes than the issuer signed."
                .to_owned(),
        }
    }
}

/// Header text is the token author's: keep what is quoted back short.
fn short(text: &str) -> String {
    crate::core::net::http::excerpt(text, 40)
}

fn quoted_list(names: &[String]) -> String {
    let mut shown: Vec<String> = names.iter().take(4).map(|n| format!("\"{}\"", short(n))).collect();
    if names.len() > 4 {
        shown.push(format!("{} more", names.len() - 4));
    }
    shown.join(", ")
}

impl DecodedToken {
    /// The first way the header breaks RFC 7515 §4.1.11 (`crit`) or RFC 7797 (`b64`), if any.
    ///
    /// Checked before any key: a token with such a header must not verify, even when its
    /// signature matches (the signature means something else to its issuer).
    pub fn header_problem(&self) -> Option<HeaderProblem> {
        if let Some(crit) = self.header.get("crit") {
            let Value::Array(items) = crit else {
                return Some(HeaderProblem::MalformedCrit(format!("{} is not a list", short(&crit.to_string()))));
            };
            if items.is_empty() {
                return Some(HeaderProblem::MalformedCrit("the list is empty".to_owned()));
            }
            let mut names: Vec<&str> = Vec::with_capacity(items.len());
            for item in items {
                let Value::String(name) = item else {
                    return Some(HeaderProblem::MalformedCrit(format!(
                        "{} is not a header name",
                        short(&item.to_string())
                    )));
                };
                if REGISTERED_HEADERS.contains(&name.as_str()) {
                    return Some(HeaderProblem::MalformedCrit(format!(
                        "it lists \"{name}\", a registered header every verifier understands"
                    )));
                }
                if names.contains(&name.as_str()) {
                    return Some(HeaderProblem::MalformedCrit(format!("it lists \"{}\" twice", short(name))));
                }
                if !self.header.contains_key(name) {
                    return Some(HeaderProblem::MalformedCrit(format!(
                        "it lists \"{}\", which the header does not have",
                        short(name)
                    )));
                }
                names.push(name);
            }
            let unknown: Vec<String> =
                names.iter().filter(|n| !UNDERSTOOD_CRITICAL.contains(n)).map(|n| (*n).to_owned()).collect();
            if !unknown.is_empty() {
                return Some(HeaderProblem::UnknownCritical(unknown));
            }
        }
        // b64 counts with or without crit: RFC 7797 §6 requires crit, and a JWT may not use it at all.
        match self.header.get("b64") {
            None | Some(Value::Bool(true)) => None,
            Some(Value::Bool(false)) => Some(HeaderProblem::UnencodedPayload),
            Some(other) => Some(HeaderProblem::MalformedB64(short(&other.to_string()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IlRmTE90M0xibjhfYThwUk11ZXNzYW1xai1vM0RCQ3MxLW93SExRLVZNcVEifQ.eyJqdGkiOiJTUWxFSGRzTk54MDc4TThwT1R6djMiLCJpYXQiOjE2MTk1MzA4MzQsImV4cCI6MTYxOTUzNDQzNCwic2NvcGUiOiJvcGVuaWQiLCJpc3MiOiJodHRwczovL29pZGMxLmF1dGhpbmcuY24vb2lkYyIsImF1ZCI6IjYwNTA3NTFhZWQwZjI5YmY3NzIzYzdhOCIsImF6cCI6IjVmMTdhNTI5ZjY0ZmIwMDliNzk0YTJmZiJ9.QsthJdDM5TNtfQOAzy6EwuedK9r03SzkgE2GQkQCLv8";

    #[test]
    fn seed_token_decodes() {
        let token = decode(&format!("Bearer {SEED}\n")).unwrap();
        assert_eq!(token.alg.as_deref(), Some("RS256"));
        assert_eq!(token.kid.as_deref(), Some("TfLOt3Lbn8_a8pRMuessamqj-o3DBCs1-owHLQ-VMqQ"));
        assert_eq!(token.claim_str("iss"), Some("https://oidc1.authing.cn/oidc"));
        assert_eq!(token.numeric_date("exp"), NumericDate::Valid(1619534434));
        assert_eq!(token.audiences(), Some(vec!["6050751aed0f29bf7723c7a8".to_owned()]));
    }

    #[test]
    fn not_jwts_are_named() {
        assert_eq!(decode("  ").unwrap_err(), DecodeError::Empty);
        assert!(decode("abcdef").unwrap_err().looks_opaque());
        assert_eq!(decode("a.b.c.d.e").unwrap_err(), DecodeError::Encrypted);
        assert_eq!(decode("a.b").unwrap_err(), DecodeError::SegmentCount(2));
        assert!(matches!(decode("!!.b.c"), Err(DecodeError::BadCharacters(_))));
        assert!(matches!(decode("e30.bm90anNvbg.x"), Err(DecodeError::Json { part: "payload", .. })));
        assert!(matches!(decode("WzFd.e30.x"), Err(DecodeError::NotObject { part: "header" })));
    }

    #[test]
    fn unsigned_and_odd_headers_still_decode() {
        // {"alg":"none"} . {"exp":"soon","aud":7}
        let token = decode("eyJhbGciOiJub25lIn0.eyJleHAiOiJzb29uIiwiYXVkIjo3fQ.").unwrap();
        assert!(token.is_unsigned());
        assert!(matches!(token.numeric_date("exp"), NumericDate::Invalid(_)));
        assert_eq!(token.audiences(), None);
    }
}
