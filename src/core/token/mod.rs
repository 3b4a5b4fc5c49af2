//! An access token on its own: decoding, verifying, reading its scopes.

pub mod check;
pub mod claims;
pub mod info;
pub mod jwt;
pub mod scopes;
pub mod verify;
