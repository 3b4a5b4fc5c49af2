//! The message loop: input, finished tasks and ticks in, `update`, commands out, redraw when
//! something changed. Generic over the ratatui backend and the input stream, so tests drive it.

use std::time::Duration;

use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc::UnboundedReceiver;

use super::msg::Msg;
use super::state::app::App;
use super::tasks::Runner;
use super::update::update;
use super::view;

/// Spinners move ten times a second; countdowns once a second.
const SPINNER_TICK: Duration = Duration::from_millis(100);
const CLOCK_TICK: Duration = Duration::from_secs(1);

pub async fn run<B, S>(
    terminal: &mut Terminal<B>,
    mut input: S,
    app: &mut App,
    runner: &mut Runner,
    mut results: UnboundedReceiver<Msg>,
    clock: impl Fn() -> i64,
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
        if let Msg::Done(task, _) = &msg {
            runner.finished(*task);
        }
        // The loop owns the clock: every message sees the current time, so a result that
        // arrives between ticks is not shown against a stale "now".
        app.now = clock();
        let commands = update(app, msg);
        for command in commands {
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
