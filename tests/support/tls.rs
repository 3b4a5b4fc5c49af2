//! The demo over https for the TLS tests: its profiles (and the CA, client certificates and
//! keys they read) written to a private directory, the real CLI run against them, and a
//! loopback TLS server whose certificate names another host.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tempfile::TempDir;
use tokdbg::demo::{DemoServer, write_demo_profiles};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::process::{Invocation, Run};

/// The demo server and its profiles, written as `tokdbg demo serve --write-profiles` does.
pub struct TlsDemo {
    /// Serves while the profiles point at it.
    server: DemoServer,
    pub dir: TempDir,
}

impl TlsDemo {
    pub async fn start() -> TlsDemo {
        let server = DemoServer::start("127.0.0.1:0".parse().expect("addr")).await.expect("demo server");
        let dir = tempfile::tempdir().expect("tempdir");
        write_demo_profiles(dir.path(), &server.base_url()).expect("demo profiles");
        TlsDemo { server, dir }
    }

    /// The demo over https (the same port as http).
    pub fn tls_base_url(&self) -> String {
        self.server.tls_base_url()
    }

    /// The demo's request counters (token requests, API calls, …).
    pub fn counters(&self) -> tokdbg::demo::DemoCounters {
        self.server.counters()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `tokdbg --profiles DIR ARGS…`
    pub async fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["--profiles", self.dir.path().to_str().expect("utf-8 dir")];
        all.extend_from_slice(args);
        Invocation::new(&all).run().await
    }

    /// Writes `{stem}.toml` beside the demo profiles.
    pub fn write_profile(&self, stem: &str, text: &str) {
        std::fs::write(self.dir.path().join(format!("{stem}.toml")), text).expect("write profile");
    }
}

/// A TLS server on 127.0.0.1 presenting a certificate from the demo CA for `api.demo.invalid`
/// only: any URL with 127.0.0.1 reaches it by a name its certificate does not hold.
pub struct WrongHostServer {
    pub port: u16,
    task: JoinHandle<()>,
}

impl Drop for WrongHostServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn wrong_host_server() -> WrongHostServer {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/demo/tls");
    let chain = CertificateDer::pem_file_iter(root.join("wrong-host.pem"))
        .expect("wrong-host.pem")
        .collect::<Result<Vec<_>, _>>()
        .expect("certificates");
    let key = PrivateKeyDer::from_pem_file(root.join("wrong-host.key")).expect("wrong-host.key");
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            // The client refuses the certificate: the handshake is all there is.
            tokio::spawn(async move {
                let _ = acceptor.accept(stream).await;
            });
        }
    });
    WrongHostServer { port, task }
}
