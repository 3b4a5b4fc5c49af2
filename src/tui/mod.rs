//! The interactive TUI (`tokdbg`, `tokdbg demo`): a message loop over the core engine.

pub mod clipboard;
mod editor;
pub mod event_loop;
mod job_control;
pub mod keymap;
pub mod keymap_doc;
pub mod layout;
pub mod msg;
pub mod state;
pub mod tasks;
pub mod theme;
pub mod update;
pub mod view;

use std::io::Write;
use std::sync::Arc;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event, KeyEventKind,
};
use futures_util::StreamExt;

use crate::core::clock;
use crate::core::engine::Engine;
use crate::core::model::secret::Secret;
use crate::core::net::http::HttpConfig;
use crate::core::store::profile_store::ProfileStore;

use msg::Msg;
use state::app::App;
use state::profiles::ProfileList;
use tasks::{Clipboard, Runner};

/// Copies through the terminal (OSC 52), or into a private file when asked or too large.
struct TerminalClipboard;

impl Clipboard for TerminalClipboard {
    fn copy(&mut self, label: &str, text: &Secret, to_file: bool) -> Result<String, String> {
        if to_file || !clipboard::fits_osc52(text.expose(), clipboard::in_tmux()) {
            let path = clipboard::write_fallback(&label.replace(' ', "-"), text.expose())
                .map_err(|e| format!("cannot write {label} to a file: {e}"))?;
            return Ok(format!("{label} written to {} (0600)", path.display()));
        }
        let in_tmux = clipboard::in_tmux();
        // Inside tmux its own buffer is the dependable target: OSC 52 depends on its options.
        if in_tmux && clipboard::tmux_load_buffer(text.expose()).is_ok() {
            return Ok(format!(
                "copied {label} to tmux's paste buffer (prefix ] pastes) and, through tmux, the clipboard"
            ));
        }
        let sequence = clipboard::osc52_sequence(text.expose(), in_tmux);
        let mut stdout = std::io::stdout();
        stdout
            .write_all(sequence.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|e| format!("cannot write to the terminal: {e}"))?;
        Ok(format!(
            "copied {label} to the clipboard (OSC 52; if nothing arrived, your terminal refuses it: use f in the copy menu for a file)"
        ))
    }
}

/// Turns terminal events into messages (key releases are dropped: only presses act).
fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Msg::Key(key)),
        Event::Mouse(mouse) => Some(Msg::Mouse(mouse)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(width, height) => Some(Msg::Resize(width, height)),
        _ => None,
    }
}

/// The signals the TUI acts on, as messages: SIGTERM, SIGHUP (a closed terminal), SIGINT and
/// SIGQUIT (sent with `kill`: in raw mode `Ctrl-C` and `Ctrl-\` arrive as keys) quit; SIGTSTP
/// suspends; SIGCONT resumes.
#[cfg(unix)]
fn signals() -> impl futures_util::Stream<Item = Msg> + Unpin {
    use tokio::signal::unix::{SignalKind, signal};
    let quit = || {
        Msg::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('c'),
            crossterm::event::KeyModifiers::CONTROL,
        ))
    };
    let kinds: [(SignalKind, fn() -> Msg); 6] = [
        (SignalKind::terminate(), quit),
        (SignalKind::hangup(), quit),
        (SignalKind::interrupt(), quit),
        (SignalKind::quit(), quit),
        (SignalKind::from_raw(libc::SIGTSTP), || Msg::Suspend),
        (SignalKind::from_raw(libc::SIGCONT), || Msg::Resume),
    ];
    let mut streams = Vec::new();
    for (kind, to_msg) in kinds {
        if let Ok(mut sig) = signal(kind) {
            streams.push(Box::pin(futures_util::stream::poll_fn(move |cx| {
                sig.poll_recv(cx).map(|o| o.map(|()| to_msg()))
            })));
        }
    }
    futures_util::stream::select_all(streams)
}

#[cfg(not(unix))]
fn signals() -> impl futures_util::Stream<Item = Msg> + Unpin {
    futures_util::stream::pending()
}

/// Restores the terminal however the TUI ends (return, error or panic unwinding through here).
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        ratatui::restore();
    }
}

/// Runs the TUI over a profile store until the user quits.
pub async fn run(
    store: &ProfileStore,
    banner: Option<String>,
    color: bool,
    select: Option<&str>,
) -> std::io::Result<()> {
    let engine = Arc::new(Engine::new(HttpConfig::default()));
    let mut app = App::new(ProfileList::from_store(store), clock::now_unix(), color);
    app.banner = banner;
    if let Some(stem) = select {
        app.profiles.select_stem(stem);
    }
    let mut terminal = ratatui::try_init()?;
    let _guard = TerminalGuard;
    let _hook = TaskPanicsStayQuiet::install();
    crossterm::execute!(std::io::stdout(), EnableMouseCapture, EnableBracketedPaste)?;
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let mut runner = Runner::new(engine, tx, Box::new(TerminalClipboard));
    let terminal_input = job_control::TerminalInput::default();
    let input = terminal_input.clone().filter_map(|event| async move { event.ok().and_then(to_msg) });
    // Quitting signals end the loop like `q`, so the terminal is restored and the caller cleans
    // up; SIGTSTP and SIGCONT suspend and resume like Ctrl-Z and `fg`.
    let input = futures_util::stream::select(input, signals());
    let mut jobs = job_control::TerminalJobControl { input: terminal_input };
    // Edits made to the profile files outside the TUI show up within a couple of seconds.
    let watcher = tasks::watch_profiles(store.dir.clone(), runner.sender());
    let ended = event_loop::run_with_job_control(
        &mut terminal,
        Box::pin(input),
        &mut app,
        &mut runner,
        rx,
        clock::now_unix,
        &mut jobs,
    )
    .await;
    // Tasks still running are not waited for (the runtime is shut down in the background),
    // so secret commands they started are killed here rather than left behind.
    crate::core::model::secret_cmd::kill_all();
    watcher.abort();
    ended
}

/// Whether a TUI is running: its panic hook then keeps quiet about panics off the loop's thread.
static TUI_RUNNING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A panic in a task (on a worker thread) is caught and shown as that task's failure; the
/// hook ratatui installed would restore the terminal under the still-running app and print
/// over its screen. So while the TUI runs, only a panic on the loop's own thread, the one
/// that ends the app, reaches that hook (which restores the terminal, then reports).
struct TaskPanicsStayQuiet;

impl TaskPanicsStayQuiet {
    fn install() -> Self {
        let ui_thread = std::thread::current().id();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let running = TUI_RUNNING.load(std::sync::atomic::Ordering::SeqCst);
            if !running || std::thread::current().id() == ui_thread {
                previous(info);
            }
        }));
        TUI_RUNNING.store(true, std::sync::atomic::Ordering::SeqCst);
        TaskPanicsStayQuiet
    }
}

impl Drop for TaskPanicsStayQuiet {
    fn drop(&mut self) {
        TUI_RUNNING.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}
