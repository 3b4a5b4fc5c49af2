//! The one HTTP client: timeouts, a body cap, safe redirects, and errors that say what failed.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use reqwest::redirect;

/// Limits every request obeys.
#[derive(Debug, Clone, Copy)]
pub struct HttpConfig {
    pub connect_timeout: Duration,
    /// Whole-request timeout, headers and body included.
    pub timeout: Duration,
    /// Bodies are read up to this many bytes; the rest is dropped and marked truncated.
    pub max_body: usize,
    pub max_redirects: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(15),
            max_body: 1024 * 1024,
            max_redirects: 5,
        }
    }
}

/// What went wrong before any HTTP answer arrived (or while reading it).
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum HttpError {
    #[error("{url} is not a valid http(s) URL: {detail}")]
    InvalidUrl { url: String, detail: String },
    #[error("cannot resolve the host of {url}: {detail}")]
    Dns { url: String, detail: String },
    #[error("connection to {url} refused or failed: {detail}")]
    Connect { url: String, detail: String },
    #[error("TLS handshake with {url} failed: {detail}")]
    Tls { url: String, detail: String },
    #[error("{url} did not answer within {secs} s")]
    Timeout { url: String, secs: u64 },
    #[error("the connection to {url} broke: {detail}")]
    Broken { url: String, detail: String },
    #[error("too many redirects from {url}")]
    TooManyRedirects { url: String },
    /// The client itself could not be set up (e.g. no CA roots for https): nothing was sent.
    #[error("cannot build the {kind} client for {url}: {detail}")]
    ClientSetup { url: String, kind: &'static str, detail: String },
}

impl HttpError {
    pub fn url(&self) -> &str {
        match self {
            HttpError::InvalidUrl { url, .. }
            | HttpError::Dns { url, .. }
            | HttpError::Connect { url, .. }
            | HttpError::Tls { url, .. }
            | HttpError::Timeout { url, .. }
            | HttpError::Broken { url, .. }
            | HttpError::ClientSetup { url, .. }
            | HttpError::TooManyRedirects { url } => url,
        }
    }

    /// True when the host could not be reached at all (CLI exit code 3). A client that
    /// cannot be built counts: like a broken network, it is this machine's setup, not the
    /// server's answer.
    pub fn is_unreachable(&self) -> bool {
        !matches!(self, HttpError::InvalidUrl { .. } | HttpError::TooManyRedirects { .. })
    }

    /// A fix that beats the caller's generic "check the host" advice, when the cause is local.
    pub fn local_fix(&self) -> Option<&'static str> {
        match self {
            HttpError::ClientSetup { .. } => Some(
                "Install the system's CA certificates (e.g. the ca-certificates package), or point SSL_CERT_FILE / SSL_CERT_DIR at a readable CA bundle.",
            ),
            _ => None,
        }
    }
}

