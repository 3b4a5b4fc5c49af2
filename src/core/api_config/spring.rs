//! Spring Boot's resource server: `spring.security.oauth2.resourceserver.jwt.*`
//! (`issuer-uri`, `jwk-set-uri`, `audiences`, `jws-algorithms`, `authorities-claim-name`) in
//! `application*.yml` / `.yaml` / `.properties`, with `${ENV:default}` placeholders.
//!
//! YAML is read by a small indentation-aware reader rather than a YAML library: the keys
//! needed are plain nested maps and lists, and every value needs its line number, which
//! serde-based YAML readers drop (and none is a dependency yet).

use super::{ApiSetting, Scanned, SettingKind, SourceFormat, Syntax};

/// The property path, normalized (lower case, no `-`/`_`: Spring's relaxed binding).
const PREFIX: &str = "spring.security.oauth2.resourceserver.jwt.";

fn kind_of(path: &str) -> Option<SettingKind> {
    let normalized: String = path.chars().filter(|c| !matches!(c, '-' | '_')).collect::<String>().to_ascii_lowercase();
    let key = normalized.strip_prefix(PREFIX)?;
    Some(match key {
        "issueruri" => SettingKind::Issuer,
        "jwkseturi" => SettingKind::JwksUri,
        "audiences" => SettingKind::Audience,
        "jwsalgorithms" | "jwsalgorithm" => SettingKind::Algorithms,
        "authoritiesclaimname" => SettingKind::ScopeClaim,
        "publickeylocation" => SettingKind::Other("public_key_location"),
        _ => return None,
    })
}

/// A raw value: `${NAME:default}` gives the env name and the default; a comma list (or a
/// YAML flow list) gives several items.
fn scanned(raw: &str, list: bool) -> Scanned {
    let trimmed = raw.trim();
    let unquoted = unquote(trimmed);
    let (env, value) = match unquoted.strip_prefix("${").and_then(|v| v.strip_suffix('}')) {
        Some(inner) => match inner.split_once(':') {
            Some((name, default)) => (Some(name.to_owned()), default.to_owned()),
            None => (Some(inner.to_owned()), String::new()),
        },
        None => (None, unquoted.to_owned()),
    };
    let inner = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')).unwrap_or(&value);
    let items: Vec<String> = if list {
        inner.split(',').map(|item| unquote(item.trim()).to_owned()).filter(|item| !item.is_empty()).collect()
    } else if value.is_empty() {
        Vec::new()
    } else {
        vec![value.clone()]
    };
    let literal = (!trimmed.is_empty()).then(|| trimmed.to_owned());
    Scanned { items, env, literal, templated: value.contains("${"), at: None }
}

fn unquote(text: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return inner;
        }
    }
    text
}

fn is_list(kind: &SettingKind) -> bool {
    matches!(kind, SettingKind::Audience | SettingKind::Algorithms)
}

/// `key: value` lines under nested maps; `- item` lines under a key with no value.
pub fn parse_yaml(file: &str, text: &str) -> Vec<ApiSetting> {
    let origin = (SourceFormat::Spring, Syntax::Yaml);
    let mut settings: Vec<ApiSetting> = Vec::new();
    // (indent, key) of each open map level.
    let mut stack: Vec<(usize, String)> = Vec::new();
    // The list being collected: its setting's index and the key's indent.
    let mut open_list: Option<(usize, usize)> = None;
    for (index, raw_line) in text.lines().enumerate() {
        let line = index + 1;
        let content = strip_comment(raw_line);
        if content.trim().is_empty() {
            continue;
        }
        if content.starts_with("---") {
            stack.clear();
            open_list = None;
            continue;
        }
        let indent = content.len() - content.trim_start().len();
        let body = content.trim();
        if let Some(item) = body.strip_prefix("- ").or((body == "-").then_some("")) {
            if let Some((at, key_indent)) = open_list.filter(|(_, key_indent)| indent >= *key_indent) {
                let value = unquote(item.trim()).to_owned();
                if !value.is_empty() && key_indent <= indent {
                    let setting = &mut settings[at];
                    setting.items.push(value);
                    setting.value = Some(setting.items.join(", "));
                }
            }
            continue;
        }
        open_list = None;
        let Some((key, value)) = body.split_once(':') else { continue };
        let key = unquote(key.trim()).to_owned();
        while stack.last().is_some_and(|(level, _)| *level >= indent) {
            stack.pop();
        }
        let path: Vec<&str> = stack.iter().map(|(_, k)| k.as_str()).chain([key.as_str()]).collect();
        // `spring.security: …` style keys hold dots themselves.
        let dotted = path.join(".");
        if let Some(kind) = kind_of(&dotted) {
            let value = value.trim();
            let scanned = scanned(value, is_list(&kind));
            let start_list = value.is_empty();
            settings.push(ApiSetting::at_line(file, text, line, kind, &key, scanned, origin));
            if start_list {
                open_list = Some((settings.len() - 1, indent));
            }
        }
        if value.trim().is_empty() {
            stack.push((indent, key));
        }
    }
    settings
}

/// A line without its `#` comment (a `#` at the start or after a space, outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return &line[..at],
            None => {}
        }
        previous = c;
    }
    line
}

/// `key=value`, `key: value` or `key value` lines; `#` and `!` comments.
pub fn parse_properties(file: &str, text: &str) -> Vec<ApiSetting> {
    let origin = (SourceFormat::Spring, Syntax::Properties);
    let mut settings = Vec::new();
    for (index, raw_line) in text.lines().enumerate() {
        let body = raw_line.trim();
        if body.is_empty() || body.starts_with('#') || body.starts_with('!') {
            continue;
        }
        let split = body.find(['=', ':']).or_else(|| body.find(char::is_whitespace));
        let Some(at) = split else { continue };
        let key = body[..at].trim();
        let Some(kind) = kind_of(key) else { continue };
        let scanned = scanned(&body[at + 1..], is_list(&kind));
        settings.push(ApiSetting::at_line(file, text, index + 1, kind, key, scanned, origin));
    }
    settings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_nesting_lists_and_placeholders() {
        let text = "\
spring:
  security:
    oauth2:
      resourceserver:
        jwt:
          issuer-uri: ${AUTH_ISSUER:https://a.example/oidc}  # the issuer
          jwk-set-uri: \"https://a.example/oidc/.well-known/jwks.json\"
          audiences:
            - api://orders
            - demo-app
          jws-algorithms: [RS256, ES256]
server:
  port: 8080
";
        let settings = parse_yaml("application.yml", text);
        assert_eq!(settings.len(), 4, "{settings:?}");
        assert_eq!((settings[0].line, settings[0].env.as_deref()), (6, Some("AUTH_ISSUER")));
        assert_eq!(settings[0].items, ["https://a.example/oidc"]);
        assert_eq!(settings[1].items, ["https://a.example/oidc/.well-known/jwks.json"]);
        assert_eq!(settings[2].items, ["api://orders", "demo-app"]);
        assert_eq!(settings[3].items, ["RS256", "ES256"]);
    }

    #[test]
    fn properties_and_an_env_only_value() {
        let text = "spring.security.oauth2.resourceserver.jwt.issuer-uri=${ISSUER}\n\
                    spring.security.oauth2.resourceserver.jwt.audiences=a,b\n";
        let settings = parse_properties("application.properties", text);
        assert_eq!(settings[0].value, None);
        assert_eq!(settings[0].env.as_deref(), Some("ISSUER"));
        assert_eq!(settings[1].items, ["a", "b"]);
    }
}
