//! Explains DPoP failures (RFC 9449): a proof the token endpoint or the API refused, a nonce
//! the retry did not satisfy, an `htu` a proxy changed, and a DPoP-bound token sent as Bearer
//! or with another key (`cnf.jkt` against the proof key's thumbprint).

use crate::core::diagnose::Facts;
use crate::core::findings::{Code, Evidence, Finding};
use crate::core::probe::dpop_challenge::dpop_challenge;

/// Every DPoP finding the facts support.
pub(crate) fn findings(facts: &Facts<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(error) = facts.dpop.and_then(|d| d.error.as_deref()) {
        out.push(Finding::error(
            Code::DpopProofInvalid,
            format!("tokdbg could not make a DPoP proof: {error}"),
            Evidence::new(Some("a usable [dpop] key".to_owned()), Some(error.to_owned())),
            "Set dpop.alg to ES256, ES384 or EdDSA (tokdbg then generates the key), or give a dpop.private_key \
             that fits dpop.alg (a PEM private key or a private JWK).",
        ));
    }
    out.extend(token_endpoint(facts));
    out.extend(api(facts));
    out.extend(binding(facts));
    out
}

/// The token endpoint's findings, less the generic `token_request_failed` when the answer was
/// a DPoP error, which [`findings`] explains.
pub(crate) fn without_generic_token_failure(facts: &Facts<'_>, found: Vec<Finding>) -> Vec<Finding> {
    let dpop_error = facts
        .token_request
        .and_then(|r| r.oauth_error.as_deref())
        .is_some_and(|e| matches!(e, "invalid_dpop_proof" | "use_dpop_nonce"));
    found.into_iter().filter(|f| !(dpop_error && f.code == Code::TokenRequestFailed)).collect()
}

/// The `htu` tokdbg put in the last proof of `attempts`.
fn sent_htu(attempts: &[crate::core::oauth::dpop_report::ProofAttempt]) -> Option<String> {
    attempts.last().and_then(|a| a.proof.claims.get("htu")).and_then(|v| v.as_str()).map(str::to_owned)
}

fn token_endpoint(facts: &Facts<'_>) -> Option<Finding> {
    let request = facts.token_request?;
    let attempts = facts.dpop.map(|d| d.token_request.as_slice()).unwrap_or_default();
    let description = request
        .response
        .as_ref()
        .and_then(|r| r.get("error_description"))
        .and_then(|d| d.as_str())
        .map(|d| format!(": \"{d}\""))
        .unwrap_or_default();
    let error = request.oauth_error.as_deref()?;
    if facts.profile.dpop.is_none() {
        return proof_missing_at_token_endpoint(facts, error, &description);
    }
    match error {
        "invalid_dpop_proof" => Some(Finding::error(
            Code::DpopProofInvalid,
            format!("the token endpoint refused the DPoP proof (invalid_dpop_proof){description}"),
            Evidence::new(Some(request.request.url.clone()), sent_htu(attempts).map(|h| format!("htu {h}"))),
            "Check what the issuer accepts: the proof's alg (its dpop_signing_alg_values_supported), htu equal to \
             the token endpoint's URL as the issuer sees it (a proxy in between changes it), and a clock within its \
             iat window.",
        )),
        "use_dpop_nonce" => Some(nonce_unresolved("token endpoint", attempts.len(), &description)),
        _ => None,
    }
}

/// A token request without a proof that the issuer refused: for a DPoP error, the client
/// needs DPoP; for a vaguer refusal by an issuer that speaks DPoP, it may.
fn proof_missing_at_token_endpoint(facts: &Facts<'_>, error: &str, description: &str) -> Option<Finding> {
    const FIX: &str = "Add a [dpop] section to the profile (alg = \"ES256\"): tokdbg then sends a DPoP proof with \
                       the token request and the call.";
    if matches!(error, "invalid_dpop_proof" | "use_dpop_nonce") {
        return Some(Finding::error(
            Code::TokenBindingMismatch,
            format!("the token endpoint wants a DPoP proof ({error}{description}) but the profile has no [dpop]"),
            Evidence::new(Some("a DPoP proof".to_owned()), Some("no proof".to_owned())),
            FIX,
        ));
    }
    let document = facts.discovery.and_then(|d| d.document.as_ref())?;
    let algs = document.get("dpop_signing_alg_values_supported")?.as_array()?;
    if !matches!(error, "invalid_grant" | "invalid_request") || algs.is_empty() {
        return None;
    }
    let algs: Vec<&str> = algs.iter().filter_map(|a| a.as_str()).collect();
    Some(Finding::warning(
        Code::TokenBindingMismatch,
        format!(
            "the issuer speaks DPoP (dpop_signing_alg_values_supported: {}) and refused a request without a \
             proof: a client registered for DPoP-bound tokens (dpop_bound_access_tokens) needs one",
            algs.join(", ")
        ),
        Evidence::new(Some("a DPoP proof, if the client is DPoP-bound".to_owned()), Some("no proof".to_owned())),
        FIX,
    ))
}

