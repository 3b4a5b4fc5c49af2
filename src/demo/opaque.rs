//! Reference (opaque) tokens: the demo issuer's store of them, its introspection (RFC 7662)
//! and revocation (RFC 7009) endpoints, both requiring client authentication, and an API
//! that accepts such a token only by asking the store, as a resource server introspecting.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::clients::Client;
use super::state::{DemoState, Kind};
use super::token_endpoint::{OAuthError, authenticate, parse_form};

/// One reference token as the issuer remembers it.
#[derive(Debug, Clone)]
struct Record {
    client_id: &'static str,
    scopes: Vec<&'static str>,
    audience: String,
    iat: i64,
    exp: i64,
    revoked: bool,
}

/// The issuer's reference tokens (kept for the server's life; the demo issues few).
#[derive(Debug, Default)]
pub(crate) struct OpaqueStore {
    tokens: Mutex<HashMap<String, Record>>,
}

impl OpaqueStore {
    /// Issues a reference token for `client` (born revoked if the client's row says so, which
    /// stands for a token revoked after it was handed out).
    pub(crate) fn issue(&self, client: &Client, audience: &str, scopes: &[&'static str], iat: i64) -> String {
        let token = random_reference();
        let record = Record {
            client_id: client.id,
            scopes: scopes.to_vec(),
            audience: audience.to_owned(),
            iat,
            exp: iat + client.lifetime_secs,
            revoked: client.opaque_revoked,
        };
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.insert(token.clone(), record);
        }
        token
    }

    /// The RFC 7662 answer for `token`: `{"active": false}` alone unless it is known, not
    /// revoked and not expired.
    fn introspect(&self, token: &str, issuer: &str, now: i64) -> Value {
        let record = self.tokens.lock().ok().and_then(|tokens| tokens.get(token).cloned());
        match record {
            Some(r) if !r.revoked && r.exp > now => json!({
                "active": true,
                "scope": r.scopes.join(" "),
                "client_id": r.client_id,
                "token_type": "Bearer",
                "exp": r.exp,
                "iat": r.iat,
                "sub": r.client_id,
                "aud": r.audience,
                "iss": issuer,
            }),
            _ => json!({ "active": false }),
        }
    }

    /// Revokes `token` if `client_id` holds it; an unknown token is no error (RFC 7009 §2.2).
    fn revoke(&self, token: &str, client_id: &str) -> Result<(), OAuthError> {
        let Ok(mut tokens) = self.tokens.lock() else { return Ok(()) };
        match tokens.get_mut(token) {
            Some(record) if record.client_id != client_id => {
                Err(OAuthError::bad_request("unauthorized_client", "the token was issued to another client".to_owned()))
            }
            Some(record) => {
                record.revoked = true;
                Ok(())
            }
            None => Ok(()),
        }
    }
}

/// 32 hex characters from the process's random hasher keys: no dots, so no JWT.
fn random_reference() -> String {
    let state = std::collections::hash_map::RandomState::new();
    let mut first = state.build_hasher();
    first.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    let a = first.finish();
    let mut second = state.build_hasher();
    second.write_u64(a);
    format!("{a:016x}{:016x}", second.finish())
}

pub(crate) fn routes() -> Router<Arc<DemoState>> {
    Router::new()
        .route("/oidc/token/introspection", post(introspection))
        .route("/oidc/token/revocation", post(revocation))
        .route("/api/opaque/orders", get(read_orders).post(create_order))
}

/// `POST /oidc/token/introspection`: any authenticated demo client may ask.
async fn introspection(State(state): State<Arc<DemoState>>, headers: HeaderMap, body: Bytes) -> Response {
    let answer = parse_form(&headers, &body).and_then(|form| {
        authenticate(&state, &headers, &form)?;
        let token = form.get("token").ok_or_else(|| {
            OAuthError::bad_request("invalid_request", "missing required parameter 'token'".to_owned())
        })?;
        Ok(state.opaque.introspect(token, &state.issuer, state.now()))
    });
    match answer {
        Ok(answer) => (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], Json(answer)).into_response(),
        Err(error) => error.into_response(),
    }
}

/// `POST /oidc/token/revocation`: 200 with an empty body when done (also for an unknown token).
async fn revocation(State(state): State<Arc<DemoState>>, headers: HeaderMap, body: Bytes) -> Response {
    let done = parse_form(&headers, &body).and_then(|form| {
        let client = authenticate(&state, &headers, &form)?;
        let token = form.get("token").ok_or_else(|| {
            OAuthError::bad_request("invalid_request", "missing required parameter 'token'".to_owned())
        })?;
        state.opaque.revoke(token, client.id)
    });
    match done {
        Ok(()) => StatusCode::OK.into_response(),
        Err(error) => error.into_response(),
    }
}

/// The resource server's check: the bearer token introspected, then the scope (RFC 6750 answers).
fn check(state: &DemoState, headers: &HeaderMap, scope: &str) -> Result<Value, Box<Response>> {
    let challenge = |status: StatusCode, value: String, body: Value| {
        let mut response = (status, Json(body)).into_response();
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
        }
        Box::new(response)
    };
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    let Some(token) = bearer else {
        return Err(challenge(
            StatusCode::UNAUTHORIZED,
            "Bearer realm=\"demo-opaque\"".to_owned(),
            json!({ "error": "unauthorized", "message": "no bearer token" }),
        ));
    };
    let answer = state.opaque.introspect(token, &state.issuer, state.now());
    if answer["active"] != json!(true) {
        let description = "The access token is not active";
        return Err(challenge(
            StatusCode::UNAUTHORIZED,
            format!("Bearer realm=\"demo-opaque\", error=\"invalid_token\", error_description=\"{description}\""),
            json!({ "error": "invalid_token", "error_description": description }),
        ));
    }
    let granted = answer["scope"].as_str().unwrap_or_default();
    if !granted.split(' ').any(|s| s == scope) {
        let description = format!("The request requires the scope {scope}");
        return Err(challenge(
            StatusCode::FORBIDDEN,
            format!(
                "Bearer realm=\"demo-opaque\", error=\"insufficient_scope\", error_description=\"{description}\", scope=\"{scope}\""
            ),
            json!({ "error": "insufficient_scope", "error_description": description }),
        ));
    }
    Ok(answer)
}

async fn read_orders(State(state): State<Arc<DemoState>>, headers: HeaderMap) -> Response {
    state.count(Kind::Api);
    match check(&state, &headers, "order:read") {
        Ok(answer) => Json(json!({
            "orders": [{ "id": "ord-1001", "item": "coffee beans", "quantity": 2 }],
            "caller": answer["client_id"],
        }))
        .into_response(),
        Err(denial) => *denial,
    }
}

async fn create_order(State(state): State<Arc<DemoState>>, headers: HeaderMap) -> Response {
    state.count(Kind::Api);
    match check(&state, &headers, "order:write") {
        Ok(answer) => {
            (StatusCode::CREATED, Json(json!({ "order": { "id": "ord-1003" }, "caller": answer["client_id"] })))
                .into_response()
        }
        Err(denial) => *denial,
    }
}
