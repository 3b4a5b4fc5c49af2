//! A curl command's words read into the request it sends: URL, method, headers, body, the
//! user, TLS options. Options that change nothing a profile holds are skipped, with their
//! value when they take one.

use super::curl_words;

/// The request a curl command makes, as far as a profile cares. It may hold the command's
/// secrets (`-u id:secret`, a posted secret, a bearer token): its Debug shows none of them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CurlRequest {
    pub url: String,
    /// `-X`, else POST with a body, else GET.
    pub method: String,
    pub headers: Vec<(String, String)>,
    /// The body's parts in order (curl joins `-d` parts with `&`).
    pub data: Vec<String>,
    /// `-F name=value` parts (multipart form).
    pub form: Vec<(String, String)>,
    /// `-u user[:password]`.
    pub user: Option<String>,
    pub oauth2_bearer: Option<String>,
    /// `-G`: the data goes into the query string.
    pub data_in_query: bool,
    pub insecure: bool,
    pub cacert: Option<String>,
    pub cert: Option<String>,
    pub key: Option<String>,
    /// What was in the command and is not imported (a body read from a file, say).
    pub skipped: Vec<String>,
}

impl std::fmt::Debug for CurlRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("CurlRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("header_names", &names)
            .field("data_parts", &self.data.len())
            .field("form_parts", &self.form.len())
            .field("user", &self.user.as_ref().map(|_| "[redacted]"))
            .field("oauth2_bearer", &self.oauth2_bearer.as_ref().map(|_| "[redacted]"))
            .field("insecure", &self.insecure)
            .field("cacert", &self.cacert)
            .field("cert", &self.cert)
            .field("key", &self.key)
            .field("skipped", &self.skipped)
            .finish()
    }
}

