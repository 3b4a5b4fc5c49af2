//! The API's settings judged against the live issuer (pure: the facts were fetched before):
//! the issuer against discovery's `issuer`, each JWKS URI against what it answered, the
//! audience, algorithms and scope claim against the keys and a fetched token.

use crate::core::findings::{Code, Evidence, Finding};

use super::compare_token as token;
use super::fix::{line_with, url_difference};
pub use super::live::{JwksProblem, LiveDiscovery, LiveFacts, LiveToken};
use super::{ApiSetting, SettingKind};

/// Every finding about `settings`, errors first; an all-clear when there is none.
pub fn compare(settings: &[ApiSetting], facts: &LiveFacts) -> Vec<Finding> {
    let mut findings = Vec::new();
    match &facts.discovery {
        Ok(discovery) => {
            if let Some(live) = &discovery.issuer {
                for setting in settings {
                    findings.extend(issuer(setting, live));
                }
            }
        }
        Err(error) => findings.push(discovery_failed(settings, facts, error)),
    }
    for setting in settings.iter().filter(|s| s.setting == SettingKind::JwksUri) {
        findings.extend(jwks(setting, facts));
    }
    findings.extend(token::audience(settings, facts));
    findings.extend(token::algorithms(settings, facts));
    findings.extend(token::scopes(settings, facts));
    findings.sort_by_key(|f| f.severity);
    if findings.is_empty() {
        let compared = settings.iter().filter(|s| s.comparable().is_some()).count();
        findings.push(Finding::info(
            Code::Ok,
            format!("{compared} setting(s) agree with the live issuer {}", facts.asked),
            Evidence::none(),
            "",
        ));
    }
    findings
}

fn discovery_failed(settings: &[ApiSetting], facts: &LiveFacts, error: &str) -> Finding {
    let source = settings
        .iter()
        .find(|s| matches!(s.setting, SettingKind::Issuer | SettingKind::IssuerBaseUrl) && s.comparable().is_some());
    let mut evidence = Evidence::new(Some("an OpenID discovery document".to_owned()), Some(error.to_owned()));
    if let Some(setting) = source {
        evidence = evidence.at(setting.location());
    }
    Finding::error(
        Code::DiscoveryFailed,
        format!(
            "no discovery document for the issuer {}: nothing live to compare the issuer and keys with",
            facts.asked
        ),
        evidence,
        "check the issuer URL (pass the right one with --issuer URL, or use --profile P)",
    )
}

/// An `iss` the API accepts (or the base it discovers from) against discovery's `issuer`.
fn issuer(setting: &ApiSetting, live: &str) -> Option<Finding> {
    let values = setting.comparable()?;
    let (agrees, what) = match setting.setting {
        SettingKind::Issuer => (values.iter().any(|v| v == live), "accepts the issuer"),
        SettingKind::IssuerBaseUrl => {
            let base = with_scheme(values.first()?);
            (base.trim_end_matches('/') == live.trim_end_matches('/'), "discovers its issuer at")
        }
        _ => return None,
    };
    if agrees {
        return None;
    }
    let configured = values.first()?;
    let hint = url_difference(&with_scheme(configured), live);
    let consequence = if setting.setting == SettingKind::Issuer {
        "every token is refused (its iss is the issuer's)"
    } else {
        "discovery there finds another issuer, or none"
    };
    let message = match &hint {
        Some(hint) => format!("the API {what} {configured}: {hint}; {consequence}"),
        None => format!("the API {what} {configured}, not the live issuer {live}; {consequence}"),
    };
    Some(Finding::error(
        Code::IssuerMismatch,
        message,
        Evidence::new(Some(live.to_owned()), Some(configured.clone())).at(setting.location()),
        line_with(setting, &[live.to_owned()]),
    ))
}

/// A bare domain (`AUTH0_DOMAIN=tenant.auth0.com`) as the https URL the SDKs make of it.
fn with_scheme(value: &str) -> String {
    if value.contains("://") { value.to_owned() } else { format!("https://{value}") }
}

/// A configured JWKS URI that does not answer a JWK set.
fn jwks(setting: &ApiSetting, facts: &LiveFacts) -> Option<Finding> {
    let uri = setting.comparable()?.first()?;
    let problem = match facts.key_set(uri)? {
        Ok(_) => return None,
        Err(problem) => problem,
    };
    let discovered = facts.discovery.as_ref().ok().and_then(|d| d.jwks_uri.clone());
    let hint = discovered.as_deref().filter(|d| d != uri).and_then(|d| url_difference(uri, d));
    let (code, said) = match problem {
        JwksProblem::Unreachable(detail) => (Code::JwksUnreachable, detail),
        JwksProblem::NotAKeySet(detail) => (Code::JwksNotAKeySet, detail),
    };
    let mut message = match code {
        Code::JwksUnreachable => format!("the API's JWKS URI {uri} does not answer"),
        _ => format!("the API's JWKS URI {uri} does not answer a JWK set"),
    };
    if let Some(hint) = &hint {
        message.push_str(&format!(" ({hint}, beside the discovery document's jwks_uri)"));
    }
    message.push_str(": the API finds no key and refuses every token (express-jwt answers 500 or 401)");
    let fix = match &discovered {
        Some(good) if good != uri => line_with(setting, std::slice::from_ref(good)),
        _ => "point it at the issuer's jwks_uri (its discovery document names it)".to_owned(),
    };
    Some(Finding::error(
        code,
        message,
        Evidence::new(discovered.or(Some("a JWK set ({\"keys\": [...]})".to_owned())), Some(said.clone()))
            .at(setting.location()),
        fix,
    ))
}
