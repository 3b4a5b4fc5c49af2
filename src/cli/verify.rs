//! `tokdbg verify`: check a token's signature and claims against a profile, an issuer or a JWKS.

use crate::core::engine::{Engine, TokenReport, TokenSource};
use crate::core::model::profile::{IssuerConfig, Profile, SecretSource};

use super::args::{Global, VerifyArgs};
use super::input::{find_profile, resolve_secret, token_argument, within_deadline};
use super::outcome::{CliError, CmdResult, Exit};
use super::paint::Paint;
use super::render;
use super::stdout::out;

/// Without a profile or --alg: every asymmetric algorithm, never HS* (needs a secret) nor none.
const DEFAULT_ALGORITHMS: [&str; 9] = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];

pub fn run(global: &Global, paint: &Paint, runtime: &tokio::runtime::Runtime, args: &VerifyArgs) -> CmdResult {
    let token = token_argument(Some(&args.token))?;
    let (name, mut profile) = match &args.profile {
        Some(name) => find_profile(global, name)?,
        None => {
            if args.issuer.is_none() && args.jwks.is_none() {
                return Err(CliError::usage("say where the keys are: --profile P, --issuer URL or --jwks URL"));
            }
            let mut profile = Profile {
                issuer: IssuerConfig {
                    url: args.issuer.clone(),
                    token_endpoint: None,
                    jwks_uri: args.jwks.clone(),
                    ..Default::default()
                },
                ..Profile::default()
            };
            profile.expect.issuer = args.issuer.clone();
            profile.expect.algorithms = DEFAULT_ALGORITHMS.iter().map(|a| (*a).to_owned()).collect();
            ("(command line)".to_owned(), profile)
        }
    };
    super::input::apply_tls_flags(global, &mut profile)?;
    if let Some(iss) = &args.iss {
        profile.expect.issuer = Some(iss.clone());
    }
    if !args.aud.is_empty() {
        profile.expect.audience = args.aud.clone();
    }
    if !args.alg.is_empty() {
        profile.expect.algorithms = args.alg.clone();
        // A flag is as good as a written field: a stack's default does not replace it.
        profile.expect.written.algorithms = true;
    }
    if let Some(leeway) = args.leeway {
        profile.expect.leeway_secs = leeway;
        profile.expect.written.leeway_secs = true;
    }
    let as_stacks = super::verify_as::requested(args.as_stack.as_deref())?;
    for (field, value) in [("--issuer", &args.issuer), ("--jwks", &args.jwks)] {
        if let Some(url) = value {
            crate::core::store::profile_store::check_http_url(url)
                .map_err(|e| CliError::usage(format!("{field} {url}: {e}")))?;
        }
    }
    let hmac_source =
        args.hmac_secret.as_deref().map(SecretSource::parse).or_else(|| profile.expect.hmac_secret.clone());
    let hmac_secret = match hmac_source {
        Some(source) => Some(resolve_secret(&source, "hmac secret", &name)?),
        None => None,
    };

    let engine = Engine::new(global.http_config());
    if let Some(stacks) = as_stacks {
        let fallback = match &args.profile {
            Some(_) => crate::core::model::profile::default_algorithms(),
            None => DEFAULT_ALGORITHMS.iter().map(|a| (*a).to_owned()).collect(),
        };
        let plan = super::verify_as::Plan { profile, token, hmac_secret, requested: stacks, fallback };
        return super::verify_as::run(global, paint, runtime, args, &engine, plan);
    }
    let report = within_deadline(global, runtime, engine.inspect(&profile, &token, TokenSource::Given, hmac_secret))?;
    if global.json {
        super::stdout::json(&report_json(args, &report));
    } else {
        out!("{}", render::token_report(paint, &report));
    }
    Ok(exit_of(&report))
}

/// The JSON of `verify` (`--as` adds its fields to it).
pub(super) fn report_json(args: &VerifyArgs, report: &TokenReport) -> serde_json::Value {
    serde_json::json!({
        "valid": report.valid,
        "profile": args.profile,
        "header": report.token.header,
        "claims": report.token.claims,
        "token": report.token,
        "jwks_uri": report.jwks_uri,
        "discovery": report.discovery,
        "key": report.verification.as_ref().and_then(|v| v.key.clone()),
        "checks": report.verification.as_ref().map(|v| v.checks.clone()).unwrap_or_default(),
        "findings": report.findings,
    })
}

pub(super) fn exit_of(report: &TokenReport) -> Exit {
    if report.valid {
        Exit::Ok
    } else if report.network_unreachable() {
        Exit::Network
    } else {
        Exit::Denied
    }
}
