//! The embedded demo: an Authing-like issuer under `/oidc` and protected APIs emulating real
//! stacks, one module per server dialect (express-jwt: `express_api` over `node_jwt`; Spring
//! Security: `spring_api`; FastAPI + PyJWT: `fastapi_api` over `pyjwt`), served by axum on a
//! local port; it backs `tokdbg demo` and the test-suite.

mod client_assertion;
mod client_auth;
mod clients;
mod discovery;
mod dpop;
mod express_api;
mod fastapi_api;
mod jose;
pub(crate) mod keys;
mod mtls_api;
mod mtls_auth;
mod mtls_discovery;
mod node_jwt;
mod opaque;
mod profiles;
mod pyjwt;
mod resource_metadata;
mod spring_api;
mod state;
mod tls_listener;
mod token_endpoint;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::HttpBody;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use keys::{DemoKey, sign_hmac_token, sign_token};
pub use profiles::{DEMO_TLS_FILES, demo_profiles, demo_profiles_in, write_demo_profiles};
pub use state::DemoCounters;
pub use tls_listener::DEMO_CA_PEM;

use crate::core::clock::{Clock, SystemClock};
use state::{DemoState, http_date};

/// Where `tokdbg demo serve` listens by default, and what the demo profiles point at.
pub const DEFAULT_ADDR: &str = "127.0.0.1:4455";
/// The app id: the audience of every token the demo issues by default.
pub const APP_ID: &str = "demo-app";

/// A running demo issuer + API. Dropping it stops the server.
#[derive(Debug)]
pub struct DemoServer {
    addr: SocketAddr,
    state: Arc<DemoState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl DemoServer {
    /// Binds `addr` (use `127.0.0.1:0` in tests) and serves on a tokio task, on the system's clock.
    pub async fn start(addr: SocketAddr) -> std::io::Result<DemoServer> {
        DemoServer::start_with_clock(addr, Arc::new(SystemClock)).await
    }

    /// [`DemoServer::start`] on `clock`: tokens are issued (`iat`, `exp`) and checked by it, and
    /// every answer's `Date` header reads it (tests pin it with a `FixedClock`).
    pub async fn start_with_clock(addr: SocketAddr, clock: Arc<dyn Clock>) -> std::io::Result<DemoServer> {
        // Plain HTTP and HTTPS (mTLS) on the same port: see tls_listener.
        let listener = tls_listener::DemoListener::new(tokio::net::TcpListener::bind(addr).await?)?;
        let addr = listener.socket_addr();
        let state = Arc::new(DemoState::new(format!("http://{addr}"), clock));
        let app = router(Arc::clone(&state));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            // A serve error can only come from the listener; the demo just ends then,
            // silently, because stdout/stderr belong to the CLI's output.
            let app = app.into_make_service_with_connect_info::<tls_listener::Peer>();
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(DemoServer { addr, state, stop: Some(stop), task: Some(task) })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        self.state.base_url.clone()
    }

    /// `{base_url}/oidc`
    pub fn issuer(&self) -> String {
        self.state.issuer.clone()
    }

    /// `https://127.0.0.1:PORT`: the same server over TLS (certificate from the demo CA,
    /// [`DEMO_CA_PEM`]; client certificates requested for mTLS).
    pub fn tls_base_url(&self) -> String {
        self.state.base_url.replacen("http://", "https://", 1)
    }

    /// From now on RS256 tokens are signed with demo-rsa-2, which the JWKS publishes;
    /// demo-rsa-1 stays published unless `retire_old`.
    pub fn rotate_keys(&self, retire_old: bool) {
        self.state.rotate(retire_old);
    }

    pub fn counters(&self) -> DemoCounters {
        self.state.counters()
    }

    /// Stops accepting, lets open requests finish, and waits for the server task.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

fn router(state: Arc<DemoState>) -> Router {
    Router::new()
        .route("/oidc/.well-known/openid-configuration", get(discovery::openid_configuration))
        .route("/oidc/.well-known/jwks.json", get(discovery::jwks))
        .route("/oidc/token", post(token_endpoint::token))
        .merge(express_api::routes())
        .merge(spring_api::routes())
        .merge(fastapi_api::routes())
        .merge(opaque::routes())
        .merge(dpop::routes())
        .merge(mtls_api::routes())
        .merge(resource_metadata::routes())
        // Everything else, notably /.well-known/* without /oidc, is a plain 404.
        .fallback(|| async {
            (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "Not Found").into_response()
        })
        .layer(axum::middleware::map_response_with_state(Arc::clone(&state), date_by_clock))
        .with_state(state)
}

/// The `Date` header from the demo's clock (hyper writes the system's only when none is set).
/// Hyper would write `content-length` and then `date` after the handler's headers; a known
/// length is written here first, so the headers keep that order.
async fn date_by_clock(State(state): State<Arc<DemoState>>, mut response: Response) -> Response {
    let Some(date) = http_date(state.now()).and_then(|d| HeaderValue::from_str(&d).ok()) else {
        return response;
    };
    let length = HttpBody::size_hint(response.body()).exact();
    let headers = response.headers_mut();
    if let Some(length) = length
        && !headers.contains_key(header::CONTENT_LENGTH)
    {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    headers.insert(header::DATE, date);
    response
}
