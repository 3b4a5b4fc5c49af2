//! No secret leaks: every CLI command (human and --json, success and failure), the TUI's
//! screens and clipboard exports, and the `Debug`/JSON output of every type that holds a
//! secret are searched for recognisable client secrets, HMAC secrets and token signatures.

use crate::support;
use std::path::Path;
use std::process::Stdio;

use base64::Engine as _;
use tokdbg::core::engine::token_cache::CachedToken;
use tokdbg::core::engine::{CallSpec, Engine, TokenChoice, TokenSource};
use tokdbg::core::model::credentials::Credentials;
use tokdbg::core::model::profile::{NoPrompt, SecretSource};
use tokdbg::core::model::secret::Secret;
use tokdbg::core::net::http::{HttpConfig, HttpResponse};
use tokdbg::core::oauth::token_request::{TokenRequest, parse_token_response};
use tokdbg::core::store::profile_store::parse_profile;
use tokdbg::demo::{self, DemoServer};
use tokdbg::tui::msg::Cmd;
use tokdbg::tui::state::app::{AfterPrompt, Mode, PromptState};
use tokdbg::tui::state::paste::PasteState;

use crate::support::tui::{Harness, enter, esc, key, typed};

/// A client secret nobody would print by accident, given through several sources.
const CANARY_SK: &str = "SK-CANARY-5f0c1e9ab27d";
/// An HMAC secret of the same kind.
const CANARY_HMAC: &str = "HMAC-CANARY-77d2c0e4aa";

/// Every string that must never appear: secrets, their Basic-auth encodings, token signatures.
struct Needles(Vec<String>);

impl Needles {
    fn new(server: &DemoServer) -> Needles {
        let mut needles = vec![CANARY_SK.to_owned(), CANARY_HMAC.to_owned()];
        for (_, text) in demo::demo_profiles(&server.base_url()) {
            if let Ok(profile) = parse_profile(&text, "demo")
                && let Some(client) = &profile.client
                && let Some(SecretSource::Literal(secret)) = &client.secret
            {
                needles.push(secret.expose().to_owned());
                let pair = format!("{}:{}", client.id, secret.expose());
                needles.push(base64::engine::general_purpose::STANDARD.encode(pair));
            }
            // A demo profile's private key (private_key_jwt): each line of its PEM body.
            if let Ok(profile) = parse_profile(&text, "demo")
                && let Some(SecretSource::Literal(key)) = profile.client.as_ref().and_then(|c| c.private_key.as_ref())
            {
                let body = key.expose().lines().filter(|l| l.len() >= 16 && !l.starts_with("-----"));
                needles.extend(body.map(str::to_owned));
            }
        }
        // The demo clients' private keys (mTLS): each base64 line of their PEM bodies.
        for (name, pem) in demo::DEMO_TLS_FILES.iter().filter(|(name, _)| name.ends_with(".key")) {
            let lines = pem.lines().filter(|line| !line.starts_with("-----") && line.len() > 24);
            needles.extend(lines.map(str::to_owned));
            assert!(needles.len() > 2, "{name} has a body");
        }
        Needles(needles)
    }

    /// An opaque (reference) token: the whole of it is the credential.
    fn add_opaque(&mut self, token: &str) {
        self.0.push(token.trim().to_owned());
    }

    fn add_token(&mut self, token: &str) {
        if let Some(signature) = token.trim().rsplit('.').next().filter(|s| s.len() > 16) {
            self.0.push(signature.to_owned());
        }
    }

    #[track_caller]
    fn assert_absent(&self, what: &str, text: &str) {
        for needle in &self.0 {
            assert!(!text.contains(needle.as_str()), "{what} leaks a secret ({}…)", &needle[..needle.len().min(12)]);
        }
        assert_no_signed_assertion(what, text);
    }
}

