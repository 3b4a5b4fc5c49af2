//! The checks that need the issuer's keys or a token it minted: an audience the tokens do
//! not carry (the client id, the AK, where the issuer mints another), algorithms the JWKS
//! cannot serve, a scope claim the tokens do not carry, scopes they lack.

use std::str::FromStr as _;

use serde_json::Value;

use crate::core::findings::{Code, Evidence, Finding};
use crate::core::net::jwks::KeySet;

use super::fix::line_with;
use super::live::LiveFacts;
use super::{ApiSetting, SettingKind};

/// The token's `aud`, a string or a list.
fn aud_of(claims: &serde_json::Map<String, Value>) -> Vec<String> {
    match claims.get("aud") {
        Some(Value::String(aud)) => vec![aud.clone()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

/// A value that names a caller's id rather than an API: the quick start's
/// `'<programmatic account AK>'`, `CLIENT_ID`, an access key.
fn looks_like_client_id(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.iter().any(|w| matches!(*w, "ak" | "accesskey" | "clientid" | "programmatic"))
        || (words.contains(&"client") && words.contains(&"id"))
        || (words.contains(&"access") && words.contains(&"key"))
}

pub(super) fn audience(settings: &[ApiSetting], facts: &LiveFacts) -> Vec<Finding> {
    let token_aud = facts.token.as_ref().map(|t| aud_of(&t.claims));
    let mut findings = Vec::new();
    let audiences = settings.iter().filter(|s| s.setting == SettingKind::Audience);
    for setting in audiences {
        let Some(values) = setting.comparable() else { continue };
        let client_id = facts.client_id.as_deref().filter(|id| values.iter().any(|v| v == id));
        let shown = values.join(", ");
        let finding = match &token_aud {
            Some(aud) if values.iter().any(|v| aud.contains(v)) => continue,
            Some(aud) => {
                let minted = if aud.is_empty() { "no aud".to_owned() } else { aud.join(", ") };
                let message = match client_id {
                    Some(id) => format!(
                        "the API expects the client id {id} (the AK) as audience, but the issuer mints this client's \
                         tokens for {minted}: the API would reject the profile's token"
                    ),
                    None => format!(
                        "the API expects audience {shown}; the profile's token carries {minted}: the API would reject it"
                    ),
                };
                let fix = match aud.first() {
                    Some(first) => line_with(setting, std::slice::from_ref(first)),
                    None => {
                        "ask the issuer for a token with an aud (Authing: the API's resource identifier)".to_owned()
                    }
                };
                Finding::error(
                    Code::AudienceMismatch,
                    message,
                    Evidence::new(Some(minted), Some(shown)).at(setting.location()),
                    fix,
                )
            }
            None if client_id.is_some() || values.iter().any(|v| looks_like_client_id(v)) => {
                let other = settings.iter().filter(|s| s.setting == SettingKind::Audience).find_map(|s| {
                    s.comparable()
                        .and_then(|v| v.first())
                        .filter(|v| !looks_like_client_id(v) && Some(v.as_str()) != facts.client_id.as_deref())
                });
                let fix = match other {
                    Some(other) => line_with(setting, std::slice::from_ref(other)),
                    None => {
                        "set it to the aud the issuer mints for the API (check-api --profile P shows it)".to_owned()
                    }
                };
                Finding::warning(
                    Code::AudienceMismatch,
                    format!(
                        "the audience {shown} looks like the caller's client id (the programmatic account's AK): an \
                         issuer mints access tokens for the API, not for the caller; with --profile P, a fetched \
                         token shows whether the API would accept them"
                    ),
                    Evidence::new(Some("the aud the issuer mints (the API's identifier)".to_owned()), Some(shown))
                        .at(setting.location()),
                    fix,
                )
            }
            None => continue,
        };
        findings.push(finding);
    }
    findings
}

/// True when some key of `keys` can verify a token signed with `alg`.
fn can_serve(keys: &KeySet, alg: &str) -> bool {
    jsonwebtoken::Algorithm::from_str(alg).is_ok_and(|alg| keys.keys.iter().any(|k| k.unfit_for(alg).is_none()))
}

/// The algorithms the keys serve: each key's `alg`, else its type's usual one.
fn served(keys: &KeySet) -> Vec<String> {
    let mut algs: Vec<String> = Vec::new();
    for key in keys.keys.iter().filter(|k| k.problem.is_none()) {
        let alg = key.alg.clone().or_else(|| {
            Some(
                match (key.kty.as_str(), key.crv.as_deref()) {
                    ("RSA", _) => "RS256",
                    ("EC", Some("P-256")) => "ES256",
                    ("EC", Some("P-384")) => "ES384",
                    ("OKP", Some("Ed25519")) => "EdDSA",
                    _ => return None,
                }
                .to_owned(),
            )
        });
        if let Some(alg) = alg.filter(|a| !algs.contains(a)) {
            algs.push(alg);
        }
    }
    algs
}

pub(super) fn algorithms(settings: &[ApiSetting], facts: &LiveFacts) -> Vec<Finding> {
    let mut findings = Vec::new();
    for setting in settings.iter().filter(|s| s.setting == SettingKind::Algorithms) {
        let Some(values) = setting.comparable() else { continue };
        let shown = values.join(", ");
        if let Some(keys) = facts.issuer_keys()
            && !values.iter().any(|alg| can_serve(keys, alg))
        {
            let offered = served(keys);
            findings.push(Finding::error(
                Code::AlgNotAllowed,
                format!(
                    "the API allows only {shown}, and the issuer's JWKS ({}) has no key for it: its keys serve {}",
                    keys.uri,
                    if offered.is_empty() { "nothing usable".to_owned() } else { offered.join(", ") }
                ),
                Evidence::new(Some(offered.join(", ")), Some(shown.clone())).at(setting.location()),
                if offered.is_empty() {
                    "ask the issuer to sign with an asymmetric key it publishes (Authing: RS256)".to_owned()
                } else {
                    line_with(setting, &offered)
                },
            ));
            continue;
        }
        let token_alg = facts.token.as_ref().and_then(|t| t.alg.as_deref());
        if let Some(alg) = token_alg.filter(|alg| !values.iter().any(|v| v == alg)) {
            let mut allowed = values.to_vec();
            allowed.push(alg.to_owned());
            findings.push(Finding::error(
                Code::AlgNotAllowed,
                format!("the profile's token is signed with {alg}, which the API does not allow ({shown}): it would reject it"),
                Evidence::new(Some(alg.to_owned()), Some(shown)).at(setting.location()),
                line_with(setting, &allowed),
            ));
        }
    }
    findings
}

/// The claims scopes are commonly carried in, in the order they are looked for.
const SCOPE_CLAIMS: [&str; 5] = ["scope", "scp", "scopes", "permissions", "roles"];

/// The scopes in `claim` of the token: a space-separated string or a list.
fn granted(claims: &serde_json::Map<String, Value>, claim: &str) -> Option<Vec<String>> {
    match claims.get(claim)? {
        Value::String(text) => Some(text.split_whitespace().map(str::to_owned).collect()),
        Value::Array(list) => Some(list.iter().filter_map(Value::as_str).map(str::to_owned).collect()),
        _ => None,
    }
}

pub(super) fn scopes(settings: &[ApiSetting], facts: &LiveFacts) -> Vec<Finding> {
    let Some(token) = &facts.token else { return Vec::new() };
    let mut findings = Vec::new();
    for setting in settings.iter().filter(|s| s.setting == SettingKind::ScopeClaim) {
        let Some(claim) = setting.comparable().and_then(|v| v.first()) else { continue };
        if granted(&token.claims, claim).is_some() {
            continue;
        }
        let carrier = SCOPE_CLAIMS.iter().find(|c| granted(&token.claims, c).is_some());
        let default = if setting.implied { " (express-jwt-authz's default)" } else { "" };
        let carried = carrier
            .map_or_else(|| "; it carries no scopes at all".to_owned(), |c| format!("; it carries them in `{c}`"));
        let fix = match carrier {
            Some(c) if setting.implied => implied_scope_key_fix(setting, c),
            Some(c) => line_with(setting, &[(*c).to_owned()]),
            None => "grant the client the route's scopes at the issuer".to_owned(),
        };
        findings.push(Finding::error(
            Code::ScopeClaimMismatch,
            format!(
                "the API reads scopes from `{claim}`{default}, which the profile's token does not carry{carried}: \
                 every scoped route answers 403"
            ),
            Evidence::new(carrier.map(|c| (*c).to_owned()), Some(claim.clone())).at(setting.location()),
            fix,
        ));
    }
    findings.extend(missing_scopes(settings, token));
    findings
}

/// `jwtAuthz([...])` with the option that reads `claim`.
fn implied_scope_key_fix(setting: &ApiSetting, claim: &str) -> String {
    let line = setting.line_text.trim();
    match line.find("])") {
        Some(at) => format!("{}], {{ customScopeKey: '{claim}' }}){}", &line[..at], &line[at + 2..]),
        None => format!("customScopeKey: '{claim}',"),
    }
}

/// Scopes a route requires that the profile's token lacks (in the claim the API reads).
fn missing_scopes(settings: &[ApiSetting], token: &super::live::LiveToken) -> Vec<Finding> {
    let mut findings = Vec::new();
    for setting in settings.iter().filter(|s| s.setting == SettingKind::RequiredScopes) {
        let Some(required) = setting.comparable() else { continue };
        let same_file = |kind: SettingKind| {
            settings.iter().find(|s| s.file == setting.file && s.setting == kind).and_then(|s| s.comparable()?.first())
        };
        let claim = same_file(SettingKind::ScopeClaim).map_or("scope", String::as_str);
        let Some(granted) = granted(&token.claims, claim) else { continue };
        let all = same_file(SettingKind::ScopeMatch).is_some_and(|m| m == "all");
        let missing: Vec<&String> = required.iter().filter(|r| !granted.contains(r)).collect();
        let refused = if all { !missing.is_empty() } else { missing.len() == required.len() };
        if !refused {
            continue;
        }
        let missing: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
        findings.push(Finding::warning(
            Code::ScopeMissing,
            format!("the profile's token lacks {}: this route answers 403 to it", missing.join(" ")),
            Evidence::new(Some(required.join(" ")), Some(granted.join(" "))).at(setting.location()),
            format!(
                "grant {} to the client at the issuer (Authing: authorize the programmatic account for the action)",
                missing.join(" ")
            ),
        ));
    }
    findings
}
