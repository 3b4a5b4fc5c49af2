//! Parses `WWW-Authenticate` header values (RFC 7235 §4.1) and reads the Bearer challenge (RFC 6750 §3).
//!
//! Hand-written on purpose. We checked the `http-auth` crate (0.1.10) against the
//! real header strings in the tests below. It parses the well-formed ones
//! correctly, but by design it rejects token68 challenges (`Negotiate abc123==`),
//! any non-ASCII byte in a quoted string (e.g. a localised `error_description`),
//! and unbalanced quotes. It also stops at the first error. tokdbg must show
//! *something* for every header a server sends, so a fallback for all of those
//! would be a complete parser anyway. Using one tolerant parser keeps a single
//! behaviour for every input.
//!
//! The grammar is small: `challenge = scheme [ 1*SP ( token68 / #auth-param ) ]`,
//! challenges and params both separated by commas. The parser looks ahead to
//! tell a param (`name=`) from the next challenge's scheme.

use serde::Serialize;

/// Caps on what one header can produce, so hostile input cannot make us build
/// huge structures. Real headers hold a handful of challenges with a few params.
const MAX_CHALLENGES: usize = 64;
const MAX_PARAMS: usize = 64;

/// One challenge: a scheme and either params or a token68.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Challenge {
    /// As sent (compare with `eq_ignore_ascii_case`).
    pub scheme: String,
    /// Param names lower-cased; values unquoted and unescaped, in header order.
    pub params: Vec<(String, String)>,
    pub token68: Option<String>,
}

impl Challenge {
    /// The first value of a param (names are matched case-insensitively).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn is_bearer(&self) -> bool {
        self.scheme.eq_ignore_ascii_case("bearer")
    }
}

/// Parses one header value, which may hold several challenges. Never fails:
/// malformed input yields whatever could be recovered (an unterminated quoted
/// string runs to the end, stray punctuation is skipped).
pub fn parse(header: &str) -> Vec<Challenge> {
    let mut p = Parser { chars: header.chars().collect(), pos: 0 };
    let mut out: Vec<Challenge> = Vec::new();
    let mut current: Option<Challenge> = None;

    loop {
        p.skip_ws_and_commas();
        let Some(c) = p.peek() else { break };
        if c == '"' {
            // A quoted string where a name should be: skip it whole, so its
            // commas are not taken for separators.
            p.quoted();
            continue;
        }
        if c == '=' {
            p.pos += 1;
            continue;
        }
        let word = p.word();
        let after_word = p.pos;
        p.skip_ws();
        if p.peek() == Some('=') {
            // `name = value`: a param of the current challenge.
            p.pos += 1;
            p.skip_ws();
            let value = match p.peek() {
                Some('"') => p.quoted(),
                None | Some(',') => String::new(),
                Some(_) => p.bare_value(),
            };
            // A param before any valid scheme has no challenge to belong to: dropped.
            if let Some(ch) = current.as_mut()
                && ch.params.len() < MAX_PARAMS
            {
                ch.params.push((word.to_ascii_lowercase(), value));
            }
            continue;
        }
        p.pos = after_word;

        // A new challenge begins.
        if let Some(done) = current.take() {
            out.push(done);
        }
        if out.len() >= MAX_CHALLENGES {
            break;
        }
        if !word.chars().all(is_tchar) {
            // Not a scheme (HTML, binary junk...): skip to the next comma; the
            // params that follow are dropped until a real scheme appears.
            p.skip_to_comma();
            continue;
        }
        let mut ch = Challenge { scheme: word, params: Vec::new(), token68: None };
        ch.token68 = p.token68();
        current = Some(ch);
    }
    if let Some(done) = current.take() {
        out.push(done);
    }
    out
}

/// Parses several header lines (a response can repeat `WWW-Authenticate`).
pub fn parse_all<'a>(headers: impl IntoIterator<Item = &'a str>) -> Vec<Challenge> {
    headers.into_iter().flat_map(parse).collect()
}

/// The Bearer challenge of a response, read as RFC 6750 §3 defines it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BearerChallenge {
    pub realm: Option<String>,
    /// The `scope` param split on spaces.
    pub scope: Vec<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
    pub error_uri: Option<String>,
    /// RFC 6750 error normalised: "invalid_token" | "insufficient_scope" |
    /// "invalid_request" or None; express-jwt-authz's `Insufficient scope` maps to
    /// insufficient_scope.
    pub normalized_error: Option<String>,
    /// The header line the challenge came from, as sent (trimmed).
    pub raw: String,
}

