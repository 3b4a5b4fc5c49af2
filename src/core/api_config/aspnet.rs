//! ASP.NET Core's JWT bearer settings in `appsettings*.json` (JSON with comments and trailing
//! commas, as the configuration reader allows): `Authority`, `Audience`, `ValidIssuer(s)`,
//! `ValidAudience(s)`, `ValidAlgorithms`, `MetadataAddress`, at any depth (`JwtBearer`,
//! `Authentication:Schemes:Bearer`, `TokenValidationParameters`, `AzureAd`).

use super::{ApiSetting, Scanned, SettingKind, SourceFormat, Syntax};

const ORIGIN: (SourceFormat, Syntax) = (SourceFormat::Aspnet, Syntax::Json);
/// Objects nest at most this deep; deeper input is not configuration.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Str(String),
    /// A number, `true`, `false`, `null`.
    Atom,
    Punct(char),
}

struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if text[i..].starts_with("//") {
            i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
        } else if text[i..].starts_with("/*") {
            i = text[i + 2..].find("*/").map_or(bytes.len(), |n| i + 2 + n + 2);
        } else if c == b'"' {
            let (content, end) = read_string(text, i);
            tokens.push(Token { tok: Tok::Str(content), start: i, end });
            i = end;
        } else if matches!(c, b'{' | b'}' | b'[' | b']' | b':' | b',') {
            tokens.push(Token { tok: Tok::Punct(c as char), start: i, end: i + 1 });
            i += 1;
        } else {
            let end = text[i..]
                .find(|ch: char| ch.is_ascii_whitespace() || "{}[]:,\"/".contains(ch))
                .map_or(bytes.len(), |n| i + n.max(1));
            tokens.push(Token { tok: Tok::Atom, start: i, end });
            i = end;
        }
    }
    tokens
}

/// A JSON string from its opening quote: the content (common escapes undone) and the end.
fn read_string(text: &str, start: usize) -> (String, usize) {
    let mut content = String::new();
    let mut chars = text[start + 1..].char_indices();
    while let Some((offset, ch)) = chars.next() {
        match ch {
            '"' => return (content, start + 1 + offset + 1),
            '\\' => match chars.next() {
                Some((_, 'n')) => content.push('\n'),
                Some((_, 't')) => content.push('\t'),
                Some((_, 'u')) => {
                    let hex: String = chars.by_ref().take(4).map(|(_, h)| h).collect();
                    content.push(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).unwrap_or('\u{fffd}'));
                }
                Some((_, other)) => content.push(other),
                None => break,
            },
            '\n' => return (content, start + 1 + offset),
            _ => content.push(ch),
        }
    }
    (content, text.len())
}

fn kind_of(key: &str, path: &[String]) -> Option<SettingKind> {
    let lower = key.to_ascii_lowercase();
    let in_auth_section = path.iter().any(|p| {
        let p = p.to_ascii_lowercase();
        ["jwt", "bearer", "auth", "azuread", "oidc", "oauth", "identity", "tokenvalidation", "security"]
            .iter()
            .any(|word| p.contains(word))
    });
    Some(match lower.as_str() {
        "authority" => SettingKind::IssuerBaseUrl,
        "validissuer" | "validissuers" => SettingKind::Issuer,
        "validaudience" | "validaudiences" => SettingKind::Audience,
        "validalgorithms" => SettingKind::Algorithms,
        "metadataaddress" => SettingKind::Other("metadata_address"),
        "issuer" if in_auth_section => SettingKind::Issuer,
        "audience" | "audiences" if in_auth_section || path.is_empty() => SettingKind::Audience,
        "jwksuri" | "jwks_uri" | "jwksurl" if in_auth_section => SettingKind::JwksUri,
        _ => return None,
    })
}

struct Reader<'a> {
    file: &'a str,
    text: &'a str,
    tokens: Vec<Token>,
    settings: Vec<ApiSetting>,
}

