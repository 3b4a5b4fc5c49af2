//! Emulation of jws.decode + jwks-rsa's key lookup + node-jsonwebtoken's `verify`, in
//! their order and with their messages, so the demo API fails exactly as Express does.

use jsonwebtoken::jwk::{Jwk, JwkSet};
use serde_json::{Map, Value};

use super::jose::{is_signing_key, lenient_b64, node_curve, node_key_type, signature_ok};

/// Algorithms for which jwks-rsa's `expressJwtSecret` looks a key up at all.
const JWKS_RSA_ALGS: &[&str] =
    &["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES256K", "ES384", "ES512", "EdDSA"];

/// The options express-jwt passes to `jwt.verify`.
#[derive(Debug, Clone)]
pub(crate) struct VerifyOptions {
    pub issuer: String,
    pub audiences: Vec<String>,
    pub algorithms: Vec<String>,
    /// node-jsonwebtoken's `clockTolerance`, seconds.
    pub clock_tolerance: i64,
}

/// Where jwks-rsa gets keys from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum KeySource<'a> {
    Jwks(&'a JwkSet),
    /// The JWKS fetch fails with this `JwksError` message (e.g. `Not Found`).
    Unreachable(&'a str),
}

/// Why the middleware did not let the request through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rejection {
    /// express-jwt's `UnauthorizedError('invalid_token', err)`: `err.message`.
    InvalidToken(String),
    /// An error jwks-rsa bubbled up (`JwksError: ...`); it has no status, so Express
    /// answers 500 unless the app's error handler knows it.
    KeyProvider(String),
}

fn invalid(message: &str) -> Rejection {
    Rejection::InvalidToken(message.to_owned())
}

/// A token as `jws.decode` returns it.
#[derive(Debug, Clone, PartialEq)]
struct Decoded {
    header: Map<String, Value>,
    /// An object for ordinary tokens; a string or other value when the payload was not
    /// a JSON object (every claim then reads as `undefined`).
    payload: Value,
}

/// The whole express-jwt path after the token was extracted: decode, key, verify.
/// Returns the payload express-jwt stores in `req.auth`.
pub(crate) fn verify(token: &str, options: &VerifyOptions, keys: KeySource<'_>, now: i64) -> Result<Value, Rejection> {
    // express-jwt decodes first; a SyntaxError there is wrapped as invalid_token.
    let decoded = jws_decode(token).map_err(Rejection::InvalidToken)?;
    let key = match &decoded {
        Some(decoded) => find_key(&decoded.header, keys)?,
        None => None,
    };
    jsonwebtoken_verify(token, decoded, key.as_ref(), options, now)
}

/// `jws.decode`: None where it returns null, Err where its `JSON.parse` throws.
fn jws_decode(token: &str) -> Result<Option<Decoded>, String> {
    let parts: Vec<&str> = token.split('.').collect();
    let b64url = |part: &str| part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    // /^[a-zA-Z0-9\-_]+?\.[a-zA-Z0-9\-_]+?\.([a-zA-Z0-9\-_]+)?$/
    let shape_ok =
        parts.len() == 3 && !parts[0].is_empty() && !parts[1].is_empty() && parts.iter().all(|part| b64url(part));
    if !shape_ok {
        return Ok(None);
    }
    // The header is read as 'binary' (latin1) text, then safeJsonParse'd.
    let header_text: String = lenient_b64(parts[0]).iter().map(|b| char::from(*b)).collect();
    let header = match serde_json::from_str::<Value>(&header_text) {
        Ok(Value::Object(map)) => map,
        // Falsy JSON values make isValidJws fail; other non-objects have no fields.
        Ok(Value::Null | Value::Bool(false)) | Err(_) => return Ok(None),
        Ok(Value::Number(n)) if n.as_f64() == Some(0.0) => return Ok(None),
        Ok(Value::String(s)) if s.is_empty() => return Ok(None),
        Ok(_) => Map::new(),
    };
    let payload_text = String::from_utf8_lossy(&lenient_b64(parts[1])).into_owned();
    let payload = match serde_json::from_str::<Value>(&payload_text) {
        Ok(value) if value.is_object() => value,
        // typ "JWT" makes jws JSON.parse the payload and let the SyntaxError escape.
        Err(error) if header.get("typ") == Some(&Value::String("JWT".into())) => {
            return Err(node_json_error(&payload_text, &error));
        }
        // Otherwise the payload stays a string, as jsonwebtoken's decode leaves it.
        _ => Value::String(payload_text),
    };
    Ok(Some(Decoded { header, payload }))
}

