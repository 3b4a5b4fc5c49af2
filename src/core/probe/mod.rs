//! Sending a test request to a protected endpoint, with or without the token, and reading the answer.

pub mod dpop_challenge;
pub mod www_authenticate;

use serde::Serialize;

use crate::core::model::secret::Secret;
use crate::core::net::http::{Http, HttpError, HttpResponse, parse_url};
use crate::core::net::scrub::{Scrubber, is_credential_header};
use crate::core::net::transport::{TlsNeeds, TransportNeeds};
use crate::core::oauth::dpop::Proof;
use www_authenticate::BearerChallenge;

/// A request to an API endpoint.
#[derive(Debug, Clone)]
pub struct ProbeRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    /// Sent as `Authorization: Bearer ...` when present.
    pub token: Option<Secret>,
}

/// The endpoint's answer, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeResponse {
    pub status: u16,
    pub latency_ms: f64,
    pub headers: Vec<(String, String)>,
    /// The body as text; JSON is pretty-printed.
    pub body: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_json: Option<serde_json::Value>,
    pub truncated: bool,
    pub content_type: String,
    /// Every WWW-Authenticate value as received.
    pub www_authenticate: Vec<String>,
    /// The parsed Bearer challenge, if any.
    pub bearer: Option<BearerChallenge>,
    pub final_url: String,
    /// A redirect to another origin that was not followed (the token stays home).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unfollowed_redirect: Option<String>,
}

