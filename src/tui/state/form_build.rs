//! Building the profile from the form's fields: each field parsed, its base value kept when
//! its text was left as it was, every error collected.

use std::collections::BTreeMap;

use crate::core::model::profile::{ClientConfig, Expectations, IssuerConfig, Profile, SecretSource};

use super::super::form_fields::{
    FieldId, SecretKind, TextField, check_new_stem, document_source, optional, optional_url, parse_algorithms,
    parse_assertion_alg, parse_leeway, secret_source, split_list,
};
use super::FormState;

impl FormState {
    fn value(&self, id: FieldId) -> &str {
        self.texts.get(&id).map(TextField::value).unwrap_or_default()
    }

    /// Parses a field; its base value when the text is unchanged; `None` (and an error) if bad.
    pub(super) fn field<T: Clone>(
        &self,
        errors: &mut BTreeMap<FieldId, String>,
        id: FieldId,
        base: Option<&T>,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let text = self.texts.get(&id);
        match parse(text.map(TextField::value).unwrap_or_default()) {
            Ok(value) => match base {
                Some(base) if !text.is_some_and(TextField::changed) => Some(base.clone()),
                _ => Some(value),
            },
            Err(error) => {
                errors.insert(id, error);
                None
            }
        }
    }

    /// The file stem and the profile, or every field's error.
    pub(super) fn build(&self) -> Result<(String, Profile), BTreeMap<FieldId, String>> {
        let mut errors = BTreeMap::new();
        let errs = &mut errors;
        let base = &self.base;
        let stem = match (&self.path, &self.source_stem) {
            (Some(_), Some(stem)) => Some(stem.clone()),
            _ => self.field(errs, FieldId::Stem, None, |t| check_new_stem(&self.dir, &self.taken, t)),
        };
        let name = self.field(errs, FieldId::Name, Some(&base.name), |t| Ok(optional(t)));
        let url = self.field(errs, FieldId::IssuerUrl, Some(&base.issuer.url), optional_url);
        let token_endpoint = self.field(errs, FieldId::TokenEndpoint, Some(&base.issuer.token_endpoint), optional_url);
        let jwks_uri = self.field(errs, FieldId::JwksUri, Some(&base.issuer.jwks_uri), optional_url);
        let client = self.build_client(errs);
        let e = &base.expect;
        let expect_issuer = self.field(errs, FieldId::ExpectIssuer, Some(&e.issuer), |t| Ok(optional(t)));
        let audience = self.field(errs, FieldId::ExpectAudience, Some(&e.audience), |t| Ok(split_list(t, true)));
        let algorithms = self.field(errs, FieldId::Algorithms, Some(&e.algorithms), parse_algorithms);
        let leeway = self.field(errs, FieldId::Leeway, Some(&e.leeway_secs), parse_leeway);
        let scope_claim = self.field(errs, FieldId::ScopeClaim, Some(&e.scope_claim), |t| {
            optional(t).ok_or_else(|| "required: the claim holding the scopes (usually scope)".to_owned())
        });
        let tls = self.build_tls(errs);
        let dpop = self.build_dpop(errs);
        match (
            stem,
            name,
            url,
            token_endpoint,
            jwks_uri,
            client,
            expect_issuer,
            audience,
            algorithms,
            leeway,
            scope_claim,
            tls,
            dpop,
        ) {
            (
                Some(stem),
                Some(name),
                Some(url),
                Some(token_endpoint),
                Some(jwks_uri),
                Some(client),
                Some(issuer),
                Some(audience),
                Some(algorithms),
                Some(leeway_secs),
                Some(scope_claim),
                Some(tls),
                Some(dpop),
            ) if errors.is_empty() => {
                let profile = Profile {
                    name,
                    issuer: IssuerConfig { url, token_endpoint, jwks_uri, ..base.issuer.clone() },
                    client,
                    expect: Expectations {
                        issuer,
                        audience,
                        algorithms,
                        leeway_secs,
                        scope_claim,
                        scope_match: self.scope_match,
                        hmac_secret: e.hmac_secret.clone(),
                        // Not on the form: kept as loaded.
                        stack: e.stack,
                        written: e.written,
                    },
                    endpoints: self.endpoints.items().to_vec(),
                    tls,
                    dpop,
                };
                Ok((stem, profile))
            }
            _ => Err(errors),
        }
    }

