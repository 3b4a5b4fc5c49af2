//! A client's private key for `private_key_jwt`: read from PEM (PKCS#8, PKCS#1, SEC1) or a
//! private JWK, told apart (RSA, P-256, P-384, Ed25519), and made ready to sign, with the
//! public half's RFC 7638 thumbprint to compare with what the issuer has registered.
//!
//! Every error names the problem and its fix; none carries a byte of the key.

use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair, EcdsaSigningAlgorithm,
    Ed25519KeyPair, RsaKeyPair,
};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{Jwk, ThumbprintHash};
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::Value;

/// What kind of key it is: decides which algorithms it can sign with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Rsa { bits: usize },
    EcP256,
    EcP384,
    Ed25519,
}

impl KeyKind {
    /// As messages name it: "an RSA 2048-bit key", "a P-256 key".
    pub fn describe(self) -> String {
        match self {
            KeyKind::Rsa { bits } => format!("an RSA {bits}-bit key"),
            KeyKind::EcP256 => "a P-256 key".to_owned(),
            KeyKind::EcP384 => "a P-384 key".to_owned(),
            KeyKind::Ed25519 => "an Ed25519 key".to_owned(),
        }
    }

    /// The algorithm a key of this kind signs with unless told otherwise.
    pub fn default_algorithm(self) -> Algorithm {
        match self {
            KeyKind::Rsa { .. } => Algorithm::RS256,
            KeyKind::EcP256 => Algorithm::ES256,
            KeyKind::EcP384 => Algorithm::ES384,
            KeyKind::Ed25519 => Algorithm::EdDSA,
        }
    }

    /// Whether this key can sign with `alg`.
    pub fn fits(self, alg: Algorithm) -> bool {
        use Algorithm::*;
        match self {
            KeyKind::Rsa { .. } => matches!(alg, RS256 | RS384 | RS512 | PS256 | PS384 | PS512),
            KeyKind::EcP256 => alg == ES256,
            KeyKind::EcP384 => alg == ES384,
            KeyKind::Ed25519 => alg == EdDSA,
        }
    }
}

/// A private key, parsed and checked. `Debug` shows its kind and thumbprint, never the key.
#[derive(Clone)]
pub struct ClientKey {
    kind: KeyKind,
    encoding: EncodingKey,
    public: Jwk,
    /// The JWK's own `kid` and `alg`, when the key came as a JWK.
    jwk_kid: Option<String>,
    jwk_alg: Option<String>,
}

impl std::fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientKey").field("kind", &self.kind).field("thumbprint", &self.thumbprint()).finish()
    }
}

/// Why `client.private_key` cannot sign.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientKeyError {
    #[error("client.private_key is empty")]
    Empty,
    #[error(
        "client.private_key: an encrypted PKCS#8 key is not supported: decrypt it (openssl pkcs8 -in key.pem -out plain.pem) and keep the plain key where only you can read it (file: with mode 0600, or cmd: from a vault)"
    )]
    Encrypted,
    #[error(
        "client.private_key: a passphrase-protected {0} is not supported: decrypt it (openssl pkey -in key.pem -out plain.pem)"
    )]
    EncryptedLegacy(&'static str),
    #[error(
        "client.private_key is a public key, not a private one: the issuer holds the public half; tokdbg needs the private key that signs (-----BEGIN PRIVATE KEY-----)"
    )]
    PublicKey,
    #[error(
        "client.private_key is a certificate, not its private key: put the key (-----BEGIN PRIVATE KEY-----) in client.private_key, the certificate in client.certificate"
    )]
    Certificate,
    #[error(
        "client.private_key is an OpenSSH key: convert it to PKCS#8 (ssh-keygen -p -m PKCS8 -f key, on a copy) or export it as PEM"
    )]
    OpenSsh,
    #[error("client.private_key holds {0} private keys: keep only the one that signs the assertions")]
    SeveralKeys(usize),
    #[error("client.private_key: a PEM block labelled \"{0}\" is not a private key")]
    UnknownLabel(String),
    #[error("client.private_key is neither PEM (-----BEGIN PRIVATE KEY-----) nor a JWK (a JSON object with \"kty\")")]
    NotAKey,
    #[error("client.private_key: the {format} could not be read as a key ({reason})")]
    Malformed { format: &'static str, reason: String },
    #[error(
        "client.private_key is {0}, which tokdbg cannot sign with: use RSA (RS256), P-256 (ES256), P-384 (ES384) or Ed25519 (EdDSA)"
    )]
    UnsupportedKind(&'static str),
    #[error("client.private_key is an RSA {0}-bit key: too short to sign with (2048 bits at least)")]
    RsaTooShort(usize),
    #[error("client.private_key is a public JWK (no \"d\"), not a private one: the issuer holds the public half")]
    PublicJwk,
    #[error("client.private_key: the JWK has no \"{0}\" member (or it is not base64url)")]
    JwkMember(&'static str),
    #[error("client.private_key is a JWK set of {0} keys: put the one private key (the object inside \"keys\")")]
    JwkSet(usize),
    #[error(
        "client.private_key is a symmetric JWK (kty \"oct\"): that is a shared secret: use client_secret_jwt with it in client.secret"
    )]
    SymmetricJwk,
}

