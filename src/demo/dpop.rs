//! The demo's DPoP (RFC 9449): the token endpoint's proof check and nonce (bound tokens get
//! `cnf.jkt`), and an API that enforces DPoP: proof signature, `htm`, `htu`, `iat` window,
//! `jti` replay, `ath`, `cnf.jkt`, and its own nonce. `/edge/dpop/orders` is that API behind a
//! proxy that rewrites the path, so a proof made for the outside URL fails its `htu` check.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jsonwebtoken::jwk::{Jwk, ThumbprintHash};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Value, json};

use super::APP_ID;
use super::node_jwt::{self, KeySource, VerifyOptions};
use super::state::{DemoState, Kind};
use crate::core::oauth::dpop::{ath, htu};

/// The proof algorithms the demo accepts (the `algs` of its challenge).
const ALGS: &str = "ES256 ES384 EdDSA RS256 PS256";
/// How far a proof's `iat` may be from the server's now (RFC 9449 §11.1 leaves it to the server).
const IAT_WINDOW_SECS: i64 = 60;
/// The path the API serves, and the one its proxy exposes.
pub(crate) const API_PATH: &str = "/api/dpop/orders";
const EDGE_PATH: &str = "/edge/dpop/orders";

/// Nonces and seen `jti`s. One nonce per server (a real one rotates them).
#[derive(Debug)]
pub(crate) struct DpopState {
    token_nonce: String,
    api_nonce: String,
    seen_jti: Mutex<HashSet<String>>,
}

impl Default for DpopState {
    fn default() -> Self {
        let mut bytes = [0u8; 12];
        let _ = aws_lc_rs::rand::fill(&mut bytes);
        let tag: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        DpopState {
            token_nonce: format!("as-{tag}"),
            api_nonce: format!("rs-{tag}"),
            seen_jti: Mutex::new(HashSet::new()),
        }
    }
}

/// Why a proof was refused: the RFC 9449 error code and a description.
#[derive(Debug)]
pub(crate) struct ProofRefusal {
    pub error: &'static str,
    pub description: String,
}

fn refuse(error: &'static str, description: impl Into<String>) -> ProofRefusal {
    ProofRefusal { error, description: description.into() }
}

/// Checks the `DPoP` header of a request `method` `url` and returns the key's thumbprint.
fn check_proof(
    state: &DemoState,
    headers: &HeaderMap,
    method: &str,
    url: &str,
    nonce: &str,
    access_token: Option<&str>,
) -> Result<String, ProofRefusal> {
    let mut values = headers.get_all("dpop").iter();
    let proof = match (values.next(), values.next()) {
        (Some(value), None) => {
            value.to_str().map_err(|_| refuse("invalid_dpop_proof", "the DPoP header is not ASCII"))?
        }
        (None, _) => return Err(refuse("invalid_dpop_proof", "no DPoP proof")),
        (Some(_), Some(_)) => return Err(refuse("invalid_dpop_proof", "more than one DPoP header")),
    };
    let header =
        jsonwebtoken::decode_header(proof).map_err(|_| refuse("invalid_dpop_proof", "the proof is not a JWT"))?;
    if header.typ.as_deref() != Some("dpop+jwt") {
        return Err(refuse("invalid_dpop_proof", "the proof's typ is not dpop+jwt"));
    }
    if !matches!(
        header.alg,
        Algorithm::ES256 | Algorithm::ES384 | Algorithm::EdDSA | Algorithm::RS256 | Algorithm::PS256
    ) {
        return Err(refuse("invalid_dpop_proof", "the proof's alg is not accepted"));
    }
    let jwk: Jwk = header.jwk.ok_or_else(|| refuse("invalid_dpop_proof", "the proof's header has no jwk"))?;
    let key =
        DecodingKey::from_jwk(&jwk).map_err(|_| refuse("invalid_dpop_proof", "the proof's jwk is not a public key"))?;
    let mut validation = Validation::new(header.alg);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_aud = false;
    let claims = jsonwebtoken::decode::<Value>(proof, &key, &validation)
        .map_err(|_| refuse("invalid_dpop_proof", "the proof's signature does not verify with its jwk"))?
        .claims;
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    if text("htm") != Some(method) {
        return Err(refuse("invalid_dpop_proof", format!("htm does not match the request method {method}")));
    }
    let expected_htu = htu(url).unwrap_or_default();
    if text("htu") != Some(expected_htu.as_str()) {
        return Err(refuse("invalid_dpop_proof", format!("htu does not match the request URL {expected_htu}")));
    }
    let iat = claims.get("iat").and_then(Value::as_i64).ok_or_else(|| refuse("invalid_dpop_proof", "no iat"))?;
    if (iat - state.now()).abs() > IAT_WINDOW_SECS {
        return Err(refuse("invalid_dpop_proof", "iat is outside the accepted window"));
    }
    let jti = text("jti").filter(|j| !j.is_empty()).ok_or_else(|| refuse("invalid_dpop_proof", "no jti"))?;
    if let Some(expected) = access_token.map(ath)
        && text("ath") != Some(expected.as_str())
    {
        return Err(refuse("invalid_dpop_proof", "ath does not match the access token"));
    }
    // The nonce is checked after the signature, so a nonce is only handed to a signer.
    if text("nonce") != Some(nonce) {
        return Err(refuse("use_dpop_nonce", "a DPoP nonce is required in the proof"));
    }
    let fresh = state.dpop.seen_jti.lock().map(|mut seen| seen.insert(jti.to_owned())).unwrap_or(false);
    if !fresh {
        return Err(refuse("invalid_dpop_proof", "the proof's jti was already used"));
    }
    jwk.thumbprint(ThumbprintHash::SHA256)
        .map_err(|_| refuse("invalid_dpop_proof", "the proof's jwk has no thumbprint"))
}