/// No signed client assertion anywhere: a JWT whose claims are a client's (`iss` = `sub`,
/// an `aud` ending in `/token`) may be shown only with its signature redacted.
#[track_caller]
fn assert_no_signed_assertion(what: &str, text: &str) {
    let is_jwt_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    for word in text.split(|c: char| !is_jwt_char(c)).filter(|w| w.starts_with("eyJ") && w.matches('.').count() == 2) {
        let mut parts = word.split('.');
        let (_, payload, signature) = (parts.next(), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let claims: Option<serde_json::Value> = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok());
        let Some(claims) = claims else { continue };
        let is_assertion = claims.get("iss").is_some()
            && claims.get("iss") == claims.get("sub")
            && claims.get("aud").and_then(|a| a.as_str()).is_some_and(|aud| aud.ends_with("/token"));
        assert!(!is_assertion || signature.is_empty(), "{what} shows a signed client assertion");
    }
}

fn write_canary_profiles(dir: &Path, base: &str) {
    let profile = |name: &str, secret: &str, extra_expect: &str| {
        format!(
            r#"name = "{name}"
[issuer]
url = "{base}/oidc"
[client]
id = "demo-reader"
secret = "{secret}"
scopes = ["order:read"]
[expect]
issuer = "{base}/oidc"
audience = "demo-app"
algorithms = ["RS256"]
{extra_expect}
[[endpoints]]
name = "read orders"
url = "{base}/api/protected"
required_scopes = ["order:read"]
"#
        )
    };
    let files = [
        ("canary-env", profile("canary via env", "env:TOKDBG_LEAK_CANARY", "")),
        ("canary-literal", profile("canary literal", CANARY_SK, "")),
        // The command names where the secret is, not the secret (a command is shown as written).
        ("canary-cmd", profile("canary via cmd", &format!("cmd:cat {}", dir.join("sk.txt").display()), "")),
        ("canary-file", profile("canary via file", &format!("file:{}", dir.join("sk.txt").display()), "")),
        ("canary-hmac", profile("canary hmac", "demo-reader-secret", &format!("hmac_secret = \"{CANARY_HMAC}\""))),
    ];
    std::fs::write(dir.join("sk.txt"), CANARY_SK).unwrap();
    for (stem, text) in files {
        std::fs::write(dir.join(format!("{stem}.toml")), text).unwrap();
    }
}

