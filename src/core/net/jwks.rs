//! JWKS: fetching, parsing key by key, caching per URI, and choosing the key for a token.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, DecodingKey};
use serde::Serialize;
use serde_json::Value;

use crate::core::net::http::{Http, HttpError, excerpt};
use crate::core::net::transport::TlsNeeds;

/// A refetch on an unknown `kid` happens at most this often per JWKS URI.
pub const MISS_REFETCH_INTERVAL: Duration = Duration::from_secs(30);
/// A cached key set is trusted this long before it is fetched again.
pub const CACHE_TTL: Duration = Duration::from_secs(600);

/// One key of a set, as published, and whether it can be used.
#[derive(Debug, Clone, Serialize)]
pub struct KeyEntry {
    pub kid: Option<String>,
    pub kty: String,
    pub alg: Option<String>,
    #[serde(rename = "use")]
    pub key_use: Option<String>,
    pub crv: Option<String>,
    /// Why the key cannot be used, if it cannot.
    pub problem: Option<String>,
    #[serde(skip)]
    pub key: Option<DecodingKey>,
}

impl KeyEntry {
    /// Says why this key must not verify a token signed with `alg`, or `None` if it may.
    pub fn unfit_for(&self, alg: Algorithm) -> Option<String> {
        if let Some(problem) = &self.problem {
            return Some(problem.clone());
        }
        if self.key_use.as_deref().is_some_and(|u| u != "sig") {
            return Some(format!("key is for use \"{}\", not signatures", self.key_use.as_deref().unwrap_or_default()));
        }
        if let Some(key_alg) = &self.alg
            && *key_alg != alg_name(alg)
        {
            return Some(format!("key is published for {key_alg}, the token says {}", alg_name(alg)));
        }
        let (kty, crv): (&str, Option<&str>) = match alg {
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512 => ("RSA", None),
            Algorithm::ES256 => ("EC", Some("P-256")),
            Algorithm::ES384 => ("EC", Some("P-384")),
            Algorithm::EdDSA => ("OKP", Some("Ed25519")),
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => ("oct", None),
            _ => return Some(format!("{} is not supported", alg_name(alg))),
        };
        if self.kty != kty {
            return Some(format!("key type {} cannot verify {} (needs {kty})", self.kty, alg_name(alg)));
        }
        if let Some(crv) = crv
            && self.crv.as_deref() != Some(crv)
        {
            return Some(format!(
                "curve {} cannot verify {} (needs {crv})",
                self.crv.as_deref().unwrap_or("(none)"),
                alg_name(alg)
            ));
        }
        None
    }
}

/// The algorithm's name as JOSE writes it (jsonwebtoken's `Debug` names match JOSE's).
pub fn alg_name(alg: Algorithm) -> String {
    format!("{alg:?}")
}

#[derive(Debug, Clone, Serialize)]
pub struct KeySet {
    pub uri: String,
    pub keys: Vec<KeyEntry>,
}

impl KeySet {
    pub fn kids(&self) -> Vec<String> {
        self.keys.iter().map(|k| k.kid.clone().unwrap_or_else(|| "(no kid)".to_owned())).collect()
    }
}

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum JwksError {
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("the JWKS at {url} answered HTTP {status}: {body}")]
    Status { url: String, status: u16, body: String },
    #[error("the JWKS at {url} is not JSON (content-type \"{content_type}\"): {body}")]
    NotJson { url: String, content_type: String, body: String },
    #[error("the JSON at {url} is not a JWK set: {detail}")]
    NotAKeySet { url: String, detail: String },
}

