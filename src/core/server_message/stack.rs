//! The API-side settings a fix names, in the words of the stack that answered (each dialect brings its own), and the plain words used when the stack is unknown.

/// Where a stack keeps each verification setting, phrased as its users write it, for
/// the fixes of findings about the API's configuration. Every field is a complete
/// phrase that fits "Set … to …" or a sentence of its own.
#[derive(Debug, PartialEq, Eq)]
pub struct StackWording {
    /// The product as its users call it ("express-jwt", "Spring Security").
    pub product: &'static str,
    /// The setting holding the issuer the API accepts.
    pub issuer: &'static str,
    /// The setting holding the audience(s) the API accepts.
    pub audience: &'static str,
    /// The setting holding the algorithms the API accepts.
    pub algorithms: &'static str,
    /// A sentence: what to check when the API cannot fetch its signing keys.
    pub jwks: &'static str,
    /// The setting naming the claim the scope check reads; `{claim}` is replaced by the claim.
    pub scope_claim: &'static str,
    /// A sentence: where the API's scope check may look instead of the token's scopes.
    pub scope_check: &'static str,
    /// A sentence for a stack that hides the cause by default: how to make it say it.
    pub hidden_cause: Option<&'static str>,
}

impl StackWording {
    /// [`StackWording::scope_claim`] for `claim`.
    pub fn scope_claim_setting(&self, claim: &str) -> String {
        self.scope_claim.replace("{claim}", claim)
    }
}

/// For an answer whose stack is not known: no product names.
pub static PLAIN: StackWording = StackWording {
    product: "the API",
    issuer: "the API's issuer setting",
    audience: "the API's audience setting",
    algorithms: "the API's list of accepted algorithms",
    jwks: "Check the JWKS URL the API is configured with (reachable from the API host, with the issuer's full path) and any rate limit on fetching it.",
    scope_claim: "its scope claim setting: \"{claim}\"",
    scope_check: "The API's scope check reads another place: check which claim it reads the scopes from, their shape (a space-separated string or an array), and whether it needs all or any of them.",
    hidden_cause: None,
};
