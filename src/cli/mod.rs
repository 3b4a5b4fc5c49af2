//! The command-line front-end: parses arguments, runs one command, returns the exit code.

pub mod args;
mod call;
mod decode;
mod demo;
mod demo_dir;
mod input;
pub mod outcome;
pub mod paint;
mod profiles;
mod prompt;
pub mod render;
mod stdout;
mod token;
mod verify;

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};

use args::{Cli, Command, DemoAction};
use outcome::{CliError, Exit};
use paint::Paint;
use stdout::outln;

/// Runs tokdbg with the process's arguments.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return parse_error(&error),
    };
    let paint = Paint::detect(cli.global.no_color);
    // decode, profiles and completions never await: a multi-threaded runtime (a thread per
    // core) would cost them more than their own work (benches/README.md, whole process).
    let built = match &cli.command {
        Some(Command::Decode { .. } | Command::Profiles { .. } | Command::Completions { .. }) => {
            tokio::runtime::Builder::new_current_thread().build()
        }
        _ => tokio::runtime::Builder::new_multi_thread().enable_all().build(),
    };
    let runtime = match built {
        Ok(runtime) => runtime,
        Err(e) => {
            stdout::write_err(&format!("tokdbg: cannot start the async runtime: {e}\n"));
            return Exit::Usage.into();
        }
    };
    let global = &cli.global;
    let result = match &cli.command {
        Some(Command::Decode { token }) => decode::run(global, &paint, token.as_deref()),
        Some(Command::Verify(args)) => verify::run(global, &paint, &runtime, args),
        Some(Command::Token { profile, reveal }) => token::run(global, &paint, &runtime, profile, *reveal),
        Some(Command::Call(args)) => call::run(global, &paint, &runtime, args),
        Some(Command::Profiles { action }) => profiles::run(global, &paint, action.as_ref()),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(*shell, &mut Cli::command(), "tokdbg", &mut std::io::stdout());
            Ok(Exit::Ok)
        }
        Some(Command::Demo { action: Some(DemoAction::Serve { addr }) }) => demo::serve(&paint, &runtime, *addr),
        Some(Command::Demo { action: None }) if interactive(global) => demo::interactive(global, &runtime),
        Some(Command::Demo { action: None }) => demo::tour(global, &paint, &runtime),
        None if interactive(global) => tui_over_user_profiles(global, &runtime),
        None => Err(CliError::usage(
            "the interactive view needs a terminal: use a command (tokdbg --help), e.g. tokdbg profiles list",
        )),
    };
    // Leave no task (e.g. a hanging request) keeping the process alive.
    runtime.shutdown_background();
    // Nor a secret command (its own process group: nothing else would stop it).
    crate::core::model::secret_cmd::kill_all();
    match result {
        Ok(exit) => exit.into(),
        Err(error) => {
            error.report(global.json);
            error.exit.into()
        }
    }
}

/// Prints clap's message (help, version, or a usage error); with `--json` a usage error is
/// also printed as `{"error": {...}}` on stdout, like every other error.
/// The TUI needs a terminal on both ends; scripts and pipes get the CLI.
fn interactive(global: &args::Global) -> bool {
    use std::io::IsTerminal;
    !global.json && std::io::stdout().is_terminal() && std::io::stdin().is_terminal()
}

fn tui_over_user_profiles(global: &args::Global, runtime: &tokio::runtime::Runtime) -> outcome::CmdResult {
    let store = input::load_store(global)?;
    let banner = format!("profiles from {} ({})", store.dir.display(), store.origin.describe());
    runtime
        .block_on(crate::tui::run(&store, Some(banner), Paint::color_for_tui(global.no_color), None))
        .map_err(|e| CliError::usage(format!("the terminal UI failed: {e}")))?;
    Ok(Exit::Ok)
}

fn parse_error(error: &clap::Error) -> ExitCode {
    let is_error = !matches!(error.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion);
    if is_error {
        // A usage error quotes the arguments, which may be a pasted token: shown, never obeyed.
        stdout::write_err(&error.render().to_string());
    } else {
        let _ = error.print();
    }
    let json = std::env::args_os().skip(1).take_while(|a| a != "--").any(|a| a == "--json");
    if is_error && json {
        let rendered = error.render().to_string();
        // The first paragraph: "unexpected argument ...", or "required arguments ...: <TOKEN>".
        let first: Vec<&str> = rendered.lines().map(str::trim).take_while(|l| !l.is_empty()).collect();
        let message = first.join(" ").trim_start_matches("error: ").to_owned();
        let message = if message.is_empty() { error.kind().to_string() } else { message };
        let value =
            serde_json::json!({ "error": { "kind": "usage", "message": message, "exit_code": Exit::Usage as u8 } });
        outln!("{}", crate::core::safe_text::json(&value, false));
    }
    if is_error { Exit::Usage.into() } else { Exit::Ok.into() }
}
