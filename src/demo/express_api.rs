//! The protected Express API: express-jwt + jwks-rsa + express-jwt-authz, answering as
//! that middleware does, plus the misconfigured variants the quick start leads to.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::APP_ID;
use super::node_jwt::{self, KeySource, Rejection, VerifyOptions};
use super::state::{DemoState, Kind};

/// How one route's middleware is (mis)configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Setup {
    /// issuer, audience = APP_ID, RS256 + ES256, keys from the real JWKS.
    Good,
    /// issuer `{base}/odic`: the quick start's transposed letters.
    IssuerTypo,
    /// audience = the AK `demo-reader` instead of the app id.
    AudienceIsAk,
    /// express-jwt 7+ writes `req.auth`, this old express-jwt-authz reads `req.user`.
    ScopeReadsReqUser,
    /// jwksUri without `/oidc`: the key fetch answers 404.
    JwksWithoutOidc,
    /// express-jwt-authz told `customScopeKey: 'scp'` while the issuer writes `scope`.
    ScopeKeyScp,
}

pub(crate) fn routes() -> Router<Arc<DemoState>> {
    Router::new()
        .route("/api/public", get(public))
        .route("/api/protected", read_route(Setup::Good))
        .route("/api/orders", post(create_order))
        .route("/api/misconfigured/issuer", read_route(Setup::IssuerTypo))
        .route("/api/misconfigured/audience", read_route(Setup::AudienceIsAk))
        .route("/api/misconfigured/scope-key", read_route(Setup::ScopeReadsReqUser))
        .route("/api/misconfigured/jwks", read_route(Setup::JwksWithoutOidc))
        .route("/api/misconfigured/scp", read_route(Setup::ScopeKeyScp))
        // Express stamps every answer, denials and successes alike.
        .layer(axum::middleware::map_response(powered_by_express))
}

/// Express's default `X-Powered-By` header, and its `charset=utf-8` on JSON (`res.json`).
async fn powered_by_express(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert("x-powered-by", HeaderValue::from_static("Express"));
    if headers.get(header::CONTENT_TYPE).is_some_and(|value| value == "application/json") {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    }
    response
}

/// `GET` serving the orders behind middleware set up as `setup`.
fn read_route(setup: Setup) -> MethodRouter<Arc<DemoState>> {
    get(move |state: State<Arc<DemoState>>, headers: HeaderMap| read_orders(state, headers, setup))
}

async fn public(State(state): State<Arc<DemoState>>) -> Response {
    state.count(Kind::Api);
    Json(json!({ "message": "public endpoint: no token needed" })).into_response()
}

async fn read_orders(State(state): State<Arc<DemoState>>, headers: HeaderMap, setup: Setup) -> Response {
    state.count(Kind::Api);
    let auth = match check_jwt(&state, &headers, setup) {
        Ok(auth) => auth,
        Err(denial) => return denial.into_response(),
    };
    // With the old authz the scopes are looked for where express-jwt did not put them.
    let scope_source = if setup == Setup::ScopeReadsReqUser { None } else { Some(&auth) };
    let scope_key = if setup == Setup::ScopeKeyScp { "scp" } else { "scope" };
    if let Err(denial) = check_scopes(scope_source, scope_key, &["order:read"]) {
        return denial.into_response();
    }
    Json(json!({
        "orders": [
            { "id": "ord-1001", "item": "coffee beans", "quantity": 2 },
            { "id": "ord-1002", "item": "green tea", "quantity": 1 },
        ],
        "caller": auth.get("sub"),
        "scopes": granted_scopes(&auth),
    }))
    .into_response()
}

async fn create_order(State(state): State<Arc<DemoState>>, headers: HeaderMap, body: Bytes) -> Response {
    state.count(Kind::Api);
    let auth = match check_jwt(&state, &headers, Setup::Good) {
        Ok(auth) => auth,
        Err(denial) => return denial.into_response(),
    };
    if let Err(denial) = check_scopes(Some(&auth), "scope", &["order:write"]) {
        return denial.into_response();
    }
    // Echo a JSON body if one came; anything else is simply not echoed.
    let request = serde_json::from_slice::<Value>(&body).unwrap_or(Value::Null);
    let order = json!({ "id": "ord-1003", "status": "created", "request": request });
    (StatusCode::CREATED, Json(json!({ "order": order, "caller": auth.get("sub") }))).into_response()
}

/// How the middleware stack turned a request away.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Denial {
    /// express-jwt's `UnauthorizedError`, rendered by the usual app error handler.
    Unauthorized { code: &'static str, message: String },
    /// An error without a status that no app handler knows: Express's default 500.
    Unhandled { stack: String },
    /// express-jwt-authz's 403; holds the required scopes, space-joined.
    InsufficientScope { required: String },
}

impl IntoResponse for Denial {
    fn into_response(self) -> Response {
        match self {
            Denial::Unauthorized { code, message } => unauthorized(code, &message),
            Denial::Unhandled { stack } => express_default_error(&stack),
            Denial::InsufficientScope { required } => insufficient_scope(&required),
        }
    }
}

