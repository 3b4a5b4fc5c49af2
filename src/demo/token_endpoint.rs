//! `POST /oidc/token`: the client_credentials grant with RFC 6749 §5.2 error answers.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jsonwebtoken::Algorithm;
use serde_json::{Map, Value, json};

use super::APP_ID;
use super::client_assertion;
use super::client_auth::{self, AuthError, Method};
use super::clients::{self, AuthMethods, Client, ScopeClaim, ScopePolicy, Signing};
use super::keys::{sign_hmac_token, sign_token};
use super::mtls_auth::{self, PeerInfo};
use super::state::{DemoState, Kind};
use super::tls_listener::Peer;

/// The audiences (and RFC 8707 resources) this issuer knows.
pub(crate) const KNOWN_AUDIENCES: &[&str] = &[APP_ID, "https://api.demo.local/orders"];

/// One RFC 6749 §5.2 error answer.
pub(crate) struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
    /// Basic was used: a 401 must then carry `WWW-Authenticate` (RFC 6749 §5.2).
    basic: bool,
}

impl OAuthError {
    fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        OAuthError { status, error, description: description.into(), basic: false }
    }

    pub(crate) fn bad_request(error: &'static str, description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error, description)
    }

    fn invalid_client(description: impl Into<String>, method: Method) -> Self {
        OAuthError {
            basic: method == Method::Basic,
            ..Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description)
        }
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = json!({ "error": self.error, "error_description": self.description });
        let mut response = (self.status, no_store(), axum::Json(body)).into_response();
        if self.basic && self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"demo\""));
        }
        response
    }
}

/// Token responses must not be cached (RFC 6749 §5.1).
fn no_store() -> [(header::HeaderName, &'static str); 2] {
    [(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")]
}

/// The handler: every failure becomes an [`OAuthError`].
pub(crate) async fn token(
    State(state): State<Arc<DemoState>>,
    PeerInfo(peer): PeerInfo,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    state.count(Kind::Token);
    // A DPoP proof is checked first: its nonce demand comes before any other answer.
    let binding = match super::dpop::token_binding(&state, &headers) {
        Ok(binding) => binding,
        Err(refusal) => return *refusal,
    };
    match issue(&state, &peer, &headers, &body, binding.as_deref()) {
        Ok(success) => (StatusCode::OK, no_store(), axum::Json(success)).into_response(),
        Err(error) => error.into_response(),
    }
}

/// Checks in the order most servers use: body, client authentication, grant, target, scope.
fn issue(
    state: &DemoState,
    peer: &Peer,
    headers: &HeaderMap,
    body: &[u8],
    dpop_jkt: Option<&str>,
) -> Result<Value, OAuthError> {
    let form = parse_form(headers, body)?;
    let client = match mtls_auth::authenticate(headers, &form, peer, state.now()) {
        Some(Ok(id)) => {
            clients::find(id).ok_or_else(|| OAuthError::invalid_client("client authentication failed", Method::Post))?
        }
        Some(Err(description)) => return Err(OAuthError::invalid_client(description, Method::Post)),
        None => authenticate(state, headers, &form)?,
    };

    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {}
        Some(other) => {
            return Err(OAuthError::bad_request(
                "unsupported_grant_type",
                format!("unsupported grant_type requested ({other})"),
            ));
        }
        None => {
            return Err(OAuthError::bad_request("unsupported_grant_type", "missing required parameter 'grant_type'"));
        }
    }
    if !client.grant_enabled {
        return Err(OAuthError::bad_request(
            "unauthorized_client",
            "the client_credentials grant is not enabled for this client",
        ));
    }

    let audience = target(state, &form)?;
    let audience = audience.as_str();
    let (granted, rejected) = grant_scopes(client, form.get("scope"))?;
    let opaque = client.signing == Signing::Opaque;
    let access_token = if opaque {
        state.opaque.issue(client, audience, &granted, state.now() - client.clock_behind_secs)
    } else {
        mint(state, client, audience, &granted, dpop_jkt, peer)
    };

    let mut answer = Map::new();
    answer.insert("access_token".into(), json!(access_token));
    answer.insert("token_type".into(), json!(if dpop_jkt.is_some() { "DPoP" } else { "Bearer" }));
    answer.insert("expires_in".into(), json!(client.lifetime_secs));
    // A reference token's answer leaves `scope` out, as RFC 6749 §5.1 allows when it is the
    // scope requested: only introspection then tells what the token grants.
    if !opaque {
        answer.insert("scope".into(), json!(granted.join(" ")));
    }
    if !rejected.is_empty() {
        answer.insert("rejected_scope".into(), json!(rejected.join(" ")));
    }
    Ok(Value::Object(answer))
}

/// Parses the form body; a parameter given twice is an error (RFC 6749 §3.2), an empty
/// one counts as omitted.
pub(crate) fn parse_form(headers: &HeaderMap, body: &[u8]) -> Result<BTreeMap<String, String>, OAuthError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Err(OAuthError::bad_request(
            "invalid_request",
            "the token request body must be application/x-www-form-urlencoded",
        ));
    }
    if std::str::from_utf8(body).is_err() {
        return Err(OAuthError::bad_request("invalid_request", "the request body is not UTF-8"));
    }
    let mut form = BTreeMap::new();
    for (name, value) in url::form_urlencoded::parse(body) {
        if value.is_empty() {
            continue;
        }
        if form.insert(name.to_string(), value.into_owned()).is_some() {
            return Err(OAuthError::bad_request(
                "invalid_request",
                format!("'{name}' parameter must not be provided twice"),
            ));
        }
    }
    Ok(form)
}

