//! Auth0: a tenant on `*.auth0.com`; its token endpoint says `access_denied` + "Unauthorized"
//! to a wrong secret and names the API or scopes it refuses.

use serde_json::Value;

use super::{Answer, Console, IssuerDialect, IssuerVendor, Phrase, Said, TokenFailure, host_is};

// Phrases as Auth0's /oauth/token writes them (its docs and community answers quote them).
const PHRASES: &[Phrase] = &[
    Phrase { said: Said::CodeAndIs("access_denied", "Unauthorized"), means: TokenFailure::BadCredentials },
    Phrase { said: Said::Starts("Client has not been granted scopes:"), means: TokenFailure::ScopeNotGranted },
    Phrase { said: Said::Starts("Service not enabled within domain:"), means: TokenFailure::UnknownTarget },
    Phrase { said: Said::Starts("Client is not authorized to access"), means: TokenFailure::UnknownTarget },
    Phrase {
        said: Said::Has("Grant type 'client_credentials' not allowed for the client"),
        means: TokenFailure::GrantNotAllowed,
    },
];

pub(super) const DIALECT: IssuerDialect = IssuerDialect {
    vendor: IssuerVendor::Auth0,
    name: "Auth0",
    by_url,
    by_document,
    by_answer,
    phrases: PHRASES,
    console: Console {
        scopes: " (Auth0: Applications → APIs → your API → Machine to Machine Applications → authorize the app and tick the permission)",
        grant: " (Auth0: Applications → your app → Settings → Advanced Settings → Grant Types → Client Credentials)",
        credentials: " (Auth0: Applications → your app → Settings → Client ID and Client Secret)",
        auth_method: " (Auth0: Applications → your app → Credentials → Authentication Method)",
        target: " (Auth0: the audience is the API's Identifier under Applications → APIs; the app must be authorized under its Machine to Machine Applications)",
        rs256: None,
        refused: "",
    },
};

fn by_url(url: &url::Url) -> bool {
    host_is(url, "auth0.com")
}

/// Only Auth0 publishes an `mfa_challenge_endpoint` in its discovery document.
fn by_document(doc: &Value) -> bool {
    doc.get("mfa_challenge_endpoint").is_some()
}

/// Its own sentences; "Unauthorized" alone is too common to tell it.
fn by_answer(answer: &Answer<'_>) -> bool {
    PHRASES.iter().skip(1).any(|p| p.matches(answer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::issuers::tests::{detects, oauth_error};
    use crate::core::issuers::{Clues, read_token_error};

    #[test]
    fn told_by_host_document_and_phrases() {
        assert!(detects(IssuerVendor::Auth0, &["https://acme.eu.auth0.com/"]));
        let doc = serde_json::json!({"mfa_challenge_endpoint": "https://login.acme.example/mfa/challenge"});
        assert_eq!(IssuerVendor::detect(&Clues { document: Some(&doc), ..Clues::default() }), IssuerVendor::Auth0);
        let error = oauth_error(403, "access_denied", "Service not enabled within domain: https://api.acme.example");
        assert_eq!(IssuerVendor::detect(&Clues { error: Some(&error), ..Clues::default() }), IssuerVendor::Auth0);
        assert_eq!(read_token_error(IssuerVendor::Auth0, &error), Some(TokenFailure::UnknownTarget));
    }

    #[test]
    fn unauthorized_is_a_wrong_secret_and_scopes_are_named() {
        let wrong = oauth_error(401, "access_denied", "Unauthorized");
        assert_eq!(read_token_error(IssuerVendor::Auth0, &wrong), Some(TokenFailure::BadCredentials));
        let scopes = oauth_error(403, "access_denied", "Client has not been granted scopes: order:write");
        assert_eq!(read_token_error(IssuerVendor::Auth0, &scopes), Some(TokenFailure::ScopeNotGranted));
    }
}
