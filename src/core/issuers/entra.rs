//! Microsoft Entra ID: `login.microsoftonline.com/<tenant>`; every refusal carries an
//! `AADSTS<n>:` code (also in `error_codes`) with a trace and correlation id.

use serde_json::Value;

use super::{Answer, Console, IssuerDialect, IssuerVendor, Phrase, Said, TokenFailure, host_is};

// The AADSTS codes of Microsoft's "authentication and authorization error codes" reference.
const PHRASES: &[Phrase] = &[
    // "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID…"
    Phrase { said: Said::Starts("AADSTS7000215:"), means: TokenFailure::BadCredentials },
    // "The provided client secret keys for app '…' are expired."
    Phrase { said: Said::Starts("AADSTS7000222:"), means: TokenFailure::ExpiredSecret },
    // "Application with identifier '…' was not found in the directory '…'."
    Phrase { said: Said::Starts("AADSTS700016:"), means: TokenFailure::UnknownClient },
    // "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
    Phrase { said: Said::Starts("AADSTS7000218:"), means: TokenFailure::WrongAuthMethod },
    // "The provided value for the input parameter 'scope' isn't valid."
    Phrase { said: Said::Starts("AADSTS70011:"), means: TokenFailure::ScopeNotGranted },
    // "The resource principal named … was not found in the tenant named …"
    Phrase { said: Said::Starts("AADSTS500011:"), means: TokenFailure::UnknownTarget },
];

pub(super) const DIALECT: IssuerDialect = IssuerDialect {
    vendor: IssuerVendor::EntraId,
    name: "Entra ID",
    by_url,
    by_document,
    by_answer,
    phrases: PHRASES,
    console: Console {
        scopes: " (Entra ID: client_credentials asks for <Application ID URI>/.default; the API's app registration defines an app role, added under the client app's API permissions → Application permissions, with admin consent)",
        grant: " (Entra ID: the client app needs a client secret or certificate under Certificates & secrets, and an application permission)",
        credentials: " (Entra ID: App registrations → your app → Certificates & secrets: send the secret's Value, not its Secret ID)",
        auth_method: " (Entra ID: App registrations → your app → Certificates & secrets; a secret goes in the form body or the Basic header, a certificate as client_assertion)",
        target: " (Entra ID: the resource is the API's Application ID URI under App registrations → the API → Expose an API, in this tenant)",
        rs256: None,
        refused: "",
    },
};

fn by_url(url: &url::Url) -> bool {
    ["microsoftonline.com", "microsoftonline.us", "ciamlogin.com", "chinacloudapi.cn"].iter().any(|h| host_is(url, h))
}

/// Its discovery documents carry fields of their own.
fn by_document(doc: &Value) -> bool {
    doc.get("tenant_region_scope").is_some() || doc.get("cloud_instance_name").is_some()
}

fn by_answer(answer: &Answer<'_>) -> bool {
    let json = answer.json.as_ref();
    json.is_some_and(|j| j.get("error_codes").is_some_and(Value::is_array) && j.get("trace_id").is_some())
        || answer.description.is_some_and(|d| d.trim_start().starts_with("AADSTS"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::issuers::tests::{detects, oauth_error};
    use crate::core::issuers::{Clues, read_token_error};

    #[test]
    fn told_by_host_document_and_codes() {
        assert!(detects(IssuerVendor::EntraId, &["https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0"]));
        let doc = serde_json::json!({"tenant_region_scope": "EU", "cloud_instance_name": "microsoftonline.com"});
        assert_eq!(IssuerVendor::detect(&Clues { document: Some(&doc), ..Clues::default() }), IssuerVendor::EntraId);
        let error = oauth_error(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
        assert_eq!(IssuerVendor::detect(&Clues { error: Some(&error), ..Clues::default() }), IssuerVendor::EntraId);
        assert_eq!(read_token_error(IssuerVendor::EntraId, &error), Some(TokenFailure::BadCredentials));
    }

    #[test]
    fn scope_and_resource_codes() {
        let scope = oauth_error(
            400,
            "invalid_scope",
            "AADSTS70011: The provided value for the input parameter 'scope' isn't valid.",
        );
        assert_eq!(read_token_error(IssuerVendor::EntraId, &scope), Some(TokenFailure::ScopeNotGranted));
        let resource = oauth_error(
            400,
            "invalid_resource",
            "AADSTS500011: The resource principal named api://x was not found in the tenant named t.",
        );
        assert_eq!(read_token_error(IssuerVendor::EntraId, &resource), Some(TokenFailure::UnknownTarget));
    }
}
