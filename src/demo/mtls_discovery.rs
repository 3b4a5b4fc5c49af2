//! What the demo's discovery document says about mTLS (RFC 8705 §2.3, §3.3, §5): the two
//! certificate methods, certificate-bound tokens, and the https aliases of its endpoints.

use serde_json::{Value, json};

/// Adds the mTLS members to `document`; `tls_issuer` is the issuer over https (same port).
pub(crate) fn add_mtls_metadata(document: &mut Value, tls_issuer: &str) {
    if let Some(methods) = document.get_mut("token_endpoint_auth_methods_supported").and_then(Value::as_array_mut) {
        for method in ["tls_client_auth", "self_signed_tls_client_auth"] {
            if !methods.iter().any(|m| m == method) {
                methods.push(json!(method));
            }
        }
    }
    let Some(members) = document.as_object_mut() else { return };
    members.insert("tls_client_certificate_bound_access_tokens".into(), json!(true));
    members.insert("mtls_endpoint_aliases".into(), json!({ "token_endpoint": format!("{tls_issuer}/token") }));
}
