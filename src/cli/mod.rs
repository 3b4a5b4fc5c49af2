//! The command-line front-end: parses arguments, runs one command, returns the exit code.

pub mod args;
mod call;
mod check_api;
mod columns;
mod completions;
mod decode;
#[cfg(feature = "demo")]
mod demo;
#[cfg(all(feature = "demo", feature = "tui"))]
mod demo_dir;
mod init;
mod input;
mod introspect;
pub mod outcome;
pub mod paint;
mod profiles;
mod prompt;
pub mod render;
mod stdout;
mod suggest;
mod token;
mod token_curl;
mod verify;
mod verify_as;
mod waterfall;

use std::process::ExitCode;

use clap::CommandFactory as _;
use clap::error::ErrorKind;

#[cfg(feature = "demo")]
use args::DemoAction;
use args::{Cli, Command, Global, ImportWhat};
use outcome::{CliError, Exit};
use paint::Paint;
use stdout::outln;

/// Runs tokdbg with the process's arguments.
pub fn main() -> ExitCode {
    let cli = match parse_args() {
        Ok(cli) => cli,
        Err(error) => return parse_error(&error),
    };
    let paint = Paint::detect(cli.global.no_color);
    let global = &cli.global;
    let result = match &cli.command {
        // decode, profiles and completions never await: they run without an async runtime, whose
        // start-up would cost them more than their own work (benches/README.md, whole process).
        Some(Command::Decode { token }) => decode::run(global, &paint, token.as_deref()),
        Some(Command::Profiles { action }) => profiles::run(global, &paint, action.as_ref()),
        Some(Command::Completions { shell }) => completions::run(*shell),
        Some(Command::Verify(args)) => on_runtime(|runtime| verify::run(global, &paint, runtime, args)),
        Some(Command::Token { profile, curl: true, .. }) => {
            on_runtime(|runtime| token_curl::run(global, runtime, profile))
        }
        Some(Command::Token { profile, reveal, raw, curl: false }) => {
            let shown = if *raw {
                token::Shown::Raw
            } else if *reveal {
                token::Shown::Revealed
            } else {
                token::Shown::Redacted
            };
            on_runtime(|runtime| token::run(global, &paint, runtime, profile, shown))
        }
        Some(Command::Call(args)) => on_runtime(|runtime| call::run(global, &paint, runtime, args)),
        Some(Command::Introspect { profile, token }) => {
            on_runtime(|runtime| introspect::run_introspect(global, &paint, runtime, profile, token.as_deref()))
        }
        Some(Command::Revoke { profile, token }) => {
            on_runtime(|runtime| introspect::run_revoke(global, &paint, runtime, profile, token))
        }
        Some(Command::CheckApi(args)) => on_runtime(|runtime| check_api::run(global, &paint, runtime, args)),
        Some(Command::Init(args)) => on_runtime(|runtime| init::run(global, &paint, runtime, args)),
        Some(Command::Import { what: ImportWhat::Curl { command, draft } }) => {
            init::import_curl(global, &paint, command, draft)
        }
        #[cfg(feature = "demo")]
        Some(Command::Demo { action: Some(DemoAction::Serve { addr, write_profiles }) }) => {
            on_runtime(|runtime| demo::serve(global, &paint, runtime, *addr, write_profiles.as_deref()))
        }
        #[cfg(all(feature = "demo", feature = "tui"))]
        Some(Command::Demo { action: None }) if interactive(global) => {
            on_runtime(|runtime| demo::interactive(global, runtime))
        }
        #[cfg(all(feature = "demo", not(feature = "tui")))]
        Some(Command::Demo { action: None }) if interactive(global) => {
            Err(no_tui("`tokdbg demo serve` runs the demo issuer and API, `tokdbg demo | cat` calls each demo profile"))
        }
        #[cfg(feature = "demo")]
        Some(Command::Demo { action: None }) => on_runtime(|runtime| demo::tour(global, &paint, runtime)),
        #[cfg(not(feature = "demo"))]
        Some(Command::Demo { .. }) => {
            Err(CliError::usage("this build of tokdbg has no demo (built without the `demo` feature)"))
        }
        #[cfg(feature = "tui")]
        None if interactive(global) => on_runtime(|runtime| tui_over_user_profiles(global, runtime)),
        #[cfg(not(feature = "tui"))]
        None if interactive(global) => Err(no_tui("use a command (tokdbg --help), e.g. tokdbg profiles list")),
        None => Err(CliError::usage(
            "the interactive view needs a terminal: use a command (tokdbg --help), e.g. tokdbg profiles list",
        )),
    };
    // Leave no secret command running (its own process group: nothing else would stop it).
    crate::core::model::secret_cmd::kill_all();
    match result {
        Ok(exit) => exit.into(),
        Err(error) => {
            error.report(global.json);
            error.exit.into()
        }
    }
}

