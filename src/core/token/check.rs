//! The vocabulary of verification: what the API's verifier accepts, and one check's outcome
//! (name, pass/fail/skip, expected beside actual, the finding code of a failure).

use serde::Serialize;

use crate::core::findings::Code;
use crate::core::model::secret::Secret;
use crate::core::net::transport::TlsNeeds;
use crate::core::verifier::Rules;

/// What the API's verifier accepts (from a profile's `[expect]` or command-line flags).
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    pub algorithms: Vec<String>,
    pub issuer: Option<String>,
    pub audience: Vec<String>,
    pub leeway_secs: u64,
    pub jwks_uri: Option<String>,
    /// How the JWKS is fetched (the profile's `[tls]` and client certificate): two profiles
    /// naming one JWKS URL with different trust get their own fetches.
    pub jwks_tls: TlsNeeds,
    pub hmac_secret: Option<Secret>,
    pub now: i64,
    /// How exp, iat, nbf, aud and typ are judged: the stack's (`[expect] stack`, `--as`), or
    /// tokdbg's own by default.
    pub rules: Rules,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckName {
    Alg,
    Key,
    Signature,
    Exp,
    Nbf,
    Iss,
    Aud,
    Typ,
    Iat,
}

impl CheckName {
    pub fn label(self) -> &'static str {
        match self {
            CheckName::Alg => "alg",
            CheckName::Key => "key",
            CheckName::Signature => "signature",
            CheckName::Exp => "exp",
            CheckName::Nbf => "nbf",
            CheckName::Iss => "iss",
            CheckName::Aud => "aud",
            CheckName::Typ => "typ",
            CheckName::Iat => "iat",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Pass,
    Fail,
    Skip,
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: CheckName,
    pub status: CheckStatus,
    pub expected: Option<String>,
    pub actual: Option<String>,
    pub detail: String,
    /// The finding code a failure of this check stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<Code>,
}

impl Check {
    pub(crate) fn pass(
        name: CheckName,
        expected: Option<String>,
        actual: Option<String>,
        detail: impl Into<String>,
    ) -> Self {
        Self { name, status: CheckStatus::Pass, expected, actual, detail: detail.into(), code: None }
    }

    pub(crate) fn fail(
        name: CheckName,
        code: Code,
        expected: Option<String>,
        actual: Option<String>,
        detail: impl Into<String>,
    ) -> Self {
        Self { name, status: CheckStatus::Fail, expected, actual, detail: detail.into(), code: Some(code) }
    }

    pub(crate) fn skip(name: CheckName, actual: Option<String>, detail: impl Into<String>) -> Self {
        Self { name, status: CheckStatus::Skip, expected: None, actual, detail: detail.into(), code: None }
    }
}
