//! Requests as `curl` commands to paste into a shell, token and secret redacted unless asked.

use crate::core::model::profile::AuthMethod;
use crate::core::model::secret::redact_token;
use crate::core::oauth::token_request::TokenRequest;
use crate::core::probe::ProbeRequest;

pub mod transport;
pub use transport::{CERT_VAR, CurlDpop, CurlFile, CurlTransport, DPOP_VAR, KEY_VAR};

/// What a copied command may show in clear.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CurlOptions {
    /// Show the access token whole (else its signature is redacted).
    pub reveal_token: bool,
    /// Show the client secret (else the command reads it from `$CLIENT_SECRET`).
    pub reveal_secret: bool,
}

pub use crate::core::net::scrub::{REDACTED, is_credential_header};

/// The environment variable the token command reads the client secret from.
pub const SECRET_VAR: &str = "CLIENT_SECRET";

/// The environment variable the token command reads a client assertion from.
pub const ASSERTION_VAR: &str = "CLIENT_ASSERTION";

/// `curl -sS -X METHOD 'URL' -H 'Header: v' ... --data-raw '...'`, one option per line.
///
/// Every argument is shell-quoted. The Authorization header shows
/// `Bearer <header.payload>.[signature redacted]` unless `reveal_token`, and the endpoint's
/// credential-like headers ([`is_credential_header`]) show `[redacted]`. A JSON-looking body
/// without a Content-Type header gets `Content-Type: application/json`, as the probe sends it.
pub fn probe_as_curl(request: &ProbeRequest, options: CurlOptions) -> String {
    probe_as_curl_over(request, &CurlTransport::default(), options)
}

/// [`probe_as_curl`] over the call's `transport`: the client certificate and key (`--cert`,
/// `--key`), `--cacert`, `-k`, and for DPoP `Authorization: DPoP` with the proof read from
/// `$DPOP_PROOF` (a proof is single-use, so none is pasted), as the engine sends them.
pub fn probe_as_curl_over(request: &ProbeRequest, transport: &CurlTransport, options: CurlOptions) -> String {
    let method = request.method.trim().to_ascii_uppercase();
    let mut first = String::from("curl -sS");
    if method == "HEAD" {
        // `-X HEAD` makes curl wait for a body that never comes.
        first.push_str(" --head");
    } else {
        first.push_str(&format!(" -X {}", quote_word(&method)));
    }
    first.push_str(&format!(" {}", quote(&request.url)));

    let mut lines = Vec::new();
    let mut comments: Vec<String> = Vec::new();
    let mut redacted = false;
    transport.tls_lines(&request.url, &mut comments, &mut lines);
    // The headers the probe sends, so the command repeats the request (see headers_to_send).
    for (name, value) in request.headers_to_send() {
        let shown = if !options.reveal_token && is_credential_header(name) {
            redacted = true;
            REDACTED
        } else {
            value
        };
        lines.push(format!("-H {}", quote(&format!("{name}: {shown}"))));
    }
    if redacted {
        comments.push("# Credential headers show [redacted]: copy the curl with the token to run this.".into());
    }
    if request.token.is_some()
        && request.headers.iter().any(|(name, _)| name.trim().eq_ignore_ascii_case("authorization"))
    {
        comments.push("# The endpoint's own Authorization header is left out: the bearer token replaces it.".into());
    }
    if let Some(body) = &request.body {
        let looks_json = body.trim_start().starts_with(['{', '[']);
        if looks_json && !request.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
            lines.push(format!("-H {}", quote("Content-Type: application/json")));
        }
    }
    if let Some(token) = &request.token {
        let shown = if options.reveal_token {
            token.expose().to_owned()
        } else {
            comments.push("# The token's signature is redacted: copy it with the token revealed to run this.".into());
            redact_token(token.expose())
        };
        // A request with a token and [dpop] goes as the engine sends it: the token as DPoP, a proof beside.
        let scheme = if transport.dpop.is_some() { "DPoP" } else { "Bearer" };
        lines.push(format!("-H {}", quote(&format!("Authorization: {scheme} {shown}"))));
        transport.dpop_lines(&method, &request.url, Some(token.expose()), &mut comments, &mut lines);
    }
    if let Some(body) = &request.body {
        lines.push(format!("--data-raw {}", quote(body)));
    }
    assemble(&comments, first, lines)
}

