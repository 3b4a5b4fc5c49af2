//! OAuth 2.0 client side: the token request built as a value, its answer parsed.

pub mod token_request;
