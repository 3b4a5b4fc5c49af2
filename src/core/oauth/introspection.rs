//! Token introspection (RFC 7662): ask the issuer whether a token is active and what it
//! grants; the answer kept whole (every member), with its well-known members read.

use serde::Serialize;

use crate::core::net::http::{Http, HttpResponse};
use crate::core::net::scrub::Scrubber;
use crate::core::net::transport::TlsNeeds;
use crate::core::oauth::client_post::{EndpointError, TokenPost, answer_error, unexpected};

const ENDPOINT: &str = "introspection";

/// What the issuer said about the token (RFC 7662 §2.2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Introspection {
    pub active: bool,
    pub status: u16,
    /// Space-separated, as RFC 7662 sends it; an array (as some servers send) is joined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// `aud` as one string or a list: always a list here.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aud: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// Every member of the answer as received (scrubbed of the token and the secrets).
    pub members: serde_json::Map<String, serde_json::Value>,
    /// Oddities worth telling (e.g. `active` sent as a string).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Introspection {
    /// The scopes granted, split.
    pub fn scopes(&self) -> Option<Vec<String>> {
        Some(self.scope.as_ref()?.split_whitespace().map(str::to_owned).collect())
    }
}

/// Sends the introspection request and reads the answer.
pub async fn introspect(post: &TokenPost, http: &Http, tls: &TlsNeeds) -> Result<Introspection, EndpointError> {
    let response = post.send_with(http, tls, ENDPOINT).await?;
    parse_introspection(&response, &post.scrubber())
}

/// Reads an introspection endpoint's answer: `active` and the members, or what came instead.
pub fn parse_introspection(response: &HttpResponse, scrubber: &Scrubber) -> Result<Introspection, EndpointError> {
    if let Some(error) = answer_error(response, ENDPOINT, scrubber) {
        return Err(error);
    }
    let json: Option<serde_json::Value> = serde_json::from_slice(&response.body).ok();
    let Some(serde_json::Value::Object(mut members)) = json else {
        return Err(unexpected(response, ENDPOINT, scrubber, "with an answer that is not a JSON object"));
    };
    let mut notes = Vec::new();
    let active = match members.get("active") {
        Some(serde_json::Value::Bool(active)) => *active,
        Some(serde_json::Value::String(text)) if text == "true" || text == "false" => {
            notes.push(format!("active was sent as a string (\"{text}\"), not a boolean as RFC 7662 §2.2 asks"));
            text == "true"
        }
        _ => return Err(unexpected(response, ENDPOINT, scrubber, "with JSON that has no boolean \"active\"")),
    };
    let mut value = serde_json::Value::Object(std::mem::take(&mut members));
    scrubber.scrub_json(&mut value);
    let serde_json::Value::Object(members) = value else { unreachable!("scrubbing keeps an object an object") };
    let text = |key: &str| members.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let instant = |key: &str| members.get(key).and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)));
    let scope = match members.get("scope") {
        Some(serde_json::Value::String(scope)) => Some(scope.clone()),
        Some(serde_json::Value::Array(items)) => {
            notes.push("scope was sent as a list, not a space-separated string as RFC 7662 §2.2 asks".to_owned());
            Some(items.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(" "))
        }
        _ => None,
    };
    let aud = match members.get("aud") {
        Some(serde_json::Value::String(aud)) => vec![aud.clone()],
        Some(serde_json::Value::Array(items)) => items.iter().filter_map(|v| v.as_str()).map(str::to_owned).collect(),
        _ => Vec::new(),
    };
    Ok(Introspection {
        active,
        status: response.status,
        scope,
        client_id: text("client_id"),
        exp: instant("exp"),
        iat: instant("iat"),
        sub: text("sub"),
        aud,
        iss: text("iss"),
        token_type: text("token_type"),
        members,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::secret::Secret;

    fn answer(status: u16, content_type: &str, body: &str) -> HttpResponse {
        HttpResponse::for_tests(status, content_type, body, "http://x/introspect")
    }

    fn scrubber() -> Scrubber {
        let mut scrubber = Scrubber::new();
        scrubber.add_token(&Secret::new("opaque-token-value-1234"));
        scrubber
    }

    #[test]
    fn an_active_answer_keeps_every_member_and_reads_the_known_ones() {
        let body = r#"{"active":true,"scope":"a b","client_id":"app","exp":1700000000,"aud":"api","iss":"https://i","cnf":{"x5t#S256":"abc"},"token":"opaque-token-value-1234"}"#;
        let found = parse_introspection(&answer(200, "application/json", body), &scrubber()).unwrap();
        assert!(found.active);
        assert_eq!(found.scopes().unwrap(), ["a", "b"]);
        assert_eq!(found.exp, Some(1_700_000_000));
        assert_eq!(found.aud, ["api"]);
        assert_eq!(found.members["cnf"]["x5t#S256"], "abc");
        assert!(!serde_json::to_string(&found).unwrap().contains("opaque-token-value-1234"));
    }

    #[test]
    fn inactive_errors_and_oddities() {
        let found = parse_introspection(&answer(200, "application/json", r#"{"active":false}"#), &scrubber()).unwrap();
        assert!(!found.active && found.members.len() == 1);
        let found =
            parse_introspection(&answer(200, "application/json", r#"{"active":"true","scope":["x"]}"#), &scrubber())
                .unwrap();
        assert!(found.active && found.notes.len() == 2 && found.scope.as_deref() == Some("x"));
        let error = parse_introspection(
            &answer(
                401,
                "application/json",
                r#"{"error":"invalid_client","error_description":"bad opaque-token-value-1234"}"#,
            ),
            &scrubber(),
        )
        .unwrap_err();
        assert_eq!(error.oauth_error(), Some("invalid_client"));
        assert!(!error.to_string().contains("opaque-token-value-1234"), "{error}");
        let error = parse_introspection(&answer(200, "text/html", "<html>login</html>"), &scrubber()).unwrap_err();
        assert!(matches!(error, EndpointError::Unexpected { status: 200, .. }), "{error}");
        let error = parse_introspection(&answer(200, "application/json", r#"{"scope":"a"}"#), &scrubber()).unwrap_err();
        assert!(error.to_string().contains("\"active\""), "{error}");
    }
}
