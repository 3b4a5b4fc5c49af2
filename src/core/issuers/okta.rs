//! Okta: an org on `*.okta.com` whose authorization servers live under `/oauth2/`; some of its
//! refusals come in its own `errorCode`/`errorSummary` shape instead of OAuth's.

use serde_json::Value;

use super::{Answer, Console, IssuerDialect, IssuerVendor, Phrase, Said, TokenFailure, doc_path, host_is};

// Phrases as Okta's /v1/token writes them (its developer docs and support articles).
const PHRASES: &[Phrase] = &[
    Phrase {
        said: Said::Has("Client authentication failed. Either the client or the client credentials are invalid."),
        means: TokenFailure::BadCredentials,
    },
    Phrase {
        said: Said::Has("The client secret supplied for a confidential client is invalid."),
        means: TokenFailure::BadCredentials,
    },
    Phrase { said: Said::Has("Invalid value for 'client_id' parameter."), means: TokenFailure::UnknownClient },
    Phrase {
        said: Said::Has("The client is not authorized to use the provided grant type."),
        means: TokenFailure::GrantNotAllowed,
    },
    Phrase {
        said: Said::Has("One or more scopes are not configured for the authorization server resource."),
        means: TokenFailure::ScopeNotGranted,
    },
    Phrase {
        said: Said::Has("Policy evaluation failed for this request, please check the policy configurations."),
        means: TokenFailure::ScopeNotGranted,
    },
];

pub(super) const DIALECT: IssuerDialect = IssuerDialect {
    vendor: IssuerVendor::Okta,
    name: "Okta",
    by_url,
    by_document,
    by_answer,
    phrases: PHRASES,
    console: Console {
        scopes: " (Okta: Security → API → your authorization server → Scopes, and Access Policies → a rule granting the scope to this client)",
        grant: " (Okta: Applications → your app → General → Grant type → Client Credentials, and an Access Policies rule of the authorization server allowing it)",
        credentials: " (Okta: Applications → your app → General → Client Credentials → Client ID and Client secret)",
        auth_method: " (Okta: Applications → your app → General → Client Credentials → Client authentication)",
        target: " (Okta: the audience is the authorization server's Audience under Security → API → your authorization server → Settings)",
        rs256: None,
        refused: "",
    },
};

fn by_url(url: &url::Url) -> bool {
    ["okta.com", "oktapreview.com", "okta-emea.com"].iter().any(|h| host_is(url, h))
        || url.path().starts_with("/oauth2/default")
}

/// Its token endpoint is `/oauth2/v1/token` (org server) or `/oauth2/<id>/v1/token`.
fn by_document(doc: &Value) -> bool {
    doc_path(doc, "token_endpoint").is_some_and(|p| p.starts_with("/oauth2/") && p.ends_with("/v1/token"))
}

fn by_answer(answer: &Answer<'_>) -> bool {
    (answer.field("errorCode").is_some() && answer.field("errorSummary").is_some())
        || PHRASES.iter().any(|p| p.matches(answer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::issuers::tests::{detects, not_oauth, oauth_error};
    use crate::core::issuers::{Clues, read_token_error};

    #[test]
    fn told_by_host_document_and_shape() {
        assert!(detects(IssuerVendor::Okta, &["https://dev-1.okta.com/oauth2/default"]));
        let doc = serde_json::json!({"token_endpoint": "https://id.acme.example/oauth2/aus1a2b3c/v1/token"});
        assert_eq!(IssuerVendor::detect(&Clues { document: Some(&doc), ..Clues::default() }), IssuerVendor::Okta);
        let own_shape = not_oauth(
            401,
            r#"{"errorCode":"invalid_client","errorSummary":"Invalid value for 'client_id' parameter."}"#,
        );
        assert_eq!(IssuerVendor::detect(&Clues { error: Some(&own_shape), ..Clues::default() }), IssuerVendor::Okta);
        assert_eq!(read_token_error(IssuerVendor::Okta, &own_shape), Some(TokenFailure::UnknownClient));
    }

    #[test]
    fn grant_and_scope_phrases() {
        let grant = oauth_error(
            400,
            "unauthorized_client",
            "The client is not authorized to use the provided grant type. Configured grant types: [authorization_code].",
        );
        assert_eq!(read_token_error(IssuerVendor::Okta, &grant), Some(TokenFailure::GrantNotAllowed));
        let scope = oauth_error(
            400,
            "invalid_scope",
            "One or more scopes are not configured for the authorization server resource.",
        );
        assert_eq!(read_token_error(IssuerVendor::Okta, &scope), Some(TokenFailure::ScopeNotGranted));
    }
}
