//! What a client authenticates with: the credentials its `auth_method` needs, as sources to read and, read, as values.

use crate::core::model::profile::{AuthMethod, ClientConfig};
use crate::core::model::secret::Secret;
use crate::core::model::secret_source::{SecretShape, SecretSource};

/// One credential field of `[client]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialField {
    Secret,
    PrivateKey,
    Certificate,
}

impl CredentialField {
    /// The profile field, as messages name it.
    pub fn label(self) -> &'static str {
        match self {
            CredentialField::Secret => "client.secret",
            CredentialField::PrivateKey => "client.private_key",
            CredentialField::Certificate => "client.certificate",
        }
    }

    /// A secret is one line; a key or a certificate chain is a whole document.
    pub fn shape(self) -> SecretShape {
        match self {
            CredentialField::Secret => SecretShape::Line,
            CredentialField::PrivateKey | CredentialField::Certificate => SecretShape::Document,
        }
    }
}

/// A credential the client's method (or its certificate) needs and the profile does not give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MissingCredential {
    #[error("client.auth_method = \"{}\" needs {}", .method.as_str(), .field.label())]
    ForMethod { method: AuthMethod, field: CredentialField },
    #[error("client.certificate needs its key in client.private_key")]
    CertificateKey,
}

/// Where each credential a token request needs comes from; `None` when it is not needed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CredentialSources {
    pub secret: Option<SecretSource>,
    pub private_key: Option<SecretSource>,
    pub certificate: Option<SecretSource>,
}

impl CredentialSources {
    /// Each needed source with its field, in the order they are read.
    pub fn fields(&self) -> impl Iterator<Item = (CredentialField, &SecretSource)> {
        [
            (CredentialField::Secret, self.secret.as_ref()),
            (CredentialField::PrivateKey, self.private_key.as_ref()),
            (CredentialField::Certificate, self.certificate.as_ref()),
        ]
        .into_iter()
        .filter_map(|(field, source)| source.map(|s| (field, s)))
    }
}

/// The credentials, read. `Debug` shows none of them (`Secret` redacts).
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    pub secret: Option<Secret>,
    pub private_key: Option<Secret>,
    pub certificate: Option<Secret>,
}

impl Credentials {
    /// Only a client secret (the `client_secret_*` methods).
    pub fn secret(secret: Secret) -> Self {
        Credentials { secret: Some(secret), ..Credentials::default() }
    }

    /// Sets the value read for `field`.
    pub fn set(&mut self, field: CredentialField, value: Secret) {
        match field {
            CredentialField::Secret => self.secret = Some(value),
            CredentialField::PrivateKey => self.private_key = Some(value),
            CredentialField::Certificate => self.certificate = Some(value),
        }
    }
}

impl ClientConfig {
    /// What the profile's method needs that it does not give, if anything.
    pub fn missing_credential(&self) -> Option<MissingCredential> {
        self.credential_sources().err()
    }

    /// The sources a token request must read: the secret for the `client_secret_*` methods,
    /// the key for `private_key_jwt` and the mTLS methods, the certificate for the mTLS
    /// methods — and a certificate (with its key) whenever one is given, as it is presented
    /// on every connection to the token endpoint and the API.
    pub fn credential_sources(&self) -> Result<CredentialSources, MissingCredential> {
        let method = self.auth_method;
        let required = |wanted: bool, source: &Option<SecretSource>, field| match (wanted, source) {
            (true, None) => Err(MissingCredential::ForMethod { method, field }),
            (true, Some(source)) => Ok(Some(source.clone())),
            (false, _) => Ok(None),
        };
        let secret = required(method.uses_secret(), &self.secret, CredentialField::Secret)?;
        let mut private_key = required(method.uses_private_key(), &self.private_key, CredentialField::PrivateKey)?;
        let certificate = required(method.uses_certificate(), &self.certificate, CredentialField::Certificate)?
            .or_else(|| self.certificate.clone());
        if certificate.is_some() {
            private_key = Some(self.private_key.clone().ok_or(MissingCredential::CertificateKey)?);
        }
        Ok(CredentialSources { secret, private_key, certificate })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(method: AuthMethod) -> ClientConfig {
        ClientConfig {
            id: "app".to_owned(),
            secret: None,
            auth_method: method,
            private_key: None,
            certificate: None,
            assertion_alg: None,
            key_id: None,
            scopes: Vec::new(),
            audience: None,
            resource: None,
            extra: Default::default(),
        }
    }

    fn file(name: &str) -> Option<SecretSource> {
        Some(SecretSource::parse(&format!("file:{name}")))
    }

    #[test]
    fn secret_methods_need_the_secret_and_nothing_else() {
        let mut c = client(AuthMethod::ClientSecretJwt);
        assert_eq!(
            c.missing_credential(),
            Some(MissingCredential::ForMethod { method: AuthMethod::ClientSecretJwt, field: CredentialField::Secret })
        );
        c.secret = file("sk");
        c.private_key = file("key.pem");
        let sources = c.credential_sources().unwrap();
        assert_eq!((sources.secret, sources.private_key, sources.certificate), (file("sk"), None, None));
    }

    #[test]
    fn private_key_jwt_needs_the_key_and_no_secret() {
        let mut c = client(AuthMethod::PrivateKeyJwt);
        assert!(c.missing_credential().unwrap().to_string().contains("needs client.private_key"));
        c.private_key = file("key.pem");
        c.secret = file("unused");
        let sources = c.credential_sources().unwrap();
        assert_eq!((sources.secret, sources.private_key), (None, file("key.pem")));
    }

    #[test]
    fn mtls_needs_certificate_and_key() {
        let mut c = client(AuthMethod::TlsClientAuth);
        c.private_key = file("key.pem");
        assert!(c.missing_credential().unwrap().to_string().contains("needs client.certificate"));
        c.certificate = file("cert.pem");
        let fields: Vec<CredentialField> = c.credential_sources().unwrap().fields().map(|(f, _)| f).collect();
        assert_eq!(fields, [CredentialField::PrivateKey, CredentialField::Certificate]);
    }

    #[test]
    fn a_certificate_is_read_with_any_method_and_needs_its_key() {
        let mut c = client(AuthMethod::ClientSecretBasic);
        c.secret = file("sk");
        c.certificate = file("cert.pem");
        assert_eq!(c.missing_credential(), Some(MissingCredential::CertificateKey));
        c.private_key = file("key.pem");
        let fields: Vec<CredentialField> = c.credential_sources().unwrap().fields().map(|(f, _)| f).collect();
        assert_eq!(fields, [CredentialField::Secret, CredentialField::PrivateKey, CredentialField::Certificate]);
    }

    #[test]
    fn a_public_client_reads_nothing() {
        let sources = client(AuthMethod::None).credential_sources().unwrap();
        assert_eq!(sources.fields().count(), 0);
    }
}
