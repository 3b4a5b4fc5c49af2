//! A draft profile from a curl command: a token request (the client, its authentication and
//! what it asks for) or an API call (the endpoint, and what its bearer token says).
//! Secrets in the command — the client secret, an assertion, the token — are never written.

use std::path::Path;

use base64::Engine as _;
use serde_json::Value;

use super::curl_import::CurlRequest;
use super::{Draft, DraftBuilder, SecretPlacement};

/// Form fields of a token request that are secrets: never written, named in a note.
const SECRET_FIELDS: &[&str] =
    &["client_secret", "client_assertion", "password", "refresh_token", "code", "code_verifier", "assertion"];

/// Form fields a draft maps to profile fields (the rest go to `client.extra`).
const MAPPED_FIELDS: &[&str] = &["grant_type", "client_id", "scope", "audience", "resource", "client_assertion_type"];

/// What `import curl` was told besides the command.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub name: Option<String>,
    pub secret: SecretPlacement,
    /// The directory relative paths in the command are read from (the shell's cwd).
    pub cwd: Option<std::path::PathBuf>,
}

/// True when the command asks a token endpoint for a token.
pub fn is_token_request(request: &CurlRequest) -> bool {
    let fields = form_fields(request);
    fields.iter().any(|(name, _)| name == "grant_type")
        || (request.method == "POST" && url::Url::parse(&request.url).is_ok_and(|u| u.path().ends_with("/token")))
}

/// The draft for a parsed curl command.
pub fn draft(request: &CurlRequest, options: &ImportOptions) -> Draft {
    let name = options.name.clone().unwrap_or_else(|| super::name_from_url(&request.url));
    let title = vec![
        format!("Drafted by `tokdbg import curl` from a {} {} command.", request.method, request.url),
        "Review every value; the FILL IN lines need yours.".to_owned(),
    ];
    let mut draft = DraftBuilder::new(&name, &title);
    draft.set("", "name", name.clone(), if options.name.is_some() { "--name" } else { "the URL's host" });
    if is_token_request(request) {
        token_request(request, options, &mut draft);
    } else {
        api_call(request, &mut draft);
    }
    tls_options(request, options, &mut draft);
    for skipped in &request.skipped {
        draft.note(format!("not imported: {skipped}"));
    }
    draft.finish()
}

fn token_request(request: &CurlRequest, options: &ImportOptions, draft: &mut DraftBuilder) {
    let from = "the command's token request";
    draft.set("issuer", "token_endpoint", request.url.clone(), "the command's URL");
    if let Some(issuer) = issuer_guess(&request.url) {
        draft.fill_in(
            "issuer",
            "url",
            issuer,
            "the issuer, guessed from the token endpoint's path: check that its /.well-known/openid-configuration answers",
        );
    }
    let fields = form_fields(request);
    let field = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    match field("grant_type").as_deref() {
        Some("client_credentials") | None => {}
        Some(other) => draft
            .note(format!("the command asks for grant_type={other}; tokdbg fetches tokens with client_credentials")),
    }

    // Who the client is, and how it authenticates.
    let basic = basic_credentials(request);
    let client_id = basic.as_ref().map(|(id, _)| id.clone()).or_else(|| field("client_id"));
    match &client_id {
        Some(id) => {
            draft.set("client", "id", id.clone(), if basic.is_some() { "the command's -u / Basic" } else { from })
        }
        None => draft.fill_in("client", "id", "", "the client id (AK) of your app"),
    }
    let secret_in_command = basic.as_ref().and_then(|(_, secret)| secret.clone()).or_else(|| field("client_secret"));
    let assertion = field("client_assertion");
    let method = if let Some(assertion) = &assertion {
        if assertion_alg(assertion).is_some_and(|alg| alg.starts_with("HS")) {
            "client_secret_jwt"
        } else {
            "private_key_jwt"
        }
    } else if basic.is_some() {
        "client_secret_basic"
    } else if secret_in_command.is_some() {
        "client_secret_post"
    } else if request.cert.is_some() {
        "tls_client_auth"
    } else {
        "none"
    };
    draft.set("client", "auth_method", method, "how the command authenticates the client");
    match method {
        "private_key_jwt" => {
            draft.fill_in("client", "private_key", "file:client-key.pem", "the key that signs the client's assertions");
            draft.note("the command's client_assertion was not written (single-use, signed by your key)");
        }
        "tls_client_auth" | "none" => {}
        _ => {
            let source = match secret_in_command.as_deref().and_then(env_reference) {
                Some(variable) => format!("env:{variable}"),
                None => options.secret.source(),
            };
            draft.set("client", "secret", source.clone(), "the secret's source (the command's secret is not written)");
            if secret_in_command.as_deref().and_then(env_reference).is_none() && secret_in_command.is_some() {
                draft.note(format!(
                    "the client secret in the command was not written: the profile reads it from {source}"
                ));
            }
        }
    }
    if let Some(scope) = field("scope") {
        draft.set("client", "scopes", scope.split_whitespace().map(str::to_owned).collect::<Vec<_>>(), from);
    }
    for name in ["audience", "resource"] {
        if let Some(value) = field(name) {
            draft.set("client", name, value, from);
        }
    }
    let mut extra = Vec::new();
    for (name, value) in &fields {
        if SECRET_FIELDS.contains(&name.as_str()) {
            if !matches!(name.as_str(), "client_secret" | "client_assertion") {
                draft.note(format!("the command's {name} was not written (a secret)"));
            }
        } else if !MAPPED_FIELDS.contains(&name.as_str()) {
            extra.push((name.clone(), value.clone()));
        }
    }
    if !extra.is_empty() {
        draft.set("client", "extra", extra, "the command's other form fields");
    }
    draft.note("no API endpoint: add one with `tokdbg` (the form's `e`) or an [[endpoints]] table");
}

