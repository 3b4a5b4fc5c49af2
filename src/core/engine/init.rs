//! `init URL`'s requests: the API without a token, its RFC 9728 metadata, the authorization
//! server's metadata and keys — each answer read into `InitFacts` for the pure draft.
//!
//! ```text
//!  GET URL (no token) ──► WWW-Authenticate: scope, realm, error, resource_metadata
//!  resource metadata  ──► the challenge's resource_metadata, else the path-inserted
//!                         well-known URL (RFC 9728 §3)
//!  authorization server ► authorization_servers[0] ──► OIDC discovery, else RFC 8414
//!  its JWKS           ──► the algorithms its keys verify (when the resource names none)
//! ```

use url::Url;

use super::Engine;
use crate::core::draft::as_metadata;
use crate::core::draft::init_draft::{Challenge, Fetched, InitFacts};
use crate::core::draft::resource_metadata::{self, ResourceFit};
use crate::core::net::transport::TlsNeeds;
use crate::core::probe::www_authenticate;
use crate::core::store::profile_store::check_http_url;

impl Engine {
    /// What the API at `url` and its authorization server publish (every request with
    /// `tls` and the engine's timeouts; failures become notes, never errors).
    pub async fn init_facts(&self, url: &Url, tls: &TlsNeeds) -> InitFacts {
        let mut facts = InitFacts { url: url.to_string(), ..InitFacts::default() };
        facts.challenge = self.challenge(url, tls, &mut facts.notes).await;
        self.find_resource_metadata(url, tls, &mut facts).await;
        self.find_authorization_server(tls, &mut facts).await;
        facts
    }

    async fn challenge(&self, url: &Url, tls: &TlsNeeds, notes: &mut Vec<String>) -> Option<Challenge> {
        let response = match self.http.get_with(url.as_str(), tls).await {
            Ok(response) => response,
            Err(error) => {
                notes.push(format!("the API did not answer: {error}"));
                return None;
            }
        };
        let challenges: Vec<www_authenticate::Challenge> =
            response.headers_named("www-authenticate").flat_map(www_authenticate::parse).collect();
        let chosen = challenges
            .iter()
            .find(|c| c.is_bearer())
            .or_else(|| challenges.iter().find(|c| c.scheme.eq_ignore_ascii_case("dpop")));
        if (200..300).contains(&response.status) {
            notes.push(format!("the API answered {} without a token: is this URL protected?", response.status));
        } else if chosen.is_none() {
            notes.push(format!(
                "the API answered {} with no Bearer or DPoP challenge (WWW-Authenticate)",
                response.status
            ));
        }
        let param = |name: &str| chosen.and_then(|c| c.param(name)).map(str::to_owned);
        Some(Challenge {
            status: response.status,
            scheme: chosen.map(|c| c.scheme.clone()),
            realm: param("realm"),
            scope: param("scope"),
            error: param("error"),
            resource_metadata: param("resource_metadata"),
        })
    }

