//! `tokdbg token`: fetch a token for a profile and show the request, the answer, the token and
//! its verification.

use crate::core::engine::Engine;
use crate::core::net::http::HttpConfig;

use super::args::Global;
use super::input::{find_profile, resolve_secret};
use super::outcome::{CliError, CmdResult, Exit};
use super::paint::Paint;
use super::render;
use super::stdout::{out, outln};

pub fn run(global: &Global, paint: &Paint, runtime: &tokio::runtime::Runtime, name: &str, reveal: bool) -> CmdResult {
    let (stem, profile) = find_profile(global, name)?;
    let Some(client) = &profile.client else {
        return Err(CliError::profile(format!(
            "profile {stem} has no [client] section: nothing to fetch a token with"
        )));
    };
    let secret = resolve_secret(&client.secret, "client.secret", &stem)?;
    let hmac_secret = match &profile.expect.hmac_secret {
        Some(source) => Some(resolve_secret(source, "expect.hmac_secret", &stem)?),
        None => None,
    };
    let engine = Engine::new(HttpConfig::default());
    let fetch = runtime.block_on(engine.fetch_token(&stem, &profile, secret, true, hmac_secret));

    if global.json {
        let mut value = serde_json::to_value(&fetch).unwrap_or_default();
        if reveal && let Some(token) = &fetch.access_token {
            value["access_token"] = serde_json::Value::String(token.expose().to_owned());
        }
        super::stdout::json(&value);
    } else {
        out!("{}", render::token_fetch(paint, &fetch));
        if reveal && let Some(token) = &fetch.access_token {
            outln!("{}", token.expose());
        }
    }
    Ok(match (&fetch.access_token, fetch.network_unreachable()) {
        (Some(_), _) => Exit::Ok,
        (None, true) => Exit::Network,
        (None, false) => Exit::Denied,
    })
}
