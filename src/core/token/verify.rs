//! Local verification of a JWT, one check per line: alg, key, signature, exp, nbf, iat, iss, aud, typ.
//!
//! Every check runs even after one fails, so all problems show at once.

use jsonwebtoken::{Algorithm, DecodingKey};
use serde::Serialize;

use crate::core::findings::Code;
use crate::core::net::jwks::{JwksCache, JwksError, alg_name};
pub use crate::core::token::check::{Check, CheckName, CheckStatus, VerifyOptions};
use crate::core::token::claims::{aud_check, exp_check, iss_check, nbf_check, typ_check};
use crate::core::token::iat::iat_check;
use crate::core::token::jwt::{DecodedToken, HeaderProblem};

/// The key that verified (or was meant to verify) the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyUsed {
    pub kid: Option<String>,
    pub kty: String,
    /// The JWKS URI, or "hmac_secret" for a shared secret from the profile.
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// True only when the signature verified and no check failed.
    pub valid: bool,
    pub checks: Vec<Check>,
    pub key: Option<KeyUsed>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwks_error: Option<String>,
    #[serde(skip)]
    pub jwks_error_kind: Option<JwksError>,
    /// The kids the JWKS published (shown when a kid is missing).
    pub available_kids: Vec<String>,
    pub jwks_refetched: bool,
    /// How the key lookup reached the JWKS, for the call's trace (not part of the JSON).
    #[serde(skip)]
    pub jwks_access: JwksAccess,
}

/// Whether verifying went to the JWKS, and how that went: the engine draws it as a hop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JwksAccess {
    /// No key set was consulted (no JWKS URI, an HMAC secret, no usable algorithm).
    #[default]
    NotUsed,
    /// The cached key set served the lookup: no request.
    Cached,
    /// The key set was fetched, and answered this (2xx) status.
    Fetched(u16),
    /// The fetch failed: `jwks_error_kind` says how.
    Failed,
}

impl Verification {
    pub fn check(&self, name: CheckName) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    pub fn failed(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.status == CheckStatus::Fail)
    }
}

/// Algorithms an allow-list may name; `none` is never among them.
fn parse_alg(name: &str) -> Option<Algorithm> {
    if name.eq_ignore_ascii_case("none") {
        return None;
    }
    name.parse().ok()
}

pub async fn verify(jwks: &JwksCache, token: &DecodedToken, options: &VerifyOptions) -> Verification {
    let mut checks = Vec::new();
    let mut result = Verification {
        valid: false,
        checks: Vec::new(),
        key: None,
        jwks_error: None,
        jwks_error_kind: None,
        available_kids: Vec::new(),
        jwks_refetched: false,
        jwks_access: JwksAccess::NotUsed,
    };

    let allow_list = options.algorithms.iter().filter(|a| !a.eq_ignore_ascii_case("none")).cloned().collect::<Vec<_>>();
    let alg_text = token.alg.clone().unwrap_or_default();
    let token_alg = parse_alg(&alg_text);
    checks.push(alg_check(token, &alg_text, token_alg, &allow_list));

    // Key and signature: only for a real algorithm; an unsigned token has nothing to check.
    match token_alg {
        Some(alg) if !token.signature_b64.is_empty() => {
            let (key_check, signature_check) = key_and_signature(jwks, token, alg, options, &mut result).await;
            checks.push(key_check);
            // A header the RFCs forbid to accept (crit, b64) fails the signature whatever the key said.
            checks.push(match token.header_problem() {
                Some(problem) => header_check(token, &problem, &signature_check),
                None => signature_check,
            });
        }
        _ => {
            checks.push(Check::skip(CheckName::Key, token.kid.clone(), "no usable algorithm, so no key is looked up"));
            let detail =
                if token.is_unsigned() { "the token carries no signature" } else { "the algorithm is unknown" };
            checks.push(Check::fail(
                CheckName::Signature,
                if token.is_unsigned() { Code::AlgNone } else { Code::AlgNotAllowed },
                None,
                None,
                detail,
            ));
        }
    }

    checks.extend(claim_checks(token, options));

    let signature_ok = checks.iter().any(|c| c.name == CheckName::Signature && c.status == CheckStatus::Pass);
    result.valid = signature_ok && checks.iter().all(|c| c.status != CheckStatus::Fail);
    result.checks = checks;
    result
}

/// The checks that are claim arithmetic (no key, no network): exp, nbf, iat, iss, aud, typ.
pub(crate) fn claim_checks(token: &DecodedToken, options: &VerifyOptions) -> Vec<Check> {
    let mut checks = vec![exp_check(token, options), nbf_check(token, options)];
    checks.extend(iat_check(token, options));
    checks.extend([iss_check(token, options), aud_check(token, options), typ_check(token, options)]);
    checks
}