/// Parses a JWK set document; keys that cannot be used are kept with their problem.
pub fn parse_key_set(uri: &str, body: &[u8]) -> Result<KeySet, (String, String)> {
    let value: Value = serde_json::from_slice(body).map_err(|e| ("json".to_owned(), e.to_string()))?;
    let keys = match value.get("keys") {
        Some(Value::Array(keys)) => keys,
        Some(_) => return Err(("set".to_owned(), "\"keys\" is not an array".to_owned())),
        None if value.get("kty").is_some() => {
            return Err(("set".to_owned(), "this is a single JWK, not a set ({\"keys\": [...]})".to_owned()));
        }
        None => return Err(("set".to_owned(), "no \"keys\" member".to_owned())),
    };
    Ok(KeySet { uri: uri.to_owned(), keys: keys.iter().map(parse_key).collect() })
}

fn parse_key(value: &Value) -> KeyEntry {
    let text = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_owned);
    let mut entry = KeyEntry {
        kid: value.get("kid").map(|k| match k {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }),
        kty: text("kty").unwrap_or_else(|| "(missing)".to_owned()),
        alg: text("alg"),
        key_use: text("use"),
        crv: text("crv"),
        problem: None,
        key: None,
    };
    if !value.is_object() {
        entry.problem = Some("not a JSON object".to_owned());
        return entry;
    }
    match entry.kty.as_str() {
        "RSA" | "EC" | "OKP" | "oct" => {}
        other => {
            entry.problem = Some(format!("unsupported key type \"{other}\""));
            return entry;
        }
    }
    if let Err(missing) = check_members(&entry.kty, value) {
        entry.problem = Some(missing);
        return entry;
    }
    match serde_json::from_value::<jsonwebtoken::jwk::Jwk>(value.clone()) {
        Ok(jwk) => match rsa_key(value).unwrap_or_else(|| DecodingKey::from_jwk(&jwk)) {
            Ok(key) => entry.key = Some(key),
            Err(e) => entry.problem = Some(format!("unusable key material: {e}")),
        },
        Err(e) => entry.problem = Some(format!("invalid JWK: {e}")),
    }
    entry
}

/// The backend's RSA verifiers (aws-lc-rs `RSA_*_2048_8192_*`) accept moduli of this many bits.
pub const RSA_BACKEND_BITS: std::ops::RangeInclusive<usize> = 2048..=8192;

/// How a key the crypto backend refuses is described (the explanation keys on it).
pub const KEY_REJECTED: &str = "key rejected";

