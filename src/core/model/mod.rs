//! The data a user writes: profiles, their secrets and where those come from.

pub(crate) mod bounded_read;
pub mod credentials;
pub mod expect_stack;
pub mod profile;
pub mod secret;
pub mod secret_cmd;
pub mod secret_source;
pub mod tls_config;
