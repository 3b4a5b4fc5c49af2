//! The token request as a value: what goes on the wire, or (secret redacted) what is shown.

use serde::Serialize;

/// The request as it goes on the wire, with the secret redacted: safe to show and log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestView {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
}
