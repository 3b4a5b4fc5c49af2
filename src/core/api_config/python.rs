//! Python (PyJWT): `jwt.decode(token, key, audience=…, issuer=…, algorithms=[…])` and
//! `PyJWKClient("https://…/jwks.json")`, values read through variables and `os.environ`.

use super::scan::{self, Lang, Tok, Token};
use super::{ApiSetting, SettingKind, SourceFormat, Syntax};

const ORIGIN: (SourceFormat, Syntax) = (SourceFormat::Python, Syntax::Python);

fn keyword_kind(name: &str) -> Option<SettingKind> {
    Some(match name {
        "audience" => SettingKind::Audience,
        "issuer" => SettingKind::Issuer,
        "algorithms" => SettingKind::Algorithms,
        _ => return None,
    })
}

pub fn parse(file: &str, text: &str) -> Vec<ApiSetting> {
    let tokens = scan::tokenize(text, Lang::Python);
    let mut settings = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let Tok::Ident(name) = &token.tok else { continue };
        let is_call = matches!(tokens.get(i + 1).map(|t| &t.tok), Some(Tok::Punct('(')));
        if !is_call {
            continue;
        }
        let Some(close) = scan::matching(&tokens, i + 1) else { continue };
        let after_dot = |word: &str| {
            i >= 2
                && matches!(tokens[i - 1].tok, Tok::Punct('.'))
                && matches!(&tokens[i - 2].tok, Tok::Ident(w) if w == word)
        };
        if name == "decode"
            && (after_dot("jwt") || !matches!(tokens.get(i.wrapping_sub(1)).map(|t| &t.tok), Some(Tok::Punct('.'))))
        {
            settings.extend(keywords(file, text, &tokens[..close], i + 2, close));
        } else if name == "PyJWKClient" {
            let first = i + 2;
            let uri_keyword = (first..close).find(|&k| {
                matches!(&tokens[k].tok, Tok::Ident(n) if n == "uri") && matches!(tokens[k + 1].tok, Tok::Punct('='))
            });
            let at = uri_keyword.map_or(first, |k| k + 2);
            if let Some(scanned) = scan::value_at(text, &tokens[..close], at) {
                settings.push(ApiSetting::found(
                    file,
                    text,
                    tokens[at].start,
                    SettingKind::JwksUri,
                    "PyJWKClient",
                    scanned,
                    ORIGIN,
                ));
            }
        }
    }
    settings
}

/// The `name=value` arguments of a call between tokens `first` and `close`, at its own depth.
fn keywords(file: &str, text: &str, tokens: &[Token], first: usize, close: usize) -> Vec<ApiSetting> {
    let mut found = Vec::new();
    let mut depth = 0usize;
    for k in first..close {
        match &tokens[k].tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => depth = depth.saturating_sub(1),
            Tok::Ident(name) if depth == 0 => {
                let Some(kind) = keyword_kind(name) else { continue };
                let is_keyword = matches!(tokens.get(k + 1).map(|t| &t.tok), Some(Tok::Punct('=')))
                    && !matches!(tokens.get(k + 2).map(|t| &t.tok), Some(Tok::Punct('=')));
                if !is_keyword {
                    continue;
                }
                if let Some(scanned) = scan::value_at(text, tokens, k + 2) {
                    found.push(ApiSetting::found(file, text, tokens[k].start, kind, name, scanned, ORIGIN));
                }
            }
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyjwt_decode_and_the_jwk_client() {
        let text = r#"
import os, jwt
ISSUER = os.getenv("AUTH_ISSUER", "https://a.example/oidc")
jwks = jwt.PyJWKClient("https://a.example/oidc/.well-known/jwks.json")

def check(token):
    key = jwks.get_signing_key_from_jwt(token).key
    return jwt.decode(token, key, algorithms=["RS256"], audience=os.environ["API_AUDIENCE"],
                      issuer=ISSUER, options={"require": ["exp"]})
"#;
        let settings = parse("main.py", text);
        let summary: Vec<(&str, usize, Option<&str>, Option<&str>)> =
            settings.iter().map(|s| (s.setting.as_str(), s.line, s.value.as_deref(), s.env.as_deref())).collect();
        assert_eq!(
            summary,
            [
                ("jwks_uri", 4, Some("https://a.example/oidc/.well-known/jwks.json"), None),
                ("algorithms", 8, Some("RS256"), None),
                ("audience", 8, None, Some("API_AUDIENCE")),
                ("issuer", 3, Some("https://a.example/oidc"), Some("AUTH_ISSUER")),
            ]
        );
    }
}
