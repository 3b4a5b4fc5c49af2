//! Every key binding, per context: keys become [`Action`]s here and nowhere else, and the help
//! overlay and the hint line render from the same rows, so what is shown is what keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::state::app::{Focus, Mode, Tab};
use super::state::endpoint_form::FormKeys;

/// Everything a key can ask for. `update` matches these, never key codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    // Anywhere.
    Quit,
    Suspend,
    // Browsing.
    Help,
    FocusNext,
    SelectTab(usize),
    NextTab,
    PrevTab,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    OpenEndpoints,
    Reopen,
    Filter,
    Paste,
    FetchToken,
    Send,
    SendWithoutToken,
    EditRequest,
    AdHoc,
    NewProfile,
    EditProfile,
    DuplicateProfile,
    DeleteProfile,
    /// Opens the selected profile's file in `$VISUAL` / `$EDITOR`; the list reloads after.
    OpenInEditor,
    /// Reads the profile directory again.
    Reload,
    CopyMenu,
    /// Esc: cancel what runs, close what is open, clear what was typed.
    Cancel,
    // Overlays and input modes.
    /// Enter: keep, verify, send, use, or (in a form) next field / save on Save.
    Submit,
    NextField,
    PrevField,
    /// Paste mode: between the token and the URL field.
    SwitchField,
    ClearField,
    ChoicePrev,
    ChoiceNext,
    Reveal,
    Save,
    ToggleToken,
    ResetRequest,
    Confirm,
    CopyToken,
    CopyCurl,
    CopyCurlWithToken,
    CopyClaims,
    /// One claim's value, counted from 0.
    CopyClaim(usize),
    CopyCurlToFile,
    // The profile form's Endpoints section.
    AddEndpoint,
    EditEndpoint,
    RemoveEndpoint,
    UndoRemove,
    MoveEndpointUp,
    MoveEndpointDown,
    /// The request editor: save the request as an endpoint of the profile.
    SaveAsEndpoint,
}

/// A key and whether Ctrl is held: Ctrl-D is not `d`. Shift is in the character itself (`C`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ch(c: char) -> Key {
    k(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), ctrl: true }
}

impl Key {
    /// The key as the help writes it, e.g. `Ctrl-R`, `Shift-Tab`, `↑`, `q`.
    pub fn label(self) -> String {
        let name = match self.code {
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl { format!("Ctrl-{}", name.to_uppercase()) } else { name }
    }

    /// Whether a key event from the terminal is this key. Alt makes any key unbound; Shift only
    /// counts on Tab, since terminals send Shift-Tab either as BackTab or as Tab with Shift.
    fn matches(self, event: &KeyEvent) -> bool {
        let mods = event.modifiers;
        if mods.contains(KeyModifiers::ALT) || mods.contains(KeyModifiers::CONTROL) != self.ctrl {
            return false;
        }
        let code = match event.code {
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            // Some terminals report Ctrl-Z as Ctrl-Shift-z or Ctrl-Z.
            KeyCode::Char(c) if self.ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            code => code,
        };
        code == self.code
    }
}

/// One line of help: the keys as written, a short hint, the full text, and what they do.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub keys: &'static str,
    /// One or two words for the hint line.
    pub short: &'static str,
    pub help: &'static str,
    /// Shown in the bottom hint line (the rest only in `?`).
    pub hint: bool,
    /// Empty for rows that only explain (typing, the mouse).
    pub bindings: &'static [(Key, Action)],
}

const fn row(
    keys: &'static str,
    short: &'static str,
    help: &'static str,
    hint: bool,
    bindings: &'static [(Key, Action)],
) -> Row {
    Row { keys, short, help, hint, bindings }
}

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
        "new / edit / clone (duplicate) / delete profile (asks first)",
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
    row("Tab", "field", "switch between token and JWKS/issuer URL", true, &[(k(K::Tab), A::SwitchField)]),
    row("Shift-Tab", "field", "switch the field (as Tab)", false, &[(k(K::BackTab), A::SwitchField)]),
    row("Enter", "verify", "verify against the URL, else the selected profile", true, &[(k(K::Enter), A::Submit)]),
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

