//! The CLI's output boundary: everything it prints passes `paint::terminal_safe`, and a closed
//! pipe (`tokdbg … | head`) ends the process quietly instead of panicking.

use std::io::Write;

/// Exit status of a process whose output pipe closed, as a shell reports SIGPIPE.
const BROKEN_PIPE_EXIT: i32 = 141;

/// Writes `text` to stdout, made terminal-safe; a closed pipe ends the process like a SIGPIPE.
pub fn write(text: &str) {
    let safe = super::paint::terminal_safe(text);
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout.write_all(safe.as_bytes()).and_then(|()| stdout.flush())
        && error.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(BROKEN_PIPE_EXIT);
    }
}

/// Writes `text` to stderr, made terminal-safe (error messages quote servers and profiles).
pub fn write_err(text: &str) {
    let safe = super::paint::terminal_safe(text);
    let _ = std::io::stderr().lock().write_all(safe.as_bytes());
}

/// `value` as pretty JSON on stdout, with DEL, C1, bidi and format characters escaped.
pub fn json(value: &impl serde::Serialize) {
    write(&format!("{}\n", crate::core::safe_text::json(value, true)));
}

/// `println!` for command output.
macro_rules! outln {
    () => { $crate::cli::stdout::write("\n") };
    ($($arg:tt)*) => { $crate::cli::stdout::write(&format!("{}\n", format_args!($($arg)*))) };
}

/// `print!` for command output.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::stdout::write(&format!($($arg)*)) };
}

/// `eprintln!` for messages.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::stdout::write_err(&format!("{}\n", format_args!($($arg)*))) };
}

pub(crate) use {errln, out, outln};