const RSA_OID: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
const RSA_PSS_OID: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A];
const P521_OID: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x23];
const SECP256K1_OID: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x0A];
const X25519_OID: &[u8] = &[0x2B, 0x65, 0x6E];
const ED448_OID: &[u8] = &[0x2B, 0x65, 0x71];

impl ClientKey {
    /// Reads a key from the whole text of `client.private_key`.
    pub fn parse(text: &str) -> Result<ClientKey, ClientKeyError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(ClientKeyError::Empty);
        }
        if trimmed.starts_with('{') {
            return from_jwk_text(trimmed);
        }
        if !trimmed.contains("-----BEGIN ") {
            return Err(ClientKeyError::NotAKey);
        }
        let blocks = pem::parse_many(trimmed)
            .map_err(|error| ClientKeyError::Malformed { format: "PEM", reason: error.to_string() })?;
        from_pem_blocks(&blocks)
    }

    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    /// The key, as jsonwebtoken signs with it.
    pub fn encoding_key(&self) -> &EncodingKey {
        &self.encoding
    }

    /// The public half as a JWK (no `kid`): what the issuer should have registered.
    pub fn public_jwk(&self) -> &Jwk {
        &self.public
    }

    /// The RFC 7638 SHA-256 thumbprint of the public half, base64url: a short, stable name
    /// for the key that does not depend on its format or `kid`.
    pub fn thumbprint(&self) -> String {
        self.public.thumbprint(ThumbprintHash::SHA256).unwrap_or_default()
    }

    /// The `kid` the JWK carried, if the key came as one.
    pub fn jwk_kid(&self) -> Option<&str> {
        self.jwk_kid.as_deref()
    }

    /// The `alg` the JWK carried, if the key came as one.
    pub fn jwk_alg(&self) -> Option<&str> {
        self.jwk_alg.as_deref()
    }

    fn new(kind: KeyKind, encoding: EncodingKey) -> Result<ClientKey, ClientKeyError> {
        let public = Jwk::from_encoding_key(&encoding, kind.default_algorithm())
            .map_err(|error| ClientKeyError::Malformed { format: "key", reason: error.to_string() })?;
        let mut public = public;
        // The thumbprint and the comparison with a registered JWKS use only the key's members.
        public.common.key_algorithm = None;
        Ok(ClientKey { kind, encoding, public, jwk_kid: None, jwk_alg: None })
    }
}

fn from_pem_blocks(blocks: &[pem::Pem]) -> Result<ClientKey, ClientKeyError> {
    let is_private = |tag: &str| matches!(tag, "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY");
    let private: Vec<&pem::Pem> = blocks.iter().filter(|block| is_private(block.tag())).collect();
    if blocks.iter().any(|block| block.tag() == "ENCRYPTED PRIVATE KEY") {
        return Err(ClientKeyError::Encrypted);
    }
    match private.as_slice() {
        [one] => from_private_block(one),
        [] => Err(match blocks.first().map(pem::Pem::tag) {
            Some("PUBLIC KEY" | "RSA PUBLIC KEY" | "EC PUBLIC KEY") => ClientKeyError::PublicKey,
            Some("CERTIFICATE") => ClientKeyError::Certificate,
            Some("OPENSSH PRIVATE KEY") => ClientKeyError::OpenSsh,
            Some(other) => ClientKeyError::UnknownLabel(other.to_owned()),
            None => ClientKeyError::NotAKey,
        }),
        several => Err(ClientKeyError::SeveralKeys(several.len())),
    }
}

