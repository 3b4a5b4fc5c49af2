//! The profile form's fields (which, their text, their kind) and the checks that turn their text
//! into profile values.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use tui_input::Input;

use crate::core::model::profile::{AuthMethod, ScopeMatch, SecretSource};
use crate::core::model::secret::Secret;
use crate::core::store::profile_store::check_http_url;

/// One line of the form, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldId {
    Stem,
    Name,
    IssuerUrl,
    TokenEndpoint,
    JwksUri,
    ClientId,
    AuthMethod,
    SecretKind,
    SecretValue,
    PrivateKey,
    Certificate,
    AssertionAlg,
    KeyId,
    Scopes,
    ClientAudience,
    Resource,
    ExpectIssuer,
    ExpectAudience,
    Algorithms,
    Leeway,
    ScopeClaim,
    ScopeMatch,
    /// The endpoint list (its keys: `keymap::FORM_ENDPOINTS`).
    Endpoints,
    TlsCaFile,
    TlsInsecure,
    DpopAlg,
    DpopPrivateKey,
    Save,
}

/// How a field is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    /// ← → cycle through fixed values.
    Choice,
    Button,
    /// A list of its own (the endpoints).
    Section,
}

impl FieldId {
    pub const ALL: [FieldId; 28] = [
        FieldId::Stem,
        FieldId::Name,
        FieldId::IssuerUrl,
        FieldId::TokenEndpoint,
        FieldId::JwksUri,
        FieldId::ClientId,
        FieldId::AuthMethod,
        FieldId::SecretKind,
        FieldId::SecretValue,
        FieldId::PrivateKey,
        FieldId::Certificate,
        FieldId::AssertionAlg,
        FieldId::KeyId,
        FieldId::Scopes,
        FieldId::ClientAudience,
        FieldId::Resource,
        FieldId::ExpectIssuer,
        FieldId::ExpectAudience,
        FieldId::Algorithms,
        FieldId::Leeway,
        FieldId::ScopeClaim,
        FieldId::ScopeMatch,
        FieldId::Endpoints,
        FieldId::TlsCaFile,
        FieldId::TlsInsecure,
        FieldId::DpopAlg,
        FieldId::DpopPrivateKey,
        FieldId::Save,
    ];

    pub fn kind(self) -> FieldKind {
        match self {
            FieldId::SecretKind | FieldId::AuthMethod | FieldId::ScopeMatch | FieldId::TlsInsecure => FieldKind::Choice,
            FieldId::Save => FieldKind::Button,
            FieldId::Endpoints => FieldKind::Section,
            _ => FieldKind::Text,
        }
    }