impl CurlRequest {
    /// The body as curl sends it.
    pub fn body(&self) -> Option<String> {
        (!self.data.is_empty()).then(|| self.data.join("&"))
    }

    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Words(#[from] curl_words::WordsError),
    #[error("not a curl command: it starts with \"{0}\"")]
    NotCurl(String),
    #[error("the curl command has no URL")]
    NoUrl,
    #[error("the curl command has two URLs ({0} and {1}): import one request at a time")]
    TwoUrls(String, String),
    #[error("curl option {0} needs a value")]
    MissingValue(String),
    #[error("the URL \"{0}\" is not an http(s) URL")]
    BadUrl(String),
}

/// Long options that take a value and mean nothing to a profile.
const SKIPPED_WITH_VALUE: &[&str] = &[
    "--output",
    "--user-agent",
    "--cookie",
    "--cookie-jar",
    "--referer",
    "--max-time",
    "--connect-timeout",
    "--write-out",
    "--proxy",
    "--range",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--resolve",
    "--connect-to",
    "--limit-rate",
    "--max-redirs",
    "--continue-at",
    "--interface",
    "--local-port",
    "--proxy-user",
    "--proto",
    "--proto-redir",
    "--ciphers",
    "--cert-type",
    "--key-type",
    "--pass",
    "--capath",
    "--crlfile",
    "--pinnedpubkey",
    "--dns-servers",
    "--noproxy",
    "--unix-socket",
    "--abstract-unix-socket",
    "--trace",
    "--trace-ascii",
    "--stderr",
    "--dump-header",
    "--speed-limit",
    "--speed-time",
    "--expect100-timeout",
    "--keepalive-time",
    "--happy-eyeballs-timeout-ms",
    "--variable",
    "--aws-sigv4",
    "--request-target",
];

/// Short options that take a value and mean nothing to a profile.
const SKIPPED_SHORT_WITH_VALUE: &[char] = &['o', 'A', 'b', 'c', 'e', 'm', 'w', 'x', 'r', 'U', 'y', 'Y', 'z', 'D', 'C'];

/// Reads a pasted curl command (`curl` first; a leading `$ ` prompt is tolerated).
pub fn parse_command(command: &str) -> Result<CurlRequest, ImportError> {
    let words = curl_words::split(command.trim().trim_start_matches("$ "))?;
    let mut words = words.into_iter();
    match words.next() {
        Some(first) if first == "curl" || first.ends_with("/curl") || first == "curl.exe" => {}
        Some(first) => return Err(ImportError::NotCurl(first.chars().take(40).collect())),
        None => return Err(ImportError::NotCurl(String::new())),
    }
    parse_args(words.collect())
}

/// Reads curl's arguments (the words after `curl`).
pub fn parse_args(words: Vec<String>) -> Result<CurlRequest, ImportError> {
    let mut request = CurlRequest::default();
    let mut method: Option<String> = None;
    let mut words = words.into_iter();
    let mut urls: Vec<String> = Vec::new();
    while let Some(word) = words.next() {
        let (name, attached) = split_option(&word);
        let Some(name) = name else {
            urls.push(word);
            continue;
        };
        let mut value = |name: &str| -> Result<String, ImportError> {
            match &attached {
                Some(value) => Ok(value.clone()),
                None => words.next().ok_or_else(|| ImportError::MissingValue(name.to_owned())),
            }
        };
        match name.as_str() {
            "-X" | "--request" => method = Some(value(&name)?.to_ascii_uppercase()),
            "-H" | "--header" => {
                let header = value(&name)?;
                match header.split_once(':') {
                    Some((n, v)) => request.headers.push((n.trim().to_owned(), v.trim().to_owned())),
                    None => request.skipped.push(format!("header \"{header}\" (no colon)")),
                }
            }
            "-d" | "--data" | "--data-ascii" | "--data-binary" | "--data-raw" => {
                let data = value(&name)?;
                if name != "--data-raw" && data.starts_with('@') {
                    request.skipped.push(format!("the body read from {} ({name})", &data[1..]));
                } else {
                    request.data.push(data);
                }
            }
            "--data-urlencode" => {
                let data = value(&name)?;
                request.data.push(urlencode_part(&data));
            }
            "--json" => {
                request.data.push(value(&name)?);
                request.headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
                request.headers.push(("Accept".to_owned(), "application/json".to_owned()));
            }
            "-F" | "--form" | "--form-string" => {
                let part = value(&name)?;
                match part.split_once('=') {
                    Some((n, v)) if !v.starts_with('@') && !v.starts_with('<') => {
                        request.form.push((n.to_owned(), v.to_owned()));
                    }
                    _ => request.skipped.push(format!("form part {} (a file)", part.split('=').next().unwrap_or(""))),
                }
            }
            "-u" | "--user" => request.user = Some(value(&name)?),
            "--oauth2-bearer" => request.oauth2_bearer = Some(value(&name)?),
            "--url" => urls.push(value(&name)?),
            "-G" | "--get" => request.data_in_query = true,
            "-I" | "--head" => method = Some("HEAD".to_owned()),
            "-k" | "--insecure" => request.insecure = true,
            "--cacert" => request.cacert = Some(value(&name)?),
            "-E" | "--cert" => {
                // `file[:password]`: the password is a secret and not kept.
                let cert = value(&name)?;
                let (file, password) = split_cert_password(&cert);
                if password {
                    request.skipped.push("the certificate's password (--cert FILE:PASSWORD)".to_owned());
                }
                request.cert = Some(file);
            }
            "--key" => request.key = Some(value(&name)?),
            "-K" | "--config" => {
                let file = value(&name)?;
                request.skipped.push(format!("options read from {file} (--config)"));
            }
            long if long.starts_with("--") => {
                if SKIPPED_WITH_VALUE.contains(&long) {
                    value(long)?;
                }
            }
            short => {
                let letter = short.chars().nth(1).unwrap_or('-');
                if SKIPPED_SHORT_WITH_VALUE.contains(&letter) {
                    value(short)?;
                }
            }
        }
    }
    let mut urls = urls.into_iter();
    let url = urls.next().ok_or(ImportError::NoUrl)?;
    if let Some(second) = urls.next() {
        return Err(ImportError::TwoUrls(url, second));
    }
    // curl takes a URL without a scheme as http://.
    let url = if url.contains("://") { url } else { format!("http://{url}") };
    crate::core::store::profile_store::check_http_url(&url).map_err(|_| ImportError::BadUrl(url.clone()))?;
    request.url = url;
    request.method = method.unwrap_or_else(|| {
        if (!request.data.is_empty() || !request.form.is_empty()) && !request.data_in_query {
            "POST".to_owned()
        } else {
            "GET".to_owned()
        }
    });
    Ok(request)
}

/// `-sSL` → each letter an option: the result is the option and the value attached to it
/// (`-XPOST`, `--data=x`, `-dx`); `None` for a word that is not an option.
fn split_option(word: &str) -> (Option<String>, Option<String>) {
    if let Some(long) = word.strip_prefix("--") {
        if long.is_empty() {
            return (None, None);
        }
        return match long.split_once('=') {
            Some((name, value)) => (Some(format!("--{name}")), Some(value.to_owned())),
            None => (Some(word.to_owned()), None),
        };
    }
    let Some(short) = word.strip_prefix('-') else { return (None, None) };
    if short.is_empty() {
        return (None, None);
    }
    // Bundled flags: the first letter that takes a value takes the rest of the word.
    for (index, letter) in short.char_indices() {
        let takes_value = "XHdFuEKoAbcemwxrUyYzDC".contains(letter);
        if takes_value {
            let rest = &short[index + letter.len_utf8()..];
            return (Some(format!("-{letter}")), (!rest.is_empty()).then(|| rest.to_owned()));
        }
    }
    // Only flags: the ones a profile cares about are -G, -I and -k.
    for letter in ['G', 'I', 'k'] {
        if short.contains(letter) {
            return (Some(format!("-{letter}")), None);
        }
    }
    (Some(format!("-{}", short.chars().next().unwrap_or('-'))), None)
}

/// `--data-urlencode`'s forms: `content`, `=content`, `name=content` (`@file` forms are kept
/// as written).
fn urlencode_part(data: &str) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let encode = |text: &str| utf8_percent_encode(text, NON_ALPHANUMERIC).to_string();
    match data.split_once('=') {
        Some(("", content)) => encode(content),
        Some((name, content)) => format!("{name}={}", encode(content)),
        None => encode(data),
    }
}

