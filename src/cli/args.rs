//! The command line, as clap types: every command, flag and its help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Where `tokdbg demo serve` listens by default. The same as `crate::demo::DEFAULT_ADDR` (a test
/// checks it), written out here so that the command line, and its help, stay the same in a build
/// without the demo.
const DEMO_ADDR: &str = "127.0.0.1:4455";

#[derive(Debug, Parser)]
#[command(
    name = "tokdbg",
    version,
    about = "A terminal token debugger for machine-to-machine OAuth 2.0 / OpenID Connect",
    long_about = "tokdbg fetches tokens with the client_credentials grant, decodes and verifies them against the \
issuer's JWKS, sends them to protected endpoints, and says why a call was denied.\n\n\
Without a command it opens the interactive view over your profiles; `tokdbg demo` does the same over a built-in demo.",
    after_help = "Exit codes: 0 allowed/valid, 1 denied/invalid, 2 usage or profile error, 3 network (host unreachable)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The heading global flags are listed under in every command's help, apart from its own.
const GLOBAL_HEADING: &str = "Global options";

/// `--timeout` without the flag: what one HTTP request may take, as before the flag existed.
pub const DEFAULT_TIMEOUT_SECS: u64 = 15;
/// The longest `--timeout` accepted: longer waits are hangs, not slow issuers.
pub const MAX_TIMEOUT_SECS: u64 = 600;

#[derive(Debug, Args, Clone)]
pub struct Global {
    /// Profile directory (default: $TOKDBG_PROFILES, else the user config dir)
    #[arg(long, global = true, value_name = "DIR", help_heading = GLOBAL_HEADING)]
    pub profiles: Option<PathBuf>,
    /// Machine-readable JSON on stdout
    #[arg(long, global = true, help_heading = GLOBAL_HEADING)]
    pub json: bool,
    /// No colours (also when NO_COLOR is set or stdout is not a terminal)
    #[arg(long, global = true, help_heading = GLOBAL_HEADING)]
    pub no_color: bool,
    /// Seconds each HTTP request may take (1-600, default 15); the whole command gets three times that
    #[arg(
        long,
        global = true,
        value_name = "SECS",
        env = "TOKDBG_TIMEOUT",
        value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECS),
        help_heading = GLOBAL_HEADING
    )]
    pub timeout: Option<u64>,
    /// Extra trusted CA certificates (PEM) for every https request, on top of the system's
    /// (and SSL_CERT_FILE's); replaces the profile's tls.ca_file
    #[arg(long, global = true, value_name = "FILE", help_heading = GLOBAL_HEADING)]
    pub cacert: Option<PathBuf>,
    /// Dev only: accept any server certificate (warned on every call as insecure_tls)
    #[arg(long, global = true, help_heading = GLOBAL_HEADING)]
    pub insecure: bool,
}

