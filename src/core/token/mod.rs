//! An access token on its own: decoding, verifying, reading its scopes.

pub(crate) mod check;
pub(crate) mod claims;
pub(crate) mod info;
pub mod jwt;
pub mod scopes;
pub mod verify;
