//! What holds across dialects: detection order, plain words when nothing is detected, and
//! each product's console naming that product only.

use super::*;

pub(super) fn oauth_error(status: u16, error: &str, description: &str) -> TokenError {
    let body = serde_json::json!({"error": error, "error_description": description}).to_string();
    TokenError::OAuth {
        status,
        error: error.to_owned(),
        description: (!description.is_empty()).then(|| description.to_owned()),
        uri: None,
        raw_body: body,
    }
}

pub(super) fn not_oauth(status: u16, body: &str) -> TokenError {
    TokenError::NotOAuth {
        status,
        what: String::new(),
        content_type: "application/json".to_owned(),
        body: body.to_owned(),
    }
}

pub(super) fn detects(vendor: IssuerVendor, urls: &[&str]) -> bool {
    IssuerVendor::detect(&Clues { urls: urls.to_vec(), ..Clues::default() }) == vendor
}

#[test]
fn nothing_recognisable_is_unknown_with_plain_words() {
    assert!(detects(IssuerVendor::Unknown, &["http://127.0.0.1:3000/oidc", "not a url"]));
    let plain = IssuerVendor::Unknown.console();
    assert_eq!(IssuerVendor::Unknown.name(), "");
    assert!(plain.scopes.is_empty() && plain.grant.is_empty() && plain.rs256.is_none() && plain.refused.is_empty());
}

#[test]
fn the_url_outranks_the_document_and_the_answer() {
    let doc = serde_json::json!({"tenant_region_scope": "EU"});
    let error = oauth_error(401, "unauthorized_client", "Invalid client secret");
    let clues = Clues { urls: vec!["https://acme.auth0.com/"], document: Some(&doc), error: Some(&error) };
    assert_eq!(IssuerVendor::detect(&clues), IssuerVendor::Auth0);
    let clues = Clues { urls: vec!["http://127.0.0.1:1/"], document: Some(&doc), error: Some(&error) };
    assert_eq!(IssuerVendor::detect(&clues), IssuerVendor::EntraId);
}

#[test]
fn each_console_names_its_own_product_only() {
    for dialect in DIALECTS {
        let c = &dialect.console;
        let texts = [c.scopes, c.grant, c.credentials, c.auth_method, c.target, c.rs256.unwrap_or(""), c.refused];
        for other in DIALECTS.into_iter().filter(|o| o.vendor != dialect.vendor) {
            for text in texts {
                assert!(!text.contains(other.name), "{} in {}'s words: {text}", other.name, dialect.name);
            }
        }
        assert!(c.scopes.contains(dialect.name) && c.grant.contains(dialect.name), "{}", dialect.name);
    }
}
