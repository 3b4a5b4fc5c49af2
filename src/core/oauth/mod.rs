//! OAuth 2.0 client side: the token request built as a value, the client's authentication
//! applied to it, the answer parsed.

pub(crate) mod client_auth;
pub mod dpop;
pub(crate) mod request;
pub mod token_request;