fn nonce_unresolved(whom: &str, attempts: usize, description: &str) -> Finding {
    let message = if attempts > 1 {
        format!("the {whom} still demands a DPoP nonce after tokdbg retried with the one it sent{description}")
    } else {
        format!("the {whom} demands a DPoP nonce but sent none to use (no DPoP-Nonce header){description}")
    };
    Finding::error(
        Code::DpopProofInvalid,
        message,
        Evidence::new(Some("a proof with the server's nonce".to_owned()), Some("use_dpop_nonce".to_owned())),
        format!(
            "The {whom} must send its nonce in a DPoP-Nonce header and accept it in the next proof \
             (RFC 9449 §8, §9); a nonce that changes on every answer, or one shared by several servers behind \
             a load balancer, never settles."
        ),
    )
}

fn api(facts: &Facts<'_>) -> Option<Finding> {
    let response = facts.response.filter(|r| r.status == 401 || r.status == 400)?;
    let challenge = dpop_challenge(&response.www_authenticate)?;
    let url = facts.endpoint_url();
    let attempts = facts.dpop.map(|d| d.api_call.as_slice()).unwrap_or_default();
    if facts.profile.dpop.is_none() || attempts.is_empty() {
        // An API that also offers a Bearer challenge accepts Bearer tokens (RFC 9449 §7.1: it
        // advertises DPoP beside it, as express-oauth2-jwt-bearer does on every 401): its
        // Bearer answer says why, and a DPoP-bound token sent so is `binding`'s to tell.
        if facts.baseline || response.bearer.is_some() {
            return None;
        }
        let algs =
            if challenge.algs.is_empty() { String::new() } else { format!(" (algs {})", challenge.algs.join(" ")) };
        return Some(Finding::error(
            Code::TokenBindingMismatch,
            format!(
                "the API demands DPoP (WWW-Authenticate: DPoP{algs}) but the token went as Bearer, without a proof"
            ),
            Evidence::new(
                Some("Authorization: DPoP + a DPoP proof".to_owned()),
                Some("Authorization: Bearer".to_owned()),
            ),
            "Add a [dpop] section to the profile (alg = \"ES256\"): tokdbg then asks for a DPoP-bound token and \
             sends each call with a proof.",
        ));
    }
    let description = challenge.error_description.as_deref().map(|d| format!(": \"{d}\"")).unwrap_or_default();
    match challenge.error.as_deref() {
        Some("use_dpop_nonce") => Some(nonce_unresolved("API", attempts.len(), &description)),
        Some("invalid_dpop_proof") => {
            let htu = sent_htu(attempts).unwrap_or_else(|| url.to_owned());
            let about_url = challenge
                .error_description
                .as_deref()
                .map(str::to_ascii_lowercase)
                .is_some_and(|d| d.contains("htu") || d.contains("url") || d.contains("uri"));
            Some(if about_url {
                Finding::error(
                    Code::DpopProofInvalid,
                    format!("the API refused the DPoP proof: its htu is not the URL the API saw{description}"),
                    Evidence::new(Some("the URL the API saw".to_owned()), Some(format!("htu {htu}"))),
                    format!(
                        "tokdbg put htu = {htu} (the endpoint's URL, without query). A proxy, gateway or path \
                         rewrite between tokdbg and the API changes the URL the API sees: call the URL the API \
                         itself serves, or have the API check htu against the external URL (its forwarded \
                         host, scheme and prefix)."
                    ),
                )
            } else {
                Finding::error(
                    Code::DpopProofInvalid,
                    format!("the API refused the DPoP proof (invalid_dpop_proof){description}"),
                    Evidence::new(None, Some(format!("htu {htu}"))),
                    "Check what the API checks: the proof's alg, htm and htu (the URL the API sees), iat within its \
                     window, a fresh jti, and ath, the hash of the token sent.",
                )
            })
        }
        _ => None,
    }
}

fn binding(facts: &Facts<'_>) -> Option<Finding> {
    let claims = &facts.token().decoded.as_ref()?.claims;
    let jkt = claims.get("cnf").and_then(|c| c.get("jkt")).and_then(|j| j.as_str())?;
    match facts.dpop.and_then(|d| d.key.as_ref()) {
        None if facts.profile.dpop.is_none() && facts.endpoint.is_some() && !facts.baseline => Some(Finding::error(
            Code::TokenBindingMismatch,
            format!("the token is DPoP-bound (cnf.jkt {jkt}) but went as Bearer, without a proof"),
            Evidence::new(Some(format!("a DPoP proof by the key {jkt}")), Some("no proof".to_owned())),
            "Send it with a proof by the key it is bound to: add [dpop] to the profile with that key as \
             dpop.private_key (a token bound to a key tokdbg does not hold cannot be used).",
        )),
        Some(key) if key.jkt != jkt => Some(Finding::error(
            Code::TokenBindingMismatch,
            format!("the token is bound to another key: cnf.jkt {jkt}, the proof key's thumbprint {}", key.jkt),
            Evidence::new(Some(jkt.to_owned()), Some(key.jkt.clone())),
            "Use the key the token was bound to (dpop.private_key), or get a new token with this key \
             (`--force`: a generated key lives for one run only).",
        )),
        _ => None,
    }
}
