//! RFC 9728 protected-resource metadata as values: where it lives for a URL, what a document
//! says, and whether its `resource` may stand for the URL the user gave.

use url::Url;

/// The well-known suffix of RFC 9728 §3.
pub const WELL_KNOWN: &str = "/.well-known/oauth-protected-resource";

/// The metadata URL for `resource` (RFC 9728 §3.1): the well-known suffix inserted between
/// the host and the path; a query or fragment is not part of a resource identifier and is
/// dropped, and so is the path's terminating slash.
pub fn well_known_url(resource: &Url) -> Url {
    let mut url = resource.clone();
    let path = resource.path().trim_end_matches('/');
    url.set_path(&format!("{WELL_KNOWN}{path}"));
    url.set_query(None);
    url.set_fragment(None);
    url
}

/// The resource identifier a URL stands for when its metadata sits at [`well_known_url`]:
/// the URL without query, fragment or terminating slash.
pub fn resource_of(url: &Url) -> String {
    let mut plain = url.clone();
    plain.set_query(None);
    plain.set_fragment(None);
    let text = plain.to_string();
    match text.strip_suffix('/') {
        // "https://api.example/" is the origin: written without the slash, as RFC 9728's examples do.
        Some(stripped) => stripped.to_owned(),
        None => text,
    }
}

/// The members of a protected-resource metadata document tokdbg drafts a profile from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourceMetadata {
    pub resource: Option<String>,
    pub authorization_servers: Vec<String>,
    pub scopes_supported: Vec<String>,
    pub signing_algs: Vec<String>,
    pub jwks_uri: Option<String>,
    pub bearer_methods: Vec<String>,
    pub resource_name: Option<String>,
}

/// Reads a metadata document; `Err` says why the body is not one.
pub fn parse(body: &[u8]) -> Result<ResourceMetadata, String> {
    let object = super::json_object(body)?;
    let text = |name: &str| super::text_member(&object, name);
    let list = |name: &str| super::list_member(&object, name);
    Ok(ResourceMetadata {
        resource: text("resource"),
        authorization_servers: list("authorization_servers"),
        scopes_supported: list("scopes_supported"),
        signing_algs: list("resource_signing_alg_values_supported"),
        jwks_uri: text("jwks_uri"),
        bearer_methods: list("bearer_methods_supported"),
        resource_name: text("resource_name"),
    })
}

/// How a document's `resource` relates to the URL the user gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceFit {
    /// The same identifier.
    Same,
    /// The origin or a path prefix of the URL: the metadata covers a wider resource.
    Prefix,
    /// Something else: not this URL's metadata as RFC 9728 §3.3 defines it.
    Other,
    /// The document names no `resource` (it is REQUIRED).
    Missing,
}

/// Whether `resource` stands for `url` (RFC 9728 §3.3 asks for equality with the URL the
/// metadata was looked up for; a challenge's `resource_metadata` may name a wider resource).
pub fn fit(resource: Option<&str>, url: &Url) -> ResourceFit {
    let Some(resource) = resource else { return ResourceFit::Missing };
    let wanted = resource_of(url);
    let resource = resource.trim_end_matches('/');
    if resource == wanted {
        return ResourceFit::Same;
    }
    let Ok(parsed) = Url::parse(resource) else { return ResourceFit::Other };
    let same_origin = parsed.origin() == url.origin();
    let prefix_path = {
        let path = parsed.path().trim_end_matches('/');
        path.is_empty() || url.path() == path || url.path().starts_with(&format!("{path}/"))
    };
    if same_origin && prefix_path && parsed.query().is_none() { ResourceFit::Prefix } else { ResourceFit::Other }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn the_suffix_goes_between_host_and_path() {
        let found = well_known_url(&url("https://api.example.com/v1/orders?id=3#top"));
        assert_eq!(found.as_str(), "https://api.example.com/.well-known/oauth-protected-resource/v1/orders");
    }

    #[test]
    fn an_origin_gets_the_bare_suffix() {
        let found = well_known_url(&url("https://api.example.com/"));
        assert_eq!(found.as_str(), "https://api.example.com/.well-known/oauth-protected-resource");
        assert_eq!(resource_of(&url("https://api.example.com/")), "https://api.example.com");
    }

    #[test]
    fn a_port_is_kept() {
        let found = well_known_url(&url("http://127.0.0.1:8080/api/x/"));
        assert_eq!(found.as_str(), "http://127.0.0.1:8080/.well-known/oauth-protected-resource/api/x");
    }

    #[test]
    fn the_members_are_read_and_odd_ones_ignored() {
        let body = br#"{"resource":"https://r","authorization_servers":["https://as",7],
            "scopes_supported":["a","b"],"resource_signing_alg_values_supported":["RS256"],"extra":{}}"#;
        let metadata = parse(body).unwrap();
        assert_eq!(metadata.resource.as_deref(), Some("https://r"));
        assert_eq!(metadata.authorization_servers, ["https://as"]);
        assert_eq!(metadata.scopes_supported, ["a", "b"]);
        assert_eq!(metadata.signing_algs, ["RS256"]);
        assert_eq!(parse(b"[1]").unwrap_err(), "JSON but not an object");
        assert_eq!(parse(b"<html>").unwrap_err(), "not JSON");
    }

    #[test]
    fn the_same_url_fits() {
        assert_eq!(
            fit(Some("https://a.example/api/orders"), &url("https://a.example/api/orders?x=1")),
            ResourceFit::Same
        );
    }

    #[test]
    fn the_origin_and_a_path_prefix_are_prefixes() {
        let target = url("https://a.example/api/orders");
        assert_eq!(fit(Some("https://a.example"), &target), ResourceFit::Prefix);
        assert_eq!(fit(Some("https://a.example/api"), &target), ResourceFit::Prefix);
        assert_eq!(fit(Some("https://a.example/ap"), &target), ResourceFit::Other);
    }

    #[test]
    fn another_origin_or_no_resource_does_not_fit() {
        let target = url("https://a.example/api/orders");
        assert_eq!(fit(Some("https://b.example/api"), &target), ResourceFit::Other);
        assert_eq!(fit(Some("http://a.example/api"), &target), ResourceFit::Other);
        assert_eq!(fit(None, &target), ResourceFit::Missing);
    }
}
