//! `/api/mtls/*`: a resource server behind the demo's https listener that enforces
//! certificate-bound tokens (RFC 8705 §3): a token with `cnf.x5t#S256` is accepted only on a
//! connection presenting that very certificate; unbound tokens are taken as plain Bearer.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use super::APP_ID;
use super::mtls_auth::{self, PeerInfo};
use super::pyjwt::{self, DecodeOptions, KeySource};
use super::state::{DemoState, Kind};
use super::tls_listener::Peer;

pub(crate) fn routes() -> Router<Arc<DemoState>> {
    Router::new().route(
        "/api/mtls/protected",
        get(|State(state): State<Arc<DemoState>>, PeerInfo(peer): PeerInfo, headers: HeaderMap| async move {
            protected(&state, &peer, &headers)
        }),
    )
}

fn protected(state: &DemoState, peer: &Peer, headers: &HeaderMap) -> Response {
    state.count(Kind::Api);
    let Some(token) = bearer(headers) else {
        return challenge(StatusCode::UNAUTHORIZED, None, "Bearer realm=\"demo-mtls\"");
    };
    let claims = match verify(state, &token) {
        Ok(claims) => claims,
        Err(why) => return invalid_token(&format!("the access token is not valid: {why}")),
    };
    if let Some(bound) = claims.get("cnf").and_then(|cnf| cnf.get("x5t#S256")).and_then(Value::as_str) {
        match &peer.certificate {
            None => {
                return invalid_token(
                    "the access token is certificate-bound (cnf.x5t#S256) but no client certificate was presented",
                );
            }
            Some(der) if mtls_auth::thumbprint(der) != bound => {
                return invalid_token("the access token is bound to another client certificate than the one presented");
            }
            Some(_) => {}
        }
    }
    let granted = claims.get("scope").and_then(Value::as_str).unwrap_or_default();
    if !granted.split(' ').any(|scope| scope == "order:read") {
        return challenge(
            StatusCode::FORBIDDEN,
            Some(("insufficient_scope", "the order:read scope is required")),
            "Bearer realm=\"demo-mtls\", error=\"insufficient_scope\", scope=\"order:read\"",
        );
    }
    Json(json!({
        "orders": [{ "id": "ord-1001", "item": "coffee beans", "quantity": 2 }],
        "caller": claims.get("sub"),
        "bound": claims.get("cnf").is_some(),
    }))
    .into_response()
}

/// The token's claims, its issuer being the demo's over https or over http.
fn verify(state: &DemoState, token: &str) -> Result<Value, String> {
    let jwks = state.jwks();
    let options = |issuer: &str| DecodeOptions {
        issuer: issuer.to_owned(),
        audience: APP_ID.to_owned(),
        algorithms: vec!["RS256".to_owned(), "ES256".to_owned()],
    };
    pyjwt::verify(token, &options(&state.tls_issuer), KeySource::Jwks(&jwks), state.now()).or_else(|first| {
        pyjwt::verify(token, &options(&state.issuer), KeySource::Jwks(&jwks), state.now()).map_err(|_| first)
    })
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim().to_owned())
}

fn invalid_token(description: &str) -> Response {
    let header = format!("Bearer realm=\"demo-mtls\", error=\"invalid_token\", error_description=\"{description}\"");
    challenge(StatusCode::UNAUTHORIZED, Some(("invalid_token", description)), &header)
}

/// An RFC 6750 §3 answer: the challenge, and the error as JSON when there is one.
fn challenge(status: StatusCode, error: Option<(&str, &str)>, www_authenticate: &str) -> Response {
    let body = match error {
        Some((error, description)) => json!({ "error": error, "error_description": description }),
        None => json!({ "error": "unauthorized", "error_description": "a Bearer token is required" }),
    };
    let mut response = (status, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(www_authenticate) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    }
    response
}