fn api_call(request: &CurlRequest, draft: &mut DraftBuilder) {
    let endpoint = draft.add_endpoint();
    let path = url::Url::parse(&request.url).map(|u| u.path().to_owned()).unwrap_or_default();
    draft.set_endpoint(endpoint, "name", format!("{} {path}", request.method), "the command's method and path");
    draft.set_endpoint(endpoint, "method", request.method.clone(), "the command");
    draft.set_endpoint(endpoint, "url", request.url.clone(), "the command's URL");
    let mut token = request.oauth2_bearer.clone();
    let mut headers = Vec::new();
    for (name, value) in &request.headers {
        if name.eq_ignore_ascii_case("authorization") {
            match value.split_once(' ') {
                Some((scheme, credentials))
                    if scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("dpop") =>
                {
                    token = Some(credentials.trim().to_owned());
                }
                _ => draft.note("the command's Authorization header was not written (a credential)"),
            }
        } else if crate::core::net::scrub::is_credential_header(name) {
            draft.note(format!("the command's {name} header was not written (a credential)"));
        } else {
            headers.push((name.clone(), value.clone()));
        }
    }
    if !headers.is_empty() {
        draft.set_endpoint(endpoint, "headers", headers, "the command's -H");
    }
    if let Some(body) = request.body() {
        draft.set_endpoint(endpoint, "body", body, "the command's -d");
    }
    match token.as_deref() {
        Some(token) => from_token(token, draft),
        None => draft.note("the command sends no bearer token: the issuer, audience and client are yours to fill in"),
    }
    if !draft.has("client", "id") {
        draft.fill_in("client", "id", "", "the client id (AK) of your app");
    }
    if !draft.has("client", "secret") {
        draft.set(
            "client",
            "secret",
            SecretPlacement::Prompt.source(),
            "the draft (asked for when a token is fetched)",
        );
    }
}