    /// The profile key the field edits (the secret value's label depends on its kind).
    pub fn label(self) -> &'static str {
        match self {
            FieldId::Stem => "file name",
            FieldId::Name => "name",
            FieldId::IssuerUrl => "issuer.url",
            FieldId::TokenEndpoint => "issuer.token_endpoint",
            FieldId::JwksUri => "issuer.jwks_uri",
            FieldId::ClientId => "client.id",
            FieldId::SecretKind => "client.secret",
            FieldId::SecretValue => "  value",
            FieldId::AuthMethod => "client.auth_method",
            FieldId::PrivateKey => "client.private_key",
            FieldId::Certificate => "client.certificate",
            FieldId::AssertionAlg => "client.assertion_alg",
            FieldId::KeyId => "client.key_id",
            FieldId::Scopes => "client.scopes",
            FieldId::ClientAudience => "client.audience",
            FieldId::Resource => "client.resource",
            FieldId::ExpectIssuer => "expect.issuer",
            FieldId::ExpectAudience => "expect.audience",
            FieldId::Algorithms => "expect.algorithms",
            FieldId::Leeway => "expect.leeway_secs",
            FieldId::ScopeClaim => "expect.scope_claim",
            FieldId::ScopeMatch => "expect.scope_match",
            FieldId::Endpoints => "endpoints",
            FieldId::TlsCaFile => "tls.ca_file",
            FieldId::TlsInsecure => "tls.insecure",
            FieldId::DpopAlg => "dpop.alg",
            FieldId::DpopPrivateKey => "dpop.private_key",
            FieldId::Save => "",
        }
    }

    /// Shown dimmed in an empty text field.
    pub fn placeholder(self) -> &'static str {
        match self {
            FieldId::Stem => "a-z 0-9 - _",
            FieldId::Name => "display name (optional)",
            FieldId::IssuerUrl => "https://… (discovery base)",
            FieldId::TokenEndpoint | FieldId::JwksUri => "from discovery",
            FieldId::ClientId => "none: no token fetching",
            FieldId::Scopes => "space-separated",
            FieldId::ClientAudience | FieldId::Resource | FieldId::ExpectIssuer => "optional",
            FieldId::ExpectAudience => "space/comma-separated; empty: not checked",
            FieldId::Algorithms => "e.g. RS256 ES256",
            FieldId::Leeway => "0",
            FieldId::ScopeClaim => "scope, scp, permissions…",
            FieldId::PrivateKey => "file:keys/client.pem (PEM or JWK), env:VAR, cmd:…",
            FieldId::Certificate => "file:certs/client.pem (PEM chain; its key above)",
            FieldId::AssertionAlg => "from the key (RS256, ES256, EdDSA); HS256 with a secret",
            FieldId::KeyId => "optional kid of the assertion",
            FieldId::TlsCaFile => "extra trusted CAs (PEM), beside the profile; empty: the system's",
            FieldId::DpopAlg => "empty: no DPoP; ES256, ES384, EdDSA (RS256, PS256 with a key)",
            FieldId::DpopPrivateKey => "empty: a fresh key per run; file:keys/dpop.pem, env:VAR, cmd:…",
            _ => "",
        }
    }
}

/// A text field and the text it started with (unchanged text keeps the base profile's value).
#[derive(Clone, Default)]
pub struct TextField {
    pub input: Input,
    initial: String,
    /// A literal secret: never shown by `Debug`.
    pub(super) secret: bool,
}

impl TextField {
    pub(super) fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        TextField { input: Input::new(text.clone()), initial: text, secret: false }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub(super) fn changed(&self) -> bool {
        self.input.value() != self.initial
    }
}

impl fmt::Debug for TextField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.secret { f.write_str("[redacted]") } else { write!(f, "{:?}", self.input.value()) }
    }
}

/// Where the client secret comes from, as the form's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    Env,
    File,
    Cmd,
    Prompt,
    Literal,
}

impl SecretKind {
    pub const ALL: [SecretKind; 5] =
        [SecretKind::Env, SecretKind::File, SecretKind::Cmd, SecretKind::Prompt, SecretKind::Literal];

    pub fn of(source: &SecretSource) -> SecretKind {
        match source {
            SecretSource::Env(_) => SecretKind::Env,
            SecretSource::File(_) => SecretKind::File,
            SecretSource::Command(_) => SecretKind::Cmd,
            SecretSource::Prompt => SecretKind::Prompt,
            SecretSource::Literal(_) => SecretKind::Literal,
        }
    }

    pub fn index(self) -> usize {
        SecretKind::ALL.iter().position(|k| *k == self).unwrap_or(0)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SecretKind::Env => "env",
            SecretKind::File => "file",
            SecretKind::Cmd => "cmd",
            SecretKind::Prompt => "prompt",
            SecretKind::Literal => "literal",
        }
    }

    /// The label of the value line for this kind.
    pub fn value_label(self) -> &'static str {
        match self {
            SecretKind::Env => "  env var",
            SecretKind::File => "  file path",
            SecretKind::Cmd => "  command",
            SecretKind::Prompt => "  value",
            SecretKind::Literal => "  secret",
        }
    }

    pub fn placeholder(self) -> &'static str {
        match self {
            SecretKind::Env => "e.g. ORDERS_SK",
            SecretKind::File => "e.g. ~/.secrets/orders-sk",
            SecretKind::Cmd => "e.g. pass show orders/sk",
            SecretKind::Prompt => "",
            SecretKind::Literal => "the secret itself",
        }
    }

    /// The text of the value field for a source of this kind.
    pub fn text_of(source: &SecretSource) -> String {
        match source {
            SecretSource::Env(var) => var.clone(),
            SecretSource::File(path) => path.display().to_string(),
            SecretSource::Command(command) => command.clone(),
            SecretSource::Prompt => String::new(),
            SecretSource::Literal(secret) => secret.expose().to_owned(),
        }
    }
}

