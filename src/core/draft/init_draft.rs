//! `init URL`'s draft from what the API and its authorization server published: the
//! challenge, the protected-resource metadata, the authorization server's metadata, its keys.

use super::as_metadata::{self, AuthServerMetadata};
use super::resource_metadata::{ResourceFit, ResourceMetadata};
use super::{Draft, DraftBuilder, SecretPlacement};

/// The API's answer to a request without a token.
#[derive(Debug, Clone, Default)]
pub struct Challenge {
    pub status: u16,
    /// The scheme of the challenge read (Bearer, else DPoP), if any.
    pub scheme: Option<String>,
    pub realm: Option<String>,
    pub scope: Option<String>,
    pub error: Option<String>,
    pub resource_metadata: Option<String>,
}

/// Metadata fetched from `url`.
#[derive(Debug, Clone)]
pub struct Fetched<T> {
    pub url: String,
    pub document: T,
}

/// Everything `init` learnt, for the draft (no I/O from here on).
#[derive(Debug, Clone, Default)]
pub struct InitFacts {
    pub url: String,
    pub challenge: Option<Challenge>,
    pub resource: Option<Fetched<ResourceMetadata>>,
    /// How the resource metadata's `resource` relates to the URL.
    pub resource_fit: Option<ResourceFit>,
    /// The authorization server tokdbg looked up, and where its identifier came from.
    pub authorization_server: Option<(String, String)>,
    pub auth_server: Option<Fetched<AuthServerMetadata>>,
    /// The algorithms the issuer's JWKS can verify (when the resource names none).
    pub jwks_algorithms: Vec<String>,
    /// What went wrong or was odd on the way, in order.
    pub notes: Vec<String>,
}

/// What `init` was told besides the URL.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    pub name: Option<String>,
    pub secret: SecretPlacement,
}

pub fn draft(facts: &InitFacts, options: &InitOptions) -> Draft {
    let name = options.name.clone().unwrap_or_else(|| super::name_from_url(&facts.url));
    let title = vec![
        format!("Drafted by `tokdbg init {}`.", facts.url),
        "Each value says where it came from; the FILL IN lines need yours.".to_owned(),
    ];
    let mut draft = DraftBuilder::new(&name, &title);
    draft.set("", "name", name.clone(), if options.name.is_some() { "--name" } else { "the URL's host" });
    for note in &facts.notes {
        draft.note(note.clone());
    }
    issuer(facts, &mut draft);
    client(facts, options, &mut draft);
    expectations(facts, &mut draft);
    endpoint(facts, &mut draft);
    draft.finish()
}

fn issuer(facts: &InitFacts, draft: &mut DraftBuilder) {
    let Some((server, from)) = &facts.authorization_server else {
        draft.note("no authorization server found: set issuer.url (the issuer whose tokens the API accepts)");
        return;
    };
    match &facts.auth_server {
        Some(metadata) => {
            let source = format!("the authorization server's metadata ({})", metadata.url);
            let issuer = metadata.document.issuer.clone().unwrap_or_else(|| server.clone());
            draft.set("issuer", "url", issuer, &format!("{from}, confirmed by {}", metadata.url));
            if let Some(endpoint) = &metadata.document.token_endpoint {
                draft.set("issuer", "token_endpoint", endpoint.clone(), &source);
            }
            if let Some(jwks) = &metadata.document.jwks_uri {
                draft.set("issuer", "jwks_uri", jwks.clone(), &source);
            }
            if !metadata.document.grant_types.is_empty()
                && !metadata.document.grant_types.iter().any(|g| g == "client_credentials")
            {
                draft.note("the authorization server does not list client_credentials in grant_types_supported");
            }
        }
        None => {
            draft.set("issuer", "url", server.clone(), from);
            draft.note(format!("no metadata answered for the authorization server {server}: check issuer.url"));
        }
    }
}

fn client(facts: &InitFacts, options: &InitOptions, draft: &mut DraftBuilder) {
    draft.fill_in("client", "id", "", "the client id (AK) of your app");
    draft.set("client", "secret", options.secret.source(), "the draft (a secret is never written in clear)");
    if let Some(method) = facts.auth_server.as_ref().and_then(|m| as_metadata::secret_auth_method(&m.document)) {
        draft.set(
            "client",
            "auth_method",
            method,
            "token_endpoint_auth_methods_supported (the only secret method listed)",
        );
    }
    if let Some(resource) = accepted_resource(facts) {
        // RFC 8707: ask the issuer for a token meant for this resource.
        draft.set("client", "resource", resource, "the resource identifier (RFC 8707 resource indicator)");
        draft.note("client.resource asks the issuer for tokens meant for this API (RFC 8707): drop it if your issuer refuses it (Auth0 takes client.audience)");
    }
    if let Some(scopes) = challenge_scopes(facts) {
        draft.set("client", "scopes", scopes, "the WWW-Authenticate challenge's scope");
    } else if let Some(resource) = &facts.resource
        && !resource.document.scopes_supported.is_empty()
    {
        draft.note(format!(
            "the resource supports the scopes {}: list the ones your app needs in client.scopes",
            resource.document.scopes_supported.join(" ")
        ));
    }
}

