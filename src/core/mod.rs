//! The UI-free engine of tokdbg: profiles, token fetch, decode, verify, probe, diagnose.
//!
//! Nothing in here knows about terminals; the CLI and the TUI both call it. The modules
//! depend one way, lowest first (ARCHITECTURE.md draws the map and the pipeline):
//! `clock`, `safe_text`, `findings`, `verifier` (each stack's verifier defaults) ← `model` ←
//! `store` ← `net` ← `oauth`, `token`, `probe` ← `server_message`, `issuers`, `api_config`,
//! `draft` ← `diagnose` ← `engine`; `curl` exports requests of `oauth` and `probe`.

pub mod api_config;
pub mod clock;
pub mod curl;
pub mod diagnose;
pub mod draft;
pub mod engine;
pub mod findings;
pub mod issuers;
pub mod model;
pub mod net;
pub mod oauth;
pub mod probe;
pub mod safe_text;
pub mod secret_choice;
pub mod server_message;
pub mod store;
pub mod token;
pub mod verifier;
