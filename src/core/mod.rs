//! The UI-free engine of tokdbg: profiles, token fetch, decode, verify, probe, diagnose.
//!
//! Nothing in here knows about terminals; the CLI and the TUI both call it.

pub mod bounded_read;
pub mod call;
pub mod clock;
pub mod curl;
pub mod diagnose;
pub mod discovery;
pub mod explain;
pub mod findings;
pub mod fsutil;
pub mod hints;
pub mod http;
pub mod jwks;
pub mod jwt;
pub mod probe;
pub mod profile;
pub mod profile_edit;
pub mod profile_store;
pub mod reconcile;
pub mod report;
pub mod safe_text;
pub mod scopes;
pub mod scrub;
pub mod secret;
pub mod secret_choice;
pub mod secret_cmd;
pub mod secret_source;
pub mod server_message;
pub mod token_cache;
pub mod token_request;
pub mod verify;
pub mod www_authenticate;
