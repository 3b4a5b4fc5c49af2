//! The UI-free engine of tokdbg: profiles, token fetch, decode, verify, probe, diagnose.
//!
//! Nothing in here knows about terminals; the CLI and the TUI both call it.

pub mod clock;
pub mod findings;
pub mod profile;
pub mod scopes;
pub mod secret;
pub mod server_message;
pub mod www_authenticate;
pub mod discovery;
pub mod http;
pub mod jwt;
pub mod profile_store;
pub mod token_request;
pub mod jwks;
pub mod call;
pub mod diagnose;
pub mod explain;
pub mod hints;
pub mod probe;
pub mod reconcile;
pub mod token_cache;
pub mod verify;
pub mod curl;
pub mod fsutil;
pub mod profile_edit;
