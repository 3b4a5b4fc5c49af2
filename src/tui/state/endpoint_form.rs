//! The profile form's Endpoints section: the list (add, edit, remove with undo, reorder) and the
//! sub-form that edits one endpoint (name, method, URL, scopes, headers, multi-line body).
//!
//! Nothing here touches the file: the list becomes `Profile.endpoints` when the profile form
//! saves, so a removal is undone with `u` (or by leaving the form without saving).

use std::collections::BTreeMap;

use crossterm::event::{Event, KeyEvent};
use tui_input::backend::crossterm::EventHandler;
use tui_input::{Input, InputRequest};

use crate::core::model::profile::Endpoint;
use crate::core::store::profile_store::check_http_url;

use super::super::keymap::Action;
use super::form_fields::cycle;
use super::request::parse_headers;

/// The methods the sub-form offers (an endpoint's own method is added when it is another).
pub const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// Which keys the profile form listens to now: the keymap picks its rows from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKeys {
    /// The profile's own fields.
    Fields,
    /// The focus is on the Endpoints section.
    Endpoints,
    /// The endpoint sub-form is open.
    Endpoint,
    /// "Discard changes?" is asked.
    Discard,
}

/// One line of the endpoint sub-form, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EndpointField {
    Name,
    Method,
    Url,
    Scopes,
    Headers,
    Body,
    Done,
}

impl EndpointField {
    pub const ALL: [EndpointField; 7] = [
        EndpointField::Name,
        EndpointField::Method,
        EndpointField::Url,
        EndpointField::Scopes,
        EndpointField::Headers,
        EndpointField::Body,
        EndpointField::Done,
    ];
    const TEXTS: [EndpointField; 5] =
        [EndpointField::Name, EndpointField::Url, EndpointField::Scopes, EndpointField::Headers, EndpointField::Body];

    pub fn label(self) -> &'static str {
        match self {
            EndpointField::Name => "name",
            EndpointField::Method => "method",
            EndpointField::Url => "url",
            EndpointField::Scopes => "required_scopes",
            EndpointField::Headers => "headers",
            EndpointField::Body => "body",
            EndpointField::Done => "",
        }
    }

    pub fn placeholder(self) -> &'static str {
        match self {
            EndpointField::Name => "e.g. read orders",
            EndpointField::Url => "https://api.example/orders",
            EndpointField::Scopes => "space-separated; empty: none",
            EndpointField::Headers => "Name: value; Name2: value2 (no Authorization)",
            EndpointField::Body => "optional; Enter: new line, Tab: next field",
            _ => "",
        }
    }

    fn is_text(self) -> bool {
        EndpointField::TEXTS.contains(&self)
    }
}

/// What a key did to the sub-form.
#[derive(Debug)]
enum EditorOutcome {
    Continue,
    Close,
    Keep(Endpoint),
}

/// The sub-form editing one endpoint (or a new one).
#[derive(Debug, Clone)]
pub struct EndpointEditor {
    /// The endpoint's place in the list; `None` for a new one.
    pub index: Option<usize>,
    /// The endpoint as it was: its headers and body are kept when their text was not changed.
    original: Option<Endpoint>,
    texts: BTreeMap<EndpointField, Input>,
    initial: BTreeMap<EndpointField, String>,
    methods: Vec<String>,
    method: String,
    initial_method: String,
    focus: EndpointField,
    errors: BTreeMap<EndpointField, String>,
    /// "Keep" was tried: errors follow every change from now on.
    tried: bool,
    /// Esc on an edited endpoint asks first.
    pub confirm_discard: bool,
}

impl EndpointEditor {
    pub fn new(index: Option<usize>, endpoint: Option<&Endpoint>) -> Self {
        let text_of = |field: EndpointField| -> String {
            let Some(e) = endpoint else { return String::new() };
            match field {
                EndpointField::Name => e.name.clone(),
                EndpointField::Url => e.url.clone(),
                EndpointField::Scopes => e.required_scopes.join(" "),
                EndpointField::Headers => {
                    e.headers.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("; ")
                }
                EndpointField::Body => e.body.clone().unwrap_or_default(),
                _ => String::new(),
            }
        };
        let initial: BTreeMap<EndpointField, String> = EndpointField::TEXTS.iter().map(|f| (*f, text_of(*f))).collect();
        let texts = initial.iter().map(|(f, t)| (*f, Input::new(t.clone()))).collect();
        let method = endpoint.map(|e| e.method.clone()).unwrap_or_else(|| "GET".to_owned());
        let mut methods: Vec<String> = METHODS.iter().map(|m| (*m).to_owned()).collect();
        if !methods.contains(&method) {
            methods.insert(0, method.clone());
        }
        EndpointEditor {
            index,
            original: endpoint.cloned(),
            texts,
            initial,
            methods,
            initial_method: method.clone(),
            method,
            focus: EndpointField::Name,
            errors: BTreeMap::new(),
            tried: false,
            confirm_discard: false,
        }
    }

