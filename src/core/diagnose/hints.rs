//! Near-miss hints: why two issuers, audiences or URLs that should be equal are not.

/// A short explanation of how `actual` misses `expected`, if the miss looks like a slip.
pub fn issuer_near_miss(expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    if expected.trim_end_matches('/') == actual.trim_end_matches('/') {
        let with = if expected.ends_with('/') { "expected" } else { "token's" };
        return Some(format!(
            "only a trailing slash differs (the {with} issuer has it): issuers are compared character by character"
        ));
    }
    if expected.trim_end_matches('/').trim_end_matches("/oidc")
        == actual.trim_end_matches('/').trim_end_matches("/oidc")
    {
        let missing = if actual.contains("/oidc") { "expected" } else { "token's" };
        return Some(format!("the {missing} issuer lacks the /oidc path segment"));
    }
    let (e_url, a_url) = (url::Url::parse(expected).ok(), url::Url::parse(actual).ok());
    if let (Some(e), Some(a)) = (&e_url, &a_url) {
        if e.scheme() != a.scheme() && e.host_str() == a.host_str() && e.path() == a.path() {
            return Some(format!("the scheme differs ({} vs {})", e.scheme(), a.scheme()));
        }
        if let (Some(eh), Some(ah)) = (e.host_str(), a.host_str())
            && eh != ah
        {
            let distance = strsim::levenshtein(eh, ah);
            if distance <= 3 {
                return Some(format!("the host differs by {distance} character(s): \"{eh}\" vs \"{ah}\" (a typo?)"));
            }
            if e.path() == a.path() {
                return Some(format!(
                    "a different host: \"{eh}\" vs \"{ah}\" (another tenant, app domain or environment?)"
                ));
            }
        }
        if e.host_str() == a.host_str() && e.path() != a.path() {
            let distance = strsim::levenshtein(e.path(), a.path());
            if distance <= 3 {
                return Some(format!(
                    "the path differs by {distance} character(s): \"{}\" vs \"{}\" (a typo?)",
                    e.path(),
                    a.path()
                ));
            }
        }
    }
    let distance = strsim::levenshtein(expected, actual);
    (distance <= 3).then(|| format!("differs by {distance} character(s) (a typo?)"))
}

/// Why the expected audience is not in the token, in terms of the ids a user juggles.
pub fn audience_near_miss(
    expected: &[String],
    token_auds: &[String],
    client_id: Option<&str>,
    azp: Option<&str>,
) -> Option<String> {
    let names_client = |value: &str| client_id == Some(value) || azp == Some(value);
    if let Some(exp) = expected.iter().find(|e| names_client(e)) {
        return Some(format!(
            "the expected audience \"{exp}\" is the client id (AK) of the caller, but the token's aud is {}: the API should expect the app id / API identifier instead (or the issuer should put the client id in aud)",
            quote_list(token_auds)
        ));
    }
    if let Some(aud) = token_auds.iter().find(|a| names_client(a)) {
        return Some(format!(
            "the token's aud \"{aud}\" is the client id (AK), while the API expects {} (the app id?)",
            quote_list(expected)
        ));
    }
    for e in expected {
        for a in token_auds {
            if e.trim_end_matches('/') == a.trim_end_matches('/') {
                return Some(format!("\"{e}\" and \"{a}\" differ only by a trailing slash"));
            }
            if strsim::levenshtein(e, a) <= 2 {
                return Some(format!("\"{e}\" and \"{a}\" differ by a character or two (a typo?)"));
            }
        }
    }
    None
}

/// A JWKS URI that lacks the issuer's `/oidc` (the quick start's inconsistency).
pub fn jwks_uri_hint(jwks_uri: &str, issuer: Option<&str>) -> Option<String> {
    let issuer = issuer?.trim_end_matches('/');
    if issuer.ends_with("/oidc") && !jwks_uri.contains("/oidc/") {
        return Some(format!("the issuer is under /oidc but this JWKS URI is not: try {issuer}/.well-known/jwks.json"));
    }
    None
}