    /// The client section: `Some(None)` when every client field is empty.
    fn build_client(&self, errs: &mut BTreeMap<FieldId, String>) -> Option<Option<ClientConfig>> {
        let base = self.base.client.as_ref();
        let secret_field = &self.secret_values[self.secret_kind.index()];
        let wanted = self.secret_kind == SecretKind::Prompt
            || !secret_field.value().trim().is_empty()
            || [
                FieldId::ClientId,
                FieldId::Scopes,
                FieldId::ClientAudience,
                FieldId::Resource,
                FieldId::PrivateKey,
                FieldId::Certificate,
                FieldId::AssertionAlg,
                FieldId::KeyId,
            ]
            .iter()
            .any(|id| !self.value(*id).trim().is_empty())
            || base.is_some_and(|c| !c.extra.is_empty());
        if !wanted {
            return Some(None);
        }
        let id = self.field(errs, FieldId::ClientId, base.map(|c| &c.id), |t| {
            optional(t).ok_or_else(|| "required: a client is configured (secret, scopes…)".to_owned())
        });
        let unchanged = self.secret_kind == self.initial_kind && !secret_field.changed();
        // A method that sends no secret (a key, a certificate, a public client) needs none:
        // an empty value is then no secret rather than a missing one.
        let no_secret_needed = !self.auth_method.uses_secret()
            && self.secret_kind != SecretKind::Prompt
            && secret_field.value().trim().is_empty();
        let secret = match base {
            Some(base) if unchanged => Some(base.secret.clone()),
            _ if no_secret_needed => Some(None),
            _ => match secret_source(self.secret_kind, secret_field.value()) {
                Ok(source) => Some(Some(source)),
                Err(error) => {
                    errs.insert(FieldId::SecretValue, error);
                    None
                }
            },
        };
        let method = self.auth_method;
        let required = |wanted: bool, what: &'static str| {
            move |t: &str| match document_source(t)? {
                None if wanted => Err(format!("required by {}: {what}", method.as_str())),
                source => Ok(source),
            }
        };
        // A key or certificate written into the file is not shown (its field starts empty) and,
        // left so, kept: it still counts as given.
        let literal = |source: Option<&Option<SecretSource>>| {
            source.and_then(Option::as_ref).is_some_and(SecretSource::is_literal)
        };
        let private_key = self.field(
            errs,
            FieldId::PrivateKey,
            base.map(|c| &c.private_key),
            required(method.uses_private_key() && !literal(base.map(|c| &c.private_key)), "the client's private key"),
        );
        let certificate = self.field(
            errs,
            FieldId::Certificate,
            base.map(|c| &c.certificate),
            required(method.uses_certificate() && !literal(base.map(|c| &c.certificate)), "the client certificate"),
        );
        let assertion_alg =
            self.field(errs, FieldId::AssertionAlg, base.map(|c| &c.assertion_alg), parse_assertion_alg);
        let key_id = self.field(errs, FieldId::KeyId, base.map(|c| &c.key_id), |t| Ok(optional(t)));
        let scopes = self.field(errs, FieldId::Scopes, base.map(|c| &c.scopes), |t| Ok(split_list(t, false)));
        let audience = self.field(errs, FieldId::ClientAudience, base.map(|c| &c.audience), |t| Ok(optional(t)));
        let resource = self.field(errs, FieldId::Resource, base.map(|c| &c.resource), |t| Ok(optional(t)));
        Some(Some(ClientConfig {
            id: id?,
            secret: secret?,
            auth_method: self.auth_method,
            private_key: private_key?,
            certificate: certificate?,
            assertion_alg: assertion_alg?,
            key_id: key_id?,
            scopes: scopes?,
            audience: audience?,
            resource: resource?,
            extra: base.map(|c| c.extra.clone()).unwrap_or_default(),
        }))
    }
}
