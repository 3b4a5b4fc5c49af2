//! Fix wording that belongs to a vendor or a stack: where to click at the issuer, which
//! setting of the API's middleware. Chosen from what was detected — the issuer from its URL,
//! the API's stack from the dialect of its answer — and plain when nothing was, so a Spring
//! API never gets express-jwt advice nor an oidc-provider issuer Authing's.

use crate::core::diagnose::facts::Facts;
use crate::core::model::profile::Profile;
use crate::core::server_message::{ServerDialect, StackWording};

/// The issuer's product, as far as its URL tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuerVendor {
    Authing,
    Auth0,
    Keycloak,
    Okta,
    EntraId,
    /// Nothing recognisable: advice names no product.
    Unknown,
}

impl IssuerVendor {
    /// From the issuer URL (else the token endpoint, else the expected issuer).
    pub fn of(profile: &Profile) -> Self {
        let url = profile
            .issuer
            .url
            .as_deref()
            .or(profile.issuer.token_endpoint.as_deref())
            .or(profile.expect.issuer.as_deref())
            .unwrap_or("");
        let Ok(parsed) = url::Url::parse(url) else { return IssuerVendor::Unknown };
        let host = parsed.host_str().unwrap_or("").to_ascii_lowercase();
        let on = |suffix: &str| host == suffix || host.ends_with(&format!(".{suffix}"));
        if on("authing.cn") || on("authing.co") {
            IssuerVendor::Authing
        } else if on("auth0.com") {
            IssuerVendor::Auth0
        } else if on("okta.com") || on("oktapreview.com") {
            IssuerVendor::Okta
        } else if on("microsoftonline.com") || on("ciamlogin.com") {
            IssuerVendor::EntraId
        } else if parsed.path().contains("/realms/") {
            IssuerVendor::Keycloak
        } else {
            IssuerVendor::Unknown
        }
    }
}

/// The API's stack, as far as its answer tells: its own words for its settings, or plain
/// words naming no product.
pub fn api_stack(facts: &Facts<'_>) -> &'static StackWording {
    ServerDialect::wording(facts.server.and_then(|s| s.dialect.as_ref()))
}

/// " (Vendor: where scopes are granted)", or nothing.
pub fn where_scopes_are_granted(vendor: IssuerVendor) -> &'static str {
    match vendor {
        IssuerVendor::Authing => " (Authing: authorize the resource's action to the programmatic access account)",
        IssuerVendor::Auth0 => {
            " (Auth0: Applications → APIs → your API → Machine to Machine Applications → authorize the app and tick the permission)"
        }
        IssuerVendor::Keycloak => {
            " (Keycloak: Clients → your client → Client scopes → add the scope as a default scope)"
        }
        IssuerVendor::Okta => {
            " (Okta: Security → API → your authorization server → Access Policies → a rule granting the scope to this client)"
        }
        IssuerVendor::EntraId => {
            " (Entra ID: the API's app registration exposes an application permission; grant it to the client app and give admin consent)"
        }
        IssuerVendor::Unknown => "",
    }
}

/// " (Vendor: where the client_credentials grant is enabled)", or nothing.
pub fn where_the_grant_is_enabled(vendor: IssuerVendor) -> &'static str {
    match vendor {
        IssuerVendor::Authing => {
            " (Authing: app → Protocol/Authorization configuration → grant types → tick client_credentials, save)"
        }
        IssuerVendor::Auth0 => {
            " (Auth0: Applications → your app → Advanced Settings → Grant Types → Client Credentials)"
        }
        IssuerVendor::Keycloak => " (Keycloak: Clients → your client → Capability config → Service accounts roles on)",
        IssuerVendor::Okta => " (Okta: Applications → your app → General → Client Credentials grant)",
        IssuerVendor::EntraId => {
            " (Entra ID: the client app needs a client secret or certificate and an application permission)"
        }
        IssuerVendor::Unknown => "",
    }
}

/// The fix for a token signed with a shared secret where the API wants a key pair.
pub fn switch_to_rs256(vendor: IssuerVendor) -> &'static str {
    match vendor {
        IssuerVendor::Authing => {
            "The app signs with a shared secret (HS256 is Authing's default). Set the signing algorithm to RS256 in the app's advanced settings and fetch a new token."
        }
        _ => {
            "The issuer signs this client's tokens with a shared secret. Set the token signing algorithm to RS256 for this client (or its API) at the issuer, and fetch a new token."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
