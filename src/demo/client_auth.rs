//! Client authentication at the token endpoint: HTTP Basic (RFC 6749 §2.3.1) or form post.

use std::collections::BTreeMap;

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The method the request used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Basic,
    Post,
}

impl Method {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Method::Basic => "client_secret_basic",
            Method::Post => "client_secret_post",
        }
    }
}

/// Credentials as sent; secrets never leave this module in an error or a log.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Credentials {
    pub method: Method,
    pub id: String,
    pub secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("method", &self.method)
            .field("id", &self.id)
            .field("secret", &"[redacted]")
            .finish()
    }
}

/// Why no usable credentials were found; each maps to one RFC 6749 §5.2 error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AuthError {
    /// 400 `invalid_request`: malformed header or two mechanisms at once.
    Malformed { description: &'static str, basic: bool },
    /// 401 `invalid_client`: nothing usable was sent.
    Missing { description: &'static str },
}

/// Extracts the client's credentials from the `Authorization` header or the form.
pub(crate) fn credentials(headers: &HeaderMap, form: &BTreeMap<String, String>) -> Result<Credentials, AuthError> {
    let basic = match headers.get(AUTHORIZATION) {
        Some(value) => parse_basic(value.as_bytes())?,
        None => None,
    };
    let form_id = form.get("client_id");
    let form_secret = form.get("client_secret");
    if let Some((id, secret)) = basic {
        if form_secret.is_some() {
            return Err(AuthError::Malformed {
                description: "client authentication must only be provided using one mechanism",
                basic: true,
            });
        }
        if form_id.is_some_and(|form_id| *form_id != id) {
            return Err(AuthError::Malformed {
                description: "client_id in the body does not match the Authorization header",
                basic: true,
            });
        }
        return Ok(Credentials { method: Method::Basic, id, secret });
    }
    match (form_id, form_secret) {
        (Some(id), Some(secret)) => Ok(Credentials { method: Method::Post, id: id.clone(), secret: secret.clone() }),
        (Some(_), None) => {
            Err(AuthError::Missing { description: "client authentication failed: client_secret is missing" })
        }
        _ => Err(AuthError::Missing { description: "no client authentication mechanism provided" }),
    }
}

const MALFORMED_BASIC: AuthError = AuthError::Malformed {
    description: "invalid Basic authorization header: expected base64(urlencode(id):urlencode(secret))",
    basic: true,
};

/// `Basic base64(form-urlencode(id) ":" form-urlencode(secret))`; other schemes are ignored.
fn parse_basic(value: &[u8]) -> Result<Option<(String, String)>, AuthError> {
    let Ok(value) = std::str::from_utf8(value) else {
        return Err(MALFORMED_BASIC);
    };
    let Some((scheme, encoded)) = value.trim().split_once(' ') else {
        return Ok(None);
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        // A Bearer header at the token endpoint is not client authentication.
        return Ok(None);
    }
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| MALFORMED_BASIC)?;
    let decoded = String::from_utf8(decoded).map_err(|_| MALFORMED_BASIC)?;
    // The id is urlencoded, so the first ':' is the separator even if the secret has one.
    let (id, secret) = decoded.split_once(':').ok_or(MALFORMED_BASIC)?;
    Ok(Some((form_decode(id)?, form_decode(secret)?)))
}

/// application/x-www-form-urlencoded decoding of one component ('+' is a space).
fn form_decode(text: &str) -> Result<String, AuthError> {
    let spaced = text.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| MALFORMED_BASIC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn basic(raw: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = format!("Basic {}", STANDARD.encode(raw));
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(AUTHORIZATION, value);
        }
        headers
    }

    #[test]
    fn basic_components_are_form_decoded() {
        let got = credentials(&basic("demo%2Bspecial:s3cret%3Awith%25chars%26more"), &BTreeMap::new());
        let got = got.map(|c| (c.method, c.id, c.secret));
        assert_eq!(got, Ok((Method::Basic, "demo+special".into(), "s3cret:with%chars&more".into())));
        let plus = credentials(&basic("a+b:c"), &BTreeMap::new()).map(|c| c.id);
        assert_eq!(plus, Ok("a b".into()));
    }

    #[test]
    fn two_mechanisms_or_none_are_errors() {
        let mut form = BTreeMap::new();
        form.insert("client_secret".to_owned(), "x".to_owned());
        assert!(matches!(credentials(&basic("a:b"), &form), Err(AuthError::Malformed { .. })));
        assert!(matches!(credentials(&HeaderMap::new(), &BTreeMap::new()), Err(AuthError::Missing { .. })));
        assert!(matches!(credentials(&basic("no-colon"), &BTreeMap::new()), Err(AuthError::Malformed { .. })));
    }
}
