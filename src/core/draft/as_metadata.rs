//! An authorization server's metadata as values: where to look for it (OIDC discovery and
//! RFC 8414), and the members a draft profile takes from it.

use serde_json::Value;

/// RFC 8414 §3's well-known suffix.
pub const RFC8414_SUFFIX: &str = "/.well-known/oauth-authorization-server";

/// Where an issuer's metadata may be, in the order to try: OIDC discovery (the suffix
/// appended, what tokdbg's calls read), then RFC 8414 (the suffix inserted before the
/// issuer's path).
pub fn candidate_urls(issuer: &str) -> Vec<String> {
    let mut urls = vec![crate::core::net::discovery::discovery_url(issuer)];
    if let Ok(mut url) = url::Url::parse(issuer) {
        let path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{RFC8414_SUFFIX}{path}"));
        url.set_query(None);
        url.set_fragment(None);
        urls.push(url.to_string());
    }
    urls
}

/// The members of an authorization server's metadata a draft uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthServerMetadata {
    pub issuer: Option<String>,
    pub token_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    pub scopes_supported: Vec<String>,
    pub auth_methods: Vec<String>,
    pub grant_types: Vec<String>,
}

pub fn parse(body: &[u8]) -> Result<AuthServerMetadata, String> {
    let object = super::json_object(body)?;
    let text = |name: &str| super::text_member(&object, name);
    let list = |name: &str| super::list_member(&object, name);
    Ok(AuthServerMetadata {
        issuer: text("issuer"),
        token_endpoint: text("token_endpoint"),
        jwks_uri: text("jwks_uri"),
        scopes_supported: list("scopes_supported"),
        auth_methods: list("token_endpoint_auth_methods_supported"),
        grant_types: list("grant_types_supported"),
    })
}

/// The client authentication a secret-holding draft should use: `client_secret_post`
/// (tokdbg's default) unless the server lists only `client_secret_basic`.
pub fn secret_auth_method(metadata: &AuthServerMetadata) -> Option<&'static str> {
    let lists = |method: &str| metadata.auth_methods.iter().any(|m| m == method);
    (lists("client_secret_basic") && !lists("client_secret_post")).then_some("client_secret_basic")
}

/// The algorithms a JWK set's keys can verify, for `expect.algorithms` when the resource
/// names none: a key's own `alg`, else the usual one for its type and curve.
pub fn algorithms_of_jwks(body: &[u8]) -> Vec<String> {
    let Ok(value) = serde_json::from_slice::<Value>(body) else { return Vec::new() };
    let Some(keys) = value.get("keys").and_then(Value::as_array) else { return Vec::new() };
    let mut algorithms: Vec<String> = Vec::new();
    for key in keys {
        // Encryption keys verify nothing.
        if key.get("use").and_then(Value::as_str).is_some_and(|u| u != "sig") {
            continue;
        }
        let alg = match key.get("alg").and_then(Value::as_str) {
            Some(alg) => Some(alg.to_owned()),
            None => match (key.get("kty").and_then(Value::as_str), key.get("crv").and_then(Value::as_str)) {
                (Some("RSA"), _) => Some("RS256".to_owned()),
                (Some("EC"), Some("P-256")) => Some("ES256".to_owned()),
                (Some("EC"), Some("P-384")) => Some("ES384".to_owned()),
                (Some("OKP"), Some("Ed25519")) => Some("EdDSA".to_owned()),
                _ => None,
            },
        };
        if let Some(alg) = alg
            && alg.parse::<jsonwebtoken::Algorithm>().is_ok()
            && !alg.starts_with("HS")
            && !algorithms.contains(&alg)
        {
            algorithms.push(alg);
        }
    }
    algorithms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oidc_discovery_comes_first_then_rfc_8414_inserted() {
        assert_eq!(
            candidate_urls("https://as.example/tenant/oidc/"),
            [
                "https://as.example/tenant/oidc/.well-known/openid-configuration",
                "https://as.example/.well-known/oauth-authorization-server/tenant/oidc",
            ]
        );
        assert_eq!(
            candidate_urls("https://as.example")[1],
            "https://as.example/.well-known/oauth-authorization-server"
        );
    }

    #[test]
    fn basic_is_chosen_only_when_post_is_not_offered() {
        let mut metadata =
            AuthServerMetadata { auth_methods: vec!["client_secret_basic".into()], ..Default::default() };
        assert_eq!(secret_auth_method(&metadata), Some("client_secret_basic"));
        metadata.auth_methods.push("client_secret_post".into());
        assert_eq!(secret_auth_method(&metadata), None);
    }

    #[test]
    fn a_key_sets_algorithms_come_from_alg_or_key_type() {
        let body = br#"{"keys":[{"kty":"RSA","kid":"a"},{"kty":"EC","crv":"P-256"},{"kty":"RSA","alg":"PS256"},
            {"kty":"RSA","use":"enc"},{"kty":"oct","alg":"HS256"},{"kty":"OKP","crv":"Ed25519"},{"kty":"RSA"}]}"#;
        assert_eq!(algorithms_of_jwks(body), ["RS256", "ES256", "PS256", "EdDSA"]);
        assert!(algorithms_of_jwks(b"nope").is_empty());
    }
}