/// The client_credentials token request as curl.
///
/// Form parameters go with `--data-urlencode`. The client secret appears as `$CLIENT_SECRET`
/// (a variable the user sets) unless `reveal_secret`. With client_secret_basic, id and secret go
/// in `-u`, the id already form-urlencoded as RFC 6749 §2.3.1 asks; a comment says the secret
/// needs the same if it has special characters.
pub fn token_request_as_curl(request: &TokenRequest, options: CurlOptions) -> String {
    token_request_as_curl_over(request, &CurlTransport::default(), options)
}

/// [`token_request_as_curl`] over the profile's `transport`: the client certificate and key
/// (the mTLS methods, or any profile with a certificate), `--cacert`, `-k`, and a `DPoP`
/// header read from `$DPOP_PROOF`. The URL is `request.endpoint`: give the one tokdbg called
/// (`TokenFetch::token_endpoint`, the `mtls_endpoint_aliases` one when it used it).
pub fn token_request_as_curl_over(request: &TokenRequest, transport: &CurlTransport, options: CurlOptions) -> String {
    let first = format!("curl -sS -X POST {}", quote(&request.endpoint));
    let mut comments = Vec::new();
    let mut lines = Vec::new();
    let secret_var_arg = |prefix: &str| format!("{}\"${SECRET_VAR}\"", quote(prefix));
    let secret = request.credentials.secret.as_ref().map_or("", |s| s.expose());
    transport.tls_lines(&request.endpoint, &mut comments, &mut lines);
    if !options.reveal_secret && request.auth_method.uses_secret() && !request.auth_method.signs_assertion() {
        comments.push(format!(
            "# The client secret is not shown: set {SECRET_VAR} first (e.g. read -rs {SECRET_VAR}; export {SECRET_VAR})."
        ));
    }
    if request.auth_method == AuthMethod::ClientSecretBasic {
        let id = form_urlencode(&request.client_id);
        let user = if options.reveal_secret {
            quote(&format!("{id}:{}", form_urlencode(secret)))
        } else {
            comments.push(
                "# RFC 6749 §2.3.1: client_secret_basic sends id and secret form-urlencoded; the id below is. \
                 Urlencode the secret too if it has characters other than A-Z a-z 0-9 - . _ * ."
                    .to_owned(),
            );
            secret_var_arg(&format!("{id}:"))
        };
        lines.push(format!("-u {user}"));
    }
    lines.push(format!("-H {}", quote("Accept: application/json")));
    transport.dpop_lines("POST", &request.endpoint, None, &mut comments, &mut lines);
    lines.push(data_urlencode("grant_type", "client_credentials"));
    // A public client and the mTLS methods name the client in the form (RFC 8705 §2): the
    // certificate, not the request, proves it.
    if matches!(request.auth_method, AuthMethod::None | AuthMethod::TlsClientAuth | AuthMethod::SelfSignedTlsClientAuth)
    {
        lines.push(data_urlencode("client_id", &request.client_id));
    }
    if request.auth_method == AuthMethod::ClientSecretPost {
        lines.push(data_urlencode("client_id", &request.client_id));
        if options.reveal_secret {
            lines.push(data_urlencode("client_secret", secret));
        } else {
            lines.push(format!("--data-urlencode {}", secret_var_arg("client_secret=")));
        }
    }
    if request.auth_method.signs_assertion() {
        assertion_lines(request, options, &mut comments, &mut lines);
    }
    if !request.scopes.is_empty() {
        lines.push(data_urlencode("scope", &request.scopes.join(" ")));
    }
    if let Some(audience) = &request.audience {
        lines.push(data_urlencode("audience", audience));
    }
    if let Some(resource) = &request.resource {
        lines.push(data_urlencode("resource", resource));
    }
    for (name, value) in &request.extra {
        lines.push(data_urlencode(name, value));
    }
    assemble(&comments, first, lines)
}