/// Finds the client and checks its method and secret.
pub(crate) fn authenticate(
    state: &DemoState,
    headers: &HeaderMap,
    form: &BTreeMap<String, String>,
) -> Result<&'static Client, OAuthError> {
    if client_assertion::present(form) {
        return client_assertion::authenticate(state, form).map_err(|refusal| {
            if refusal.invalid_request {
                OAuthError::bad_request("invalid_request", refusal.description)
            } else {
                OAuthError::invalid_client(refusal.description, Method::Post)
            }
        });
    }
    let credentials = client_auth::credentials(headers, form).map_err(|error| match error {
        AuthError::Malformed { description, basic } => {
            OAuthError { basic, ..OAuthError::bad_request("invalid_request", description) }
        }
        AuthError::Missing { description } => OAuthError::invalid_client(description, Method::Post),
    })?;
    let method = credentials.method;
    // One message for an unknown id and a wrong secret, so ids cannot be probed.
    let failed = || OAuthError::invalid_client("client authentication failed (unknown client or wrong secret)", method);
    let client = clients::find(&credentials.id).ok_or_else(failed)?;
    if matches!(client.auth_methods, AuthMethods::SecretJwt | AuthMethods::PrivateKeyJwt) {
        let wanted =
            if client.auth_methods == AuthMethods::SecretJwt { "client_secret_jwt" } else { "private_key_jwt" };
        return Err(OAuthError::invalid_client(
            format!("this client must authenticate with {wanted} (a signed client_assertion), not {}", method.name()),
            method,
        ));
    }
    if client.auth_methods == AuthMethods::BasicOnly && method != Method::Basic {
        return Err(OAuthError::invalid_client(
            format!("this client must authenticate with client_secret_basic (HTTP Basic), not {}", method.name()),
            method,
        ));
    }
    if !client.secret_matches(&credentials.secret) {
        return Err(failed());
    }
    if mtls_auth::registration(client.id).is_some() {
        // Its row holds no secret: only its certificate authenticates it.
        return Err(OAuthError::invalid_client(
            format!("{} authenticates with its client certificate (mTLS), not a secret", client.id),
            method,
        ));
    }
    Ok(client)
}

