//! `.env` files: `NAME=value` lines whose names say which verifier setting they hold
//! (`AUTH_ISSUER`, `JWKS_URI`, `API_AUDIENCE`, `AUTH0_DOMAIN`, `ISSUER_BASE_URL`, …), matched
//! case-insensitively by the common spellings.

use super::{ApiSetting, Scanned, SettingKind, SourceFormat, Syntax};

const ORIGIN: (SourceFormat, Syntax) = (SourceFormat::Dotenv, Syntax::Dotenv);

/// The setting a variable name holds, if it is one of the common spellings.
pub fn kind_of(name: &str) -> Option<SettingKind> {
    let upper = name.to_ascii_uppercase();
    let has = |word: &str| upper.contains(word);
    let ends = |suffix: &str| upper == suffix || upper.ends_with(&format!("_{suffix}"));
    Some(if has("ISSUER_BASE_URL") || ends("AUTHORITY") || (ends("DOMAIN") && (has("AUTH") || has("OKTA"))) {
        SettingKind::IssuerBaseUrl
    } else if upper.contains("JWKS") || upper.contains("JWK_SET") {
        SettingKind::JwksUri
    } else if upper.contains("ISSUER") || ends("ISS") {
        SettingKind::Issuer
    } else if upper.contains("AUDIENCE") || ends("AUD") {
        SettingKind::Audience
    } else if upper.contains("ALGORITHM") || ends("ALGS") || ends("JWT_ALG") {
        SettingKind::Algorithms
    } else if ends("SCOPE_CLAIM") || ends("SCOPE_KEY") {
        SettingKind::ScopeClaim
    } else if ends("REQUIRED_SCOPES") {
        SettingKind::RequiredScopes
    } else {
        return None;
    })
}

pub fn parse(file: &str, text: &str) -> Vec<ApiSetting> {
    let mut settings = Vec::new();
    for (index, raw_line) in text.lines().enumerate() {
        let body = raw_line.trim();
        let body = body.strip_prefix("export ").unwrap_or(body).trim_start();
        if body.starts_with('#') {
            continue;
        }
        let Some((name, raw)) = body.split_once('=') else { continue };
        let name = name.trim();
        let Some(kind) = kind_of(name) else { continue };
        let raw = raw.trim();
        let value = match raw.chars().next() {
            Some(quote @ ('"' | '\'')) => raw[1..].split(quote).next().unwrap_or_default(),
            // An unquoted value ends at a ` #` comment.
            _ => raw.split(" #").next().unwrap_or_default().trim(),
        };
        let list = matches!(kind, SettingKind::Algorithms | SettingKind::Audience | SettingKind::RequiredScopes);
        let items: Vec<String> = if list {
            value.split([',', ' ']).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect()
        } else if value.is_empty() {
            Vec::new()
        } else {
            vec![value.to_owned()]
        };
        let scanned = Scanned {
            items,
            env: Some(name.to_owned()),
            literal: (!raw.is_empty()).then(|| raw.to_owned()),
            templated: value.contains("${"),
            at: None,
        };
        settings.push(ApiSetting::at_line(file, text, index + 1, kind, name, scanned, ORIGIN));
    }
    settings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_spellings_map_to_settings() {
        for (name, kind) in [
            ("AUTH_ISSUER", SettingKind::Issuer),
            ("issuer", SettingKind::Issuer),
            ("OIDC_ISSUER_URL", SettingKind::Issuer),
            ("JWKS_URI", SettingKind::JwksUri),
            ("AUTH_JWKS_URL", SettingKind::JwksUri),
            ("API_AUDIENCE", SettingKind::Audience),
            ("JWT_AUD", SettingKind::Audience),
            ("AUTH0_DOMAIN", SettingKind::IssuerBaseUrl),
            ("AUTHING_DOMAIN", SettingKind::IssuerBaseUrl),
            ("ISSUER_BASE_URL", SettingKind::IssuerBaseUrl),
            ("JWT_ALGORITHMS", SettingKind::Algorithms),
        ] {
            assert_eq!(kind_of(name), Some(kind), "{name}");
        }
        assert_eq!(kind_of("DATABASE_URL"), None);
        assert_eq!(kind_of("PORT"), None);
    }

    #[test]
    fn quotes_comments_and_export() {
        let text =
            "# auth\nexport AUTH_ISSUER=\"https://a.example/oidc\"\nAPI_AUDIENCE=demo-app # the app id\nPORT=5000\n";
        let settings = parse(".env", text);
        assert_eq!(settings.len(), 2);
        assert_eq!((settings[0].line, settings[0].value.as_deref()), (2, Some("https://a.example/oidc")));
        assert_eq!(settings[1].value.as_deref(), Some("demo-app"));
    }
}
