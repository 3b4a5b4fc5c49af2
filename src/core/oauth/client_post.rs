//! A client-authenticated form POST to one of the issuer's endpoints other than the token
//! endpoint (introspection, revocation): built as a value with the same [`ClientAuth`] as the
//! token request, sent (the only I/O), and its answer scrubbed of the token and the secrets.

use serde::Serialize;

use crate::core::model::credentials::Credentials;
use crate::core::model::profile::AuthMethod;
use crate::core::model::secret::{Secret, redact_token};
use crate::core::net::http::{Http, HttpError, HttpResponse, excerpt, parse_url};
use crate::core::net::scrub::Scrubber;
use crate::core::net::transport::{TlsNeeds, TransportNeeds};
use crate::core::oauth::client_auth::{ClientAuth, ClientAuthError};
use crate::core::oauth::request::RequestView;
use crate::core::oauth::token_request::strip_html;

/// A request about one token, made by the client that holds it (RFC 7662 §2.1, RFC 7009 §2.1).
#[derive(Debug, Clone)]
pub struct TokenPost {
    pub endpoint: String,
    pub client_id: String,
    pub auth_method: AuthMethod,
    pub credentials: Credentials,
    pub token: Secret,
    /// `access_token` or `refresh_token`: a hint the server may ignore.
    pub token_type_hint: Option<String>,
    /// A client assertion's `aud` (the token endpoint), when not this endpoint's own URL.
    pub assertion_audience: Option<String>,
}

/// Why the endpoint gave no usable answer.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum EndpointError {
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("the {endpoint} endpoint answered {error}{}", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    OAuth { endpoint: &'static str, status: u16, error: String, description: Option<String>, raw_body: String },
    #[error("the {endpoint} endpoint answered HTTP {status} {what}{}", if body.is_empty() { String::new() } else { format!(": {body}") })]
    Unexpected { endpoint: &'static str, status: u16, what: String, body: String },
    #[error(
        "the {endpoint} endpoint redirected to {location}; not followed, so the credentials are not sent to another origin"
    )]
    Redirected { endpoint: &'static str, status: u16, location: String },
    /// The client's credentials cannot make a request (nothing was sent).
    #[error("cannot authenticate the client: {0}")]
    ClientAuth(#[from] ClientAuthError),
}

impl EndpointError {
    pub fn status(&self) -> Option<u16> {
        match self {
            EndpointError::OAuth { status, .. }
            | EndpointError::Unexpected { status, .. }
            | EndpointError::Redirected { status, .. } => Some(*status),
            EndpointError::Http(_) | EndpointError::ClientAuth(_) => None,
        }
    }

    pub fn oauth_error(&self) -> Option<&str> {
        match self {
            EndpointError::OAuth { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The endpoint could not be reached at all (CLI exit code 3).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, EndpointError::Http(error) if error.is_unreachable())
    }
}

impl TokenPost {
    /// The request as a value; with `reveal` false the token and the client's secret are
    /// redacted, safe to show and log.
    pub fn build(&self, reveal: bool) -> Result<RequestView, ClientAuthError> {
        let mut request = self.unauthenticated(reveal);
        let auth = ClientAuth::new(self.auth_method, &self.client_id, &self.credentials)?;
        auth.try_apply_to(&mut request, reveal, self.assertion_audience.as_deref())?;
        Ok(request)
    }

    fn unauthenticated(&self, reveal: bool) -> RequestView {
        let token = if reveal { self.token.expose().to_owned() } else { redact_token(self.token.expose()) };
        let mut form = vec![("token".to_owned(), token)];
        if let Some(hint) = &self.token_type_hint {
            form.push(("token_type_hint".to_owned(), hint.clone()));
        }
        let headers = vec![
            ("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()),
            ("Accept".to_owned(), "application/json".to_owned()),
        ];
        RequestView { method: "POST".to_owned(), url: self.endpoint.clone(), headers, form }
    }

    /// What will be sent, token and secret redacted; without credentials when they cannot be applied.
    pub fn view(&self) -> RequestView {
        self.build(false).unwrap_or_else(|_| self.unauthenticated(false))
    }

    /// Every secret this request carries, to scrub from whatever comes back.
    pub fn scrubber(&self) -> Scrubber {
        let mut scrubber = Scrubber::new();
        scrubber.add_token(&self.token);
        if let Some(secret) = &self.credentials.secret {
            scrubber.add_client_secret(&self.client_id, secret);
        }
        scrubber
    }

    /// Sends the request over a client fit for `tls`; the answer comes back scrubbed.
    pub async fn send_with(
        &self,
        http: &Http,
        tls: &TlsNeeds,
        endpoint: &'static str,
    ) -> Result<HttpResponse, EndpointError> {
        let wire = self.build(true)?;
        let url = parse_url(&wire.url)?;
        let needs = TransportNeeds::for_url(&url, tls);
        let mut builder = http.client(&url, &needs)?.post(url).form(&wire.form);
        for (name, value) in wire.headers.iter().filter(|(name, _)| !name.eq_ignore_ascii_case("content-type")) {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let mut response = http.send(builder, &self.endpoint).await?;
        self.scrubber().scrub_response(&mut response);
        if let Some(location) = response.unfollowed_redirect() {
            return Err(EndpointError::Redirected { endpoint, status: response.status, location: location.to_owned() });
        }
        Ok(response)
    }
}

/// An OAuth error body (RFC 6749 §5.2), if the answer is one; otherwise, for a failure, what
/// came instead.
pub fn answer_error(response: &HttpResponse, endpoint: &'static str, scrubber: &Scrubber) -> Option<EndpointError> {
    let json: Option<serde_json::Value> = serde_json::from_slice(&response.body).ok();
    if let Some(object) = json.as_ref().and_then(|v| v.as_object())
        && let Some(error) = object.get("error").and_then(|e| e.as_str())
    {
        let field = |k: &str| object.get(k).and_then(|v| v.as_str()).map(|s| scrubber.scrub_str(s).into_owned());
        let mut raw = serde_json::Value::Object(object.clone());
        scrubber.scrub_json(&mut raw);
        return Some(EndpointError::OAuth {
            endpoint,
            status: response.status,
            error: scrubber.scrub_str(error).into_owned(),
            description: field("error_description"),
            raw_body: excerpt(&raw.to_string(), 2000),
        });
    }
    if !response.is_success() {
        return Some(unexpected(response, endpoint, scrubber, "instead of an answer"));
    }
    None
}

/// An answer that is not what the endpoint should say, described.
pub fn unexpected(response: &HttpResponse, endpoint: &'static str, scrubber: &Scrubber, what: &str) -> EndpointError {
    let text = response.body_text();
    let kind = if response.body.is_empty() {
        "with an empty body".to_owned()
    } else if response.content_type().to_lowercase().contains("html") || text.trim_start().starts_with('<') {
        "with an HTML page (wrong URL, a proxy, or a login page?)".to_owned()
    } else {
        what.to_owned()
    };
    EndpointError::Unexpected {
        endpoint,
        status: response.status,
        what: kind,
        body: scrubber.scrub_str(&excerpt(&strip_html(&text), 300)).into_owned(),
    }
}

/// The request as sent (redacted) and the outcome, for reports.
#[derive(Debug, Clone, Serialize)]
pub struct PostedRequest {
    pub request: RequestView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub latency_ms: f64,
}
