//! Tolerant lexical scanning of JS/TS and Python source: tokens with offsets, balanced
//! regions, and the value of a setting (a literal, a list, an env variable with its fallback,
//! or a variable assigned a literal in the same file). No parsing beyond what the keys need.

/// One token of source text, with its byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    Ident(String),
    /// A string literal's content (escapes for quotes and backslashes undone); `templated` when
    /// it is a JS template with `${…}` or a Python f-string with `{…}`: not a fixed value.
    Str {
        content: String,
        templated: bool,
    },
    Punct(char),
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

/// Which comments the language has: `//` and `/* */` (JS), or `#` (Python).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lang {
    Js,
    Python,
}

/// A file is tokenized up to this many tokens: a config file has a few hundred.
const MAX_TOKENS: usize = 200_000;

/// The tokens of `text` (comments and whitespace dropped; an unterminated string ends at the
/// end of its line, as an editor would show it).
pub(super) fn tokenize(text: &str, lang: Lang) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() && tokens.len() < MAX_TOKENS {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if lang == Lang::Js && text[i..].starts_with("//") || lang == Lang::Python && c == b'#' {
            i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
        } else if lang == Lang::Js && text[i..].starts_with("/*") {
            i = text[i + 2..].find("*/").map_or(bytes.len(), |n| i + 2 + n + 2);
        } else if matches!(c, b'\'' | b'"' | b'`') {
            let (content, end, templated) = read_string(text, i);
            tokens.push(Token { tok: Tok::Str { content, templated }, start: i, end });
            i = end;
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            let end = i + text[i..]
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '$'))
                .unwrap_or(bytes.len() - i);
            let word = &text[i..end];
            // Python's string prefixes: f"…", r'…', rb"…".
            let is_prefix = lang == Lang::Python && word.len() <= 2 && word.chars().all(|ch| "fFrRbBuU".contains(ch));
            if is_prefix && end < bytes.len() && matches!(bytes[end], b'\'' | b'"') {
                let f_string = word.to_ascii_lowercase().contains('f');
                let (content, str_end, _) = read_string(text, end);
                let templated = f_string && content.contains('{');
                tokens.push(Token { tok: Tok::Str { content, templated }, start: i, end: str_end });
                i = str_end;
            } else {
                tokens.push(Token { tok: Tok::Ident(word.to_owned()), start: i, end });
                i = end;
            }
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            tokens.push(Token { tok: Tok::Punct(ch), start: i, end: i + ch.len_utf8() });
            i += ch.len_utf8();
        }
    }
    tokens
}

/// The string literal starting at `start` (its quote): content, the end offset (after the
/// closing quote), and whether a JS template interpolates.
fn read_string(text: &str, start: usize) -> (String, usize, bool) {
    let quote = text[start..].chars().next().unwrap_or('"');
    let mut content = String::new();
    let mut escaped = false;
    for (offset, ch) in text[start + 1..].char_indices() {
        let at = start + 1 + offset;
        if escaped {
            content.push(ch);
            escaped = false;
        } else if ch == '\\' {
            escaped = true;
        } else if ch == quote {
            let templated = quote == '`' && content.contains("${");
            return (content, at + 1, templated);
        } else if ch == '\n' && quote != '`' {
            return (content, at, false);
        } else {
            content.push(ch);
        }
    }
    let templated = quote == '`' && content.contains("${");
    (content, text.len(), templated)
}

