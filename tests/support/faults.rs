//! A fault-injecting HTTP/1.1 server for tests: raw tokio sockets on 127.0.0.1:0, so it can
//! misbehave in ways a real framework never does — refuse, reset mid-headers, hang, drip one
//! byte at a time, send 5 MiB, lie about content types, send gzip bombs, redirect in loops.
//! Every request it receives is recorded (method, path, headers, body) so a test can assert
//! what reached it, e.g. that no `Authorization` header ever did. Nothing leaves loopback.
//!
//! ```ignore
//! mod faults;
//! use faults::{Fault, FaultServer, Reply};
//! let server = FaultServer::start(Fault::Hang).await?;
//! let url = server.url("/jwks");               // or server.addr()
//! ```

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What the server does with every request (or, for [`Fault::Routes`], with one path).
#[derive(Debug, Clone)]
pub enum Fault {
    /// Nothing listens: the address is a loopback port that was bound and released.
    Refused,
    /// Reads the request, writes part of the status line and headers, then resets (SO_LINGER 0).
    ResetMidResponse,
    /// Reads the request and closes the connection without a byte of answer.
    CloseWithoutAnswer,
    /// Accepts, reads the request, never answers, keeps the connection open.
    Hang,
    /// A complete, valid response written one byte per `interval` (status line included).
    Drip { reply: Reply, interval: Duration },
    /// Status line and headers at once, then the body one byte per `interval`.
    DripBody { reply: Reply, interval: Duration },
    /// An exact answer (any status, headers, body — e.g. 5 MiB, or HTML as application/json).
    Respond(Reply),
    /// `status` with `Location: location` (absolute, or a path on this server).
    Redirect { status: u16, location: String },
    /// Every request is redirected to the path it asked for: an endless loop.
    RedirectLoop,
    /// A fault per exact path (query ignored); other paths answer 404.
    Routes(Vec<(String, Fault)>),
    /// Answers `status` with the request echoed back in the shape `echo` says: how servers
    /// hand a client's own secret (form body, Basic header, bearer token) back to it.
    Echo { status: u16, echo: Echo },
}

/// How [`Fault::Echo`] reflects the request.
#[derive(Debug, Clone, Copy)]
pub enum Echo {
    /// `{"error":"invalid_client","error_description":"bad request: <body>; <Authorization>"}`
    OAuthErrorDescription,
    /// An HTML error page quoting the body and every header.
    HtmlPage,
    /// `{"received": {"headers": {...}, "body": "..."}}` plus `X-Echo-Authorization`.
    JsonHeaders,
    /// The form's values decoded, in an OAuth error written as .NET's System.Text.Json does
    /// (`+` as `\u002B`, `&` as `\u0026`, `/` as is).
    DotNetJson,
    /// The form's values decoded, in an HTML page written as Go's html/template does (`+` as
    /// `&#43;`, `&` as `&amp;`).
    GoHtml,
}

