//! Findings from the token request: what the issuer's answer (or its silence) means, with
//! the fix in the words of the issuer it looks like.

use crate::core::diagnose::wording::{self, IssuerVendor};
use crate::core::findings::{Code, Evidence, Finding};
use crate::core::model::profile::Profile;
use crate::core::oauth::token_request::{TokenError, TokenRequestReport};

pub fn token_request(request: Option<&TokenRequestReport>, profile: &Profile) -> Vec<Finding> {
    let Some(request) = request else { return Vec::new() };
    let client = profile.client.as_ref();
    let client_id = client.map(|c| c.id.as_str()).unwrap_or("?");
    let mut findings = Vec::new();
    if let Some(error) = &request.error_kind {
        findings.push(token_error(error, request.request.url.as_str(), profile, client_id));
    } else if let Some(error) = &request.error {
        findings.push(Finding::error(
            Code::TokenRequestFailed,
            error.clone(),
            Evidence::none(),
            "Add a [client] section with id and secret.",
        ));
    }
    if let Some(rejected) = &request.rejected_scope {
        findings.push(Finding::warning(
            Code::InvalidScope,
            format!("the issuer left out scope(s) it will not grant this client: {rejected}"),
            Evidence::new(client.map(|c| c.scopes.join(" ")), Some(format!("rejected_scope = \"{rejected}\""))),
            format!(
                "Grant {rejected} to client {client_id} at the issuer{}, or stop requesting it.",
                wording::where_scopes_are_granted(IssuerVendor::of(profile))
            ),
        ));
    }
    findings
}

fn token_error(error: &TokenError, url: &str, profile: &Profile, client_id: &str) -> Finding {
    let method = profile.client.as_ref().map(|c| c.auth_method).unwrap_or_default();
    let evidence_status = |status: Option<u16>, body: &str| {
        Evidence::new(
            None,
            Some(format!("HTTP {} {}", status.map(|s| s.to_string()).unwrap_or_default(), body).trim().to_owned()),
        )
    };
    match error {
        TokenError::Http(http) => Finding::error(
            Code::TokenRequestFailed,
            format!("the token endpoint cannot be reached: {http}"),
            Evidence::new(Some(url.to_owned()), None),
            http.local_fix().unwrap_or(
                "Check issuer.token_endpoint (or the discovery document's), that the issuer is up, and any proxy in the way.",
            ),
        ),
        TokenError::OAuth { status, error: code, description, raw_body, .. } => {
            let said = description.as_deref().map(|d| format!(": {d}")).unwrap_or_default();
            let evidence = evidence_status(Some(*status), raw_body);
            match code.as_str() {
                "invalid_client" => {
                    let about_method = description.as_deref().is_some_and(|d| {
                        let d = d.to_lowercase();
                        d.contains("client_secret_") || d.contains("method") || d.contains("basic") || d.contains("authentication type")
                    });
                    let fix = if about_method {
                        format!("The client must authenticate another way: set client.auth_method = \"{}\".", method.other().as_str())
                    } else {
                        format!(
                            "Check client.id ({client_id}) and the SK behind client.secret. If both are right, the app may require {}: set client.auth_method = \"{}\".",
                            method.other().as_str(),
                            method.other().as_str()
                        )
                    };
                    Finding::error(Code::InvalidClient, format!("the issuer rejected the client credentials (invalid_client){said}"), evidence, fix)
                }
                // Keycloak answers a wrong secret with unauthorized_client + "Invalid client
                // secret" (and an unknown client with "Invalid client or Invalid client
                // credentials"): the credentials, not the grant.
                "unauthorized_client" if description.as_deref().is_some_and(names_bad_credentials) => Finding::error(
                    Code::InvalidClient,
                    format!("the issuer rejected the client credentials (unauthorized_client){said}"),
                    evidence,
                    format!("Check client.id ({client_id}) and the secret behind client.secret: the issuer says they do not match."),
                ),
                "unauthorized_client" => Finding::error(
                    Code::UnauthorizedClient,
                    format!("this client may not use the client_credentials grant (unauthorized_client){said}"),
                    evidence,
                    format!(
                        "Enable the client_credentials grant for the app{}.",
                        wording::where_the_grant_is_enabled(IssuerVendor::of(profile))
                    ),
                ),
                "invalid_scope" => {
                    let requested = profile.client.as_ref().map(|c| c.scopes.join(" ")).unwrap_or_default();
                    Finding::error(
                        Code::InvalidScope,
                        format!("a requested scope is not granted to this client (invalid_scope){said}"),
                        Evidence::new(Some(format!("scopes granted to {client_id}")), Some(format!("requested: {requested}"))),
                        format!(
                            "Grant the scope to this client at the issuer{}, or remove it from client.scopes.",
                            wording::where_scopes_are_granted(IssuerVendor::of(profile))
                        ),
                    )
                }
                "invalid_target" => {
                    let target = profile.client.as_ref().and_then(|c| c.audience.clone().or_else(|| c.resource.clone())).unwrap_or_default();
                    Finding::error(
                        Code::InvalidTarget,
                        format!("the issuer does not know the requested audience/resource (invalid_target){said}"),
                        Evidence::new(Some("an API identifier registered at the issuer".to_owned()), Some(target)),
                        "Set client.audience (or client.resource) to the API identifier exactly as registered at the issuer, or remove it.",
                    )
                }
                other => Finding::error(
                    Code::TokenRequestFailed,
                    format!("the token endpoint answered the OAuth error {other}{said}"),
                    evidence,
                    match other {
                        "unsupported_grant_type" => "This endpoint does not offer client_credentials: check the token endpoint URL and the app's grant types.".to_owned(),
                        "invalid_request" => "The request lacks or repeats a parameter: check client.extra, audience/resource, and that only one client auth method is used.".to_owned(),
                        _ => "Read the issuer's description above; the request sent is shown beside it.".to_owned(),
                    },
                ),
            }
        }
        TokenError::NotOAuth { status, what, body, .. } => Finding::error(
            Code::TokenRequestFailed,
            format!("the token endpoint answered HTTP {status} {what}"),
            evidence_status(Some(*status), body),
            match status {
                404 | 405 => "This URL is not the token endpoint: check issuer.token_endpoint or the discovery document.".to_owned(),
                // Some issuers (Glewlwyd) answer a client they reject with a bare 401/403:
                // the client's own settings are the likelier cause than a gateway.
                401 | 403 if body.is_empty() => {
                    "The issuer refused the client without saying why. Check, in this order: the client auth method (client_secret_basic vs client_secret_post) the issuer registered for this client, the secret, and the scopes the client may request (an empty or unknown scope can be refused); a gateway or IP allow-list in front of the issuer answers this way too.".to_owned()
                }
                s if *s >= 500 => "The issuer failed: retry, and check its status page or logs.".to_owned(),
                _ => "Check the token endpoint URL: it should answer JSON per RFC 6749 §5.".to_owned(),
            },
        ),
        TokenError::Redirected { location, .. } => Finding::error(
            Code::TokenRequestFailed,
            format!("the token endpoint redirects to another origin ({location}); not followed, so the secret stays home"),
            Evidence::new(Some(url.to_owned()), Some(location.clone())),
            "Set issuer.token_endpoint to the final URL.",
        ),
    }
}

/// Whether an issuer's description blames the client's credentials (Keycloak's "Invalid
/// client secret", "Invalid client or Invalid client credentials").
fn names_bad_credentials(description: &str) -> bool {
    let d = description.to_lowercase();
    d.contains("invalid client secret") || d.contains("invalid client credentials")
}
