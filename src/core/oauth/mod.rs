//! OAuth 2.0 client side: the token request built as a value, the client's authentication
//! applied to it, the answer parsed.

pub mod client_assertion;
pub(crate) mod client_auth;
pub mod client_key;
pub mod client_post;
pub mod dpop;
pub mod dpop_report;
pub mod introspection;
pub mod introspection_report;
pub mod jti;
pub(crate) mod request;
pub mod revocation;
pub mod token_request;
