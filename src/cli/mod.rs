//! The command-line front-end: parses arguments, runs one command, returns the exit code.

pub mod args;
mod call;
mod decode;
mod demo;
mod input;
pub mod outcome;
pub mod paint;
mod profiles;
mod prompt;
pub mod render;
mod token;
mod verify;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use args::{Cli, Command, DemoAction};
use outcome::{CliError, Exit};
use paint::Paint;

/// Runs tokdbg with the process's arguments.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let paint = Paint::detect(cli.global.no_color);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("tokdbg: cannot start the async runtime: {e}");
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
        Some(Command::Demo { action: None }) => demo::tour(global, &paint, &runtime),
        None => Err(CliError::usage(
            "the interactive view is not built yet: use a command (tokdbg --help), or `tokdbg demo` for a tour",
        )),
    };
    // Leave no task (e.g. a hanging request) keeping the process alive.
    runtime.shutdown_background();
    match result {
        Ok(exit) => exit.into(),
        Err(error) => {
            error.report(global.json);
            error.exit.into()
        }
    }
}
