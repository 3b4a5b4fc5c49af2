//! `tokdbg decode`: header, claims, human times and scopes of any JWT, no key needed.

use serde_json::json;

use crate::core::clock;
use crate::core::token::jwt::{self, NumericDate};
use crate::core::token::scopes;

use super::args::Global;
use super::input::token_argument;
use super::outcome::{CliError, CmdResult, Exit};
use super::paint::Paint;
use super::render;
use super::stdout::out;

pub fn run(global: &Global, paint: &Paint, token: Option<&str>) -> CmdResult {
    let text = token_argument(token)?;
    // The error's own text already says an opaque token needs introspection.
    let decoded = jwt::decode(&text).map_err(|e| CliError {
        exit: Exit::Denied,
        kind: "malformed_token",
        message: format!("cannot decode the token: {e}"),
    })?;
    let now = clock::now_unix();
    if global.json {
        let mut times = serde_json::Map::new();
        for name in ["iat", "nbf", "exp"] {
            match decoded.numeric_date(name) {
                NumericDate::Valid(ts) => {
                    times.insert(
                        name.to_owned(),
                        json!({ "ts": ts, "utc": clock::format_rfc3339(ts), "relative": clock::relative(ts, now) }),
                    );
                }
                NumericDate::Invalid(raw) => {
                    times.insert(name.to_owned(), json!({ "invalid": raw }));
                }
                NumericDate::Absent => {}
            }
        }
        let expired = match decoded.numeric_date("exp") {
            NumericDate::Valid(exp) => Some(exp <= now),
            _ => None,
        };
        let value = json!({
            "header": decoded.header,
            "claims": decoded.claims,
            "alg": decoded.alg,
            "kid": decoded.kid,
            "typ": decoded.typ,
            "size": decoded.size,
            "unsigned": decoded.is_unsigned(),
            "times": times,
            "expired": expired,
            "scopes": scopes::scope_claims_present(&decoded.claims),
            "signature_checked": false,
        });
        super::stdout::json(&value);
    } else {
        out!("{}", render::decoded(paint, &decoded, now));
    }
    Ok(Exit::Ok)
}
