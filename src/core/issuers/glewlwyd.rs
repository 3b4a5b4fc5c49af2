//! Glewlwyd: its OIDC plugin under `…/api/oidc`; it refuses a client it cannot authenticate
//! (wrong secret, an auth method the client does not allow, a public client) with a bare 403,
//! and uses codes of its own for a refused scope or grant.

use serde_json::Value;

use super::{Answer, Console, IssuerDialect, IssuerVendor, Phrase, Said, TokenFailure, doc_path};

// From the plugin's source (src/plugin/protocol_oidc.c, check_auth_type_client_credentials_grant).
const PHRASES: &[Phrase] = &[
    Phrase { said: Said::Code("scope_invalid"), means: TokenFailure::ScopeNotGranted },
    Phrase { said: Said::Code("authorization_type_invalid"), means: TokenFailure::GrantNotAllowed },
    Phrase { said: Said::Bare(403), means: TokenFailure::ClientRefused },
];

pub(super) const DIALECT: IssuerDialect = IssuerDialect {
    vendor: IssuerVendor::Glewlwyd,
    name: "Glewlwyd",
    by_url,
    by_document,
    by_answer,
    phrases: PHRASES,
    console: Console {
        scopes: " (Glewlwyd: admin → Clients → your client → Scope, and the scope allowed in the OIDC plugin)",
        grant: " (Glewlwyd: admin → Clients → your client → Authorization types → client_credentials, and client_credentials allowed in the OIDC plugin)",
        credentials: " (Glewlwyd: admin → Clients → your client → Confidential and Password)",
        auth_method: " (Glewlwyd: admin → Clients → your client → Token endpoint auth method)",
        target: " (Glewlwyd: the OIDC plugin's Resource Indicators settings, and the client's Available resources list)",
        rs256: None,
        refused: "Glewlwyd answers a bare 403 when it cannot authenticate the client: a wrong password, an auth method the client does not allow, a client not marked Confidential, or client_credentials turned off in the OIDC plugin. Check, in this order, admin → Clients → your client → Token endpoint auth method (against client.auth_method), Password, Confidential, and the plugin's authorization types.",
    },
};

fn by_url(url: &url::Url) -> bool {
    let path = url.path().trim_end_matches('/');
    url.host_str().is_some_and(|h| h.contains("glewlwyd")) || path.ends_with("/api/oidc") || path.contains("/api/oidc/")
}

/// Its session iframe is served at `…/check_session_iframe` (Keycloak's is
/// `login-status-iframe.html`, oidc-provider has none).
fn by_document(doc: &Value) -> bool {
    doc_path(doc, "check_session_iframe").is_some_and(|p| p.ends_with("/check_session_iframe"))
}

/// Its own error codes (a bare 403 tells nothing on its own).
fn by_answer(answer: &Answer<'_>) -> bool {
    PHRASES.iter().filter(|p| matches!(p.said, Said::Code(_))).any(|p| p.matches(answer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::issuers::tests::{detects, not_oauth, oauth_error};
    use crate::core::issuers::{Clues, read_token_error};

    #[test]
    fn told_by_path_document_and_codes() {
        assert!(detects(IssuerVendor::Glewlwyd, &["https://id.example/api/oidc"]));
        let doc = serde_json::json!({"check_session_iframe": "https://id.example/api/oidc/check_session_iframe"});
        assert_eq!(IssuerVendor::detect(&Clues { document: Some(&doc), ..Clues::default() }), IssuerVendor::Glewlwyd);
        let scope = oauth_error(400, "scope_invalid", "");
        assert_eq!(IssuerVendor::detect(&Clues { error: Some(&scope), ..Clues::default() }), IssuerVendor::Glewlwyd);
    }

    #[test]
    fn a_bare_403_is_the_client_refused_only_when_glewlwyd_was_detected() {
        let bare = not_oauth(403, "");
        assert_eq!(read_token_error(IssuerVendor::Glewlwyd, &bare), Some(TokenFailure::ClientRefused));
        assert_eq!(read_token_error(IssuerVendor::Unknown, &bare), None);
    }
}
