//! `tokdbg token PROFILE --curl`: the token request tokdbg would send, as a curl command to
//! paste (nothing is sent to the token endpoint; no secret is read or printed).

use crate::core::curl::{self, CurlOptions, CurlTransport};
use crate::core::engine::Engine;
use crate::core::model::credentials::Credentials;
use crate::core::oauth::token_request::TokenRequest;

use super::args::Global;
use super::input::{apply_tls_flags, find_profile, within_deadline};
use super::outcome::{CliError, CmdResult, Exit};
use super::stdout::outln;

pub fn run(global: &Global, runtime: &tokio::runtime::Runtime, name: &str) -> CmdResult {
    let (stem, mut profile) = find_profile(global, name)?;
    apply_tls_flags(global, &mut profile)?;
    let Some(client) = profile.client.clone() else {
        return Err(CliError::profile(format!("profile {stem} has no [client] section: no token request to show")));
    };
    // Discovery may be needed for the endpoint (and its mTLS alias); the token endpoint is not called.
    let engine = Engine::new(global.http_config());
    let resolved = within_deadline(global, runtime, engine.resolve(&profile))?;
    let Some(endpoint) = resolved.token_endpoint else {
        let why =
            resolved.discovery.and_then(|d| d.error).unwrap_or_else(|| "no issuer.url or issuer.token_endpoint".into());
        return Err(CliError::network(format!("profile {stem}: no token endpoint known ({why})")));
    };
    let request = TokenRequest {
        endpoint,
        client_id: client.id.clone(),
        // Nothing is read: the command takes the secret and an assertion from variables.
        credentials: Credentials::default(),
        auth_method: client.auth_method,
        scopes: client.scopes.clone(),
        audience: client.audience.clone(),
        resource: client.resource.clone(),
        extra: client.extra.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        assertion: None,
    };
    let command =
        curl::token_request_as_curl_over(&request, &CurlTransport::for_profile(&profile), CurlOptions::default());
    if global.json {
        super::stdout::json(
            &serde_json::json!({ "profile": stem, "token_endpoint": request.endpoint, "curl": command }),
        );
    } else {
        outln!("{}", command.trim_end());
    }
    Ok(Exit::Ok)
}
