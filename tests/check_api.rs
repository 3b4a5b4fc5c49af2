//! `tokdbg check-api`: the fixture files of every format it reads (tests/fixtures/check_api/,
//! the quick start's snippets first), run against the embedded demo issuer, each finding with
//! its code, severity, `file:line` and the line to write; the walk's limits; hostile values.

use std::path::Path;

use rstest::rstest;
use serde_json::Value;
use tempfile::TempDir;
use tokdbg::core::api_config::compare::{JwksProblem, LiveDiscovery, LiveFacts, compare};
use tokdbg::core::api_config::walk::{Limits, walk};
use tokdbg::core::findings::{Code, Severity};
use tokdbg::core::net::jwks::parse_key_set;
use tokdbg::demo::{APP_ID, DemoServer, write_demo_profiles};

use crate::support::{Run, start_demo, tokdbg};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/check_api");

/// The quick start's origin, its typo'd origin, and its placeholders.
const ORIGIN: &str = "https://{app-domain}.authing.cn";
const TYPO_ORIGIN: &str = "https://{app-domain}.authng.cn";
const AK: &str = "<programmatic account AK>";

/// The fixture directory `name` copied into a temporary one pointed at `server`; with
/// `ak_is_client` the AK placeholder becomes the demo client's id.
fn materialize(name: &str, server: &DemoServer, ak_is_client: bool) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = server.base_url();
    // One character off the demo's host, as `authng` is off `authing`.
    let typo = base.replacen("127.0.0.1", "127.0.0.11", 1);
    for entry in std::fs::read_dir(Path::new(FIXTURES).join(name)).expect("fixture dir") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("fixture text");
        let mut text = text.replace(ORIGIN, &base).replace(TYPO_ORIGIN, &typo).replace("APP_ID", APP_ID);
        if ak_is_client {
            text = text.replace(AK, "demo-reader");
        }
        std::fs::write(dir.path().join(path.file_name().expect("name")), text).expect("write");
    }
    dir
}

/// How the command is pointed at the issuer.
#[derive(Debug, Clone, Copy)]
enum Against {
    /// `--profile demo-reader` (a token is fetched; the AK is the client's id).
    Profile,
    /// `--issuer {demo}/oidc`.
    Issuer,
    /// Neither: the issuer the config names.
    Config,
}

async fn check(name: &str, against: Against, extra: &[&str]) -> (Run, TempDir, TempDir) {
    let server = start_demo().await.expect("demo");
    let profiles = tempfile::tempdir().expect("profiles dir");
    write_demo_profiles(profiles.path(), &server.base_url()).expect("demo profiles");
    let tree = materialize(name, &server, matches!(against, Against::Profile));
    let mut args: Vec<String> = vec!["--profiles".into(), profiles.path().display().to_string(), "check-api".into()];
    args.push(tree.path().display().to_string());
    match against {
        Against::Profile => args.extend(["--profile".into(), "demo-reader".into()]),
        Against::Issuer => args.extend(["--issuer".into(), server.issuer()]),
        Against::Config => {}
    }
    args.extend(extra.iter().map(|a| (*a).to_owned()));
    let run = tokdbg(&args).await;
    run.no_panic();
    (run, tree, profiles)
}

/// (code, severity, `file:line`) of each finding, for comparison with a case's table.
fn summary(json: &Value) -> Vec<(String, String, String)> {
    let findings = json["findings"].as_array().expect("findings");
    let mut rows: Vec<(String, String, String)> = findings
        .iter()
        .map(|f| {
            let location = f["evidence"]["location"].as_str().unwrap_or_default();
            let short = location.rsplit('/').next().unwrap_or_default().to_owned();
            (
                f["code"].as_str().unwrap_or_default().to_owned(),
                f["severity"].as_str().unwrap_or_default().to_owned(),
                short,
            )
        })
        .collect();
    rows.sort();
    rows
}

fn rows(expected: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    let mut rows: Vec<(String, String, String)> =
        expected.iter().map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned())).collect();
    rows.sort();
    rows
}

