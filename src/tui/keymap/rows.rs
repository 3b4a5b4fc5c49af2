//! The binding table itself: every row of keys, per context, with its help text. `keymap`
//! matches keys against these rows; the help overlay, the hint line and the README render them.

use crossterm::event::KeyCode;

use super::super::state::endpoint_form::FormKeys;
use super::super::state::new_profile::NewKeys;
use super::{Action, Key, Row, ch, ctrl, k, row};

use Action as A;
use KeyCode as K;

const QUIT_NOW: Row = row("Ctrl-C", "quit", "quit at once", false, &[(ctrl('c'), A::Quit)]);
const SUSPEND: Row =
    row("Ctrl-Z", "suspend", "suspend to the shell (fg comes back)", false, &[(ctrl('z'), A::Suspend)]);

/// Keys that act in every mode, text fields included.
pub const ANYWHERE: &[Row] = &[QUIT_NOW, SUSPEND];

pub const GLOBAL: &[Row] = &[
    row("?", "help", "help: all keys of this view", true, &[(ch('?'), A::Help)]),
    row("q", "quit", "quit (Esc closes overlays first)", true, &[(ch('q'), A::Quit)]),
    QUIT_NOW,
    SUSPEND,
    row(
        "Tab / Shift-Tab",
        "focus",
        "move focus between the profile list and the detail pane",
        true,
        &[(k(K::Tab), A::FocusNext), (k(K::BackTab), A::FocusNext)],
    ),
    row(
        "1-7 / [ ]",
        "tabs",
        "switch tab: Profile Token Verify Endpoints Diagnosis History Trace",
        false,
        &[
            (ch('1'), A::SelectTab(0)),
            (ch('2'), A::SelectTab(1)),
            (ch('3'), A::SelectTab(2)),
            (ch('4'), A::SelectTab(3)),
            (ch('5'), A::SelectTab(4)),
            (ch('6'), A::SelectTab(5)),
            (ch('7'), A::SelectTab(6)),
            (ch(']'), A::NextTab),
            (ch('['), A::PrevTab),
        ],
    ),
    row("/", "filter", "filter profiles", true, &[(ch('/'), A::Filter)]),
    row("p", "paste", "paste mode: decode and verify any token", true, &[(ch('p'), A::Paste)]),
    row("t", "token", "fetch a token (again)", true, &[(ch('t'), A::FetchToken)]),
    row("s", "send", "send the selected endpoint", true, &[(ch('s'), A::Send)]),
    row(
        "b",
        "send w/o token",
        "send the selected endpoint without a token (401 baseline)",
        false,
        &[(ch('b'), A::SendWithoutToken)],
    ),
    row(
        "r",
        "edit request",
        "edit the request (method, URL, headers, body) before sending",
        false,
        &[(ch('r'), A::EditRequest)],
    ),
    row("a", "ad-hoc URL", "send an ad-hoc request to any URL with the profile's token", false, &[(ch('a'), A::AdHoc)]),
    row(
        "n / e / c / d",
        "profiles",
        "new (blank form, from an API URL, or from a curl command) / edit / clone (duplicate) / delete profile (asks first)",
        false,
        &[
            (ch('n'), A::NewProfile),
            (ch('e'), A::EditProfile),
            (ch('c'), A::DuplicateProfile),
            (ch('d'), A::DeleteProfile),
        ],
    ),
    row("Del", "delete", "delete profile (as d)", false, &[(k(K::Delete), A::DeleteProfile)]),
    row(
        "o",
        "open in $EDITOR",
        "open the profile's file in $VISUAL or $EDITOR (vi if unset); the list reloads after",
        false,
        &[(ch('o'), A::OpenInEditor)],
    ),
    row(
        "R",
        "reload",
        "read the profile files again (edits made on disk are also picked up within 2 s)",
        false,
        &[(ch('R'), A::Reload)],
    ),
    row("y", "copy", "copy: token, claims, curl", false, &[(ch('y'), A::CopyMenu)]),
    row(
        "Esc",
        "cancel",
        "cancel the running request; close overlays; clear the filter",
        false,
        &[(k(K::Esc), A::Cancel)],
    ),
    row("mouse", "", "click selects and focuses; wheel scrolls", false, &[]),
];