fn from_private_block(block: &pem::Pem) -> Result<ClientKey, ClientKeyError> {
    let der = block.contents();
    let legacy_encrypted = block.headers().get("Proc-Type").is_some_and(|value| value.contains("ENCRYPTED"));
    match block.tag() {
        "RSA PRIVATE KEY" if legacy_encrypted => Err(ClientKeyError::EncryptedLegacy("PKCS#1 RSA key")),
        "EC PRIVATE KEY" if legacy_encrypted => Err(ClientKeyError::EncryptedLegacy("SEC1 EC key")),
        "RSA PRIVATE KEY" => rsa_from_pkcs1(der, "PKCS#1 RSA key"),
        "EC PRIVATE KEY" => ec_from_sec1(der),
        _ => from_pkcs8(der),
    }
}

/// PKCS#8 (`BEGIN PRIVATE KEY`): tried as each supported kind; if none fits, the algorithm
/// identifier (in the first bytes, before any key material) says what it is.
fn from_pkcs8(der: &[u8]) -> Result<ClientKey, ClientKeyError> {
    let head = &der[..der.len().min(40)];
    let names = |oid: &[u8]| head.windows(oid.len()).any(|window| window == oid);
    if names(RSA_OID) {
        return rsa_from_pkcs1(pkcs1_inside_pkcs8(der)?, "PKCS#8 RSA key");
    }
    for (alg, kind) in EC_CURVES {
        if EcdsaKeyPair::from_pkcs8(alg, der).is_ok() {
            return ClientKey::new(kind, EncodingKey::from_ec_der(der));
        }
    }
    if let Ok(pair) = Ed25519KeyPair::from_pkcs8(der) {
        // v1 for jsonwebtoken's public-half export, which expects exactly that length.
        let v1 = pair.to_pkcs8v1().map_err(|_| malformed("PKCS#8 Ed25519 key", "cannot re-encode"))?;
        return ClientKey::new(KeyKind::Ed25519, EncodingKey::from_ed_der(v1.as_ref()));
    }
    Err(if names(P521_OID) {
        ClientKeyError::UnsupportedKind("a P-521 key (ES512)")
    } else if names(SECP256K1_OID) {
        ClientKeyError::UnsupportedKind("a secp256k1 key (ES256K)")
    } else if names(RSA_PSS_OID) {
        ClientKeyError::UnsupportedKind("an RSA-PSS-only key (convert it to a plain RSA key)")
    } else if names(X25519_OID) {
        ClientKeyError::UnsupportedKind("an X25519 key (key agreement, not signatures)")
    } else if names(ED448_OID) {
        ClientKeyError::UnsupportedKind("an Ed448 key")
    } else {
        malformed("PKCS#8 key", "not RSA, P-256, P-384 or Ed25519, or damaged")
    })
}

const EC_CURVES: [(&EcdsaSigningAlgorithm, KeyKind); 2] =
    [(&ECDSA_P256_SHA256_FIXED_SIGNING, KeyKind::EcP256), (&ECDSA_P384_SHA384_FIXED_SIGNING, KeyKind::EcP384)];

fn malformed(format: &'static str, reason: &str) -> ClientKeyError {
    ClientKeyError::Malformed { format, reason: reason.to_owned() }
}

fn rsa_from_pkcs1(der: &[u8], format: &'static str) -> Result<ClientKey, ClientKeyError> {
    let bits = rsa_modulus_bits(der).ok_or_else(|| malformed(format, "unexpected structure"))?;
    // aws-lc refuses short moduli too, but with a code rather than the size.
    if bits < 2048 {
        return Err(ClientKeyError::RsaTooShort(bits));
    }
    RsaKeyPair::from_der(der).map_err(|error| malformed(format, error.description_()))?;
    ClientKey::new(KeyKind::Rsa { bits }, EncodingKey::from_rsa_der(der))
}

