//! An API's own verifier settings (issuer, JWKS URI, audience, algorithms, scopes) read from
//! its code and config files, each with file and line; one parser per source format, all
//! pure (text in, settings out). `walk` reads a tree, `compare` judges the settings against
//! the live issuer.

pub mod aspnet;
pub mod compare;
mod compare_token;
pub mod dotenv;
pub mod express;
mod fix;
pub mod live;
pub mod python;
mod scan;
pub mod spring;
pub mod walk;

use serde::{Serialize, Serializer};

pub use scan::Scanned;

/// Which verifier setting a value is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SettingKind {
    /// The exact `iss` the API accepts.
    Issuer,
    /// Where the API discovers its issuer (`issuerBaseURL`, ASP.NET `Authority`, a domain):
    /// the `iss` it accepts is the discovery document's.
    IssuerBaseUrl,
    JwksUri,
    Audience,
    Algorithms,
    /// The claim the scope check reads (`customScopeKey`, `authorities-claim-name`).
    ScopeClaim,
    /// The scopes a route requires (`jwtAuthz([...])`).
    RequiredScopes,
    /// `any` or `all` of the required scopes (`checkAllScopes`).
    ScopeMatch,
    /// Another setting worth showing (its name in snake_case), never compared.
    Other(&'static str),
}

impl SettingKind {
    /// The name in JSON (`api_config[].setting`) and in the human table.
    pub fn as_str(&self) -> &'static str {
        match self {
            SettingKind::Issuer => "issuer",
            SettingKind::IssuerBaseUrl => "issuer_base_url",
            SettingKind::JwksUri => "jwks_uri",
            SettingKind::Audience => "audience",
            SettingKind::Algorithms => "algorithms",
            SettingKind::ScopeClaim => "scope_claim",
            SettingKind::RequiredScopes => "required_scopes",
            SettingKind::ScopeMatch => "scope_match",
            SettingKind::Other(name) => name,
        }
    }
}

impl Serialize for SettingKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The stack (or file kind) a setting was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    Express,
    Spring,
    Aspnet,
    Python,
    Dotenv,
}

/// The syntax of the file a setting sits in: a fix is written in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Js,
    Yaml,
    Properties,
    Json,
    Python,
    Dotenv,
}

/// One verifier setting found in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiSetting {
    pub setting: SettingKind,
    /// The value written here (a list joined with ", "); `null` when only an env variable
    /// without a default gives it.
    pub value: Option<String>,
    /// The env variable that overrides (or alone gives) the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
    pub file: String,
    pub line: usize,
    pub format: SourceFormat,
    /// Not written but implied by the stack's default (express-jwt-authz reads `scope`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub implied: bool,
    /// A template (`${…}`, f-string): shown, never compared.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub templated: bool,
    /// The values one by one.
    #[serde(skip)]
    pub items: Vec<String>,
    /// The key as written (`jwksUri`, `issuer-uri`, `ValidIssuer`, `AUTH_ISSUER`).
    #[serde(skip)]
    pub key: String,
    /// The whole source line, for a fix that rewrites it.
    #[serde(skip)]
    pub line_text: String,
    /// The value's source text in that line (quotes included), replaced by a fix.
    #[serde(skip)]
    pub literal: Option<String>,
    #[serde(skip)]
    pub syntax: Syntax,
}

impl ApiSetting {
    /// A setting of `kind` under `key`, from `scanned`, at byte `at` of `text`.
    pub(crate) fn found(
        file: &str,
        text: &str,
        at: usize,
        kind: SettingKind,
        key: &str,
        scanned: Scanned,
        origin: (SourceFormat, Syntax),
    ) -> ApiSetting {
        let line = scan::line_of(text, scanned.at.unwrap_or(at));
        ApiSetting::at_line(file, text, line, kind, key, scanned, origin)
    }