/// `Cli::try_parse`, minus freeing clap's command tree: every subcommand with its arguments and
/// help, built once to parse one command line. Freeing it took 7 % of a whole `tokdbg decode`
/// (52 k of 781 k instructions, benches/README.md "Start-up"); the process ends soon and its
/// memory goes back with it.
fn parse_args() -> Result<Cli, clap::Error> {
    use clap::FromArgMatches;
    if let Some(cli) = parse_decode(std::env::args_os().collect()) {
        return Ok(cli);
    }
    let mut command = Cli::command();
    let parsed = command
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|mut matches| Cli::from_arg_matches_mut(&mut matches).map_err(|error| error.format(&mut command)));
    std::mem::forget(command);
    parsed
}

/// `tokdbg [global flags] decode [TOKEN]` parsed against a tree that holds only `decode`.
///
/// The derived tree builds every subcommand and copies the six global flags into each: 320 k
/// of the 900 k instructions of a whole `tokdbg decode` (benches/README.md §7), the command
/// that runs in a shell loop or a pipe. Anything else — another subcommand, help, a version,
/// a parse error — returns `None` and goes through the full tree, whose errors and help are
/// the ones users see.
fn parse_decode(args: Vec<std::ffi::OsString>) -> Option<Cli> {
    use clap::{Args as _, FromArgMatches as _};
    let asks_help = |a: &std::ffi::OsString| ["-h", "--help", "help", "-V", "--version"].iter().any(|h| a == h);
    if !args.iter().skip(1).any(|a| a == "decode") || args.iter().skip(1).any(asks_help) {
        return None;
    }
    let decode = clap::Command::new("decode").arg(clap::Arg::new("token").num_args(1));
    let mut command = Global::augment_args(clap::Command::new("tokdbg")).subcommand(decode);
    let mut matches = command.try_get_matches_from_mut(args).ok()?;
    std::mem::forget(command);
    let global = Global::from_arg_matches_mut(&mut matches).ok()?;
    let (name, sub) = matches.subcommand()?;
    (name == "decode")
        .then(|| Cli { global, command: Some(Command::Decode { token: sub.get_one::<String>("token").cloned() }) })
}

/// Runs a command that awaits (HTTP, the demo server, the TUI) on a multi-threaded runtime.
fn on_runtime(run: impl FnOnce(&tokio::runtime::Runtime) -> outcome::CmdResult) -> outcome::CmdResult {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::usage(format!("cannot start the async runtime: {e}")))?;
    let result = run(&runtime);
    // Leave no task (e.g. a hanging request) keeping the process alive.
    runtime.shutdown_background();
    result
}

/// What a terminal gets from a build without the interactive view, with what to use instead.
#[cfg(not(feature = "tui"))]
fn no_tui(instead: &str) -> CliError {
    CliError::usage(format!("this build of tokdbg has no TUI (built without the `tui` feature): {instead}"))
}