/// The size of the modulus of a PKCS#1 `RSAPrivateKey` (its second INTEGER).
fn rsa_modulus_bits(der: &[u8]) -> Option<usize> {
    let (_, key) = der_element(der, 0x30)?;
    let (rest, _version) = der_element(key, 0x02)?;
    let (_, modulus) = der_element(rest, 0x02)?;
    let significant = modulus.iter().skip_while(|byte| **byte == 0).count();
    let top = modulus.iter().find(|byte| **byte != 0).copied().unwrap_or(0);
    Some(significant.saturating_sub(1) * 8 + (8 - top.leading_zeros() as usize))
}

/// The PKCS#1 `RSAPrivateKey` inside a PKCS#8 `PrivateKeyInfo`, which is what jsonwebtoken
/// signs RSA with: the OCTET STRING after the version and the algorithm identifier.
fn pkcs1_inside_pkcs8(der: &[u8]) -> Result<&[u8], ClientKeyError> {
    let bad = || malformed("PKCS#8 RSA key", "unexpected structure");
    let (_, info) = der_element(der, 0x30).ok_or_else(bad)?;
    let (rest, _version) = der_element(info, 0x02).ok_or_else(bad)?;
    let (rest, _algorithm) = der_element(rest, 0x30).ok_or_else(bad)?;
    let (_, pkcs1) = der_element(rest, 0x04).ok_or_else(bad)?;
    Ok(pkcs1)
}

/// One DER element of tag `tag` at the start of `input`: (what follows it, its contents).
fn der_element(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&first, rest) = input.split_first()?;
    if first != tag {
        return None;
    }
    let (&length_byte, rest) = rest.split_first()?;
    let (length, rest) = if length_byte < 0x80 {
        (usize::from(length_byte), rest)
    } else {
        let count = usize::from(length_byte & 0x7F);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let length = rest[..count].iter().fold(0usize, |acc, byte| (acc << 8) | usize::from(*byte));
        (length, &rest[count..])
    };
    (rest.len() >= length).then(|| (&rest[length..], &rest[..length]))
}

fn ec_from_sec1(der: &[u8]) -> Result<ClientKey, ClientKeyError> {
    for (alg, kind) in EC_CURVES {
        if let Ok(pair) = EcdsaKeyPair::from_private_key_der(alg, der) {
            let pkcs8 = pair.to_pkcs8v1().map_err(|_| malformed("SEC1 EC key", "cannot re-encode"))?;
            return ClientKey::new(kind, EncodingKey::from_ec_der(pkcs8.as_ref()));
        }
    }
    Err(if der.windows(P521_OID.len()).any(|w| w == P521_OID) {
        ClientKeyError::UnsupportedKind("a P-521 key (ES512)")
    } else if der.windows(SECP256K1_OID.len()).any(|w| w == SECP256K1_OID) {
        ClientKeyError::UnsupportedKind("a secp256k1 key (ES256K)")
    } else {
        malformed("SEC1 EC key", "not P-256 or P-384, or damaged")
    })
}

