//! The Profile tab: issuer, client, auth method, scopes, expectations and endpoints.

use ratatui::text::{Line, Span};

use crate::core::model::profile::Profile;

use super::super::state::profiles::ProfileItem;
use super::super::theme::Theme;
use super::widgets::{field, field_styled, heading, truncate};

fn or_dash(value: Option<&str>) -> String {
    value.filter(|v| !v.is_empty()).unwrap_or("-").to_owned()
}

pub fn lines<'a>(item: &ProfileItem, profile: &Profile, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = vec![
        field("name", item.name().to_owned(), theme),
        field("file", item.path.display().to_string(), theme),
        Line::raw(""),
        heading("Issuer", theme),
        field("url", or_dash(profile.issuer.url.as_deref()), theme),
        field(
            "token endpoint",
            profile.issuer.token_endpoint.clone().unwrap_or_else(|| "(from discovery)".to_owned()),
            theme,
        ),
        field("jwks uri", profile.issuer.jwks_uri.clone().unwrap_or_else(|| "(from discovery)".to_owned()), theme),
        Line::raw(""),
        heading("Client", theme),
    ];
    match &profile.client {
        Some(client) => {
            lines.push(field("id (AK)", client.id.clone(), theme));
            match &client.secret {
                Some(secret) if secret.is_literal() => lines.push(field_styled(
                    "secret (SK)",
                    format!("{} — prefer env:, file:, cmd: or prompt", secret.describe()),
                    theme.warn(),
                    theme,
                )),
                Some(secret) => lines.push(field("secret (SK)", secret.describe(), theme)),
                None => {}
            }
            lines.push(field("auth method", client.auth_method.as_str(), theme));
            for (label, source) in [("private key", &client.private_key), ("certificate", &client.certificate)] {
                if let Some(source) = source {
                    lines.push(field(label, source.describe(), theme));
                }
            }
            lines.push(field(
                "scopes",
                if client.scopes.is_empty() { "-".to_owned() } else { client.scopes.join(" ") },
                theme,
            ));
            if let Some(audience) = &client.audience {
                lines.push(field("audience", audience.clone(), theme));
            }
            if let Some(resource) = &client.resource {
                lines.push(field("resource", resource.clone(), theme));
            }
            for (key, value) in &client.extra {
                lines.push(field(&format!("extra.{key}"), value.clone(), theme));
            }
        }
        None => lines.push(Line::styled("no [client]: tokens can only be pasted", theme.dim())),
    }
    let expect = &profile.expect;
    lines.extend([
        Line::raw(""),
        heading("The API expects", theme),
        field("issuer", or_dash(expect.issuer.as_deref()), theme),
        field("audience", if expect.audience.is_empty() { "-".to_owned() } else { expect.audience.join(" | ") }, theme),
        field("algorithms", expect.algorithms.join(" "), theme),
        field("leeway", format!("{} s", expect.leeway_secs), theme),
        field("scope claim", format!("{} ({}-of)", expect.scope_claim, expect.scope_match.as_str()), theme),
    ]);
    lines.push(Line::raw(""));
    lines.push(heading(&format!("Endpoints ({})", profile.endpoints.len()), theme));
    // The name is the row's label, so a long URL wraps under the URL, not at the left edge.
    let name_width = profile.endpoints.iter().map(|e| e.name.chars().count()).max().unwrap_or(0).min(20);
    for endpoint in &profile.endpoints {
        let scopes = if endpoint.required_scopes.is_empty() {
            String::new()
        } else {
            format!("  needs {}", endpoint.required_scopes.join(" "))
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<name_width$} ", truncate(&endpoint.name, name_width)), theme.bold()),
            Span::raw(format!("{:<6} {}{scopes}", endpoint.method, endpoint.url)),
        ]));
    }
    for warning in profile.warnings() {
        lines.push(Line::styled(format!("warning: {warning}"), theme.warn()));
    }
    lines
}
