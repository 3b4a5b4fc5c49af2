//! Exports and request building: the redacted curl export hides credential-like headers, a
//! profile's own `Authorization` header and the bearer token never both go out (checked on a
//! loopback server that records what it receives), and stale clipboard fallback files go away.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::support::*;
use axum::Router;
use axum::http::HeaderMap;
use axum::routing::get;
use tokdbg::core::curl::{CurlOptions, probe_as_curl};
use tokdbg::core::engine::TokenChoice;
use tokdbg::core::model::secret::Secret;
use tokdbg::core::probe::ProbeRequest;
use tokdbg::tui::clipboard::{FALLBACK_MAX_AGE, write_fallback_in};

// ---------------------------------------------------------------------------------------
// the redacted curl export

/// A value no export without the token may show.
const HEADER_VALUE: &str = "hdr-value-7f3a";

/// The curl export of a GET with one endpoint header `name` and no token.
fn export(name: &str, reveal_token: bool) -> String {
    let request = ProbeRequest {
        method: "GET".into(),
        url: "http://127.0.0.1:9/api".into(),
        headers: vec![(name.to_owned(), HEADER_VALUE.to_owned())],
        body: None,
        token: None,
    };
    probe_as_curl(&request, CurlOptions { reveal_token, reveal_secret: false })
}

#[track_caller]
fn assert_redacted(name: &str) {
    let redacted = export(name, false);
    assert!(!redacted.contains(HEADER_VALUE), "{redacted}");
    assert!(redacted.contains(&format!("-H '{name}: [redacted]'")), "{redacted}");
    assert!(redacted.starts_with("# Credential headers show [redacted]"), "{redacted}");
    // The export with the token is meant to run as is: it keeps the value.
    let revealed = export(name, true);
    assert!(revealed.contains(&format!("-H '{name}: {HEADER_VALUE}'")), "{revealed}");
    assert!(!revealed.contains("[redacted]"), "{revealed}");
}

#[track_caller]
fn assert_kept(name: &str) {
    let redacted = export(name, false);
    assert!(redacted.contains(&format!("-H '{name}: {HEADER_VALUE}'")), "{redacted}");
    assert!(!redacted.contains("[redacted]"), "{redacted}");
}

/// One named test per header of the table.
macro_rules! curl_header_cases {
    ($($test:ident: $name:literal => $assert:ident;)*) => {
        $(
            #[test]
            fn $test() {
                $assert($name);
            }
        )*
    };
}

curl_header_cases! {
    curl_redacts_authorization: "Authorization" => assert_redacted;
    curl_redacts_lowercase_authorization: "authorization" => assert_redacted;
    curl_redacts_proxy_authorization: "Proxy-Authorization" => assert_redacted;
    curl_redacts_cookie: "Cookie" => assert_redacted;
    curl_redacts_set_cookie: "Set-Cookie" => assert_redacted;
    curl_redacts_a_name_with_key: "X-Api-Key" => assert_redacted;
    curl_redacts_a_name_with_key_in_capitals: "X-API-KEY" => assert_redacted;
    curl_redacts_a_name_with_token: "X-Auth-Token" => assert_redacted;
    curl_redacts_a_name_with_secret: "X-Client-Secret" => assert_redacted;
    curl_redacts_a_name_with_auth: "X-Upstream-Auth" => assert_redacted;
    curl_redacts_a_name_with_session: "X-Session-Id" => assert_redacted;
    curl_redacts_a_name_with_password: "X-Password" => assert_redacted;
    curl_redacts_a_name_with_credential: "X-Goog-Credential" => assert_redacted;
    curl_keeps_accept: "Accept" => assert_kept;
    curl_keeps_content_type: "Content-Type" => assert_kept;
    curl_keeps_a_request_id: "X-Request-Id" => assert_kept;
    curl_keeps_a_tenant: "X-Tenant" => assert_kept;
}

#[test]
fn curl_with_a_token_leaves_out_the_endpoints_authorization_header() {
    let request = ProbeRequest {
        method: "GET".into(),
        url: "http://127.0.0.1:9/api".into(),
        headers: vec![("Authorization".into(), HEADER_VALUE.into()), ("Accept".into(), "text/plain".into())],
        body: None,
        token: Some(Secret::new("opaque-token")),
    };
    for reveal_token in [false, true] {
        let command = probe_as_curl(&request, CurlOptions { reveal_token, reveal_secret: false });
        assert!(!command.contains(HEADER_VALUE), "{command}");
        assert_eq!(command.matches("Authorization:").count(), 1, "{command}");
        assert!(command.contains("the bearer token replaces it"), "{command}");
        assert!(command.contains("-H 'Accept: text/plain'"), "{command}");
    }
}

