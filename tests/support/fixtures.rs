//! Crafted material shared by the tests: claims the demo API accepts, tokens signed with the
//! demo's keys (or with any header, or unsigned), and JWK sets as JSON.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};
use tokdbg::demo::{APP_ID, DemoKey, DemoServer, sign_token};

pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Claims the demo API accepts on `/api/protected`: its issuer, the app id, `order:read`.
pub fn good_claims(server: &DemoServer) -> Value {
    let now = now();
    json!({
        "iss": server.issuer(),
        "sub": "demo-reader",
        "aud": APP_ID,
        "azp": "demo-reader",
        "client_id": "demo-reader",
        "scope": "order:read",
        "iat": now,
        "exp": now + 600,
    })
}

/// `good_claims` with some members replaced (or removed, for `null`).
pub fn claims_with(server: &DemoServer, changes: Value) -> Value {
    let mut claims = good_claims(server);
    if let (Some(target), Some(changes)) = (claims.as_object_mut(), changes.as_object()) {
        for (key, value) in changes {
            if value.is_null() {
                target.remove(key);
            } else {
                target.insert(key.clone(), value.clone());
            }
        }
    }
    claims
}

/// An RS256 token signed by the issuer's current key demo-rsa-1.
pub fn rs256(claims: &Value) -> String {
    sign_token(claims, Algorithm::RS256, DemoKey::Rsa1, Some(DemoKey::Rsa1.kid()))
}

fn b64_json(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

/// A JWS with exactly this header, signed with `key` under `alg`.
pub fn sign_with_header(header: &Value, claims: &Value, key: &EncodingKey, alg: Algorithm) -> String {
    let message = format!("{}.{}", b64_json(header), b64_json(claims));
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), key, alg).expect("signing a test token");
    format!("{message}.{signature}")
}

/// An unsigned token: `{"alg":"none"}`, the claims, and an empty signature.
pub fn unsigned(claims: &Value) -> String {
    format!("{}.{}.", b64_json(&json!({ "alg": "none", "typ": "JWT" })), b64_json(claims))
}

/// The signature segment of a compact JWS.
pub fn signature_of(token: &str) -> String {
    token.rsplit('.').next().unwrap_or_default().to_owned()
}

/// A JWK set holding these keys, as JSON.
pub fn jwks_json(keys: Vec<Jwk>) -> Value {
    serde_json::to_value(JwkSet { keys }).unwrap_or(Value::Null)
}

/// How many demo profiles there are (tests count them from here, not from a literal).
pub fn demo_profile_count() -> usize {
    tokdbg::demo::demo_profiles("http://127.0.0.1:1").len()
}