impl ProbeResponse {
    pub fn from_http(response: &HttpResponse) -> Self {
        let text = response.body_text();
        let body_json: Option<serde_json::Value> = serde_json::from_slice(&response.body).ok();
        let body = match &body_json {
            Some(json) if json.is_object() || json.is_array() => serde_json::to_string_pretty(json).unwrap_or(text),
            _ => text,
        };
        let www_authenticate: Vec<String> = response.headers_named("www-authenticate").map(str::to_owned).collect();
        ProbeResponse {
            status: response.status,
            latency_ms: (response.latency.as_secs_f64() * 1000.0 * 10.0).round() / 10.0,
            headers: response.headers.clone(),
            body,
            body_json,
            truncated: response.truncated,
            content_type: response.content_type().to_owned(),
            bearer: www_authenticate::bearer(&www_authenticate),
            www_authenticate,
            final_url: response.final_url.clone(),
            unfollowed_redirect: response.unfollowed_redirect().map(str::to_owned),
        }
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

fn is_authorization(name: &str) -> bool {
    name.trim().eq_ignore_ascii_case("authorization")
}

impl ProbeRequest {
    /// The endpoint's own headers as they go out: never two `Authorization` headers.
    ///
    /// With a token, the bearer token wins and every `Authorization` header of the profile is
    /// dropped (the call exists to test that token). Without one (`--no-token`, the TUI's `b`),
    /// the profile's first `Authorization` header goes as written.
    pub fn headers_to_send(&self) -> Vec<(&str, &str)> {
        let mut authorization_sent = self.token.is_some();
        let mut out = Vec::with_capacity(self.headers.len());
        for (name, value) in &self.headers {
            if is_authorization(name) {
                if authorization_sent {
                    continue;
                }
                authorization_sent = true;
            }
            out.push((name.as_str(), value.as_str()));
        }
        out
    }

    /// What [`Self::headers_to_send`] decided about the profile's `Authorization` header, said
    /// for the report (names only, never a value).
    pub fn header_notes(&self) -> Vec<String> {
        let count = self.headers.iter().filter(|(name, _)| is_authorization(name)).count();
        let mut notes = Vec::new();
        if count == 0 {
            return notes;
        }
        if self.token.is_some() {
            notes.push(
                "the endpoint's own Authorization header was not sent: the bearer token replaces it \
                 (one Authorization header per request; call without a token to send the profile's header)"
                    .to_owned(),
            );
        } else {
            notes.push(
                "sent without a token, so the endpoint's own Authorization header went as written: \
                 the answer is about that credential, not about a missing token"
                    .to_owned(),
            );
            if count > 1 {
                notes.push(format!(
                    "the endpoint has {count} Authorization headers (names differing in case): only the first was sent"
                ));
            }
        }
        notes
    }

    /// Sends the request; the answer is scrubbed of the token it carried.
    pub async fn send(&self, http: &Http) -> Result<ProbeResponse, HttpError> {
        self.send_over(http, &TlsNeeds::default(), &Scrubber::new()).await
    }

    /// Sends the request over a client fit for `tls` (if the URL is https); the answer is
    /// scrubbed of the token it carried and of `known` (the call's other secrets), before
    /// anything reads it.
    pub async fn send_over(&self, http: &Http, tls: &TlsNeeds, known: &Scrubber) -> Result<ProbeResponse, HttpError> {
        self.send_bound(http, tls, known, None).await
    }

    /// [`ProbeRequest::send_over`] for a DPoP-bound token: `Authorization: DPoP <token>` and
    /// the proof in the `DPoP` header (RFC 9449 §7.1); the answer is scrubbed of the proof too.
    pub async fn send_dpop_over(
        &self,
        http: &Http,
        tls: &TlsNeeds,
        known: &Scrubber,
        proof: &Proof,
    ) -> Result<ProbeResponse, HttpError> {
        self.send_bound(http, tls, known, Some(proof)).await
    }

    async fn send_bound(
        &self,
        http: &Http,
        tls: &TlsNeeds,
        known: &Scrubber,
        proof: Option<&Proof>,
    ) -> Result<ProbeResponse, HttpError> {
        let url = parse_url(&self.url)?;
        let needs = TransportNeeds::for_url(&url, tls);
        let method = reqwest::Method::from_bytes(self.method.trim().to_ascii_uppercase().as_bytes()).map_err(|_| {
            HttpError::InvalidUrl {
                url: self.url.clone(),
                detail: format!("\"{}\" is not an HTTP method", self.method),
            }
        })?;
        let mut builder = http.client(&url, &needs)?.request(method, url);
        for (name, value) in self.headers_to_send() {
            builder = builder.header(name, value);
        }
        let scheme = if proof.is_some() { "DPoP" } else { "Bearer" };
        if let Some(token) = &self.token {
            builder = builder.header("authorization", format!("{scheme} {}", token.expose()));
        }
        if let Some(proof) = proof {
            builder = builder.header("DPoP", proof.compact.expose());
        }
        if let Some(body) = &self.body {
            let looks_json = body.trim_start().starts_with(['{', '[']);
            if looks_json && !self.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
                builder = builder.header("content-type", "application/json");
            }
            builder = builder.body(body.clone());
        }
        let mut response = http.send(builder, &self.url).await?;
        let mut scrubber = known.clone();
        if let Some(token) = &self.token {
            scrubber.add_token(token);
        }
        if let Some(proof) = proof {
            scrubber.add_token(&proof.compact);
        }
        for (_, value) in self.headers_to_send().into_iter().filter(|(name, _)| is_credential_header(name)) {
            scrubber.add_header_value(value);
        }
        scrubber.scrub_response(&mut response);
        let mut answer = ProbeResponse::from_http(&response);
        // Parsing decoded JSON escapes: scrub the decoded value too, and show the body from it.
        scrubber.scrub_in_place(&mut answer.body);
        if let Some(json) = answer.body_json.as_mut() {
            scrubber.scrub_json(json);
            if json.is_object() || json.is_array() {
                answer.body = serde_json::to_string_pretty(json).unwrap_or_default();
            }
        }
        Ok(answer)
    }
}

/// The endpoint a call went to, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct EndpointInfo {
    pub name: String,
    pub method: String,
    pub url: String,
    pub required_scopes: Vec<String>,
}

impl From<&crate::core::model::profile::Endpoint> for EndpointInfo {
    fn from(e: &crate::core::model::profile::Endpoint) -> Self {
        EndpointInfo {
            name: e.name.clone(),
            method: e.method.clone(),
            url: e.url.clone(),
            required_scopes: e.required_scopes.clone(),
        }
    }
}
