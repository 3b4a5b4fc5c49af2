//! `tokdbg verify --as STACK|all`: the token verified with a stack's verifier defaults, or
//! judged by every stack at once (one row each, and by how much the time claims part them).

use std::fmt::Write as _;

use crate::core::engine::Engine;
use crate::core::model::profile::Profile;
use crate::core::model::secret::Secret;
use crate::core::safe_text::visible_line;
use crate::core::verifier::Stack;

use super::args::{Global, VerifyArgs};
use super::input::within_deadline;
use super::outcome::{CliError, CmdResult};
use super::paint::Paint;
use super::render;
use super::stdout::out;
use super::verify::{exit_of, report_json};

/// What `--as` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    One(Stack),
    All,
}

/// Reads `--as`: a stack's name or `all`; an unknown name is a usage error listing the known ones.
pub fn requested(text: Option<&str>) -> Result<Option<Requested>, CliError> {
    match text {
        None => Ok(None),
        Some(all) if all.trim().eq_ignore_ascii_case("all") => Ok(Some(Requested::All)),
        Some(name) => {
            Stack::parse(name).map(|s| Some(Requested::One(s))).map_err(|e| CliError::usage(format!("--as: {e}")))
        }
    }
}

/// A verification to run as stacks: the profile (flags applied), the token, and where the
/// algorithms come from when neither the profile nor the stack names them.
pub struct Plan {
    pub profile: Profile,
    pub token: String,
    pub hmac_secret: Option<Secret>,
    pub requested: Requested,
    pub fallback: Vec<String>,
}

pub fn run(
    global: &Global,
    paint: &Paint,
    runtime: &tokio::runtime::Runtime,
    args: &VerifyArgs,
    engine: &Engine,
    plan: Plan,
) -> CmdResult {
    let Plan { mut profile, token, hmac_secret, requested, fallback } = plan;
    let stacks: Vec<Stack> = match requested {
        // One stack: the whole report is that stack's, not only its row.
        Requested::One(stack) => {
            profile.expect = profile.expect.with_stack(Some(stack), &fallback);
            vec![stack]
        }
        Requested::All => Stack::ALL.to_vec(),
    };
    let work = engine.inspect_as_stacks(&profile, &token, hmac_secret, &stacks, &fallback);
    let judged = within_deadline(global, runtime, work)?;
    if global.json {
        let mut value = report_json(args, &judged.report);
        if let serde_json::Value::Object(map) = &mut value {
            if let Requested::One(stack) = requested {
                map.insert("stack".into(), serde_json::json!(stack));
                let notes = judged.verdicts.first().map(|v| v.notes.clone()).unwrap_or_default();
                map.insert("notes".into(), serde_json::json!(notes));
            }
            map.insert("stacks".into(), serde_json::json!(judged.verdicts));
            map.insert("summaries".into(), serde_json::json!(judged.summaries));
        }
        super::stdout::json(&value);
    } else if let Requested::One(stack) = requested {
        let mut text = render::token_report(paint, &judged.report);
        let notes = judged.verdicts.first().map(|v| v.notes.as_slice()).unwrap_or_default();
        let _ = writeln!(text, "\nas {stack}:");
        for note in notes {
            let _ = writeln!(text, "  · {}", visible_line(note));
        }
        out!("{text}");
    } else {
        out!("{}", matrix(paint, &judged));
    }
    Ok(exit_of(&judged.report))
}

/// One row per stack (passes / fails which checks), then the sentences saying by how much.
fn matrix(p: &Paint, judged: &crate::core::engine::as_stacks::StacksReport) -> String {
    let mut out = String::new();
    let report = &judged.report;
    let _ = writeln!(out, "{} {}", p.bold("token"), render::token_line(p, &report.token));
    if let Some(verification) = &report.verification {
        for check in verification.checks.iter().filter(|c| matches!(c.name.label(), "key" | "signature")) {
            let _ = writeln!(out, "  {:<10} {}", check.name.label(), visible_line(&check.detail));
        }
    }
    if judged.verdicts.is_empty() {
        let _ = writeln!(out, "\nnot a JWT tokdbg could verify: no stack to judge it");
        return out;
    }
    let width = Stack::ALL.iter().map(|s| s.as_str().len()).max().unwrap_or(10) + 2;
    let _ = writeln!(out, "\n{}", p.bold("as each stack would verify it"));
    for verdict in &judged.verdicts {
        let mark = if verdict.valid { p.green("passes") } else { p.red("fails ") };
        let failed = if verdict.failed.is_empty() { String::new() } else { verdict.failed.join(", ") };
        let _ = writeln!(out, "  {:<width$}{mark} {failed}", verdict.stack.as_str());
        for note in &verdict.notes {
            let _ = writeln!(out, "  {:<width$}       · {}", "", visible_line(note));
        }
    }
    if !judged.summaries.is_empty() {
        let _ = writeln!(out);
        for line in &judged.summaries {
            let _ = writeln!(out, "{}", visible_line(line));
        }
    }
    out
}