/// A response read in full (up to the cap).
#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    /// Header names lower-case, in the order received; repeated headers appear repeatedly.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub truncated: bool,
    pub latency: Duration,
    /// The URL that finally answered (after same-origin redirects).
    pub final_url: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers.iter().filter(move |(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The first `max` characters of the body on one line, for error messages.
    pub fn body_excerpt(&self, max: usize) -> String {
        excerpt(&self.body_text(), max)
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// `Location` of a redirect that was not followed (it pointed at another origin).
    pub fn unfollowed_redirect(&self) -> Option<&str> {
        if (300..400).contains(&self.status) { self.header("location") } else { None }
    }
}

/// One line, at most `max` chars, with an ellipsis when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// Shared client; cheap to clone.
#[derive(Debug, Clone)]
pub struct Http {
    /// Serves `http://` URLs. It has no CA roots, so building it costs microseconds and
    /// works on a machine without any (plain-http calls to the loopback demo must too).
    plain: Result<reqwest::Client, String>,
    /// Serves `https://` URLs, built on first use: loading the system's CA roots takes
    /// milliseconds (benches/README.md) that runs against plain-http or no server need not pay.
    /// A failure is kept too: the roots will not appear later in the run, and every https
    /// request then reports the same cause instead of retrying the load.
    tls: Arc<OnceLock<Result<reqwest::Client, String>>>,
    config: HttpConfig,
}

/// Builds a client, or says why not. Never `reqwest::Client::new()`: that panics on
/// exactly the failures (no CA roots) this reports.
fn build_client(config: &HttpConfig, tls: bool) -> Result<reqwest::Client, String> {
    let max_redirects = config.max_redirects;
    // Only same-origin redirects are followed: a token request must never carry its
    // secret, and an API call its Authorization header, to another origin. (So an http://
    // request never reaches https://, and the plain client never needs TLS.)
    let policy = redirect::Policy::custom(move |attempt| {
        let same_origin = attempt.previous().last().is_some_and(|prev| prev.origin() == attempt.url().origin());
        if attempt.previous().len() > max_redirects {
            attempt.error("too many redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    });
    let builder = reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .timeout(config.timeout)
        .redirect(policy)
        .user_agent(concat!("tokdbg/", env!("CARGO_PKG_VERSION")));
    // No roots at all: the plain client fails closed should it ever see https.
    let builder = if tls { builder } else { builder.tls_certs_only(std::iter::empty()) };
    builder.build().map_err(|e| describe_build_error(&e, tls))
}

/// Names the cause of a failed client build in words a user can act on.
fn describe_build_error(error: &reqwest::Error, tls: bool) -> String {
    let chain = error_chain(error);
    let lower = chain.to_lowercase();
    if tls && (lower.contains("ca certificate") || lower.contains("root") || lower.contains("no ca")) {
        format!("no trusted CA roots could be loaded ({chain})")
    } else {
        chain
    }
}

impl Http {
    pub fn new(config: HttpConfig) -> Http {
        Http { plain: build_client(&config, false), tls: Arc::new(OnceLock::new()), config }
    }

    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// The client that serves `url`: the plain one for `http://`, else the TLS one (built on
    /// the first https request), or why it cannot be built.
    pub fn client_for(&self, url: &reqwest::Url) -> Result<&reqwest::Client, HttpError> {
        let (built, kind) = if url.scheme() == "http" {
            (&self.plain, "HTTP")
        } else {
            (self.tls.get_or_init(|| build_client(&self.config, true)), "TLS")
        };
        built.as_ref().map_err(|detail| HttpError::ClientSetup { url: url.to_string(), kind, detail: detail.clone() })
    }

    /// Sends a request and reads the body up to the cap.
    pub async fn send(&self, request: reqwest::RequestBuilder, url: &str) -> Result<HttpResponse, HttpError> {
        let started = Instant::now();
        let mut response = request.send().await.map_err(|e| classify(&e, url, &self.config))?;
        let status = response.status().as_u16();
        let final_url = response.url().to_string();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let mut body = Vec::new();
        let mut truncated = false;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = self.config.max_body.saturating_sub(body.len());
                    if chunk.len() > room {
                        body.extend_from_slice(&chunk[..room]);
                        truncated = true;
                        break;
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(classify(&e, url, &self.config)),
            }
        }
        Ok(HttpResponse { status, headers, body, truncated, latency: started.elapsed(), final_url })
    }

    pub async fn get(&self, url: &str) -> Result<HttpResponse, HttpError> {
        let parsed = parse_url(url)?;
        let client = self.client_for(&parsed)?;
        self.send(client.get(parsed).header("accept", "application/json"), url).await
    }
}

/// Parses an http(s) URL or says why not.
pub fn parse_url(url: &str) -> Result<reqwest::Url, HttpError> {
    let parsed =
        reqwest::Url::parse(url).map_err(|e| HttpError::InvalidUrl { url: url.to_owned(), detail: e.to_string() })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(HttpError::InvalidUrl {
            url: url.to_owned(),
            detail: format!("scheme {} is not http(s)", parsed.scheme()),
        });
    }
    Ok(parsed)
}

/// Turns a reqwest error into the kind a user can act on.
fn classify(error: &reqwest::Error, url: &str, config: &HttpConfig) -> HttpError {
    let url = url.to_owned();
    let chain = error_chain(error);
    let lower = chain.to_lowercase();
    if error.is_timeout() {
        let secs = if error.is_connect() { config.connect_timeout } else { config.timeout }.as_secs();
        return HttpError::Timeout { url, secs };
    }
    if error.is_redirect() {
        return HttpError::TooManyRedirects { url };
    }
    if lower.contains("dns error") || lower.contains("failed to lookup") || lower.contains("name or service not known")
    {
        return HttpError::Dns { url, detail: chain };
    }
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        return HttpError::Tls { url, detail: chain };
    }
    if error.is_connect() {
        return HttpError::Connect { url, detail: chain };
    }
    if error.is_builder() {
        return HttpError::InvalidUrl { url, detail: chain };
    }
    HttpError::Broken { url, detail: chain }
}

/// The innermost causes joined, without repeating reqwest's URL prefix.
fn error_chain(error: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = cause.source();
    }
    if parts.is_empty() { error.to_string() } else { parts.join(": ") }
}
