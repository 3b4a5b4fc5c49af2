//! What a call's DPoP came to, for reports and diagnosis: the proof key's public facts and each proof sent, decoded, with the server's answer to it.

use serde::Serialize;

use crate::core::oauth::dpop::{DpopKey, ProofView};

/// What the report says about DPoP: `dpop` in `call --json` and `token --json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DpopReport {
    /// The proof key: alg, RFC 7638 thumbprint, where it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<DpopKeyInfo>,
    /// Why tokdbg could make no proof (an unusable key, a URL that cannot be an htu).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The proofs sent to the token endpoint, in order (two when a nonce was demanded).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub token_request: Vec<ProofAttempt>,
    /// The proofs sent to the API, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub api_call: Vec<ProofAttempt>,
    /// The token response's `token_type` (`DPoP` for a bound token).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
}

/// The proof key, public facts only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DpopKeyInfo {
    pub alg: String,
    /// What a token bound to this key carries as `cnf.jkt`.
    pub jkt: String,
    /// `generated` (a fresh key for this run) or `private_key` (dpop.private_key).
    pub source: &'static str,
}

/// One proof sent, and what the server said to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProofAttempt {
    /// The proof decoded: header (typ, alg, jwk) and claims; its signature is never shown.
    pub proof: ProofView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The server asked for a nonce (`use_dpop_nonce`) and sent this one (`DPoP-Nonce`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce_demanded: Option<String>,
}

impl DpopKeyInfo {
    pub fn of(key: &DpopKey) -> DpopKeyInfo {
        DpopKeyInfo {
            alg: key.alg().to_owned(),
            jkt: key.thumbprint().to_owned(),
            source: if key.generated() { "generated" } else { "private_key" },
        }
    }
}
