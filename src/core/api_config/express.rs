//! Express (JS/TS): express-jwt's `jwt({ secret: jwksRsa.expressJwtSecret({ jwksUri }),
//! audience, issuer, algorithms })`, express-oauth2-jwt-bearer's `auth({ issuerBaseURL,
//! audience, jwksUri, issuer, tokenSigningAlg })` and express-jwt-authz's
//! `jwtAuthz([...], { customScopeKey, checkAllScopes, customUserKey })`.

use super::scan::{self, Lang, Tok, Token};
use super::{ApiSetting, Scanned, SettingKind, SourceFormat, Syntax};

const ORIGIN: (SourceFormat, Syntax) = (SourceFormat::Express, Syntax::Js);

/// The calls read and the keys each one takes.
fn keys_of(callee: &str) -> Option<&'static [(&'static str, SettingKind)]> {
    const JWT: &[(&str, SettingKind)] = &[
        ("jwksUri", SettingKind::JwksUri),
        ("audience", SettingKind::Audience),
        ("issuer", SettingKind::Issuer),
        ("algorithms", SettingKind::Algorithms),
    ];
    const AUTH: &[(&str, SettingKind)] = &[
        ("issuerBaseURL", SettingKind::IssuerBaseUrl),
        ("audience", SettingKind::Audience),
        ("jwksUri", SettingKind::JwksUri),
        ("issuer", SettingKind::Issuer),
        ("tokenSigningAlg", SettingKind::Algorithms),
    ];
    const JWKS: &[(&str, SettingKind)] = &[("jwksUri", SettingKind::JwksUri)];
    const AUTHZ: &[(&str, SettingKind)] = &[
        ("customScopeKey", SettingKind::ScopeClaim),
        ("checkAllScopes", SettingKind::ScopeMatch),
        ("customUserKey", SettingKind::Other("custom_user_key")),
    ];
    match callee {
        "jwt" | "expressjwt" | "expressJwt" => Some(JWT),
        "auth" => Some(AUTH),
        "expressJwtSecret" | "jwksRsa" | "jwksClient" | "JwksClient" => Some(JWKS),
        "jwtAuthz" => Some(AUTHZ),
        _ => None,
    }
}

pub fn parse(file: &str, text: &str) -> Vec<ApiSetting> {
    let tokens = scan::tokenize(text, Lang::Js);
    let mut settings = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let Tok::Ident(callee) = &token.tok else { continue };
        let Some(keys) = keys_of(callee) else { continue };
        if !matches!(tokens.get(i + 1).map(|t| &t.tok), Some(Tok::Punct('('))) {
            continue;
        }
        let Some(close) = scan::matching(&tokens, i + 1) else { continue };
        if callee == "jwtAuthz" {
            settings.extend(authz(file, text, &tokens, i + 2, close));
            continue;
        }
        // Only a call whose argument is an object literal: `auth(` is a common name.
        if !matches!(tokens.get(i + 2).map(|t| &t.tok), Some(Tok::Punct('{'))) {
            continue;
        }
        settings.extend(object_keys(file, text, &tokens[..close], i + 2, keys));
    }
    settings
}

/// The settings of `keys` in the object literal starting at token `open` (nested objects
/// included: `secret: expressJwtSecret({ jwksUri })`).
fn object_keys(file: &str, text: &str, tokens: &[Token], open: usize, keys: &[(&str, SettingKind)]) -> Vec<ApiSetting> {
    let Some(close) = scan::matching(tokens, open) else { return Vec::new() };
    let mut found = Vec::new();
    for k in open + 1..close {
        let name = match &tokens[k].tok {
            Tok::Ident(name) => name.as_str(),
            Tok::Str { content, .. } => content.as_str(),
            _ => continue,
        };
        let Some((key, kind)) = keys.iter().find(|(key, _)| *key == name) else { continue };
        let previous = k.checked_sub(1).map(|p| &tokens[p].tok);
        let starts_entry = matches!(previous, Some(Tok::Punct('{' | ',')));
        let next = tokens.get(k + 1).map(|t| &t.tok);
        let value_index = match next {
            Some(Tok::Punct(':')) if starts_entry => k + 2,
            // `{ audience, issuer }`: the variable of that name.
            Some(Tok::Punct(',' | '}')) if starts_entry => k,
            _ => continue,
        };
        let Some(scanned) = scan::value_at(text, tokens, value_index) else { continue };
        found.push(setting(file, text, tokens[k].start, kind.clone(), key, scanned));
    }
    found
}