    /// [`ApiSetting::found`] when the parser knows the line.
    pub(crate) fn at_line(
        file: &str,
        text: &str,
        line: usize,
        kind: SettingKind,
        key: &str,
        scanned: Scanned,
        (format, syntax): (SourceFormat, Syntax),
    ) -> ApiSetting {
        let items: Vec<String> = scanned.items.iter().map(|item| clip(item)).collect();
        ApiSetting {
            setting: kind,
            value: (!items.is_empty()).then(|| items.join(", ")),
            env: scanned.env,
            file: file.to_owned(),
            line,
            format,
            implied: false,
            templated: scanned.templated,
            items,
            key: key.to_owned(),
            line_text: clip(scan::line_text(text, line)),
            literal: scanned.literal,
            syntax,
        }
    }

    /// `file:line`, the finding's evidence location.
    pub fn location(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }

    /// The values to compare: written here and fixed (not a template).
    pub fn comparable(&self) -> Option<&[String]> {
        (!self.items.is_empty() && !self.templated).then_some(self.items.as_slice())
    }
}

/// Values longer than this are cut: a setting is a URL or a name, not a document.
const MAX_VALUE_CHARS: usize = 512;
/// A file yields at most this many settings.
pub const MAX_SETTINGS_PER_FILE: usize = 200;

fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_VALUE_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The format a file name says, if it is one tokdbg reads.
pub fn classify(file_name: &str) -> Option<SourceFormat> {
    let lower = file_name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, ext)| ext).unwrap_or_default();
    if lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env") {
        Some(SourceFormat::Dotenv)
    } else if lower.starts_with("appsettings") && ext == "json" {
        Some(SourceFormat::Aspnet)
    } else if (lower.starts_with("application") || lower.starts_with("bootstrap"))
        && matches!(ext, "yml" | "yaml" | "properties")
    {
        Some(SourceFormat::Spring)
    } else if matches!(ext, "js" | "mjs" | "cjs" | "ts" | "mts" | "cts" | "jsx" | "tsx") && !lower.ends_with(".d.ts") {
        Some(SourceFormat::Express)
    } else if ext == "py" {
        Some(SourceFormat::Python)
    } else {
        None
    }
}

/// The settings of one file (`file` is how it is named in the output; `name` its file name).
pub fn parse_file(file: &str, name: &str, text: &str) -> Vec<ApiSetting> {
    let mut settings = match classify(name) {
        Some(SourceFormat::Express) => express::parse(file, text),
        Some(SourceFormat::Spring) if name.to_ascii_lowercase().ends_with(".properties") => {
            spring::parse_properties(file, text)
        }
        Some(SourceFormat::Spring) => spring::parse_yaml(file, text),
        Some(SourceFormat::Aspnet) => aspnet::parse(file, text),
        Some(SourceFormat::Python) => python::parse(file, text),
        Some(SourceFormat::Dotenv) => dotenv::parse(file, text),
        None => Vec::new(),
    };
    // A nested call (`expressJwtSecret` inside `jwt`) is seen twice: keep the first of each.
    let mut seen = std::collections::HashSet::new();
    settings.retain(|s| seen.insert((s.setting.clone(), s.line, s.value.clone(), s.env.clone())));
    settings.sort_by_key(|s| s.line);
    settings.truncate(MAX_SETTINGS_PER_FILE);
    settings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_choose_the_parser() {
        assert_eq!(classify("server.js"), Some(SourceFormat::Express));
        assert_eq!(classify("index.d.ts"), None);
        assert_eq!(classify("application-prod.yml"), Some(SourceFormat::Spring));
        assert_eq!(classify("application.properties"), Some(SourceFormat::Spring));
        assert_eq!(classify("appsettings.Development.json"), Some(SourceFormat::Aspnet));
        assert_eq!(classify("package.json"), None);
        assert_eq!(classify("main.py"), Some(SourceFormat::Python));
        assert_eq!(classify(".env.local"), Some(SourceFormat::Dotenv));
        assert_eq!(classify("README.md"), None);
    }
}
