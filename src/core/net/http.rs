//! Sending a request and reading its answer: timeouts, a body cap, safe redirects, and errors
//! that say what failed. The clients themselves are chosen per request in `clients`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::core::net::clients::Clients;
use crate::core::net::transport::{TlsNeeds, TransportNeeds};

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
    /// The server's certificate is not trusted (or not for this host): nothing was sent.
    #[error("the certificate of {url} is not trusted: {}", .untrusted.describe())]
    Untrusted { url: String, untrusted: Box<crate::core::net::untrusted::Untrusted> },
    #[error("{url} did not answer within {secs} s")]
    Timeout { url: String, secs: u64 },
    #[error("the connection to {url} broke: {detail}")]
    Broken { url: String, detail: String },
    #[error("too many redirects from {url}")]
    TooManyRedirects { url: String },
    /// The client itself could not be set up (e.g. no CA roots for https): nothing was sent.
    #[error("cannot build the {kind} client for {url}: {detail}")]
    ClientSetup { url: String, kind: &'static str, cause: SetupCause, detail: String },
}

/// What a client that cannot be built blames: it decides the fix offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetupCause {
    /// The system's CA roots could not be loaded.
    SystemRoots,
    /// The CA bundle given for the connection is unusable.
    CaBundle,
    /// The client certificate or its key is unusable (or they do not match).
    ClientIdentity,
    /// Something else in the TLS stack.
    Other,
}

impl HttpError {
    pub fn url(&self) -> &str {
        match self {
            HttpError::InvalidUrl { url, .. }
            | HttpError::Dns { url, .. }
            | HttpError::Connect { url, .. }
            | HttpError::Tls { url, .. }
            | HttpError::Untrusted { url, .. }
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
            HttpError::ClientSetup { cause: SetupCause::SystemRoots | SetupCause::Other, .. } => Some(
                "Install the system's CA certificates (e.g. the ca-certificates package), or point SSL_CERT_FILE / SSL_CERT_DIR at a readable CA bundle.",
            ),
            HttpError::ClientSetup { cause: SetupCause::CaBundle, .. } => Some(
                "Check the CA bundle given for this connection (tls.ca_file or --cacert): it must be a readable PEM file holding the issuing CA's certificates.",
            ),
            HttpError::ClientSetup { cause: SetupCause::ClientIdentity, .. } => Some(
                "Check the client certificate and key: PEM, the key unencrypted (PKCS#8, RSA or EC) and belonging to the certificate.",
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

#[cfg(test)]
impl HttpResponse {
    /// An answer from `url` with one Content-Type, for the parsers' tests.
    pub(crate) fn for_tests(status: u16, content_type: &str, body: &str, url: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("content-type".to_owned(), content_type.to_owned())],
            body: body.as_bytes().to_vec(),
            truncated: false,
            latency: Duration::ZERO,
            final_url: url.to_owned(),
        }
    }
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

/// The engine's HTTP side: a client per transport need, one set of limits; cheap to clone.
#[derive(Debug, Clone)]
pub struct Http {
    clients: Arc<Clients>,
    config: HttpConfig,
}

impl Http {
    pub fn new(config: HttpConfig) -> Http {
        Http { clients: Arc::new(Clients::new(config)), config }
    }

    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// The client that serves `url` with the default TLS needs (the system's roots, no
    /// client certificate), or why it cannot be built.
    pub fn client_for(&self, url: &reqwest::Url) -> Result<reqwest::Client, HttpError> {
        self.client(url, &TransportNeeds::for_url(url, &TlsNeeds::default()))
    }

    /// The client for a request to `url` that needs `needs`: built on first use and reused
    /// for equal needs, or why it cannot be built.
    pub fn client(&self, url: &reqwest::Url, needs: &TransportNeeds) -> Result<reqwest::Client, HttpError> {
        self.clients.get(needs).map_err(|failure| HttpError::ClientSetup {
            url: url.to_string(),
            kind: failure.kind,
            cause: failure.cause,
            detail: failure.detail,
        })
    }

    /// Sends a request and reads the body up to the cap.
    pub async fn send(&self, request: reqwest::RequestBuilder, url: &str) -> Result<HttpResponse, HttpError> {
        let started = Instant::now();
        let mut response = request
            .send()
            .await
            .map_err(|e| self.untrusted(&e, url).unwrap_or_else(|| classify(&e, url, &self.config)))?;
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

    /// The refused server certificate behind `error`, if that is what failed: rustls'
    /// reason from the error chain, what the certificate says from the verifier's record.
    fn untrusted(&self, error: &reqwest::Error, url: &str) -> Option<HttpError> {
        use crate::core::net::untrusted::{Untrusted, UntrustedReason};
        let reason = crate::core::net::untrusted::certificate_error(error);
        // The connector's io error does not always keep rustls' error reachable by downcast;
        // its words do (rustls' Display of InvalidCertificate).
        if reason.is_none() && !error_chain(error).contains("invalid peer certificate") {
            return None;
        }
        let host = reqwest::Url::parse(url).ok().and_then(|u| u.host_str().map(crate::core::net::tls_build::host_key));
        let recorded = host.and_then(|h| self.clients.refusals().take(&h));
        let untrusted = match (recorded, reason) {
            (Some(recorded), _) => recorded,
            (None, Some(reason)) => {
                Untrusted { reason: UntrustedReason::from_rustls(&reason, None), certificate: None }
            }
            (None, None) => {
                Untrusted { reason: UntrustedReason::Other { detail: error_chain(error) }, certificate: None }
            }
        };
        Some(HttpError::Untrusted { url: url.to_owned(), untrusted: Box::new(untrusted) })
    }

    /// GETs JSON from `url` over the default TLS needs.
    pub async fn get(&self, url: &str) -> Result<HttpResponse, HttpError> {
        self.get_with(url, &TlsNeeds::default()).await
    }

    /// GETs JSON from `url`; if it is https, over a connection with `tls`.
    pub async fn get_with(&self, url: &str, tls: &TlsNeeds) -> Result<HttpResponse, HttpError> {
        let parsed = parse_url(url)?;
        let client = self.client(&parsed, &TransportNeeds::for_url(&parsed, tls))?;
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
pub(crate) fn error_chain(error: &reqwest::Error) -> String {
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