    // ---- what the view reads ----

    pub fn focus(&self) -> EndpointField {
        self.focus
    }

    pub fn text(&self, field: EndpointField) -> Option<&Input> {
        self.texts.get(&field)
    }

    pub fn error(&self, field: EndpointField) -> Option<&str> {
        self.errors.get(&field).map(String::as_str)
    }

    pub fn methods(&self) -> &[String] {
        &self.methods
    }

    pub fn method(&self) -> &str {
        &self.method
    }

    /// Whether any field differs from where it started.
    pub fn edited(&self) -> bool {
        self.method != self.initial_method
            || self.texts.iter().any(|(f, input)| self.initial.get(f).is_some_and(|t| t != input.value()))
    }

    // ---- keys ----

    /// `taken`: the names of the other endpoints of the list.
    fn handle(&mut self, action: Option<Action>, key: KeyEvent, taken: &[String]) -> EditorOutcome {
        if self.confirm_discard {
            self.confirm_discard = false;
            return if action == Some(Action::Confirm) { EditorOutcome::Close } else { EditorOutcome::Continue };
        }
        let focus = self.focus;
        match action {
            Some(Action::Cancel) if self.edited() => self.confirm_discard = true,
            Some(Action::Cancel) => return EditorOutcome::Close,
            Some(Action::Save) => return self.keep(taken),
            Some(Action::NextField) => self.focus = cycle(&EndpointField::ALL, focus, 1),
            Some(Action::PrevField) => self.focus = cycle(&EndpointField::ALL, focus, -1),
            // The body is the one multi-line field: Enter is a new line there, Tab leaves it.
            Some(Action::Submit) if focus == EndpointField::Body => self.insert_text("\n"),
            Some(Action::Submit) if focus == EndpointField::Done => return self.keep(taken),
            Some(Action::Submit) => self.focus = cycle(&EndpointField::ALL, focus, 1),
            Some(Action::ChoicePrev) if focus == EndpointField::Method => self.change_method(-1, taken),
            Some(Action::ChoiceNext) if focus == EndpointField::Method => self.change_method(1, taken),
            Some(Action::ChoicePrev | Action::ChoiceNext) | None if focus.is_text() => {
                if let Some(input) = self.texts.get_mut(&focus)
                    && input.handle_event(&Event::Key(key)).is_some_and(|changed| changed.value)
                {
                    self.revalidate(taken);
                }
            }
            _ => {}
        }
        EditorOutcome::Continue
    }

    fn change_method(&mut self, delta: isize, taken: &[String]) {
        let at = self.methods.iter().position(|m| *m == self.method).unwrap_or(0);
        let indexes: Vec<usize> = (0..self.methods.len()).collect();
        self.method = self.methods[cycle(&indexes, at, delta)].clone();
        self.revalidate(taken);
    }

    /// Typed or pasted text at the cursor: new lines only in the body (a pasted line elsewhere).
    fn insert_text(&mut self, text: &str) {
        let focus = self.focus;
        let Some(input) = self.texts.get_mut(&focus) else { return };
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let text = if focus == EndpointField::Body { text.as_str() } else { text.split('\n').next().unwrap_or("") };
        for c in text.chars().filter(|c| *c == '\n' || !c.is_control()) {
            input.handle(InputRequest::InsertChar(c));
        }
    }

    fn revalidate(&mut self, taken: &[String]) {
        if self.tried {
            self.errors = self.build(taken).err().unwrap_or_default();
        }
    }

    fn keep(&mut self, taken: &[String]) -> EditorOutcome {
        self.tried = true;
        match self.build(taken) {
            Ok(endpoint) => EditorOutcome::Keep(endpoint),
            Err(errors) => {
                if let Some(first) = errors.keys().next() {
                    self.focus = *first;
                }
                self.errors = errors;
                EditorOutcome::Continue
            }
        }
    }

    fn value(&self, field: EndpointField) -> &str {
        self.texts.get(&field).map(Input::value).unwrap_or_default()
    }

    fn unchanged(&self, field: EndpointField) -> bool {
        self.initial.get(&field).map(String::as_str) == Some(self.value(field))
    }