// ---------------------------------------------------------------------------------------
// the profile's Authorization header and the bearer token, on the wire

/// A loopback API that answers 200 and records the headers of every request.
async fn recording_api() -> Result<(String, Arc<Mutex<Vec<HeaderMap>>>), BoxError> {
    let seen: Arc<Mutex<Vec<HeaderMap>>> = Arc::default();
    let record = seen.clone();
    let router = Router::new().route(
        "/api",
        get(move |headers: HeaderMap| {
            let record = record.clone();
            async move {
                if let Ok(mut seen) = record.lock() {
                    seen.push(headers);
                }
                "ok"
            }
        }),
    );
    Ok((format!("{}/api", serve(router).await?), seen))
}

/// The Authorization values of the only request the API saw.
fn authorizations(seen: &Arc<Mutex<Vec<HeaderMap>>>) -> Result<Vec<String>, BoxError> {
    let seen = seen.lock().map_err(|_| "poisoned")?;
    assert_eq!(seen.len(), 1, "exactly one request");
    Ok(seen[0].get_all("authorization").iter().map(|v| v.to_str().unwrap_or("?").to_owned()).collect())
}

/// The demo reader's "read orders" pointed at `url`, with these endpoint headers.
async fn call_with_headers(
    url: &str,
    headers: &[(&str, &str)],
    token: TokenChoice,
) -> Result<tokdbg::core::engine::CallReport, BoxError> {
    let server = start_demo().await?;
    let profile = demo_profile(&server, "demo-reader")?;
    let mut spec = spec_with("demo-reader", &profile, "read orders", token)?;
    spec.endpoint.url = url.to_owned();
    for (name, value) in headers {
        spec.endpoint.headers.insert((*name).to_owned(), (*value).to_owned());
    }
    Ok(engine().call(spec, None).await)
}

#[tokio::test]
async fn with_a_token_the_bearer_wins_over_the_endpoints_authorization_header() -> TestResult {
    let (url, seen) = recording_api().await?;
    let token = "given-opaque-token";
    let report =
        call_with_headers(&url, &[("Authorization", "Basic cHJvZmlsZTpwYXNz")], TokenChoice::Given(Secret::new(token)))
            .await?;
    assert_eq!(authorizations(&seen)?, vec![format!("Bearer {token}")], "{}", summary(&report));
    assert_eq!(report.notes.len(), 1, "{:?}", report.notes);
    assert!(report.notes[0].contains("not sent: the bearer token replaces it"), "{:?}", report.notes);
    // The note names the header, never its value; so does the JSON.
    let json = serde_json::to_string(&report)?;
    assert!(json.contains("\"notes\"") && !json.contains("cHJvZmlsZTpwYXNz"), "{json}");
    Ok(())
}

#[tokio::test]
async fn without_a_token_the_endpoints_authorization_header_is_sent_as_written() -> TestResult {
    let (url, seen) = recording_api().await?;
    let report = call_with_headers(&url, &[("Authorization", "Basic cHJvZmlsZTpwYXNz")], TokenChoice::None).await?;
    assert_eq!(authorizations(&seen)?, vec!["Basic cHJvZmlsZTpwYXNz".to_owned()], "{}", summary(&report));
    assert!(report.notes.iter().any(|n| n.contains("Authorization header went as written")), "{:?}", report.notes);
    Ok(())
}

#[tokio::test]
async fn without_a_token_two_authorization_spellings_send_only_the_first() -> TestResult {
    let (url, seen) = recording_api().await?;
    let headers = [("Authorization", "Basic Zmlyc3Q6MQ"), ("authorization", "Basic c2Vjb25kOjI")];
    let report = call_with_headers(&url, &headers, TokenChoice::None).await?;
    assert_eq!(authorizations(&seen)?, vec!["Basic Zmlyc3Q6MQ".to_owned()], "{}", summary(&report));
    assert!(report.notes.iter().any(|n| n.contains("2 Authorization headers")), "{:?}", report.notes);
    Ok(())
}