fn expectations(facts: &InitFacts, draft: &mut DraftBuilder) {
    if let Some(issuer) = facts.auth_server.as_ref().and_then(|m| m.document.issuer.clone()) {
        draft.set("expect", "issuer", issuer, "the authorization server's metadata (issuer)");
    }
    match (accepted_resource(facts), &facts.resource) {
        (Some(id), Some(resource)) => {
            draft.set("expect", "audience", vec![id], &format!("the resource identifier ({})", resource.url));
        }
        _ => draft.note("no resource identifier: set expect.audience to the audience the API checks"),
    }
    let signing = facts.resource.as_ref().map(|r| r.document.signing_algs.clone()).unwrap_or_default();
    let signing: Vec<String> =
        signing.into_iter().filter(|alg| alg.parse::<jsonwebtoken::Algorithm>().is_ok()).collect();
    if !signing.is_empty() {
        draft.set("expect", "algorithms", signing, "resource_signing_alg_values_supported");
    } else if !facts.jwks_algorithms.is_empty() {
        draft.set("expect", "algorithms", facts.jwks_algorithms.clone(), "the key types of the issuer's JWKS");
    }
}

fn endpoint(facts: &InitFacts, draft: &mut DraftBuilder) {
    let index = draft.add_endpoint();
    let path = url::Url::parse(&facts.url).map(|u| u.path().to_owned()).unwrap_or_default();
    draft.set_endpoint(index, "name", format!("GET {path}"), "the URL given");
    draft.set_endpoint(index, "method", "GET", "the URL given");
    draft.set_endpoint(index, "url", facts.url.clone(), "the URL given");
    if let Some(scopes) = challenge_scopes(facts) {
        draft.set_endpoint(index, "required_scopes", scopes, "the WWW-Authenticate challenge's scope");
    }
}

/// The metadata's resource identifier, when it stands for the URL (itself or a prefix).
fn accepted_resource(facts: &InitFacts) -> Option<String> {
    match facts.resource_fit {
        Some(ResourceFit::Same | ResourceFit::Prefix) => facts.resource.as_ref()?.document.resource.clone(),
        _ => None,
    }
}

fn challenge_scopes(facts: &InitFacts) -> Option<Vec<String>> {
    let scope = facts.challenge.as_ref()?.scope.as_deref()?;
    let scopes: Vec<String> = scope.split_whitespace().map(str::to_owned).collect();
    (!scopes.is_empty()).then_some(scopes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> InitFacts {
        InitFacts {
            url: "https://api.example/v1/orders".into(),
            challenge: Some(Challenge {
                status: 401,
                scheme: Some("Bearer".into()),
                scope: Some("order:read".into()),
                ..Default::default()
            }),
            resource: Some(Fetched {
                url: "https://api.example/.well-known/oauth-protected-resource/v1/orders".into(),
                document: ResourceMetadata {
                    resource: Some("https://api.example/v1/orders".into()),
                    authorization_servers: vec!["https://as.example/oidc".into()],
                    signing_algs: vec!["RS256".into()],
                    ..Default::default()
                },
            }),
            resource_fit: Some(ResourceFit::Same),
            authorization_server: Some(("https://as.example/oidc".into(), "authorization_servers[0]".into())),
            auth_server: Some(Fetched {
                url: "https://as.example/oidc/.well-known/openid-configuration".into(),
                document: AuthServerMetadata {
                    issuer: Some("https://as.example/oidc".into()),
                    token_endpoint: Some("https://as.example/oidc/token".into()),
                    jwks_uri: Some("https://as.example/oidc/.well-known/jwks.json".into()),
                    auth_methods: vec!["client_secret_basic".into()],
                    ..Default::default()
                },
            }),
            ..Default::default()
        }
    }

    #[test]
    fn everything_published_makes_a_profile_that_loads() {
        let draft = draft(&facts(), &InitOptions::default());
        let profile = crate::core::store::profile_store::parse_profile(&draft.profile_toml, "d.toml")
            .unwrap_or_else(|e| panic!("{e}\n{}", draft.profile_toml));
        assert_eq!(profile.issuer.url.as_deref(), Some("https://as.example/oidc"));
        assert_eq!(profile.expect.audience, ["https://api.example/v1/orders"]);
        assert_eq!(profile.expect.algorithms, ["RS256"]);
        let client = profile.client.unwrap();
        assert_eq!(client.auth_method.as_str(), "client_secret_basic");
        assert_eq!(client.scopes, ["order:read"]);
        assert_eq!(profile.endpoints[0].required_scopes, ["order:read"]);
        assert_eq!(draft.name, "api-example");
        assert!(draft.notes.iter().any(|n| n.contains("client.id")), "{:?}", draft.notes);
    }

    #[test]
    fn a_bare_challenge_still_drafts_and_says_what_is_missing() {
        let facts = InitFacts {
            url: "http://127.0.0.1:9/api".into(),
            challenge: Some(Challenge { status: 401, scheme: Some("Bearer".into()), ..Default::default() }),
            ..Default::default()
        };
        let draft = draft(&facts, &InitOptions { name: Some("mine".into()), ..Default::default() });
        crate::core::store::profile_store::parse_profile(&draft.profile_toml, "d.toml").unwrap();
        assert!(draft.notes.iter().any(|n| n.contains("no authorization server")), "{:?}", draft.notes);
        assert!(draft.notes.iter().any(|n| n.contains("expect.audience")), "{:?}", draft.notes);
    }
}
