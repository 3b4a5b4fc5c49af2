//! Every key binding, per context: the one table the help overlay and the hint line read.

use super::state::app::{Focus, Mode, Tab};

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static str,
    /// One or two words for the hint line.
    pub short: &'static str,
    pub action: &'static str,
    /// Shown in the bottom hint line (the rest only in `?`).
    pub hint: bool,
}

const fn b(keys: &'static str, short: &'static str, action: &'static str, hint: bool) -> Binding {
    Binding { keys, short, action, hint }
}

pub const GLOBAL: &[Binding] = &[
    b("?", "help", "help: all keys of this view", true),
    b("q", "quit", "quit (Esc closes overlays first)", true),
    b("Ctrl-C", "quit", "quit at once", false),
    b("Ctrl-Z", "suspend", "suspend to the shell (fg comes back)", false),
    b("Tab / Shift-Tab", "focus", "move focus between the profile list and the detail pane", true),
    b("1-6 / [ ]", "tabs", "switch tab: Profile Token Verify Endpoints Diagnosis History", false),
    b("/", "filter", "filter profiles", true),
    b("p", "paste", "paste mode: decode and verify any token", true),
    b("t", "token", "fetch a token (again)", true),
    b("s", "send", "send the selected endpoint", true),
    b("b", "send w/o token", "send the selected endpoint without a token (401 baseline)", false),
    b("r", "edit request", "edit the request (method, URL, headers, body) before sending", false),
    b("a", "ad-hoc URL", "send an ad-hoc request to any URL with the profile's token", false),
    b("n / e / d / x", "profiles", "new / edit / duplicate / delete profile", false),
    b("y", "copy", "copy: token, claims, curl", false),
    b("Esc", "cancel", "cancel the running request; close overlays; clear the filter", false),
    b("mouse", "", "click selects and focuses; wheel scrolls", false),
];

pub const LIST: &[Binding] = &[
    b("↑↓ / j k", "select", "select profile", true),
    b("Enter", "endpoints", "open the profile's endpoints", true),
    b("Home / End", "first/last", "first / last profile", false),
];

pub const DETAIL: &[Binding] = &[
    b("← → / h l", "tab", "previous / next tab", true),
    b("↑↓ / j k", "scroll", "scroll (Endpoints, History: select)", true),
    b("PgUp / PgDn", "page", "scroll a page", false),
];

pub const ENDPOINTS: &[Binding] = &[
    b("Enter / s", "send", "send with the current token (fetching one if needed)", true),
    b("b", "no token", "send without a token", true),
];

pub const HISTORY: &[Binding] = &[b("Enter", "reopen", "reopen this call in Diagnosis", true)];

pub const FILTER: &[Binding] = &[
    b("type", "filter", "filter by name, file, issuer host or client id", true),
    b("Enter", "keep", "keep the filter", true),
    b("Esc", "clear", "clear the filter", true),
];

pub const PASTE: &[Binding] = &[
    b("paste / type", "token", "the token (a Bearer prefix and quotes are dropped)", true),
    b("Tab", "field", "switch between token and JWKS/issuer URL", true),
    b("Enter", "verify", "verify against the URL, else the selected profile", true),
    b("Ctrl-U", "clear", "clear the field", false),
    b("↑↓", "scroll", "scroll the decoded token", false),
    b("Esc", "close", "close paste mode", true),
];

pub const FORM: &[Binding] = &[
    b("Tab / ↓ / Shift-Tab / ↑", "next field", "next / previous field", true),
    b("← →", "move/choose", "move in the field; on choice fields: change the choice", false),
    b("Ctrl-R", "reveal", "show or hide the secret", false),
    b("Ctrl-S / Enter on Save", "save", "validate and save (0600, atomically)", true),
    b("Esc", "cancel", "cancel", true),
];

pub const REQUEST: &[Binding] = &[
    b("Tab / ↓ / Shift-Tab / ↑", "field", "next / previous field", true),
    b("Enter", "send", "send the request", true),
    b("Ctrl-T", "token on/off", "send with or without the profile's token", true),
    b("Esc", "cancel", "close without sending", true),
];

pub const CONFIRM: &[Binding] = &[b("y", "delete", "delete the file", true), b("n / Esc", "keep", "keep it", true)];

pub const PROMPT: &[Binding] =
    &[b("Enter", "use", "use this secret (kept in memory for this run)", true), b("Esc", "cancel", "cancel", true)];

pub const COPY: &[Binding] = &[
    b("t", "token", "the access token (it is a credential)", true),
    b("c", "curl", "the request as curl, token redacted", true),
    b("C", "curl+token", "the request as curl with the token", true),
    b("j", "claims", "the claims as JSON", true),
    b("1-9", "one claim", "one claim's value (listed below)", false),
    b("f", "file", "write the curl command (redacted) to a file", true),
    b("Esc", "close", "close", true),
];

/// The bindings that apply in the current state, most specific first.
pub fn current(mode: &Mode, focus: Focus, tab: Tab) -> Vec<&'static [Binding]> {
    match mode {
        Mode::Filter => vec![FILTER],
        Mode::Paste(_) => vec![PASTE],
        Mode::Form(_) => vec![FORM],
        Mode::ConfirmDelete(_) => vec![CONFIRM],
        Mode::Prompt(_) => vec![PROMPT],
        Mode::CopyMenu => vec![COPY],
        Mode::Request(_) => vec![REQUEST],
        Mode::Help | Mode::Normal => {
            let mut sets: Vec<&'static [Binding]> = Vec::new();
            match (focus, tab) {
                (Focus::Profiles, _) => sets.push(LIST),
                (Focus::Detail, Tab::Endpoints) => {
                    sets.push(ENDPOINTS);
                    sets.push(DETAIL);
                }
                (Focus::Detail, Tab::History) => {
                    sets.push(HISTORY);
                    sets.push(DETAIL);
                }
                (Focus::Detail, _) => sets.push(DETAIL),
            }
            sets.push(GLOBAL);
            sets
        }
    }
}
