//! Token revocation (RFC 7009): ask the issuer to revoke a token. HTTP 200 means done, also
//! for a token the issuer does not know (§2.2); anything else is the endpoint's error.

use serde::Serialize;

use crate::core::net::http::Http;
use crate::core::net::transport::TlsNeeds;
use crate::core::oauth::client_post::{EndpointError, TokenPost, answer_error, unexpected};

const ENDPOINT: &str = "revocation";

/// The issuer accepted the revocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revoked {
    pub status: u16,
}

/// Sends the revocation request and reads the answer.
pub async fn revoke(post: &TokenPost, http: &Http, tls: &TlsNeeds) -> Result<Revoked, EndpointError> {
    let response = post.send_with(http, tls, ENDPOINT).await?;
    let scrubber = post.scrubber();
    if let Some(error) = answer_error(&response, ENDPOINT, &scrubber) {
        return Err(error);
    }
    // RFC 7009 §2.2: 200 is success; other 2xx are not what it says, but nothing failed.
    if response.status != 200 {
        return Err(unexpected(&response, ENDPOINT, &scrubber, "where RFC 7009 answers 200"));
    }
    Ok(Revoked { status: response.status })
}