/// The token's `aud`: the requested audience/resource if known, else the app id. The
/// RFC 9728 API's resource identifier is its own URL on this server.
fn target(state: &DemoState, form: &BTreeMap<String, String>) -> Result<String, OAuthError> {
    let mut chosen = APP_ID.to_owned();
    let own = super::resource_metadata::resource_identifier(state);
    for name in ["resource", "audience"] {
        if let Some(requested) = form.get(name) {
            if !KNOWN_AUDIENCES.contains(&requested.as_str()) && *requested != own {
                return Err(OAuthError::bad_request(
                    "invalid_target",
                    format!("{name} '{requested}' is not a known API of this issuer"),
                ));
            }
            chosen = requested.clone();
        }
    }
    Ok(chosen)
}

/// Granted and rejected scopes; nothing requested means everything allowed.
fn grant_scopes(client: &Client, requested: Option<&String>) -> Result<(Vec<&'static str>, Vec<String>), OAuthError> {
    let mut wanted: Vec<&str> = Vec::new();
    for scope in requested.map(|s| s.split(' ')).into_iter().flatten() {
        if !scope.is_empty() && !wanted.contains(&scope) {
            wanted.push(scope);
        }
    }
    if wanted.is_empty() {
        return Ok((client.allowed_scopes.to_vec(), Vec::new()));
    }
    let (mut granted, mut rejected) = (Vec::new(), Vec::new());
    for scope in wanted {
        match client.allowed_scopes.iter().find(|allowed| **allowed == scope) {
            Some(allowed) => granted.push(*allowed),
            None => rejected.push(scope.to_owned()),
        }
    }
    if client.scope_policy == ScopePolicy::Reject && !rejected.is_empty() {
        return Err(OAuthError::bad_request(
            "invalid_scope",
            format!("requested scope is not allowed for this client: {}", rejected.join(" ")),
        ));
    }
    Ok((granted, rejected))
}

/// Builds and signs the access token.
fn mint(
    state: &DemoState,
    client: &Client,
    audience: &str,
    scopes: &[&str],
    dpop_jkt: Option<&str>,
    peer: &Peer,
) -> String {
    // A skewed issuer stamps times from its own (late) clock.
    let iat = state.now() - client.clock_behind_secs;
    let mut claims = Map::new();
    claims.insert("iss".into(), json!(state.issuer_for(peer.tls)));
    claims.insert("sub".into(), json!(client.id));
    claims.insert("aud".into(), json!(audience));
    claims.insert("azp".into(), json!(client.id));
    claims.insert("client_id".into(), json!(client.id));
    match client.scope_claim {
        ScopeClaim::Scope => claims.insert("scope".into(), json!(scopes.join(" "))),
        ScopeClaim::ScpArray => claims.insert("scp".into(), json!(scopes)),
    };
    claims.insert("iat".into(), json!(iat));
    claims.insert("exp".into(), json!(iat + client.lifetime_secs));
    claims.insert("jti".into(), json!(state.next_jti()));
    if let Some(jkt) = dpop_jkt {
        // RFC 9449 §6.1: the token is bound to the proof's key.
        claims.insert("cnf".into(), json!({ "jkt": jkt }));
    }
    // An mTLS client's tokens are bound to the certificate it authenticated with (RFC 8705 §3).
    if let (Some(_), Some(certificate)) = (mtls_auth::registration(client.id), &peer.certificate) {
        claims.insert("cnf".into(), json!({ "x5t#S256": mtls_auth::thumbprint(certificate) }));
    }
    let claims = Value::Object(claims);

    match (client.signing, client.signing_key(state.rotated())) {
        (Signing::Hs256WithSecret | Signing::Opaque, _) | (_, None) => {
            sign_hmac_token(&claims, Algorithm::HS256, client.secret.as_bytes())
        }
        (Signing::Es256, Some(key)) => sign_token(&claims, Algorithm::ES256, key, Some(key.kid())),
        (Signing::Rs256, Some(key)) => sign_token(&claims, Algorithm::RS256, key, Some(key.kid())),
    }
}
