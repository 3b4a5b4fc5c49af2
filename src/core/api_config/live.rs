//! What `check-api` learned from the live issuer, as plain values for the comparison: the
//! discovery document's issuer and JWKS URI, each key set fetched, a token, the client id.

use serde_json::{Map, Value};

use crate::core::net::jwks::KeySet;

/// What discovery said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveDiscovery {
    pub url: String,
    pub issuer: Option<String>,
    pub jwks_uri: Option<String>,
}

/// Why a JWKS URI gave no key set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwksProblem {
    /// No answer at all (connection, DNS, TLS, timeout).
    Unreachable(String),
    /// An answer that is not a JWK set (a 404 page, HTML, a single JWK).
    NotAKeySet(String),
}

/// A token the profile's client was issued, as the API would receive it.
#[derive(Debug, Clone, Default)]
pub struct LiveToken {
    pub alg: Option<String>,
    pub claims: Map<String, Value>,
}

/// Everything `check-api` learned from the issuer.
#[derive(Debug, Clone)]
pub struct LiveFacts {
    /// The issuer discovery was asked at, and where that URL came from.
    pub asked: String,
    pub discovery: Result<LiveDiscovery, String>,
    /// Each JWKS URI fetched (discovery's and the configured ones) and what it gave.
    pub key_sets: Vec<(String, Result<KeySet, JwksProblem>)>,
    pub token: Option<LiveToken>,
    /// The profile's client id (the AK), when a profile was given.
    pub client_id: Option<String>,
}

impl LiveFacts {
    pub fn key_set(&self, uri: &str) -> Option<&Result<KeySet, JwksProblem>> {
        self.key_sets.iter().find(|(u, _)| u == uri).map(|(_, result)| result)
    }

    /// The issuer's keys: discovery's JWKS, else any configured one that answered a set.
    pub fn issuer_keys(&self) -> Option<&KeySet> {
        let discovered = self.discovery.as_ref().ok().and_then(|d| d.jwks_uri.as_deref());
        discovered
            .and_then(|uri| self.key_set(uri))
            .and_then(|r| r.as_ref().ok())
            .or_else(|| self.key_sets.iter().find_map(|(_, r)| r.as_ref().ok()))
    }
}
