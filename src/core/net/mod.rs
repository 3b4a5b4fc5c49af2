//! The network below the protocol: HTTP clients, discovery, JWK sets, scrubbing answers.

pub mod discovery;
pub mod http;
pub mod jwks;
pub mod scrub;
