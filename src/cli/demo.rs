//! `tokdbg demo`: the embedded issuer and API, served alone or toured call by call.

use std::net::SocketAddr;

use crate::core::diagnose::Verdict;
use crate::core::engine::{CallSpec, Engine};
use crate::core::net::http::HttpConfig;
use crate::core::secret_choice::{self, TokenWanted};
use crate::core::store::profile_store::parse_profile;
use crate::demo::{self, DemoServer};

use super::args::Global;
#[cfg(feature = "tui")]
use super::demo_dir::{DemoDir, remove_stale_in};
use super::input::read_needed;
use super::outcome::{CliError, CmdResult, Exit};
use super::paint::Paint;
use super::stdout::outln;

/// `tokdbg demo serve`: run until Ctrl-C.
pub fn serve(paint: &Paint, runtime: &tokio::runtime::Runtime, addr: SocketAddr) -> CmdResult {
    runtime.block_on(async {
        let server = DemoServer::start(addr).await.map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                " (is another demo running? pick another with --addr)"
            } else {
                ""
            };
            CliError::network(format!("cannot listen on {addr}: {e}{hint}"))
        })?;
        outln!("{} demo issuer  {}", paint.green("●"), server.issuer());
        outln!("  discovery    {}/.well-known/openid-configuration", server.issuer());
        outln!(
            "  protected    {}/api/protected (order:read), POST {}/api/orders (order:write)",
            server.base_url(),
            server.base_url()
        );
        if addr.to_string() == demo::DEFAULT_ADDR {
            outln!("  profiles     profiles/demo-*.toml point here: try  tokdbg --profiles profiles call demo-reader");
        } else {
            outln!(
                "  profiles     profiles/demo-*.toml point at {}: pass --addr {} to match them",
                demo::DEFAULT_ADDR,
                demo::DEFAULT_ADDR
            );
        }
        outln!("  (demo-only credentials and keys; Ctrl-C stops)");
        let _ = tokio::signal::ctrl_c().await;
        server.shutdown().await;
        Ok(Exit::Ok)
    })
}

/// `tokdbg demo` in a terminal: the demo server in-process on a free port, the TUI over its profiles.
#[cfg(feature = "tui")]
pub fn interactive(global: &Global, runtime: &tokio::runtime::Runtime) -> CmdResult {
    runtime.block_on(async {
        let server = DemoServer::start(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .map_err(|e| CliError::network(format!("cannot start the demo server on 127.0.0.1: {e}")))?;
        // The demo's profiles live in a fresh private directory for this run (random name, 0700),
        // removed on the way out (the guard covers errors and panics; a later run sweeps up
        // after a killed one). The TUI edits them there like any profile directory.
        let temp = std::env::temp_dir();
        remove_stale_in(&temp);
        let dir = DemoDir::create_in(&temp).map_err(|e| {
            CliError::profile(format!(
                "cannot create a private directory for the demo profiles in {}: {e}",
                temp.display()
            ))
        })?;
        demo::write_demo_profiles(dir.path(), &server.base_url()).map_err(|e| {
            CliError::profile(format!("cannot write the demo profiles to {}: {e}", dir.path().display()))
        })?;
        let store =
            crate::core::store::profile_store::load_dir(dir.path(), crate::core::store::profile_store::DirOrigin::Flag)
                .map_err(|e| CliError::profile(e.to_string()))?;
        let banner = format!("demo issuer {} · demo-only credentials · ? for keys", server.issuer());
        let outcome =
            crate::tui::run(&store, Some(banner), Paint::color_for_tui(global.no_color), Some("demo-reader")).await;
        server.shutdown().await;
        drop(dir);
        outcome.map_err(|e| CliError::usage(format!("the terminal UI failed: {e}")))?;
        Ok(Exit::Ok)
    })
}

/// `tokdbg demo` without a subcommand, in a non-interactive context: call every demo profile's
/// first endpoint and print one line each.
pub fn tour(global: &Global, paint: &Paint, runtime: &tokio::runtime::Runtime) -> CmdResult {
    runtime.block_on(async {
        let server = DemoServer::start(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .map_err(|e| CliError::network(format!("cannot start the demo server on 127.0.0.1: {e}")))?;
        let engine = Engine::new(HttpConfig::default());
        let mut reports = Vec::new();
        for (stem, text) in demo::demo_profiles(&server.base_url()) {
            let profile = parse_profile(&text, stem).map_err(|e| CliError::profile(e.to_string()))?;
            for endpoint in profile.endpoints.iter().take(if stem == "demo-reader" { usize::MAX } else { 1 }) {
                let wanted = if profile.client.is_some() { TokenWanted::Fetch { force: false } } else { TokenWanted::None };
                let cached = engine.cached_token(stem, &profile).map(|cached| cached.token);
                let needs = secret_choice::secrets_needed(&profile, wanted, cached)
                    .map_err(|e| CliError::profile(format!("{stem}: {e}")))?;
                let (token, hmac) = read_needed(needs, stem).await?;
                let spec = CallSpec { profile_key: stem.to_owned(), profile: profile.clone(), endpoint: endpoint.clone(), token };
                reports.push(engine.call(spec, hmac).await);
            }
        }
        server.shutdown().await;
        if global.json {
            super::stdout::json(&reports);
            return Ok(Exit::Ok);
        }
        outln!("{}", paint.bold("tokdbg demo — every demo profile against the embedded issuer and API"));
        for report in &reports {
            let status = report.response.as_ref().map(|r| paint.status(r.status)).unwrap_or_else(|| paint.magenta("---"));
            let verdict = match report.verdict {
                Verdict::Allowed => paint.green("allowed"),
                Verdict::Denied => paint.red("denied "),
                Verdict::Error => paint.magenta("error  "),
            };
            let primary = report.findings.first();
            outln!(
                "{:<22} {:<26} {status} {verdict} {:<22} {}",
                report.profile,
                crate::core::net::http::excerpt(&report.endpoint.name, 26),
                primary.map(|f| f.code.as_str()).unwrap_or(""),
                primary.map(|f| crate::core::net::http::excerpt(&f.message, 90)).unwrap_or_default()
            );
        }
        outln!("\nRun `tokdbg demo serve` and `tokdbg --profiles profiles call PROFILE [ENDPOINT]` for the full story of one call.");
        Ok(Exit::Ok)
    })
}
