//! `tokdbg call`: fetch (or take) a token, verify it, call an endpoint, and diagnose the answer.

use crate::core::diagnose::Verdict;
use crate::core::engine::{CallSpec, Engine};
use crate::core::model::profile::{Endpoint, Profile};
use crate::core::model::secret::Secret;
use crate::core::net::http::HttpConfig;
use crate::core::secret_choice::{self, TokenWanted};

use super::args::{CallArgs, Global};
use super::input::{find_profile, read_needed, token_argument};
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
    let wanted = if args.no_token {
        TokenWanted::None
    } else if let Some(token) = &args.token {
        TokenWanted::Given(Secret::new(token_argument(Some(token))?.trim()))
    } else {
        TokenWanted::Fetch { force: false }
    };
    let cached = engine.cached_token(&stem, &profile).map(|cached| cached.token);
    let needs = secret_choice::secrets_needed(&profile, wanted, cached).map_err(|_| {
        CliError::profile(format!("profile {stem} has no [client] section: pass --token or --no-token"))
    })?;
    let (token, hmac_secret) = runtime.block_on(read_needed(needs, &stem))?;
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
