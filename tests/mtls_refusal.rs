//! A certificate the issuer refuses as the client's credential (RFC 8705 `tls_client_auth`),
//! through the real CLI against the demo over TLS: the evidence is the certificate presented
//! (the token request's `client_certificate`), and the fix speaks of certificates, not secrets.

use serde_json::Value;

use crate::support::tls::TlsDemo;

fn first_error(report: &Value) -> &Value {
    report["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["severity"] == "error"))
        .unwrap_or_else(|| panic!("no error finding: {report}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_client_certificate_is_the_evidence_and_the_fix_names_the_registered_subject() {
    let demo = TlsDemo::start().await;
    let run = demo.run(&["token", "demo-mtls-unknown-cert", "--json"]).await;
    let report = run.code(1).json();
    let presented =
        report["token_request"]["client_certificate"]["thumbprint"].as_str().expect("certificate presented");
    let finding = first_error(&report);
    assert_eq!(finding["code"], "invalid_client", "{report}");
    assert!(finding["evidence"]["actual"].as_str().is_some_and(|a| a.contains(presented)), "{finding}");
    let fix = finding["fix"].as_str().unwrap_or_default();
    assert!(fix.contains("tls_client_auth_subject_dn") && !fix.contains("client.secret"), "{fix}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_request_reports_the_certificate_its_token_is_bound_to() {
    let demo = TlsDemo::start().await;
    let run = demo.run(&["token", "demo-mtls", "--json"]).await;
    let report = run.code(0).json();
    let presented = &report["token_request"]["client_certificate"]["thumbprint"];
    assert!(presented.is_string(), "{report}");
    assert_eq!(&report["token"]["claims"]["cnf"]["x5t#S256"], presented, "{report}");
}