/// `base` judged again with other options (another stack's rules, leeway, algorithms): the
/// key and signature checks are kept as they ran, every other check is recomputed. No I/O.
pub fn rejudge(base: &Verification, token: &DecodedToken, options: &VerifyOptions) -> Verification {
    let allow_list = options.algorithms.iter().filter(|a| !a.eq_ignore_ascii_case("none")).cloned().collect::<Vec<_>>();
    let alg_text = token.alg.clone().unwrap_or_default();
    let mut checks = vec![alg_check(token, &alg_text, parse_alg(&alg_text), &allow_list)];
    checks.extend(base.checks.iter().filter(|c| matches!(c.name, CheckName::Key | CheckName::Signature)).cloned());
    checks.extend(claim_checks(token, options));
    let signature_ok = checks.iter().any(|c| c.name == CheckName::Signature && c.status == CheckStatus::Pass);
    Verification { valid: signature_ok && checks.iter().all(|c| c.status != CheckStatus::Fail), checks, ..base.clone() }
}

fn alg_check(token: &DecodedToken, alg_text: &str, token_alg: Option<Algorithm>, allow_list: &[String]) -> Check {
    let expected = Some(if allow_list.is_empty() { "(empty allow-list)".to_owned() } else { allow_list.join(" | ") });
    let actual = Some(if alg_text.is_empty() { "(missing)".to_owned() } else { alg_text.to_owned() });
    if alg_text.eq_ignore_ascii_case("none") || (token.signature_b64.is_empty() && token.alg.is_some()) {
        return Check::fail(
            CheckName::Alg,
            Code::AlgNone,
            expected,
            actual,
            "unsigned token (alg none or empty signature): never accepted",
        );
    }
    if alg_text.is_empty() {
        return Check::fail(CheckName::Alg, Code::MalformedToken, expected, actual, "the header has no alg");
    }
    let Some(alg) = token_alg else {
        return Check::fail(
            CheckName::Alg,
            Code::AlgNotAllowed,
            expected,
            actual,
            format!("\"{alg_text}\" is not an algorithm tokdbg can verify"),
        );
    };
    // JOSE names are case-sensitive: "rs256" is not RS256.
    if allow_list.iter().any(|a| *a == alg_name(alg) && a == alg_text) {
        Check::pass(CheckName::Alg, expected, actual, "in the API's allow-list")
    } else {
        Check::fail(
            CheckName::Alg,
            Code::AlgNotAllowed,
            expected,
            actual,
            "not in the API's allow-list (expect.algorithms)",
        )
    }
}

