//! Issuer dialects: which product an issuer is (from its URL, its discovery document or the
//! shape of its token endpoint's errors), what that product's token-endpoint phrases mean,
//! and where its console keeps the setting to change. One module per product; fix wording
//! names a product only when that product was detected, so no vendor gets another's words.

mod auth0;
mod authing;
mod entra;
mod glewlwyd;
mod keycloak;
mod oidc_provider;
mod okta;

use serde_json::Value;

use crate::core::findings::Code;
use crate::core::model::profile::Profile;
use crate::core::oauth::token_request::TokenError;

/// The issuer's product, as far as its URL, discovery document or error shape tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuerVendor {
    OidcProvider,
    Keycloak,
    Auth0,
    Okta,
    EntraId,
    Authing,
    Glewlwyd,
    /// Nothing recognisable: advice names no product.
    Unknown,
}

/// Every dialect, in the order detection asks them: hosted products (told by their host)
/// before the self-hosted ones (told by a path or a document's shape), and oidc-provider,
/// whose defaults other products share, last.
const DIALECTS: [&IssuerDialect; 7] = [
    &authing::DIALECT,
    &auth0::DIALECT,
    &okta::DIALECT,
    &entra::DIALECT,
    &keycloak::DIALECT,
    &glewlwyd::DIALECT,
    &oidc_provider::DIALECT,
];

/// No product: plain words only.
const PLAIN: Console =
    Console { scopes: "", grant: "", credentials: "", auth_method: "", target: "", rs256: None, refused: "" };

impl IssuerVendor {
    /// The product's name as its vendor writes it ("" when unknown).
    pub fn name(self) -> &'static str {
        self.dialect().map_or("", |d| d.name)
    }

    /// A stable snake_case id (for fixtures and JSON).
    pub fn id(self) -> &'static str {
        match self {
            IssuerVendor::OidcProvider => "oidc_provider",
            IssuerVendor::Keycloak => "keycloak",
            IssuerVendor::Auth0 => "auth0",
            IssuerVendor::Okta => "okta",
            IssuerVendor::EntraId => "entra_id",
            IssuerVendor::Authing => "authing",
            IssuerVendor::Glewlwyd => "glewlwyd",
            IssuerVendor::Unknown => "unknown",
        }
    }

    fn dialect(self) -> Option<&'static IssuerDialect> {
        DIALECTS.into_iter().find(|d| d.vendor == self)
    }

    /// Where this product's console keeps each setting (plain words when unknown).
    pub fn console(self) -> &'static Console {
        self.dialect().map_or(&PLAIN, |d| &d.console)
    }

    /// From the profile's URLs alone: the issuer, else the token endpoint, else the expected issuer.
    pub fn of(profile: &Profile) -> Self {
        Self::detect(&Clues::of_profile(profile))
    }

    /// The detected product from every clue there is: the URLs first (in the order given),
    /// then the discovery document, then the shape of the token endpoint's error.
    pub fn detect(clues: &Clues<'_>) -> Self {
        for url in clues.urls.iter().filter_map(|u| url::Url::parse(u).ok()) {
            if let Some(d) = DIALECTS.into_iter().find(|d| (d.by_url)(&url)) {
                return d.vendor;
            }
        }
        if let Some(d) = clues.document.and_then(|doc| DIALECTS.into_iter().find(|d| (d.by_document)(doc))) {
            return d.vendor;
        }
        if let Some(answer) = clues.error.and_then(Answer::of)
            && let Some(d) = DIALECTS.into_iter().find(|d| (d.by_answer)(&answer))
        {
            return d.vendor;
        }
        IssuerVendor::Unknown
    }
}

/// What can tell an issuer's product apart; each part optional.
#[derive(Debug, Default, Clone)]
pub struct Clues<'a> {
    /// The issuer URL, the token endpoint, the expected issuer: whichever are known.
    pub urls: Vec<&'a str>,
    /// The issuer's discovery document, when it was read.
    pub document: Option<&'a Value>,
    /// The token endpoint's error, when it answered one.
    pub error: Option<&'a TokenError>,
}

impl<'a> Clues<'a> {
    /// The profile's URLs: the issuer, the token endpoint, the expected issuer.
    pub fn of_profile(profile: &'a Profile) -> Self {
        let urls =
            [profile.issuer.url.as_deref(), profile.issuer.token_endpoint.as_deref(), profile.expect.issuer.as_deref()];
        Clues { urls: urls.into_iter().flatten().collect(), ..Clues::default() }
    }
}

/// What an issuer's refusal at the token endpoint means, whatever its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFailure {
    /// The secret (or the id with it) does not match.
    BadCredentials,
    /// The secret was right once and has expired.
    ExpiredSecret,
    /// No client of that id at this issuer (tenant, realm, domain).
    UnknownClient,
    /// The client authenticated otherwise than the issuer registered for it.
    WrongAuthMethod,
    /// The client was refused without a word: its credentials, its auth method, or a public
    /// client (Glewlwyd's bare 403).
    ClientRefused,
    /// The client may not use the client_credentials grant.
    GrantNotAllowed,
    /// A requested scope is not granted to this client, or not known.
    ScopeNotGranted,
    /// The audience or resource is not known, or not authorised for this client.
    UnknownTarget,
}

impl TokenFailure {
    /// The finding code for this failure.
    pub fn code(self) -> Code {
        match self {
            TokenFailure::BadCredentials
            | TokenFailure::ExpiredSecret
            | TokenFailure::UnknownClient
            | TokenFailure::WrongAuthMethod
            | TokenFailure::ClientRefused => Code::InvalidClient,
            TokenFailure::GrantNotAllowed => Code::UnauthorizedClient,
            TokenFailure::ScopeNotGranted => Code::InvalidScope,
            TokenFailure::UnknownTarget => Code::InvalidTarget,
        }
    }
}

