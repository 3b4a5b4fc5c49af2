//! The client_credentials grant: build the request, send it, read the answer or the OAuth error.

use serde::Serialize;

use crate::core::model::credentials::Credentials;
use crate::core::model::profile::AuthMethod;
use crate::core::model::secret::{Secret, redact_token};
use crate::core::net::http::{Http, HttpError, HttpResponse, excerpt, parse_url};
use crate::core::net::scrub::Scrubber;
use crate::core::net::transport::{TlsNeeds, TransportNeeds};
use crate::core::oauth::client_assertion::{AssertionSettings, AssertionView};
use crate::core::oauth::client_auth::{ClientAuth, ClientAuthError};
use crate::core::oauth::dpop::Proof;
pub use crate::core::oauth::request::RequestView;

/// Everything needed to ask for a token.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub endpoint: String,
    pub client_id: String,
    /// What the client authenticates with, as read for its `auth_method`.
    pub credentials: Credentials,
    pub auth_method: AuthMethod,
    pub scopes: Vec<String>,
    pub audience: Option<String>,
    pub resource: Option<String>,
    pub extra: Vec<(String, String)>,
    /// For the assertion methods: when, with which `jti`, alg and kid the assertion is made
    /// (the engine stamps it by its clock); `None` stamps it by the system clock when built.
    pub assertion: Option<AssertionSettings>,
}

/// A successful token response.
#[derive(Debug, Clone, Serialize)]
pub struct TokenResponse {
    pub access_token: Secret,
    pub token_type: Option<String>,
    pub expires_in: Option<u64>,
    pub scope: Option<String>,
    /// Authing answers 200 and lists the scopes it refused here.
    pub rejected_scope: Option<String>,
    pub status: u16,
    /// The response body with the token's signature (and any refresh/id token) redacted.
    pub raw: serde_json::Value,
    /// Oddities worth telling (e.g. `expires_in` sent as a string).
    pub notes: Vec<String>,
}

