//! Fix wording that belongs to a vendor or a stack: where to click at the issuer, which
//! setting of the API's middleware. Chosen from what was detected — the issuer from its URL,
//! the API's stack from the dialect of its answer — and plain when nothing was, so a Spring
//! API never gets express-jwt advice nor an oidc-provider issuer Authing's.

use crate::core::diagnose::facts::Facts;
use crate::core::issuers::Clues;
use crate::core::server_message::{ServerDialect, StackWording};

pub use crate::core::issuers::IssuerVendor;

/// The issuer's product from everything known of the call: the profile's URLs, the token
/// endpoint actually asked, the discovery document, and the shape of the token endpoint's error.
pub fn issuer_of(facts: &Facts<'_>) -> IssuerVendor {
    let mut clues = Clues::of_profile(facts.profile);
    if let Some(request) = facts.token_request {
        clues.urls.push(request.request.url.as_str());
        clues.error = request.error_kind.as_ref();
    }
    clues.document = facts.discovery.and_then(|d| d.document.as_ref());
    IssuerVendor::detect(&clues)
}

/// The API's stack, as far as its answer tells: its own words for its settings, or plain
/// words naming no product.
pub fn api_stack(facts: &Facts<'_>) -> &'static StackWording {
    ServerDialect::wording(facts.server.and_then(|s| s.dialect.as_ref()))
}

/// " (Vendor: where scopes are granted)", or nothing.
pub fn where_scopes_are_granted(vendor: IssuerVendor) -> &'static str {
    vendor.console().scopes
}

/// " (Vendor: where the client_credentials grant is enabled)", or nothing.
pub fn where_the_grant_is_enabled(vendor: IssuerVendor) -> &'static str {
    vendor.console().grant
}

/// The fix for a token signed with a shared secret where the API wants a key pair.
pub fn switch_to_rs256(vendor: IssuerVendor) -> &'static str {
    vendor.console().rs256.unwrap_or(
        "The issuer signs this client's tokens with a shared secret. Set the token signing algorithm to RS256 for this client (or its API) at the issuer, and fetch a new token.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::profile::Profile;

    fn profile(url: &str) -> Profile {
        let mut profile = Profile::default();
        profile.issuer.url = Some(url.to_owned());
        profile
    }

    #[test]
    fn vendors_are_told_by_their_urls() {
        assert_eq!(IssuerVendor::of(&profile("https://acme.authing.cn/oidc")), IssuerVendor::Authing);
        assert_eq!(IssuerVendor::of(&profile("https://acme.eu.auth0.com/")), IssuerVendor::Auth0);
        assert_eq!(IssuerVendor::of(&profile("https://sso.example/realms/acme")), IssuerVendor::Keycloak);
        assert_eq!(IssuerVendor::of(&profile("https://dev-1.okta.com/oauth2/default")), IssuerVendor::Okta);
        assert_eq!(IssuerVendor::of(&profile("http://127.0.0.1:3000/oidc")), IssuerVendor::Unknown);
        assert_eq!(IssuerVendor::of(&profile("https://notauthing.cn/x")), IssuerVendor::Unknown);
    }

    #[test]
    fn unknown_issuers_and_stacks_get_no_product_names() {
        let texts = [
            where_scopes_are_granted(IssuerVendor::Unknown).to_owned(),
            where_the_grant_is_enabled(IssuerVendor::Unknown).to_owned(),
            switch_to_rs256(IssuerVendor::Unknown).to_owned(),
            ServerDialect::wording(None).scope_claim_setting("scp"),
            ServerDialect::wording(None).scope_check.to_owned(),
            ServerDialect::wording(None).audience.to_owned(),
            ServerDialect::wording(None).issuer.to_owned(),
            ServerDialect::wording(None).algorithms.to_owned(),
            ServerDialect::wording(None).jwks.to_owned(),
            ServerDialect::wording(Some(&ServerDialect::Generic)).jwks.to_owned(),
        ];
        for text in texts {
            for product in ["Authing", "Auth0", "Keycloak", "Okta", "express", "jwks-rsa", "Spring", "ASP.NET"] {
                assert!(!text.contains(product), "{product} in {text}");
            }
        }
    }
}
