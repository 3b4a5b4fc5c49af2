//! Emulation of PyJWT 2's `PyJWKClient.get_signing_key_from_jwt` + `jwt.decode`, in their
//! order and with their messages (`str(error)`), so the demo's FastAPI routes fail as PyJWT does.

use jsonwebtoken::jwk::{Jwk, JwkSet, PublicKeyUse};
use serde_json::{Map, Value};

use super::jose::{lenient_b64, signature_ok};

/// What the route passes to `PyJWKClient(...)` and `jwt.decode(...)`.
#[derive(Debug, Clone)]
pub(crate) struct DecodeOptions {
    pub issuer: String,
    pub audience: String,
    pub algorithms: Vec<String>,
}

/// Where `PyJWKClient` gets keys from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum KeySource<'a> {
    Jwks(&'a JwkSet),
    /// `urllib` failed with this error (e.g. `HTTP Error 404: Not Found`).
    Unreachable(&'a str),
}

/// The whole path of the usual FastAPI dependency: key by kid, then decode and validate.
/// `Err` holds `str(error)` of the `PyJWTError` raised.
pub(crate) fn verify(token: &str, options: &DecodeOptions, keys: KeySource<'_>, now: i64) -> Result<Value, String> {
    let token = load(token)?;
    let key = signing_key(&token.header, keys)?;
    let alg = token.header.get("alg").and_then(Value::as_str).ok_or("Algorithm not specified")?;
    if alg.is_empty() || !options.algorithms.iter().any(|allowed| allowed == alg) {
        return Err("The specified alg value is not allowed".to_owned());
    }
    if !signature_ok(&key, alg, &token.signing_input, &token.signature) {
        return Err("Signature verification failed".to_owned());
    }
    let payload = match serde_json::from_slice::<Value>(&token.payload) {
        Ok(Value::Object(payload)) => payload,
        Ok(_) => return Err("Invalid payload string: must be a json object".to_owned()),
        Err(error) => return Err(format!("Invalid payload string: {}", python_json_error(&error))),
    };
    validate_claims(&payload, options, now)?;
    Ok(Value::Object(payload))
}

/// A token split as `PyJWS._load` splits it.
struct Loaded {
    header: Map<String, Value>,
    payload: Vec<u8>,
    signing_input: String,
    signature: String,
}

/// `PyJWS._load` (what `get_unverified_header` runs): the last dot ends the signing input.
fn load(token: &str) -> Result<Loaded, String> {
    let (signing_input, signature) = token.rsplit_once('.').ok_or("Not enough segments")?;
    let (header_part, payload_part) = signing_input.split_once('.').ok_or("Not enough segments")?;
    let header = match serde_json::from_slice::<Value>(&lenient_b64(header_part)) {
        Ok(Value::Object(header)) => header,
        Ok(_) => return Err("Invalid header string: must be a json object".to_owned()),
        Err(error) => return Err(format!("Invalid header string: {}", python_json_error(&error))),
    };
    if header.get("kid").is_some_and(|kid| !kid.is_string()) {
        return Err("Key ID header parameter must be a string".to_owned());
    }
    Ok(Loaded {
        header,
        payload: lenient_b64(payload_part),
        signing_input: signing_input.to_owned(),
        signature: signature.to_owned(),
    })
}

/// Approximates Python's `json.JSONDecodeError` text (its offsets count characters, not bytes).
fn python_json_error(error: &serde_json::Error) -> String {
    let (line, column) = (error.line().max(1), error.column().max(1));
    format!("Expecting value: line {line} column {column} (char {})", column - 1)
}

/// `PyJWKClient.get_signing_key`: signing keys are those with `use` sig or absent and a kid;
/// the kid must match one (`None` is printed as Python prints it).
fn signing_key(header: &Map<String, Value>, keys: KeySource<'_>) -> Result<Jwk, String> {
    let set = match keys {
        KeySource::Jwks(set) => set,
        KeySource::Unreachable(error) => return Err(format!("Fail to fetch data from the url, err: \"{error}\"")),
    };
    let signing: Vec<&Jwk> = set
        .keys
        .iter()
        .filter(|jwk| matches!(jwk.common.public_key_use, None | Some(PublicKeyUse::Signature)))
        .filter(|jwk| jwk.common.key_id.as_deref().is_some_and(|kid| !kid.is_empty()))
        .collect();
    if signing.is_empty() {
        return Err("The JWKS endpoint did not contain any signing keys".to_owned());
    }
    let kid = header.get("kid").and_then(Value::as_str);
    signing
        .into_iter()
        .find(|jwk| kid.is_some() && jwk.common.key_id.as_deref() == kid)
        .cloned()
        .ok_or_else(|| format!("Unable to find a signing key that matches: \"{}\"", kid.unwrap_or("None")))
}

/// `PyJWT._validate_claims` with no leeway: iat, nbf, exp, then iss, then aud.
fn validate_claims(payload: &Map<String, Value>, options: &DecodeOptions, now: i64) -> Result<(), String> {
    // `int(payload[name])`: a number is truncated; anything else raises.
    let integer = |name: &str, what: &str| -> Result<Option<i64>, String> {
        match payload.get(name) {
            None => Ok(None),
            Some(value) => value
                .as_f64()
                .map(|v| Some(v.trunc() as i64))
                .ok_or_else(|| format!("{what} claim ({name}) must be an integer.")),
        }
    };
    if integer("iat", "Issued At")?.is_some_and(|iat| iat > now) {
        return Err("The token is not yet valid (iat)".to_owned());
    }
    if integer("nbf", "Not Before")?.is_some_and(|nbf| nbf > now) {
        return Err("The token is not yet valid (nbf)".to_owned());
    }
    if integer("exp", "Expiration Time")?.is_some_and(|exp| exp <= now) {
        return Err("Signature has expired".to_owned());
    }
    match payload.get("iss") {
        None => return Err("Token is missing the \"iss\" claim".to_owned()),
        Some(iss) if iss.as_str() != Some(options.issuer.as_str()) => return Err("Invalid issuer".to_owned()),
        Some(_) => {}
    }
    let claims: Vec<&Value> = match payload.get("aud") {
        None | Some(Value::Null) => return Err("Token is missing the \"aud\" claim".to_owned()),
        Some(Value::String(aud)) if aud.is_empty() => return Err("Token is missing the \"aud\" claim".to_owned()),
        Some(Value::Array(many)) if many.is_empty() => return Err("Token is missing the \"aud\" claim".to_owned()),
        Some(one @ Value::String(_)) => vec![one],
        Some(Value::Array(many)) if many.iter().all(Value::is_string) => many.iter().collect(),
        Some(_) => return Err("Invalid claim format in token".to_owned()),
    };
    if !claims.iter().any(|aud| aud.as_str() == Some(options.audience.as_str())) {
        return Err("Audience doesn't match".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::keys::{DemoKey, published_jwks, sign_hmac_token, sign_token};
    use jsonwebtoken::Algorithm;
    use serde_json::json;

    const NOW: i64 = 1_800_000_000;

    fn run(token: &str) -> Result<Value, String> {
        let options = DecodeOptions { issuer: "I".into(), audience: "A".into(), algorithms: vec!["RS256".into()] };
        verify(token, &options, KeySource::Jwks(&published_jwks(false, true)), NOW)
    }

    #[test]
    fn key_then_alg_then_signature_then_claims() {
        let good = json!({ "iss": "I", "aud": "A", "iat": NOW - 5, "exp": NOW + 10 });
        assert!(run(&sign_token(&good, Algorithm::RS256, DemoKey::Rsa1, Some("demo-rsa-1"))).is_ok());
        let unsigned = sign_hmac_token(&good, Algorithm::HS256, b"secret");
        assert_eq!(run(&unsigned), Err("Unable to find a signing key that matches: \"None\"".to_owned()));
        let es = sign_token(&good, Algorithm::ES256, DemoKey::Ec256, Some(DemoKey::Ec256.kid()));
        assert_eq!(run(&es), Err("The specified alg value is not allowed".to_owned()));
        let stranger = sign_token(&good, Algorithm::RS256, DemoKey::RsaStranger, Some("demo-rsa-1"));
        assert_eq!(run(&stranger), Err("Signature verification failed".to_owned()));
        let expired = json!({ "iss": "x", "aud": "x", "exp": NOW });
        let expired = sign_token(&expired, Algorithm::RS256, DemoKey::Rsa1, Some("demo-rsa-1"));
        assert_eq!(run(&expired), Err("Signature has expired".to_owned()));
        let wrong = |claims: Value| run(&sign_token(&claims, Algorithm::RS256, DemoKey::Rsa1, Some("demo-rsa-1")));
        assert_eq!(wrong(json!({ "iss": "x", "aud": "x" })), Err("Invalid issuer".to_owned()));
        assert_eq!(wrong(json!({ "iss": "I", "aud": ["x"] })), Err("Audience doesn't match".to_owned()));
        assert_eq!(wrong(json!({ "iss": "I" })), Err("Token is missing the \"aud\" claim".to_owned()));
        assert_eq!(run("abc"), Err("Not enough segments".to_owned()));
    }
}
