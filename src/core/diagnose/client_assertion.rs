//! `invalid_client` for a client that authenticated with a JWT assertion: what tokdbg can
//! check itself (the `aud` it used, the assertion's lifetime, its `alg` and the method
//! against the issuer's discovery document) said plainly, and what only the issuer knows
//! (the registered key, or secret) named with the values to compare: kid and thumbprint.

use serde_json::Value;

use crate::core::findings::{Code, Evidence, Finding};
use crate::core::issuers::IssuerVendor;
use crate::core::model::profile::{AuthMethod, Profile};
use crate::core::oauth::client_assertion::AssertionView;
use crate::core::oauth::token_request::{TokenError, TokenRequestReport};

/// The finding for an assertion the issuer refused, or `None` when the request did not
/// carry one or was not refused as a client.
pub fn refused_assertion(
    request: &TokenRequestReport,
    profile: &Profile,
    document: Option<&Value>,
    vendor: IssuerVendor,
) -> Option<Finding> {
    let assertion = request.assertion.as_ref()?;
    let Some(TokenError::OAuth { error, description, status, raw_body, .. }) = &request.error_kind else {
        return None;
    };
    if error != "invalid_client" {
        return None;
    }
    let method = profile.client.as_ref()?.auth_method;
    let said = description.as_deref().unwrap_or_default();
    let alg = assertion.header.get("alg").and_then(Value::as_str).unwrap_or("?");
    let mut checks = Vec::new();
    let mut fix: Option<String> = None;

    // What the issuer's discovery document says it takes.
    let listed = |name: &str| -> Option<Vec<String>> {
        let list = document?.get(name)?.as_array()?;
        Some(list.iter().filter_map(Value::as_str).map(str::to_owned).collect())
    };
    if let Some(methods) = listed("token_endpoint_auth_methods_supported") {
        if methods.iter().any(|m| m == method.as_str()) {
            checks.push(format!("{} is in the issuer's token_endpoint_auth_methods_supported", method.as_str()));
        } else {
            checks.push(format!(
                "{} is NOT in the issuer's token_endpoint_auth_methods_supported ({})",
                method.as_str(),
                methods.join(", ")
            ));
            fix.get_or_insert(format!(
                "The issuer does not offer {}: set client.auth_method to one it lists ({}).",
                method.as_str(),
                methods.join(", ")
            ));
        }
    }
    if let Some(algs) = listed("token_endpoint_auth_signing_alg_values_supported") {
        if algs.iter().any(|a| a == alg) {
            checks.push(format!("alg {alg} is in the issuer's token_endpoint_auth_signing_alg_values_supported"));
        } else {
            checks.push(format!(
                "alg {alg} is NOT in the issuer's token_endpoint_auth_signing_alg_values_supported ({})",
                algs.join(", ")
            ));
            fix.get_or_insert(alg_fix(method, alg, &algs));
        }
    }
    checks.push(audience_check(assertion, &request.request.url, document));
    let lifetime = lifetime_check(assertion);
    let clock_words = ["expired", "exp ", "iat", "future", "not yet valid", "clock", "too old", "lifetime"];
    if clock_words.iter().any(|word| said.to_lowercase().contains(word)) {
        fix.get_or_insert(format!(
            "The issuer says the assertion's time is wrong, though it was {lifetime} by this machine's clock: one of the two clocks is off. Sync this machine's clock (NTP); if it is right, the issuer's is not."
        ));
    }
    checks.push(lifetime);
    let kid = assertion.header.get("kid").and_then(Value::as_str);
    let client_id = profile.client.as_ref().map_or("?", |c| c.id.as_str());
    let registered = where_registered(vendor, method);
    let identity = match (&assertion.key_thumbprint, kid) {
        (Some(print), Some(kid)) => format!("the key with kid {kid} and RFC 7638 thumbprint {print}"),
        (Some(print), None) => format!("the key with RFC 7638 thumbprint {print}"),
        (None, _) => "the secret in client.secret".to_owned(),
    };
    let no_kid = if kid.is_none() && method == AuthMethod::PrivateKeyJwt {
        " (no kid sent: set client.key_id if the issuer wants one)"
    } else {
        ""
    };
    checks.push(format!("signed with {identity}{no_kid}"));
    let fix = fix.unwrap_or_else(|| match method {
        AuthMethod::PrivateKeyJwt => format!(
            "Compare the public key registered for client {client_id}{registered} with {identity}: a key regenerated, taken from another environment, or a JWKS URL serving another key gives this answer. Register this key's public half, or put the registered key's private half in client.private_key."
        ),
        _ => format!(
            "Check that client {client_id} is registered for client_secret_jwt{registered} and that client.secret is its current secret (the assertion is an HMAC of it; HS256 wants a secret of 32 bytes or more at some issuers)."
        ),
    });
    let code = format!("{error}{}", if said.is_empty() { String::new() } else { format!(": {said}") });
    Some(Finding::error(
        Code::InvalidClient,
        format!("the issuer refused the client assertion ({code})"),
        Evidence::new(Some(checks.join("; ")), Some(format!("HTTP {status} {raw_body}"))),
        fix,
    ))
}

