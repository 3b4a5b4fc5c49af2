//! Every key binding, per context: keys become [`Action`]s here and nowhere else, and the help
//! overlay and the hint line render from the same rows, so what is shown is what keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::state::app::{Focus, Mode, Tab};

mod rows;

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
    /// Token tab: ask the issuer about the shown token (RFC 7662).
    Introspect,
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
    /// Paste mode: send the selected endpoint with the pasted token.
    SendPasted,
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
    // The `n` chooser and the drafts it makes.
    /// `n`, then: the blank profile form.
    NewBlank,
    /// `n`, then: a draft from what an API URL publishes (`tokdbg init`).
    NewFromUrl,
    /// `n`, then: a draft from a pasted curl command (`tokdbg import curl`).
    NewFromCurl,
    /// The draft review: write it as a profile file (asks for the name).
    SaveDraft,
    /// The draft review: finish the draft in the profile form.
    DraftToForm,
}

/// A key and whether Ctrl is held: Ctrl-D is not `d`. Shift is in the character itself (`C`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

pub(super) const fn k(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

pub(super) const fn ch(c: char) -> Key {
    k(KeyCode::Char(c))
}

pub(super) const fn ctrl(c: char) -> Key {
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

pub(super) const fn row(
    keys: &'static str,
    short: &'static str,
    help: &'static str,
    hint: bool,
    bindings: &'static [(Key, Action)],
) -> Row {
    Row { keys, short, help, hint, bindings }
}

pub use rows::*;

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
        Mode::NewProfile(new) => new_profile_rows(new.keys()),
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
        (Focus::Detail, Tab::Token) => vec![TOKEN, DETAIL, GLOBAL],
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
        ("token", TOKEN),
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
        ("new profile", NEW_CHOOSE),
        ("new from url", NEW_URL),
        ("new from curl", NEW_CURL),
        ("draft review", DRAFT_REVIEW),
        ("draft save as", DRAFT_SAVE_AS),
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