async fn key_and_signature(
    jwks: &JwksCache,
    token: &DecodedToken,
    alg: Algorithm,
    options: &VerifyOptions,
    result: &mut Verification,
) -> (Check, Check) {
    let is_hmac = matches!(alg, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512);
    if is_hmac {
        // A shared secret comes only from the profile: never from a JWKS public key.
        let Some(secret) = &options.hmac_secret else {
            return (
                Check::skip(
                    CheckName::Key,
                    token.kid.clone(),
                    format!("{} needs the shared secret (expect.hmac_secret); none given", alg_name(alg)),
                ),
                Check::skip(CheckName::Signature, None, "no key to check the signature with"),
            );
        };
        result.key = Some(KeyUsed { kid: token.kid.clone(), kty: "oct".to_owned(), source: "hmac_secret".to_owned() });
        let key = DecodingKey::from_secret(secret.expose().as_bytes());
        let key_check = Check::pass(CheckName::Key, None, token.kid.clone(), "shared secret from the profile");
        return (key_check, signature_check(token, alg, &[(&key, None)]));
    }

    let Some(uri) = &options.jwks_uri else {
        return (
            Check::skip(CheckName::Key, token.kid.clone(), "no JWKS URI (issuer.url or issuer.jwks_uri)"),
            Check::skip(CheckName::Signature, None, "no key to check the signature with"),
        );
    };
    let lookup = match jwks.lookup(uri, &options.jwks_tls, token.kid.as_deref()).await {
        Ok(lookup) => lookup,
        Err(error) => {
            result.jwks_error = Some(error.to_string());
            result.jwks_error_kind = Some(error.clone());
            result.jwks_access = JwksAccess::Failed;
            return (
                Check::fail(CheckName::Key, Code::JwksUnreachable, Some(uri.clone()), None, error.to_string()),
                Check::skip(CheckName::Signature, None, "the key set could not be read"),
            );
        }
    };
    result.available_kids = lookup.set.kids();
    result.jwks_refetched = lookup.refetched;
    result.jwks_access = match lookup.status {
        Some(status) => JwksAccess::Fetched(status),
        None => JwksAccess::Cached,
    };
    let kid_text = token.kid.clone().unwrap_or_else(|| "(no kid)".to_owned());
    if lookup.candidates.is_empty() {
        let detail = if lookup.refetched {
            "not in the JWKS, even after fetching it again (rotated out, or the wrong issuer/JWKS)"
        } else if lookup.set.keys.is_empty() {
            "the JWKS has no keys"
        } else {
            "not in the JWKS (fetched again recently; not refetched to respect the rate limit)"
        };
        return (
            Check::fail(
                CheckName::Key,
                Code::KidNotFound,
                Some(format!("one of: {}", result.available_kids.join(", "))),
                Some(kid_text),
                detail,
            ),
            Check::skip(CheckName::Signature, None, "no key with this kid"),
        );
    }
    let mut fit = Vec::new();
    let mut reasons = Vec::new();
    for &index in &lookup.candidates {
        let entry = &lookup.set.keys[index];
        match (entry.unfit_for(alg), &entry.key) {
            (None, Some(key)) => fit.push((key, entry)),
            (Some(reason), _) => reasons.push(format!("{}: {reason}", entry.kid.as_deref().unwrap_or("(no kid)"))),
            (None, None) => reasons.push(format!("{}: unusable", entry.kid.as_deref().unwrap_or("(no kid)"))),
        }
    }
    if fit.is_empty() {
        let first = &lookup.set.keys[lookup.candidates[0]];
        result.key = Some(KeyUsed { kid: first.kid.clone(), kty: first.kty.clone(), source: uri.clone() });
        return (
            Check::fail(
                CheckName::Key,
                Code::SignatureInvalid,
                Some(format!("a {} key", alg_name(alg))),
                Some(kid_text),
                reasons.join("; "),
            ),
            Check::skip(CheckName::Signature, None, "no key that fits the algorithm"),
        );
    }
    let keys: Vec<(&DecodingKey, Option<&crate::core::net::jwks::KeyEntry>)> =
        fit.iter().map(|(k, e)| (*k, Some(*e))).collect();
    // One pass: the first key that verifies gives both the verdict and the key used (an
    // asymmetric check is the whole cost of a verification; doing it twice doubled it).
    let verifying = keys.iter().position(|(key, _)| verifies(token, alg, key));
    let signature = signature_verdict(alg, verifying.is_some());
    let used = keys.get(verifying.unwrap_or(0)).and_then(|(_, entry)| *entry);
    if let Some(entry) = used {
        result.key = Some(KeyUsed { kid: entry.kid.clone(), kty: entry.kty.clone(), source: uri.clone() });
    }
    let detail = match (token.kid.is_some(), lookup.refetched) {
        (true, true) => "found after fetching the JWKS again (key rotation)".to_owned(),
        (true, false) => "found in the JWKS".to_owned(),
        (false, _) => format!("the token has no kid: tried {} key(s) of the JWKS", keys.len()),
    };
    (Check::pass(CheckName::Key, None, Some(kid_text), format!("{detail}{}", ignored_key_headers(token))), signature)
}

/// Headers that point at keys elsewhere are never followed: a token must not choose its own key.
fn ignored_key_headers(token: &DecodedToken) -> String {
    let named: Vec<&str> = ["jku", "x5u", "jwk", "x5c"].into_iter().filter(|h| token.header.contains_key(*h)).collect();
    if named.is_empty() {
        String::new()
    } else {
        format!(" (the token's {} header ignored: keys come only from the configured JWKS)", named.join("/"))
    }
}

fn verifies(token: &DecodedToken, alg: Algorithm, key: &DecodingKey) -> bool {
    jsonwebtoken::crypto::verify(&token.signature_b64, token.signing_input.as_bytes(), key, alg).unwrap_or(false)
}

fn signature_check(
    token: &DecodedToken,
    alg: Algorithm,
    keys: &[(&DecodingKey, Option<&crate::core::net::jwks::KeyEntry>)],
) -> Check {
    signature_verdict(alg, keys.iter().any(|(key, _)| verifies(token, alg, key)))
}

/// The signature check failed for a header that makes the JWS invalid (RFC 7515 §4.1.11, RFC 7797).
fn header_check(token: &DecodedToken, problem: &HeaderProblem, signature: &Check) -> Check {
    let shown = ["crit", "b64"]
        .iter()
        .filter_map(|name| {
            token.header.get(*name).map(|v| format!("{name}: {}", crate::core::net::http::excerpt(&v.to_string(), 60)))
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut detail = problem.detail();
    if signature.status == CheckStatus::Pass {
        // Say so: it tells the user the issuer really signed this header.
        detail.push_str("; the signature itself matches the key, which does not make the token valid");
    }
    Check::fail(
        CheckName::Signature,
        Code::MalformedToken,
        Some("no critical extension tokdbg does not implement, no b64: false".to_owned()),
        Some(shown),
        detail,
    )
}

fn signature_verdict(alg: Algorithm, verified: bool) -> Check {
    if verified {
        Check::pass(CheckName::Signature, None, Some(alg_name(alg)), "verified")
    } else {
        Check::fail(
            CheckName::Signature,
            Code::SignatureInvalid,
            None,
            Some(alg_name(alg)),
            "does not verify: signed with another key, or the token was altered",
        )
    }
}