    /// The endpoint, or each field's error.
    pub fn build(&self, taken: &[String]) -> Result<Endpoint, BTreeMap<EndpointField, String>> {
        let mut errors = BTreeMap::new();
        let name = self.value(EndpointField::Name).trim().to_owned();
        if name.is_empty() {
            errors.insert(EndpointField::Name, "required: the name the Endpoints tab and `call` use".to_owned());
        } else if taken.contains(&name) {
            errors.insert(EndpointField::Name, format!("another endpoint is named \"{name}\": names must differ"));
        }
        let url = self.value(EndpointField::Url).trim().to_owned();
        if let Err(error) = check_http_url(&url) {
            errors.insert(EndpointField::Url, error);
        }
        let original = self.original.as_ref();
        // Text left as it was keeps the value it came from (a header value holding ";" included).
        let headers = match original {
            Some(o) if self.unchanged(EndpointField::Headers) => Ok(o.headers.clone()),
            _ => parse_headers(self.value(EndpointField::Headers)),
        };
        let headers = headers.unwrap_or_else(|error| {
            errors.insert(EndpointField::Headers, error);
            BTreeMap::new()
        });
        let body = match original {
            Some(o) if self.unchanged(EndpointField::Body) => o.body.clone(),
            _ => Some(self.value(EndpointField::Body).to_owned()).filter(|b| !b.trim().is_empty()),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Endpoint {
            name,
            method: self.method.clone(),
            url,
            required_scopes: self.value(EndpointField::Scopes).split_whitespace().map(str::to_owned).collect(),
            headers,
            body,
        })
    }
}

/// The endpoints as the form will save them, the selection, and what was removed (for undo).
#[derive(Debug, Clone, Default)]
pub struct EndpointList {
    items: Vec<Endpoint>,
    initial: Vec<Endpoint>,
    selected: usize,
    removed: Vec<(usize, Endpoint)>,
    /// What the last list action did, shown under the list ("removed …: u brings it back").
    note: Option<String>,
    pub editor: Option<EndpointEditor>,
}

impl EndpointList {
    pub fn new(endpoints: Vec<Endpoint>) -> Self {
        EndpointList { initial: endpoints.clone(), items: endpoints, ..Default::default() }
    }

