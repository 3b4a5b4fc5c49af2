//! oidc-provider (the npm package): self-hosted, told by its default routes (`/auth`, `/token`,
//! `/jwks`, `/me`) and its lower-case descriptions; it refuses a grant the client lacks with
//! `invalid_request`, not `unauthorized_client`.

use serde_json::Value;

use super::{Answer, Console, IssuerDialect, IssuerVendor, Phrase, Said, TokenFailure, doc_path};

// From lib/helpers/errors.js, lib/actions/token.js and lib/helpers/grant_authorization.js
// (9.x). Its invalid_client never says which check failed (that goes to error_detail, logged only).
const PHRASES: &[Phrase] = &[
    Phrase {
        said: Said::CodeAndIs("invalid_client", "client authentication failed"),
        means: TokenFailure::BadCredentials,
    },
    Phrase {
        said: Said::CodeAndIs("invalid_request", "requested grant type is not allowed for this client"),
        means: TokenFailure::GrantNotAllowed,
    },
    Phrase {
        said: Said::CodeAndIs("invalid_scope", "requested scope is not allowed"),
        means: TokenFailure::ScopeNotGranted,
    },
    Phrase {
        said: Said::CodeAndIs("invalid_target", "resource indicator is missing, or unknown"),
        means: TokenFailure::UnknownTarget,
    },
];

pub(super) const DIALECT: IssuerDialect = IssuerDialect {
    vendor: IssuerVendor::OidcProvider,
    name: "oidc-provider",
    by_url,
    by_document,
    by_answer,
    phrases: PHRASES,
    console: Console {
        scopes: " (oidc-provider: the client's `scope` in its `clients` metadata, and the `scope` that `features.resourceIndicators.getResourceServerInfo` gives the resource)",
        grant: " (oidc-provider: `features.clientCredentials.enabled`, and 'client_credentials' in the client's `grant_types` in its `clients` metadata)",
        credentials: " (oidc-provider: `client_id` and `client_secret` in the client's `clients` metadata, or in the adapter that stores clients)",
        auth_method: " (oidc-provider: `token_endpoint_auth_method` in the client's `clients` metadata)",
        target: " (oidc-provider: `features.resourceIndicators` — `defaultResource`, `useGrantedResource` and `getResourceServerInfo` must accept the resource)",
        rs256: Some(
            "The issuer signs this client's tokens with a shared secret. In oidc-provider, return `accessTokenFormat: 'jwt'` with `jwt: { sign: { alg: 'RS256' } }` from `features.resourceIndicators.getResourceServerInfo` (and keep an RSA key in `jwks`), then fetch a new token.",
        ),
        refused: "",
    },
};

/// Self-hosted anywhere: its URL says nothing.
fn by_url(_: &url::Url) -> bool {
    false
}

/// Its default routes, together: `/auth`, `/token` and `/jwks`.
fn by_document(doc: &Value) -> bool {
    let ends = |field: &str, route: &str| doc_path(doc, field).is_some_and(|p| p.ends_with(route));
    ends("authorization_endpoint", "/auth") && ends("token_endpoint", "/token") && ends("jwks_uri", "/jwks")
}

fn by_answer(answer: &Answer<'_>) -> bool {
    PHRASES.iter().any(|p| p.matches(answer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::issuers::tests::oauth_error;
    use crate::core::issuers::{Clues, read_token_error};

    #[test]
    fn told_by_default_routes_and_phrases() {
        let doc = serde_json::json!({
            "authorization_endpoint": "http://127.0.0.1:3000/auth",
            "token_endpoint": "http://127.0.0.1:3000/token",
            "jwks_uri": "http://127.0.0.1:3000/jwks",
        });
        assert_eq!(
            IssuerVendor::detect(&Clues { document: Some(&doc), ..Clues::default() }),
            IssuerVendor::OidcProvider
        );
        let grant = oauth_error(400, "invalid_request", "requested grant type is not allowed for this client");
        assert_eq!(
            IssuerVendor::detect(&Clues { error: Some(&grant), ..Clues::default() }),
            IssuerVendor::OidcProvider
        );
        assert_eq!(read_token_error(IssuerVendor::OidcProvider, &grant), Some(TokenFailure::GrantNotAllowed));
    }

    #[test]
    fn client_authentication_failed_is_the_credentials() {
        let error = oauth_error(401, "invalid_client", "client authentication failed");
        assert_eq!(read_token_error(IssuerVendor::Unknown, &error), Some(TokenFailure::BadCredentials));
    }
}
