//! Render time of the main screen at 200x60 (criterion): `view::render` through
//! `Terminal::draw` on a `TestBackend`, as the event loop calls it.
//!
//! `cargo bench --bench render`. The states come from the real event loop against the
//! embedded demo: the screen `tokdbg demo` opens on, and demo-reader after sending
//! "write orders" (403) on the Endpoints and Diagnosis tabs.

mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokdbg::demo::DemoServer;
use tokdbg::tui::msg::Msg;
use tokdbg::tui::state::app::App;
use tokdbg::tui::update::update;
use tokdbg::tui::view;

use common::*;

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;

fn bench_screen(c: &mut Criterion, name: &str, app: &App) {
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test terminal");
    // The loop redraws over the previous frame: the diff is what a terminal would receive.
    terminal.draw(|frame| view::render(frame, app)).expect("draws");
    c.bench_function(&format!("render 200x60/{name}"), |b| {
        b.iter(|| {
            terminal.draw(|frame| view::render(frame, black_box(app))).expect("draws");
        })
    });
}

fn render(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let (start, after_call) = rt.block_on(async {
        let server = DemoServer::start("127.0.0.1:0".parse().expect("addr")).await.expect("demo starts");
        let mut app = demo_app(&server, dir.path(), WIDTH, HEIGHT);
        let start = app.clone();
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test terminal");
        // Enter opens the endpoints, j selects "write orders", Enter sends it.
        drive(
            &mut app,
            &mut terminal,
            vec![
                press(crossterm::event::KeyCode::Enter),
                key('j'),
                press(crossterm::event::KeyCode::Enter),
                Msg::WaitIdle,
            ],
        )
        .await;
        server.shutdown().await;
        (start, app)
    });
    let status =
        after_call.selected_session().and_then(|s| s.call.as_ref()).and_then(|c| c.response.as_ref()).map(|r| r.status);
    assert_eq!(status, Some(403), "write orders answered 403");

    bench_screen(c, "start screen (demo, Profile tab)", &start);
    bench_screen(c, "after a 403 call (Endpoints tab)", &after_call);
    let mut diagnosis = after_call.clone();
    let _ = update(&mut diagnosis, key('5'));
    bench_screen(c, "after a 403 call (Diagnosis tab)", &diagnosis);
    let mut token = after_call.clone();
    let _ = update(&mut token, key('2'));
    bench_screen(c, "after a 403 call (Token tab)", &token);
}

criterion_group!(benches, render);
criterion_main!(benches);