    pub fn items(&self) -> &[Endpoint] {
        &self.items
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The list differs from the profile's endpoints, or an edited sub-form is open.
    pub fn changed(&self) -> bool {
        self.items != self.initial || self.editor.as_ref().is_some_and(EndpointEditor::edited)
    }

    /// A key while the focus is on the list; `false` when it is the form's to handle (↑ on the
    /// first endpoint and ↓ on the last move to the next field).
    pub fn handle_list(&mut self, action: Option<Action>) -> bool {
        let len = self.items.len();
        let at = self.selected.min(len.saturating_sub(1));
        self.note = None;
        match action {
            Some(Action::AddEndpoint) => self.editor = Some(EndpointEditor::new(None, None)),
            Some(Action::EditEndpoint) => {
                self.editor = Some(match self.items.get(at) {
                    Some(endpoint) => EndpointEditor::new(Some(at), Some(endpoint)),
                    None => EndpointEditor::new(None, None),
                })
            }
            Some(Action::RemoveEndpoint) if at < len => {
                let endpoint = self.items.remove(at);
                self.note = Some(format!("removed \"{}\": u brings it back", endpoint.name));
                self.removed.push((at, endpoint));
                self.selected = at.min(self.items.len().saturating_sub(1));
            }
            Some(Action::UndoRemove) => self.undo(),
            Some(Action::MoveEndpointUp) if at > 0 && at < len => {
                self.items.swap(at, at - 1);
                self.selected = at - 1;
            }
            Some(Action::MoveEndpointDown) if at + 1 < len => {
                self.items.swap(at, at + 1);
                self.selected = at + 1;
            }
            Some(Action::Up) if at > 0 => self.selected = at - 1,
            Some(Action::Down) if at + 1 < len => self.selected = at + 1,
            Some(Action::RemoveEndpoint | Action::MoveEndpointUp | Action::MoveEndpointDown) => {}
            _ => return false,
        }
        true
    }

    fn undo(&mut self) {
        let Some((at, endpoint)) = self.removed.pop() else {
            self.note = Some("nothing removed to bring back".to_owned());
            return;
        };
        if self.items.iter().any(|e| e.name == endpoint.name) {
            self.note = Some(format!("\"{}\" cannot come back: another endpoint has its name now", endpoint.name));
            self.removed.push((at, endpoint));
            return;
        }
        let at = at.min(self.items.len());
        self.note = Some(format!("\"{}\" is back", endpoint.name));
        self.items.insert(at, endpoint);
        self.selected = at;
    }

    /// A key while the sub-form is open.
    pub fn handle_editor(&mut self, action: Option<Action>, key: KeyEvent) {
        let Some(mut editor) = self.editor.take() else { return };
        let taken = self.other_names(editor.index);
        match editor.handle(action, key, &taken) {
            EditorOutcome::Continue => self.editor = Some(editor),
            EditorOutcome::Close => {}
            EditorOutcome::Keep(endpoint) => {
                self.note = Some(format!("\"{}\" kept: Ctrl-S saves the profile", endpoint.name));
                match editor.index.filter(|i| *i < self.items.len()) {
                    Some(i) => {
                        self.items[i] = endpoint;
                        self.selected = i;
                    }
                    None => {
                        self.items.push(endpoint);
                        self.selected = self.items.len() - 1;
                    }
                }
            }
        }
    }

    /// Pasted text, into the sub-form's focused text field.
    pub fn paste(&mut self, text: &str) {
        let taken = self.other_names(self.editor.as_ref().and_then(|e| e.index));
        if let Some(editor) = &mut self.editor
            && editor.focus.is_text()
        {
            editor.insert_text(text);
            editor.revalidate(&taken);
        }
    }

    /// The names of the endpoints other than the one at `index` (names must differ).
    fn other_names(&self, index: Option<usize>) -> Vec<String> {
        self.items.iter().enumerate().filter(|(i, _)| Some(*i) != index).map(|(_, e)| e.name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::{self, DISCARD, ENDPOINT_EDIT, FORM, FORM_ENDPOINTS};
    use crossterm::event::{KeyCode, KeyModifiers};

    fn endpoint(name: &str, method: &str) -> Endpoint {
        Endpoint {
            name: name.into(),
            method: method.into(),
            url: format!("http://127.0.0.1:1/{name}"),
            required_scopes: Vec::new(),
            headers: BTreeMap::new(),
            body: None,
        }
    }

    fn list_key(list: &mut EndpointList, code: KeyCode) -> bool {
        let key = KeyEvent::new(code, KeyModifiers::NONE);
        list.handle_list(keymap::first_action(&[FORM_ENDPOINTS, FORM], &key))
    }

    /// A key as the keymap reads it in the sub-form (or in its discard question).
    fn editor_key(list: &mut EndpointList, code: KeyCode, modifiers: KeyModifiers) {
        let key = KeyEvent::new(code, modifiers);
        let asking = list.editor.as_ref().is_some_and(|e| e.confirm_discard);
        let rows = if asking { DISCARD } else { ENDPOINT_EDIT };
        list.handle_editor(keymap::first_action(&[rows], &key), key);
    }

    fn typ(list: &mut EndpointList, text: &str) {
        for c in text.chars() {
            editor_key(list, KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    fn names(list: &EndpointList) -> Vec<&str> {
        list.items().iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn add_edit_remove_undo_and_reorder() {
        let mut list = EndpointList::new(vec![endpoint("a", "GET"), endpoint("b", "GET")]);
        assert!(!list.changed());
        // a: a new endpoint, every field typed; Enter in the body is a new line, Tab leaves it.
        assert!(list_key(&mut list, KeyCode::Char('a')));
        typ(&mut list, "create");
        editor_key(&mut list, KeyCode::Tab, KeyModifiers::NONE);
        editor_key(&mut list, KeyCode::Right, KeyModifiers::NONE);
        assert_eq!(list.editor.as_ref().unwrap().method(), "POST");
        editor_key(&mut list, KeyCode::Tab, KeyModifiers::NONE);
        typ(&mut list, "http://127.0.0.1:1/orders");
        editor_key(&mut list, KeyCode::Enter, KeyModifiers::NONE);
        typ(&mut list, "order:write");
        editor_key(&mut list, KeyCode::Tab, KeyModifiers::NONE);
        typ(&mut list, "Content-Type: application/json");
        editor_key(&mut list, KeyCode::Tab, KeyModifiers::NONE);
        typ(&mut list, "{");
        editor_key(&mut list, KeyCode::Enter, KeyModifiers::NONE);
        typ(&mut list, "}");
        assert_eq!(list.editor.as_ref().unwrap().focus(), EndpointField::Body);
        editor_key(&mut list, KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(list.editor.as_ref().unwrap().focus(), EndpointField::Done);
        editor_key(&mut list, KeyCode::Enter, KeyModifiers::NONE);
        assert!(list.editor.is_none());
        let created = &list.items()[2];
        assert_eq!((created.method.as_str(), created.body.as_deref()), ("POST", Some("{\n}")));
        assert_eq!(created.required_scopes, ["order:write"]);
        assert_eq!(created.headers.get("Content-Type").map(String::as_str), Some("application/json"));
        assert_eq!(list.selected(), 2);
        // K moves it up; x removes the selected one, u brings it back where it was.
        list_key(&mut list, KeyCode::Char('K'));
        assert_eq!(names(&list), ["a", "create", "b"]);
        list_key(&mut list, KeyCode::Char('x'));
        assert_eq!(names(&list), ["a", "b"]);
        assert!(list.note().unwrap().contains("u brings it back"));
        list_key(&mut list, KeyCode::Char('u'));
        assert_eq!(names(&list), ["a", "create", "b"]);
        list_key(&mut list, KeyCode::Char('J'));
        assert_eq!(names(&list), ["a", "b", "create"]);
        // ↓ on the last endpoint and ↑ on the first are the form's (next / previous field).
        assert!(!list_key(&mut list, KeyCode::Down));
        list_key(&mut list, KeyCode::Up);
        list_key(&mut list, KeyCode::Up);
        assert!(!list_key(&mut list, KeyCode::Up));
        assert!(list.changed());
    }

    #[test]
    fn sub_form_errors_and_discard() {
        let mut list = EndpointList::new(vec![endpoint("a", "GET"), endpoint("b", "PROPFIND")]);
        // Enter edits the selected one; an unknown method of the file is offered as it is.
        list_key(&mut list, KeyCode::Down);
        list_key(&mut list, KeyCode::Enter);
        assert_eq!(list.editor.as_ref().unwrap().methods()[0], "PROPFIND");
        // Clashing name, bad URL and Authorization: each field says why, nothing is kept.
        editor_key(&mut list, KeyCode::Char('u'), KeyModifiers::CONTROL);
        typ(&mut list, "a");
        editor_key(&mut list, KeyCode::Tab, KeyModifiers::NONE);
        editor_key(&mut list, KeyCode::Tab, KeyModifiers::NONE);
        editor_key(&mut list, KeyCode::Char('u'), KeyModifiers::CONTROL);
        typ(&mut list, "localhost:1/x");
        editor_key(&mut list, KeyCode::Tab, KeyModifiers::NONE);
        editor_key(&mut list, KeyCode::Tab, KeyModifiers::NONE);
        typ(&mut list, "Authorization: Bearer x");
        editor_key(&mut list, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let editor = list.editor.as_ref().expect("still open");
        assert!(editor.error(EndpointField::Name).unwrap().contains("\"a\""));
        assert!(editor.error(EndpointField::Url).is_some());
        assert!(editor.error(EndpointField::Headers).unwrap().contains("Authorization"));
        assert_eq!(editor.focus(), EndpointField::Name);
        // Esc on an edited sub-form asks; n goes back to it, y drops the edits.
        editor_key(&mut list, KeyCode::Esc, KeyModifiers::NONE);
        assert!(list.editor.as_ref().unwrap().confirm_discard);
        editor_key(&mut list, KeyCode::Char('n'), KeyModifiers::NONE);
        assert!(!list.editor.as_ref().unwrap().confirm_discard);
        editor_key(&mut list, KeyCode::Esc, KeyModifiers::NONE);
        editor_key(&mut list, KeyCode::Char('y'), KeyModifiers::NONE);
        assert!(list.editor.is_none());
        assert_eq!(list.items()[1], endpoint("b", "PROPFIND"));
        // An unedited sub-form closes at once; a kept unchanged endpoint stays equal.
        list_key(&mut list, KeyCode::Enter);
        editor_key(&mut list, KeyCode::Esc, KeyModifiers::NONE);
        assert!(list.editor.is_none());
        list_key(&mut list, KeyCode::Enter);
        editor_key(&mut list, KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(list.items()[1], endpoint("b", "PROPFIND"));
        assert!(!list.changed());
    }

    #[test]
    fn pasted_body_keeps_its_lines_and_other_fields_the_first() {
        let mut list = EndpointList::new(Vec::new());
        list_key(&mut list, KeyCode::Enter);
        list.paste("name one\r\nname two");
        assert_eq!(list.editor.as_ref().unwrap().text(EndpointField::Name).unwrap().value(), "name one");
        for _ in 0..5 {
            editor_key(&mut list, KeyCode::Tab, KeyModifiers::NONE);
        }
        list.paste("{\r\n  \"a\": 1\n}");
        assert_eq!(list.editor.as_ref().unwrap().text(EndpointField::Body).unwrap().value(), "{\n  \"a\": 1\n}");
    }
}