#[rstest]
#[case::quickstart_with_the_profiles_token("quickstart", Against::Profile, 1, &[
    ("audience_mismatch", "error", "02-check-scopes.js:18"),
    ("issuer_mismatch", "error", "02-check-scopes.js:19"),
    ("jwks_not_a_key_set", "error", "02-check-scopes.js:16"),
])]
#[case::quickstart_against_the_issuer("quickstart", Against::Issuer, 1, &[
    ("audience_mismatch", "warning", "02-check-scopes.js:18"),
    ("issuer_mismatch", "error", "02-check-scopes.js:19"),
    ("jwks_not_a_key_set", "error", "02-check-scopes.js:16"),
])]
#[case::quickstart_against_the_configs_issuer("quickstart", Against::Config, 1, &[
    ("audience_mismatch", "warning", "02-check-scopes.js:18"),
    ("issuer_mismatch", "error", "02-check-scopes.js:19"),
    ("jwks_not_a_key_set", "error", "02-check-scopes.js:16"),
])]
#[case::express_oauth2_jwt_bearer_base_without_oidc("express_oauth2_jwt_bearer", Against::Issuer, 1, &[
    ("issuer_mismatch", "error", "server.ts:9"),
])]
#[case::spring_yaml_slash_and_hs256("spring_yaml", Against::Issuer, 1, &[
    ("alg_not_allowed", "error", "application.yml:14"),
    ("issuer_mismatch", "error", "application.yml:10"),
])]
#[case::spring_properties_all_right("spring_properties", Against::Profile, 0, &[("ok", "info", "")])]
#[case::aspnet_client_id_as_audience("aspnet", Against::Profile, 1, &[
    ("audience_mismatch", "error", "appsettings.json:9"),
])]
#[case::python_jwk_client_not_a_jwks("python", Against::Issuer, 1, &[
    ("jwks_not_a_key_set", "error", "main.py:7"),
])]
#[case::dotenv_scope_claim_the_tokens_lack("dotenv", Against::Profile, 1, &[
    ("scope_claim_mismatch", "error", ".env:6"),
])]
#[tokio::test]
async fn each_format_yields_its_findings(
    #[case] name: &str,
    #[case] against: Against,
    #[case] exit: i32,
    #[case] expected: &[(&str, &str, &str)],
) {
    let (run, _tree, _profiles) = check(name, against, &["--json"]).await;
    run.code(exit);
    assert_eq!(summary(&run.json()), rows(expected), "{}", run.describe());
}

#[tokio::test]
async fn the_quick_starts_second_snippet_gets_the_lines_to_write() {
    let (run, tree, _profiles) = check("quickstart", Against::Profile, &["--json"]).await;
    let json = run.json();
    let base = json["issuer"]["url"].as_str().expect("issuer").trim_end_matches("/oidc").to_owned();
    let fix = |code: &str| {
        let found = json["findings"].as_array().unwrap().iter().find(|f| f["code"] == code).expect(code);
        (found["fix"].as_str().unwrap().to_owned(), found["message"].as_str().unwrap().to_owned())
    };
    let (jwks_fix, jwks_message) = fix("jwks_not_a_key_set");
    assert_eq!(jwks_fix, format!("jwksUri: '{base}/oidc/.well-known/jwks.json',"));
    assert!(jwks_message.contains("the path lacks `/oidc`"), "{jwks_message}");
    let (issuer_fix, issuer_message) = fix("issuer_mismatch");
    assert_eq!(issuer_fix, format!("issuer: '{base}/oidc',"));
    assert!(issuer_message.contains("looks like a typo"), "{issuer_message}");
    let (audience_fix, audience_message) = fix("audience_mismatch");
    assert_eq!(audience_fix, format!("audience: '{APP_ID}',"));
    assert!(audience_message.contains("client id demo-reader (the AK)"), "{audience_message}");
    // Every setting with its file and line.
    let config = json["api_config"].as_array().expect("api_config");
    let second = format!("{}/02-check-scopes.js", tree.path().display());
    let at = |setting: &str, line: u64| {
        config.iter().any(|s| s["setting"] == setting && s["file"] == second.as_str() && s["line"] == line)
    };
    assert!(at("jwks_uri", 16) && at("audience", 18) && at("issuer", 19) && at("algorithms", 20), "{config:?}");
    assert!(at("required_scopes", 23) && at("scope_claim", 23), "{config:?}");
}

#[tokio::test]
async fn human_output_shows_the_table_and_each_finding_where_it_is() {
    let (run, _tree, _profiles) = check("quickstart", Against::Issuer, &["--no-color"]).await;
    run.code(1)
        .stdout_has("api config")
        .stdout_has("02-check-scopes.js:19")
        .stdout_has("error [issuer_mismatch]")
        .stdout_has("at       ")
        .stdout_has("warning [audience_mismatch]");
}

