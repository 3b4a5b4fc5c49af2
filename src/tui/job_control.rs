//! Job control on the real terminal: Ctrl-Z and SIGTSTP hand the terminal back to the shell and
//! stop the process; `fg` (SIGCONT) takes the terminal again.

use std::io::{self, Stdout};

use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::event_loop::JobControl;

/// Suspends and resumes the TUI on the process's terminal, and lends it to the editor.
pub struct TerminalJobControl {
    pub input: TerminalInput,
}

/// The terminal's events, let go of while another program (the editor) owns the terminal:
/// crossterm's reader thread would otherwise take that program's keystrokes. Released, the
/// stream is dropped (stopping its thread) and made anew on the next poll.
#[derive(Clone, Default)]
pub struct TerminalInput(std::sync::Arc<std::sync::Mutex<Option<crossterm::event::EventStream>>>);

impl TerminalInput {
    fn release(&self) {
        if let Ok(mut stream) = self.0.lock() {
            stream.take();
        }
    }
}

impl futures_util::Stream for TerminalInput {
    type Item = io::Result<crossterm::event::Event>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use futures_util::StreamExt as _;
        match self.0.lock() {
            Ok(mut stream) => stream.get_or_insert_with(crossterm::event::EventStream::new).poll_next_unpin(cx),
            // A panic while holding the lock is a bug elsewhere; end the input (the app quits).
            Err(_) => std::task::Poll::Ready(None),
        }
    }
}

impl JobControl<CrosstermBackend<Stdout>> for TerminalJobControl {
    fn suspend(&mut self, terminal: &mut Terminal<CrosstermBackend<Stdout>>) -> io::Result<()> {
        if cfg!(unix) {
            leave(terminal)?;
            stop_process();
        }
        Ok(())
    }

    fn resume(&mut self, _terminal: &mut Terminal<CrosstermBackend<Stdout>>) -> io::Result<()> {
        // Also after a stop we did not see coming (SIGSTOP): the shell may have put the
        // terminal back into cooked mode meanwhile. Entering twice is harmless.
        if cfg!(unix) { enter() } else { Ok(()) }
    }

    fn edit(
        &mut self,
        terminal: &mut Terminal<CrosstermBackend<Stdout>>,
        path: &std::path::Path,
    ) -> io::Result<Result<(), String>> {
        leave(terminal)?;
        self.input.release();
        let edited = super::editor::run_editor(path, true);
        enter()?;
        Ok(edited)
    }
}

/// Undoes everything `tui::run` turned on, in reverse: mouse reporting, bracketed paste, the
/// alternate screen, the hidden cursor, raw mode.
fn leave(terminal: &mut Terminal<CrosstermBackend<Stdout>>) -> io::Result<()> {
    crossterm::execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste, LeaveAlternateScreen)?;
    terminal.show_cursor()?;
    disable_raw_mode()
}

/// Turns on again what [`leave`] turned off (the next draw hides the cursor).
fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    crossterm::execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture, EnableBracketedPaste)
}

/// Stops the process as Ctrl-Z would have in cooked mode, and returns once it is continued.
///
/// SIGTSTP goes to our whole process group first (a `sh -c` wrapper or `cargo run` stops with
/// us, so the shell sees the job stop) while we ignore it ourselves; then we raise it on this
/// thread with the default action, which stops the process before `raise` returns. The kernel
/// drops SIGTSTP for an orphaned process group (no job-control shell could continue it), so
/// there this returns at once and the TUI simply comes back.
#[cfg(unix)]
fn stop_process() {
    // SAFETY: plain libc calls on zero-initialised `sigaction` structs that the calls fill in
    // or read; the previous disposition (tokio's handler) is put back before returning.
    unsafe {
        let mut previous: libc::sigaction = std::mem::zeroed();
        if set_disposition(libc::SIG_IGN, &mut previous) != 0 {
            // Cannot change how SIGTSTP is handled: stop this process alone.
            libc::kill(libc::getpid(), libc::SIGSTOP);
            return;
        }
        libc::kill(0, libc::SIGTSTP);
        let mut ignored: libc::sigaction = std::mem::zeroed();
        set_disposition(libc::SIG_DFL, &mut ignored);
        libc::raise(libc::SIGTSTP);
        libc::sigaction(libc::SIGTSTP, &previous, std::ptr::null_mut());
    }
}

/// Sets SIGTSTP's disposition to `handler` (SIG_IGN or SIG_DFL), saving the old one.
#[cfg(unix)]
unsafe fn set_disposition(handler: libc::sighandler_t, previous: &mut libc::sigaction) -> libc::c_int {
    // SAFETY: the caller passes a valid out-pointer; the new action is fully initialised.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = handler;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGTSTP, &action, previous)
    }
}

#[cfg(not(unix))]
fn stop_process() {}
