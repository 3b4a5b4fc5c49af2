//! The demo server's shared state: its URLs, key-rotation switch, counters and clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::jwk::JwkSet;
use time::OffsetDateTime;
use time::macros::format_description;

use crate::core::clock::Clock;

use super::keys::published_jwks;

/// Requests served per kind (discovery document, JWKS, token endpoint, API).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoCounters {
    pub discovery: u64,
    pub jwks: u64,
    pub token: u64,
    pub api: u64,
}

/// Which request kind to count.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Discovery,
    Jwks,
    Token,
    Api,
}

// Rotation bits live in one atomic so a reader never sees half a rotation.
const ROTATED: u8 = 0b01;
const RSA1_RETIRED: u8 = 0b10;

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct DemoState {
    /// `http://127.0.0.1:PORT`
    pub base_url: String,
    /// `{base_url}/oidc`
    pub issuer: String,
    /// `https://127.0.0.1:PORT/oidc`: the same issuer reached over TLS on the same port (its
    /// discovery document and the tokens it issues there name this one).
    pub tls_issuer: String,
    rotation: AtomicU8,
    counters: [AtomicU64; 4],
    jti_sequence: AtomicU64,
    clock: DemoClock,
    /// The reference tokens issued, for introspection and revocation.
    pub opaque: super::opaque::OpaqueStore,
    /// Client assertions seen (client id and `jti`) until they expire: replays are refused.
    assertion_jtis: std::sync::Mutex<std::collections::HashMap<(String, String), i64>>,
    /// DPoP nonces and the proofs' `jti`s seen.
    pub(crate) dpop: super::dpop::DpopState,
}

/// The clock tokens are issued and checked by, and the `Date` header read from.
struct DemoClock(Arc<dyn Clock>);

impl std::fmt::Debug for DemoClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DemoClock(now = {})", self.0.now())
    }
}

impl DemoState {
    pub(crate) fn new(base_url: String, clock: Arc<dyn Clock>) -> DemoState {
        DemoState {
            clock: DemoClock(clock),
            issuer: format!("{base_url}/oidc"),
            tls_issuer: format!("{}/oidc", base_url.replacen("http://", "https://", 1)),
            base_url,
            rotation: AtomicU8::new(0),
            counters: Default::default(),
            jti_sequence: AtomicU64::new(0),
            opaque: Default::default(),
            assertion_jtis: Default::default(),
            dpop: super::dpop::DpopState::default(),
        }
    }

    /// The issuer as a client on this connection knows it (over TLS: [`Self::tls_issuer`]).
    pub(crate) fn issuer_for(&self, tls: bool) -> &str {
        if tls { &self.tls_issuer } else { &self.issuer }
    }

    /// Seconds since the Unix epoch, by the server's clock.
    pub(crate) fn now(&self) -> i64 {
        self.clock.0.now()
    }

    pub(crate) fn count(&self, kind: Kind) {
        self.counters[kind as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn counters(&self) -> DemoCounters {
        let read = |kind: Kind| self.counters[kind as usize].load(Ordering::Relaxed);
        DemoCounters {
            discovery: read(Kind::Discovery),
            jwks: read(Kind::Jwks),
            token: read(Kind::Token),
            api: read(Kind::Api),
        }
    }

    pub(crate) fn rotate(&self, retire_old: bool) {
        let bits = if retire_old { ROTATED | RSA1_RETIRED } else { ROTATED };
        self.rotation.store(bits, Ordering::SeqCst);
    }

    /// Whether RS256 tokens are now signed with demo-rsa-2.
    pub(crate) fn rotated(&self) -> bool {
        self.rotation.load(Ordering::SeqCst) & ROTATED != 0
    }

    /// The JWKS as published right now (the API verifies against the same set).
    pub(crate) fn jwks(&self) -> JwkSet {
        let bits = self.rotation.load(Ordering::SeqCst);
        published_jwks(bits & ROTATED != 0, bits & RSA1_RETIRED == 0)
    }

    /// Records a client assertion's `jti` until `until`; false if it was seen before.
    pub(crate) fn first_use_of_assertion(&self, client_id: &str, jti: &str, until: i64) -> bool {
        let now = self.now();
        let mut seen = self.assertion_jtis.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        seen.retain(|_, expiry| *expiry > now);
        seen.insert((client_id.to_owned(), jti.to_owned()), until).is_none()
    }

    /// A token id unique within this process: time plus a sequence number.
    pub(crate) fn next_jti(&self) -> String {
        let sequence = self.jti_sequence.fetch_add(1, Ordering::Relaxed);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
        format!("{nanos:x}-{sequence}")
    }
}

/// An HTTP date (RFC 9110 §5.6.7, `Fri, 15 Jan 2027 08:00:00 GMT`), or `None` for an instant
/// the format cannot hold.
pub(crate) fn http_date(ts: i64) -> Option<String> {
    let format =
        format_description!("[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT");
    OffsetDateTime::from_unix_timestamp(ts).ok().and_then(|at| at.format(format).ok())
}

#[cfg(test)]
mod tests {
    use super::http_date;

    #[test]
    fn http_dates_read_as_servers_write_them() {
        assert_eq!(http_date(1_800_000_000).as_deref(), Some("Fri, 15 Jan 2027 08:00:00 GMT"));
        assert_eq!(http_date(i64::MAX), None);
    }
}
