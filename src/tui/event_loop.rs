//! The message loop: input, finished tasks and ticks in, `update`, commands out, redraw when
//! something changed. Generic over the ratatui backend and the input stream, so tests drive it.

use std::time::Duration;

use crossterm::event::KeyEventKind;
use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::layout::Rect;
use tokio::sync::mpsc::UnboundedReceiver;

use super::keymap;
use super::msg::{Cmd, Msg};
use super::state::app::App;
use super::tasks::Runner;
use super::update::update;
use super::view;

/// Spinners move ten times a second; countdowns once a second.
const SPINNER_TICK: Duration = Duration::from_millis(100);
const CLOCK_TICK: Duration = Duration::from_secs(1);

/// Hands the terminal to the shell and takes it back (Ctrl-Z / SIGTSTP, then `fg` / SIGCONT).
pub trait JobControl<B: Backend> {
    /// Restores the terminal for the shell, then stops the process; returns once continued.
    fn suspend(&mut self, terminal: &mut Terminal<B>) -> Result<(), B::Error>;
    /// Takes the terminal again (raw mode, alternate screen, mouse, paste); the loop then
    /// clears and redraws everything, since the shell wrote over the screen meanwhile.
    fn resume(&mut self, terminal: &mut Terminal<B>) -> Result<(), B::Error>;
    /// Runs the user's editor on `path` with the terminal handed over, and takes it back;
    /// `Err` inside says why the editor did not run or failed.
    fn edit(&mut self, _terminal: &mut Terminal<B>, path: &std::path::Path) -> Result<Result<(), String>, B::Error> {
        Ok(super::editor::run_editor(path, false))
    }
}

/// For a backend that is no real terminal (tests, benches): nothing to hand over.
pub struct NoJobControl;

impl<B: Backend> JobControl<B> for NoJobControl {
    fn suspend(&mut self, _terminal: &mut Terminal<B>) -> Result<(), B::Error> {
        Ok(())
    }

    fn resume(&mut self, _terminal: &mut Terminal<B>) -> Result<(), B::Error> {
        Ok(())
    }
}

/// [`run_with_job_control`] without job control.
pub async fn run<B, S>(
    terminal: &mut Terminal<B>,
    input: S,
    app: &mut App,
    runner: &mut Runner,
    results: UnboundedReceiver<Msg>,
    clock: impl Fn() -> i64,
) -> Result<(), B::Error>
where
    B: Backend,
    S: Stream<Item = Msg> + Unpin,
{
    run_with_job_control(terminal, input, app, runner, results, clock, &mut NoJobControl).await
}

/// The loop; `jobs` suspends and resumes the terminal on Ctrl-Z (in raw mode a key, not a
/// signal), [`Msg::Suspend`] and [`Msg::Resume`].
pub async fn run_with_job_control<B, S>(
    terminal: &mut Terminal<B>,
    mut input: S,
    app: &mut App,
    runner: &mut Runner,
    mut results: UnboundedReceiver<Msg>,
    clock: impl Fn() -> i64,
    jobs: &mut impl JobControl<B>,
) -> Result<(), B::Error>
where
    B: Backend,
    S: Stream<Item = Msg> + Unpin,
{
    let mut dirty = true;
    let mut waiting_idle = false;
    loop {
        if dirty {
            terminal.draw(|frame| view::render(frame, app))?;
            dirty = false;
        }
        if app.quit {
            return Ok(());
        }
        let tick_every = if app.running.is_empty() { CLOCK_TICK } else { SPINNER_TICK };
        let msg = tokio::select! {
            next = input.next(), if !waiting_idle => match next {
                Some(Msg::WaitIdle) => {
                    waiting_idle = !app.running.is_empty();
                    continue;
                }
                Some(msg) => msg,
                None => return Ok(()),
            },
            Some(msg) = results.recv() => msg,
            _ = tokio::time::sleep(tick_every), if app.needs_tick() => Msg::Tick(clock()),
        };
        let suspend = matches!(msg, Msg::Suspend) || is_suspend_key(&msg);
        if suspend || matches!(msg, Msg::Resume) {
            if suspend {
                jobs.suspend(terminal)?;
            }
            jobs.resume(terminal)?;
            // Clear the screen and forget what ratatui believes is on it, so the next draw paints
            // every cell, at the size the terminal has now. (Not `Terminal::clear`: it asks the
            // terminal for the cursor position, and the input stream may swallow the answer.)
            let size = terminal.size()?;
            terminal.resize(Rect::new(0, 0, size.width, size.height))?;
            app.size = (size.width, size.height);
            app.now = clock();
            dirty = true;
            continue;
        }
        if let Msg::Done(task, _) = &msg {
            runner.finished(*task);
        }
        // The loop owns the clock: every message sees the current time, so a result that
        // arrives between ticks is not shown against a stale "now".
        app.now = clock();
        let commands = update(app, msg);
        for command in commands {
            if let Cmd::Edit { path } = command {
                let edited = jobs.edit(terminal, &path)?;
                // The editor drew over the screen: paint every cell again.
                let size = terminal.size()?;
                terminal.resize(Rect::new(0, 0, size.width, size.height))?;
                app.size = (size.width, size.height);
                if let Err(error) = edited {
                    app.error(error);
                }
                let reload = super::update::reload(app);
                runner.run(reload);
                continue;
            }
            if runner.run(command) {
                app.quit = true;
            }
        }
        if waiting_idle && app.running.is_empty() {
            waiting_idle = false;
        }
        dirty = true;
    }
}

/// Ctrl-Z, which raw mode delivers as a key instead of raising SIGTSTP; it suspends in any
/// mode, as Ctrl-C quits in any mode.
fn is_suspend_key(msg: &Msg) -> bool {
    matches!(msg, Msg::Key(key)
        if key.kind != KeyEventKind::Release
            && keymap::first_action(&[keymap::ANYWHERE], key) == Some(keymap::Action::Suspend))
}