/// The choices of the choice fields, for cycling and display.
pub const AUTH_METHODS: [AuthMethod; 7] = AuthMethod::ALL;
pub const SCOPE_MATCHES: [ScopeMatch; 2] = [ScopeMatch::All, ScopeMatch::Any];

/// The element `delta` steps from `current` in `all`, wrapping around.
pub fn cycle<T: Copy + PartialEq>(all: &[T], current: T, delta: isize) -> T {
    let n = all.len() as isize;
    let at = all.iter().position(|x| *x == current).unwrap_or(0) as isize;
    all[(at + delta).rem_euclid(n) as usize]
}

/// The algorithms `jsonwebtoken` verifies, in their canonical spelling.
const ALGORITHMS: [&str; 12] =
    ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];

/// Splits a list field on whitespace (and commas when `commas`), dropping empty items.
pub fn split_list(text: &str, commas: bool) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || (commas && c == ','))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Trimmed text, `None` when empty.
pub fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// An optional http(s) URL.
pub fn optional_url(text: &str) -> Result<Option<String>, String> {
    match optional(text) {
        Some(url) => check_http_url(&url).map(|_| Some(url)),
        None => Ok(None),
    }
}

/// A file stem for a new profile: `[a-z0-9-_]`, and not one of the `taken` stems of `dir`.
pub fn check_new_stem(dir: &Path, taken: &BTreeSet<String>, stem: &str) -> Result<String, String> {
    let stem = stem.trim();
    if stem.is_empty() {
        return Err("required: the profile's file name, without .toml".to_owned());
    }
    if let Some(bad) = stem.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_')))
    {
        return Err(format!("\"{bad}\" is not allowed: use a-z, 0-9, - and _ only"));
    }
    if taken.contains(stem) {
        let path: PathBuf = dir.join(format!("{stem}.toml"));
        return Err(format!("{} exists already: choose another name", path.display()));
    }
    Ok(stem.to_owned())
}

/// Algorithm names, each one `jsonwebtoken` knows (any letter case, stored canonical); never "none".
pub fn parse_algorithms(text: &str) -> Result<Vec<String>, String> {
    let names = split_list(text, true);
    if names.is_empty() {
        return Err("list the algorithms the API accepts, e.g. RS256".to_owned());
    }
    names
        .iter()
        .map(|name| {
            if name.eq_ignore_ascii_case("none") {
                return Err("\"none\" is never accepted: unsigned tokens prove nothing".to_owned());
            }
            ALGORITHMS
                .iter()
                .find(|known| known.eq_ignore_ascii_case(name))
                .filter(|known| known.parse::<jsonwebtoken::Algorithm>().is_ok())
                .map(|known| (*known).to_owned())
                .ok_or_else(|| format!("unknown algorithm \"{name}\" (known: {})", ALGORITHMS.join(" ")))
        })
        .collect()
}

/// Seconds of clock leeway: an integer ≥ 0 (empty: 0).
pub fn parse_leeway(text: &str) -> Result<u64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    match text.parse::<u64>() {
        Ok(value) if i64::try_from(value).is_ok() => Ok(value),
        Ok(_) => Err("too large".to_owned()),
        Err(_) => Err(format!("\"{text}\" is not a whole number of seconds ≥ 0")),
    }
}