const UP_DOWN: &[(Key, Action)] = &[(k(K::Up), A::Up), (ch('k'), A::Up), (k(K::Down), A::Down), (ch('j'), A::Down)];
const PAGES: &[(Key, Action)] = &[(k(K::PageUp), A::PageUp), (k(K::PageDown), A::PageDown)];

pub const LIST: &[Row] = &[
    row("↑↓ / j k", "select", "select profile", true, UP_DOWN),
    row("Enter", "endpoints", "open the profile's endpoints", true, &[(k(K::Enter), A::OpenEndpoints)]),
    row("Home / End", "first/last", "first / last profile", false, &[(k(K::Home), A::First), (k(K::End), A::Last)]),
    row("PgUp / PgDn", "page", "ten profiles up / down", false, PAGES),
];

pub const DETAIL: &[Row] = &[
    row(
        "← → / h l",
        "tab",
        "previous / next tab",
        true,
        &[(k(K::Left), A::PrevTab), (ch('h'), A::PrevTab), (k(K::Right), A::NextTab), (ch('l'), A::NextTab)],
    ),
    row("↑↓ / j k", "scroll", "scroll (Endpoints, History: select)", true, UP_DOWN),
    row("PgUp / PgDn", "page", "scroll a page (History: ten calls)", false, PAGES),
    row("Home / End", "top/end", "scroll to the top / the end", false, &[(k(K::Home), A::First), (k(K::End), A::Last)]),
];

pub const ENDPOINTS: &[Row] = &[
    row(
        "Enter / s",
        "send",
        "send with the current token (fetching one if needed)",
        true,
        &[(k(K::Enter), A::Send), (ch('s'), A::Send)],
    ),
    row("b", "no token", "send without a token", true, &[(ch('b'), A::SendWithoutToken)]),
];

pub const TOKEN: &[Row] = &[row(
    "i",
    "introspect",
    "ask the issuer about the shown token (RFC 7662), with the client's own credentials",
    true,
    &[(ch('i'), A::Introspect)],
)];

pub const TRACE: &[Row] =
    &[row("↑↓ / j k", "hop", "select a hop of the call: its request and response show below the hops", true, UP_DOWN)];

pub const HISTORY: &[Row] =
    &[row("Enter", "reopen", "reopen this call in Diagnosis", true, &[(k(K::Enter), A::Reopen)])];

/// While `?` is open: the title line says these; any other key closes it.
pub const HELP: &[Row] = &[
    row("↑↓ / j k", "scroll", "scroll the help", false, UP_DOWN),
    row("PgUp / PgDn", "page", "scroll the help a page", false, PAGES),
];

pub const FILTER: &[Row] = &[
    row("type", "filter", "filter by name, file, issuer host or client id", true, &[]),
    row("Enter", "keep", "keep the filter", true, &[(k(K::Enter), A::Submit)]),
    row("Esc", "clear", "clear the filter", true, &[(k(K::Esc), A::Cancel)]),
    row("↑↓", "select", "select among the matching profiles", false, &[(k(K::Up), A::Up), (k(K::Down), A::Down)]),
];

pub const PASTE: &[Row] = &[
    row("paste / type", "token", "the token (a Bearer prefix and quotes are dropped)", true, &[]),
    row(
        "Tab / Shift-Tab",
        "field",
        "next / previous field: token, JWKS or issuer URL, expected issuer, expected audience",
        true,
        &[(k(K::Tab), A::NextField), (k(K::BackTab), A::PrevField)],
    ),
    row(
        "Enter",
        "verify",
        "verify against the URL, else the selected profile (the issuer and audience typed override its [expect])",
        true,
        &[(k(K::Enter), A::Submit)],
    ),
    row(
        "Ctrl-S",
        "send",
        "send the selected profile's endpoint with this token (the profile's own token is not fetched)",
        true,
        &[(ctrl('s'), A::SendPasted)],
    ),
    row("Ctrl-U", "clear", "clear the field", false, &[(ctrl('u'), A::ClearField)]),
    row("↑↓", "scroll", "scroll the decoded token", false, &[(k(K::Up), A::Up), (k(K::Down), A::Down)]),
    row("Esc", "close", "close paste mode", true, &[(k(K::Esc), A::Cancel)]),
];