    async fn find_resource_metadata(&self, url: &Url, tls: &TlsNeeds, facts: &mut InitFacts) {
        let named = facts.challenge.as_ref().and_then(|c| c.resource_metadata.clone());
        if let Some(named) = named {
            match self.fetch_document(&named, tls, resource_metadata::parse).await {
                Ok(document) => {
                    let fit = resource_metadata::fit(document.resource.as_deref(), url);
                    match fit {
                        ResourceFit::Same => {}
                        ResourceFit::Prefix => facts.notes.push(format!(
                            "the challenge's metadata names the resource {}, a prefix of the URL: accepted",
                            document.resource.as_deref().unwrap_or("")
                        )),
                        ResourceFit::Other => facts.notes.push(format!(
                            "warning: the challenge's metadata names the resource {}, which does not cover {url}",
                            document.resource.as_deref().unwrap_or("")
                        )),
                        ResourceFit::Missing => {
                            facts.notes.push(format!("warning: the metadata at {named} names no resource"))
                        }
                    }
                    facts.resource_fit = Some(fit);
                    facts.resource = Some(Fetched { url: named, document });
                    return;
                }
                Err(problem) => facts.notes.push(format!("the challenge's resource_metadata {named}: {problem}")),
            }
        }
        // RFC 9728 §3.1: the well-known URL for the URL itself; the document counts only
        // when its resource is that URL (§3.3). A wider resource (the origin's metadata) is
        // taken only when the API's challenge points at it.
        let well_known = resource_metadata::well_known_url(url);
        match self.fetch_document(well_known.as_str(), tls, resource_metadata::parse).await {
            Ok(document) => {
                let expected = resource_metadata::resource_of(url);
                if document.resource.as_deref().map(|r| r.trim_end_matches('/')) != Some(expected.as_str()) {
                    facts.notes.push(format!(
                        "warning: the metadata at {well_known} names the resource {} instead of {expected}: not used (RFC 9728 §3.3)",
                        document.resource.as_deref().unwrap_or("(none)")
                    ));
                    return;
                }
                facts.resource_fit = Some(ResourceFit::Same);
                facts.resource = Some(Fetched { url: well_known.to_string(), document });
            }
            Err(problem) => facts.notes.push(format!("no resource metadata at {well_known}: {problem}")),
        }
    }

    async fn find_authorization_server(&self, tls: &TlsNeeds, facts: &mut InitFacts) {
        let listed: Vec<String> = facts
            .resource
            .as_ref()
            .filter(|_| facts.resource_fit != Some(ResourceFit::Other))
            .map(|r| r.document.authorization_servers.clone())
            .unwrap_or_default();
        if listed.len() > 1 {
            facts
                .notes
                .push(format!("the resource names {} authorization servers; the draft uses the first", listed.len()));
        }
        let realm = facts.challenge.as_ref().and_then(|c| c.realm.clone()).filter(|r| check_http_url(r).is_ok());
        let server = match (listed.into_iter().find(|s| check_http_url(s).is_ok()), realm) {
            (Some(server), _) => (server, "the resource metadata's authorization_servers".to_owned()),
            (None, Some(realm)) => (realm, "the challenge's realm (a URL; a guess)".to_owned()),
            (None, None) => return,
        };
        facts.authorization_server = Some(server.clone());
        let (server, _) = server;
        for candidate in as_metadata::candidate_urls(&server) {
            match self.fetch_document(&candidate, tls, as_metadata::parse).await {
                Ok(document) => {
                    // RFC 8414 §3.3: the metadata is the server's only if it names it.
                    if document.issuer.as_deref().map(|i| i.trim_end_matches('/')) != Some(server.trim_end_matches('/'))
                    {
                        facts.notes.push(format!(
                            "warning: the metadata at {candidate} names the issuer {} instead of {server}: not used",
                            document.issuer.as_deref().unwrap_or("(none)")
                        ));
                        continue;
                    }
                    if let Some(jwks) = document.jwks_uri.clone().filter(|j| check_http_url(j).is_ok())
                        && let Ok(response) = self.http.get_with(&jwks, tls).await
                        && response.is_success()
                    {
                        facts.jwks_algorithms = as_metadata::algorithms_of_jwks(&response.body);
                    }
                    facts.auth_server = Some(Fetched { url: candidate, document });
                    return;
                }
                Err(problem) => facts.notes.push(format!("no authorization server metadata at {candidate}: {problem}")),
            }
        }
    }

    /// GETs `url` and parses its JSON body with `parse`; the error says what went wrong.
    async fn fetch_document<T>(
        &self,
        url: &str,
        tls: &TlsNeeds,
        parse: fn(&[u8]) -> Result<T, String>,
    ) -> Result<T, String> {
        check_http_url(url).map_err(|e| format!("not an http(s) URL ({e})"))?;
        let response = self.http.get_with(url, tls).await.map_err(|e| e.to_string())?;
        if !response.is_success() {
            return Err(format!("HTTP {}", response.status));
        }
        parse(&response.body)
    }
}