/// `client_id`, `client_assertion_type` and `client_assertion`: the signed assertion only
/// with `reveal_secret` (it authenticates the client until it expires), else `$CLIENT_ASSERTION`.
fn assertion_lines(request: &TokenRequest, options: CurlOptions, comments: &mut Vec<String>, lines: &mut Vec<String>) {
    lines.push(data_urlencode("client_id", &request.client_id));
    lines.push(data_urlencode("client_assertion_type", crate::core::oauth::client_assertion::ASSERTION_TYPE));
    let signed = options
        .reveal_secret
        .then(|| request.build(true).ok())
        .flatten()
        .and_then(|wire| wire.form.into_iter().find(|(name, _)| name == "client_assertion"))
        .map(|(_, value)| value);
    match signed {
        Some(assertion) => {
            comments.push(format!(
                "# The client assertion is valid {} s from its iat and servers accept its jti once: run this at once.",
                crate::core::oauth::client_assertion::LIFETIME_SECS
            ));
            lines.push(data_urlencode("client_assertion", &assertion));
        }
        None => {
            comments.push(format!(
                "# The client assertion (a signed JWT) is not shown: set {ASSERTION_VAR} to a fresh one; \
                 it is valid {} s and used once (jti). {}",
                crate::core::oauth::client_assertion::LIFETIME_SECS,
                how_to_sign(request)
            ));
            lines.push(format!("--data-urlencode {}\"${ASSERTION_VAR}\"", quote("client_assertion=")));
        }
    }
}

/// What a fresh assertion holds and is signed with, from the one tokdbg made (decoded: no
/// signature, no key).
fn how_to_sign(request: &TokenRequest) -> String {
    let view = request.assertion_view();
    let header = view.as_ref().map(|v| &v.header);
    let claims = view.as_ref().map(|v| &v.claims);
    let text = |value: Option<&serde_json::Value>, name: &str| {
        value.and_then(|v| v.get(name)).map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()))
    };
    let alg = text(header, "alg")
        .unwrap_or_else(|| "an alg the issuer takes (token_endpoint_auth_signing_alg_values_supported)".to_owned());
    let kid = text(header, "kid").map(|kid| format!(", kid {kid}")).unwrap_or_default();
    let aud = text(claims, "aud").unwrap_or_else(|| request.endpoint.clone());
    let with = if request.auth_method == AuthMethod::ClientSecretJwt {
        "the client secret (HMAC)"
    } else {
        "client.private_key"
    };
    format!(
        "Sign it with {with} ({alg}{kid}): iss and sub {}, aud {aud}, a new jti, iat now, exp at most {} s later.",
        request.client_id,
        crate::core::oauth::client_assertion::LIFETIME_SECS
    )
}

/// `--data-urlencode 'name=value'`: curl encodes the value; the name is encoded here.
fn data_urlencode(name: &str, value: &str) -> String {
    format!("--data-urlencode {}", quote(&format!("{}={value}", form_urlencode(name))))
}

