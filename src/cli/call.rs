//! `tokdbg call`: fetch (or take) a token, verify it, call an endpoint, and diagnose the answer.

use crate::core::diagnose::Verdict;
use crate::core::engine::{CallSpec, Engine, TokenChoice};
use crate::core::model::profile::{Endpoint, Profile};
use crate::core::model::secret::Secret;
use crate::core::net::http::HttpConfig;

use super::args::{CallArgs, Global};
use super::input::{find_profile, resolve_secret, token_argument};
use super::outcome::{CliError, CmdResult, Exit};
use super::paint::Paint;
use super::render;
use super::stdout::out;

/// The endpoint to call: a profile endpoint by name, or an ad-hoc URL.
pub fn pick_endpoint(profile: &Profile, stem: &str, args: &CallArgs) -> Result<Endpoint, CliError> {
    match &args.endpoint {
        Some(target) if target.starts_with("http://") || target.starts_with("https://") => {
            crate::core::store::profile_store::check_http_url(target)
                .map_err(|e| CliError::usage(format!("{target}: {e}")))?;
            Ok(Endpoint {
                name: target.clone(),
                method: args.method.to_ascii_uppercase(),
                url: target.clone(),
                required_scopes: args.require.clone(),
                headers: Default::default(),
                body: None,
            })
        }
        Some(name) => {
            if !args.require.is_empty() {
                return Err(CliError::usage(
                    "--require goes with a URL endpoint; a named endpoint has its own required_scopes",
                ));
            }
            profile.endpoint(name).cloned().ok_or_else(|| {
                let known: Vec<&str> = profile.endpoints.iter().map(|e| e.name.as_str()).collect();
                CliError::usage(format!(
                    "profile {stem} has no endpoint \"{name}\" (known: {})",
                    if known.is_empty() { "none".to_owned() } else { known.join(", ") }
                ))
            })
        }
        None => profile.endpoints.first().cloned().ok_or_else(|| {
            CliError::usage(format!(
                "profile {stem} has no [[endpoints]]: name a URL, e.g. tokdbg call {stem} https://api.example/x"
            ))
        }),
    }
}

pub fn run(global: &Global, paint: &Paint, runtime: &tokio::runtime::Runtime, args: &CallArgs) -> CmdResult {
    let (stem, profile) = find_profile(global, &args.profile)?;
    let endpoint = pick_endpoint(&profile, &stem, args)?;
    let engine = Engine::new(HttpConfig::default());
    let token = if args.no_token {
        TokenChoice::None
    } else if let Some(token) = &args.token {
        TokenChoice::Given(Secret::new(token_argument(Some(token))?.trim()))
    } else {
        let Some(client) = &profile.client else {
            return Err(CliError::profile(format!(
                "profile {stem} has no [client] section: pass --token or --no-token"
            )));
        };
        TokenChoice::Fetch { secret: resolve_secret(&client.secret, "client.secret", &stem)?, force: false }
    };
    let hmac_secret = match &profile.expect.hmac_secret {
        Some(source) => Some(resolve_secret(source, "expect.hmac_secret", &stem)?),
        None => None,
    };
    let spec = CallSpec { profile_key: stem, profile, endpoint, token };
    let report = runtime.block_on(engine.call(spec, hmac_secret));
    if global.json {
        super::stdout::json(&report);
    } else {
        out!("{}", render::call_report(paint, &report));
    }
    Ok(match report.verdict {
        Verdict::Allowed => Exit::Ok,
        Verdict::Denied => Exit::Denied,
        Verdict::Error if report.network_unreachable() => Exit::Network,
        Verdict::Error => Exit::Denied,
    })
}