/// The snippets as the page writes them, against facts shaped like Authing's: the typo is
/// named by its labels, `authng.cn` beside `authing.cn`.
#[test]
fn the_verbatim_snippets_against_authing_shaped_facts() {
    let walked = walk(&Path::new(FIXTURES).join("quickstart"), Limits::default()).expect("walk");
    let issuer = format!("{ORIGIN}/oidc");
    let jwks_uri = format!("{issuer}/.well-known/jwks.json");
    let keys = r#"{"keys":[{"kty":"RSA","kid":"k","alg":"RS256","use":"sig","n":"AQAB","e":"AQAB"}]}"#;
    let facts = LiveFacts {
        asked: issuer.clone(),
        discovery: Ok(LiveDiscovery {
            url: String::new(),
            issuer: Some(issuer.clone()),
            jwks_uri: Some(jwks_uri.clone()),
        }),
        key_sets: vec![
            (jwks_uri, Ok(parse_key_set("u", keys.as_bytes()).expect("key set"))),
            (format!("{ORIGIN}/.well-known/jwks.json"), Err(JwksProblem::NotAKeySet("HTTP 404".into()))),
        ],
        token: None,
        client_id: None,
    };
    let findings = compare(&walked.settings, &facts);
    let message = |code: Code| findings.iter().find(|f| f.code == code).map(|f| f.message.clone()).unwrap_or_default();
    assert!(message(Code::IssuerMismatch).contains("`authng.cn` looks like a typo of `authing.cn`"), "{findings:#?}");
    assert!(message(Code::JwksNotAKeySet).contains("the path lacks `/oidc`"), "{findings:#?}");
    let audience = findings.iter().find(|f| f.code == Code::AudienceMismatch).expect("the AK question");
    assert_eq!(audience.severity, Severity::Warning);
    assert_eq!(audience.fix, "audience: 'APP_ID',");
}

#[test]
fn the_walk_skips_dependencies_and_never_follows_a_link() {
    let dir = tempfile::tempdir().expect("dir");
    let outside = tempfile::tempdir().expect("outside");
    std::fs::write(outside.path().join(".env"), "AUTH_ISSUER=https://outside.example/\n").expect("write");
    std::fs::create_dir(dir.path().join("node_modules")).expect("mkdir");
    std::fs::write(dir.path().join("node_modules/.env"), "AUTH_ISSUER=https://dep.example/\n").expect("write");
    std::fs::write(dir.path().join(".env"), "AUTH_ISSUER=https://mine.example/\n").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), dir.path().join("linked")).expect("symlink");
    let walked = walk(dir.path(), Limits::default()).expect("walk");
    let values: Vec<&str> = walked.settings.iter().filter_map(|s| s.value.as_deref()).collect();
    assert_eq!(values, ["https://mine.example/"]);
    #[cfg(unix)]
    assert!(walked.notes.iter().any(|n| n.contains("symbolic link")), "{:?}", walked.notes);
    let few = Limits { max_file_bytes: 8, ..Limits::default() };
    let walked = walk(dir.path(), few).expect("walk");
    assert!(walked.settings.is_empty() && walked.notes.iter().any(|n| n.contains("skipped")), "{:?}", walked.notes);
}

#[tokio::test]
async fn hostile_config_text_reaches_the_terminal_inert() {
    let server = start_demo().await.expect("demo");
    let dir = tempfile::tempdir().expect("dir");
    let hostile = "AUTH_ISSUER=https://evil.example/\u{1b}[2J\u{202e}oidc\nAPI_AUDIENCE=\u{1b}]0;pwned\u{7}\n";
    std::fs::write(dir.path().join(".env"), hostile).expect("write");
    let path = dir.path().display().to_string();
    for json in [false, true] {
        let mut args = vec!["check-api", &path, "--issuer"];
        let issuer = server.issuer();
        args.push(&issuer);
        if json {
            args.push("--json");
        }
        let run = tokdbg(&args).await;
        run.no_panic();
        assert_eq!(run.code, 1, "{}", run.describe());
        assert!(!run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{202e}'), "{}", run.describe());
    }
}

#[tokio::test]
async fn a_tree_without_an_issuer_and_no_flag_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("README.md"), "nothing here").expect("write");
    let run = tokdbg(&["check-api", &dir.path().display().to_string()]).await;
    run.code(2).stderr_has("names no issuer");
}