impl Global {
    /// What one HTTP request may take.
    pub fn request_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.timeout.unwrap_or(DEFAULT_TIMEOUT_SECS))
    }

    /// What a whole command (discovery, token, JWKS and API requests in a row) may take: the
    /// steps run one after another, so a few request timeouts, never unbounded.
    pub fn command_deadline(&self) -> std::time::Duration {
        self.request_timeout() * 3
    }

    /// The HTTP settings of every network command: `--timeout` for each request, and a
    /// connect timeout no longer than it.
    pub fn http_config(&self) -> crate::core::net::http::HttpConfig {
        let defaults = crate::core::net::http::HttpConfig::default();
        let timeout = self.request_timeout();
        crate::core::net::http::HttpConfig {
            connect_timeout: defaults.connect_timeout.min(timeout),
            timeout,
            ..defaults
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decode a JWT without a key: header, claims, human times, scopes
    Decode {
        /// The token, or "-" (or nothing) to read it from stdin
        token: Option<String>,
    },
    /// Verify a JWT: signature against the JWKS, alg, exp/nbf, iss, aud
    Verify(VerifyArgs),
    /// Fetch a token for a profile with the client_credentials grant
    Token {
        /// Profile name (file stem or `name`)
        profile: String,
        /// Also print the raw access token, first (it is a credential: handle with care)
        #[arg(long, conflicts_with = "raw")]
        reveal: bool,
        /// Print only the access token and a newline, for scripts (a credential: do not log it)
        #[arg(long)]
        raw: bool,
        /// Print the token request as a curl command instead of sending it (the secret and any
        /// assertion come from $CLIENT_SECRET / $CLIENT_ASSERTION)
        #[arg(long, conflicts_with_all = ["raw", "reveal"])]
        curl: bool,
    },
    /// Fetch a token, verify it, call an endpoint and diagnose the answer
    Call(CallArgs),
    /// Ask the issuer whether a token is active (RFC 7662), with the profile client's credentials
    Introspect {
        /// Profile name (file stem or `name`)
        profile: String,
        /// The token ("-" reads stdin); default: a token fetched for the profile
        token: Option<String>,
    },
    /// Revoke a token at the issuer (RFC 7009), with the profile client's credentials
    Revoke {
        /// Profile name (file stem or `name`)
        profile: String,
        /// The token ("-" reads stdin)
        token: String,
    },
    /// List, show or check profiles
    Profiles {
        #[command(subcommand)]
        action: Option<ProfilesAction>,
    },
    /// Print shell completions (bash, zsh and fish also complete profile names)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Check an API's own verifier config (Express, Spring, ASP.NET, PyJWT, .env) against the live issuer
    CheckApi(CheckApiArgs),
    /// Draft a profile from an API's URL: its challenge, RFC 9728 metadata and issuer
    Init(InitArgs),
    /// Draft a profile from something else (a curl command)
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Run the built-in demo issuer and API
    Demo {
        #[command(subcommand)]
        action: Option<DemoAction>,
    },
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The token, or "-" to read it from stdin
    pub token: String,
    /// Verify as this profile's API would ([expect] and its issuer)
    #[arg(long, conflicts_with_all = ["issuer", "jwks"])]
    pub profile: Option<String>,
    /// Issuer URL: discovery finds the JWKS; also the expected iss unless --iss is given
    #[arg(long, value_name = "URL")]
    pub issuer: Option<String>,
    /// JWKS URL (skips discovery)
    #[arg(long, value_name = "URL")]
    pub jwks: Option<String>,
    /// Expected issuer (iss)
    #[arg(long, value_name = "ISS")]
    pub iss: Option<String>,
    /// Expected audience (repeat for several; any matches)
    #[arg(long = "aud", value_name = "AUD")]
    pub aud: Vec<String>,
    /// Allowed algorithm (repeat; default: the profile's, else every asymmetric one)
    #[arg(long = "alg", value_name = "ALG")]
    pub alg: Vec<String>,
    /// Clock leeway in seconds for exp/nbf
    #[arg(long, value_name = "SECS")]
    pub leeway: Option<u64>,
    /// Shared secret for HS* tokens, as a secret source: env:VAR, file:PATH, cmd:COMMAND or prompt
    #[arg(long, value_name = "SOURCE")]
    pub hmac_secret: Option<String>,
    /// Verify with this stack's verifier defaults (express-jwt, spring, aspnet, …), or "all"
    /// for one row per stack; written [expect] fields and flags still win
    #[arg(long = "as", value_name = "STACK")]
    pub as_stack: Option<String>,
}

#[derive(Debug, Args)]
pub struct CallArgs {
    /// Profile name (file stem or `name`)
    pub profile: String,
    /// Endpoint name from the profile, or a URL (default: the profile's first endpoint)
    pub endpoint: Option<String>,
    /// Use this token instead of fetching one ("-" reads stdin)
    #[arg(long, value_name = "TOKEN", conflicts_with = "no_token")]
    pub token: Option<String>,
    /// Send without a token, to see the 401 baseline
    #[arg(long)]
    pub no_token: bool,
    /// Scope the ad-hoc URL requires (repeat; only with a URL endpoint)
    #[arg(long = "require", value_name = "SCOPE")]
    pub require: Vec<String>,
    /// HTTP method: for an ad-hoc URL (default GET), or instead of a named endpoint's own
    #[arg(long, value_name = "METHOD")]
    pub method: Option<String>,
    /// After the verdict, draw each request of the call (discovery, token, JWKS, API) with
    /// its status and latency, the failing one marked (--json always has "trace")
    #[arg(long)]
    pub trace: bool,
}

#[derive(Debug, Args)]
pub struct CheckApiArgs {
    /// The API's code or config: a file, or a directory (walked in name order; node_modules,
    /// .git, target, venv, bin, obj… skipped, symbolic links never followed)
    pub path: PathBuf,
    /// Compare with this profile's issuer and a token fetched for it (the aud, alg and scopes
    /// the API would receive)
    #[arg(long, conflicts_with = "issuer")]
    pub profile: Option<String>,
    /// Compare with the issuer at this URL (its discovery document); default: the issuer the
    /// config names
    #[arg(long, value_name = "URL")]
    pub issuer: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The API's URL (called once without a token)
    pub url: String,
    #[command(flatten)]
    pub draft: DraftArgs,
}

/// What `init` and `import` do with their draft.
#[derive(Debug, Args)]
pub struct DraftArgs {
    /// The profile's name and file stem (default: from the URL's host)
    #[arg(long)]
    pub name: Option<String>,
    /// Save the draft as NAME.toml in the profile directory (0600; never over an existing file)
    #[arg(long)]
    pub write: bool,
    /// Where the draft's client secret is read from: asked for (prompt), or $TOKDBG_CLIENT_SECRET (env)
    #[arg(long, value_enum, default_value = "prompt")]
    pub secret_from: SecretFrom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SecretFrom {
    Prompt,
    Env,
}

#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// A curl command (a token request or an API call), quoted as one argument or "-" for stdin
    Curl {
        /// The command, e.g. 'curl -u id:secret -d grant_type=client_credentials https://…/token'
        command: String,
        #[command(flatten)]
        draft: DraftArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProfilesAction {
    /// One line per profile (the default)
    List {
        /// Only the profile names (file stems), one per line: what shell completion reads
        #[arg(long)]
        names: bool,
    },
    /// A profile's settings (secrets are never printed)
    Show {
        /// Profile name (file stem or `name`)
        profile: String,
    },
    /// Validate every profile (or one): exit 2 if any is broken or the directory is missing
    Check {
        /// Profile name (file stem or `name`); default: every profile
        profile: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DemoAction {
    /// Serve the demo issuer and API until Ctrl-C
    Serve {
        /// Address to listen on (the demo profiles of the repository point at the default)
        #[arg(long, default_value = DEMO_ADDR, value_name = "HOST:PORT")]
        addr: std::net::SocketAddr,
        /// Write the demo profiles, pointed at this server, into DIR first (files 0600; an
        /// existing file is never overwritten)
        #[arg(long, value_name = "DIR")]
        write_profiles: Option<PathBuf>,
    },
}

#[cfg(all(test, feature = "demo"))]
mod tests {
    #[test]
    fn demo_serve_defaults_to_the_address_the_demo_profiles_use() {
        assert_eq!(super::DEMO_ADDR, crate::demo::DEFAULT_ADDR);
    }
}
