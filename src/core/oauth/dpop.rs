//! DPoP proofs (RFC 9449) as values: the key that signs them, a proof's header and claims,
//! `htu` normalised (§4.2), `ath` (§4.3) and the key's thumbprint (`cnf.jkt`, RFC 7638). No I/O.

use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, ThumbprintHash};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;

use crate::core::model::secret::{Secret, redact_token};

/// The `alg`s tokdbg signs proofs with (see [`DpopConfig::ALGS`]).
pub const DPOP_ALGS: &[&str] = crate::core::model::profile::DpopConfig::ALGS;

/// Why no proof could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DpopError {
    #[error("dpop.alg \"{0}\" is not one tokdbg signs proofs with (ES256, ES384, EdDSA, RS256, PS256)")]
    UnsupportedAlg(String),
    #[error("dpop.alg {0} needs a dpop.private_key (tokdbg generates only ES256, ES384 and EdDSA keys)")]
    NeedsKey(String),
    #[error("the DPoP private key is unusable for {alg}: {reason}")]
    BadKey { alg: String, reason: String },
    #[error("the DPoP proof could not be signed: {0}")]
    Signing(String),
    #[error("the URL \"{0}\" cannot be a proof's htu")]
    BadUrl(String),
}

/// A proof key: private half (never shown), public JWK and its thumbprint.
pub struct DpopKey {
    alg: Algorithm,
    encoding: EncodingKey,
    public_jwk: Jwk,
    thumbprint: String,
    generated: bool,
}

impl std::fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The private half stays out of every debug print.
        f.debug_struct("DpopKey").field("alg", &self.alg).field("jkt", &self.thumbprint).finish_non_exhaustive()
    }
}

fn parse_alg(alg: &str) -> Result<Algorithm, DpopError> {
    DPOP_ALGS
        .iter()
        .find(|known| known.eq_ignore_ascii_case(alg.trim()))
        .and_then(|known| Algorithm::from_str(known).ok())
        .ok_or_else(|| DpopError::UnsupportedAlg(alg.to_owned()))
}

impl DpopKey {
    /// A fresh key for this run (ES256, ES384 or EdDSA).
    pub fn generate(alg: &str) -> Result<DpopKey, DpopError> {
        use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING};
        use aws_lc_rs::signature::{EcdsaKeyPair, Ed25519KeyPair};
        let algorithm = parse_alg(alg)?;
        let failed = |what: &str| DpopError::BadKey { alg: alg.to_owned(), reason: what.to_owned() };
        let encoding = match algorithm {
            Algorithm::ES256 | Algorithm::ES384 => {
                let curve = if algorithm == Algorithm::ES256 {
                    &ECDSA_P256_SHA256_FIXED_SIGNING
                } else {
                    &ECDSA_P384_SHA384_FIXED_SIGNING
                };
                let pair = EcdsaKeyPair::generate(curve).map_err(|_| failed("key generation failed"))?;
                let der = pair.to_pkcs8v1().map_err(|_| failed("key encoding failed"))?;
                EncodingKey::from_ec_der(der.as_ref())
            }
            Algorithm::EdDSA => {
                let pair = Ed25519KeyPair::generate().map_err(|_| failed("key generation failed"))?;
                let der = pair.to_pkcs8v1().map_err(|_| failed("key encoding failed"))?;
                EncodingKey::from_ed_der(der.as_ref())
            }
            _ => return Err(DpopError::NeedsKey(alg.to_owned())),
        };
        Self::from_encoding(algorithm, encoding, true)
    }

    /// The key in `document`: a PEM private key (PKCS#8, PKCS#1, SEC1) or a private JWK
    /// (EC or OKP; an RSA key as PEM).
    pub fn from_document(alg: &str, document: &str) -> Result<DpopKey, DpopError> {
        let algorithm = parse_alg(alg)?;
        let bad = |reason: String| DpopError::BadKey { alg: alg.to_owned(), reason };
        let text = document.trim();
        let encoding = if text.starts_with('{') {
            private_jwk_to_der(algorithm, text).map_err(bad)?
        } else {
            let bytes = text.as_bytes();
            match algorithm {
                Algorithm::ES256 | Algorithm::ES384 => EncodingKey::from_ec_pem(bytes),
                Algorithm::EdDSA => EncodingKey::from_ed_pem(bytes),
                _ => EncodingKey::from_rsa_pem(bytes),
            }
            .map_err(|e| bad(format!("not a PEM private key of that kind ({e})")))?
        };
        Self::from_encoding(algorithm, encoding, false)
    }

    fn from_encoding(alg: Algorithm, encoding: EncodingKey, generated: bool) -> Result<DpopKey, DpopError> {
        let name = format!("{alg:?}");
        let mut public_jwk = Jwk::from_encoding_key(&encoding, alg)
            .map_err(|e| DpopError::BadKey { alg: name.clone(), reason: e.to_string() })?;
        // The header's jwk names the key only; its `alg` is the proof header's job.
        public_jwk.common.key_algorithm = None;
        let thumbprint = public_jwk
            .thumbprint(ThumbprintHash::SHA256)
            .map_err(|e| DpopError::BadKey { alg: name.clone(), reason: e.to_string() })?;
        let key = DpopKey { alg, encoding, public_jwk, thumbprint, generated };
        // A key whose curve does not fit the alg (a P-384 key for ES256) fails here, at load,
        // not as a server's invalid_dpop_proof.
        key.sign(ProofClaims::new("POST", "https://check.invalid/", 0)).map(|_| key)
    }

    pub fn alg(&self) -> &'static str {
        match self.alg {
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::EdDSA => "EdDSA",
            Algorithm::RS256 => "RS256",
            _ => "PS256",
        }
    }

    /// The RFC 7638 SHA-256 thumbprint of the public key: what a bound token's `cnf.jkt` holds.
    pub fn thumbprint(&self) -> &str {
        &self.thumbprint
    }

    /// Whether the key was generated for this run (no `dpop.private_key`).
    pub fn generated(&self) -> bool {
        self.generated
    }

    /// Signs a proof of `claims`.
    pub fn sign(&self, claims: ProofClaims) -> Result<Proof, DpopError> {
        let mut header = Header::new(self.alg);
        header.typ = Some("dpop+jwt".to_owned());
        header.jwk = Some(self.public_jwk.clone());
        let compact =
            jsonwebtoken::encode(&header, &claims, &self.encoding).map_err(|e| DpopError::Signing(e.to_string()))?;
        let view = ProofView {
            header: serde_json::to_value(&header).unwrap_or_default(),
            claims: serde_json::to_value(&claims).unwrap_or_default(),
        };
        Ok(Proof { compact: Secret::new(compact), view })
    }
}

