//! The integration test binary: one module per area (`cargo test --test main cli::` runs one
//! area, `cargo test --test main cli::NAME` one test), all sharing `support`. One binary links
//! tokdbg once and runs every area on one test harness.

mod support;

mod bad_input;
mod bounded_inputs;
mod check_api;
mod cli;
mod cli_daily;
mod cli_presets;
mod client_assertions;
mod curl_exports;
mod demo_fidelity;
mod demo_server;
mod dpop;
mod drafts;
mod engine_flow;
mod engine_trace;
mod engine_verify;
mod evidence;
mod exports;
mod fault_server;
mod fuzz_regressions;
mod hostile_text;
mod introspection;
mod issuer_messages;
mod leaks;
mod mtls_refusal;
mod profile_edit;
mod security;
mod server_messages;
mod tls_flow;
mod tui_daily;
mod tui_e2e_tmux;
mod tui_form_connection;
mod tui_mtls;
mod tui_new_profile;
mod tui_session;
mod tui_snapshots;