/// `file:password` → (file, whether a password was there); `\:` escapes a colon in the name.
fn split_cert_password(value: &str) -> (String, bool) {
    let mut file = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next) => file.push(next),
                None => file.push('\\'),
            },
            ':' => return (file, true),
            other => file.push(other),
        }
    }
    (file, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_request_is_read() {
        let request = parse_command(
            "curl -sS -X POST https://as.example/oidc/token -u 'app:s3cret' \
             -H 'Content-Type: application/x-www-form-urlencoded' -d grant_type=client_credentials -d scope=read",
        )
        .unwrap();
        assert_eq!(request.method, "POST");
        assert_eq!(request.url, "https://as.example/oidc/token");
        assert_eq!(request.user.as_deref(), Some("app:s3cret"));
        assert_eq!(request.body().as_deref(), Some("grant_type=client_credentials&scope=read"));
    }

    #[test]
    fn bundled_and_attached_options_are_split() {
        let request =
            parse_args(["-sSkXPUT", "--url=https://a.example/x", "-dq=1"].map(String::from).to_vec()).unwrap();
        assert_eq!(request.method, "PUT");
        assert_eq!(request.url, "https://a.example/x");
        assert_eq!(request.data, ["q=1"]);
        let request = parse_args(["-sSk", "https://a.example/x"].map(String::from).to_vec()).unwrap();
        assert!(request.insecure);
        assert_eq!(request.method, "GET");
    }

    #[test]
    fn options_with_values_do_not_swallow_the_url() {
        let request = parse_args(
            ["-o", "out.json", "--max-time", "5", "-A", "me", "https://a.example/x"].map(String::from).to_vec(),
        )
        .unwrap();
        assert_eq!(request.url, "https://a.example/x");
    }

    #[test]
    fn file_bodies_and_certificate_passwords_are_skipped_not_read() {
        let request =
            parse_args(["-d", "@body.json", "-E", "c.pem:pw", "https://a.example/x"].map(String::from).to_vec())
                .unwrap();
        assert!(request.data.is_empty());
        assert_eq!(request.cert.as_deref(), Some("c.pem"));
        assert_eq!(request.skipped.len(), 2, "{:?}", request.skipped);
        assert!(!format!("{request:?}").contains("pw\""));
    }

    #[test]
    fn debug_never_shows_the_commands_secrets() {
        let request = parse_command(
            "curl -u id:s3cret -H 'Authorization: Bearer t0ken' -d client_secret=p4ss https://a.example/token",
        )
        .unwrap();
        let shown = format!("{request:?}");
        for secret in ["s3cret", "t0ken", "p4ss"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }

    #[test]
    fn urlencoded_data_is_encoded() {
        assert_eq!(urlencode_part("scope=a b"), "scope=a%20b");
        assert_eq!(urlencode_part("=a&b"), "a%26b");
    }

    #[test]
    fn a_url_without_scheme_is_http_and_other_schemes_are_refused() {
        assert_eq!(parse_args(vec!["a.example/x".into()]).unwrap().url, "http://a.example/x");
        assert!(matches!(parse_args(vec!["file:///etc/passwd".into()]), Err(ImportError::BadUrl(_))));
    }

    #[test]
    fn what_is_not_a_curl_command_is_named() {
        assert!(matches!(parse_command("wget https://a"), Err(ImportError::NotCurl(w)) if w == "wget"));
        assert_eq!(parse_command("curl -s"), Err(ImportError::NoUrl));
        assert!(matches!(parse_command("curl https://a https://b"), Err(ImportError::TwoUrls(..))));
        assert_eq!(parse_command("curl -H"), Err(ImportError::MissingValue("-H".into())));
    }
}