/// A private EC or OKP JWK as the DER jsonwebtoken signs with.
fn private_jwk_to_der(alg: Algorithm, text: &str) -> Result<EncodingKey, String> {
    use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING};
    use aws_lc_rs::signature::{EcdsaKeyPair, Ed25519KeyPair};
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| "not a JSON Web Key".to_owned())?;
    let member = |name: &str| {
        value
            .get(name)
            .and_then(|v| v.as_str())
            .and_then(|s| URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok())
            .ok_or_else(|| format!("the JWK has no usable \"{name}\""))
    };
    let jwk: Jwk = serde_json::from_value(value.clone()).map_err(|e| format!("not a JSON Web Key ({e})"))?;
    match (&jwk.algorithm, alg) {
        (AlgorithmParameters::EllipticCurve(ec), Algorithm::ES256 | Algorithm::ES384) => {
            let curve = match ec.curve {
                EllipticCurve::P256 => &ECDSA_P256_SHA256_FIXED_SIGNING,
                EllipticCurve::P384 => &ECDSA_P384_SHA384_FIXED_SIGNING,
                _ => return Err("the JWK's curve is not P-256 or P-384".to_owned()),
            };
            let (x, y, d) = (member("x")?, member("y")?, member("d")?);
            let public = [&[0x04u8][..], &x, &y].concat();
            let pair = EcdsaKeyPair::from_private_key_and_public_key(curve, &d, &public)
                .map_err(|_| "the JWK's d, x and y are not one P-curve key".to_owned())?;
            let der = pair.to_pkcs8v1().map_err(|_| "key encoding failed".to_owned())?;
            Ok(EncodingKey::from_ec_der(der.as_ref()))
        }
        (AlgorithmParameters::OctetKeyPair(_), Algorithm::EdDSA) => {
            let seed = member("d")?;
            let pair = Ed25519KeyPair::from_seed_unchecked(&seed).map_err(|_| "the JWK's d is not an Ed25519 seed")?;
            let der = pair.to_pkcs8v1().map_err(|_| "key encoding failed".to_owned())?;
            Ok(EncodingKey::from_ed_der(der.as_ref()))
        }
        _ => Err("give an RSA key as PEM, and an EC or OKP JWK for ES256/ES384/EdDSA".to_owned()),
    }
}

/// A proof's claims (RFC 9449 §4.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProofClaims {
    pub jti: String,
    pub htm: String,
    pub htu: String,
    pub iat: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ath: Option<String>,
}

impl ProofClaims {
    /// Claims for a request `method` `url` at `iat`, with a fresh random `jti`; `url` is taken
    /// as is (normalise it with [`htu`] first).
    pub fn new(method: &str, url: &str, iat: i64) -> ProofClaims {
        ProofClaims {
            jti: super::jti::random_jti(),
            htm: method.trim().to_ascii_uppercase(),
            htu: url.to_owned(),
            iat,
            nonce: None,
            ath: None,
        }
    }
}

/// A signed proof: the compact form goes in the `DPoP` header only; the view is what is shown.
#[derive(Debug, Clone)]
pub struct Proof {
    pub compact: Secret,
    pub view: ProofView,
}

impl Proof {
    /// The proof as a request view shows it: header and claims, signature redacted.
    pub fn shown(&self) -> String {
        redact_token(self.compact.expose())
    }
}

/// A proof decoded for showing: its header and claims, never its signature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProofView {
    pub header: serde_json::Value,
    pub claims: serde_json::Value,
}

/// The `htu` of a request to `url` (RFC 9449 §4.2, RFC 3986 §6.2.2–6.2.3): no query or
/// fragment, scheme and host lower-case, the scheme's default port dropped, an empty path `/`.
pub fn htu(url: &str) -> Result<String, DpopError> {
    // The url crate does the syntax-based normalisation (case, default port, empty path).
    let mut parsed = url::Url::parse(url.trim()).map_err(|_| DpopError::BadUrl(url.to_owned()))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(DpopError::BadUrl(url.to_owned()));
    }
    parsed.set_query(None);
    parsed.set_fragment(None);
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    Ok(parsed.to_string())
}

/// `ath`: base64url SHA-256 of the access token's ASCII (RFC 9449 §4.2).
pub fn ath(access_token: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.as_ref())
}

#[cfg(test)]
#[path = "dpop_tests.rs"]
mod tests;