/// A discovery URL that 404s: the usual path mistakes, in the words of the issuer detected
/// (a vendor's path is named only for that vendor).
pub fn discovery_hint(issuer: &str, expected: Option<&str>, vendor: super::wording::IssuerVendor) -> Option<String> {
    let trimmed = issuer.trim_end_matches('/');
    // The profile's own expected issuer, under this URL, is the best evidence of the path.
    if let Some(expected) = expected.map(|e| e.trim_end_matches('/'))
        && expected.len() > trimmed.len()
        && expected.starts_with(&format!("{trimmed}/"))
    {
        return Some(format!("the API expects the issuer {expected}, which lives under this URL"));
    }
    if trimmed.ends_with("/.well-known/openid-configuration") {
        return Some("issuer.url must be the issuer itself, without /.well-known/openid-configuration".to_owned());
    }
    let host_only = url::Url::parse(trimmed).ok().is_some_and(|u| u.path() == "/" || u.path().is_empty());
    if host_only {
        use super::wording::IssuerVendor;
        return Some(match vendor {
            IssuerVendor::Authing => format!("Authing's issuer lives under a path: {trimmed}/oidc"),
            IssuerVendor::Keycloak => format!("Keycloak's issuer is per realm: {trimmed}/realms/NAME"),
            IssuerVendor::Auth0 => format!("Auth0's issuer ends with a slash: {trimmed}/"),
            IssuerVendor::Okta => format!("Okta's authorization servers live under a path: {trimmed}/oauth2/default"),
            _ => format!(
                "this issuer URL is a bare host, and many issuers live under a path ({trimmed}/SOMETHING): copy the issuer exactly as the token's iss or the issuer's console shows it"
            ),
        });
    }
    None
}

fn quote_list(values: &[String]) -> String {
    if values.is_empty() {
        "(none)".to_owned()
    } else {
        values.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_slips_are_named() {
        let hint = |e, a| issuer_near_miss(e, a).unwrap_or_default();
        assert!(hint("https://x.authing.cn/oidc/", "https://x.authing.cn/oidc").contains("trailing slash"));
        assert!(hint("https://x.authing.cn", "https://x.authing.cn/oidc").contains("/oidc"));
        assert!(hint("https://x.authng.cn/oidc", "https://x.authing.cn/oidc").contains("typo"));
        assert!(hint("http://127.0.0.1:4455/odic", "http://127.0.0.1:4455/oidc").contains("path"));
        assert!(issuer_near_miss("https://a.example/oidc", "https://a.example/oidc").is_none());
    }

    #[test]
    fn audience_slips_are_named() {
        let e = vec!["demo-reader".to_owned()];
        let a = vec!["demo-app".to_owned()];
        assert!(audience_near_miss(&e, &a, Some("demo-reader"), None).unwrap().contains("client id"));
        assert!(audience_near_miss(&a, &e, None, Some("demo-reader")).unwrap().contains("client id"));
        assert!(audience_near_miss(&a, &["other".to_owned()], None, None).is_none());
    }

    #[test]
    fn url_hints() {
        assert!(jwks_uri_hint("https://x.cn/.well-known/jwks.json", Some("https://x.cn/oidc")).is_some());
        assert!(jwks_uri_hint("https://x.cn/oidc/.well-known/jwks.json", Some("https://x.cn/oidc")).is_none());
        use super::super::wording::IssuerVendor;
        assert!(discovery_hint("https://x.authing.cn", None, IssuerVendor::Authing).unwrap().contains("/oidc"));
        let expected = discovery_hint("https://x.cn", Some("https://x.cn/auth/v2"), IssuerVendor::Unknown).unwrap();
        assert!(expected.contains("https://x.cn/auth/v2"), "{expected}");
        let generic = discovery_hint("https://x.cn", None, IssuerVendor::Unknown).unwrap();
        assert!(!generic.contains("Authing") && !generic.contains("Keycloak"), "{generic}");
    }
}