/// Why no token came back.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum TokenError {
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("the token endpoint answered {error}{}", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    OAuth {
        status: u16,
        error: String,
        description: Option<String>,
        uri: Option<String>,
        /// The server's body as received (it holds no secret of ours).
        raw_body: String,
    },
    #[error("the token endpoint answered HTTP {status} {what}{}", if body.is_empty() { String::new() } else { format!(": {body}") })]
    NotOAuth { status: u16, what: String, content_type: String, body: String },
    #[error("the token endpoint redirected to {location}; not followed, so the secret is not sent to another origin")]
    Redirected { status: u16, location: String },
    /// The client's credentials cannot make a request (nothing was sent).
    #[error("cannot authenticate the client: {0}")]
    ClientAuth(#[from] ClientAuthError),
}

impl TokenError {
    /// The standard OAuth error code, if the server sent one.
    pub fn oauth_error(&self) -> Option<&str> {
        match self {
            TokenError::OAuth { error, .. } => Some(error),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            TokenError::OAuth { status, .. }
            | TokenError::NotOAuth { status, .. }
            | TokenError::Redirected { status, .. } => Some(*status),
            TokenError::Http(_) | TokenError::ClientAuth(_) => None,
        }
    }
}

impl TokenRequest {
    /// The request as a value: method, URL, headers and form, the client's credentials applied
    /// by its [`ClientAuth`]; with `reveal_secret` false it is safe to show and log.
    pub fn build(&self, reveal_secret: bool) -> Result<RequestView, ClientAuthError> {
        let mut request = self.unauthenticated();
        self.client_auth()?.try_apply(&mut request, reveal_secret)?;
        Ok(request)
    }

    /// The request before the client's credentials are added.
    fn unauthenticated(&self) -> RequestView {
        let mut form = vec![("grant_type".to_owned(), "client_credentials".to_owned())];
        if !self.scopes.is_empty() {
            form.push(("scope".to_owned(), self.scopes.join(" ")));
        }
        if let Some(audience) = &self.audience {
            form.push(("audience".to_owned(), audience.clone()));
        }
        if let Some(resource) = &self.resource {
            form.push(("resource".to_owned(), resource.clone()));
        }
        form.extend(self.extra.iter().cloned());
        let headers = vec![
            ("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()),
            ("Accept".to_owned(), "application/json".to_owned()),
        ];
        RequestView { method: "POST".to_owned(), url: self.endpoint.clone(), headers, form }
    }

    /// How this request authenticates the client.
    pub fn client_auth(&self) -> Result<ClientAuth, ClientAuthError> {
        ClientAuth::with_settings(self.auth_method, &self.client_id, &self.credentials, self.assertion.clone())
    }

    /// The client assertion this request carries, decoded; `None` for the other methods.
    pub fn assertion_view(&self) -> Option<AssertionView> {
        self.client_auth().ok()?.assertion_view(&self.endpoint)
    }

    /// What will be sent, secret redacted; without credentials when they cannot be applied.
    pub fn view(&self) -> RequestView {
        self.build(false).unwrap_or_else(|_| self.unauthenticated())
    }

    /// What this request needs from its connection, given the connection settings `tls` of
    /// its profile: plain or TLS by the endpoint's scheme. (A client that authenticates with a
    /// certificate adds its identity here.) A value: the net layer picks the client by it.
    pub fn transport_needs(&self, url: &reqwest::Url, tls: &TlsNeeds) -> TransportNeeds {
        TransportNeeds::for_url(url, tls)
    }

    /// Sends the request over the default TLS settings; see [`TokenRequest::send_with`].
    pub async fn send(&self, http: &Http) -> Result<TokenResponse, TokenError> {
        self.send_with(http, &TlsNeeds::default()).await
    }

    /// Sends the request (the only I/O here) over a client fit for `tls`, and reads the
    /// answer, scrubbed of the secret.
    pub async fn send_with(&self, http: &Http, tls: &TlsNeeds) -> Result<TokenResponse, TokenError> {
        self.send_with_dpop(http, tls, None).await.0
    }

    /// [`TokenRequest::view`] with the `DPoP` header a proof adds (signature redacted).
    pub fn view_with_dpop(&self, proof: Option<&Proof>) -> RequestView {
        let mut view = self.view();
        if let Some(proof) = proof {
            view.headers.push(("DPoP".to_owned(), proof.shown()));
        }
        view
    }

    /// [`TokenRequest::send_with`], with a DPoP proof in the `DPoP` header when given; also
    /// returns the `DPoP-Nonce` the server sent (RFC 9449 §8), for a retry or the next proof.
    pub async fn send_with_dpop(
        &self,
        http: &Http,
        tls: &TlsNeeds,
        proof: Option<&Proof>,
    ) -> (Result<TokenResponse, TokenError>, Option<String>) {
        let wire = match self.build(true) {
            Ok(wire) => wire,
            Err(error) => return (Err(error.into()), None),
        };
        let url = match parse_url(&wire.url) {
            Ok(url) => url,
            Err(error) => return (Err(error.into()), None),
        };
        let needs = self.transport_needs(&url, tls);
        let client = match http.client(&url, &needs) {
            Ok(client) => client,
            Err(error) => return (Err(error.into()), None),
        };
        let mut builder = client.post(url).form(&wire.form);
        for (name, value) in wire.headers.iter().filter(|(name, _)| !name.eq_ignore_ascii_case("content-type")) {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some(proof) = proof {
            builder = builder.header("DPoP", proof.compact.expose());
        }
        let mut response = match http.send(builder, &self.endpoint).await {
            Ok(response) => response,
            Err(error) => return (Err(error.into()), None),
        };
        let nonce = response.headers_named("dpop-nonce").next().map(|n| n.trim().to_owned());
        // An endpoint that echoes the request (in error_description, or an HTML error page)
        // must not hand the secret to the screen: scrub it before the answer is parsed.
        let mut scrubber = Scrubber::new();
        if let Some(secret) = &self.credentials.secret {
            scrubber.add_client_secret(&self.client_id, secret);
        }
        // The signed assertion (a server may echo the form) and the key that signed it.
        if let Some((_, assertion)) = wire.form.iter().find(|(name, _)| name == "client_assertion") {
            scrubber.add_token(&Secret::new(assertion.as_str()));
        }
        if let Some(key) = &self.credentials.private_key {
            scrubber.add_private_key(key);
        }
        if let Some(proof) = proof {
            scrubber.add_token(&proof.compact);
        }
        scrubber.scrub_response(&mut response);
        let mut result = parse_token_response(&response);
        scrub_decoded(&mut result, scrubber);
        (result, nonce)
    }
}

/// Scrubs what parsing decoded (JSON escapes, HTML entities) of the secrets again, and a
/// token's answer of the token itself wherever else it stands (only its own field shows it,
/// with the signature redacted).
fn scrub_decoded(result: &mut Result<TokenResponse, TokenError>, mut scrubber: Scrubber) {
    match result {
        Ok(token) => {
            scrubber.add_token(&token.access_token);
            scrubber.scrub_json(&mut token.raw);
            token.notes.iter_mut().for_each(|note| scrubber.scrub_in_place(note));
        }
        Err(TokenError::OAuth { error, description, uri, raw_body, .. }) => {
            scrubber.scrub_in_place(error);
            if let Some(text) = description.as_mut() {
                scrubber.scrub_in_place(text);
            }
            if let Some(text) = uri.as_mut() {
                scrubber.scrub_in_place(text);
            }
            match serde_json::from_str::<serde_json::Value>(raw_body) {
                Ok(mut json) => {
                    scrubber.scrub_json(&mut json);
                    *raw_body = json.to_string();
                }
                Err(_) => scrubber.scrub_in_place(raw_body),
            }
        }
        Err(TokenError::NotOAuth { what, body, .. }) => {
            scrubber.scrub_in_place(what);
            scrubber.scrub_in_place(body);
        }
        Err(TokenError::Redirected { location, .. }) => scrubber.scrub_in_place(location),
        Err(TokenError::Http(_) | TokenError::ClientAuth(_)) => {}
    }
}

/// Reads a token endpoint's answer: a token, an OAuth error, or something else explained.
pub fn parse_token_response(response: &HttpResponse) -> Result<TokenResponse, TokenError> {
    if let Some(location) = response.unfollowed_redirect() {
        return Err(TokenError::Redirected { status: response.status, location: location.to_owned() });
    }
    let json: Option<serde_json::Value> = serde_json::from_slice(&response.body).ok();
    let object = json.as_ref().and_then(|v| v.as_object());
    let text = response.body_text();

    if let Some(object) = object
        && let Some(error) = object.get("error").and_then(|e| e.as_str())
    {
        // Some servers answer 200 with an error body: an error is an error.
        let field = |k: &str| object.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        return Err(TokenError::OAuth {
            status: response.status,
            error: error.to_owned(),
            description: field("error_description").or_else(|| field("message")),
            uri: field("error_uri"),
            raw_body: excerpt(&text, 2000),
        });
    }
    if !response.is_success() {
        let what = describe_non_oauth(response, json.is_some());
        return Err(TokenError::NotOAuth {
            status: response.status,
            what,
            content_type: response.content_type().to_owned(),
            body: excerpt(&strip_html(&text), 200),
        });
    }
    let Some(object) = object else {
        return Err(TokenError::NotOAuth {
            status: response.status,
            what: describe_non_oauth(response, json.is_some()),
            content_type: response.content_type().to_owned(),
            body: excerpt(&strip_html(&text), 200),
        });
    };
    let Some(access_token) = object.get("access_token").and_then(|t| t.as_str()).filter(|t| !t.is_empty()) else {
        return Err(TokenError::NotOAuth {
            status: response.status,
            what: match object.get("access_token") {
                None | Some(serde_json::Value::Null) => "with JSON but no access_token",
                Some(serde_json::Value::String(_)) => "with JSON whose access_token is empty",
                Some(_) => "with JSON whose access_token is not a string",
            }
            .to_owned(),
            content_type: response.content_type().to_owned(),
            body: excerpt(&redacted_body(object).to_string(), 300),
        });
    };
    let mut notes = Vec::new();
    let expires_in = match object.get("expires_in") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(n)) => {
            // Seconds that fit a unix time; negative or absurd values are told, not wrapped.
            let seconds = n
                .as_u64()
                .or_else(|| n.as_f64().filter(|f| *f >= 0.0 && *f < i64::MAX as f64).map(|f| f as u64))
                .filter(|s| i64::try_from(*s).is_ok());
            if seconds.is_none() {
                notes.push(format!(
                    "expires_in has an unusable value: {n} (a lifetime in seconds is a positive number)"
                ));
            }
            seconds
        }
        Some(serde_json::Value::String(s)) => {
            let parsed = s.trim().parse::<u64>().ok();
            notes.push(format!("expires_in was sent as a string (\"{s}\"), not a number as RFC 6749 §5.1 asks"));
            parsed
        }
        Some(other) => {
            notes.push(format!("expires_in has an unusable value: {other}"));
            None
        }
    };
    let token_type = object.get("token_type").and_then(|v| v.as_str()).map(str::to_owned);
    if let Some(kind) = &token_type
        && !kind.eq_ignore_ascii_case("bearer")
    {
        notes.push(format!("token_type is \"{kind}\", not Bearer"));
    }
    let scope = object.get("scope").and_then(|v| v.as_str()).map(str::to_owned);
    let rejected_scope = match object.get("rejected_scope") {
        Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(serde_json::Value::Array(items)) if !items.is_empty() => {
            Some(items.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(" "))
        }
        _ => None,
    };
    Ok(TokenResponse {
        access_token: Secret::new(access_token),
        token_type,
        expires_in,
        scope,
        rejected_scope,
        status: response.status,
        raw: redacted_body(object),
        notes,
    })
}

/// The response JSON with every token's signature or value hidden.
fn redacted_body(object: &serde_json::Map<String, serde_json::Value>) -> serde_json::Value {
    let mut copy = object.clone();
    for key in ["access_token", "id_token", "refresh_token"] {
        if let Some(serde_json::Value::String(token)) = copy.get(key) {
            let shown = if key == "refresh_token" { "[redacted]".to_owned() } else { redact_token(token) };
            copy.insert(key.to_owned(), serde_json::Value::String(shown));
        }
    }
    serde_json::Value::Object(copy)
}

fn describe_non_oauth(response: &HttpResponse, is_json: bool) -> String {
    let content_type = response.content_type().to_lowercase();
    if response.body.is_empty() {
        "with an empty body (not an OAuth error response)".to_owned()
    } else if content_type.contains("html") || response.body_text().trim_start().starts_with('<') {
        "with an HTML page instead of JSON (wrong URL, a proxy, or a login page?)".to_owned()
    } else if is_json {
        "with JSON that is not an OAuth answer".to_owned()
    } else {
        format!("with a non-JSON body ({})", if content_type.is_empty() { "no content-type" } else { &content_type })
    }
}

/// Crude tag stripping so an HTML error page reads as its text.
pub fn strip_html(text: &str) -> String {
    if !text.trim_start().starts_with('<') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The token request as sent (secret redacted) and what came back.
#[derive(Debug, Clone, Serialize)]
pub struct TokenRequestReport {
    pub request: RequestView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejected_scope: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub latency_ms: f64,
    #[serde(skip)]
    pub error_kind: Option<TokenError>,
    /// The client assertion sent (`client_secret_jwt`, `private_key_jwt`), decoded: header,
    /// claims and the key's thumbprint; never the signature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assertion: Option<AssertionView>,
    /// The client certificate presented to the token endpoint (mTLS): what it says of itself
    /// and its `x5t#S256`, for the diagnosis of a refused certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_certificate: Option<crate::core::net::cert_info::CertInfo>,
}

#[cfg(test)]
impl TokenRequestReport {
    /// A token request to `https://id.example/token` the issuer refused with `error` (and
    /// `description`, as an RFC 6749 §5.2 body), for the diagnosis tests.
    pub(crate) fn refused_for_tests(status: u16, error: &str, description: Option<&str>) -> TokenRequestReport {
        let mut body = serde_json::json!({ "error": error });
        if let Some(description) = description {
            body["error_description"] = description.into();
        }
        TokenRequestReport {
            request: RequestView {
                method: "POST".into(),
                url: "https://id.example/token".into(),
                headers: vec![],
                form: vec![],
            },
            status: Some(status),
            response: None,
            error: None,
            oauth_error: Some(error.into()),
            rejected_scope: None,
            notes: vec![],
            latency_ms: 0.0,
            error_kind: description.map(|description| TokenError::OAuth {
                status,
                error: error.into(),
                description: Some(description.into()),
                uri: None,
                raw_body: body.to_string(),
            }),
            assertion: None,
            client_certificate: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, content_type: &str, body: &str) -> HttpResponse {
        HttpResponse::for_tests(status, content_type, body, "http://x/token")
    }

    #[test]
    fn basic_credentials_are_urlencoded_first() {
        let request = TokenRequest {
            endpoint: "http://x/token".into(),
            client_id: "a b".into(),
            credentials: Credentials::secret(Secret::new("p:ss&%")),
            auth_method: AuthMethod::ClientSecretBasic,
            scopes: vec![],
            audience: None,
            resource: None,
            extra: vec![],
            assertion: None,
        };
        let sent = request.build(true).unwrap();
        let header = sent.headers.iter().find(|(k, _)| k == "Authorization").map(|(_, v)| v.clone()).unwrap();
        use base64::Engine as _;
        let decoded = base64::engine::general_purpose::STANDARD.decode(header.trim_start_matches("Basic ")).unwrap();
        assert_eq!(String::from_utf8(decoded).unwrap(), "a+b:p%3Ass%26%25");
        let view = format!("{:?}", request.view());
        assert!(!view.contains("p:ss"), "{view}");
    }

    #[test]
    fn oauth_errors_and_oddities() {
        let err = parse_token_response(&response(
            401,
            "application/json",
            r#"{"error":"invalid_client","error_description":"bad secret"}"#,
        ))
        .unwrap_err();
        assert_eq!(err.oauth_error(), Some("invalid_client"));
        let err = parse_token_response(&response(200, "application/json", r#"{"error":"invalid_scope"}"#)).unwrap_err();
        assert_eq!(err.oauth_error(), Some("invalid_scope"));
        let err = parse_token_response(&response(403, "text/plain", "")).unwrap_err();
        assert!(err.to_string().contains("empty body"), "{err}");
        let err = parse_token_response(&response(200, "text/html", "<html><body>Login</body></html>")).unwrap_err();
        assert!(err.to_string().contains("HTML"), "{err}");
        let ok = parse_token_response(&response(
            200,
            "application/json",
            r#"{"access_token":"h.p.s","expires_in":"3600","rejected_scope":"order:read"}"#,
        ))
        .unwrap();
        assert_eq!(ok.expires_in, Some(3600));
        assert_eq!(ok.rejected_scope.as_deref(), Some("order:read"));
        assert_eq!(ok.raw["access_token"], "h.p.[signature redacted]");
        assert_eq!(ok.notes.len(), 1);
        let err = parse_token_response(&response(200, "application/json", r#"{"token_type":"Bearer"}"#)).unwrap_err();
        assert!(err.to_string().contains("no access_token"), "{err}");
    }
}
