//! The values a message states beside its cause: the expected audience or issuer, when the token expired.

use super::text::{MAX_VALUE_CHARS, Text, clip_chars};

/// ASP.NET's `validationParameters.ValidAudience: 'y'` markers (the plural list
/// when the single one is 'null'), lower-cased.
pub(super) const ASPNET_AUDIENCE_MARKERS: &[&str] = &["validaudience: '", "validaudiences: '"];
pub(super) const ASPNET_ISSUER_MARKERS: &[&str] = &["validissuer: '", "validissuers: '"];

/// The expected audience/issuer a message states: ASP.NET's
/// `validationParameters.ValidAudience: 'y'` (the plural list when the single one
/// is 'null'), else whatever follows `expected:` (jsonwebtoken's
/// `jwt audience invalid. expected: A or B`).
pub(super) fn expected_value(text: &Text, aspnet_markers: &[&str]) -> Option<String> {
    let aspnet = aspnet_markers.iter().find_map(|marker| {
        let start = text.lower.find(marker)? + marker.len();
        let value = text.original.get(start..)?;
        let end = value.find('\'')?;
        usable_value(value.get(..end)?)
    });
    aspnet.or_else(|| {
        let start = text.lower.find("expected:")? + "expected:".len();
        value_at(text.original.get(start..)?)
    })
}

/// When it expired, as the message states: `... expired at X` (Spring, ASP.NET
/// JwtBearer) or IDX10223's `ValidTo: 'X'`.
pub(super) fn expiry_detail(text: &Text) -> Option<String> {
    if let Some(at) = text.lower.find("expired at ") {
        return value_at(text.original.get(at + "expired at ".len()..)?);
    }
    let after = text.original.get(text.lower.find("validto")?..)?;
    let open = after.find('\'')? + 1;
    let rest = after.get(open..)?;
    usable_value(rest.get(..rest.find('\'')?)?)
}

/// A value at the start of `s`: the inside of its quotes if quoted, else the
/// rest of the line without trailing punctuation.
fn value_at(s: &str) -> Option<String> {
    let s = s.trim_start();
    match s.chars().next() {
        Some(q @ ('\'' | '"' | '`')) => usable_value(s.get(q.len_utf8()..)?.split(q).next()?),
        _ => usable_value(s),
    }
}

fn usable_value(v: &str) -> Option<String> {
    let v = v.lines().next().unwrap_or_default().trim();
    let v = v.trim_end_matches(['.', ',', ';']).trim();
    // ASP.NET hides values as "[PII of type ... is hidden]" unless PII logging is on;
    // 'null' is how it prints an unset parameter.
    if v.is_empty() || v.eq_ignore_ascii_case("null") || v.starts_with("[PII") {
        return None;
    }
    Some(clip_chars(v, MAX_VALUE_CHARS))
}

/// The claim a "missing claim" message names: golang-jwt's `exp claim is required`, else
/// the first quoted word after `missing `, `no claim ` or `no mandatory ` (`Missing
/// 'permissions' claim`, `No claim "permissions" found in token`, Kong's `No mandatory 'iss'
/// in claims`).
pub(super) fn named_claim(text: &Text) -> Option<String> {
    required_claim(text).or_else(|| quoted_claim(text))
}

/// golang-jwt v5's `token is missing required claim: exp claim is required`: the word
/// before ` claim is required`.
fn required_claim(text: &Text) -> Option<String> {
    let end = text.lower.find(" claim is required")?;
    let word = text.original.get(..end)?.rsplit(|c: char| c.is_whitespace() || c == ':').next()?;
    usable_value(word)
}

fn quoted_claim(text: &Text) -> Option<String> {
    let start =
        ["missing ", "no claim ", "no mandatory "].iter().find_map(|m| text.lower.find(m).map(|at| at + m.len()))?;
    value_at(text.original.get(start..)?).filter(|claim| !claim.contains(char::is_whitespace))
}
