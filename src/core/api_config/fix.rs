//! The fix of a `check-api` finding as the line to write, in the file's own syntax, and the
//! hint saying how a configured URL differs from the live one (a typo, a missing path, a
//! trailing slash).

use super::{ApiSetting, Syntax};

/// The setting's line with `values` in place of what is written (its quotes kept), trimmed;
/// when the value cannot be replaced in place, a fresh line in the file's syntax.
pub(super) fn line_with(setting: &ApiSetting, values: &[String]) -> String {
    if setting.env.is_some() && setting.items.is_empty() {
        // Only the environment gives it: the line to write is the variable's.
        return format!("{}={}", setting.env.as_deref().unwrap_or_default(), values.join(","));
    }
    if let Some(literal) = setting.literal.as_deref().filter(|l| setting.line_text.contains(*l)) {
        let replacement = rendered(setting.syntax, literal, values);
        return setting.line_text.replacen(literal, &replacement, 1).trim().to_owned();
    }
    fresh_line(setting, values)
}

/// `values` written where `literal` was: a list stays a list, a quoted string keeps its quote.
fn rendered(syntax: Syntax, literal: &str, values: &[String]) -> String {
    let quote = literal.chars().find(|c| matches!(c, '\'' | '"' | '`'));
    let quoted = |value: &str| match quote {
        Some(q) => format!("{q}{value}{q}"),
        None => value.to_owned(),
    };
    if literal.starts_with('[') {
        let items: Vec<String> = values.iter().map(|v| quoted(v)).collect();
        return format!("[{}]", items.join(", "));
    }
    match syntax {
        // A comma list in a properties or .env value.
        Syntax::Properties | Syntax::Dotenv if quote.is_none() => values.join(","),
        _ => quoted(&values.join(", ")),
    }
}

/// A new line setting the key to `values`, when the old one cannot be edited in place (a
/// block list, an implied default).
fn fresh_line(setting: &ApiSetting, values: &[String]) -> String {
    let key = &setting.key;
    let list = values.len() > 1;
    match setting.syntax {
        Syntax::Js if list => format!("{key}: [{}],", quoted_list(values, '\'')),
        Syntax::Js => format!("{key}: '{}',", values.join(", ")),
        Syntax::Python => format!("{key}=[{}]", quoted_list(values, '"')),
        Syntax::Json if list => format!("\"{key}\": [{}],", quoted_list(values, '"')),
        Syntax::Json => format!("\"{key}\": \"{}\",", values.join(", ")),
        Syntax::Yaml if list => format!("{key}: [{}]", values.join(", ")),
        Syntax::Yaml => format!("{key}: {}", values.join(", ")),
        Syntax::Properties | Syntax::Dotenv => format!("{key}={}", values.join(",")),
    }
}

fn quoted_list(values: &[String], quote: char) -> String {
    values.iter().map(|v| format!("{quote}{v}{quote}")).collect::<Vec<_>>().join(", ")
}

