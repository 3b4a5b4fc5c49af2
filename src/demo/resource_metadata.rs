//! An API that publishes RFC 9728 protected-resource metadata, for `tokdbg init`: its 401
//! names the metadata in `resource_metadata`, the metadata names the demo issuer, and the API
//! accepts only tokens whose `aud` is its resource identifier (RFC 8707 `resource`).
//! Beside it, an API whose challenge points at origin-wide metadata (a prefix of its URL).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use super::node_jwt::{self, KeySource, VerifyOptions};
use super::state::{DemoState, Kind};

/// The API whose own metadata is at the path-inserted well-known URL.
pub(crate) const API_PATH: &str = "/api/prm/orders";
/// An API covered by origin-wide metadata (its challenge points there).
const WIDE_API_PATH: &str = "/api/prm-wide/orders";
const WELL_KNOWN: &str = "/.well-known/oauth-protected-resource";
const REQUIRED_SCOPE: &str = "order:read";

/// The resource identifier of the RFC 9728 API: its URL on this server.
pub(crate) fn resource_identifier(state: &DemoState) -> String {
    format!("{}{API_PATH}", state.base_url)
}

pub(crate) fn routes() -> Router<Arc<DemoState>> {
    Router::new()
        .route(&format!("{WELL_KNOWN}{API_PATH}"), get(own_metadata))
        .route(WELL_KNOWN, get(origin_metadata))
        .route(API_PATH, get(|state: State<Arc<DemoState>>, headers: HeaderMap| orders(state, headers, false)))
        .route(WIDE_API_PATH, get(|state: State<Arc<DemoState>>, headers: HeaderMap| orders(state, headers, true)))
}

async fn own_metadata(State(state): State<Arc<DemoState>>) -> Response {
    state.count(Kind::Discovery);
    Json(json!({
        "resource": resource_identifier(&state),
        "authorization_servers": [state.issuer],
        "scopes_supported": ["order:read", "order:write"],
        "bearer_methods_supported": ["header"],
        "resource_signing_alg_values_supported": ["RS256", "ES256"],
        "resource_name": "tokdbg demo orders (RFC 9728)",
    }))
    .into_response()
}

async fn origin_metadata(State(state): State<Arc<DemoState>>) -> Response {
    state.count(Kind::Discovery);
    Json(json!({
        "resource": state.base_url,
        "authorization_servers": [state.issuer],
        "scopes_supported": ["order:read", "order:write"],
    }))
    .into_response()
}

/// `GET /api/prm/orders`: a Bearer API; without a valid token, a challenge that names its
/// metadata and the scope it needs.
async fn orders(State(state): State<Arc<DemoState>>, headers: HeaderMap, wide: bool) -> Response {
    state.count(Kind::Api);
    let metadata = if wide {
        format!("{}{WELL_KNOWN}", state.base_url)
    } else {
        format!("{}{WELL_KNOWN}{API_PATH}", state.base_url)
    };
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned());
    let Some(token) = token else {
        return challenge(&metadata, None);
    };
    let audience = if wide { state.base_url.clone() } else { resource_identifier(&state) };
    let options = VerifyOptions {
        issuer: state.issuer.clone(),
        audiences: vec![audience],
        algorithms: vec!["RS256".to_owned(), "ES256".to_owned()],
        clock_tolerance: 0,
    };
    let jwks = state.jwks();
    let claims = match node_jwt::verify(&token, &options, KeySource::Jwks(&jwks), state.now()) {
        Ok(claims) => claims,
        Err(node_jwt::Rejection::InvalidToken(message) | node_jwt::Rejection::KeyProvider(message)) => {
            return challenge(&metadata, Some(("invalid_token", message)));
        }
    };
    let scopes = claims.get("scope").and_then(|s| s.as_str()).unwrap_or_default();
    if !scopes.split_whitespace().any(|s| s == REQUIRED_SCOPE) {
        let mut response = challenge(&metadata, Some(("insufficient_scope", format!("{REQUIRED_SCOPE} is required"))));
        *response.status_mut() = StatusCode::FORBIDDEN;
        return response;
    }
    Json(json!({
        "orders": [{ "id": "ord-3001", "item": "well-described beans", "quantity": 1 }],
        "caller": claims.get("sub"),
    }))
    .into_response()
}

fn challenge(metadata: &str, error: Option<(&str, String)>) -> Response {
    let mut value = format!("Bearer resource_metadata=\"{metadata}\", scope=\"{REQUIRED_SCOPE}\"");
    if let Some((error, description)) = &error {
        let description = description.replace(['"', '\\'], "'");
        value.push_str(&format!(", error=\"{error}\", error_description=\"{description}\""));
    }
    let mut response = StatusCode::UNAUTHORIZED.into_response();
    if let Ok(value) = HeaderValue::from_str(&value) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    }
    response
}