/// What a bearer token's (unverified) claims say of its issuer, audience and client. The
/// token itself is never written.
fn from_token(token: &str, draft: &mut DraftBuilder) {
    draft.note("the command's bearer token was not written: give it with `tokdbg call NAME --token -` (in the TUI: p)");
    let Ok(decoded) = crate::core::token::jwt::decode(token) else {
        draft.note(
            "the bearer token is not a JWT: the issuer is yours to fill in (introspection explains opaque tokens)",
        );
        return;
    };
    let claim = |name: &str| decoded.claims.get(name).and_then(Value::as_str).map(str::to_owned);
    let from = |name: &str| format!("the bearer token's {name} claim (not verified)");
    if let Some(iss) = claim("iss").filter(|iss| crate::core::store::profile_store::check_http_url(iss).is_ok()) {
        draft.set("issuer", "url", iss.clone(), &from("iss"));
        draft.set("expect", "issuer", iss, &from("iss"));
    }
    let audiences: Vec<String> = match decoded.claims.get("aud") {
        Some(Value::String(aud)) => vec![aud.clone()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    };
    if !audiences.is_empty() {
        draft.set("expect", "audience", audiences, &from("aud"));
    }
    if let Some(alg) = decoded.alg.clone().filter(|alg| alg.parse::<jsonwebtoken::Algorithm>().is_ok()) {
        draft.set("expect", "algorithms", vec![alg], "the bearer token's header (alg)");
    }
    if let Some(id) = claim("client_id").or_else(|| claim("azp")) {
        draft.set("client", "id", id, &from("client_id/azp"));
    }
    let scopes: Vec<String> = match decoded.claims.get("scope").or_else(|| decoded.claims.get("scp")) {
        Some(Value::String(scope)) => scope.split_whitespace().map(str::to_owned).collect(),
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    };
    if !scopes.is_empty() {
        draft.set("client", "scopes", scopes, &from("scope"));
    }
}

fn tls_options(request: &CurlRequest, options: &ImportOptions, draft: &mut DraftBuilder) {
    let absolute = |path: &str| -> String {
        match &options.cwd {
            Some(cwd) if Path::new(path).is_relative() => cwd.join(path).to_string_lossy().into_owned(),
            _ => path.to_owned(),
        }
    };
    if let Some(ca) = &request.cacert {
        draft.set("tls", "ca_file", absolute(ca), "the command's --cacert");
    }
    if request.insecure {
        draft.set("tls", "insecure", true, "the command's -k");
        draft.note(
            "the command turns certificate checks off (-k): so does the draft's tls.insecure; prefer tls.ca_file",
        );
    }
    if let Some(cert) = &request.cert {
        draft.set("client", "certificate", format!("file:{}", absolute(cert)), "the command's --cert");
        match &request.key {
            Some(key) => draft.set("client", "private_key", format!("file:{}", absolute(key)), "the command's --key"),
            None => draft.set(
                "client",
                "private_key",
                format!("file:{}", absolute(cert)),
                "the command's --cert (key in the same file)",
            ),
        }
    }
}

/// The form fields of the body (or `-F` parts), percent-decoded.
fn form_fields(request: &CurlRequest) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = request.form.clone();
    if let Some(body) = request.body()
        && !body.trim_start().starts_with('{')
    {
        fields.extend(url::form_urlencoded::parse(body.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())));
    }
    fields
}

/// `-u id:secret` or `Authorization: Basic …`: the client id and the secret if there was one
/// (RFC 6749 §2.3.1 form-encodes both before Basic).
fn basic_credentials(request: &CurlRequest) -> Option<(String, Option<String>)> {
    let pair = match &request.user {
        Some(user) => user.clone(),
        None => {
            let header = request.header("authorization")?;
            let (scheme, encoded) = header.split_once(' ')?;
            if !scheme.eq_ignore_ascii_case("basic") {
                return None;
            }
            let bytes = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
            let text = String::from_utf8(bytes).ok()?;
            let decode = |part: &str| {
                url::form_urlencoded::parse(format!("x={part}").as_bytes()).next().map(|(_, v)| v.into_owned())
            };
            let (id, secret) = text.split_once(':').unwrap_or((&text, ""));
            format!("{}:{}", decode(id).unwrap_or_default(), decode(secret).unwrap_or_default())
        }
    };
    match pair.split_once(':') {
        Some((id, secret)) => Some((id.to_owned(), Some(secret.to_owned()).filter(|s| !s.is_empty()))),
        None => Some((pair, None)),
    }
}

/// `$NAME` or `${NAME}`: the command read the secret from the environment; so will the profile.
fn env_reference(secret: &str) -> Option<&str> {
    let name = secret.strip_prefix("${").and_then(|s| s.strip_suffix('}')).or_else(|| secret.strip_prefix('$'))?;
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(name)
}

/// The `alg` of a client assertion's header, read without checking anything.
fn assertion_alg(assertion: &str) -> Option<String> {
    crate::core::token::jwt::decode(assertion).ok()?.alg
}

/// The issuer a token endpoint's path suggests: Authing's and oidc-provider's `…/oidc/token`,
/// Keycloak's `…/protocol/openid-connect/token`, Okta's `…/v1/token`, `…/oauth2/token`.
fn issuer_guess(token_endpoint: &str) -> Option<String> {
    let url = url::Url::parse(token_endpoint).ok()?;
    let path = url.path();
    let base = ["/protocol/openid-connect/token", "/v1/token", "/oauth2/token", "/oauth/token", "/token"]
        .iter()
        .find_map(|suffix| path.strip_suffix(suffix))?;
    let mut issuer = url.clone();
    issuer.set_path(base);
    issuer.set_query(None);
    Some(issuer.to_string().trim_end_matches('/').to_owned())
}

#[cfg(test)]
#[path = "curl_draft_tests.rs"]
mod tests;