const NEXT_PREV_FIELD: &[(Key, Action)] =
    &[(k(K::Tab), A::NextField), (k(K::Down), A::NextField), (k(K::BackTab), A::PrevField), (k(K::Up), A::PrevField)];

pub const FORM: &[Row] = &[
    row("Tab / ↓ / Shift-Tab / ↑", "next field", "next / previous field", true, NEXT_PREV_FIELD),
    row(
        "← →",
        "move/choose",
        "move in the field; on choice fields: change the choice",
        false,
        &[(k(K::Left), A::ChoicePrev), (k(K::Right), A::ChoiceNext)],
    ),
    row("Ctrl-R", "reveal", "show or hide the secret", false, &[(ctrl('r'), A::Reveal)]),
    row(
        "Ctrl-S / Enter on Save",
        "save",
        "validate and save (0600, atomically); Enter on another field goes to the next",
        true,
        &[(ctrl('s'), A::Save), (k(K::Enter), A::Submit)],
    ),
    row("Esc", "cancel", "cancel", true, &[(k(K::Esc), A::Cancel)]),
];

pub const REQUEST: &[Row] = &[
    row("Tab / ↓ / Shift-Tab / ↑", "field", "next / previous field", true, NEXT_PREV_FIELD),
    row("Enter", "send", "send the request", true, &[(k(K::Enter), A::Submit)]),
    row("Ctrl-T", "token on/off", "send with or without the profile's token", true, &[(ctrl('t'), A::ToggleToken)]),
    row(
        "Ctrl-R",
        "reset",
        "start again from the endpoint as the profile has it (edits are kept otherwise)",
        false,
        &[(ctrl('r'), A::ResetRequest)],
    ),
    row("Esc", "cancel", "close without sending", true, &[(k(K::Esc), A::Cancel)]),
    row(
        "Ctrl-S",
        "save as endpoint",
        "save this request as an endpoint of the profile (asks for a name)",
        true,
        &[(ctrl('s'), A::SaveAsEndpoint)],
    ),
];

/// The request editor's "save as endpoint" name prompt.
pub const REQUEST_SAVE_AS: &[Row] = &[
    row("type", "name", "the endpoint's name", true, &[]),
    row(
        "Tab / Shift-Tab",
        "replace/add",
        "replace the endpoint the request came from, or add a new one",
        true,
        &[(k(K::Tab), A::SwitchField), (k(K::BackTab), A::SwitchField)],
    ),
    row(
        "Enter",
        "save",
        "write it into the profile file (refused if the file changed on disk)",
        true,
        &[(k(K::Enter), A::Submit)],
    ),
    row("Esc", "back", "back to the request", true, &[(k(K::Esc), A::Cancel)]),
];

/// The profile form with the focus on its Endpoints section (before [`FORM`]).
pub const FORM_ENDPOINTS: &[Row] = &[
    row("↑↓ / j k", "select", "select an endpoint (past the ends: the next field)", false, UP_DOWN),
    row("a", "add", "add an endpoint", true, &[(ch('a'), A::AddEndpoint)]),
    row("Enter", "edit", "edit the selected endpoint", true, &[(k(K::Enter), A::EditEndpoint)]),
    row(
        "x / Del",
        "remove",
        "remove the selected endpoint (u brings it back; nothing is written before Ctrl-S)",
        true,
        &[(ch('x'), A::RemoveEndpoint), (k(K::Delete), A::RemoveEndpoint)],
    ),
    row("u", "undo", "bring back the endpoint removed last", false, &[(ch('u'), A::UndoRemove)]),
    row(
        "K / J",
        "move",
        "move the selected endpoint up / down",
        true,
        &[(ch('K'), A::MoveEndpointUp), (ch('J'), A::MoveEndpointDown)],
    ),
];

