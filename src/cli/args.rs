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

#[derive(Debug, Args, Clone)]
pub struct Global {
    /// Profile directory (default: $TOKDBG_PROFILES, else the user config dir)
    #[arg(long, global = true, value_name = "DIR")]
    pub profiles: Option<PathBuf>,
    /// Machine-readable JSON on stdout
    #[arg(long, global = true)]
    pub json: bool,
    /// No colours (also when NO_COLOR is set or stdout is not a terminal)
    #[arg(long, global = true)]
    pub no_color: bool,
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
        /// Print the raw access token (it is a credential: handle with care)
        #[arg(long)]
        reveal: bool,
    },
    /// Fetch a token, verify it, call an endpoint and diagnose the answer
    Call(CallArgs),
    /// List, show or check profiles
    Profiles {
        #[command(subcommand)]
        action: Option<ProfilesAction>,
    },
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
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
    /// HTTP method for an ad-hoc URL
    #[arg(long, value_name = "METHOD", default_value = "GET")]
    pub method: String,
}

#[derive(Debug, Subcommand)]
pub enum ProfilesAction {
    /// One line per profile (the default)
    List,
    /// A profile's settings (secrets are never printed)
    Show { profile: String },
    /// Validate every profile (or one): exit 2 if any is broken
    Check { profile: Option<String> },
}

#[derive(Debug, Subcommand)]
pub enum DemoAction {
    /// Serve the demo issuer and API until Ctrl-C
    Serve {
        #[arg(long, default_value = DEMO_ADDR)]
        addr: std::net::SocketAddr,
    },
}

#[cfg(all(test, feature = "demo"))]
mod tests {
    #[test]
    fn demo_serve_defaults_to_the_address_the_demo_profiles_use() {
        assert_eq!(super::DEMO_ADDR, crate::demo::DEFAULT_ADDR);
    }
}
