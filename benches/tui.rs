//! TUI responsiveness, in process, on the real event loop over a timed `TestBackend`:
//!
//! * time to first frame: what `tokdbg demo` does before its first draw (start the demo
//!   server, write and load its profiles, build the app), from the start to the end of the
//!   first draw;
//! * key-to-redraw while a request hangs on a server that accepts and never answers: a key
//!   message is sent, and the time runs until the end of the first draw that began after it;
//! * idle: draws (and cells changed) over a few seconds with nothing happening, fresh and
//!   with a token whose countdown ticks.
//!
//! `cargo bench --bench tui [-- ROUNDS]` (default 30). Plain binary: each figure is a latency
//! of the loop, not a function criterion can repeat.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use tokdbg::core::engine::Engine;
use tokdbg::core::net::http::HttpConfig;
use tokdbg::demo::DemoServer;
use tokdbg::tui::event_loop;
use tokdbg::tui::msg::Msg;
use tokdbg::tui::state::app::App;
use tokdbg::tui::tasks::Runner;

use common::*;

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;

/// One completed draw: when it began (the terminal asked the size), when it was flushed,
/// and how many cells it changed.
#[derive(Debug, Clone, Copy)]
struct Draw {
    start: Instant,
    end: Instant,
    cells: usize,
}

#[derive(Debug, Default)]
struct DrawLog {
    open: Option<(Instant, usize)>,
    draws: Vec<Draw>,
}

/// A `TestBackend` that timestamps every draw.
struct TimedBackend {
    inner: TestBackend,
    log: Arc<Mutex<DrawLog>>,
}

impl Backend for TimedBackend {
    type Error = <TestBackend as Backend>::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut count = 0usize;
        let result = self.inner.draw(content.inspect(|_| count += 1));
        if let Some((_, cells)) = self.log.lock().expect("log").open.as_mut() {
            *cells += count;
        }
        result
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> Result<Size, Self::Error> {
        // Terminal::draw starts by asking the size (autoresize): the draw begins here.
        let mut log = self.log.lock().expect("log");
        if log.open.is_none() {
            log.open = Some((Instant::now(), 0));
        }
        self.inner.size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        let result = self.inner.flush();
        let mut log = self.log.lock().expect("log");
        if let Some((start, cells)) = log.open.take() {
            log.draws.push(Draw { start, end: Instant::now(), cells });
        }
        result
    }
}

fn timed_terminal() -> (Terminal<TimedBackend>, Arc<Mutex<DrawLog>>) {
    let log = Arc::new(Mutex::new(DrawLog::default()));
    let terminal =
        Terminal::new(TimedBackend { inner: TestBackend::new(WIDTH, HEIGHT), log: log.clone() }).expect("terminal");
    // Terminal::new asked the size: that is not a draw.
    log.lock().expect("log").open = None;
    (terminal, log)
}

/// An input stream fed by a channel, as crossterm's EventStream feeds the real loop.
fn channel_input() -> (tokio::sync::mpsc::UnboundedSender<Msg>, impl futures_util::Stream<Item = Msg> + Unpin) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Msg>();
    let stream =
        Box::pin(futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|msg| (msg, rx)) }));
    (tx, stream)
}

/// A TCP server on 127.0.0.1:0 that accepts connections and never answers them.
async fn hanging_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    format!("http://{addr}")
}

/// Runs the event loop on a task until `q`; returns the app and the draw log.
fn spawn_loop(
    mut app: App,
    engine: Arc<Engine>,
) -> (tokio::sync::mpsc::UnboundedSender<Msg>, Arc<Mutex<DrawLog>>, tokio::task::JoinHandle<App>) {
    let (mut terminal, log) = timed_terminal();
    let (input_tx, input) = channel_input();
    let task = tokio::spawn(async move {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let mut runner = Runner::new(engine, tx, Box::new(NoClipboard));
        event_loop::run(&mut terminal, input, &mut app, &mut runner, rx, tokdbg::core::clock::now_unix)
            .await
            .expect("the loop draws");
        app
    });
    (input_tx, log, task)
}