/// An HTTP answer: status, headers, body. `Content-Length` and `Connection: close` are added.
/// `{origin}` in a header value or a UTF-8 body reads as the server's own `http://127.0.0.1:PORT`
/// and `{port}` as its port, so a document can point at its own server (a discovery `issuer`, a
/// same-origin redirect, `http://localhost:{port}/` for another origin on the same socket).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        let headers = if content_type.is_empty() {
            Vec::new()
        } else {
            vec![("Content-Type".to_owned(), content_type.to_owned())]
        };
        Reply { status, headers, body: body.into() }
    }

    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::new(status, "application/json", body)
    }

    pub fn html(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::new(status, "text/html; charset=utf-8", body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The whole response as bytes on the wire, as served from `addr`.
    pub fn to_bytes(&self, addr: SocketAddr) -> Vec<u8> {
        let fill = |text: &str| {
            text.replace("{origin}", &format!("http://{addr}")).replace("{port}", &addr.port().to_string())
        };
        let body = match std::str::from_utf8(&self.body) {
            Ok(text) if text.contains("{origin}") || text.contains("{port}") => fill(text).into_bytes(),
            _ => self.body.clone(),
        };
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {}\r\n", fill(value)));
        }
        head.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&body);
        bytes
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

/// One request as the server read it. Header names are lower-case.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A running fault server; dropping it stops accepting (open connections end with the runtime).
pub struct FaultServer {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Recorded>>>,
    task: Option<JoinHandle<()>>,
}

impl FaultServer {
    /// Starts serving `fault` on a free loopback port (for [`Fault::Refused`]: reserves nothing).
    pub async fn start(fault: Fault) -> std::io::Result<FaultServer> {
        let log = Arc::new(Mutex::new(Vec::new()));
        if matches!(fault, Fault::Refused) {
            let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
            return Ok(FaultServer { addr, log, task: None });
        }
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let fault = Arc::new(fault);
        let task_log = Arc::clone(&log);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (fault, log) = (Arc::clone(&fault), Arc::clone(&task_log));
                tokio::spawn(async move {
                    let _ = handle(stream, &fault, &log, addr).await;
                });
            }
        });
        Ok(FaultServer { addr, log, task: Some(task) })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT{path}`
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().map(|log| log.clone()).unwrap_or_default()
    }

    /// Every `Authorization` header value received so far.
    pub fn authorizations(&self) -> Vec<String> {
        self.requests().iter().filter_map(|r| r.header("authorization").map(str::to_owned)).collect()
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Requests larger than this are cut (the server only needs their head and a small body).
const MAX_REQUEST: usize = 1024 * 1024;

async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Recorded>> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if buffer.len() > MAX_REQUEST {
            return Ok(None);
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default();
    let path = target.split('?').next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    // Read the whole body: closing a socket with unread input makes the kernel send a reset,
    // which would turn every answer into a "connection reset" on the client's side.
    let length: usize =
        headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length.min(MAX_REQUEST) {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(Recorded { method, path, headers, body }))
}

async fn handle(
    mut stream: TcpStream,
    fault: &Fault,
    log: &Mutex<Vec<Recorded>>,
    addr: SocketAddr,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut stream).await? else { return Ok(()) };
    let path = request.path.clone();
    if let Ok(mut log) = log.lock() {
        log.push(request);
    }
    let mut fault = fault;
    while let Fault::Routes(routes) = fault {
        fault = match routes.iter().find(|(p, _)| *p == path) {
            Some((_, f)) => f,
            None => {
                let reply = Reply::new(404, "text/plain", "no such path");
                return write_slowly(&mut stream, &reply.to_bytes(addr), None).await;
            }
        };
    }
    match fault {
        Fault::Refused | Fault::Routes(_) | Fault::CloseWithoutAnswer => Ok(()),
        Fault::ResetMidResponse => {
            stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: appli").await?;
            stream.flush().await?;
            tokio::time::sleep(Duration::from_millis(50)).await;
            stream.set_zero_linger()?;
            drop(stream);
            Ok(())
        }
        Fault::Hang => {
            let _keep_open = stream;
            std::future::pending::<()>().await;
            Ok(())
        }
        Fault::Drip { reply, interval } => write_slowly(&mut stream, &reply.to_bytes(addr), Some(*interval)).await,
        Fault::DripBody { reply, interval } => {
            let bytes = reply.to_bytes(addr);
            let body_at = bytes.windows(4).position(|w| w == b"\r\n\r\n").map_or(0, |at| at + 4);
            stream.write_all(&bytes[..body_at]).await?;
            write_slowly(&mut stream, &bytes[body_at..], Some(*interval)).await
        }
        Fault::Respond(reply) => write_slowly(&mut stream, &reply.to_bytes(addr), None).await,
        Fault::Redirect { status, location } => {
            let reply = Reply::new(*status, "text/plain", format!("see {location}")).header("Location", location);
            write_slowly(&mut stream, &reply.to_bytes(addr), None).await
        }
        Fault::Echo { status, echo } => {
            let request = log.lock().ok().and_then(|log| log.last().cloned());
            let reply =
                request.map_or_else(|| Reply::new(500, "text/plain", "no request"), |r| echo_reply(*status, *echo, &r));
            write_slowly(&mut stream, &reply.to_bytes(addr), None).await
        }
        Fault::RedirectLoop => {
            let reply = Reply::new(302, "text/plain", "again").header("Location", &format!("{{origin}}{path}"));
            write_slowly(&mut stream, &reply.to_bytes(addr), None).await
        }
    }
}

/// Writes `bytes` at once, or one byte per `interval`; a client that went away ends it quietly.
async fn write_slowly(stream: &mut TcpStream, bytes: &[u8], interval: Option<Duration>) -> std::io::Result<()> {
    match interval {
        None => stream.write_all(bytes).await?,
        Some(interval) => {
            for byte in bytes {
                stream.write_all(std::slice::from_ref(byte)).await?;
                stream.flush().await?;
                tokio::time::sleep(interval).await;
            }
        }
    }
    stream.flush().await?;
    let _ = stream.shutdown().await;
    Ok(())
}

/// A gzip member whose deflate stream inflates to `inflated` zero bytes (fixed Huffman: one
/// literal, then length-258/distance-1 matches at 13 bits each, about 1:160). The trailer's
/// CRC is left 0: nothing may ever inflate this, and computing it would take seconds.
pub fn gzip_bomb(inflated: usize) -> Vec<u8> {
    let mut bits = BitWriter::default();
    bits.put(1, 1); // BFINAL
    bits.put(1, 2); // BTYPE = 01, fixed Huffman
    bits.huffman(0b0011_0000, 8); // literal 0
    let mut left = inflated.saturating_sub(1);
    while left >= 258 {
        bits.huffman(0b1100_0101, 8); // length code 285 = 258
        bits.huffman(0, 5); // distance code 0 = 1
        left -= 258;
    }
    for _ in 0..left {
        bits.huffman(0b0011_0000, 8);
    }
    bits.huffman(0, 7); // end of block (256)
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.extend_from_slice(&bits.finish());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&(inflated as u32).to_le_bytes());
    out
}

#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    current: u32,
    used: u32,
}

impl BitWriter {
    /// `count` bits of `value`, least significant first (deflate's header fields).
    fn put(&mut self, value: u32, count: u32) {
        for i in 0..count {
            self.current |= ((value >> i) & 1) << self.used;
            self.used += 1;
            if self.used == 8 {
                self.bytes.push(self.current as u8);
                self.current = 0;
                self.used = 0;
            }
        }
    }

    /// A Huffman code, most significant bit first.
    fn huffman(&mut self, code: u32, length: u32) {
        for i in (0..length).rev() {
            self.put((code >> i) & 1, 1);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.used > 0 {
            self.bytes.push(self.current as u8);
        }
        self.bytes
    }
}

fn echo_reply(status: u16, echo: Echo, request: &Recorded) -> Reply {
    let body = String::from_utf8_lossy(&request.body).into_owned();
    let authorization = request.header("authorization").unwrap_or("").to_owned();
    let decoded: String =
        url::form_urlencoded::parse(&request.body).map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ");
    match echo {
        Echo::DotNetJson => {
            let escaped: String = decoded
                .chars()
                .map(|c| match c {
                    '+' | '&' | '<' | '>' | '\'' | '"' => format!("\\u{:04X}", c as u32),
                    other => other.to_string(),
                })
                .collect();
            let body = format!("{{\"error\":\"invalid_client\",\"error_description\":\"bad request: {escaped}\"}}");
            Reply::json(status, body)
        }
        Echo::GoHtml => {
            let escaped: String = decoded
                .chars()
                .map(|c| match c {
                    '+' => "&#43;".to_owned(),
                    '&' => "&amp;".to_owned(),
                    '<' => "&lt;".to_owned(),
                    '>' => "&gt;".to_owned(),
                    other => other.to_string(),
                })
                .collect();
            Reply::html(status, format!("<html><body><h1>Bad request</h1><pre>{escaped}</pre></body></html>"))
        }
        Echo::OAuthErrorDescription => {
            let description = format!("bad request: {body}; {authorization}");
            Reply::json(
                status,
                serde_json::json!({ "error": "invalid_client", "error_description": description }).to_string(),
            )
        }
        Echo::HtmlPage => {
            let headers: String =
                request.headers.iter().map(|(k, v)| format!("<li>{k}: {v}</li>")).collect::<Vec<_>>().join("");
            Reply::html(
                status,
                format!("<html><body><h1>Error {status}</h1><pre>{body}</pre><ul>{headers}</ul></body></html>"),
            )
        }
        Echo::JsonHeaders => {
            let headers: serde_json::Map<String, serde_json::Value> =
                request.headers.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
            Reply::json(status, serde_json::json!({ "received": { "headers": headers, "body": body } }).to_string())
                .header("X-Echo-Authorization", &authorization)
        }
    }
}
