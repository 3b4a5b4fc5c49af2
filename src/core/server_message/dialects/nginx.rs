//! nginx `auth_jwt` (NGINX Plus's ngx_http_auth_jwt_module and the open-source kjdev/nginx-auth-jwt): a bare error page whose only words are the Bearer challenge.

use super::{Answer, Dialect};
use crate::core::server_message::{ServerDialect, StackWording};

/// nginx writes the reason to its error log only: nothing here names a cause, the
/// challenge's `invalid_token` (or its absence, for no token) is read by the rfc6750
/// dialect. This dialect tells the stack, for the fix's words.
pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::Nginx,
    rules: &[],
    key_outage: &[],
    generic_invalid: &[],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// nginx's own error page (`<hr><center>nginx...`) or an empty body, from `server: nginx`:
/// nginx refused the call itself, not an application behind it.
fn detect(answer: &Answer<'_>) -> bool {
    let server = answer.header("server").is_some_and(|v| v.to_ascii_lowercase().starts_with("nginx"));
    let body = answer.trimmed_body();
    server && (body.is_empty() || body.contains("<center>nginx"))
}

pub(super) static WORDING: StackWording = StackWording {
    product: "nginx auth_jwt",
    issuer: "an auth_jwt_require check on $jwt_claim_iss",
    audience: "an auth_jwt_require check on $jwt_claim_aud",
    algorithms: "the keys in auth_jwt_key_file / auth_jwt_key_request (and auth_jwt_type)",
    jwks: "Check auth_jwt_key_request (its internal location must proxy to the issuer's jwks_uri, reachable from nginx) or auth_jwt_key_file (the issuer's current keys).",
    scope_claim: "an auth_jwt_require check on a map of $jwt_claim_{claim}",
    scope_check: "The API's scope check reads another place: check the auth_jwt_require variable's map (which $jwt_claim_ it reads, and how it matches a space-separated scope string).",
    hidden_cause: Some(
        "nginx answers only invalid_token: its error log (info level) names the reason (\"auth_jwt: rejected due to ...\").",
    ),
};

#[cfg(test)]
mod tests {
    use super::*;

    fn server_nginx() -> Vec<(String, String)> {
        vec![("server".to_owned(), "nginx/1.27.3".to_owned())]
    }

    #[test]
    fn only_nginx_own_page_is_nginx() {
        let headers = server_nginx();
        let page = "<html><body><center><h1>401 Authorization Required</h1></center><hr><center>nginx/1.27.3</center></body></html>";
        assert!(detect(&Answer::new(401, &headers, page)));
        assert!(detect(&Answer::new(401, &headers, "")));
        // An application's answer passed on by nginx as a reverse proxy is the application's.
        assert!(!detect(&Answer::new(401, &headers, r#"{"message":"jwt expired"}"#)));
    }
}