/// The index of the token closing the bracket opened at `open` (same depth), if any.
pub(super) fn matching(tokens: &[Token], open: usize) -> Option<usize> {
    let (opener, closer) = match tokens.get(open)?.tok {
        Tok::Punct('(') => ('(', ')'),
        Tok::Punct('{') => ('{', '}'),
        Tok::Punct('[') => ('[', ']'),
        _ => return None,
    };
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(open) {
        match token.tok {
            Tok::Punct(c) if c == opener => depth += 1,
            Tok::Punct(c) if c == closer => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A setting's value as read from source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scanned {
    /// The literal values (one for a string, several for a list); empty when only an env
    /// variable without a default gives it.
    pub items: Vec<String>,
    /// The env variable the value comes from (with `items` as its fallback when not empty).
    pub env: Option<String>,
    /// The value's exact source text (quotes included), to be replaced by a fix.
    pub literal: Option<String>,
    /// A template or f-string: not a fixed value, never compared.
    pub templated: bool,
    /// The value was read where a variable was assigned: its offset there.
    pub at: Option<usize>,
}

/// The value expression starting at token `i`: a string, a list of strings, an env lookup
/// (`process.env.X`, `os.environ["X"]`, `os.getenv("X", "d")`) with an `||`/`??`/`or`
/// fallback, or a variable assigned one of those in the same file.
pub(super) fn value_at(text: &str, tokens: &[Token], i: usize) -> Option<Scanned> {
    value_at_depth(text, tokens, i, 0)
}

fn value_at_depth(text: &str, tokens: &[Token], i: usize, depth: u8) -> Option<Scanned> {
    let token = tokens.get(i)?;
    match &token.tok {
        Tok::Str { content, templated } => Some(Scanned {
            items: vec![content.clone()],
            literal: Some(text[token.start..token.end].to_owned()),
            templated: *templated,
            ..Scanned::default()
        }),
        Tok::Punct('[') => {
            let close = matching(tokens, i)?;
            let mut items = Vec::new();
            let mut templated = false;
            for inner in &tokens[i + 1..close] {
                match &inner.tok {
                    Tok::Str { content, templated: t } => {
                        items.push(content.clone());
                        templated |= *t;
                    }
                    Tok::Punct(',') => {}
                    // A list with anything else (a variable, a call) is not a fixed value.
                    _ => return None,
                }
            }
            let literal = Some(text[token.start..tokens[close].end].to_owned());
            Some(Scanned { items, literal, templated, ..Scanned::default() })
        }
        Tok::Ident(name) => match env_lookup(tokens, i) {
            // `process.env.X || 'default'`: the default is the value written here.
            Some((env, default)) => {
                let mut scanned = default.and_then(|d| value_at_depth(text, tokens, d, depth + 1)).unwrap_or_default();
                scanned.env = Some(env);
                Some(scanned)
            }
            None if depth > 2 || is_keyword(name) => None,
            None => assigned(text, tokens, name, i, depth),
        },
        _ => None,
    }
}

fn is_keyword(name: &str) -> bool {
    matches!(name, "true" | "false" | "null" | "undefined" | "None" | "True" | "False" | "new" | "require")
}

/// `process.env.NAME`, `process.env['NAME']`, `os.environ['NAME']`, `os.environ.get('NAME', d)`,
/// `os.getenv('NAME', d)` at token `i`: the name and the token index of a fallback literal.
fn env_lookup(tokens: &[Token], i: usize) -> Option<(String, Option<usize>)> {
    let ident = |k: usize| match tokens.get(k).map(|t| &t.tok) {
        Some(Tok::Ident(name)) => Some(name.as_str()),
        _ => None,
    };
    let punct = |k: usize, c: char| matches!(tokens.get(k).map(|t| &t.tok), Some(Tok::Punct(p)) if *p == c);
    let string = |k: usize| match tokens.get(k).map(|t| &t.tok) {
        Some(Tok::Str { content, .. }) => Some(content.clone()),
        _ => None,
    };
    let (name, after) = match (ident(i), ident(i + 2)) {
        (Some("process"), Some("env")) if punct(i + 1, '.') => {
            if punct(i + 3, '.') {
                (ident(i + 4)?.to_owned(), i + 5)
            } else if punct(i + 3, '[') && punct(i + 5, ']') {
                (string(i + 4)?, i + 6)
            } else {
                return None;
            }
        }
        (Some("os"), Some("environ")) if punct(i + 1, '.') => {
            if punct(i + 3, '[') && punct(i + 5, ']') {
                (string(i + 4)?, i + 6)
            } else if punct(i + 3, '.') && ident(i + 4) == Some("get") && punct(i + 5, '(') {
                return python_getter(tokens, i + 5);
            } else {
                return None;
            }
        }
        (Some("os"), Some("getenv")) if punct(i + 1, '.') && punct(i + 3, '(') => return python_getter(tokens, i + 3),
        _ => return None,
    };
    let fallback = match tokens.get(after).map(|t| &t.tok) {
        Some(Tok::Punct('|')) if punct(after + 1, '|') => Some(after + 2),
        Some(Tok::Punct('?')) if punct(after + 1, '?') => Some(after + 2),
        Some(Tok::Ident(word)) if word == "or" => Some(after + 1),
        _ => None,
    };
    Some((name, fallback))
}

/// `(`'NAME'`, default)` of `os.getenv` / `os.environ.get`, the `(` at `open`.
fn python_getter(tokens: &[Token], open: usize) -> Option<(String, Option<usize>)> {
    let close = matching(tokens, open)?;
    let Tok::Str { content, .. } = &tokens.get(open + 1)?.tok else { return None };
    let default = (open + 3 < close && matches!(tokens[open + 2].tok, Tok::Punct(','))).then_some(open + 3);
    Some((content.clone(), default))
}

/// The value of `name` where the file assigns it (`const name = …`, `name = …`) before
/// `before`, read there (its offset in `at`).
fn assigned(text: &str, tokens: &[Token], name: &str, before: usize, depth: u8) -> Option<Scanned> {
    let found = (0..before).rev().find(|&k| {
        matches!(&tokens[k].tok, Tok::Ident(n) if n == name)
            && matches!(tokens.get(k + 1).map(|t| &t.tok), Some(Tok::Punct('=')))
            && !matches!(tokens.get(k + 2).map(|t| &t.tok), Some(Tok::Punct('=')))
    })?;
    let mut scanned = value_at_depth(text, tokens, found + 2, depth + 1)?;
    scanned.at = Some(tokens[found + 2].start);
    Some(scanned)
}

/// The 1-based line of byte offset `at`.
pub(super) fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The text of 1-based line `line`, without its newline.
pub(super) fn line_text(text: &str, line: usize) -> &str {
    text.lines().nth(line.saturating_sub(1)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_value(text: &str, lang: Lang) -> Option<Scanned> {
        let tokens = tokenize(text, lang);
        let colon = tokens.iter().position(|t| matches!(t.tok, Tok::Punct(':') | Tok::Punct('=')))?;
        value_at(text, &tokens, colon + 1)
    }

    #[test]
    fn an_env_fallback_keeps_the_literal_and_names_the_variable() {
        let scanned = first_value("issuer: process.env.AUTH_ISSUER || 'https://a/oidc',", Lang::Js).unwrap();
        assert_eq!(scanned.items, ["https://a/oidc"]);
        assert_eq!(scanned.env.as_deref(), Some("AUTH_ISSUER"));
        assert_eq!(scanned.literal.as_deref(), Some("'https://a/oidc'"));
    }

    #[test]
    fn an_env_lookup_without_default_has_no_value() {
        let scanned = first_value("x = os.environ['API_AUDIENCE']", Lang::Python).unwrap();
        assert!(scanned.items.is_empty());
        assert_eq!(scanned.env.as_deref(), Some("API_AUDIENCE"));
        let scanned = first_value("x = os.getenv(\"AUD\", \"api://x\")", Lang::Python).unwrap();
        assert_eq!(scanned.items, ["api://x"]);
    }

    #[test]
    fn templates_are_not_fixed_values_and_comments_are_skipped() {
        let scanned = first_value("// issuer: 'no'\nissuer: `https://${DOMAIN}/`", Lang::Js).unwrap();
        assert!(scanned.templated);
        let scanned = first_value("issuer = f\"https://{DOMAIN}/\"", Lang::Python).unwrap();
        assert!(scanned.templated);
    }

    #[test]
    fn a_variable_is_read_where_it_is_assigned() {
        let text = "const AUD = 'api://orders';\njwt({ audience: AUD })";
        let tokens = tokenize(text, Lang::Js);
        let at = tokens.iter().rposition(|t| t.tok == Tok::Ident("AUD".into())).unwrap();
        let scanned = value_at(text, &tokens, at).unwrap();
        assert_eq!(scanned.items, ["api://orders"]);
        assert_eq!(line_of(text, scanned.at.unwrap()), 1);
    }
}