/// An RSA JWK's key with leading zero octets of `n` and `e` dropped; `None` for other key types.
///
/// RFC 7518 §6.3.1.1 notes that some producers prefix a zero octet to the modulus; other
/// libraries read the number and ignore it, while aws-lc-rs refuses the encoding outright.
fn rsa_key(value: &Value) -> Option<jsonwebtoken::errors::Result<DecodingKey>> {
    if value.get("kty").and_then(Value::as_str) != Some("RSA") {
        return None;
    }
    let (n, e) = (b64_member(value, "n").ok()?, b64_member(value, "e").ok()?);
    Some(Ok(DecodingKey::from_rsa_raw_components(strip_leading_zeros(&n), strip_leading_zeros(&e))))
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// The size of an unsigned big-endian number in bits.
fn bit_length(bytes: &[u8]) -> usize {
    let bytes = strip_leading_zeros(bytes);
    match bytes.first() {
        Some(first) => (bytes.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
        None => 0,
    }
}

fn b64_member(value: &Value, name: &str) -> Result<Vec<u8>, String> {
    use base64::Engine as _;
    let text = value.get(name).and_then(Value::as_str).ok_or_else(|| format!("missing \"{name}\""))?;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| format!("\"{name}\" is not base64url"))
}

/// Member checks jsonwebtoken would accept but that cannot make a working key.
fn check_members(kty: &str, value: &Value) -> Result<(), String> {
    let b64 = |name: &str| b64_member(value, name);
    match kty {
        "RSA" => {
            // Sized as the backend will size it, so a refused key is named as such instead of
            // looking like a signature made with another key.
            let bits = bit_length(&b64("n")?);
            if bit_length(&b64("e")?) == 0 {
                return Err("the RSA exponent \"e\" is zero".to_owned());
            }
            if bits < *RSA_BACKEND_BITS.start() {
                return Err(format!(
                    "{KEY_REJECTED}: {bits}-bit RSA is below the backend's minimum ({} bits)",
                    RSA_BACKEND_BITS.start()
                ));
            }
            if bits > *RSA_BACKEND_BITS.end() {
                return Err(format!(
                    "{KEY_REJECTED}: {bits}-bit RSA is above the backend's maximum ({} bits)",
                    RSA_BACKEND_BITS.end()
                ));
            }
        }
        "EC" => {
            let (x, y) = (b64("x")?, b64("y")?);
            let size = match value.get("crv").and_then(Value::as_str) {
                Some("P-256") => 32,
                Some("P-384") => 48,
                Some(other) => return Err(format!("unsupported curve \"{other}\"")),
                None => return Err("missing \"crv\"".to_owned()),
            };
            if x.len() != size || y.len() != size {
                return Err(format!("coordinates of {}/{} bytes do not fit the curve ({size})", x.len(), y.len()));
            }
        }
        "OKP" => {
            if value.get("crv").and_then(Value::as_str) != Some("Ed25519") {
                return Err("only the Ed25519 curve is supported for OKP keys".to_owned());
            }
            if b64("x")?.len() != 32 {
                return Err("Ed25519 \"x\" must be 32 bytes".to_owned());
            }
        }
        "oct" => {
            b64("k")?;
        }
        _ => {}
    }
    Ok(())
}

struct CachedSet {
    set: Arc<KeySet>,
    fetched_at: Instant,
    last_miss_refetch: Option<Instant>,
}

/// Which key(s) a token points at.
#[derive(Debug, Clone)]
pub struct KeyLookup {
    pub set: Arc<KeySet>,
    /// Indexes into `set.keys`: the keys with the token's kid; every key when the token has no kid.
    pub candidates: Vec<usize>,
    /// The set was fetched again because the kid was missing from the cached one.
    pub refetched: bool,
    /// The set came over the network in this lookup (not from the cache).
    pub fetched: bool,
    /// The status of that fetch (a 2xx), for the call's trace; `None` when served from the cache.
    pub status: Option<u16>,
}

/// JWK sets by URI, shared by every verification of a run.
pub struct JwksCache {
    http: Http,
    /// By URL, then by the TLS settings it was fetched over (nested so a hit allocates nothing).
    sets: tokio::sync::Mutex<HashMap<String, HashMap<TlsNeeds, CachedSet>>>,
    miss_interval: Duration,
    fetches: std::sync::atomic::AtomicU64,
}

impl JwksCache {
    pub fn new(http: Http) -> Self {
        Self::with_miss_interval(http, MISS_REFETCH_INTERVAL)
    }

    pub fn with_miss_interval(http: Http, miss_interval: Duration) -> Self {
        Self { http, sets: tokio::sync::Mutex::new(HashMap::new()), miss_interval, fetches: Default::default() }
    }

    /// How many times a JWKS was fetched over the network.
    pub fn fetch_count(&self) -> u64 {
        self.fetches.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The key set at `uri` and the (2xx) status it came with.
    async fn fetch(&self, uri: &str, tls: &TlsNeeds) -> Result<(KeySet, u16), JwksError> {
        self.fetches.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let response = self.http.get_with(uri, tls).await?;
        if !response.is_success() {
            return Err(JwksError::Status {
                url: uri.to_owned(),
                status: response.status,
                body: response.body_excerpt(160),
            });
        }
        let set = parse_key_set(uri, &response.body).map_err(|(kind, detail)| {
            if kind == "json" {
                JwksError::NotJson {
                    url: uri.to_owned(),
                    content_type: response.content_type().to_owned(),
                    body: if response.body.is_empty() {
                        "(empty body)".to_owned()
                    } else if response.truncated {
                        // A cut body never parses: say so rather than blame the JSON.
                        format!("the body is over the {}-byte limit and was cut", self.http.config().max_body)
                    } else {
                        excerpt(&response.body_text(), 120)
                    },
                }
            } else {
                JwksError::NotAKeySet { url: uri.to_owned(), detail }
            }
        })?;
        Ok((set, response.status))
    }

    /// Finds the key for `kid` (or every key when there is none), refetching once on a miss.
    /// The set at `uri` fetched over `tls` is cached apart from the same URL's set fetched
    /// over other TLS settings: a set one profile's trust refused is never served to another.
    pub async fn lookup(&self, uri: &str, tls: &TlsNeeds, kid: Option<&str>) -> Result<KeyLookup, JwksError> {
        let mut sets = self.sets.lock().await;
        let mut fetched = false;
        let mut status = None;
        let stale = sets.get(uri).and_then(|by_tls| by_tls.get(tls)).is_none_or(|c| c.fetched_at.elapsed() > CACHE_TTL);
        if stale {
            let (set, answered) = self.fetch(uri, tls).await?;
            status = Some(answered);
            sets.entry(uri.to_owned()).or_default().insert(
                tls.clone(),
                CachedSet { set: Arc::new(set), fetched_at: Instant::now(), last_miss_refetch: None },
            );
            fetched = true;
        }
        let find = |set: &KeySet| -> Vec<usize> {
            match kid {
                // Every key with the kid: sets repeat a kid (an encryption key beside the signing key).
                Some(kid) => {
                    set.keys.iter().enumerate().filter(|(_, k)| k.kid.as_deref() == Some(kid)).map(|(i, _)| i).collect()
                }
                None => (0..set.keys.len()).collect(),
            }
        };
        let Some(cached) = sets.get_mut(uri).and_then(|by_tls| by_tls.get_mut(tls)) else {
            return Err(JwksError::NotAKeySet { url: uri.to_owned(), detail: "cache lost the set".to_owned() });
        };
        let mut candidates = find(&cached.set);
        let mut refetched = false;
        let may_refetch = cached.last_miss_refetch.is_none_or(|t| t.elapsed() >= self.miss_interval);
        if candidates.is_empty() && kid.is_some() && !fetched && may_refetch {
            cached.last_miss_refetch = Some(Instant::now());
            let (set, answered) = self.fetch(uri, tls).await?;
            status = Some(answered);
            cached.set = Arc::new(set);
            cached.fetched_at = Instant::now();
            candidates = find(&cached.set);
            refetched = true;
            fetched = true;
        }
        Ok(KeyLookup { set: cached.set.clone(), candidates, refetched, fetched, status })
    }

    /// Forgets every cached set (the TUI's "refresh keys").
    pub async fn clear(&self) {
        self.sets.lock().await.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_key_sets_are_explained_key_by_key() {
        let body = br#"{"keys":[
            {"kty":"RSA","kid":"short","n":"AQAB","e":"AQAB"},
            {"kty":"EC","kid":"ec","crv":"P-521","x":"AA","y":"AA"},
            {"kty":"XYZ","kid":"weird"},
            {"kty":"RSA","kid":7,"e":"AQAB"},
            "not an object"
        ]}"#;
        let set = parse_key_set("u", body).unwrap();
        assert!(set.keys[0].problem.as_deref().unwrap().contains("key rejected: 17-bit RSA is below"));
        assert!(set.keys[1].problem.as_deref().unwrap().contains("P-521"));
        assert!(set.keys[2].problem.as_deref().unwrap().contains("XYZ"));
        assert_eq!(set.keys[3].kid.as_deref(), Some("7"));
        assert!(set.keys[3].problem.as_deref().unwrap().contains("\"n\""));
        assert!(set.keys[4].problem.is_some());
        assert!(parse_key_set("u", b"{\"kty\":\"RSA\"}").unwrap_err().1.contains("single JWK"));
        assert!(parse_key_set("u", b"<html>").is_err());
    }
}
