//! An access token on its own: decoding, verifying, reading its scopes.

pub mod as_stack;
pub(crate) mod check;
pub(crate) mod claims;
pub(crate) mod iat;
pub(crate) mod info;
pub mod jwt;
pub mod scopes;
pub mod verify;