/// The token endpoint's check: `Ok(None)` without a DPoP header (a Bearer token), the
/// thumbprint to bind to, or the answer refusing the proof (400, `DPoP-Nonce` on a demand).
pub(crate) fn token_binding(state: &DemoState, headers: &HeaderMap) -> Result<Option<String>, Box<Response>> {
    if headers.get("dpop").is_none() {
        return Ok(None);
    }
    let url = format!("{}/token", state.issuer);
    match check_proof(state, headers, "POST", &url, &state.dpop.token_nonce, None) {
        Ok(jkt) => Ok(Some(jkt)),
        Err(refusal) => {
            let body = json!({ "error": refusal.error, "error_description": refusal.description });
            let mut response = (StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            if refusal.error == "use_dpop_nonce"
                && let Ok(nonce) = HeaderValue::from_str(&state.dpop.token_nonce)
            {
                headers.insert("dpop-nonce", nonce);
            }
            Err(Box::new(response))
        }
    }
}

pub(crate) fn routes() -> Router<Arc<DemoState>> {
    Router::new()
        .route(API_PATH, get(|state: State<Arc<DemoState>>, headers: HeaderMap| orders(state, headers)))
        // The proxy forwards to the API, which sees (and checks htu against) its own path.
        .route(EDGE_PATH, get(|state: State<Arc<DemoState>>, headers: HeaderMap| orders(state, headers)))
}

/// `GET /api/dpop/orders`: DPoP-bound tokens only (RFC 9449 §7).
async fn orders(State(state): State<Arc<DemoState>>, headers: HeaderMap) -> Response {
    state.count(Kind::Api);
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let (scheme, token) = authorization.split_once(' ').unwrap_or((authorization, ""));
    if !scheme.eq_ignore_ascii_case("dpop") || token.is_empty() {
        // A Bearer token (or none) at a DPoP API: the challenge names the scheme wanted.
        let error = if token.is_empty() { None } else { Some("invalid_token") };
        return challenge(&state, error, "DPoP-bound access token required", false);
    }
    let options = VerifyOptions {
        issuer: state.issuer.clone(),
        audiences: vec![APP_ID.to_owned()],
        algorithms: vec!["RS256".to_owned(), "ES256".to_owned()],
        clock_tolerance: 0,
    };
    let jwks = state.jwks();
    let claims = match node_jwt::verify(token, &options, KeySource::Jwks(&jwks), state.now()) {
        Ok(claims) => claims,
        Err(_) => return challenge(&state, Some("invalid_token"), "the access token is not valid", false),
    };
    let url = format!("{}{API_PATH}", state.base_url);
    let jkt = match check_proof(&state, &headers, "GET", &url, &state.dpop.api_nonce, Some(token)) {
        Ok(jkt) => jkt,
        Err(refusal) => {
            let nonce = refusal.error == "use_dpop_nonce";
            return challenge(&state, Some(refusal.error), &refusal.description, nonce);
        }
    };
    let bound = claims.get("cnf").and_then(|c| c.get("jkt")).and_then(Value::as_str);
    if bound != Some(jkt.as_str()) {
        return challenge(&state, Some("invalid_token"), "the token is not bound to the proof's key (cnf.jkt)", false);
    }
    axum::Json(json!({
        "orders": [{ "id": "ord-2001", "item": "sender-constrained beans", "quantity": 1 }],
        "caller": claims.get("sub"),
        "jkt": jkt,
    }))
    .into_response()
}

/// 401 with `WWW-Authenticate: DPoP algs=…[, error=…, error_description=…]`, and the API's
/// nonce when it demands one.
fn challenge(state: &DemoState, error: Option<&str>, description: &str, with_nonce: bool) -> Response {
    let mut value = format!("DPoP algs=\"{ALGS}\"");
    if let Some(error) = error {
        value.push_str(&format!(", error=\"{error}\", error_description=\"{description}\""));
    }
    let body = json!({ "error": error.unwrap_or("unauthorized"), "error_description": description });
    let mut response = (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&value) {
        headers.insert(header::WWW_AUTHENTICATE, value);
    }
    if with_nonce && let Ok(nonce) = HeaderValue::from_str(&state.dpop.api_nonce) {
        headers.insert("dpop-nonce", nonce);
    }
    response
}
