//! The issuer's metadata: the OpenID discovery document and the JWKS, both under `/oidc`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::mtls_auth::PeerInfo;
use super::state::{DemoState, Kind};

/// `GET /oidc/.well-known/openid-configuration`
pub(crate) async fn openid_configuration(State(state): State<Arc<DemoState>>, PeerInfo(peer): PeerInfo) -> Response {
    state.count(Kind::Discovery);
    let issuer = state.issuer_for(peer.tls);
    let mut document = json!({
        "issuer": issuer,
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "introspection_endpoint": format!("{issuer}/token/introspection"),
        "revocation_endpoint": format!("{issuer}/token/revocation"),
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": super::client_assertion::ACCEPTED_ALGS,
        "id_token_signing_alg_values_supported": ["RS256", "ES256", "HS256"],
        "scopes_supported": ["openid", "order:read", "order:write"],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
    });
    super::mtls_discovery::add_mtls_metadata(&mut document, &state.tls_issuer);
    Json(document).into_response()
}

/// `GET /oidc/.well-known/jwks.json`
pub(crate) async fn jwks(State(state): State<Arc<DemoState>>) -> Response {
    state.count(Kind::Jwks);
    // Short cache life so clients notice a rotation, as real issuers advertise.
    ([(header::CACHE_CONTROL, "public, max-age=60")], Json(state.jwks())).into_response()
}
