//! `tokdbg demo`: the embedded issuer and API, served alone or toured call by call.

use std::net::SocketAddr;
use std::path::Path;

use crate::core::diagnose::Verdict;
use crate::core::engine::{CallSpec, Engine};
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

/// `tokdbg demo serve`: run until Ctrl-C; with `--write-profiles DIR`, the demo profiles
/// pointed at this server are written there first, so they work without the repository.
pub fn serve(
    global: &Global,
    paint: &Paint,
    runtime: &tokio::runtime::Runtime,
    addr: SocketAddr,
    write_profiles: Option<&Path>,
) -> CmdResult {
    runtime.block_on(async {
        let server = DemoServer::start(addr).await.map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                " (is another demo running? pick another with --addr)"
            } else {
                ""
            };
            CliError::network(format!("cannot listen on {addr}: {e}{hint}"))
        })?;
        if let Some(dir) = write_profiles
            && let Err(error) = write_profiles_into(dir, &server.base_url())
        {
            server.shutdown().await;
            return Err(error);
        }
        let base = server.base_url();
        let matches_repository = server.base_url().ends_with(&format!("//{}", demo::DEFAULT_ADDR));
        let profiles_hint = match write_profiles {
            Some(dir) => format!("tokdbg --profiles {} call demo-reader", dir.display()),
            None if matches_repository => "tokdbg --profiles profiles call demo-reader   (in a tokdbg checkout), or restart with --write-profiles DIR".to_owned(),
            None => format!(
                "restart with --write-profiles DIR to get demo profiles pointed here (the repository's profiles/demo-*.toml point at {})",
                demo::DEFAULT_ADDR
            ),
        };
        if global.json {
            let value = serde_json::json!({
                "issuer": server.issuer(),
                "base_url": base,
                "discovery": format!("{}/.well-known/openid-configuration", server.issuer()),
                "protected": format!("{base}/api/protected"),
                "orders": format!("{base}/api/orders"),
                "profiles_dir": write_profiles,
                "pid": std::process::id(),
            });
            super::stdout::json(&value);
        } else {
            outln!("{} demo issuer  {}", paint.green("●"), server.issuer());
            outln!("  discovery    {}/.well-known/openid-configuration", server.issuer());
            outln!("  protected    {base}/api/protected (order:read), POST {base}/api/orders (order:write)");
            if let Some(dir) = write_profiles {
                outln!("  profiles     written to {} (files 0600)", dir.display());
            }
            outln!("  try          {profiles_hint}");
            outln!("  (demo-only credentials and keys; pid {}; Ctrl-C stops)", std::process::id());
        }
        let _ = tokio::signal::ctrl_c().await;
        server.shutdown().await;
        Ok(Exit::Ok)
    })
}

/// Writes every demo profile into `dir` (created 0700 if missing, files 0600), refusing before
/// writing anything when one of them exists already: a user's file is never overwritten.
fn write_profiles_into(dir: &Path, base_url: &str) -> Result<(), CliError> {
    let existing: Vec<String> = demo::demo_profiles(base_url)
        .iter()
        .map(|(stem, _)| dir.join(format!("{stem}.toml")))
        .filter(|path| std::fs::symlink_metadata(path).is_ok())
        .map(|path| path.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(CliError::usage(format!(
            "--write-profiles {}: would overwrite {} (remove them, or pick an empty directory)",
            dir.display(),
            existing.join(", ")
        )));
    }
    demo::write_demo_profiles(dir, base_url)
        .map_err(|e| CliError::profile(format!("cannot write the demo profiles to {}: {e}", dir.display())))
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
        let engine = Engine::new(global.http_config());
        let issuer = server.issuer();
        // The https profiles read the demo CA and their client certificates from files beside
        // them: a private directory (0700, removed when the tour ends) holds them.
        let dir = tempfile::tempdir().map_err(|e| {
            CliError::profile(format!("cannot create a private directory for the demo's certificates: {e}"))
        })?;
        demo::write_demo_profiles(dir.path(), &server.base_url()).map_err(|e| {
            CliError::profile(format!("cannot write the demo profiles to {}: {e}", dir.path().display()))
        })?;
        let mut reports = Vec::new();
        for (stem, text) in demo::demo_profiles_in(&server.base_url(), dir.path()) {
            let mut profile = parse_profile(&text, stem).map_err(|e| CliError::profile(e.to_string()))?;
            profile.tls.base_dir = Some(dir.path().to_path_buf());
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
            // One object, as every command's --json: the calls under `calls`.
            super::stdout::json(&serde_json::json!({ "issuer": issuer, "calls": reports }));
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
        outln!("\nRun `tokdbg demo serve --write-profiles DIR` and `tokdbg --profiles DIR call PROFILE [ENDPOINT]` for the full story of one call.");
        Ok(Exit::Ok)
    })
}