/// The endpoint sub-form of the profile form.
pub const ENDPOINT_EDIT: &[Row] = &[
    row(
        "Tab / Shift-Tab",
        "field",
        "next / previous field (Tab is how the body is left)",
        true,
        &[(k(K::Tab), A::NextField), (k(K::BackTab), A::PrevField)],
    ),
    row("↓ / ↑", "field", "next / previous field", false, &[(k(K::Down), A::NextField), (k(K::Up), A::PrevField)]),
    row(
        "← →",
        "move/choose",
        "move in the field; on method: choose GET POST PUT PATCH DELETE HEAD OPTIONS",
        false,
        &[(k(K::Left), A::ChoicePrev), (k(K::Right), A::ChoiceNext)],
    ),
    row(
        "Enter",
        "next/newline",
        "next field; in the body: a new line; on Done: keep the endpoint",
        true,
        &[(k(K::Enter), A::Submit)],
    ),
    row(
        "Ctrl-S",
        "keep",
        "keep this endpoint and go back to the profile (Ctrl-S there writes the file)",
        true,
        &[(ctrl('s'), A::Save)],
    ),
    row("Esc", "back", "back to the profile without these changes (asks if edited)", true, &[(k(K::Esc), A::Cancel)]),
];

/// "Discard changes?" when Esc leaves an edited form.
pub const DISCARD: &[Row] = &[
    row("y", "discard", "discard the changes", true, &[(ch('y'), A::Confirm)]),
    row(
        "n / Esc",
        "keep editing",
        "back to editing (so does any other key)",
        true,
        &[(ch('n'), A::Cancel), (k(K::Esc), A::Cancel)],
    ),
];

/// The profile form's rows for what it listens to now, most specific first.
pub fn form_rows(keys: FormKeys) -> Vec<&'static [Row]> {
    match keys {
        FormKeys::Fields => vec![FORM],
        FormKeys::Endpoints => vec![FORM_ENDPOINTS, FORM],
        FormKeys::Endpoint => vec![ENDPOINT_EDIT],
        FormKeys::Discard => vec![DISCARD],
    }
}

pub const CONFIRM: &[Row] = &[
    row("y", "delete", "delete the file", true, &[(ch('y'), A::Confirm)]),
    row("n / Esc", "keep", "keep it (so does any other key)", true, &[(ch('n'), A::Cancel), (k(K::Esc), A::Cancel)]),
    row("Y", "delete", "delete the file (as y)", false, &[(ch('Y'), A::Confirm)]),
];

pub const PROMPT: &[Row] = &[
    row("Enter", "use", "use this secret (kept in memory for this run)", true, &[(k(K::Enter), A::Submit)]),
    row("Esc", "cancel", "cancel", true, &[(k(K::Esc), A::Cancel)]),
];

pub const COPY: &[Row] = &[
    row("t", "token", "the access token (it is a credential)", true, &[(ch('t'), A::CopyToken)]),
    row("c", "curl", "the request as curl, token redacted", true, &[(ch('c'), A::CopyCurl)]),
    row("C", "curl+token", "the request as curl with the token", true, &[(ch('C'), A::CopyCurlWithToken)]),
    row("j", "claims", "the claims as JSON", true, &[(ch('j'), A::CopyClaims)]),
    row(
        "1-9",
        "one claim",
        "one claim's value (listed below)",
        false,
        &[
            (ch('1'), A::CopyClaim(0)),
            (ch('2'), A::CopyClaim(1)),
            (ch('3'), A::CopyClaim(2)),
            (ch('4'), A::CopyClaim(3)),
            (ch('5'), A::CopyClaim(4)),
            (ch('6'), A::CopyClaim(5)),
            (ch('7'), A::CopyClaim(6)),
            (ch('8'), A::CopyClaim(7)),
            (ch('9'), A::CopyClaim(8)),
        ],
    ),
    row("f", "file", "write the curl command (redacted) to a file", true, &[(ch('f'), A::CopyCurlToFile)]),
    row("Esc", "close", "close", true, &[(k(K::Esc), A::Cancel)]),
];