/// The first Bearer challenge among a response's `WWW-Authenticate` lines, if any.
pub fn bearer(headers: &[String]) -> Option<BearerChallenge> {
    headers
        .iter()
        .find_map(|line| parse(line).into_iter().find(Challenge::is_bearer).map(|ch| read_as_bearer(&ch, line)))
}

/// The first challenge of another scheme that carries an `error` param, read as a
/// Bearer one: some stacks put their verdict in a challenge of their own scheme
/// (hapi-auth-jwt2's default `Token error="Expired token"`, DPoP's RFC 9449 codes).
/// For a response without a Bearer challenge.
pub fn error_challenge(headers: &[String]) -> Option<BearerChallenge> {
    headers.iter().find_map(|line| {
        parse(line)
            .into_iter()
            .find(|ch| !ch.is_bearer() && ch.param("error").is_some())
            .map(|ch| read_as_bearer(&ch, line))
    })
}

/// `ch`'s RFC 6750 params; `line` is the header it came from.
fn read_as_bearer(ch: &Challenge, line: &str) -> BearerChallenge {
    let param = |name: &str| ch.param(name).map(str::to_owned);
    let error = param("error");
    BearerChallenge {
        realm: param("realm"),
        scope: ch.param("scope").map(|s| s.split_ascii_whitespace().map(str::to_owned).collect()).unwrap_or_default(),
        normalized_error: error.as_deref().and_then(normalize_error),
        error,
        error_description: param("error_description"),
        error_uri: param("error_uri"),
        raw: line.trim().to_owned(),
    }
}

/// Maps an `error` value to an RFC 6750 code. Middleware writes the codes loosely
/// (express-jwt-authz sends `Insufficient scope`), so case, spaces and hyphens are
/// forgiven.
fn normalize_error(error: &str) -> Option<String> {
    let key: String = error
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    match key.as_str() {
        "invalid_token" => Some("invalid_token".to_owned()),
        "insufficient_scope" => Some("insufficient_scope".to_owned()),
        "invalid_request" => Some("invalid_request".to_owned()),
        _ => None,
    }
}