/// The rows shown for the current state (help overlay, hint line), most specific first.
pub fn current(mode: &Mode, focus: Focus, tab: Tab) -> Vec<&'static [Row]> {
    match mode {
        Mode::Filter => vec![FILTER],
        Mode::Paste(_) => vec![PASTE],
        Mode::Form(form) => form_rows(form.keys()),
        Mode::ConfirmDelete(_) => vec![CONFIRM],
        Mode::Prompt(_) => vec![PROMPT],
        Mode::CopyMenu => vec![COPY],
        Mode::Request(editor) if editor.saving.is_some() => vec![REQUEST_SAVE_AS],
        Mode::Request(_) => vec![REQUEST],
        // Help describes the browsing keys under it (its own keys are in its title).
        Mode::Help | Mode::Normal => browsing(focus, tab),
    }
}

/// The browsing rows at a focus and tab: pane-specific first, then the global keys.
pub fn browsing(focus: Focus, tab: Tab) -> Vec<&'static [Row]> {
    match (focus, tab) {
        (Focus::Profiles, _) => vec![LIST, GLOBAL],
        (Focus::Detail, Tab::Endpoints) => vec![ENDPOINTS, DETAIL, GLOBAL],
        (Focus::Detail, Tab::History) => vec![HISTORY, DETAIL, GLOBAL],
        (Focus::Detail, Tab::Trace) => vec![TRACE, DETAIL, GLOBAL],
        (Focus::Detail, _) => vec![DETAIL, GLOBAL],
    }
}

/// The rows whose keys act in the current state, in the order they are tried.
pub fn active(mode: &Mode, focus: Focus, tab: Tab) -> Vec<&'static [Row]> {
    let mut sets = vec![ANYWHERE];
    match mode {
        Mode::Help => sets.push(HELP),
        other => sets.extend(current(other, focus, tab)),
    }
    sets
}

/// What a key does in the current state; `None` for an unbound key (text modes then type it).
pub fn action_for(mode: &Mode, focus: Focus, tab: Tab, key: &KeyEvent) -> Option<Action> {
    first_action(&active(mode, focus, tab), key)
}

