//! Writing to stdout without panicking when the reader goes away (`tokdbg … | head`).

use std::io::Write;

/// Exit status of a process whose output pipe closed, as a shell reports SIGPIPE.
const BROKEN_PIPE_EXIT: i32 = 141;

/// Writes `text` to stdout; a closed pipe ends the process quietly, like a SIGPIPE would.
pub fn write(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush())
        && error.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(BROKEN_PIPE_EXIT);
    }
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

pub(crate) use {out, outln};