async fn wait_for_draws(log: &Arc<Mutex<DrawLog>>, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while log.lock().expect("log").draws.len() < count {
        assert!(Instant::now() < deadline, "no draw within 10 s");
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
}

/// From the start of what `tokdbg demo` does to the end of the first draw.
async fn first_frame(rounds: usize) {
    let mut samples = Vec::new();
    let mut setup = Vec::new();
    for _ in 0..rounds {
        let started = Instant::now();
        let server = DemoServer::start("127.0.0.1:0".parse().expect("addr")).await.expect("demo starts");
        let dir = tempfile::tempdir().expect("temp dir");
        let app = demo_app(&server, dir.path(), WIDTH, HEIGHT);
        let engine = Arc::new(Engine::new(HttpConfig::default()));
        setup.push(started.elapsed().as_secs_f64() * 1000.0);
        let (input, log, task) = spawn_loop(app, engine);
        wait_for_draws(&log, 1).await;
        let first = log.lock().expect("log").draws[0];
        samples.push((first.end - started).as_secs_f64() * 1000.0);
        assert!(first.cells > (WIDTH as usize * HEIGHT as usize) / 4, "the first frame is a full screen");
        let _ = input.send(key('q'));
        let _ = task.await;
        server.shutdown().await;
    }
    report("time to first frame (in-process, demo setup + first draw)", "ms", &mut samples);
    report("  of which: demo server + profiles written + loaded + App", "ms", &mut setup);
}

/// Key-to-redraw while a request hangs.
async fn key_to_redraw(rounds: usize) {
    let hang = hanging_server().await;
    let server = DemoServer::start("127.0.0.1:0".parse().expect("addr")).await.expect("demo starts");
    let dir = tempfile::tempdir().expect("temp dir");
    // A profile whose endpoint is the server that never answers; no token needed (b = baseline).
    std::fs::write(
        dir.path().join("hang.toml"),
        format!(
            "name = \"hangs\"\n\n[[endpoints]]\nname = \"never answers\"\nmethod = \"GET\"\nurl = \"{hang}/api\"\n"
        ),
    )
    .expect("write hang.toml");
    let mut app = demo_app(&server, dir.path(), WIDTH, HEIGHT);
    app.profiles.select_stem("hang");
    // The TUI's own engine: the default 15 s timeout keeps the request hanging throughout.
    let (input, log, task) = spawn_loop(app, Arc::new(Engine::new(HttpConfig::default())));
    wait_for_draws(&log, 1).await;
    let _ = input.send(key('b'));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let tabs = ['2', '3', '4', '5', '6', '1'];
    let mut samples = Vec::new();
    let mut idle_like = Vec::new();
    let begun = Instant::now();
    for i in 0..rounds * 4 {
        // Gaps of 17..40 ms: keys land at every phase of the 100 ms spinner tick.
        tokio::time::sleep(Duration::from_millis(17 + (i as u64 * 7) % 24)).await;
        let sent = Instant::now();
        let _ = input.send(key(tabs[i % tabs.len()]));
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let found = log.lock().expect("log").draws.iter().find(|d| d.start >= sent).copied();
            if let Some(draw) = found {
                samples.push((draw.end - sent).as_secs_f64() * 1000.0);
                idle_like.push((draw.end - draw.start).as_secs_f64() * 1000.0);
                break;
            }
            assert!(Instant::now() < deadline, "no redraw within 5 s of a key");
            tokio::time::sleep(Duration::from_micros(100)).await;
        }
    }
    let hung_for = begun.elapsed();
    let _ = input.send(key('q'));
    let app = task.await.expect("the loop ends");
    assert!(!app.running.is_empty(), "the request was still hanging when the keys ended");
    report(&format!("key-to-redraw, request hanging ({:.1} s)", hung_for.as_secs_f64()), "ms", &mut samples);
    report("  of which: the draw itself (render + diff)", "ms", &mut idle_like);
    server.shutdown().await;
}

/// Waits `seconds` without input and prints how many draws happened and how long they took.
async fn idle_window(log: &Arc<Mutex<DrawLog>>, seconds: u64, what: &str) {
    let from = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let (draws, unchanged, busy) = {
        let log = log.lock().expect("log");
        let draws: Vec<&Draw> = log.draws.iter().filter(|d| d.start >= from).collect();
        let unchanged = draws.iter().filter(|d| d.cells == 0).count();
        let busy: f64 = draws.iter().map(|d| (d.end - d.start).as_secs_f64() * 1000.0).sum();
        (draws.len(), unchanged, busy)
    };
    println!(
        "{:<58} {draws} draws ({unchanged} changed nothing), {busy:.2} ms drawing",
        format!("idle {seconds} s, {what}")
    );
}

/// Draws over `seconds` with nothing happening, fresh and with a token (countdown ticking).
async fn idle(seconds: u64) {
    let server = DemoServer::start("127.0.0.1:0".parse().expect("addr")).await.expect("demo starts");
    let dir = tempfile::tempdir().expect("temp dir");
    let app = demo_app(&server, dir.path(), WIDTH, HEIGHT);
    let (input, log, task) = spawn_loop(app, Arc::new(engine()));
    wait_for_draws(&log, 1).await;
    idle_window(&log, seconds, "fresh start").await;

    // t: fetch a token; its countdown ticks once a second.
    let _ = input.send(key('t'));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _ = input.send(key('2'));
    tokio::time::sleep(Duration::from_millis(200)).await;
    idle_window(&log, seconds, "token fetched, Token tab").await;
    let _ = input.send(key('1'));
    tokio::time::sleep(Duration::from_millis(200)).await;
    idle_window(&log, seconds, "token fetched, Profile tab").await;
    let _ = input.send(key('q'));
    let _ = task.await;
    server.shutdown().await;
}

fn main() {
    let rounds: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(30);
    // As `tokdbg` runs: a multi-threaded runtime (one worker per core).
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    println!("TUI at {WIDTH}x{HEIGHT} on a timed TestBackend (no terminal I/O), {rounds} rounds");
    rt.block_on(async {
        first_frame(rounds).await;
        key_to_redraw(rounds).await;
        idle(5).await;
    });
}
