//! `tokdbg call`: fetch (or take) a token, verify it, call an endpoint, and diagnose the answer.

use crate::core::diagnose::Verdict;
use crate::core::engine::{CallSpec, Engine};
use crate::core::model::profile::{Endpoint, Profile};
use crate::core::model::secret::Secret;
use crate::core::secret_choice::{self, TokenWanted};

use super::args::{CallArgs, Global};
use super::input::{find_profile, read_needed, token_argument, within_deadline};
use super::outcome::{CliError, CmdResult, Exit};
use super::paint::Paint;
use super::render;
use super::stdout::out;

/// The endpoint to call: a profile endpoint by name, or an ad-hoc URL; `--method` overrides
/// a named endpoint's method too (it is sent as given, so it must be honoured or refused).
pub fn pick_endpoint(profile: &Profile, stem: &str, args: &CallArgs) -> Result<Endpoint, CliError> {
    let method = match &args.method {
        Some(method) => Some(checked_method(method)?),
        None => None,
    };
    let mut endpoint = match &args.endpoint {
        // A word that reads as a URL is one, even without its scheme (then the URL check says
        // what to add), unless the profile really has an endpoint of that name.
        Some(target) if profile.endpoint(target).is_none() && super::suggest::looks_like_url(target) => {
            crate::core::store::profile_store::check_http_url(target)
                .map_err(|e| CliError::usage(format!("{target}: {e}")))?;
            Endpoint {
                name: target.clone(),
                method: "GET".to_owned(),
                url: target.clone(),
                required_scopes: args.require.clone(),
                headers: Default::default(),
                body: None,
            }
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
                    "profile {stem} has no endpoint \"{name}\" (known: {}){}",
                    if known.is_empty() { "none".to_owned() } else { known.join(", ") },
                    super::suggest::did_you_mean(name, known.iter().copied())
                ))
            })?
        }
        None => profile.endpoints.first().cloned().ok_or_else(|| {
            CliError::usage(format!(
                "profile {stem} has no [[endpoints]]: name a URL, e.g. tokdbg call {stem} https://api.example/x"
            ))
        })?,
    };
    if let Some(method) = method {
        endpoint.method = method;
    }
    Ok(endpoint)
}

/// An HTTP method as sent: a token of letters (RFC 9110 allows more, no API needs it), upper-cased.
fn checked_method(method: &str) -> Result<String, CliError> {
    if method.is_empty() || method.len() > 20 || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(CliError::usage(format!(
            "--method {method}: not an HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)"
        )));
    }
    Ok(method.to_ascii_uppercase())
}

pub fn run(global: &Global, paint: &Paint, runtime: &tokio::runtime::Runtime, args: &CallArgs) -> CmdResult {
    let (stem, mut profile) = find_profile(global, &args.profile)?;
    super::input::apply_tls_flags(global, &mut profile)?;
    let endpoint = pick_endpoint(&profile, &stem, args)?;
    let engine = Engine::new(global.http_config());
    let wanted = if args.no_token {
        TokenWanted::None
    } else if let Some(token) = &args.token {
        TokenWanted::Given(Secret::new(token_argument(Some(token))?.trim()))
    } else {
        TokenWanted::Fetch { force: false }
    };
    let cached = engine.cached_token(&stem, &profile).map(|cached| cached.token);
    let needs = secret_choice::secrets_needed(&profile, wanted, cached).map_err(|e| match e {
        secret_choice::CannotRequest::NoClient => {
            CliError::profile(format!("profile {stem} has no [client] section: pass --token or --no-token"))
        }
        other => CliError::profile(format!("profile {stem}: {other}")),
    })?;
    let introspection = runtime.block_on(super::input::read_introspection(&needs, &stem));
    let (token, hmac_secret) = runtime.block_on(read_needed(needs, &stem))?;
    let spec = CallSpec { profile_key: stem, profile, endpoint, token };
    let report = within_deadline(global, runtime, engine.call_introspecting(spec, hmac_secret, introspection))?;
    if global.json {
        super::stdout::json(&report);
    } else {
        out!("{}", render::call_report(paint, &report, args.trace));
    }
    Ok(match report.verdict {
        Verdict::Allowed => Exit::Ok,
        Verdict::Denied => Exit::Denied,
        Verdict::Error if report.network_unreachable() => Exit::Network,
        Verdict::Error => Exit::Denied,
    })
}