/// How `configured` differs from `live` (two URLs), in words; `None` when nothing short
/// explains it.
pub(super) fn url_difference(configured: &str, live: &str) -> Option<String> {
    if configured.trim_end_matches('/') == live.trim_end_matches('/') {
        return Some(if configured.ends_with('/') {
            "only the trailing slash differs, and the comparison is exact: drop it".to_owned()
        } else {
            "only the trailing slash differs, and the comparison is exact: add it".to_owned()
        });
    }
    let (scheme_c, rest_c) = configured.split_once("://")?;
    let (scheme_l, rest_l) = live.split_once("://")?;
    let (host_c, path_c) = rest_c.split_once('/').map_or((rest_c, ""), |(h, p)| (h, p));
    let (host_l, path_l) = rest_l.split_once('/').map_or((rest_l, ""), |(h, p)| (h, p));
    let mut hints = Vec::new();
    if !scheme_c.eq_ignore_ascii_case(scheme_l) {
        hints.push(format!("the scheme is {scheme_c}, the issuer's is {scheme_l}"));
    }
    if !host_c.eq_ignore_ascii_case(host_l) {
        let distance = strsim::levenshtein(&host_c.to_ascii_lowercase(), &host_l.to_ascii_lowercase());
        if distance > 2 {
            // Another host altogether: no hint would be honest.
            return (!hints.is_empty()).then(|| hints.join("; "));
        }
        let (typo, meant) = differing_tail(host_c, host_l);
        hints.push(format!("`{typo}` looks like a typo of `{meant}` ({distance} character(s) apart)"));
    }
    let (path_c, path_l) = (path_c.trim_end_matches('/'), path_l.trim_end_matches('/'));
    if path_c != path_l {
        if let Some(missing) = path_l.strip_prefix(path_c).filter(|m| path_c.is_empty() || m.starts_with('/')) {
            hints.push(format!("the path lacks `/{}`", missing.trim_start_matches('/')));
        } else if let Some(extra) = path_c.strip_prefix(path_l).filter(|e| path_l.is_empty() || e.starts_with('/')) {
            hints.push(format!("the path has an extra `/{}`", extra.trim_start_matches('/')));
        } else if let Some(missing) = inner_missing(path_c, path_l) {
            hints.push(format!("the path lacks `/{missing}`"));
        } else {
            hints.push(format!("the path is `/{path_c}`, the issuer's is `/{path_l}`"));
        }
    }
    (!hints.is_empty()).then(|| hints.join("; "))
}

/// The labels from the first differing one to the end: `authng.cn` beside `authing.cn`.
fn differing_tail<'a>(configured: &'a str, live: &'a str) -> (&'a str, &'a str) {
    let labels_c: Vec<&str> = configured.split('.').collect();
    let labels_l: Vec<&str> = live.split('.').collect();
    let same = labels_c.iter().zip(&labels_l).take_while(|(a, b)| a.eq_ignore_ascii_case(b)).count();
    let tail = |host: &'a str, labels: &[&str]| {
        let skip: usize = labels[..same.min(labels.len())].iter().map(|l| l.len() + 1).sum();
        host.get(skip.min(host.len())..).filter(|t| !t.is_empty()).unwrap_or(host)
    };
    (tail(configured, &labels_c), tail(live, &labels_l))
}

/// A segment of `live` missing inside `configured` (`/.well-known/jwks.json` against
/// `/oidc/.well-known/jwks.json`).
fn inner_missing(configured: &str, live: &str) -> Option<String> {
    let c: Vec<&str> = configured.split('/').filter(|s| !s.is_empty()).collect();
    let l: Vec<&str> = live.split('/').filter(|s| !s.is_empty()).collect();
    if l.len() <= c.len() {
        return None;
    }
    let prefix = c.iter().zip(&l).take_while(|(a, b)| a == b).count();
    let extra = l.len() - c.len();
    (c[prefix..] == l[prefix + extra..]).then(|| l[prefix..prefix + extra].join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_starts_slips_are_named() {
        let live = "https://app.authing.cn/oidc";
        assert_eq!(
            url_difference("https://app.authng.cn/oidc", live).as_deref(),
            Some("`authng.cn` looks like a typo of `authing.cn` (1 character(s) apart)")
        );
        assert_eq!(
            url_difference(
                "https://app.authing.cn/.well-known/jwks.json",
                "https://app.authing.cn/oidc/.well-known/jwks.json"
            )
            .as_deref(),
            Some("the path lacks `/oidc`")
        );
        assert_eq!(url_difference("https://app.authing.cn", live).as_deref(), Some("the path lacks `/oidc`"));
        assert!(url_difference("https://app.authing.cn/oidc/", live).unwrap().contains("trailing slash"));
        assert_eq!(url_difference("https://login.example.com/x", live), None);
    }
}
