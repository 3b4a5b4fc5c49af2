//! The demo over real TLS on 127.0.0.1, through the real CLI (`--json`): mTLS client
//! authentication (both methods), certificate-bound tokens at the API, an untrusted CA and
//! what makes it pass (`--cacert`, `--insecure`), a wrong host, and a CA file that is no PEM.

use serde_json::Value;

use crate::support::tls::{TlsDemo, wrong_host_server};

fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|f| f.iter().filter_map(|f| f["code"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

fn finding<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["code"] == code))
        .unwrap_or_else(|| panic!("no {code} finding: {report}"))
}

#[track_caller]
fn assert_outcome(report: &Value, verdict: &str, primary: &str) {
    assert_eq!(report["verdict"], verdict, "{report}");
    assert_eq!(codes(report).first().map(String::as_str), Some(primary), "{:?}", codes(report));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_https_demo_profile_ends_as_its_comment_says() {
    let demo = TlsDemo::start().await;
    let cases: &[(&str, i32, &str, &str)] = &[
        ("demo-mtls", 0, "allowed", "ok"),
        ("demo-mtls-self-signed", 0, "allowed", "ok"),
        ("demo-mtls-unknown-cert", 1, "error", "invalid_client"),
        ("demo-https-untrusted", 3, "error", "tls_untrusted"),
    ];
    for (stem, exit, verdict, primary) in cases {
        let run = demo.run(&["call", stem, "--json"]).await;
        run.code(*exit);
        assert_outcome(&run.json(), verdict, primary);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mtls_tokens_are_bound_to_the_certificate_presented() {
    let demo = TlsDemo::start().await;
    let run = demo.run(&["call", "demo-mtls", "--json"]).await;
    let report = run.code(0).json();
    let thumbprint = report["client_certificate"]["thumbprint"].as_str().expect("the certificate presented");
    assert_eq!(report["token"]["claims"]["cnf"]["x5t#S256"], thumbprint, "{report}");
    assert!(report["client_certificate"]["subject"].as_str().is_some_and(|s| s.contains("demo-mtls")), "{report}");

    // The unknown certificate is refused with the issuer's reason.
    let run = demo.run(&["call", "demo-mtls-unknown-cert", "--json"]).await;
    let report = run.code(1).json();
    assert!(report.to_string().contains("not the one registered"), "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bound_token_sent_without_its_certificate_is_a_binding_mismatch() {
    let demo = TlsDemo::start().await;
    let token = demo.run(&["token", "demo-mtls", "--raw"]).await;
    let token = token.code(0).stdout.trim().to_owned();
    assert!(token.starts_with("eyJ"), "{token}");
    let run = demo.run(&["call", "demo-bound-no-cert", "--token", &token, "--json"]).await;
    let report = run.code(1).json();
    assert_outcome(&report, "denied", "token_binding_mismatch");
    assert_eq!(report["response"]["status"], 401, "{report}");
    assert!(report.to_string().contains("no client certificate was presented"), "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_untrusted_demo_ca_is_named_and_cacert_or_insecure_get_past_it() {
    let demo = TlsDemo::start().await;
    let run = demo.run(&["call", "demo-https-untrusted", "--json"]).await;
    let report = run.code(3).json();
    let untrusted = finding(&report, "tls_untrusted");
    let text = untrusted.to_string();
    assert!(text.contains("tokdbg demo CA"), "the issuer is named: {text}");
    assert!(text.contains("127.0.0.1"), "the subject is named: {text}");
    assert!(text.contains("ca_file") && text.contains("--cacert"), "the fix names both: {text}");

    let ca = demo.path("demo-ca.pem");
    let ca = ca.to_str().expect("utf-8");
    let run = demo.run(&["--cacert", ca, "call", "demo-https-untrusted", "--json"]).await;
    assert_outcome(&run.code(0).json(), "allowed", "ok");

    let run = demo.run(&["--insecure", "call", "demo-https-untrusted", "--json"]).await;
    let report = run.code(0).json();
    assert_eq!(report["verdict"], "allowed", "{report}");
    assert_eq!(finding(&report, "insecure_tls")["severity"], "warning", "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_for_another_host_is_untrusted_with_the_names_it_holds() {
    let demo = TlsDemo::start().await;
    let wrong = wrong_host_server().await;
    let base = format!("https://127.0.0.1:{}", wrong.port);
    demo.write_profile(
        "wrong-host",
        &format!(
            r#"[issuer]
url = "{base}/oidc"
[client]
id = "demo-reader"
secret = "demo-reader-secret"
[tls]
ca_file = "demo-ca.pem"
[[endpoints]]
name = "read orders"
url = "{base}/api/mtls/protected"
"#
        ),
    );
    let run = demo.run(&["call", "wrong-host", "--json"]).await;
    let report = run.code(3).json();
    assert_outcome(&report, "error", "tls_untrusted");
    let text = finding(&report, "tls_untrusted").to_string();
    assert!(text.contains("api.demo.invalid") && text.contains("not for 127.0.0.1"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ca_file_that_is_not_pem_is_a_profile_error() {
    let demo = TlsDemo::start().await;
    std::fs::write(demo.path("not-a-ca.pem"), "this is not a certificate\n").expect("write");
    let text = std::fs::read_to_string(demo.path("demo-mtls.toml")).expect("read");
    demo.write_profile("bad-ca", &text.replace("ca_file = \"demo-ca.pem\"", "ca_file = \"not-a-ca.pem\""));
    let run = demo.run(&["call", "bad-ca", "--json"]).await;
    run.code(2);
    let error = run.json_error("profile");
    assert!(error["message"].as_str().is_some_and(|m| m.contains("not-a-ca.pem")), "{error}");
}

#[tokio::test]
async fn a_bound_token_given_to_its_own_profile_goes_with_the_profiles_certificate() {
    let demo = TlsDemo::start().await;
    let token = demo.run(&["token", "demo-mtls", "--raw"]).await;
    let token = token.code(0).stdout.trim().to_owned();
    // Another process: the certificate comes from the profile, not from a token request.
    let run = demo.run(&["call", "demo-mtls", "--token", &token, "--json"]).await;
    let report = run.code(0).json();
    assert_outcome(&report, "allowed", "ok");
    assert!(report["client_certificate"].is_object(), "{report}");
    let human = demo.run(&["call", "demo-mtls", "--token", &token]).await;
    human.code(0).stdout_has("CN=demo-mtls").stdout_has("x5t#S256 ");
}

#[tokio::test]
async fn a_jwks_behind_an_untrusted_certificate_is_tls_untrusted_not_unreachable() {
    let demo = TlsDemo::start().await;
    let token = demo.run(&["token", "demo-reader", "--raw"]).await;
    let token = token.code(0).stdout.trim().to_owned();
    let jwks = format!("{}/oidc/.well-known/jwks.json", demo.tls_base_url());
    let run = demo.run(&["verify", &token, "--jwks", &jwks, "--json"]).await;
    // A certificate refused is a network failure: exit 3.
    let report = run.code(3).json();
    assert_eq!(codes(&report).first().map(String::as_str), Some("tls_untrusted"), "{report}");
    assert!(finding(&report, "tls_untrusted")["message"].as_str().unwrap_or("").contains("JWKS"), "{report}");
    let ca = demo.path("demo-ca.pem");
    let run = demo.run(&["verify", &token, "--jwks", &jwks, "--cacert", ca.to_str().unwrap_or(""), "--json"]).await;
    assert_eq!(run.code(0).json()["valid"], true);
}

/// One engine, one https JWKS URL, two profiles: one trusts the demo CA, the other does
/// not. Each gets the answer its own trust gives, in either order: the set fetched over the
/// first profile's roots is never served to the second.
#[tokio::test]
async fn two_profiles_naming_one_jwks_url_keep_their_own_trust() {
    use tokdbg::core::engine::TokenSource;
    use tokdbg::core::model::profile::{IssuerConfig, Profile};
    use tokdbg::core::model::tls_config::TlsConfig;

    let demo = TlsDemo::start().await;
    let token = demo.run(&["token", "demo-reader", "--raw"]).await;
    let token = token.code(0).stdout.trim().to_owned();
    let jwks = format!("{}/oidc/.well-known/jwks.json", demo.tls_base_url());
    let profile = |ca_file: Option<String>| Profile {
        issuer: IssuerConfig { jwks_uri: Some(jwks.clone()), ..Default::default() },
        tls: TlsConfig { ca_file, ..TlsConfig::default() },
        ..Profile::default()
    };
    let trusting = profile(Some(demo.path("demo-ca.pem").to_string_lossy().into_owned()));
    let untrusting = profile(None);
    let key_check = |report: &tokdbg::core::engine::TokenReport| {
        let verification = report.verification.as_ref().expect("verified");
        let key = verification.checks.iter().find(|c| c.name.label() == "key").expect("key check");
        (format!("{:?}", key.status), key.code)
    };

    for order in [[&trusting, &untrusting], [&untrusting, &trusting]] {
        let engine = crate::support::engine();
        for profile in order {
            let report = engine.inspect(profile, &token, TokenSource::Given, None).await;
            let (status, code) = key_check(&report);
            if profile.tls.ca_file.is_some() {
                assert_eq!(status, "Pass", "{report:?}");
            } else {
                // The check fails on the refused certificate (diagnose names it tls_untrusted).
                assert_eq!((status.as_str(), code), ("Fail", Some(tokdbg::core::findings::Code::JwksUnreachable)));
                let error = report.verification.as_ref().and_then(|v| v.jwks_error.clone()).unwrap_or_default();
                assert!(error.contains("certificate"), "{error}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_json_names_the_certificate_presented_to_the_token_endpoint() {
    let demo = TlsDemo::start().await;
    let report = demo.run(&["token", "demo-mtls", "--json"]).await.code(0).json();
    let thumbprint = report["client_certificate"]["thumbprint"].as_str().expect("the certificate presented");
    assert_eq!(report["token"]["claims"]["cnf"]["x5t#S256"], thumbprint, "{report}");
    assert!(report["client_certificate"]["subject"].as_str().is_some_and(|s| s.contains("CN=demo-mtls")), "{report}");
    // A profile without a certificate has none in its report.
    let report = demo.run(&["token", "demo-reader", "--json"]).await.json();
    assert!(report.get("client_certificate").is_none(), "{report}");
}