fn alg_fix(method: AuthMethod, alg: &str, algs: &[String]) -> String {
    let wanted = algs.join(", ");
    match method {
        AuthMethod::PrivateKeyJwt => format!(
            "The issuer takes {wanted} for client assertions, not {alg}: set client.assertion_alg to one of them that fits the key, or use a key of that kind (RS256/PS256: RSA, ES256: P-256, ES384: P-384, EdDSA: Ed25519) and register its public half."
        ),
        _ => format!(
            "The issuer takes {wanted} for client assertions, not {alg}: set client.assertion_alg to one of them."
        ),
    }
}

/// The `aud` sent, against the token endpoint and the issuer identifier.
fn audience_check(assertion: &AssertionView, endpoint: &str, document: Option<&Value>) -> String {
    let aud = assertion.claims.get("aud").and_then(Value::as_str).unwrap_or_default();
    let issuer = document.and_then(|d| d.get("issuer")).and_then(Value::as_str);
    match issuer {
        Some(issuer) if aud == endpoint => format!(
            "aud is the token endpoint ({aud}), as RFC 7523 and OIDC Core §9 say; an issuer that wants its identifier instead would expect {issuer}"
        ),
        _ if aud == endpoint => format!("aud is the token endpoint ({aud}), as RFC 7523 and OIDC Core §9 say"),
        _ => format!("aud is {aud}, the token endpoint is {endpoint}"),
    }
}

/// `iat` to `exp`, as made (the lifetime tokdbg gives every assertion).
fn lifetime_check(assertion: &AssertionView) -> String {
    let claim = |name: &str| assertion.claims.get(name).and_then(Value::as_i64);
    match (claim("iat"), claim("exp")) {
        (Some(iat), Some(exp)) => format!(
            "valid from iat {} to exp {} ({} s)",
            crate::core::clock::format_utc(iat),
            crate::core::clock::format_utc(exp),
            exp - iat
        ),
        _ => "without iat or exp".to_owned(),
    }
}

/// Where the product keeps a client's assertion method and key, in its console's words.
fn where_registered(vendor: IssuerVendor, method: AuthMethod) -> &'static str {
    let secret = method == AuthMethod::ClientSecretJwt;
    match vendor {
        IssuerVendor::Keycloak if secret => {
            " (Keycloak: Clients → your client → Credentials → Client Authenticator \"Signed Jwt with Client Secret\")"
        }
        IssuerVendor::Keycloak => {
            " (Keycloak: Clients → your client → Credentials → Client Authenticator \"Signed Jwt\", then Keys → the certificate or JWKS URL)"
        }
        IssuerVendor::Okta if secret => {
            " (Okta: Applications → your app → General → Client Credentials → Client secret)"
        }
        IssuerVendor::Okta => {
            " (Okta: Applications → your app → General → Client Credentials → \"Public key / Private key\", and the public keys listed there)"
        }
        IssuerVendor::Auth0 => {
            " (Auth0: Applications → your app → Credentials → Authentication Method \"Private Key JWT\", and the credentials listed there)"
        }
        IssuerVendor::EntraId => {
            " (Microsoft Entra ID: App registrations → your app → Certificates & secrets → Certificates: upload this key's certificate)"
        }
        IssuerVendor::OidcProvider => {
            " (oidc-provider: the client's token_endpoint_auth_method and its jwks or jwks_uri)"
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report(description: &str) -> TokenRequestReport {
        TokenRequestReport {
            assertion: Some(AssertionView {
                header: json!({"alg": "ES256", "typ": "JWT", "kid": "k1"}),
                claims: json!({"iss": "app", "sub": "app", "aud": "https://id.example/token", "jti": "j", "iat": 100, "exp": 160}),
                key_thumbprint: Some("THUMB".into()),
            }),
            ..TokenRequestReport::refused_for_tests(401, "invalid_client", Some(description))
        }
    }

    fn profile() -> Profile {
        let mut profile = Profile::default();
        let client = toml::from_str::<crate::core::model::profile::ClientConfig>(
            "id = \"app\"\nauth_method = \"private_key_jwt\"\nprivate_key = \"file:k.pem\"",
        );
        profile.client = client.ok();
        profile
    }

    #[test]
    fn an_alg_the_issuer_does_not_list_is_the_fix() {
        let document = json!({"issuer": "https://id.example", "token_endpoint_auth_signing_alg_values_supported": ["RS256", "PS256"]});
        let finding =
            refused_assertion(&report("alg mismatch"), &profile(), Some(&document), IssuerVendor::Unknown).unwrap();
        assert_eq!(finding.code, Code::InvalidClient);
        assert!(finding.fix.contains("takes RS256, PS256 for client assertions, not ES256"), "{}", finding.fix);
        let checks = finding.evidence.expected.unwrap_or_default();
        assert!(checks.contains("alg ES256 is NOT in") && checks.contains("expect https://id.example"), "{checks}");
    }

    #[test]
    fn otherwise_the_registered_key_is_compared_by_kid_and_thumbprint_in_the_issuers_words() {
        let finding =
            refused_assertion(&report("invalid signature"), &profile(), None, IssuerVendor::Keycloak).unwrap();
        assert!(finding.fix.contains("kid k1 and RFC 7638 thumbprint THUMB"), "{}", finding.fix);
        assert!(finding.fix.contains("Client Authenticator \"Signed Jwt\""), "{}", finding.fix);
    }

    #[test]
    fn a_server_saying_expired_points_at_the_clocks() {
        let finding = refused_assertion(&report("jwt expired"), &profile(), None, IssuerVendor::Unknown).unwrap();
        assert!(finding.fix.contains("clocks is off"), "{}", finding.fix);
    }
}
