//! RFC 6750 itself: the Bearer error codes, and the RFC's own example description.

use super::{Dialect, Kind, Tier, rule};
use crate::core::server_message::ServerDialect;

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::Rfc6750,
    rules: &[
        // §6.2.2's description of invalid_token, sent verbatim by Authlib (authlib/oauth2/rfc6750/
        // errors.py InvalidTokenError) and node-oauth2-server: it names every cause, so none.
        rule(Tier::NoCause, "expired, revoked, malformed, or invalid for other reasons", Kind::InvalidToken),
        rule(Tier::Scope, "insufficient_scope", Kind::InsufficientScope),
        // §3's example: `error_description="The access token expired"`.
        rule(Tier::Expired, "the access token expired", Kind::Expired),
    ],
    key_outage: &[],
    generic_invalid: &["invalid_token"],
    challenge_codes: &[("insufficient_scope", Kind::InsufficientScope), ("invalid_token", Kind::InvalidToken)],
    detect: None,
    wording: None,
};
