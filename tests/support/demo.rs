//! The embedded demo on 127.0.0.1:0 for engine tests: starting it, its profiles parsed as
//! users' files are, call specs, report summaries, and tiny loopback servers for answers the
//! demo does not give. Nothing leaves loopback.

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use serde_json::Value;
use tokdbg::core::engine::{CallReport, CallSpec, Engine, TokenChoice};
use tokdbg::core::findings::{Code, Finding};
use tokdbg::core::model::profile::{Endpoint, NoPrompt, Profile};
use tokdbg::core::model::secret::Secret;
use tokdbg::core::net::http::HttpConfig;
use tokdbg::core::store::profile_store::parse_profile;
use tokdbg::demo::{DemoServer, demo_profiles};

pub type BoxError = Box<dyn std::error::Error>;
pub type TestResult = Result<(), BoxError>;

/// Starts the demo issuer + API on a free loopback port.
pub async fn start_demo() -> Result<DemoServer, BoxError> {
    Ok(DemoServer::start("127.0.0.1:0".parse()?).await?)
}

/// An engine with short timeouts: everything it talks to is on loopback.
pub fn engine() -> Engine {
    Engine::new(HttpConfig {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(5),
        ..HttpConfig::default()
    })
}

/// A demo profile (`profiles/{stem}.toml`) pointed at `server`, parsed as a user's file.
pub fn demo_profile(server: &DemoServer, stem: &str) -> Result<Profile, BoxError> {
    let (_, text) = demo_profiles(&server.base_url())
        .into_iter()
        .find(|(name, _)| *name == stem)
        .ok_or_else(|| format!("no demo profile {stem}"))?;
    Ok(parse_profile(&text, &format!("{stem}.toml"))?)
}

/// The profile's client secret (the demo profiles hold literals).
pub fn client_secret(profile: &Profile) -> Result<Secret, BoxError> {
    let client = profile.client.as_ref().ok_or("the profile has no [client]")?;
    Ok(client.secret.as_ref().ok_or("the profile has no client.secret")?.resolve("client secret", &NoPrompt)?)
}

pub fn endpoint(profile: &Profile, name: &str) -> Result<Endpoint, BoxError> {
    Ok(profile.endpoint(name).cloned().ok_or_else(|| format!("no endpoint {name}"))?)
}

/// A call that fetches its token (cache first) with the profile's own secret.
pub fn fetch_spec(stem: &str, profile: &Profile, endpoint_name: &str) -> Result<CallSpec, BoxError> {
    let choice = TokenChoice::Fetch {
        credentials: tokdbg::core::model::credentials::Credentials::secret(client_secret(profile)?),
        force: false,
    };
    spec_with(stem, profile, endpoint_name, choice)
}

/// A call that sends `token` as is.
pub fn given_spec(stem: &str, profile: &Profile, endpoint_name: &str, token: &str) -> Result<CallSpec, BoxError> {
    spec_with(stem, profile, endpoint_name, TokenChoice::Given(Secret::new(token)))
}

pub fn spec_with(stem: &str, profile: &Profile, endpoint_name: &str, token: TokenChoice) -> Result<CallSpec, BoxError> {
    Ok(CallSpec {
        profile_key: stem.to_owned(),
        profile: profile.clone(),
        endpoint: endpoint(profile, endpoint_name)?,
        token,
    })
}

/// Loads a demo profile and runs the whole flow for one of its endpoints.
pub async fn call_demo(
    engine: &Engine,
    server: &DemoServer,
    stem: &str,
    endpoint_name: &str,
) -> Result<CallReport, BoxError> {
    let profile = demo_profile(server, stem)?;
    Ok(engine.call(fetch_spec(stem, &profile, endpoint_name)?, None).await)
}

/// The primary finding (the report always has one).
pub fn primary(report: &CallReport) -> &Finding {
    report.findings.first().expect("a call report always has a primary finding")
}

pub fn finding(report: &CallReport, code: Code) -> Option<&Finding> {
    report.findings.iter().find(|f| f.code == code)
}

/// The verdict and findings on one line each, for assertion messages.
pub fn summary(report: &CallReport) -> String {
    let mut text = format!("verdict {:?}, status {:?}", report.verdict, report.response.as_ref().map(|r| r.status));
    for f in &report.findings {
        text.push_str(&format!(
            "\n  [{:?}] {} — {} | expected {:?} actual {:?} | fix: {}",
            f.severity, f.code, f.message, f.evidence.expected, f.evidence.actual, f.fix
        ));
    }
    text
}

/// A loopback port nothing listens on. A released ephemeral port could be handed to another
/// test's server in the meantime (tests run in parallel), so the port comes from the
/// privileged range, which binding to port 0 never hands out: the first one that refuses.
pub fn closed_port() -> Result<u16, BoxError> {
    for port in [1, 9, 47, 79, 201] {
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        match std::net::TcpStream::connect_timeout(&address, std::time::Duration::from_secs(1)) {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => return Ok(port),
            _ => continue,
        }
    }
    Err("no closed privileged port on 127.0.0.1".into())
}

/// Serves `router` on a free loopback port until the test's runtime ends; returns its base URL.
pub async fn serve(router: Router) -> Result<String, BoxError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(format!("http://{addr}"))
}

/// Serves one JSON document per path (e.g. `("/ps256", jwks)`); returns the base URL.
pub async fn serve_json(documents: Vec<(String, Value)>) -> Result<String, BoxError> {
    let mut router = Router::new();
    for (path, document) in documents {
        router = router.route(
            &path,
            get(move || {
                let document = document.clone();
                async move { axum::Json(document) }
            }),
        );
    }
    serve(router).await
}
