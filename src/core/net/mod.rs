//! The network below the protocol: HTTP clients chosen by what a request needs, discovery,
//! JWK sets, scrubbing answers.

pub mod cert_info;
pub(crate) mod clients;
pub mod discovery;
pub mod http;
pub mod jwks;
pub(crate) mod scrub;
pub(crate) mod tls_build;
pub mod transport;
pub mod untrusted;