fn form_urlencode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Comment lines, then the command with one option per line joined by ` \` continuations.
fn assemble<S: AsRef<str>>(comments: &[S], first: String, lines: Vec<String>) -> String {
    let mut out = String::new();
    for comment in comments {
        // A comment quotes profile and server text (a client id, a URL, a nonce): a line
        // break in it would start a command, so control characters are shown escaped.
        for c in comment.as_ref().chars() {
            if c.is_control() {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out.push_str(&first);
    for line in lines {
        out.push_str(" \\\n  ");
        out.push_str(&line);
    }
    out
}

/// Single-quotes `value` for a POSIX shell: `'` becomes `'\''`; nothing inside is expanded.
pub fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// A word left bare when it is plainly safe (e.g. `GET`), else quoted.
fn quote_word(value: &str) -> String {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        value.to_owned()
    } else {
        quote(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::credentials::Credentials;
    use crate::core::model::secret::Secret;

    const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

    /// Splits a command the way `sh` would, for the quoting this module produces.
    fn shell_words(command: &str) -> Vec<String> {
        let mut words = Vec::new();
        let mut current = String::new();
        let mut in_word = false;
        let mut chars = command.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\'' => {
                    in_word = true;
                    for q in chars.by_ref() {
                        if q == '\'' {
                            break;
                        }
                        current.push(q);
                    }
                }
                '\\' => match chars.next() {
                    Some('\n') => {}
                    Some(other) => {
                        in_word = true;
                        current.push(other);
                    }
                    None => {}
                },
                '#' if !in_word => {
                    for q in chars.by_ref() {
                        if q == '\n' {
                            break;
                        }
                    }
                }
                ' ' | '\n' => {
                    if in_word {
                        words.push(std::mem::take(&mut current));
                        in_word = false;
                    }
                }
                other => {
                    in_word = true;
                    current.push(other);
                }
            }
        }
        if in_word {
            words.push(current);
        }
        words
    }

    fn probe(token: Option<&str>) -> ProbeRequest {
        ProbeRequest {
            method: "post".into(),
            url: "https://api.example.com/orders?q=it's&x=$(rm -rf ~)".into(),
            headers: vec![("X-Note".into(), "a'b\nc `id` $HOME".into())],
            body: Some("{\"item\": \"it's $(whoami)\"}\n".into()),
            token: token.map(Secret::new),
        }
    }

    #[test]
    fn hostile_values_survive_quoting() {
        let command = probe_as_curl(&probe(None), CurlOptions::default());
        let words = shell_words(&command);
        assert_eq!(
            words,
            vec![
                "curl",
                "-sS",
                "-X",
                "POST",
                "https://api.example.com/orders?q=it's&x=$(rm -rf ~)",
                "-H",
                "X-Note: a'b\nc `id` $HOME",
                "-H",
                "Content-Type: application/json",
                "--data-raw",
                "{\"item\": \"it's $(whoami)\"}\n",
            ]
        );
        assert!(command.contains(r"'\''"), "{command}");
    }

    #[test]
    fn token_is_redacted_unless_revealed() {
        let command = probe_as_curl(&probe(Some(TOKEN)), CurlOptions::default());
        assert!(!command.contains("c2lnbmF0dXJl"), "{command}");
        assert!(
            shell_words(&command).contains(
                &"Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.[signature redacted]".to_owned()
            )
        );
        assert!(command.starts_with("# The token's signature is redacted"), "{command}");

        let revealed = probe_as_curl(&probe(Some(TOKEN)), CurlOptions { reveal_token: true, reveal_secret: false });
        assert!(shell_words(&revealed).contains(&format!("Authorization: Bearer {TOKEN}")));
        assert!(revealed.starts_with("curl -sS -X POST"), "{revealed}");
    }

    #[test]
    fn one_option_per_line() {
        let command = probe_as_curl(
            &ProbeRequest {
                method: "GET".into(),
                url: "http://127.0.0.1:4455/api/protected".into(),
                headers: vec![],
                body: None,
                token: Some(Secret::new("opaque")),
            },
            CurlOptions { reveal_token: true, reveal_secret: false },
        );
        assert_eq!(
            command,
            "curl -sS -X GET 'http://127.0.0.1:4455/api/protected' \\\n  -H 'Authorization: Bearer opaque'"
        );
        let head = probe_as_curl(
            &ProbeRequest { method: "HEAD".into(), url: "http://h/".into(), headers: vec![], body: None, token: None },
            CurlOptions::default(),
        );
        assert_eq!(head, "curl -sS --head 'http://h/'");
    }

    fn token_request(auth_method: AuthMethod) -> TokenRequest {
        TokenRequest {
            endpoint: "https://issuer.example.com/oidc/token".into(),
            client_id: "app id:'1'".into(),
            credentials: Credentials::secret(Secret::new("s3cr'et $(x)")),
            auth_method,
            scopes: vec!["order:read".into(), "order:write".into()],
            audience: Some("https://api.example.com".into()),
            resource: None,
            extra: vec![("odd name=".into(), "v&w".into())],
            assertion: None,
        }
    }

    #[test]
    fn token_request_post_hides_secret_by_default() {
        let command = token_request_as_curl(&token_request(AuthMethod::ClientSecretPost), CurlOptions::default());
        assert!(!command.contains("s3cr"), "{command}");
        assert!(command.contains("--data-urlencode 'client_secret='\"$CLIENT_SECRET\""), "{command}");
        let words = shell_words(&command);
        for expected in [
            "grant_type=client_credentials",
            "client_id=app id:'1'",
            "scope=order:read order:write",
            "audience=https://api.example.com",
            "odd+name%3D=v&w",
        ] {
            assert!(words.contains(&expected.to_owned()), "{expected} missing in {words:?}");
        }
        assert!(!command.contains(" -u "), "{command}");

        let revealed = token_request_as_curl(
            &token_request(AuthMethod::ClientSecretPost),
            CurlOptions { reveal_token: false, reveal_secret: true },
        );
        assert!(shell_words(&revealed).contains(&"client_secret=s3cr'et $(x)".to_owned()), "{revealed}");
        assert!(!revealed.contains(SECRET_VAR), "{revealed}");
    }

    #[test]
    fn token_request_basic_uses_urlencoded_user() {
        let command = token_request_as_curl(&token_request(AuthMethod::ClientSecretBasic), CurlOptions::default());
        assert!(command.contains("-u 'app+id%3A%271%27:'\"$CLIENT_SECRET\""), "{command}");
        assert!(command.contains("RFC 6749 §2.3.1"), "{command}");
        assert!(!command.contains("client_secret="), "{command}");
        assert!(!command.contains("s3cr"), "{command}");

        let revealed = token_request_as_curl(
            &token_request(AuthMethod::ClientSecretBasic),
            CurlOptions { reveal_token: false, reveal_secret: true },
        );
        assert!(shell_words(&revealed).contains(&"app+id%3A%271%27:s3cr%27et+%24%28x%29".to_owned()), "{revealed}");
    }

    #[test]
    fn token_request_assertion_is_a_variable_unless_revealed() {
        let mut request = token_request(AuthMethod::ClientSecretJwt);
        request.credentials = Credentials::secret(Secret::new("a-long-shared-secret-for-hs256-signing"));
        let command = token_request_as_curl(&request, CurlOptions::default());
        assert!(command.contains("--data-urlencode 'client_assertion='\"$CLIENT_ASSERTION\""), "{command}");
        assert!(!command.contains("CLIENT_SECRET") && !command.contains("a-long-shared"), "{command}");
        let words = shell_words(&command);
        let assertion_type = "client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
        assert!(words.contains(&assertion_type.to_owned()), "{words:?}");

        let revealed = token_request_as_curl(&request, CurlOptions { reveal_token: false, reveal_secret: true });
        let signed =
            shell_words(&revealed).into_iter().find_map(|w| w.strip_prefix("client_assertion=").map(str::to_owned));
        assert_eq!(signed.map(|jwt| jwt.matches('.').count()), Some(2), "{revealed}");
        assert!(!revealed.contains("a-long-shared"), "{revealed}");
    }
}
