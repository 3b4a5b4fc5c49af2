//! `tokdbg token`: fetch a token for a profile and show the request, the answer and the token.

use crate::core::call::{Engine, TokenInfo, TokenSource};
use crate::core::clock;
use crate::core::http::HttpConfig;

use super::args::Global;
use super::input::{find_profile, resolve_secret};
use super::outcome::{CliError, CmdResult, Exit};
use super::paint::Paint;
use super::render;

pub fn run(global: &Global, paint: &Paint, runtime: &tokio::runtime::Runtime, name: &str, reveal: bool) -> CmdResult {
    let (stem, profile) = find_profile(global, name)?;
    let Some(client) = &profile.client else {
        return Err(CliError::profile(format!("profile {stem} has no [client] section: nothing to fetch a token with")));
    };
    let secret = resolve_secret(&client.secret, "client.secret", &stem)?;
    let engine = Engine::new(HttpConfig::default());
    let outcome = runtime.block_on(async {
        let resolved = engine.resolve(&profile).await;
        let Some(endpoint) = resolved.token_endpoint.clone() else {
            return (resolved, None, None);
        };
        let (report, response) = engine.request_token(&profile, &endpoint, secret).await;
        (resolved, Some(report), response)
    });
    let (resolved, request, response) = outcome;
    let info = response
        .as_ref()
        .map(|r| TokenInfo::describe(TokenSource::Fetched, r.access_token.expose(), &profile.expect.scope_claim, clock::now_unix()));
    let findings: Vec<_> = crate::core::explain::discovery(resolved.discovery.as_ref(), &profile)
        .into_iter()
        .chain(crate::core::explain::token_request(request.as_ref(), &profile))
        .collect();

    if global.json {
        let mut value = serde_json::json!({
            "profile": stem,
            "discovery": resolved.discovery,
            "token_endpoint": resolved.token_endpoint,
            "token_request": request,
            "token": info,
            "expires_in": response.as_ref().and_then(|r| r.expires_in),
            "findings": findings,
        });
        if reveal && let Some(response) = &response {
            value["access_token"] = serde_json::Value::String(response.access_token.expose().to_owned());
        }
        println!("{}", serde_json::to_string_pretty(&value).unwrap_or_default());
    } else {
        if let Some(discovery) = resolved.discovery.as_ref().filter(|d| !d.ok) {
            println!("discovery  {}", paint.red(discovery.error.as_deref().unwrap_or("failed")));
        }
        if let Some(request) = &request {
            println!("request    {} {}", request.request.method, request.request.url);
            for (k, v) in &request.request.headers {
                println!("           {k}: {v}");
            }
            let form: Vec<String> = request.request.form.iter().map(|(k, v)| format!("{k}={v}")).collect();
            println!("           {}", form.join("&"));
            match (&request.error, request.status) {
                (Some(error), _) => println!("response   {}", paint.red(error)),
                (None, Some(status)) => println!("response   HTTP {} in {} ms", paint.status(status), request.latency_ms),
                _ => {}
            }
            if let Some(body) = &request.response {
                println!("{}", serde_json::to_string_pretty(body).unwrap_or_default());
            }
            for note in &request.notes {
                println!("note       {}", paint.yellow(note));
            }
        }
        if let Some(info) = &info {
            println!("token      {}", render::token_line(paint, info));
        }
        if reveal && let Some(response) = &response {
            println!("{}", response.access_token.expose());
        }
    }
    if !global.json && !findings.is_empty() {
        println!();
        print!("{}", render::findings(paint, &findings));
    }
    let unreachable = resolved.discovery.as_ref().is_some_and(|d| {
        matches!(&d.error_kind, Some(crate::core::discovery::DiscoveryError::Http(h)) if h.is_unreachable())
    }) || request.as_ref().is_some_and(|r| {
        matches!(&r.error_kind, Some(crate::core::token_request::TokenError::Http(h)) if h.is_unreachable())
    });
    Ok(match (response.is_some(), unreachable) {
        (true, _) => Exit::Ok,
        (false, true) => Exit::Network,
        (false, false) => Exit::Denied,
    })
}