/// A key or certificate source as the form shows it: its profile text, but nothing for a
/// literal (a key written into the profile is never put on screen; left empty, it is kept).
pub fn source_text(source: Option<&SecretSource>) -> String {
    match source {
        Some(SecretSource::Literal(_)) | None => String::new(),
        Some(source) => source.to_profile_text(),
    }
}

/// A key or certificate source: `file:`, `env:`, `cmd:` or `prompt`, never a literal (a PEM
/// document does not fit one line of a form); empty is none.
pub fn document_source(text: &str) -> Result<Option<SecretSource>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match SecretSource::parse(text) {
        SecretSource::Literal(_) => Err("give where it is: file:PATH, env:VAR or cmd:COMMAND".to_owned()),
        source => Ok(Some(source)),
    }
}

/// The client assertion's algorithm: empty (from the key) or one of the known algorithms.
pub fn parse_assertion_alg(text: &str) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    parse_algorithms(text).and_then(|algs| match algs.as_slice() {
        [one] => Ok(Some(one.clone())),
        _ => Err("one algorithm".to_owned()),
    })
}

/// The secret source for a kind and its value text.
pub fn secret_source(kind: SecretKind, value: &str) -> Result<SecretSource, String> {
    let trimmed = value.trim();
    let required = |what: &str| Err(format!("required: {what} (or choose prompt)"));
    match kind {
        SecretKind::Prompt => Ok(SecretSource::Prompt),
        SecretKind::Env if trimmed.is_empty() => required("the environment variable's name"),
        SecretKind::Env if trimmed.contains(|c: char| c.is_whitespace() || c == '=') => {
            Err("an environment variable name has no spaces or \"=\"".to_owned())
        }
        SecretKind::Env => Ok(SecretSource::Env(trimmed.to_owned())),
        SecretKind::File if trimmed.is_empty() => required("the path of the file holding the secret"),
        SecretKind::File => Ok(SecretSource::File(PathBuf::from(trimmed))),
        SecretKind::Cmd if trimmed.is_empty() => required("the command printing the secret"),
        SecretKind::Cmd => Ok(SecretSource::Command(trimmed.to_owned())),
        SecretKind::Literal if value.is_empty() => required("the secret"),
        SecretKind::Literal if !SecretSource::parse(value).is_literal() => {
            Err("this reads as a source (env:, file:, cmd:, prompt): choose that kind instead".to_owned())
        }
        SecretKind::Literal => Ok(SecretSource::Literal(Secret::new(value))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_algorithms() {
        assert_eq!(split_list(" a, b  c,,", true), ["a", "b", "c"]);
        assert_eq!(split_list("a,b c", false), ["a,b", "c"]);
        assert_eq!(parse_algorithms("rs256 eddsa").unwrap(), ["RS256", "EdDSA"]);
        assert!(parse_algorithms("RS256 none").unwrap_err().contains("none"));
        assert!(parse_algorithms("ES512").unwrap_err().contains("ES512"));
        assert!(parse_algorithms(" ").is_err());
        assert_eq!(parse_leeway(""), Ok(0));
        assert_eq!(parse_leeway(" 30 "), Ok(30));
        assert!(parse_leeway("-1").is_err());
        assert!(parse_leeway(&u64::MAX.to_string()).is_err());
    }

    #[test]
    fn stems_and_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let taken = BTreeSet::from(["taken".to_owned()]);
        assert!(check_new_stem(dir.path(), &taken, "taken").unwrap_err().contains("exists"));
        assert!(check_new_stem(dir.path(), &taken, "Bad Name").is_err());
        assert_eq!(check_new_stem(dir.path(), &taken, "ok-1_x").unwrap(), "ok-1_x");
        assert_eq!(secret_source(SecretKind::Env, " SK "), Ok(SecretSource::Env("SK".into())));
        assert!(secret_source(SecretKind::Literal, "env:X").is_err());
        assert!(secret_source(SecretKind::Cmd, "").is_err());
        assert_eq!(secret_source(SecretKind::Prompt, "ignored"), Ok(SecretSource::Prompt));
    }
}