/// RFC 7230 `tchar`: what a scheme or param name may be made of.
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// A cursor over the header's chars. Working on `char`s (not bytes) means no
/// slicing can ever land inside a UTF-8 sequence.
struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn skip_ws_and_commas(&mut self) {
        while self.peek().is_some_and(|c| c == ',' || c.is_whitespace()) {
            self.pos += 1;
        }
    }

    /// A run of anything but whitespace, `,`, `=` and `"`: a scheme, a name, or a
    /// token68 body (whose `/` and `+` are not tchars).
    fn word(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(|c| !(c.is_whitespace() || c == ',' || c == '=' || c == '"')) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    /// An unquoted value: up to whitespace or a comma. Lenient: `=` is kept, so an
    /// unquoted URL with a query string survives.
    fn bare_value(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(|c| !(c.is_whitespace() || c == ',')) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    /// A quoted string starting at `"`, unescaped. Unterminated: runs to the end
    /// (some servers forget the closing quote; the text is still worth showing).
    fn quoted(&mut self) -> String {
        let mut out = String::new();
        self.pos += 1; // the opening quote
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                '"' => return out,
                '\\' => {
                    if let Some(escaped) = self.peek() {
                        out.push(escaped);
                        self.pos += 1;
                    }
                }
                c => out.push(c),
            }
        }
        out
    }

    /// Skips junk up to the next top-level comma (quoted strings are skipped whole).
    fn skip_to_comma(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                ',' => return,
                '"' => {
                    self.quoted();
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Right after a scheme: a token68 (`abc123==`) if one follows, consumed;
    /// otherwise nothing is consumed. A token68 is a word, optional `=` padding,
    /// then the end of the challenge (a comma or the end of input). A word
    /// followed by `=` and a value is a param instead.
    fn token68(&mut self) -> Option<String> {
        let start = self.pos;
        self.skip_ws();
        let word = self.word();
        if word.is_empty() {
            self.pos = start;
            return None;
        }
        let mut padding = 0;
        while self.peek() == Some('=') {
            self.pos += 1;
            padding += 1;
        }
        let after = self.pos;
        self.skip_ws();
        if matches!(self.peek(), None | Some(',')) {
            self.pos = after;
            let mut token = word;
            token.extend(std::iter::repeat_n('=', padding));
            Some(token)
        } else {
            self.pos = start;
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(scheme: &str, params: &[(&str, &str)]) -> Challenge {
        Challenge {
            scheme: scheme.to_owned(),
            params: params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            token68: None,
        }
    }

    fn one_bearer(header: &str) -> BearerChallenge {
        let got = bearer(&[header.to_owned()]);
        assert!(got.is_some(), "no Bearer challenge in {header:?}");
        got.unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn express_jwt_authz() {
        let h = r#"Bearer scope="order:read", error="Insufficient scope""#;
        assert_eq!(parse(h), vec![ch("Bearer", &[("scope", "order:read"), ("error", "Insufficient scope")])]);
        let b = one_bearer(h);
        assert_eq!(b.scope, vec!["order:read"]);
        assert_eq!(b.error.as_deref(), Some("Insufficient scope"));
        assert_eq!(b.normalized_error.as_deref(), Some("insufficient_scope"));
        assert_eq!(b.raw, h);
    }

    #[test]
    fn rfc6750_example() {
        let b = one_bearer(
            r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#,
        );
        assert_eq!(b.realm.as_deref(), Some("example"));
        assert_eq!(b.normalized_error.as_deref(), Some("invalid_token"));
        assert_eq!(b.error_description.as_deref(), Some("The access token expired"));
    }

    #[test]
    fn spring() {
        let b = one_bearer(
            r#"Bearer error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token.", error_uri="https://tools.ietf.org/html/rfc6750#section-3.1""#,
        );
        assert_eq!(b.normalized_error.as_deref(), Some("insufficient_scope"));
        assert_eq!(
            b.error_description.as_deref(),
            Some("The request requires higher privileges than provided by the access token.")
        );
        assert_eq!(b.error_uri.as_deref(), Some("https://tools.ietf.org/html/rfc6750#section-3.1"));
        let b = one_bearer(r#"Bearer error="invalid_token", error_description="Jwt expired at 2021-04-27T14:40:34Z""#);
        assert_eq!(b.error_description.as_deref(), Some("Jwt expired at 2021-04-27T14:40:34Z"));
    }

    #[test]
    fn aspnet() {
        let b = one_bearer(
            r#"Bearer error="invalid_token", error_description="The token expired at '04/27/2021 14:40:34'""#,
        );
        assert_eq!(b.error_description.as_deref(), Some("The token expired at '04/27/2021 14:40:34'"));
    }

    #[test]
    fn bare_and_realm_only() {
        assert_eq!(parse("Bearer"), vec![ch("Bearer", &[])]);
        let b = one_bearer("Bearer");
        assert_eq!((b.error, b.normalized_error, b.realm), (None, None, None));
        assert_eq!(parse(r#"Bearer realm="api""#), vec![ch("Bearer", &[("realm", "api")])]);
        assert_eq!(parse("  bearer   "), vec![ch("bearer", &[])]);
        assert!(parse("bEaReR").iter().all(Challenge::is_bearer));
    }

    #[test]
    fn several_challenges() {
        assert_eq!(
            parse(r#"Basic realm="demo", Bearer realm="api", error="invalid_token""#),
            vec![ch("Basic", &[("realm", "demo")]), ch("Bearer", &[("realm", "api"), ("error", "invalid_token")]),]
        );
        assert_eq!(
            parse(r#"DPoP algs="ES256 PS256", Bearer realm="x""#),
            vec![ch("DPoP", &[("algs", "ES256 PS256")]), ch("Bearer", &[("realm", "x")])]
        );
        let b = one_bearer(r#"DPoP algs="ES256 PS256", Bearer realm="x""#);
        assert_eq!(b.realm.as_deref(), Some("x"));
        // Challenges without params, back to back.
        assert_eq!(parse("Basic, Bearer"), vec![ch("Basic", &[]), ch("Bearer", &[])]);
    }

    #[test]
    fn quoted_escapes_and_commas() {
        assert_eq!(
            parse(r#"Bearer realm="a \"quoted\" realm, with comma""#),
            vec![ch("Bearer", &[("realm", r#"a "quoted" realm, with comma"#)])]
        );
        // Non-ASCII survives (a localised description).
        assert_eq!(
            parse(r#"Bearer error_description="令牌已过期""#),
            vec![ch("Bearer", &[("error_description", "令牌已过期")])]
        );
    }

    #[test]
    fn token68() {
        let mut neg = ch("Negotiate", &[]);
        neg.token68 = Some("abc123==".into());
        assert_eq!(parse("Negotiate abc123=="), vec![neg.clone()]);
        let mut b = ch("Basic", &[]);
        b.token68 = Some("YWxh/ZGRp+bg".into());
        assert_eq!(
            parse(r#"Negotiate abc123==, Basic YWxh/ZGRp+bg, Bearer realm="r""#),
            vec![neg, b, ch("Bearer", &[("realm", "r")])]
        );
    }

    #[test]
    fn unquoted_and_spaced_values() {
        assert_eq!(parse("Bearer error=invalid_token"), vec![ch("Bearer", &[("error", "invalid_token")])]);
        assert_eq!(
            parse(r#"Bearer REALM = "api" ,Error=invalid_token"#),
            vec![ch("Bearer", &[("realm", "api"), ("error", "invalid_token")])]
        );
        // Missing commas between params, as some servers send.
        assert_eq!(
            parse(r#"Bearer realm="api" error="invalid_token""#),
            vec![ch("Bearer", &[("realm", "api"), ("error", "invalid_token")])]
        );
        let b = one_bearer("Bearer error=invalid_token");
        assert_eq!(b.normalized_error.as_deref(), Some("invalid_token"));
    }

    #[test]
    fn several_lines() {
        let all = parse_all([r#"Basic realm="x""#, r#"Bearer error="invalid_token""#]);
        assert_eq!(all.len(), 2);
        let lines = vec![r#"Basic realm="x""#.to_owned(), "Bearer realm=\"y\"".to_owned()];
        let b = bearer(&lines);
        assert_eq!(b.map(|b| b.raw), Some("Bearer realm=\"y\"".to_owned()));
        assert_eq!(bearer(&[r#"Basic realm="x""#.to_owned()]), None);
        assert_eq!(bearer(&[]), None);
    }

    #[test]
    fn malformed_input_recovers_what_it_can() {
        assert_eq!(parse(r#"Bearer error="unterminated"#), vec![ch("Bearer", &[("error", "unterminated")])]);
        assert_eq!(parse(",,,"), vec![]);
        assert_eq!(parse(""), vec![]);
        assert_eq!(parse("   "), vec![]);
        assert_eq!(parse(r#"="x", ==, "#), vec![]);
        assert_eq!(parse(r#"realm="orphan", Bearer"#), vec![ch("Bearer", &[])]);
        assert_eq!(parse(r#"Bearer error="\"#), vec![ch("Bearer", &[("error", "")])]);
        assert_eq!(
            parse("Bearer error="),
            vec![{
                let mut c = ch("Bearer", &[]);
                c.token68 = Some("error=".into());
                c
            }]
        );
        // HTML where a header should be: no challenge survives with a junk scheme.
        let got = parse("<html><body>oops</body></html>, Bearer");
        assert_eq!(got, vec![ch("Bearer", &[])]);
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let mut garbage = String::new();
        let mut x: u32 = 12345;
        while garbage.len() < 10 * 1024 {
            // A tiny LCG: deterministic noise biased toward the parser's punctuation.
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let c = match (x >> 16) % 12 {
                0 => '"',
                1 => ',',
                2 => '=',
                3 => '\\',
                4 => ' ',
                5 => 'é',
                6 => '\u{0}',
                _ => char::from_u32(0x21 + (x >> 8) % 0x5e).unwrap_or('x'),
            };
            garbage.push(c);
        }
        let got = parse(&garbage);
        assert!(got.len() <= MAX_CHALLENGES);
        assert!(got.iter().all(|c| c.params.len() <= MAX_PARAMS));
        let _ = bearer(&[garbage.clone(), "\u{feff}Bearer".into()]);
        let many_params = format!("Bearer {}", "a=b, ".repeat(10_000));
        assert_eq!(parse(&many_params).first().map(|c| c.params.len()), Some(MAX_PARAMS));
        let many = "Basic, ".repeat(10_000);
        assert_eq!(parse(&many).len(), MAX_CHALLENGES);
    }

    #[test]
    fn error_challenge_reads_another_schemes_error_only_without_bearer() {
        let hapi = vec![r#"Token error="Expired token""#.to_owned()];
        assert_eq!(bearer(&hapi), None);
        let read = error_challenge(&hapi).expect("a Token challenge with an error");
        assert_eq!(read.error.as_deref(), Some("Expired token"));
        assert_eq!(read.raw, r#"Token error="Expired token""#);
        // A challenge without an error param (Basic's realm) says nothing.
        assert_eq!(error_challenge(&[r#"Basic realm="api""#.to_owned()]), None);
        // hapi's "Invalid token" is RFC 6750's code written loosely.
        let invalid = error_challenge(&[r#"Token error="Invalid token""#.to_owned()]).unwrap();
        assert_eq!(invalid.normalized_error.as_deref(), Some("invalid_token"));
    }

    #[test]
    fn normalizes_loose_error_codes() {
        assert_eq!(normalize_error("Insufficient scope").as_deref(), Some("insufficient_scope"));
        assert_eq!(normalize_error(" INVALID-TOKEN ").as_deref(), Some("invalid_token"));
        assert_eq!(normalize_error("invalid_request").as_deref(), Some("invalid_request"));
        assert_eq!(normalize_error("server_error"), None);
        assert_eq!(normalize_error(""), None);
    }
}
