//! Saving profiles edited in the form: comments, unknown layout and secrets survive.

use std::path::{Path, PathBuf};

use tokdbg::core::model::profile::{AuthMethod, Endpoint, Profile, ScopeMatch, SecretSource};
use tokdbg::core::model::secret::Secret;
use tokdbg::core::store::fsutil::FileStamp;
use tokdbg::core::store::profile_edit::{EditError, delete_profile, free_stem, render_profile, save_profile};
use tokdbg::core::store::profile_store::parse_profile;

fn repo_profile(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse(text: &str) -> Profile {
    parse_profile(text, "test.toml").unwrap_or_else(|e| panic!("{e}\n---\n{text}"))
}

fn endpoint(name: &str, url: &str) -> Endpoint {
    Endpoint {
        name: name.into(),
        method: "GET".into(),
        url: url.into(),
        required_scopes: vec![],
        headers: Default::default(),
        body: None,
    }
}

#[test]
fn unchanged_profile_renders_byte_identical() {
    for file in ["demo-reader.toml", "keycloak.toml", "authing.toml", "auth0.toml"] {
        let text = repo_profile(file);
        let profile = parse(&text);
        assert_eq!(render_profile(&text, &profile).unwrap(), text, "{file}");
    }
}

#[test]
fn demo_reader_edit_keeps_comments_and_untouched_values() {
    let text = repo_profile("demo-reader.toml");
    let mut profile = parse(&text);
    profile.issuer.url = Some("http://127.0.0.1:5555/oidc".into());
    profile.expect.audience.clear();
    profile.expect.scope_match = ScopeMatch::All;
    let client = profile.client.as_mut().unwrap();
    client.scopes.push("order:write".into());
    client.audience = Some("demo-app".into());
    profile.endpoints.push(Endpoint {
        name: "health".into(),
        method: "HEAD".into(),
        url: "http://127.0.0.1:4455/health".into(),
        required_scopes: vec![],
        headers: [("X-Trace".to_owned(), "it's \"quoted\"".to_owned())].into(),
        body: Some("line one\nline 'two'".into()),
    });

    let out = render_profile(&text, &profile).unwrap();
    assert_eq!(parse(&out), profile);
    // The file header and every trailing comment survive, including those on changed values.
    assert!(out.starts_with("# Outcome: 200 on \"read orders\""), "{out}");
    for comment in [
        "# discovery: {url}/.well-known/openid-configuration",
        "# demo-only credential, published on purpose",
        "[expect]  # mirrors the demo API's express-jwt config",
        "# express-jwt-authz is any-of by default",
    ] {
        assert!(out.contains(comment), "lost {comment:?}:\n{out}");
    }
    assert!(out.contains("url = \"http://127.0.0.1:5555/oidc\"  # discovery"), "{out}");
    assert!(out.contains("scope_match = \"all\"  # express-jwt-authz"), "{out}");
    // The literal secret was given as a literal: it stays one.
    assert!(out.contains("secret = \"demo-reader-secret\""), "{out}");
    // Removed audience is gone from [expect], the client's new one is there.
    let expect_section = out.split("[expect]").nth(1).unwrap().split("[[endpoints]]").next().unwrap();
    assert!(!expect_section.contains("audience"), "{expect_section}");
    assert!(out.contains("audience = \"demo-app\"\n"), "{out}");
    // Untouched values keep their spelling: the single-quoted body, the explicit empty list.
    assert!(out.contains("body = '{\"item\": \"coffee beans\", \"quantity\": 1}'"), "{out}");
    assert!(out.contains("required_scopes = []"), "{out}");
    // The new endpoint is appended last.
    assert!(out.rfind("[[endpoints]]").unwrap() < out.find("name = \"health\"").unwrap(), "{out}");
    assert!(out.find("name = \"public\"").unwrap() < out.find("name = \"health\"").unwrap());
}

#[test]
fn keycloak_edit_keeps_unknown_layout_and_reorders_endpoints() {
    let text = repo_profile("keycloak.toml");
    let mut profile = parse(&text);
    profile.name = Some("inventory (Keycloak, staging)".into());
    profile.expect.audience = vec!["inventory-api".into(), "account".into()];
    profile.expect.leeway_secs = 30;
    profile.issuer.token_endpoint = Some("https://sso.example.com/realms/acme/protocol/openid-connect/token".into());
    profile.endpoints.reverse();

    let out = render_profile(&text, &profile).unwrap();
    assert_eq!(parse(&out), profile);
    assert!(out.starts_with("# A confidential client with \"Service accounts roles\""), "{out}");
    assert!(out.contains("secret = \"file:~/.config/tokdbg/secrets/inventory-worker\"   # first line of the file"));
    assert!(out.contains("audience = [\"inventory-api\", \"account\"]"), "{out}");
    assert!(out.contains("leeway_secs = 30\n"), "{out}");
    assert!(out.find("adjust stock").unwrap() < out.find("stock levels").unwrap(), "{out}");
    assert!(out.find("[expect]").unwrap() < out.find("[[endpoints]]").unwrap(), "{out}");
}

#[test]
fn keys_the_form_does_not_edit_survive() {
    let text = r#"# header

name = "x"

[issuer]
url = "https://issuer.example.com"

[client]
id = "app"
secret = "env:APP_SECRET"
# extra parameters the form does not show
extra = { tenant = "acme", prompt = "none" }

[expect]
hmac_secret = "cmd:pass show hs"   # keep me
algorithms = ["HS256"]
"#;
    let mut profile = parse(text);
    profile.client.as_mut().unwrap().id = "app-2".into();
    profile.expect.algorithms = vec!["HS256".into(), "HS512".into()];
    let out = render_profile(text, &profile).unwrap();
    assert_eq!(parse(&out), profile);
    assert!(
        out.contains("# extra parameters the form does not show\nextra = { tenant = \"acme\", prompt = \"none\" }"),
        "{out}"
    );
    assert!(out.contains("hmac_secret = \"cmd:pass show hs\"   # keep me"), "{out}");
    assert!(out.contains("secret = \"env:APP_SECRET\""), "{out}");
}

#[test]
fn secrets_are_written_as_their_source() {
    let text = repo_profile("demo-reader.toml");
    let mut profile = parse(&text);
    profile.client.as_mut().unwrap().secret = Some(SecretSource::Env("DEMO_SK".into()));
    let out = render_profile(&text, &profile).unwrap();
    assert!(out.contains("secret = \"env:DEMO_SK\"  # demo-only credential"), "{out}");
    assert!(!out.contains("demo-reader-secret"), "{out}");

    // A literal that would read back as a source is refused, not silently changed.
    profile.client.as_mut().unwrap().secret = Some(SecretSource::Literal(Secret::new("env:OOPS")));
    let err = render_profile(&text, &profile).unwrap_err();
    assert!(matches!(err, EditError::AmbiguousLiteral { field: "client.secret" }), "{err}");
}

#[test]
fn emptied_sections_are_removed_and_new_ones_placed_in_order() {
    let text = "name = \"n\"\n\n[issuer]\nurl = \"https://i.example.com\"\n\n[[endpoints]]\nname = \"e\"\nurl = \"https://api.example.com/\"\n";
    let mut profile = parse(text);
    profile.issuer.url = None;
    profile.issuer.jwks_uri = None;
    profile.client = Some(tokdbg::core::model::profile::ClientConfig {
        id: "c".into(),
        secret: Some(SecretSource::Prompt),
        auth_method: AuthMethod::ClientSecretBasic,
        private_key: None,
        certificate: None,
        assertion_alg: None,
        key_id: None,
        scopes: vec!["a".into(), "b".into()],
        audience: None,
        resource: None,
        extra: Default::default(),
    });
    profile.expect.issuer = Some("https://i.example.com".into());
    let out = render_profile(text, &profile).unwrap();
    assert_eq!(parse(&out), profile);
    assert!(!out.contains("[issuer]"), "{out}");
    let client = out.find("[client]").unwrap();
    let expect = out.find("[expect]").unwrap();
    let endpoints = out.find("[[endpoints]]").unwrap();
    assert!(client < expect && expect < endpoints, "{out}");
    assert!(out.contains("secret = \"prompt\""), "{out}");

    // No client and no endpoints: the sections go.
    profile.client = None;
    profile.endpoints.clear();
    let out = render_profile(&out, &profile).unwrap();
    assert_eq!(parse(&out), profile);
    assert!(!out.contains("[client]") && !out.contains("[[endpoints]]"), "{out}");
}

#[test]
fn removing_the_name_keeps_the_file_header() {
    let text = repo_profile("keycloak.toml");
    let mut profile = parse(&text);
    profile.name = None;
    let out = render_profile(&text, &profile).unwrap();
    assert_eq!(parse(&out), profile);
    assert!(out.starts_with("# A confidential client"), "{out}");
    assert!(!out.contains("name = \"inventory (Keycloak)\""), "{out}");
}

#[test]
fn new_file_is_a_complete_readable_profile() {
    let mut profile = Profile { name: Some("orders (Authing)".into()), ..Default::default() };
    profile.issuer.url = Some("https://example.authing.cn/oidc".into());
    profile.client = Some(tokdbg::core::model::profile::ClientConfig {
        id: "6050751aed0f29bf7723c7a8".into(),
        secret: Some(SecretSource::Env("ORDERS_SK".into())),
        auth_method: AuthMethod::ClientSecretPost,
        private_key: None,
        certificate: None,
        assertion_alg: None,
        key_id: None,
        scopes: vec!["order:read".into()],
        audience: None,
        resource: None,
        extra: Default::default(),
    });
    profile.expect.audience = vec!["6050751aed0f29bf7723c7a8".into()];
    profile.endpoints.push(endpoint("read orders", "http://localhost:5000/api/protected"));
    let out = render_profile("", &profile).unwrap();
    assert_eq!(parse(&out), profile);
    let expected = r#"name = "orders (Authing)"

[issuer]
url = "https://example.authing.cn/oidc"

[client]
id = "6050751aed0f29bf7723c7a8"
secret = "env:ORDERS_SK"
auth_method = "client_secret_post"
scopes = ["order:read"]

[expect]
audience = "6050751aed0f29bf7723c7a8"
algorithms = ["RS256"]
leeway_secs = 0
scope_claim = "scope"
scope_match = "all"

[[endpoints]]
name = "read orders"
method = "GET"
url = "http://localhost:5000/api/protected"
"#;
    assert_eq!(out, expected);
}

#[test]
fn invalid_profiles_are_refused_before_writing() {
    let text = repo_profile("demo-reader.toml");
    let mut profile = parse(&text);
    profile.endpoints[0].url = "not a url".into();
    let err = render_profile(&text, &profile).unwrap_err();
    assert!(matches!(err, EditError::WouldNotLoad(_)), "{err}");
    assert!(err.to_string().contains("endpoints[0].url"), "{err}");

    let err = render_profile("name = \n", &profile).unwrap_err();
    assert!(matches!(err, EditError::NotToml { line: 1, .. }), "{err}");
}

fn write_profile(dir: &Path, stem: &str, text: &str) -> PathBuf {
    let path = dir.join(format!("{stem}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn save_detects_changes_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let text = repo_profile("keycloak.toml");
    let path = write_profile(dir.path(), "keycloak", &text);
    let stamp = FileStamp::of(&path).unwrap().unwrap();
    let mut profile = parse(&text);
    profile.expect.leeway_secs = 10;

    // Someone else edits the file after it was loaded: saving is refused, their edit stays.
    std::fs::write(&path, text.replace("leeway_secs = 5", "leeway_secs = 6")).unwrap();
    let err = save_profile(&path, &profile, Some(&stamp)).unwrap_err();
    assert!(matches!(err, EditError::ChangedOnDisk { .. }), "{err}");
    assert!(err.to_string().contains("keycloak.toml"), "{err}");
    assert!(std::fs::read_to_string(&path).unwrap().contains("leeway_secs = 6"));

    // Reloaded: saving works and returns the stamp of what is now on disk.
    let stamp = FileStamp::of(&path).unwrap().unwrap();
    let new_stamp = save_profile(&path, &profile, Some(&stamp)).unwrap();
    assert_eq!(FileStamp::of(&path).unwrap(), Some(new_stamp.clone()));
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(parse(&saved), profile);
    assert!(saved.contains("# first line of the file"), "{saved}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }

    // A second save with the returned stamp works; with the stale one it does not.
    profile.expect.leeway_secs = 11;
    let newer = save_profile(&path, &profile, Some(&new_stamp)).unwrap();
    profile.expect.leeway_secs = 12;
    assert!(matches!(save_profile(&path, &profile, Some(&new_stamp)), Err(EditError::ChangedOnDisk { .. })));
    assert!(matches!(save_profile(&path, &profile, Some(&stamp)), Err(EditError::ChangedOnDisk { .. })));
    assert!(save_profile(&path, &profile, Some(&newer)).is_ok());
}

#[test]
fn creating_refuses_to_overwrite_and_deleting_checks_the_stamp() {
    let dir = tempfile::tempdir().unwrap();
    let profile = Profile { name: Some("Fresh one".into()), ..Default::default() };
    let stem = free_stem(dir.path(), profile.name.as_deref().unwrap());
    assert_eq!(stem, "fresh-one");
    let path = dir.path().join(format!("{stem}.toml"));
    let stamp = save_profile(&path, &profile, None).unwrap();
    assert_eq!(parse(&std::fs::read_to_string(&path).unwrap()), profile);

    // Creating again over it (another window made it meanwhile) is refused.
    let err = save_profile(&path, &profile, None).unwrap_err();
    assert!(matches!(err, EditError::ChangedOnDisk { .. }), "{err}");
    assert_eq!(free_stem(dir.path(), "Fresh one"), "fresh-one-2");

    // Deleting after someone changed it is refused; with the right stamp it goes.
    std::fs::write(&path, "name = \"changed\"\n").unwrap();
    assert!(matches!(delete_profile(&path, Some(&stamp)), Err(EditError::ChangedOnDisk { .. })));
    assert!(path.exists());
    let stamp = FileStamp::of(&path).unwrap().unwrap();
    delete_profile(&path, Some(&stamp)).unwrap();
    assert!(!path.exists());
    // Already gone: nothing to do.
    delete_profile(&path, Some(&stamp)).unwrap();
}

#[test]
fn free_stem_is_safe() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(free_stem(dir.path(), "orders (Authing)"), "orders-authing");
    assert_eq!(free_stem(dir.path(), "../../etc/passwd"), "etc-passwd");
    assert_eq!(free_stem(dir.path(), "  Ünïcode  订单 API_v2 "), "n-code-api_v2");
    assert_eq!(free_stem(dir.path(), "订单"), "profile");
    assert_eq!(free_stem(dir.path(), "CON"), "con-profile");
    std::fs::write(dir.path().join("orders-authing.toml"), "").unwrap();
    std::fs::write(dir.path().join("orders-authing-2.toml"), "").unwrap();
    assert_eq!(free_stem(dir.path(), "Orders (Authing)"), "orders-authing-3");
}
