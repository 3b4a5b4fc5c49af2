//! What is known about a token that was used: where it came from, its header, claims,
//! expiry and scopes (never its signature). A stage report of the pipeline.

use serde::Serialize;

use crate::core::clock;
use crate::core::token::jwt::{self, DecodeError, DecodedToken, NumericDate};
use crate::core::token::scopes::{self, GrantedScopes};

/// Where the token of a call came from (a JSON contract value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenSource {
    Fetched,
    Cached,
    Given,
    None,
}

/// What is known about the token used (never its signature).
#[derive(Debug, Clone, Serialize)]
pub struct TokenInfo {
    pub source: TokenSource,
    pub alg: Option<String>,
    pub kid: Option<String>,
    pub typ: Option<String>,
    /// Scopes read from the claim the API reads (`expect.scope_claim`).
    pub scopes: Option<Vec<String>>,
    pub expires_at: Option<i64>,
    /// "expires in 42 min", said as of when the token was described; data holds the instants.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<ExpiryPhrase>,
    pub size: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<serde_json::Map<String, serde_json::Value>>,
    /// Why the token could not be decoded, if it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decode_error: Option<String>,
    #[serde(skip)]
    pub decode_error_kind: Option<DecodeError>,
    #[serde(skip)]
    pub decoded: Option<DecodedToken>,
    /// Where scopes sit in this token, whichever claim.
    pub scope_claims: Vec<GrantedScopes>,
    /// When this run obtained the token (fetched, or first fetched for a cached one): views say
    /// "fetched 3 min ago" from it.
    #[serde(skip)]
    pub obtained_at: Option<i64>,
}

impl TokenInfo {
    pub fn none() -> Self {
        TokenInfo {
            source: TokenSource::None,
            alg: None,
            kid: None,
            typ: None,
            scopes: None,
            expires_at: None,
            expires: None,
            size: None,
            header: None,
            claims: None,
            decode_error: None,
            decode_error_kind: None,
            decoded: None,
            scope_claims: Vec::new(),
            obtained_at: None,
        }
    }

    pub fn describe(source: TokenSource, token: &str, scope_claim: &str, now: i64) -> Self {
        let mut info = TokenInfo { source, ..TokenInfo::none() };
        match jwt::decode(token) {
            Ok(decoded) => {
                info.alg = decoded.alg.clone();
                info.kid = decoded.kid.clone();
                info.typ = decoded.typ.clone();
                info.size = Some(decoded.size);
                info.scopes = scopes::granted_scopes(&decoded.claims, scope_claim).map(|g| g.scopes);
                info.scope_claims = scopes::scope_claims_present(&decoded.claims);
                if let NumericDate::Valid(exp) = decoded.numeric_date("exp") {
                    info.expires_at = Some(exp);
                    info.expires = Some(ExpiryPhrase { exp, at: now });
                }
                info.header = Some(decoded.header.clone());
                info.claims = Some(decoded.claims.clone());
                info.decoded = Some(decoded);
            }
            Err(error) => {
                info.size = Some(jwt::clean_pasted(token).len());
                info.decode_error = Some(error.to_string());
                info.decode_error_kind = Some(error);
            }
        }
        info
    }
}

/// An expiry and the instant it is told from; shown (and serialized) as "expires in 42 min" /
/// "expired 3 h ago".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpiryPhrase {
    pub exp: i64,
    pub at: i64,
}

impl std::fmt::Display for ExpiryPhrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&clock::expiry_phrase(self.exp, self.at))
    }
}

impl Serialize for ExpiryPhrase {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
