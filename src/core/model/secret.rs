//! `Secret`: a string that never shows itself in `Debug`, `Display` or JSON.

use std::fmt;

/// A credential (client secret, HMAC key, access token) kept out of every output.
///
/// Read the value only where it is needed on the wire, with [`Secret::expose`].
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The raw value: for building a request, never for printing.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// Shows a JWT with its signature replaced, so it can be printed and still decoded.
///
/// Anything that is not three dot-separated parts is shown only by its length.
pub fn redact_token(token: &str) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() == 3 {
        format!("{}.{}.[signature redacted]", parts[0], parts[1])
    } else {
        format!("[opaque token redacted, {} chars]", token.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_display_and_json_hide_the_value() {
        let s = Secret::new("hunter2-sk");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{s}"), "[redacted]");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"[redacted]\"");
        assert_eq!(s.expose(), "hunter2-sk");
    }

    #[test]
    fn redacted_token_keeps_header_and_claims() {
        assert_eq!(redact_token("aaa.bbb.ccc"), "aaa.bbb.[signature redacted]");
        assert_eq!(redact_token("opaque"), "[opaque token redacted, 6 chars]");
    }
}
