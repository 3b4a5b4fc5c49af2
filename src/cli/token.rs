//! `tokdbg token`: fetch a token for a profile and show the request, the answer, the token and
//! its verification.

use crate::core::engine::{Engine, TokenChoice};
use crate::core::net::http::HttpConfig;
use crate::core::secret_choice::{self, TokenWanted};

use super::args::Global;
use super::input::{find_profile, read_needed};
use super::outcome::{CliError, CmdResult, Exit};
use super::paint::Paint;
use super::render;
use super::stdout::{out, outln};

pub fn run(global: &Global, paint: &Paint, runtime: &tokio::runtime::Runtime, name: &str, reveal: bool) -> CmdResult {
    let (stem, profile) = find_profile(global, name)?;
    let engine = Engine::new(HttpConfig::default());
    // A new token every time: showing the token request is the point of this command.
    let needs = secret_choice::secrets_needed(&profile, TokenWanted::Fetch { force: true }, None).map_err(|_| {
        CliError::profile(format!("profile {stem} has no [client] section: nothing to fetch a token with"))
    })?;
    let (choice, hmac_secret) = runtime.block_on(read_needed(needs, &stem))?;
    let TokenChoice::Fetch { secret, force } = choice else {
        return Err(CliError::profile(format!("profile {stem}: a forced fetch always requests a token")));
    };
    let fetch = runtime.block_on(engine.fetch_token(&stem, &profile, secret, force, hmac_secret));

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