#[tokio::test]
async fn without_an_authorization_header_there_is_no_note() -> TestResult {
    let (url, seen) = recording_api().await?;
    let report = call_with_headers(&url, &[("X-Tenant", "acme")], TokenChoice::Given(Secret::new("t"))).await?;
    assert_eq!(authorizations(&seen)?, vec!["Bearer t".to_owned()]);
    assert!(report.notes.is_empty(), "{:?}", report.notes);
    assert!(!serde_json::to_string(&report)?.contains("\"notes\""), "empty notes stay out of the JSON");
    Ok(())
}

#[tokio::test]
async fn the_cli_call_says_which_authorization_was_sent() -> TestResult {
    let (url, seen) = recording_api().await?;
    let dir = tempfile::tempdir()?;
    let profile = format!(
        "[expect]\nalgorithms = [\"RS256\"]\n\n[[endpoints]]\nname = \"api\"\nurl = \"{url}\"\n\
         headers = {{ \"Authorization\" = \"Basic cHJvZmlsZTpwYXNz\" }}\n"
    );
    std::fs::write(dir.path().join("conflict.toml"), profile)?;
    let output = tokdbg_command()
        .arg("--profiles")
        .arg(dir.path())
        .args(["call", "conflict", "api", "--token", "cli-opaque-token"])
        .output()
        .await?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("note") && stdout.contains("the bearer token replaces it"), "{stdout}");
    assert!(!stdout.contains("cHJvZmlsZTpwYXNz"), "{stdout}");
    assert_eq!(authorizations(&seen)?, vec!["Bearer cli-opaque-token".to_owned()]);
    Ok(())
}

// ---------------------------------------------------------------------------------------
// clipboard fallback files

/// Sets a file's (or a directory's) modification time `age` into the past.
fn age_file(path: &std::path::Path, age: Duration) -> TestResult {
    let when = SystemTime::now().checked_sub(age).ok_or("time before the epoch")?;
    let file =
        if path.is_dir() { std::fs::File::open(path)? } else { std::fs::File::options().write(true).open(path)? };
    file.set_modified(when)?;
    Ok(())
}

#[test]
fn a_new_fallback_file_removes_those_older_than_a_day() -> TestResult {
    let dir = tempfile::tempdir()?;
    let clip = dir.path().join("clipboard");
    let stale = write_fallback_in(&clip, "access token", "old token", 1_700_000_000)?;
    let stale_suffixed = write_fallback_in(&clip, "access token", "old token 2", 1_700_000_000)?;
    let recent = write_fallback_in(&clip, "curl", "recent", 1_700_000_100)?;
    age_file(&stale, Duration::from_secs(2 * 24 * 3600))?;
    age_file(&stale_suffixed, Duration::from_secs(2 * 24 * 3600))?;
    age_file(&recent, FALLBACK_MAX_AGE - Duration::from_secs(3600))?;

    let fresh = write_fallback_in(&clip, "claims", "{}", 1_700_000_200)?;
    assert!(!stale.exists(), "{} stays", stale.display());
    assert!(!stale_suffixed.exists(), "{} stays", stale_suffixed.display());
    assert!(recent.exists(), "a file under a day old is kept");
    assert!(fresh.exists());
    Ok(())
}

#[test]
fn the_fallback_sweep_leaves_other_files_alone() -> TestResult {
    let dir = tempfile::tempdir()?;
    let clip = dir.path().join("clipboard");
    write_fallback_in(&clip, "first", "x", 1)?;
    let two_days = Duration::from_secs(2 * 24 * 3600);
    // Old, but not named as tokdbg names its files.
    let foreign = clip.join("notes.txt");
    std::fs::write(&foreign, "mine")?;
    age_file(&foreign, two_days)?;
    // Old and named like a fallback file, but a directory.
    let directory = clip.join("looks-like-1.txt");
    std::fs::create_dir(&directory)?;
    age_file(&directory, two_days)?;
    #[cfg(unix)]
    {
        // A symlink named like a fallback file, pointing at an old file outside: neither the
        // link nor its target is touched (the sweep never follows links).
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, "keep me")?;
        age_file(&outside, two_days)?;
        let link = clip.join("link-1.txt");
        std::os::unix::fs::symlink(&outside, &link)?;
        write_fallback_in(&clip, "second", "y", 2)?;
        assert!(std::fs::symlink_metadata(&link).is_ok(), "the link stays");
        assert_eq!(std::fs::read_to_string(&outside)?, "keep me");
    }
    write_fallback_in(&clip, "third", "z", 3)?;
    assert!(foreign.exists() && directory.is_dir());
    Ok(())
}