/// The TUI needs a terminal on both ends; scripts and pipes get the CLI.
fn interactive(global: &args::Global) -> bool {
    use std::io::IsTerminal;
    !global.json && std::io::stdout().is_terminal() && std::io::stdin().is_terminal()
}

#[cfg(feature = "tui")]
fn tui_over_user_profiles(global: &args::Global, runtime: &tokio::runtime::Runtime) -> outcome::CmdResult {
    let store = input::load_store(global)?;
    let banner = format!("profiles from {} ({})", store.dir.display(), store.origin.describe());
    runtime
        .block_on(crate::tui::run(&store, Some(banner), Paint::color_for_tui(global.no_color), None))
        .map_err(|e| CliError::usage(format!("the terminal UI failed: {e}")))?;
    Ok(Exit::Ok)
}

/// Prints clap's message (help, version, or a usage error); with `--json` a usage error is
/// also printed as `{"error": {...}}` on stdout, like every other error.
fn parse_error(error: &clap::Error) -> ExitCode {
    let is_error = !matches!(error.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion);
    if is_error {
        // A usage error quotes the arguments, which may be a pasted token: shown, never obeyed,
        // and without its signature.
        stdout::write_err(&without_signatures(&error.render().to_string()));
    } else {
        let _ = error.print();
    }
    let json = std::env::args_os().skip(1).take_while(|a| a != "--").any(|a| a == "--json");
    if is_error && json {
        let rendered = without_signatures(&error.render().to_string());
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

/// `text` with every word that looks like a JWS (three dot-separated base64url parts) shown
/// without its signature, as tokens are everywhere else.
fn without_signatures(text: &str) -> String {
    let is_b64url =
        |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let parts: Vec<&str> = word.split('.').collect();
        if parts.len() == 3 && parts.iter().all(|p| is_b64url(p)) && parts[2].len() >= 8 {
            out.push_str(&crate::core::model::secret::redact_token(word));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::without_signatures;

    /// The decode-only tree reads a command line as the full tree does, and leaves every
    /// other line (and every error, and help) to the full tree.
    #[test]
    fn decode_lines_parse_as_the_full_tree_parses_them() {
        use clap::Parser as _;
        let lines: [&[&str]; 6] = [
            &["tokdbg", "decode", "a.b.c"],
            &["tokdbg", "--json", "decode"],
            &["tokdbg", "decode", "a.b.c", "--no-color", "--json"],
            &["tokdbg", "--profiles", "decode", "decode", "-"],
            &["tokdbg", "--timeout", "5", "decode", "--insecure", "x"],
            &["tokdbg", "decode", "--cacert", "ca.pem", "decode"],
        ];
        for line in lines {
            let fast = super::parse_decode(line.iter().map(Into::into).collect()).expect("fast path");
            let full = super::Cli::try_parse_from(line).expect("full tree");
            assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{line:?}");
        }
        let others: [&[&str]; 6] = [
            &["tokdbg", "call", "decode"],
            &["tokdbg", "decode", "--help"],
            &["tokdbg", "decode", "a", "b"],
            &["tokdbg", "decode", "--bogus"],
            &["tokdbg", "help", "decode"],
            &["tokdbg", "verify", "decode", "--jwks", "http://x"],
        ];
        for line in others {
            assert!(super::parse_decode(line.iter().map(Into::into).collect()).is_none(), "{line:?}");
        }
    }

    #[test]
    fn a_token_quoted_by_a_usage_error_loses_its_signature() {
        let text = "error: unexpected argument 'eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJlLXBhcnQ' found; see 'tokdbg --help'.";
        let shown = without_signatures(text);
        assert!(!shown.contains("c2lnbmF0dXJlLXBhcnQ"), "{shown}");
        assert!(shown.contains("eyJhbGciOi.eyJzdWIiOi.[signature redacted]"), "{shown}");
        assert_eq!(without_signatures("see 'tokdbg --help' or v1.2.3"), "see 'tokdbg --help' or v1.2.3");
    }
}
