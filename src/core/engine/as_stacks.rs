//! `verify --as all`: a token inspected once (one discovery, one JWKS lookup, one signature
//! check), then judged by every stack's preset — claim arithmetic only.

use crate::core::engine::{Engine, TokenReport, TokenSource};
use crate::core::model::profile::Profile;
use crate::core::model::secret::Secret;
use crate::core::server_message::ServerVerdict;
use crate::core::token::as_stack::{self, StackVerdict};
use crate::core::verifier::Stack;

/// A token's report and its verdict under each stack asked for.
#[derive(Debug, Clone)]
pub struct StacksReport {
    pub report: TokenReport,
    pub verdicts: Vec<StackVerdict>,
    /// The time claims that part the stacks, one sentence each.
    pub summaries: Vec<String>,
}

impl Engine {
    /// Inspects `token` as `profile`'s API would, then judges it as each of `stacks` would:
    /// each stack's defaults fill what `[expect]` (or a flag) did not write; the algorithms
    /// fall back to `fallback_algorithms` where a stack demands the app's own list.
    pub async fn inspect_as_stacks(
        &self,
        profile: &Profile,
        token: &str,
        hmac_secret: Option<Secret>,
        stacks: &[Stack],
        fallback_algorithms: &[String],
    ) -> StacksReport {
        let now = self.now();
        let report = self.inspect_at(profile, token, TokenSource::Given, hmac_secret.clone(), now).await;
        let (Some(base), Some(decoded)) = (report.verification.as_ref(), report.token.decoded.as_ref()) else {
            return StacksReport { report, verdicts: Vec::new(), summaries: Vec::new() };
        };
        let verdicts: Vec<StackVerdict> = stacks
            .iter()
            .map(|&stack| {
                let mut as_stack = profile.clone();
                as_stack.expect = profile.expect.with_stack(Some(stack), fallback_algorithms);
                let options = self.verify_options(&as_stack, report.jwks_uri.clone(), hmac_secret.clone(), now);
                as_stack::judge(base, decoded, &options, stack)
            })
            .collect();
        let summaries = as_stack::summaries(decoded, now, &verdicts);
        StacksReport { report, verdicts, summaries }
    }
}

/// When the API's answer reads as another stack's than `[expect] stack` names, a note saying
/// so (the presets judged the token by the profile's stack, not by the one that answered).
pub(crate) fn dialect_note(expected: Option<Stack>, server: Option<&ServerVerdict>) -> Option<String> {
    let expected = expected?;
    let dialect = server?.dialect.as_ref()?;
    let answered = Stack::of_dialect(dialect.as_str())?;
    (answered != expected).then(|| {
        format!(
            "the answer reads as {answered}'s (server.dialect {}), but expect.stack is \"{expected}\": the token was judged by {expected}'s defaults; set expect.stack = \"{answered}\" if that is the API's stack",
            dialect.as_str()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::server_message::interpret_answer;

    fn express_answer() -> ServerVerdict {
        let headers = vec![("x-powered-by".to_owned(), "Express".to_owned())];
        interpret_answer(401, None, &headers, r#"{"code":"invalid_token","message":"jwt expired"}"#, true)
    }

    #[test]
    fn a_dialect_of_another_stack_is_noted() {
        let server = express_answer();
        assert_eq!(server.dialect.as_ref().map(|d| d.as_str()), Some("express_jwt"), "{server:?}");
        let note = dialect_note(Some(Stack::Aspnet), Some(&server)).expect("a note");
        assert!(note.contains("reads as express-jwt's") && note.contains("expect.stack is \"aspnet\""), "{note}");
    }

    #[test]
    fn the_same_stack_or_no_stack_says_nothing() {
        let server = express_answer();
        assert_eq!(dialect_note(Some(Stack::ExpressJwt), Some(&server)), None);
        assert_eq!(dialect_note(None, Some(&server)), None);
    }
}