/// `n`: how to start the new profile.
pub const NEW_CHOOSE: &[Row] = &[
    row(
        "f / Enter",
        "blank form",
        "the blank profile form (so n Enter is what n alone was)",
        true,
        &[(ch('f'), A::NewBlank), (k(K::Enter), A::NewBlank)],
    ),
    row(
        "u",
        "from URL",
        "draft from an API's URL: its challenge, RFC 9728 metadata and issuer (as tokdbg init)",
        true,
        &[(ch('u'), A::NewFromUrl)],
    ),
    row(
        "c",
        "from curl",
        "draft from a pasted curl command: a token request or an API call (as tokdbg import curl)",
        true,
        &[(ch('c'), A::NewFromCurl)],
    ),
    row("Esc", "cancel", "cancel", true, &[(k(K::Esc), A::Cancel)]),
];

/// The API URL a draft starts from.
pub const NEW_URL: &[Row] = &[
    row("type / paste", "URL", "the API's URL (called without a token)", true, &[]),
    row(
        "Enter",
        "draft",
        "ask the API and its issuer what they publish, then review the draft",
        true,
        &[(k(K::Enter), A::Submit)],
    ),
    row("Ctrl-U", "clear", "clear the URL", false, &[(ctrl('u'), A::ClearField)]),
    row("Esc", "cancel", "stop the running lookup; else close", true, &[(k(K::Esc), A::Cancel)]),
];

/// The curl command a draft starts from.
pub const NEW_CURL: &[Row] = &[
    row("paste / type", "command", "the curl command, all its lines (never shown: it may hold a secret)", true, &[]),
    row("Enter", "draft", "read the command and review the draft", true, &[(k(K::Enter), A::Submit)]),
    row("Ctrl-U", "clear", "clear what was pasted", true, &[(ctrl('u'), A::ClearField)]),
    row("Esc", "cancel", "close (what was pasted is dropped)", true, &[(k(K::Esc), A::Cancel)]),
];

/// A draft profile, before it is written.
pub const DRAFT_REVIEW: &[Row] = &[
    row(
        "s",
        "save",
        "write it as a profile file (0600, never over an existing file; asks for the name)",
        true,
        &[(ch('s'), A::SaveDraft)],
    ),
    row(
        "e",
        "finish in form",
        "open it in the profile form to fill in what it lacks (the client id), then Ctrl-S",
        true,
        &[(ch('e'), A::DraftToForm)],
    ),
    row("↑↓ / j k", "scroll", "scroll the draft", true, UP_DOWN),
    row("PgUp / PgDn", "page", "scroll the draft a page", false, PAGES),
    row("Esc", "cancel", "drop the draft (nothing was written)", true, &[(k(K::Esc), A::Cancel)]),
];

/// The name a draft is written under.
pub const DRAFT_SAVE_AS: &[Row] = &[
    row("type", "name", "the file name, without .toml (a-z, 0-9, - and _)", true, &[]),
    row(
        "Enter",
        "write",
        "write NAME.toml (a name taken is refused: choose another)",
        true,
        &[(k(K::Enter), A::Submit)],
    ),
    row("Esc", "back", "back to the draft", true, &[(k(K::Esc), A::Cancel)]),
];

/// The `n` flow's rows for the step it is at.
pub fn new_profile_rows(keys: NewKeys) -> Vec<&'static [Row]> {
    match keys {
        NewKeys::Choose => vec![NEW_CHOOSE],
        NewKeys::Url => vec![NEW_URL],
        NewKeys::Curl => vec![NEW_CURL],
        NewKeys::Review => vec![DRAFT_REVIEW],
        NewKeys::SaveAs => vec![DRAFT_SAVE_AS],
    }
}
