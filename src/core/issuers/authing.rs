//! Authing: apps on `*.authing.cn` (or `.co`) whose issuer is `…/oidc`; it signs with HS256 by
//! default and answers 200 with the scopes it refused in `rejected_scope`.

use serde_json::Value;

use super::{Answer, Console, IssuerDialect, IssuerVendor, Phrase, doc_str, host_is};

// No refusal wording of its own is documented: its token endpoint's errors are read by the
// standard codes (and any other dialect's phrases), its 200 + rejected_scope by token_request.
const PHRASES: &[Phrase] = &[];

pub(super) const DIALECT: IssuerDialect = IssuerDialect {
    vendor: IssuerVendor::Authing,
    name: "Authing",
    by_url,
    by_document,
    by_answer,
    phrases: PHRASES,
    console: Console {
        scopes: " (Authing: authorize the resource's action to the programmatic access account)",
        grant: " (Authing: app → Protocol/Authorization configuration → grant types → tick client_credentials, save)",
        credentials: " (Authing: the programmatic access account's AK and SK)",
        auth_method: " (Authing: app → Protocol configuration → token endpoint authentication method)",
        target: " (Authing: the resource must be defined and authorized to the programmatic access account)",
        rs256: Some(
            "The app signs with a shared secret (HS256 is Authing's default). Set the signing algorithm to RS256 in the app's advanced settings and fetch a new token.",
        ),
        refused: "",
    },
};

fn by_url(url: &url::Url) -> bool {
    host_is(url, "authing.cn") || host_is(url, "authing.co")
}

fn by_document(doc: &Value) -> bool {
    doc_str(doc, "issuer").and_then(|i| url::Url::parse(i).ok()).is_some_and(|u| by_url(&u))
}

fn by_answer(_: &Answer<'_>) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::issuers::tests::detects;

    #[test]
    fn told_by_host_only() {
        assert!(detects(IssuerVendor::Authing, &["https://acme.authing.cn/oidc"]));
        assert!(!detects(IssuerVendor::Authing, &["https://notauthing.cn/x"]));
        assert!(IssuerVendor::Authing.console().rs256.is_some_and(|t| t.contains("HS256")));
    }
}