async fn tokdbg(dir: &Path, args: &[&str]) -> String {
    let output = support::tokdbg_command()
        .arg("--profiles")
        .arg(dir)
        .args(args)
        .env("TOKDBG_LEAK_CANARY", CANARY_SK)
        .stdin(Stdio::null())
        .output()
        .await
        .expect("tokdbg runs");
    format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[tokio::test(flavor = "multi_thread")]
async fn no_cli_command_prints_a_secret() {
    let server = DemoServer::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    demo::write_demo_profiles(dir.path(), &server.base_url()).unwrap();
    write_canary_profiles(dir.path(), &server.base_url());
    let mut needles = Needles::new(&server);

    // One token is printed on purpose (--reveal): its signature must appear nowhere else.
    let revealed = tokdbg(dir.path(), &["token", "demo-reader", "--reveal"]).await;
    let token = revealed.lines().find(|l| l.starts_with("eyJ")).expect("--reveal prints the token").trim().to_owned();
    needles.add_token(&token);
    let hs_token = demo::sign_hmac_token(
        &serde_json::json!({ "iss": format!("{}/oidc", server.base_url()), "aud": "demo-app", "exp": 4_000_000_000u64, "scope": "order:read" }),
        jsonwebtoken::Algorithm::HS256,
        CANARY_HMAC.as_bytes(),
    );
    needles.add_token(&hs_token);
    // Reference tokens, printed on purpose once each (--raw): introspected, revoked and sent,
    // they must appear nowhere else.
    let opaque = tokdbg(dir.path(), &["token", "demo-opaque", "--raw"]).await.lines().next().unwrap_or("").to_owned();
    let revoked = tokdbg(dir.path(), &["token", "demo-opaque", "--raw"]).await.lines().next().unwrap_or("").to_owned();
    assert!(opaque.len() >= 32 && revoked.len() >= 32 && !opaque.contains('.'), "{opaque} {revoked}");
    needles.add_opaque(&opaque);
    needles.add_opaque(&revoked);

    let stems: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .filter_map(|path| path.file_stem()?.to_str().map(str::to_owned))
        .collect();
    let ca_file = dir.path().join("demo-ca.pem").display().to_string();
    let mut runs = 0;
    for json in [false, true] {
        let flag: &[&str] = if json { &["--json"] } else { &[] };
        let mut commands: Vec<Vec<String>> = vec![
            vec!["profiles".into(), "list".into()],
            vec!["profiles".into(), "check".into()],
            vec!["decode".into(), token.clone()],
            vec!["verify".into(), token.clone(), "--profile".into(), "demo-reader".into()],
            vec!["verify".into(), hs_token.clone(), "--profile".into(), "canary-hmac".into()],
            vec![
                "verify".into(),
                token.clone(),
                "--jwks".into(),
                format!("{}/oidc/.well-known/jwks.json", server.base_url()),
            ],
            vec!["call".into(), "demo-reader".into(), "--token".into(), token.clone()],
            vec!["call".into(), "demo-reader".into(), "--no-token".into()],
            vec!["call".into(), "canary-hmac".into(), "--token".into(), hs_token.clone()],
            vec!["introspect".into(), "demo-opaque".into(), opaque.clone()],
            vec!["introspect".into(), "demo-opaque-revoked".into()],
            // A wrong secret at the introspection endpoint: the error path.
            vec!["introspect".into(), "canary-literal".into(), opaque.clone()],
            vec!["introspect".into(), "canary-env".into(), opaque.clone()],
            vec!["call".into(), "demo-opaque".into(), "--token".into(), opaque.clone()],
            vec!["revoke".into(), "canary-literal".into(), revoked.clone()],
            vec!["revoke".into(), "demo-opaque".into(), revoked.clone()],
            vec!["introspect".into(), "demo-opaque".into(), revoked.clone()],
            vec!["call".into(), "demo-opaque".into(), "--token".into(), revoked.clone()],
            // The https profiles with the demo CA given by flag, and with checks off.
            vec!["call".into(), "demo-https-untrusted".into(), "--cacert".into(), ca_file.clone()],
            vec!["call".into(), "demo-mtls".into(), "--insecure".into()],
        ];
        for stem in &stems {
            commands.push(vec!["profiles".into(), "show".into(), stem.clone()]);
            commands.push(vec!["token".into(), stem.clone()]);
            commands.push(vec!["call".into(), stem.clone()]);
            commands.push(vec!["introspect".into(), stem.clone()]);
        }
        for endpoint in ["write orders", "misconfigured audience", "misconfigured jwks", "rfc6750 read orders"] {
            commands.push(vec!["call".into(), "demo-reader".into(), endpoint.into()]);
        }
        for command in commands {
            let mut args: Vec<&str> = command.iter().map(String::as_str).collect();
            args.extend_from_slice(flag);
            let output = tokdbg(dir.path(), &args).await;
            needles.assert_absent(&format!("tokdbg {}", command.join(" ")), &output);
            runs += 1;
        }
    }
    assert!(runs > 80, "only {runs} command runs");
}

#[tokio::test(flavor = "multi_thread")]
async fn debug_and_json_of_secret_holding_types_are_redacted() {
    let server = DemoServer::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_canary_profiles(dir.path(), &server.base_url());
    let mut needles = Needles::new(&server);
    let text = std::fs::read_to_string(dir.path().join("canary-literal.toml")).unwrap();
    let profile = parse_profile(&text, "canary-literal.toml").unwrap();
    let secret = Secret::new(CANARY_SK);
    let check = |what: &str, text: String, needles: &Needles| needles.assert_absent(what, &text);

    check("Secret", format!("{secret:?} {secret}"), &needles);
    check("Profile", format!("{profile:?}"), &needles);
    check("Profile JSON", serde_json::to_string(&profile).unwrap(), &needles);
    check("SecretSource", format!("{:?}", SecretSource::parse(CANARY_SK)), &needles);
    let request = TokenRequest {
        endpoint: format!("{}/oidc/token", server.base_url()),
        client_id: "demo-reader".into(),
        credentials: Credentials::secret(secret.clone()),
        auth_method: tokdbg::core::model::profile::AuthMethod::ClientSecretBasic,
        scopes: vec![],
        audience: None,
        resource: None,
        extra: vec![],
        assertion: None,
    };
    check("TokenRequest", format!("{request:?} {:?}", request.view()), &needles);
    let real = demo::sign_token(
        &serde_json::json!({ "sub": "x", "exp": 4_000_000_000u64 }),
        jsonwebtoken::Algorithm::RS256,
        demo::DemoKey::Rsa1,
        Some("demo-rsa-1"),
    );
    needles.add_token(&real);
    let response = HttpResponse {
        status: 200,
        headers: vec![],
        body: serde_json::json!({ "access_token": real, "token_type": "Bearer", "expires_in": 60 })
            .to_string()
            .into_bytes(),
        truncated: false,
        latency: std::time::Duration::ZERO,
        final_url: String::new(),
    };
    let parsed = parse_token_response(&response).unwrap();
    check("TokenResponse", format!("{parsed:?} {}", serde_json::to_string(&parsed).unwrap()), &needles);
    check(
        "CachedToken",
        format!("{:?}", CachedToken { token: Secret::new(real.clone()), fetched_at: 0, expires_at: None }),
        &needles,
    );
    check("DecodedToken", format!("{:?}", tokdbg::core::token::jwt::decode(&real).unwrap()), &needles);

    let engine = Engine::new(HttpConfig::default());
    let demo_reader = parse_profile(
        &demo::demo_profiles(&server.base_url()).into_iter().find(|(s, _)| *s == "demo-reader").unwrap().1,
        "demo-reader.toml",
    )
    .unwrap();
    let reader_secret =
        demo_reader.client.as_ref().and_then(|c| c.secret.as_ref()).unwrap().resolve("sk", &NoPrompt).unwrap();
    let choice = TokenChoice::Fetch {
        credentials: tokdbg::core::model::credentials::Credentials::secret(reader_secret.clone()),
        force: false,
    };
    check("TokenChoice", format!("{choice:?}"), &needles);
    let spec = CallSpec {
        profile_key: "demo-reader".into(),
        profile: demo_reader.clone(),
        endpoint: demo_reader.endpoints[0].clone(),
        token: choice,
    };
    check("CallSpec", format!("{spec:?}"), &needles);
    let report = engine.call(spec, Some(Secret::new(CANARY_HMAC))).await;
    if let Some(token) = &report.access_token {
        needles.add_token(token.expose());
    }
    check("CallReport", format!("{report:?} {}", serde_json::to_string(&report).unwrap()), &needles);
    let fetch =
        engine.fetch_token("demo-reader", &demo_reader, Credentials::secret(reader_secret.clone()), true, None).await;
    if let Some(token) = &fetch.access_token {
        needles.add_token(token.expose());
    }
    check("TokenFetch", format!("{fetch:?} {}", serde_json::to_string(&fetch).unwrap()), &needles);
    let inspected = engine.inspect(&demo_reader, &real, TokenSource::Given, Some(Secret::new(CANARY_HMAC))).await;
    check("TokenReport", format!("{inspected:?} {}", serde_json::to_string(&inspected).unwrap()), &needles);

    let cmd = Cmd::FetchToken {
        task: 1,
        stem: "x".into(),
        profile: Box::new(profile.clone()),
        prompted: Some(secret.clone()),
    };
    check("Cmd", format!("{cmd:?}"), &needles);
    let prompt = PromptState {
        stem: "x".into(),
        label: "sk".into(),
        input: tui_input::Input::new(CANARY_SK.to_owned()),
        then: AfterPrompt::FetchToken,
    };
    check("PromptState", format!("{prompt:?}"), &needles);
    let mut paste = PasteState::default();
    paste.set_token(&real);
    check("PasteState", format!("{paste:?} {:?}", Mode::Paste(Box::new(paste.clone()))), &needles);
}

#[tokio::test(flavor = "multi_thread")]
async fn tui_screens_clipboard_and_history_never_show_a_secret() {
    let mut harness = Harness::demo_with(120, 40, write_canary_profiles).await;
    let mut needles = Needles::new(harness.server.as_ref().unwrap());
    support::tui::write_prompt_profile(harness.dir.path(), &harness.base_url());
    let mut screens = Vec::new();

    // Fetch, send, every tab, the copy menu's redacted curl; then the canary profiles.
    let mut script = vec![key('t'), tokdbg::tui::msg::Msg::WaitIdle, key('s'), tokdbg::tui::msg::Msg::WaitIdle];
    script.extend([key('y'), key('c'), tokdbg::tui::msg::Msg::WaitIdle]);
    harness.run(script).await;
    for tab in ['1', '2', '3', '4', '5', '6'] {
        harness.run(vec![key(tab)]).await;
        screens.push(harness.screen());
    }
    // The assertion methods: the token view (assertion decoded) and the copied curl of the call.
    for stem in ["demo-private-key-jwt", "demo-secret-jwt", "demo-private-key-jwt-wrong-key"] {
        harness.select(stem);
        harness.run(vec![key('t'), tokdbg::tui::msg::Msg::WaitIdle]).await;
        for tab in ['1', '2'] {
            harness.run(vec![key(tab)]).await;
            screens.push(harness.screen());
        }
        harness.run(vec![key('y'), key('c'), tokdbg::tui::msg::Msg::WaitIdle]).await;
        screens.push(harness.screen());
        harness.run(vec![esc()]).await;
    }
    for stem in ["canary-literal", "canary-env", "canary-cmd", "canary-file", "canary-hmac"] {
        harness.select(stem);
        harness.run(vec![key('s'), tokdbg::tui::msg::Msg::WaitIdle, key('2')]).await;
        screens.push(harness.screen());
        harness.run(vec![key('1')]).await;
        screens.push(harness.screen());
        harness.run(vec![key('e')]).await;
        screens.push(harness.screen());
        harness.run(vec![esc()]).await;
    }
    // A secret typed at a prompt is masked.
    harness.app.profiles.set_filter("");
    harness.app.profiles.refilter();
    let store = tokdbg::core::store::profile_store::load_dir(
        harness.dir.path(),
        tokdbg::core::store::profile_store::DirOrigin::Flag,
    )
    .unwrap();
    harness.app.profiles = tokdbg::tui::state::profiles::ProfileList::from_store(&store);
    harness.select("prompted");
    let mut script = vec![key('t')];
    script.extend(typed(CANARY_SK));
    harness.run(script).await;
    screens.push(harness.screen());
    harness.run(vec![enter(), tokdbg::tui::msg::Msg::WaitIdle]).await;
    screens.push(harness.screen());

    for session in harness.app.sessions.values() {
        if let Some(token) = session.token.as_ref().and_then(|t| t.access_token.as_ref()) {
            needles.add_token(token.expose());
        }
    }
    for (i, screen) in screens.iter().enumerate() {
        needles.assert_absent(&format!("TUI screen {i}"), screen);
    }
    let copies = harness.clipboard.copies();
    assert!(!copies.is_empty(), "the curl export was copied");
    for copy in copies {
        needles.assert_absent(&format!("clipboard copy {}", copy.label), &copy.text);
    }
    for report in &harness.app.history {
        needles
            .assert_absent("history entry", &format!("{report:?} {}", serde_json::to_string(report.as_ref()).unwrap()));
    }
    needles.assert_absent("App state", &format!("{:?}", harness.app));
}

/// An introspection or revocation endpoint that echoes the whole request back (form, token,
/// Authorization header) in its answer: tokdbg shows the answer scrubbed, in every output.
#[tokio::test(flavor = "multi_thread")]
async fn an_introspection_answer_echoing_the_token_and_the_secret_is_scrubbed() {
    use axum::http::HeaderMap;
    use axum::routing::post;
    let echo = |headers: HeaderMap, body: String| async move {
        let form: std::collections::BTreeMap<String, String> =
            url::form_urlencoded::parse(body.as_bytes()).into_owned().collect();
        let authorization = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        axum::Json(serde_json::json!({
            "active": true,
            "scope": "order:read",
            "token": form.get("token"),
            "echo": { "body": body, "authorization": authorization, "form": form },
        }))
    };
    let refuse = |body: String| async move {
        (
            axum::http::StatusCode::BAD_REQUEST,
            axum::Json(
                serde_json::json!({ "error": "invalid_request", "error_description": format!("bad request: {body}") }),
            ),
        )
    };
    let base = support::serve(axum::Router::new().route("/introspect", post(echo)).route("/revoke", post(refuse)))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (stem, method) in [("echo-post", "client_secret_post"), ("echo-basic", "client_secret_basic")] {
        std::fs::write(
            dir.path().join(format!("{stem}.toml")),
            format!(
                "[issuer]\ntoken_endpoint = \"{base}/token\"\nintrospection_endpoint = \"{base}/introspect\"\nrevocation_endpoint = \"{base}/revoke\"\n[client]\nid = \"demo-reader\"\nsecret = \"{CANARY_SK}\"\nauth_method = \"{method}\"\n"
            ),
        )
        .unwrap();
    }
    let token = "opaque-CANARY-TOKEN-0a9b8c7d6e5f";
    let needles = Needles(vec![
        CANARY_SK.to_owned(),
        token.to_owned(),
        base64::engine::general_purpose::STANDARD.encode(format!("demo-reader:{CANARY_SK}")),
    ]);
    for stem in ["echo-post", "echo-basic"] {
        for json in [false, true] {
            let mut args = vec!["introspect", stem, token];
            if json {
                args.push("--json");
            }
            let output = tokdbg(dir.path(), &args).await;
            assert!(output.contains("order:read"), "{output}");
            needles.assert_absent(&format!("introspect {stem} json={json}"), &output);
            let mut args = vec!["revoke", stem, token];
            if json {
                args.push("--json");
            }
            let output = tokdbg(dir.path(), &args).await;
            assert!(output.contains("invalid_request"), "{output}");
            needles.assert_absent(&format!("revoke {stem} json={json}"), &output);
        }
    }
}

/// Every DPoP proof in `text` (its header starts `{"typ":"dpop+jwt"`) shows no signature.
#[track_caller]
fn assert_proofs_unsigned(what: &str, text: &str) {
    const PROOF_HEADER: &str = "eyJ0eXAiOiJkcG9wK2p3dCI";
    for (at, _) in text.match_indices(PROOF_HEADER) {
        let rest: String = text[at..].chars().take_while(|c| !c.is_whitespace() && *c != '"').collect();
        let parts: Vec<&str> = rest.split('.').collect();
        assert!(parts.len() < 3 || parts[2].starts_with("[signature"), "{what} shows a DPoP proof with its signature");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn dpop_private_keys_and_proof_signatures_never_print() {
    use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
    let server = DemoServer::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    demo::write_demo_profiles(dir.path(), &server.base_url()).unwrap();
    let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).unwrap();
    let der = pair.to_pkcs8v1().unwrap();
    let body = base64::engine::general_purpose::STANDARD.encode(der.as_ref());
    let lines: Vec<String> = body.as_bytes().chunks(64).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    let pem = format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", lines.join("\n"));
    std::fs::write(dir.path().join("dpop.pem"), &pem).unwrap();
    let demo_dpop = std::fs::read_to_string(dir.path().join("demo-dpop.toml")).unwrap();
    let with_key = demo_dpop.replace(
        "alg = \"ES256\"  # no private_key: a fresh key for each run",
        &format!("alg = \"ES256\"\nprivate_key = \"file:{}\"", dir.path().join("dpop.pem").display()),
    );
    assert_ne!(with_key, demo_dpop, "the demo profile's [dpop] line moved");
    std::fs::write(dir.path().join("dpop-keyed.toml"), with_key).unwrap();
    // The key's whole body and each of its lines are needles; so is every demo secret.
    let mut needles = Needles::new(&server);
    needles.0.push(body.clone());
    needles.0.extend(lines.iter().filter(|l| l.len() > 16).cloned());

    for stem in ["dpop-keyed", "demo-dpop", "demo-dpop-proxy", "demo-dpop-as-bearer"] {
        for json in [false, true] {
            for command in [vec!["call", stem], vec!["token", stem], vec!["profiles", "show", stem]] {
                let mut args = command.clone();
                if json {
                    args.push("--json");
                }
                let output = tokdbg(dir.path(), &args).await;
                let what = format!("tokdbg {}", args.join(" "));
                needles.assert_absent(&what, &output);
                assert_proofs_unsigned(&what, &output);
            }
        }
    }
    // The report and the profile as values (Debug, JSON) say the same.
    let profile = parse_profile(&std::fs::read_to_string(dir.path().join("dpop-keyed.toml")).unwrap(), "k").unwrap();
    let engine = Engine::new(HttpConfig::default());
    let client = profile.client.as_ref().unwrap();
    let secret = client.secret.as_ref().unwrap().resolve("sk", &NoPrompt).unwrap();
    let spec = CallSpec {
        profile_key: "dpop-keyed".into(),
        endpoint: profile.endpoints[0].clone(),
        profile: profile.clone(),
        token: TokenChoice::Fetch { credentials: Credentials::secret(secret), force: true },
    };
    let report = engine.call(spec, None).await;
    assert_eq!(report.dpop.as_ref().and_then(|d| d.key.as_ref()).map(|k| k.source), Some("private_key"));
    for (what, text) in [
        ("CallReport Debug", format!("{report:?}")),
        ("CallReport JSON", serde_json::to_string(&report).unwrap()),
        ("Profile Debug", format!("{profile:?}")),
    ] {
        needles.assert_absent(what, &text);
        assert_proofs_unsigned(what, &text);
    }
}

/// The copy menu's curl of an mTLS and a DPoP call (redacted and with the token), and the token
/// request's export for every demo client: no key's content, no signed proof or assertion.
#[tokio::test(flavor = "multi_thread")]
async fn curl_exports_over_mtls_and_dpop_carry_no_key_proof_or_assertion() {
    use tokdbg::core::curl::{CurlOptions, CurlTransport, token_request_as_curl_over};
    let mut harness = Harness::demo(120, 40).await;
    let needles = Needles::new(harness.server.as_ref().unwrap());
    for stem in ["demo-mtls", "demo-mtls-self-signed", "demo-dpop"] {
        harness.select(stem);
        harness.run(vec![key('s'), tokdbg::tui::msg::Msg::WaitIdle]).await;
        for copy in ['c', 'C'] {
            harness.run(vec![key('y'), key(copy), tokdbg::tui::msg::Msg::WaitIdle]).await;
        }
    }
    let copies = harness.clipboard.copies();
    assert_eq!(copies.len(), 6, "two copies of each call");
    for copy in &copies {
        let what = format!("clipboard copy {}", copy.label);
        needles.assert_absent(&what, &copy.text);
        assert_proofs_unsigned(&what, &copy.text);
        assert!(!copy.text.contains("PRIVATE KEY"), "{what}: {}", copy.text);
    }
    let texts: Vec<&str> = copies.iter().map(|c| c.text.as_str()).collect();
    assert!(texts[..4].iter().all(|t| t.contains("--key '") && t.contains("--cacert '")), "{texts:?}");
    assert!(texts[4..].iter().all(|t| t.contains("\"DPoP: $DPOP_PROOF\"")), "{texts:?}");

    // The token request of every demo client, as its export shows it.
    let dir = harness.dir.path().to_path_buf();
    let store = tokdbg::core::store::profile_store::load_dir(&dir, tokdbg::core::store::profile_store::DirOrigin::Flag)
        .unwrap();
    for entry in &store.entries {
        let Ok(profile) = &entry.loaded else { continue };
        let Some(client) = &profile.client else { continue };
        let Ok(sources) = client.credential_sources() else { continue };
        let mut credentials = Credentials::default();
        for (field, source) in sources.fields() {
            if let Ok(read) = source.resolve_shaped(field.label(), &NoPrompt, field.shape()) {
                credentials.set(field, read.secret);
            }
        }
        let request = TokenRequest {
            endpoint: format!("{}/oidc/token", harness.base_url()),
            client_id: client.id.clone(),
            credentials,
            auth_method: client.auth_method,
            scopes: client.scopes.clone(),
            audience: client.audience.clone(),
            resource: client.resource.clone(),
            extra: vec![],
            assertion: None,
        };
        let command =
            token_request_as_curl_over(&request, &CurlTransport::for_profile(profile), CurlOptions::default());
        let what = format!("the token request export of {}", entry.stem);
        needles.assert_absent(&what, &command);
        assert_proofs_unsigned(&what, &command);
        assert!(!command.contains("PRIVATE KEY"), "{what}: {command}");
    }
}
