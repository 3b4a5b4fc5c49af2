//! `/api/fastapi/*`: a FastAPI app behind uvicorn whose dependency verifies tokens with PyJWT
//! (`HTTPBearer`, `PyJWKClient`, `jwt.decode`, then a scope check), answering `{"detail": …}`
//! as FastAPI's `HTTPException` does, plus misconfigured copies of the route.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::APP_ID;
use super::pyjwt::{self, DecodeOptions, KeySource};
use super::state::{DemoState, Kind};

/// How one route's dependency is (mis)configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Setup {
    /// issuer, audience = APP_ID, `algorithms=["RS256"]`, keys from the real JWKS.
    Good,
    /// `issuer=` the origin + `/odic`.
    IssuerTypo,
    /// `audience=` an API identifier the issuer never puts in `aud`.
    AudienceUnknown,
    /// `PyJWKClient(origin + "/.well-known/jwks.json")`: the key fetch answers 404.
    JwksWithoutOidc,
    /// The scope check reads `payload["scp"]` while the issuer writes `scope`.
    ScopeClaimScp,
}

pub(crate) fn routes() -> Router<Arc<DemoState>> {
    Router::new()
        .route("/api/fastapi/protected", reading(Setup::Good))
        .route("/api/fastapi/orders", writing())
        .route("/api/fastapi/misconfigured/issuer", reading(Setup::IssuerTypo))
        .route("/api/fastapi/misconfigured/audience", reading(Setup::AudienceUnknown))
        .route("/api/fastapi/misconfigured/jwks", reading(Setup::JwksWithoutOidc))
        .route("/api/fastapi/misconfigured/scp", reading(Setup::ScopeClaimScp))
        // uvicorn names itself on every answer.
        .layer(axum::middleware::map_response(served_by_uvicorn))
}

async fn served_by_uvicorn(mut response: Response) -> Response {
    response.headers_mut().insert(header::SERVER, HeaderValue::from_static("uvicorn"));
    response
}

/// `GET` behind the dependency set up as `setup`, requiring `order:read`.
fn reading(setup: Setup) -> MethodRouter<Arc<DemoState>> {
    get(move |State(state): State<Arc<DemoState>>, headers: HeaderMap| async move {
        orders(&state, &headers, setup, "order:read")
    })
}

/// `POST` (creating an order) behind the good dependency, requiring `order:write`.
fn writing() -> MethodRouter<Arc<DemoState>> {
    post(|State(state): State<Arc<DemoState>>, headers: HeaderMap| async move {
        orders(&state, &headers, Setup::Good, "order:write")
    })
}

fn orders(state: &DemoState, headers: &HeaderMap, setup: Setup, scope: &str) -> Response {
    state.count(Kind::Api);
    let token = match http_bearer(headers) {
        Ok(token) => token,
        Err(detail) => return detail_with_challenge(StatusCode::UNAUTHORIZED, detail, "Bearer"),
    };
    let origin = &state.base_url;
    let options = DecodeOptions {
        issuer: if setup == Setup::IssuerTypo { format!("{origin}/odic") } else { state.issuer.clone() },
        audience: if setup == Setup::AudienceUnknown { "https://api.example.com" } else { APP_ID }.to_owned(),
        algorithms: vec!["RS256".to_owned()],
    };
    let jwks = state.jwks();
    let keys = match setup {
        Setup::JwksWithoutOidc => KeySource::Unreachable("HTTP Error 404: Not Found"),
        _ => KeySource::Jwks(&jwks),
    };
    // The dependency turns every PyJWTError into 401 with `str(error)` as the detail.
    let claims = match pyjwt::verify(&token, &options, keys, state.now()) {
        Ok(claims) => claims,
        Err(message) => return detail(StatusCode::UNAUTHORIZED, &message),
    };
    let claim = if setup == Setup::ScopeClaimScp { "scp" } else { "scope" };
    // The Auth0 FastAPI sample's words for an absent claim (403); FastAPI's "OAuth2 scopes"
    // tutorial's for a claim without the scope (401 and a challenge naming it).
    let Some(granted) = claims.get(claim) else {
        return detail(StatusCode::FORBIDDEN, &format!("No claim \"{claim}\" found in token"));
    };
    let granted: Vec<String> = match granted {
        Value::Array(items) => items.iter().map(python_str).collect(),
        other => python_str(other).split_whitespace().map(str::to_owned).collect(),
    };
    if !granted.iter().any(|g| g == scope) {
        return detail_with_challenge(
            StatusCode::UNAUTHORIZED,
            "Not enough permissions",
            &format!("Bearer scope=\"{scope}\""),
        );
    }
    Json(json!({
        "orders": [{ "id": "ord-1001", "item": "coffee beans", "quantity": 2 }],
        "caller": claims.get("sub"),
        "scopes": granted,
    }))
    .into_response()
}

/// `str(value)` for the JSON values a claim can hold (enough to compare scope names).
fn python_str(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// FastAPI's `HTTPBearer()`: the credentials after `Bearer `, or the detail of its 401.
fn http_bearer(headers: &HeaderMap) -> Result<String, &'static str> {
    let value = headers.get(header::AUTHORIZATION).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    // get_authorization_scheme_param: partition on the first space.
    let (scheme, credentials) = match value.as_deref() {
        Some(value) => value.split_once(' ').unwrap_or((value, "")),
        None => ("", ""),
    };
    if scheme.is_empty() || credentials.is_empty() {
        return Err("Not authenticated");
    }
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err("Invalid authentication credentials");
    }
    Ok(credentials.to_owned())
}

/// `HTTPException(status, detail)` as FastAPI renders it.
fn detail(status: StatusCode, detail: &str) -> Response {
    (status, Json(json!({ "detail": detail }))).into_response()
}

fn detail_with_challenge(status: StatusCode, text: &str, challenge: &str) -> Response {
    let mut response = detail(status, text);
    if let Ok(value) = HeaderValue::from_str(challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_bearer_follows_fastapi() {
        let read = |value: &str| {
            let mut headers = HeaderMap::new();
            if let Ok(value) = HeaderValue::from_str(value) {
                headers.insert(header::AUTHORIZATION, value);
            }
            http_bearer(&headers)
        };
        assert_eq!(http_bearer(&HeaderMap::new()), Err("Not authenticated"));
        assert_eq!(read("Bearer"), Err("Not authenticated"));
        assert_eq!(read("Basic abc"), Err("Invalid authentication credentials"));
        assert_eq!(read("bearer a.b.c"), Ok("a.b.c".to_owned()));
    }
}
