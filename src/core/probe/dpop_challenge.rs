//! Reads the `DPoP` challenge of `WWW-Authenticate` (RFC 9449 §7.1): `error`,
//! `error_description` and `algs`, from the headers as the tolerant parser splits them.

use serde::Serialize;

use super::www_authenticate;

/// A `DPoP` challenge's params.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DpopChallenge {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// The proof algorithms the server accepts (`algs`, space-separated).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub algs: Vec<String>,
}

/// The first `DPoP` challenge among the `WWW-Authenticate` values, if any.
pub fn dpop_challenge(values: &[String]) -> Option<DpopChallenge> {
    let challenge = values
        .iter()
        .flat_map(|value| www_authenticate::parse(value))
        .find(|challenge| challenge.scheme.eq_ignore_ascii_case("dpop"))?;
    let text = |name: &str| challenge.param(name).map(str::to_owned);
    Some(DpopChallenge {
        error: text("error"),
        error_description: text("error_description"),
        algs: challenge.param("algs").map(|a| a.split_whitespace().map(str::to_owned).collect()).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_rfc_9449_examples() {
        // RFC 9449 §7.1 and §9.
        let values = vec![
            r#"DPoP algs="ES256 PS256", error="invalid_dpop_proof", error_description="Invalid DPoP key binding""#
                .to_owned(),
        ];
        let challenge = dpop_challenge(&values).unwrap();
        assert_eq!(challenge.error.as_deref(), Some("invalid_dpop_proof"));
        assert_eq!(challenge.error_description.as_deref(), Some("Invalid DPoP key binding"));
        assert_eq!(challenge.algs, ["ES256", "PS256"]);
        let nonce = vec![
            r#"Bearer realm="x""#.to_owned(),
            r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#
                .to_owned(),
        ];
        assert_eq!(dpop_challenge(&nonce).unwrap().error.as_deref(), Some("use_dpop_nonce"));
        assert_eq!(dpop_challenge(&[r#"Bearer error="invalid_token""#.to_owned()]), None);
        assert_eq!(dpop_challenge(&["DPoP".to_owned()]), Some(DpopChallenge::default()));
    }
}