/// The first binding of `sets` that `key` matches.
pub fn first_action(sets: &[&'static [Row]], key: &KeyEvent) -> Option<Action> {
    sets.iter()
        .flat_map(|rows| rows.iter())
        .flat_map(|row| row.bindings.iter())
        .find(|(bound, _)| bound.matches(key))
        .map(|(_, action)| *action)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row set with the state it applies in.
    const ALL: &[(&str, &[Row])] = &[
        ("anywhere", ANYWHERE),
        ("global", GLOBAL),
        ("list", LIST),
        ("detail", DETAIL),
        ("endpoints", ENDPOINTS),
        ("history", HISTORY),
        ("trace", TRACE),
        ("help", HELP),
        ("filter", FILTER),
        ("paste", PASTE),
        ("form", FORM),
        ("request", REQUEST),
        ("request save as", REQUEST_SAVE_AS),
        ("form endpoints", FORM_ENDPOINTS),
        ("endpoint edit", ENDPOINT_EDIT),
        ("discard", DISCARD),
        ("confirm", CONFIRM),
        ("prompt", PROMPT),
        ("copy", COPY),
    ];

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    /// `1-7` in the keys column covers 1 to 7.
    fn in_range(keys: &str, label: &str) -> bool {
        let Some(c) = label.chars().next().filter(|_| label.chars().count() == 1) else { return false };
        keys.split(|c: char| c.is_whitespace() || c == '/').any(|part| {
            let ends: Vec<char> = part.chars().collect();
            ends.len() == 3 && ends[1] == '-' && (ends[0]..=ends[2]).contains(&c)
        })
    }

    #[test]
    fn every_binding_is_documented_in_its_own_row() {
        for (context, rows) in ALL {
            for row in *rows {
                assert!(!row.help.is_empty() && !row.keys.is_empty(), "{context}: a row without help text");
                for (key, action) in row.bindings {
                    let label = key.label();
                    assert!(
                        row.keys.contains(&label) || in_range(row.keys, &label),
                        "{context}: {label} ({action:?}) is bound in the row \"{}\" that does not name it",
                        row.keys
                    );
                }
            }
        }
    }

    #[test]
    fn every_reachable_action_is_shown_where_it_acts() {
        // In browsing mode the help overlay shows `current`; anything `active` reaches must be
        // there too (Help mode's own keys are in its title line instead).
        for focus in [Focus::Profiles, Focus::Detail] {
            for tab in Tab::ALL {
                let shown = current(&Mode::Normal, focus, tab);
                for rows in active(&Mode::Normal, focus, tab) {
                    for row in rows {
                        for (key, action) in row.bindings {
                            let documented = shown
                                .iter()
                                .flat_map(|rows| rows.iter())
                                .any(|r| r.bindings.iter().any(|(k, a)| k == key && a == action) && !r.help.is_empty());
                            assert!(documented, "{focus:?}/{tab:?}: {} ({action:?}) is not in the help", key.label());
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn within_a_state_one_key_means_one_thing() {
        for focus in [Focus::Profiles, Focus::Detail] {
            for tab in Tab::ALL {
                let sets = active(&Mode::Normal, focus, tab);
                let bindings: Vec<&(Key, Action)> =
                    sets.iter().flat_map(|rows| rows.iter()).flat_map(|row| row.bindings.iter()).collect();
                for (i, (key, action)) in bindings.iter().enumerate() {
                    for (other_key, other_action) in &bindings[i + 1..] {
                        // A later row may repeat a key only to do the same (s in Endpoints and globally).
                        if key == other_key && action != other_action {
                            let first = first_action(&sets, &press(key.code, KeyModifiers::NONE));
                            assert_eq!(first, Some(*action), "{focus:?}/{tab:?}: {} is shadowed", key.label());
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn ctrl_with_a_letter_is_not_the_letter() {
        for (context, rows) in ALL {
            let sets = [*rows];
            for row in *rows {
                for (key, action) in row.bindings {
                    let KeyCode::Char(c) = key.code else { continue };
                    if key.ctrl {
                        continue;
                    }
                    let with_ctrl = first_action(&sets, &press(KeyCode::Char(c), KeyModifiers::CONTROL));
                    assert_ne!(with_ctrl, Some(*action), "{context}: Ctrl-{c} acts as {c}");
                    let with_alt = first_action(&sets, &press(KeyCode::Char(c), KeyModifiers::ALT));
                    assert_eq!(with_alt, None, "{context}: Alt-{c} is bound");
                }
            }
        }
        let normal = |key| action_for(&Mode::Normal, Focus::Profiles, Tab::Profile, &key);
        assert_eq!(normal(press(KeyCode::Char('d'), KeyModifiers::NONE)), Some(Action::DeleteProfile));
        assert_eq!(normal(press(KeyCode::Char('c'), KeyModifiers::NONE)), Some(Action::DuplicateProfile));
        assert_eq!(normal(press(KeyCode::Char('d'), KeyModifiers::CONTROL)), None);
        assert_eq!(normal(press(KeyCode::Char('q'), KeyModifiers::CONTROL)), None);
    }

    #[test]
    fn modifiers_pick_the_binding() {
        let normal = |key| action_for(&Mode::Normal, Focus::Detail, Tab::Token, &key);
        assert_eq!(normal(press(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        assert_eq!(
            normal(press(KeyCode::Char('Z'), KeyModifiers::CONTROL | KeyModifiers::SHIFT)),
            Some(Action::Suspend)
        );
        assert_eq!(normal(press(KeyCode::Tab, KeyModifiers::SHIFT)), Some(Action::FocusNext));
        let filter = |key| action_for(&Mode::Filter, Focus::Profiles, Tab::Profile, &key);
        // Text modes leave printable keys to their input, and still quit on Ctrl-C.
        assert_eq!(filter(press(KeyCode::Char('q'), KeyModifiers::NONE)), None);
        assert_eq!(filter(press(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        let paste = Mode::Paste(Box::default());
        assert_eq!(
            action_for(&paste, Focus::Profiles, Tab::Profile, &press(KeyCode::Char('u'), KeyModifiers::CONTROL)),
            Some(Action::ClearField)
        );
        assert_eq!(
            action_for(&paste, Focus::Profiles, Tab::Profile, &press(KeyCode::Char('u'), KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn pane_keys_come_before_global_ones() {
        let enter = press(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(action_for(&Mode::Normal, Focus::Profiles, Tab::History, &enter), Some(Action::OpenEndpoints));
        assert_eq!(action_for(&Mode::Normal, Focus::Detail, Tab::History, &enter), Some(Action::Reopen));
        assert_eq!(action_for(&Mode::Normal, Focus::Detail, Tab::Endpoints, &enter), Some(Action::Send));
        assert_eq!(action_for(&Mode::Normal, Focus::Detail, Tab::Token, &enter), None);
        let h = press(KeyCode::Char('h'), KeyModifiers::NONE);
        assert_eq!(action_for(&Mode::Normal, Focus::Profiles, Tab::Token, &h), None);
        assert_eq!(action_for(&Mode::Normal, Focus::Detail, Tab::Token, &h), Some(Action::PrevTab));
    }
}
