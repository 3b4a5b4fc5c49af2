//! The network below the protocol: HTTP clients chosen by what a request needs, discovery,
//! JWK sets, scrubbing answers.

pub(crate) mod clients;
pub mod discovery;
pub mod http;
pub mod jwks;
pub(crate) mod scrub;
pub mod transport;