/// What a token endpoint's refusal says, in the pieces a phrase is matched against.
#[derive(Debug, Clone)]
pub struct Answer<'a> {
    pub status: u16,
    /// The OAuth `error` (or a product's own code field).
    pub error: Option<&'a str>,
    /// `error_description` (or a product's own summary field).
    pub description: Option<&'a str>,
    /// The body as JSON, when it is JSON.
    pub json: Option<Value>,
    /// Nothing but a status: an empty body.
    pub bare: bool,
}

impl<'a> Answer<'a> {
    /// The refusal's pieces; `None` when no answer came (a network failure, a redirect).
    pub fn of(error: &'a TokenError) -> Option<Self> {
        match error {
            TokenError::OAuth { status, error, description, raw_body, .. } => Some(Answer {
                status: *status,
                error: Some(error),
                description: description.as_deref(),
                json: serde_json::from_str(raw_body).ok(),
                bare: false,
            }),
            TokenError::NotOAuth { status, body, .. } => {
                let json: Option<Value> = serde_json::from_str(body).ok();
                Some(Answer { status: *status, error: None, description: None, json, bare: body.trim().is_empty() })
            }
            TokenError::Http(_) | TokenError::Redirected { .. } | TokenError::ClientAuth(_) => None,
        }
    }

    /// A string field of the JSON body.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.json.as_ref()?.get(name)?.as_str()
    }

    /// The code, from `error` or a product's own field (Okta's `errorCode`).
    fn code(&self) -> Option<&str> {
        self.error.or_else(|| self.field("errorCode"))
    }

    /// The description, from `error_description` or a product's own field (Okta's `errorSummary`).
    fn said(&self) -> Option<&str> {
        self.description.or_else(|| self.field("errorSummary"))
    }
}

/// How a phrase is recognised in an answer (text compared case-insensitively).
#[derive(Debug, Clone, Copy)]
pub enum Said {
    /// The error code is exactly this.
    Code(&'static str),
    /// The error code is `.0` and the description is exactly `.1`.
    CodeAndIs(&'static str, &'static str),
    /// The description starts with this.
    Starts(&'static str),
    /// The description contains this.
    Has(&'static str),
    /// An empty body with this status.
    Bare(u16),
}

/// One of a product's token-endpoint phrases and what it means.
#[derive(Debug, Clone, Copy)]
pub struct Phrase {
    pub said: Said,
    pub means: TokenFailure,
}

impl Phrase {
    fn matches(&self, answer: &Answer<'_>) -> bool {
        let eq = |a: Option<&str>, b: &str| a.is_some_and(|a| a.trim().eq_ignore_ascii_case(b));
        let said = answer.said().map(str::to_lowercase);
        match self.said {
            Said::Code(code) => eq(answer.code(), code),
            Said::CodeAndIs(code, text) => eq(answer.code(), code) && eq(answer.said(), text),
            Said::Starts(text) => said.is_some_and(|s| s.trim_start().starts_with(&text.to_lowercase())),
            Said::Has(text) => said.is_some_and(|s| s.contains(&text.to_lowercase())),
            Said::Bare(status) => answer.bare && answer.status == status,
        }
    }
}

/// Where a product's console keeps each setting, each as " (Product: where)" or "".
#[derive(Debug)]
pub struct Console {
    /// Where scopes are granted to a client.
    pub scopes: &'static str,
    /// Where the client_credentials grant is enabled for a client.
    pub grant: &'static str,
    /// Where the client's id and secret are shown or renewed.
    pub credentials: &'static str,
    /// Where the client's token endpoint authentication method is set.
    pub auth_method: &'static str,
    /// Where an API's identifier (audience, resource) is registered and authorised.
    pub target: &'static str,
    /// The whole fix for an HS256 token where RS256 is wanted, when the product has its own.
    pub rs256: Option<&'static str>,
    /// The whole fix for a refusal without a word, when the product answers that way.
    pub refused: &'static str,
}

/// One product: how to tell it, its phrases, its console.
pub struct IssuerDialect {
    pub vendor: IssuerVendor,
    pub name: &'static str,
    by_url: fn(&url::Url) -> bool,
    by_document: fn(&Value) -> bool,
    by_answer: fn(&Answer<'_>) -> bool,
    phrases: &'static [Phrase],
    pub console: Console,
}

/// What the refusal means: in the detected product's phrases first, then in any product's
/// (a phrase read from another product's list gives a code, never that product's wording).
/// A bare status is read only in the dialect detected, since it says nothing on its own.
pub fn read_token_error(vendor: IssuerVendor, error: &TokenError) -> Option<TokenFailure> {
    let answer = Answer::of(error)?;
    let own = vendor.dialect().and_then(|d| d.phrases.iter().find(|p| p.matches(&answer)));
    own.or_else(|| {
        DIALECTS
            .into_iter()
            .flat_map(|d| d.phrases.iter())
            .filter(|p| !matches!(p.said, Said::Bare(_)))
            .find(|p| p.matches(&answer))
    })
    .map(|p| p.means)
}

/// A URL's host is `suffix` or one of its subdomains.
fn host_is(url: &url::Url, suffix: &str) -> bool {
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    host == suffix || host.ends_with(&format!(".{suffix}"))
}

/// A string field of a discovery document.
fn doc_str<'a>(doc: &'a Value, name: &str) -> Option<&'a str> {
    doc.get(name)?.as_str()
}

/// The path of a URL-valued field of a discovery document.
fn doc_path(doc: &Value, name: &str) -> Option<String> {
    doc_str(doc, name).and_then(|u| url::Url::parse(u).ok()).map(|u| u.path().to_owned())
}

#[cfg(test)]
mod tests;
