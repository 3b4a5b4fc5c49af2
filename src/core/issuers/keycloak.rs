//! Keycloak: a `…/realms/<realm>` issuer whose endpoints live under `/protocol/openid-connect/`;
//! older releases answer a wrong secret with `unauthorized_client` + "Invalid client secret".

use serde_json::Value;

use super::{Answer, Console, IssuerDialect, IssuerVendor, Phrase, Said, TokenFailure, doc_path, doc_str};

// Phrases as Keycloak's token endpoint writes them (services/…/ClientIdAndSecretAuthenticator,
// …/ClientCredentialsGrantType, TokenManager).
const PHRASES: &[Phrase] = &[
    Phrase { said: Said::Has("Invalid client secret"), means: TokenFailure::BadCredentials },
    Phrase { said: Said::Has("Invalid client or Invalid client credentials"), means: TokenFailure::BadCredentials },
    Phrase { said: Said::Has("Client not enabled to retrieve service account"), means: TokenFailure::GrantNotAllowed },
    Phrase {
        said: Said::Has("Public client not allowed to retrieve service account"),
        means: TokenFailure::GrantNotAllowed,
    },
    Phrase { said: Said::Starts("Invalid scopes:"), means: TokenFailure::ScopeNotGranted },
];

pub(super) const DIALECT: IssuerDialect = IssuerDialect {
    vendor: IssuerVendor::Keycloak,
    name: "Keycloak",
    by_url,
    by_document,
    by_answer,
    phrases: PHRASES,
    console: Console {
        scopes: " (Keycloak: Clients → your client → Client scopes → add the scope as a default scope)",
        grant: " (Keycloak: Clients → your client → Settings → Capability config → Client authentication on, Service accounts roles on)",
        credentials: " (Keycloak: Clients → your client → Credentials → Client Secret)",
        auth_method: " (Keycloak: Clients → your client → Credentials → Client Authenticator)",
        target: " (Keycloak: the audience comes from an Audience mapper in one of the client's client scopes, not from the request)",
        rs256: None,
        refused: "",
    },
};

fn by_url(url: &url::Url) -> bool {
    url.path().contains("/realms/")
}

/// Its endpoints sit under `/protocol/openid-connect/`, and its session iframe is
/// `login-status-iframe.html`.
fn by_document(doc: &Value) -> bool {
    doc_path(doc, "token_endpoint").is_some_and(|p| p.contains("/protocol/openid-connect/"))
        || doc_str(doc, "check_session_iframe").is_some_and(|u| u.ends_with("/login-status-iframe.html"))
}

fn by_answer(answer: &Answer<'_>) -> bool {
    PHRASES.iter().any(|p| p.matches(answer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::issuers::tests::{detects, oauth_error};
    use crate::core::issuers::{Clues, read_token_error};

    #[test]
    fn told_by_realm_path_and_document() {
        assert!(detects(IssuerVendor::Keycloak, &["https://sso.example/realms/acme"]));
        let doc = serde_json::json!({
            "issuer": "https://sso.example/auth/x",
            "token_endpoint": "https://sso.example/auth/x/protocol/openid-connect/token",
        });
        let clues = Clues { document: Some(&doc), ..Clues::default() };
        assert_eq!(IssuerVendor::detect(&clues), IssuerVendor::Keycloak);
    }

    #[test]
    fn an_invalid_client_secret_is_the_credentials_not_the_grant() {
        let error = oauth_error(401, "unauthorized_client", "Invalid client secret");
        assert_eq!(IssuerVendor::detect(&Clues { error: Some(&error), ..Clues::default() }), IssuerVendor::Keycloak);
        assert_eq!(read_token_error(IssuerVendor::Keycloak, &error), Some(TokenFailure::BadCredentials));
        let no_service_account =
            oauth_error(400, "unauthorized_client", "Client not enabled to retrieve service account");
        assert_eq!(read_token_error(IssuerVendor::Keycloak, &no_service_account), Some(TokenFailure::GrantNotAllowed));
    }
}
