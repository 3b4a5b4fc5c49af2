//! The reqwest clients: one per [`TransportNeeds`], built on first use, fallibly, and reused.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use reqwest::redirect;

use crate::core::net::http::{HttpConfig, SetupCause};
use crate::core::net::transport::{TlsNeeds, TransportNeeds, TrustRoots};
use crate::core::net::untrusted::SharedRefusals;

/// Why a client could not be built: what to blame, and the cause in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SetupFailure {
    pub(crate) kind: &'static str,
    pub(crate) cause: SetupCause,
    pub(crate) detail: String,
}

type Built = Result<reqwest::Client, SetupFailure>;

/// How many clients with non-default needs are kept. Profiles are few; a CA file edited
/// again and again in one TUI session makes a new key each time, so the cache is bounded.
const MAX_CUSTOM: usize = 16;

/// Every client an engine uses, keyed by what its requests need.
#[derive(Debug)]
pub(crate) struct Clients {
    config: HttpConfig,
    /// Serves `http://` URLs. It has no CA roots, so building it costs microseconds and
    /// works on a machine without any (plain-http calls to the loopback demo must too).
    plain: Built,
    /// Serves `https://` URLs with the default needs, built on first use: loading the system's
    /// CA roots takes milliseconds (benches/README.md) that runs against plain-http or no server
    /// need not pay. A failure is kept too: the roots will not appear later in the run, and
    /// every https request then reports the same cause instead of retrying the load.
    system_tls: OnceLock<Built>,
    /// Clients for other needs (a private CA, a client certificate), each built once. The
    /// lock is held only to find the slot; building happens outside it.
    custom: Mutex<HashMap<TransportNeeds, Arc<OnceLock<Built>>>>,
    /// Server certificates the https clients refused, for the request's error to describe.
    refusals: SharedRefusals,
}

impl Clients {
    pub(crate) fn new(config: HttpConfig) -> Clients {
        let refusals = SharedRefusals::default();
        Clients {
            plain: build_client(&config, &TransportNeeds::Plain, &refusals),
            refusals,
            system_tls: OnceLock::new(),
            custom: Mutex::new(HashMap::new()),
            config,
        }
    }

    /// The client for `needs` (a clone: reqwest clients share their pool), or why it cannot be
    /// built.
    pub(crate) fn get(&self, needs: &TransportNeeds) -> Built {
        match needs {
            TransportNeeds::Plain => self.plain.clone(),
            TransportNeeds::Tls(tls) if tls.is_default() => {
                self.system_tls.get_or_init(|| build_client(&self.config, needs, &self.refusals)).clone()
            }
            TransportNeeds::Tls(_) => {
                let slot = {
                    // A poisoned lock only means another thread panicked while inserting: the
                    // map is still a valid cache.
                    let mut custom = self.custom.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                    if !custom.contains_key(needs) && custom.len() >= MAX_CUSTOM {
                        custom.clear();
                    }
                    Arc::clone(custom.entry(needs.clone()).or_default())
                };
                slot.get_or_init(|| build_client(&self.config, needs, &self.refusals)).clone()
            }
        }
    }

    pub(crate) fn refusals(&self) -> &SharedRefusals {
        &self.refusals
    }
}

/// Builds a client, or says why not. Never `reqwest::Client::new()`: that panics on
/// exactly the failures (no CA roots) this reports.
fn build_client(config: &HttpConfig, needs: &TransportNeeds, refusals: &SharedRefusals) -> Built {
    let max_redirects = config.max_redirects;
    // Only same-origin redirects are followed: a token request must never carry its
    // secret, and an API call its Authorization header, to another origin. (So an http://
    // request never reaches https://, and the plain client never needs TLS.)
    let policy = redirect::Policy::custom(move |attempt| {
        let same_origin = attempt.previous().last().is_some_and(|prev| prev.origin() == attempt.url().origin());
        if attempt.previous().len() > max_redirects {
            attempt.error("too many redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    });
    let builder = reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .timeout(config.timeout)
        .redirect(policy)
        .user_agent(concat!("tokdbg/", env!("CARGO_PKG_VERSION")));
    let kind = needs.kind();
    let fail = |cause, detail| SetupFailure { kind, cause, detail };
    let builder = match needs {
        // No roots at all: the plain client fails closed should it ever see https.
        TransportNeeds::Plain => builder.tls_certs_only(std::iter::empty()),
        // Built by hand, so that a refused certificate can be described and `insecure` had.
        TransportNeeds::Tls(tls) => {
            let rustls_config = crate::core::net::tls_build::client_config(tls, refusals.clone())
                .map_err(|(cause, detail)| fail(cause, detail))?;
            builder.tls_backend_preconfigured(rustls_config)
        }
    };
    builder.build().map_err(|e| describe_build_error(&e, needs))
}

/// Names the cause of a failed client build in words a user can act on.
fn describe_build_error(error: &reqwest::Error, needs: &TransportNeeds) -> SetupFailure {
    let chain = crate::core::net::http::error_chain(error);
    let lower = chain.to_lowercase();
    let roots_missing = lower.contains("ca certificate") || lower.contains("root") || lower.contains("no ca");
    let (cause, detail) = match needs {
        TransportNeeds::Plain => (SetupCause::Other, chain),
        TransportNeeds::Tls(TlsNeeds { roots, identity, .. }) => {
            let system_roots_used = !matches!(roots, TrustRoots::Only(_));
            if roots_missing && system_roots_used {
                (SetupCause::SystemRoots, format!("no trusted CA roots could be loaded ({chain})"))
            } else if roots_missing {
                (SetupCause::CaBundle, chain)
            } else if identity.is_some() {
                // Roots are not the trouble: what is left is the certificate and key given.
                (SetupCause::ClientIdentity, format!("the client certificate and key cannot be used ({chain})"))
            } else {
                (SetupCause::Other, chain)
            }
        }
    };
    SetupFailure { kind: needs.kind(), cause, detail }
}

#[cfg(test)]
#[path = "clients_tests.rs"]
mod tests;