fn setting(file: &str, text: &str, at: usize, kind: SettingKind, key: &str, scanned: Scanned) -> ApiSetting {
    ApiSetting::found(file, text, at, kind, key, scanned, ORIGIN)
}

/// `jwtAuthz([scopes], { options })` between tokens `first` and `close` (the call's `)`).
fn authz(file: &str, text: &str, tokens: &[Token], first: usize, close: usize) -> Vec<ApiSetting> {
    let mut found = Vec::new();
    let call_at = tokens[first.saturating_sub(2)].start;
    if let Some(scanned) = scan::value_at(text, &tokens[..close], first) {
        found.push(setting(file, text, tokens[first].start, SettingKind::RequiredScopes, "jwtAuthz", scanned));
    }
    let options = (first..close).find(|&k| matches!(tokens[k].tok, Tok::Punct('{')));
    if let Some(open) = options {
        found.extend(object_keys(file, text, &tokens[..close], open, keys_of("jwtAuthz").unwrap_or_default()));
        check_all_scopes(file, text, &tokens[..close], open, &mut found);
    }
    if !found.iter().any(|s| s.setting == SettingKind::ScopeClaim) {
        // Not written, yet decisive: express-jwt-authz reads `scope` unless told otherwise.
        let scanned = Scanned { items: vec!["scope".to_owned()], ..Scanned::default() };
        let mut implied =
            ApiSetting::found(file, text, call_at, SettingKind::ScopeClaim, "customScopeKey", scanned, ORIGIN);
        implied.implied = true;
        found.push(implied);
    }
    found
}

/// `checkAllScopes: true|false` as `all` / `any` (a boolean is no string literal).
fn check_all_scopes(file: &str, text: &str, tokens: &[Token], open: usize, found: &mut Vec<ApiSetting>) {
    let Some(close) = scan::matching(tokens, open) else { return };
    for k in open + 1..close.saturating_sub(2) {
        let is_key = matches!(&tokens[k].tok, Tok::Ident(n) if n == "checkAllScopes");
        if !is_key || !matches!(tokens[k + 1].tok, Tok::Punct(':')) {
            continue;
        }
        if let Tok::Ident(word) = &tokens[k + 2].tok {
            let rule = if word == "true" { "all" } else { "any" };
            let literal = Some(word.clone());
            let scanned = Scanned { items: vec![rule.to_owned()], literal, ..Scanned::default() };
            found.push(ApiSetting::found(
                file,
                text,
                tokens[k].start,
                SettingKind::ScopeMatch,
                "checkAllScopes",
                scanned,
                ORIGIN,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUICKSTART: &str = r#"
const checkJwt = jwt({
  secret: jwksRsa.expressJwtSecret({
    cache: true,
    jwksUri: `https://example.authing.cn/oidc/.well-known/jwks.json`,
  }),
  audience: process.env.API_AUDIENCE || 'APP_ID',
  issuer: ["https://example.authing.cn/oidc"],
  algorithms: ['RS256'],
});
const checkScopes = jwtAuthz(['order:read'], { checkAllScopes: true });
"#;

    #[test]
    fn express_jwt_keys_are_read_with_their_lines() {
        let settings = parse("app.js", QUICKSTART);
        let by = |kind: SettingKind| settings.iter().find(|s| s.setting == kind).unwrap();
        assert_eq!(by(SettingKind::JwksUri).line, 5);
        assert_eq!(by(SettingKind::Audience).value.as_deref(), Some("APP_ID"));
        assert_eq!(by(SettingKind::Audience).env.as_deref(), Some("API_AUDIENCE"));
        assert_eq!(by(SettingKind::Issuer).items, ["https://example.authing.cn/oidc"]);
        assert_eq!(by(SettingKind::Algorithms).value.as_deref(), Some("RS256"));
        assert_eq!(by(SettingKind::RequiredScopes).value.as_deref(), Some("order:read"));
        assert_eq!(by(SettingKind::ScopeMatch).value.as_deref(), Some("all"));
        assert!(by(SettingKind::ScopeClaim).implied);
    }

    #[test]
    fn shorthand_properties_read_the_variable() {
        let text = "const issuerBaseURL = 'https://t.example.com';\napp.use(auth({ issuerBaseURL, audience: 'api' }));";
        let settings = parse("a.ts", text);
        assert_eq!(settings[0].setting, SettingKind::IssuerBaseUrl);
        assert_eq!(settings[0].line, 1);
        assert_eq!(settings[1].line, 2);
    }

    #[test]
    fn an_auth_call_without_an_object_is_not_a_verifier() {
        assert!(parse("a.js", "router.auth(user, 'issuer');").is_empty());
    }
}