/// Approximates V8's `JSON.parse` SyntaxError message.
fn node_json_error(text: &str, error: &serde_json::Error) -> String {
    if error.is_eof() {
        return "Unexpected end of JSON input".to_owned();
    }
    let offending = text
        .lines()
        .nth(error.line().saturating_sub(1))
        .and_then(|line| line.chars().nth(error.column().saturating_sub(1)))
        .or_else(|| text.chars().next())
        .unwrap_or(' ');
    let shown: String = text.chars().take(10).collect();
    let ellipsis = if text.chars().count() > 10 { "..." } else { "" };
    format!("Unexpected token '{offending}', \"{shown}\"{ellipsis} is not valid JSON")
}

/// jwks-rsa `expressJwtSecret`: no key for unsupported algs or an unknown kid
/// (`SigningKeyNotFoundError` is swallowed); fetch failures bubble up.
fn find_key(header: &Map<String, Value>, keys: KeySource<'_>) -> Result<Option<Jwk>, Rejection> {
    let alg_supported = header.get("alg").and_then(Value::as_str).is_some_and(|alg| JWKS_RSA_ALGS.contains(&alg));
    if !alg_supported {
        return Ok(None);
    }
    let set = match keys {
        KeySource::Jwks(set) => set,
        KeySource::Unreachable(message) => return Err(Rejection::KeyProvider(message.to_owned())),
    };
    let signing: Vec<&Jwk> = set.keys.iter().filter(|jwk| is_signing_key(jwk)).collect();
    if signing.is_empty() {
        return Err(Rejection::KeyProvider("The JWKS endpoint did not contain any signing keys".to_owned()));
    }
    let found = match header.get("kid") {
        // An absent (or null) kid only works when the JWKS has exactly one signing key.
        None | Some(Value::Null) if signing.len() == 1 => signing.first().copied(),
        None | Some(Value::Null) => None,
        // `k.kid === kid`: a kid that is not a string never matches.
        Some(kid) => signing
            .iter()
            .copied()
            .find(|jwk| kid.as_str().is_some_and(|kid| jwk.common.key_id.as_deref() == Some(kid))),
    };
    Ok(found.cloned())
}

