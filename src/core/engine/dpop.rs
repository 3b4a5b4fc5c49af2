//! DPoP in the engine (RFC 9449): the run's proof key per profile, a proof on the token
//! request and on the API call, the one `use_dpop_nonce` retry of each (§8, §9), and what the
//! report shows of them (each proof decoded, never signed form).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::core::model::profile::{DpopConfig, NoPrompt, Profile};
use crate::core::model::secret_source::SecretShape;
use crate::core::oauth::dpop::{self, DpopKey, Proof, ProofClaims};
pub use crate::core::oauth::dpop_report::{DpopKeyInfo, DpopReport, ProofAttempt};
use crate::core::probe::ProbeResponse;
use crate::core::probe::dpop_challenge::{DpopChallenge, dpop_challenge};

/// The run's proof keys, one per `[dpop]` setting: a generated key lives as long as the
/// engine, so a token bound to it stays usable by the next call.
#[derive(Default)]
pub(crate) struct DpopKeys {
    keys: Mutex<HashMap<String, Arc<DpopKey>>>,
}

impl DpopKeys {
    /// The key of `config`: read from `private_key` (a file, env or command; never a prompt,
    /// which the engine cannot show) or generated once per run.
    pub(crate) async fn key(&self, config: &DpopConfig) -> Result<Arc<DpopKey>, String> {
        let name = format!(
            "{}|{}",
            config.alg,
            config.private_key.as_ref().map(|source| source.describe()).unwrap_or_default()
        );
        if let Some(key) = self.keys.lock().ok().and_then(|keys| keys.get(&name).cloned()) {
            return Ok(key);
        }
        let key = match &config.private_key {
            Some(source) => {
                let read = source
                    .resolve_async_shaped("dpop.private_key", &NoPrompt, SecretShape::Document)
                    .await
                    .map_err(|e| format!("dpop.private_key could not be read: {e}"))?;
                DpopKey::from_document(&config.alg, read.secret.expose())
            }
            None => DpopKey::generate(&config.alg),
        }
        .map_err(|e| e.to_string())?;
        let key = Arc::new(key);
        if let Ok(mut keys) = self.keys.lock() {
            keys.insert(name, Arc::clone(&key));
        }
        Ok(key)
    }
}

/// A proof for `method` `url` at `now`, with the server's nonce and the token's `ath` when given.
pub(crate) fn proof_for(
    key: &DpopKey,
    method: &str,
    url: &str,
    now: i64,
    nonce: Option<&str>,
    access_token: Option<&str>,
) -> Result<Proof, String> {
    let htu = dpop::htu(url).map_err(|e| e.to_string())?;
    let mut claims = ProofClaims::new(method, &htu, now);
    claims.nonce = nonce.map(str::to_owned);
    claims.ath = access_token.map(dpop::ath);
    key.sign(claims).map_err(|e| e.to_string())
}

/// The API's demand for a nonce (401, `DPoP error="use_dpop_nonce"`, `DPoP-Nonce`): the nonce.
pub(crate) fn api_nonce_demand(response: &ProbeResponse) -> Option<String> {
    if response.status != 401 {
        return None;
    }
    let challenge: DpopChallenge = dpop_challenge(&response.www_authenticate)?;
    if challenge.error.as_deref() != Some("use_dpop_nonce") {
        return None;
    }
    nonce_header(&response.headers)
}

/// The `DPoP-Nonce` header's value, if the answer has one.
pub(crate) fn nonce_header(headers: &[(String, String)]) -> Option<String> {
    headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("dpop-nonce"))
        .map(|(_, value)| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// Whether the profile asks for DPoP.
pub(crate) fn wanted(profile: &Profile) -> Option<&DpopConfig> {
    profile.dpop.as_ref()
}