fn from_jwk_text(text: &str) -> Result<ClientKey, ClientKeyError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|error| malformed("JWK", &format!("not JSON: {}", error_position(&error))))?;
    let jwk = match value.get("keys").and_then(Value::as_array) {
        Some(keys) if keys.len() == 1 => &keys[0],
        Some(keys) => return Err(ClientKeyError::JwkSet(keys.len())),
        None => &value,
    };
    let member = |name: &'static str| -> Result<Vec<u8>, ClientKeyError> {
        jwk.get(name)
            .and_then(Value::as_str)
            .and_then(|text| URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok())
            .ok_or(ClientKeyError::JwkMember(name))
    };
    let kty = jwk.get("kty").and_then(Value::as_str).ok_or(ClientKeyError::JwkMember("kty"))?;
    if kty != "oct" && jwk.get("d").is_none() {
        return Err(ClientKeyError::PublicJwk);
    }
    let crv = jwk.get("crv").and_then(Value::as_str).unwrap_or_default();
    let mut key = match (kty, crv) {
        ("RSA", _) => {
            let mut parts = Vec::new();
            for name in ["n", "e", "d", "p", "q", "dp", "dq", "qi"] {
                parts.push(member(name)?);
            }
            let pkcs1 = rsa_pkcs1_der(&parts);
            rsa_from_pkcs1(&pkcs1, "RSA JWK")?
        }
        ("EC", "P-256" | "P-384") => {
            let (alg, kind) = if crv == "P-256" { EC_CURVES[0] } else { EC_CURVES[1] };
            let mut point = vec![0x04];
            point.extend(member("x")?);
            point.extend(member("y")?);
            let pair = EcdsaKeyPair::from_private_key_and_public_key(alg, &member("d")?, &point)
                .map_err(|error| malformed("EC JWK", error.description_()))?;
            let pkcs8 = pair.to_pkcs8v1().map_err(|_| malformed("EC JWK", "cannot re-encode"))?;
            ClientKey::new(kind, EncodingKey::from_ec_der(pkcs8.as_ref()))?
        }
        ("EC", "P-521") => return Err(ClientKeyError::UnsupportedKind("a P-521 key (ES512)")),
        ("EC", "secp256k1") => return Err(ClientKeyError::UnsupportedKind("a secp256k1 key (ES256K)")),
        ("OKP", "Ed25519") => {
            let pair = Ed25519KeyPair::from_seed_and_public_key(&member("d")?, &member("x")?)
                .map_err(|error| malformed("Ed25519 JWK", error.description_()))?;
            let pkcs8 = pair.to_pkcs8v1().map_err(|_| malformed("Ed25519 JWK", "cannot re-encode"))?;
            ClientKey::new(KeyKind::Ed25519, EncodingKey::from_ed_der(pkcs8.as_ref()))?
        }
        ("OKP", "X25519") => {
            return Err(ClientKeyError::UnsupportedKind("an X25519 key (key agreement, not signatures)"));
        }
        ("OKP", "Ed448") => return Err(ClientKeyError::UnsupportedKind("an Ed448 key")),
        ("oct", _) => return Err(ClientKeyError::SymmetricJwk),
        _ => return Err(malformed("JWK", &format!("kty \"{kty}\" crv \"{crv}\" is not a signing key tokdbg knows"))),
    };
    key.jwk_kid = jwk.get("kid").and_then(Value::as_str).map(str::to_owned);
    key.jwk_alg = jwk.get("alg").and_then(Value::as_str).map(str::to_owned);
    Ok(key)
}

/// Where a JSON error is, without echoing the text (which holds the key).
fn error_position(error: &serde_json::Error) -> String {
    format!("line {} column {}", error.line(), error.column())
}

/// RFC 8017 A.1.2 `RSAPrivateKey` (two-prime), DER: the JWK's members as unsigned INTEGERs.
fn rsa_pkcs1_der(parts: &[Vec<u8>]) -> Vec<u8> {
    let mut body = der_integer(&[0]);
    for part in parts {
        body.extend(der_integer(part));
    }
    der_wrap(0x30, body)
}

fn der_integer(unsigned: &[u8]) -> Vec<u8> {
    let trimmed: &[u8] = match unsigned.iter().position(|byte| *byte != 0) {
        Some(first) => &unsigned[first..],
        None => &[0],
    };
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed[0] & 0x80 != 0 {
        content.push(0);
    }
    content.extend_from_slice(trimmed);
    der_wrap(0x02, content)
}

fn der_wrap(tag: u8, content: Vec<u8>) -> Vec<u8> {
    let mut out = vec![tag];
    let length = content.len();
    if length < 0x80 {
        out.push(length as u8);
    } else {
        let bytes: Vec<u8> = length.to_be_bytes().into_iter().skip_while(|byte| *byte == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend(content);
    out
}

#[cfg(test)]
#[path = "client_key_tests.rs"]
mod tests;