/// node-jsonwebtoken `verify`, step for step (v9).
fn jsonwebtoken_verify(
    token: &str,
    decoded: Option<Decoded>,
    key: Option<&Jwk>,
    options: &VerifyOptions,
    now: i64,
) -> Result<Value, Rejection> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(invalid("jwt malformed"));
    }
    let Some(Decoded { header, payload }) = decoded else {
        return Err(invalid("invalid token"));
    };
    let has_signature = !parts[2].trim().is_empty();
    match (has_signature, key) {
        (false, Some(_)) => return Err(invalid("jwt signature is required")),
        (true, None) => return Err(invalid("secret or public key must be provided")),
        _ => {}
    }
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or_default();
    if !options.algorithms.iter().any(|allowed| allowed == alg) {
        return Err(invalid("invalid algorithm"));
    }
    // An unsigned token with an allowed alg reaches this point without a key, and
    // node-jsonwebtoken then reads `.type` of undefined: a TypeError becomes the message.
    let Some(key) = key else {
        let reads_key_type = ["HS", "RS", "PS", "ES"].iter().any(|p| alg.starts_with(p));
        return Err(invalid(if reads_key_type {
            "Cannot read properties of undefined (reading 'type')"
        } else {
            "invalid signature"
        }));
    };
    validate_asymmetric_key(alg, key).map_err(Rejection::InvalidToken)?;
    check_signature(alg, key, parts[0], parts[1], parts[2])?;

    let claim = |name: &str| payload.as_object().and_then(|claims| claims.get(name));
    if let Some(nbf) = claim("nbf") {
        let nbf = nbf.as_f64().ok_or_else(|| invalid("invalid nbf value"))?;
        if nbf > (now + options.clock_tolerance) as f64 {
            return Err(invalid("jwt not active"));
        }
    }
    if let Some(exp) = claim("exp") {
        let exp = exp.as_f64().ok_or_else(|| invalid("invalid exp value"))?;
        if now as f64 >= exp + options.clock_tolerance as f64 {
            return Err(invalid("jwt expired"));
        }
    }
    if !options.audiences.is_empty() {
        let targets: Vec<&Value> = match claim("aud") {
            Some(Value::Array(many)) => many.iter().collect(),
            Some(one) => vec![one],
            None => Vec::new(),
        };
        let matched = targets.iter().any(|target| options.audiences.iter().any(|aud| target.as_str() == Some(aud)));
        if !matched {
            return Err(Rejection::InvalidToken(format!(
                "jwt audience invalid. expected: {}",
                options.audiences.join(" or ")
            )));
        }
    }
    if !options.issuer.is_empty() && claim("iss").and_then(Value::as_str) != Some(&options.issuer) {
        return Err(Rejection::InvalidToken(format!("jwt issuer invalid. expected: {}", options.issuer)));
    }
    Ok(payload)
}

/// node-jsonwebtoken's `validateAsymmetricKey`: the key type must fit the algorithm.
fn validate_asymmetric_key(alg: &str, key: &Jwk) -> Result<(), String> {
    let key_type = node_key_type(key);
    let allowed: &[&str] = match key_type {
        "ec" => &["ES256", "ES384", "ES512"],
        "rsa" => &["RS256", "PS256", "RS384", "PS384", "RS512", "PS512"],
        other => return Err(format!("Unknown key type \"{other}\".")),
    };
    if !allowed.contains(&alg) {
        return Err(format!("\"alg\" parameter for \"{key_type}\" key type must be one of: {}.", allowed.join(", ")));
    }
    let wanted_curve = match alg {
        "ES256" => Some("prime256v1"),
        "ES384" => Some("secp384r1"),
        "ES512" => Some("secp521r1"),
        _ => None,
    };
    match (wanted_curve, node_curve(key)) {
        (Some(wanted), Some(actual)) if wanted != actual => {
            Err(format!("\"alg\" parameter \"{alg}\" requires curve \"{wanted}\"."))
        }
        _ => Ok(()),
    }
}

/// `jws.verify`: ECDSA signatures of the wrong size throw before any math is done.
fn check_signature(alg: &str, key: &Jwk, header: &str, payload: &str, signature: &str) -> Result<(), Rejection> {
    let ec_size = match alg {
        "ES256" => Some(64),
        "ES384" => Some(96),
        "ES512" => Some(132),
        _ => None,
    };
    if let Some(expected) = ec_size {
        let actual = lenient_b64(signature).len();
        if actual != expected {
            return Err(Rejection::InvalidToken(format!(
                "\"{alg}\" signatures must be \"{expected}\" bytes, saw \"{actual}\""
            )));
        }
    }
    if signature_ok(key, alg, &format!("{header}.{payload}"), signature) {
        Ok(())
    } else {
        Err(invalid("invalid signature"))
    }
}

#[cfg(test)]
#[path = "node_jwt_tests.rs"]
mod tests;
