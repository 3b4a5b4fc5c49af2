//! The demo issuer's reading of a client assertion (RFC 7523 §3, OIDC Core §9), checked as
//! a real server checks it: type, algorithm, issuer and subject, signature against the
//! client's registered key (or its secret), audience, expiry, and `jti` replay.

use std::collections::BTreeMap;

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

use super::clients::{self, AuthMethods, Client};
use super::keys::alg_name;
use super::state::DemoState;
use crate::core::oauth::client_assertion::ASSERTION_TYPE;

/// The algorithms this issuer accepts for client assertions, as its discovery lists them.
/// No ES256: like many issuers (Entra ID, Okta's defaults) it takes RSA and HMAC only.
pub(crate) const ACCEPTED_ALGS: &[&str] = &["RS256", "PS256", "HS256"];

/// How much clock skew the issuer forgives on `iat` and `exp`.
const LEEWAY_SECS: i64 = 5;

/// Why an assertion is refused: `invalid_request` (malformed) or `invalid_client`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub invalid_request: bool,
    pub description: String,
}

fn client_error(description: impl Into<String>) -> Refusal {
    Refusal { invalid_request: false, description: description.into() }
}

/// Whether the form carries an assertion (then it is the only authentication read).
pub(crate) fn present(form: &BTreeMap<String, String>) -> bool {
    form.contains_key("client_assertion") || form.contains_key("client_assertion_type")
}

/// The client the assertion authenticates, or why not.
pub(crate) fn authenticate(state: &DemoState, form: &BTreeMap<String, String>) -> Result<&'static Client, Refusal> {
    if form.get("client_assertion_type").map(String::as_str) != Some(ASSERTION_TYPE) {
        return Err(Refusal {
            invalid_request: true,
            description: format!("client_assertion_type must be {ASSERTION_TYPE}"),
        });
    }
    if form.contains_key("client_secret") {
        return Err(Refusal {
            invalid_request: true,
            description: "client authentication must only be provided using one mechanism".to_owned(),
        });
    }
    let jwt = form
        .get("client_assertion")
        .ok_or_else(|| Refusal { invalid_request: true, description: "client_assertion is missing".to_owned() })?;
    let header = jsonwebtoken::decode_header(jwt).map_err(|_| client_error("client_assertion is not a JWT"))?;
    let alg = alg_name(header.alg);
    if !ACCEPTED_ALGS.contains(&alg) {
        return Err(client_error(format!(
            "client assertion alg {alg} is not accepted (token_endpoint_auth_signing_alg_values_supported: {})",
            ACCEPTED_ALGS.join(", ")
        )));
    }
    let unverified = unverified_claims(jwt).ok_or_else(|| client_error("client_assertion is not a JWT"))?;
    let issuer = unverified.get("iss").and_then(Value::as_str).unwrap_or_default();
    // One message for an unknown client and a bad signature, so ids cannot be probed.
    let failed = || client_error("client assertion signature verification failed (unknown client or wrong key)");
    let client = clients::find(issuer).ok_or_else(failed)?;
    if form.get("client_id").is_some_and(|id| id != issuer) {
        return Err(client_error("client_id does not match the client assertion's iss"));
    }
    let key = match client.auth_methods {
        AuthMethods::PrivateKeyJwt if header.alg != Algorithm::HS256 => registered_key(client).ok_or_else(failed)?,
        AuthMethods::SecretJwt if header.alg == Algorithm::HS256 => DecodingKey::from_secret(client.secret.as_bytes()),
        AuthMethods::PrivateKeyJwt | AuthMethods::SecretJwt => {
            return Err(client_error(format!(
                "client assertion alg {alg} does not fit this client's registered credentials"
            )));
        }
        _ => return Err(client_error("this client does not authenticate with a client assertion")),
    };
    let mut validation = Validation::new(header.alg);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let claims = jsonwebtoken::decode::<Value>(jwt, &key, &validation).map_err(|_| failed())?.claims;
    check_claims(state, client, &claims)?;
    Ok(client)
}

/// The public key registered for a `private_key_jwt` client.
fn registered_key(client: &Client) -> Option<DecodingKey> {
    let pem = client.assertion_key?.as_bytes();
    DecodingKey::from_rsa_pem(pem).or_else(|_| DecodingKey::from_ec_pem(pem)).ok()
}

fn unverified_claims(jwt: &str) -> Option<Value> {
    use base64::Engine as _;
    let payload = jwt.split('.').nth(1)?;
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

/// `sub`, `aud` (the token endpoint or the issuer), `exp` and `iat` by this server's clock,
/// and a `jti` not seen before.
fn check_claims(state: &DemoState, client: &Client, claims: &Value) -> Result<(), Refusal> {
    if claims.get("sub").and_then(Value::as_str) != Some(client.id) {
        return Err(client_error("sub (JWT subject) must be the client_id"));
    }
    let token_endpoint = format!("{}/token", state.issuer);
    let audience_ok = match claims.get("aud") {
        Some(Value::String(aud)) => *aud == token_endpoint || *aud == state.issuer,
        Some(Value::Array(list)) => {
            list.iter().any(|aud| aud.as_str().is_some_and(|aud| aud == token_endpoint || aud == state.issuer))
        }
        _ => false,
    };
    if !audience_ok {
        return Err(client_error(format!(
            "audience (aud) must be the token endpoint URL ({token_endpoint}) or the issuer identifier"
        )));
    }
    let now = state.now() - client.clock_behind_secs;
    let exp = claims.get("exp").and_then(Value::as_i64).ok_or_else(|| client_error("exp must be specified"))?;
    if exp + LEEWAY_SECS <= now {
        return Err(client_error(format!("client assertion has expired (exp {exp}, server time {now})")));
    }
    if claims.get("iat").and_then(Value::as_i64).is_some_and(|iat| iat > now + LEEWAY_SECS) {
        return Err(client_error(format!("client assertion iat is in the future (server time {now})")));
    }
    let jti = claims.get("jti").and_then(Value::as_str).ok_or_else(|| client_error("unique jti must be provided"))?;
    if !state.first_use_of_assertion(client.id, jti, exp + LEEWAY_SECS) {
        return Err(client_error("client assertion tokens must only be used once (jti replayed)"));
    }
    Ok(())
}