/// express-jwt: token extraction, then [`node_jwt::verify`].
fn check_jwt(state: &DemoState, headers: &HeaderMap, setup: Setup) -> Result<Value, Denial> {
    let token = bearer_token(headers).map_err(|(code, message)| Denial::Unauthorized { code, message })?;
    let issuer = match setup {
        Setup::IssuerTypo => format!("{}/odic", state.base_url),
        _ => state.issuer.clone(),
    };
    let audience = if setup == Setup::AudienceIsAk { "demo-reader" } else { APP_ID };
    let options = VerifyOptions {
        issuer,
        audiences: vec![audience.to_owned()],
        algorithms: vec!["RS256".to_owned(), "ES256".to_owned()],
        clock_tolerance: 0,
    };
    let jwks = state.jwks();
    let keys = match setup {
        Setup::JwksWithoutOidc => KeySource::Unreachable("Not Found"),
        _ => KeySource::Jwks(&jwks),
    };
    match node_jwt::verify(&token, &options, keys, state.now()) {
        Ok(payload) => Ok(payload),
        Err(Rejection::InvalidToken(message)) => Err(Denial::Unauthorized { code: "invalid_token", message }),
        Err(Rejection::KeyProvider(message)) => Err(Denial::Unhandled { stack: format!("JwksError: {message}") }),
    }
}

/// express-jwt's token extraction: `(code, message)` on failure.
fn bearer_token(headers: &HeaderMap) -> Result<String, (&'static str, String)> {
    const FORMAT: &str = "Format is Authorization: Bearer [token]";
    let value = headers
        .get(header::AUTHORIZATION)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .unwrap_or_default();
    // An empty header is falsy in JS: the same as none at all.
    if !value.is_empty() {
        let parts: Vec<&str> = value.split(' ').collect();
        let [scheme, credentials] = parts[..] else {
            return Err(("credentials_bad_format", FORMAT.to_owned()));
        };
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(("credentials_bad_scheme", FORMAT.to_owned()));
        }
        if !credentials.is_empty() {
            return Ok(credentials.to_owned());
        }
    }
    Err(("credentials_required", "No authorization token was found".to_owned()))
}

/// The usual app error handler: `res.status(401).json({ error: err.code, message })`.
/// express-jwt sets no `WWW-Authenticate`.
fn unauthorized(code: &'static str, message: &str) -> Response {
    (StatusCode::UNAUTHORIZED, Json(json!({ "error": code, "message": message }))).into_response()
}

/// Express's final handler for an error the app does not handle: 500 and an HTML page.
fn express_default_error(stack: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n\
         </head>\n<body>\n<pre>{stack}</pre>\n</body>\n</html>\n"
    );
    let mut response = (StatusCode::INTERNAL_SERVER_ERROR, page).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// express-jwt-authz (any-of, claim `scope_key`): 403 `Insufficient scope` on failure.
fn check_scopes(user: Option<&Value>, scope_key: &str, required: &[&str]) -> Result<(), Denial> {
    if required.is_empty() {
        return Ok(());
    }
    let granted: Option<Vec<&str>> = match user.and_then(|user| user.get(scope_key)) {
        // An empty string is falsy: the same as no scope at all.
        Some(Value::String(text)) if !text.is_empty() => Some(text.split(' ').collect()),
        Some(Value::Array(items)) => Some(items.iter().filter_map(Value::as_str).collect()),
        _ => None,
    };
    let allowed = granted.is_some_and(|granted| required.iter().any(|scope| granted.contains(scope)));
    if allowed {
        return Ok(());
    }
    Err(Denial::InsufficientScope { required: required.join(" ") })
}

/// express-jwt-authz's answer: 403, a non-RFC challenge, and the text as the body.
fn insufficient_scope(required: &str) -> Response {
    let challenge = format!("Bearer scope=\"{required}\", error=\"Insufficient scope\"");
    let mut response = (StatusCode::FORBIDDEN, "Insufficient scope").into_response();
    let headers = response.headers_mut();
    // Express's res.send(string) labels text as HTML.
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        headers.insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// The scopes to echo on success: `scope` as a string or array.
fn granted_scopes(auth: &Value) -> Vec<String> {
    match auth.get("scope") {
        Some(Value::String(text)) => text.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_auth(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(header::AUTHORIZATION, value);
        }
        headers
    }

    #[test]
    fn token_extraction_follows_express_jwt() {
        let code = |value: &str| bearer_token(&with_auth(value)).map_err(|(code, _)| code);
        assert_eq!(bearer_token(&HeaderMap::new()).map_err(|e| e.0), Err("credentials_required"));
        assert_eq!(code("Basic abc"), Err("credentials_bad_scheme"));
        // The part count is checked before the scheme.
        assert_eq!(code("Basic a b"), Err("credentials_bad_format"));
        assert_eq!(code("Bearer"), Err("credentials_bad_format"));
        assert_eq!(code("Bearer  abc"), Err("credentials_bad_format"));
        assert_eq!(code("Bearer "), Err("credentials_required"));
        assert_eq!(code("bEaReR abc"), Ok("abc".to_owned()));
    }

    #[test]
    fn authz_is_any_of_and_reads_scope() {
        let user = json!({ "scope": "a b" });
        assert!(check_scopes(Some(&user), "scope", &["b", "z"]).is_ok());
        assert!(check_scopes(Some(&user), "scope", &["z"]).is_err());
        assert!(check_scopes(Some(&json!({ "scope": ["z"] })), "scope", &["z"]).is_ok());
        assert!(check_scopes(Some(&json!({ "scp": ["z"] })), "scope", &["z"]).is_err());
        assert!(check_scopes(Some(&json!({ "scp": ["z"] })), "scp", &["z"]).is_ok());
        assert!(check_scopes(Some(&user), "scp", &["a"]).is_err());
        assert!(check_scopes(None, "scope", &["z"]).is_err());
        assert!(check_scopes(None, "scope", &[]).is_ok());
    }
}
