//! Sending a call's two requests: the token request and the API request, each with a DPoP
//! proof when the profile has `[dpop]` and asked once more with the server's nonce when it
//! demands one (RFC 9449 §8, §9); every attempt reported and traced.

use std::sync::atomic::Ordering;

use super::dpop::{self, DpopKeyInfo, DpopReport, ProofAttempt};
use super::trace::{self, HopKind, TraceBuilder};
use super::{Engine, milliseconds, tls};
use crate::core::model::credentials::Credentials;
use crate::core::model::profile::Profile;
use crate::core::net::http::HttpError;
use crate::core::net::scrub::Scrubber;
use crate::core::net::transport::TlsNeeds;
use crate::core::oauth::client_assertion::AssertionSettings;
use crate::core::oauth::token_request::{RequestView, TokenError, TokenRequest, TokenRequestReport, TokenResponse};
use crate::core::probe::{ProbeRequest, ProbeResponse};

/// A token request as sent (once, or twice for a DPoP nonce).
pub(super) struct TokenExchange {
    pub(super) report: TokenRequestReport,
    pub(super) response: Option<TokenResponse>,
    pub(super) dpop: Option<DpopReport>,
    pub(super) first_attempt: Option<TokenRequestReport>,
}

impl Engine {
    /// [`Engine::request_token`], with a DPoP proof when the profile has `[dpop]`, asked
    /// once more with the server's nonce when it demands one (RFC 9449 §8).
    pub(super) async fn request_token_bound(
        &self,
        profile: &Profile,
        token_endpoint: &str,
        credentials: Credentials,
    ) -> TokenExchange {
        let unsent = |error: String, dpop: Option<DpopReport>| TokenExchange {
            report: unsent_report(token_endpoint, error),
            response: None,
            dpop,
            first_attempt: None,
        };
        let Some(client) = &profile.client else {
            return unsent("the profile has no [client] section".to_owned(), None);
        };
        let request = TokenRequest {
            endpoint: token_endpoint.to_owned(),
            client_id: client.id.clone(),
            credentials,
            auth_method: client.auth_method,
            scopes: client.scopes.clone(),
            audience: client.audience.clone(),
            resource: client.resource.clone(),
            extra: client.extra.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            assertion: client
                .auth_method
                .signs_assertion()
                .then(|| AssertionSettings::at(self.now(), client.assertion_alg.clone(), client.key_id.clone())),
        };
        let Some(config) = dpop::wanted(profile) else {
            let (report, response, _) = self.send_token_request(profile, &request, None).await;
            return TokenExchange { report, response, dpop: None, first_attempt: None };
        };
        let mut dpop_report = DpopReport::default();
        let key = match self.dpop_keys.key(config).await {
            Ok(key) => key,
            Err(error) => {
                dpop_report.error = Some(error.clone());
                return unsent(format!("no DPoP proof could be made: {error}"), Some(dpop_report));
            }
        };
        dpop_report.key = Some(DpopKeyInfo::of(&key));
        let mut nonce: Option<String> = None;
        let mut first_attempt = None;
        loop {
            let proof = match dpop::proof_for(&key, "POST", token_endpoint, self.now(), nonce.as_deref(), None) {
                Ok(proof) => proof,
                Err(error) => {
                    dpop_report.error = Some(error.clone());
                    return unsent(format!("no DPoP proof could be made: {error}"), Some(dpop_report));
                }
            };
            let (report, response, sent_nonce) = self.send_token_request(profile, &request, Some(&proof)).await;
            let demanded = (report.oauth_error.as_deref() == Some("use_dpop_nonce")).then_some(sent_nonce).flatten();
            dpop_report.token_request.push(ProofAttempt {
                proof: proof.view,
                status: report.status,
                nonce_demanded: demanded.clone(),
            });
            // One retry: a second demand is the server's problem to explain, not a loop.
            match demanded {
                Some(fresh) if first_attempt.is_none() => {
                    nonce = Some(fresh);
                    first_attempt = Some(report);
                }
                _ => {
                    let mut report = report;
                    dpop_report.token_type = response.as_ref().and_then(|r| r.token_type.clone());
                    // A DPoP token_type is what was asked for here, not an oddity to note.
                    if dpop_report.token_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("dpop")) {
                        report.notes.retain(|note| !note.starts_with("token_type is"));
                    }
                    return TokenExchange { report, response, dpop: Some(dpop_report), first_attempt };
                }
            }
        }
    }

    /// Sends one token request (with `proof` in its `DPoP` header) and reports it; also the
    /// `DPoP-Nonce` the server sent.
    async fn send_token_request(
        &self,
        profile: &Profile,
        request: &TokenRequest,
        proof: Option<&crate::core::oauth::dpop::Proof>,
    ) -> (TokenRequestReport, Option<TokenResponse>, Option<String>) {
        self.token_fetches.fetch_add(1, Ordering::Relaxed);
        let started = std::time::Instant::now();
        // The client's certificate, when it has one, is presented to the token endpoint.
        let needs = self.tls_needs(profile, tls::identity(&request.credentials).as_ref());
        let (outcome, nonce) = request.send_with_dpop(&self.http, &needs, proof).await;
        let latency_ms = milliseconds(self.clock.elapsed(started));
        let mut report = TokenRequestReport {
            request: request.view_with_dpop(proof),
            status: None,
            response: None,
            error: None,
            oauth_error: None,
            rejected_scope: None,
            notes: vec![],
            latency_ms,
            error_kind: None,
            assertion: request.assertion_view(),
            // Over plain http no certificate is presented, whatever the profile holds.
            client_certificate: needs
                .identity
                .as_ref()
                .filter(|_| request.endpoint.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")))
                .and_then(crate::core::net::transport::ClientIdentity::certificate),
        };
        match outcome {
            Ok(response) => {
                report.status = Some(response.status);
                report.response = Some(response.raw.clone());
                report.rejected_scope = response.rejected_scope.clone();
                report.notes = response.notes.clone();
                (report, Some(response), nonce)
            }
            Err(error) => {
                report.status = error.status();
                report.oauth_error = error.oauth_error().map(str::to_owned);
                if let TokenError::OAuth { raw_body, .. } = &error {
                    report.response = serde_json::from_str(raw_body).ok();
                }
                report.error = Some(error.to_string());
                report.error_kind = Some(error);
                (report, None, nonce)
            }
        }
    }

    /// Sends the API request: as is, or with a DPoP proof (the token as `DPoP`), asked once
    /// more with the API's nonce when it demands one (RFC 9449 §9); each attempt is a hop of
    /// `trace`, each proof lands in `dpop`. `None` when no proof could be made (nothing sent).
    pub(super) async fn send_api(
        &self,
        profile: &Profile,
        request: &ProbeRequest,
        needs: &TlsNeeds,
        known: &Scrubber,
        trace: &mut TraceBuilder,
        dpop: &mut Option<DpopReport>,
    ) -> (Option<Result<ProbeResponse, HttpError>>, f64) {
        let mut dpop_report = dpop.take().unwrap_or_default();
        // A request without a token (the baseline) carries no proof: there is nothing to bind.
        let dpop_key = match (dpop::wanted(profile), &request.token) {
            (Some(config), Some(_)) => Some(self.dpop_keys.key(config).await),
            _ => None,
        };
        let mut nonce: Option<String> = None;
        let (outcome, latency_ms) = loop {
            let started = std::time::Instant::now();
            let outcome = match &dpop_key {
                None => request.send_over(&self.http, needs, known).await,
                Some(Err(error)) => {
                    dpop_report.error = Some(error.clone());
                    break (None, 0.0);
                }
                Some(Ok(key)) => {
                    dpop_report.key = Some(DpopKeyInfo::of(key));
                    let token_text = request.token.as_ref().map(|t| t.expose());
                    let now = self.now();
                    match dpop::proof_for(key, &request.method, &request.url, now, nonce.as_deref(), token_text) {
                        Ok(proof) => {
                            let sent = request.send_dpop_over(&self.http, needs, known, &proof).await;
                            let demanded = sent.as_ref().ok().and_then(dpop::api_nonce_demand);
                            dpop_report.api_call.push(ProofAttempt {
                                proof: proof.view,
                                status: sent.as_ref().ok().map(|r| r.status),
                                nonce_demanded: demanded,
                            });
                            sent
                        }
                        Err(error) => {
                            dpop_report.error = Some(error);
                            break (None, 0.0);
                        }
                    }
                }
            };
            // The latency by the engine's clock (a fixed one in tests), as the token request's
            // is: the exchange and the reading of the capped body.
            let latency_ms = milliseconds(self.clock.elapsed(started));
            let (status, error) = match &outcome {
                Ok(response) => (Some(response.status), None),
                Err(error) => (None, Some(trace::http_error_kind(error).to_owned())),
            };
            trace.sent(HopKind::Api, &request.method, &request.url, status, error, latency_ms);
            // One retry with the API's nonce (RFC 9449 §9), both attempts in the trace.
            let demanded = dpop_report.api_call.last().and_then(|a| a.nonce_demanded.clone());
            match demanded {
                Some(fresh) if nonce.is_none() && dpop_report.api_call.len() == 1 => nonce = Some(fresh),
                _ => break (Some(outcome), latency_ms),
            }
        };
        if dpop_key.is_some() || dpop_report != DpopReport::default() {
            *dpop = Some(dpop_report);
        }
        (outcome, latency_ms)
    }
}

/// A token request that was never sent, and why.
fn unsent_report(token_endpoint: &str, error: String) -> TokenRequestReport {
    TokenRequestReport {
        request: RequestView { method: "POST".into(), url: token_endpoint.to_owned(), headers: vec![], form: vec![] },
        status: None,
        response: None,
        error: Some(error),
        oauth_error: None,
        rejected_scope: None,
        notes: vec![],
        latency_ms: 0.0,
        error_kind: None,
        assertion: None,
        client_certificate: None,
    }
}