impl Reader<'_> {
    /// Reads the value at token `i` under `path`; returns the index after it.
    fn value(&mut self, i: usize, path: &mut Vec<String>) -> usize {
        match self.tokens.get(i).map(|t| t.tok.clone()) {
            Some(Tok::Punct('{')) if path.len() < MAX_DEPTH => self.object(i + 1, path),
            Some(Tok::Punct('[')) => self.skip_list(i),
            Some(_) => i + 1,
            None => i,
        }
    }

    fn object(&mut self, mut i: usize, path: &mut Vec<String>) -> usize {
        while let Some(token) = self.tokens.get(i) {
            match &token.tok {
                Tok::Punct('}') => return i + 1,
                Tok::Punct(',') => i += 1,
                Tok::Str(key) if matches!(self.tokens.get(i + 1).map(|t| &t.tok), Some(Tok::Punct(':'))) => {
                    let key = key.clone();
                    let key_at = token.start;
                    if let Some(kind) = kind_of(&key, path)
                        && let Some(scanned) = self.scalar_or_list(i + 2)
                    {
                        let setting = ApiSetting::found(self.file, self.text, key_at, kind, &key, scanned, ORIGIN);
                        self.settings.push(setting);
                    }
                    path.push(key);
                    i = self.value(i + 2, path);
                    path.pop();
                }
                // Not a key: skip it rather than give up on the rest of the file.
                _ => i += 1,
            }
        }
        i
    }

    /// The index after the list opened at `i`.
    fn skip_list(&self, i: usize) -> usize {
        let mut depth = 0usize;
        for (k, token) in self.tokens.iter().enumerate().skip(i) {
            match token.tok {
                Tok::Punct('[' | '{') => depth += 1,
                Tok::Punct(']' | '}') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return k + 1;
                    }
                }
                _ => {}
            }
        }
        self.tokens.len()
    }

    /// A string, or a list of strings, at token `i`.
    fn scalar_or_list(&self, i: usize) -> Option<Scanned> {
        let token = self.tokens.get(i)?;
        match &token.tok {
            Tok::Str(value) => Some(Scanned {
                items: vec![value.clone()],
                literal: Some(self.text[token.start..token.end].to_owned()),
                ..Scanned::default()
            }),
            Tok::Punct('[') => {
                let end = self.skip_list(i);
                let mut items = Vec::new();
                for inner in &self.tokens[i + 1..end.saturating_sub(1)] {
                    match &inner.tok {
                        Tok::Str(value) => items.push(value.clone()),
                        Tok::Punct(',') => {}
                        _ => return None,
                    }
                }
                let last = &self.tokens[end.saturating_sub(1).max(i)];
                // A list over several lines is replaced by a fix as a whole line, not in place.
                let literal = self.text[token.start..last.end].to_owned();
                let literal = (!literal.contains('\n')).then_some(literal);
                Some(Scanned { items, literal, ..Scanned::default() })
            }
            _ => None,
        }
    }
}

pub fn parse(file: &str, text: &str) -> Vec<ApiSetting> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader { file, text, tokens: tokenize(text), settings: Vec::new() };
    let mut path = Vec::new();
    let mut i = 0;
    while i < reader.tokens.len() {
        i = reader.value(i, &mut path).max(i + 1);
    }
    reader.settings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_bearer_settings_with_comments_and_trailing_commas() {
        let text = r#"{
  // the issuer
  "Authentication": {
    "Schemes": {
      "Bearer": {
        "ValidAudiences": [ "api://orders", "demo-app", ],
        "ValidIssuer": "https://a.example/oidc", /* exact */
      }
    }
  },
  "Logging": { "Audience": "not this one" },
  "JwtBearer": { "Authority": "https://a.example/oidc", "Audience": "api://orders" }
}"#;
        let settings = parse("appsettings.json", text);
        let summary: Vec<(&str, usize)> = settings.iter().map(|s| (s.setting.as_str(), s.line)).collect();
        assert_eq!(
            summary,
            [("audience", 6), ("issuer", 7), ("issuer_base_url", 12), ("audience", 12)],
            "{settings:?}"
        );
        assert_eq!(settings[0].items, ["api://orders", "demo-app"]);
    }

    #[test]
    fn broken_json_still_yields_what_it_can() {
        let settings = parse("appsettings.json", "{ \"Jwt\": { \"Issuer\": \"https://x\", ");
        assert_eq!(settings.len(), 1);
    }
}
