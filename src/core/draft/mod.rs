//! Draft profiles: what `init URL` and `import curl` found, each value with where it came
//! from, rendered as a commented TOML profile a user finishes by hand.
//!
//! ```text
//!  init URL ──► engine/init.rs (I/O: the API's challenge, RFC 9728 metadata, the
//!               authorization server's metadata, its JWKS) ──► DraftBuilder
//!  import curl ─► curl_words (shell words) ─► curl_import (a token request or an API call)
//!                                                         ──► DraftBuilder
//!  DraftBuilder ──► Draft { profile_toml, sources, notes }  (the TOML parses as a profile)
//! ```

pub mod as_metadata;
pub mod curl_draft;
pub mod curl_import;
pub mod curl_words;
pub mod init_draft;
pub mod render;
pub mod resource_metadata;

use serde::Serialize;

pub use render::DraftBuilder;

/// A draft profile and the story of each value in it.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    /// The profile's file stem when written (`--name`, else from the host).
    pub name: String,
    /// The profile as TOML, a comment above each value saying where it came from.
    pub profile_toml: String,
    /// Each value written, with its origin.
    pub sources: Vec<ValueSource>,
    /// What was looked for and not found, what was accepted with a caveat, what to fill in.
    pub notes: Vec<String>,
}

/// One value of a draft and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueSource {
    /// The profile field, e.g. `issuer.url`, `endpoints[0].url`.
    pub field: String,
    pub value: serde_json::Value,
    /// Where it came from: "resource metadata (https://…/.well-known/oauth-protected-resource)".
    pub source: String,
}

/// The environment variable a draft reads a client secret from when the user asks for
/// `env:` rather than `prompt`.
pub const SECRET_ENV: &str = "TOKDBG_CLIENT_SECRET";

/// How a draft's client secret is read: never written in clear.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SecretPlacement {
    /// `secret = "prompt"`: asked for when needed.
    #[default]
    Prompt,
    /// `secret = "env:TOKDBG_CLIENT_SECRET"`.
    Env,
}

impl SecretPlacement {
    pub fn source(self) -> String {
        match self {
            SecretPlacement::Prompt => "prompt".to_owned(),
            SecretPlacement::Env => format!("env:{SECRET_ENV}"),
        }
    }
}

/// A metadata document's body as a JSON object; `Err` says why it is not one.
fn json_object(body: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    match serde_json::from_slice(body).map_err(|_| "not JSON".to_owned())? {
        serde_json::Value::Object(object) => Ok(object),
        _ => Err("JSON but not an object".to_owned()),
    }
}

/// A string member of a metadata document.
fn text_member(object: &serde_json::Map<String, serde_json::Value>, name: &str) -> Option<String> {
    object.get(name).and_then(serde_json::Value::as_str).map(str::to_owned)
}

/// A list-of-strings member (other items skipped; absent or not a list: empty).
fn list_member(object: &serde_json::Map<String, serde_json::Value>, name: &str) -> Vec<String> {
    object
        .get(name)
        .and_then(serde_json::Value::as_array)
        .map(|items| items.iter().filter_map(serde_json::Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The file stem a draft for `url` gets without `--name`: its host (and port).
pub fn name_from_url(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else { return "draft".to_owned() };
    let host = parsed.host_str().unwrap_or("draft").trim_start_matches("www.");
    let name = match parsed.port() {
        Some(port) => format!("{host}-{port}"),
        None => host.to_owned(),
    };
    let dashed = name.replace(['.', ':', '[', ']'], "-");
    dashed.split('-').filter(|part| !part.is_empty()).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_comes_from_the_host_and_port() {
        assert_eq!(name_from_url("https://www.api.example.com/v1"), "api-example-com");
        assert_eq!(name_from_url("http://127.0.0.1:8080/x"), "127-0-0-1-8080");
        assert_eq!(name_from_url("http://[::1]:9/x"), "1-9");
        assert_eq!(name_from_url("not a url"), "draft");
    }
}
