//! The profile form (create, edit, duplicate): fields, validation, and the profile it yields.
//!
//! Values the form does not show (`client.extra`, `expect.hmac_secret`) come from the base
//! profile untouched, and so does every field whose text was left as it was. The endpoints are
//! edited in their own section (`endpoint_form`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crossterm::event::{Event, KeyEvent};
use tui_input::backend::crossterm::EventHandler;
use tui_input::{Input, InputRequest};

use crate::core::model::profile::{AuthMethod, Profile, ScopeMatch};
use crate::core::store::fsutil::FileStamp;
use crate::core::store::profile_edit::free_stem_among;

use super::super::keymap::Action;
use super::endpoint_form::{EndpointList, FormKeys};
use super::form_fields::{AUTH_METHODS, FieldId, FieldKind, SCOPE_MATCHES, SecretKind, TextField, cycle, source_text};
use super::profiles::ProfileItem;

#[path = "form_build.rs"]
mod build;
#[path = "form_connection.rs"]
mod connection;

/// What a key did to the form.
#[derive(Debug)]
// Returned once per key and unpacked at once (the caller boxes the profile): not worth a box here.
#[allow(clippy::large_enum_variant)]
pub enum FormOutcome {
    Continue,
    Cancel,
    Save { stem: String, profile: Profile },
}

#[derive(Debug, Clone)]
pub struct FormState {
    /// The file being edited; `None` for a new or duplicated profile.
    pub path: Option<PathBuf>,
    pub stamp: Option<FileStamp>,
    /// The profile the form started from (default for a new one).
    pub base: Profile,
    /// The profile directory, where a new file goes.
    dir: PathBuf,
    /// Stems of the files in `dir` as the app last listed them: new file names are checked
    /// against these, never against the disk (the save refuses a file that appeared since).
    taken: BTreeSet<String>,
    /// The stem of the file edited or duplicated.
    source_stem: Option<String>,
    /// The file name was typed: it no longer follows the name.
    stem_touched: bool,
    texts: BTreeMap<FieldId, TextField>,
    /// One value per secret kind, so cycling the kind never turns a path into a literal.
    secret_values: [TextField; 5],
    secret_kind: SecretKind,
    initial_kind: SecretKind,
    auth_method: AuthMethod,
    scope_match: ScopeMatch,
    /// `tls.insecure`, a choice of its own (warned about under its field when on).
    insecure: bool,
    focus: FieldId,
    errors: BTreeMap<FieldId, String>,
    /// A save was tried: errors follow every change from now on.
    tried: bool,
    revealed: bool,
    /// The endpoints as they will be saved, and the sub-form editing one.
    pub endpoints: EndpointList,
    /// Esc on an edited form asks "Discard changes?" first.
    pub confirm_discard: bool,
    /// The form holds a draft nothing has written yet: leaving it asks, edited or not.
    pub from_draft: bool,
}

impl FormState {
    pub fn new_profile(dir: &Path, taken: BTreeSet<String>) -> Self {
        let stem = free_stem_among("profile", |s| taken.contains(s));
        FormState::from_base(Profile::default(), dir, taken, None, None, None, stem)
    }

    pub fn edit(item: &ProfileItem) -> Self {
        let dir = item.path.parent().map(Path::to_path_buf).unwrap_or_default();
        let base = item.loaded.clone().unwrap_or_default();
        let mut form = FormState::from_base(
            base,
            &dir,
            BTreeSet::new(),
            Some(item.path.clone()),
            item.stamp.clone(),
            Some(&item.stem),
            item.stem.clone(),
        );
        form.focus = FieldId::Name;
        form
    }

    pub fn duplicate(item: &ProfileItem, dir: &Path, taken: BTreeSet<String>) -> Self {
        let mut base = item.loaded.clone().unwrap_or_default();
        // Two rows with the same name could not be told apart in the list.
        base.name = Some(format!("{} (copy)", item.name()));
        let stem = free_stem_among(&item.stem, |s| taken.contains(s));
        FormState::from_base(base, dir, taken, None, None, Some(&item.stem), stem)
    }

    /// A new profile from a draft (`n`, then a URL or a curl command), to be finished here:
    /// the focus starts on the client id when the draft could not know it.
    pub fn from_draft(draft: Profile, dir: &Path, taken: BTreeSet<String>, stem: &str) -> Self {
        let stem = free_stem_among(stem, |s| taken.contains(s));
        let needs_client_id = draft.client.as_ref().is_some_and(|c| c.id.trim().is_empty());
        let mut form = FormState::from_base(draft, dir, taken, None, None, None, stem);
        form.from_draft = true;
        if needs_client_id {
            form.focus = FieldId::ClientId;
        }
        form
    }

    fn from_base(
        base: Profile,
        dir: &Path,
        taken: BTreeSet<String>,
        path: Option<PathBuf>,
        stamp: Option<FileStamp>,
        source_stem: Option<&str>,
        stem: String,
    ) -> Self {
        let client = base.client.as_ref();
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let texts = BTreeMap::from([
            (FieldId::Stem, TextField::new(stem)),
            (FieldId::Name, TextField::new(opt(&base.name))),
            (FieldId::IssuerUrl, TextField::new(opt(&base.issuer.url))),
            (FieldId::TokenEndpoint, TextField::new(opt(&base.issuer.token_endpoint))),
            (FieldId::JwksUri, TextField::new(opt(&base.issuer.jwks_uri))),
            (FieldId::ClientId, TextField::new(client.map(|c| c.id.clone()).unwrap_or_default())),
            (FieldId::Scopes, TextField::new(client.map(|c| c.scopes.join(" ")).unwrap_or_default())),
            (FieldId::ClientAudience, TextField::new(client.map(|c| opt(&c.audience)).unwrap_or_default())),
            (FieldId::Resource, TextField::new(client.map(|c| opt(&c.resource)).unwrap_or_default())),
            (FieldId::PrivateKey, TextField::new(source_text(client.and_then(|c| c.private_key.as_ref())))),
            (FieldId::Certificate, TextField::new(source_text(client.and_then(|c| c.certificate.as_ref())))),
            (FieldId::AssertionAlg, TextField::new(client.map(|c| opt(&c.assertion_alg)).unwrap_or_default())),
            (FieldId::KeyId, TextField::new(client.map(|c| opt(&c.key_id)).unwrap_or_default())),
            (FieldId::ExpectIssuer, TextField::new(opt(&base.expect.issuer))),
            (FieldId::ExpectAudience, TextField::new(base.expect.audience.join(" "))),
            (FieldId::Algorithms, TextField::new(base.expect.algorithms.join(" "))),
            (FieldId::Leeway, TextField::new(base.expect.leeway_secs.to_string())),
            (FieldId::ScopeClaim, TextField::new(base.expect.scope_claim.clone())),
            (FieldId::TlsCaFile, TextField::new(opt(&base.tls.ca_file))),
            (FieldId::DpopAlg, TextField::new(base.dpop.as_ref().map(|d| d.alg.clone()).unwrap_or_default())),
            (
                FieldId::DpopPrivateKey,
                TextField::new(source_text(base.dpop.as_ref().and_then(|d| d.private_key.as_ref()))),
            ),
        ]);
        let secret = client.and_then(|c| c.secret.as_ref());
        let kind = secret.map(SecretKind::of).unwrap_or(SecretKind::Env);
        let mut secret_values: [TextField; 5] = Default::default();
        if let Some(secret) = secret {
            secret_values[kind.index()] = TextField::new(SecretKind::text_of(secret));
        }
        secret_values[SecretKind::Literal.index()].secret = true;
        FormState {
            path,
            stamp,
            dir: dir.to_path_buf(),
            taken,
            source_stem: source_stem.map(str::to_owned),
            stem_touched: false,
            texts,
            secret_values,
            secret_kind: kind,
            initial_kind: kind,
            auth_method: client.map(|c| c.auth_method).unwrap_or_default(),
            scope_match: base.expect.scope_match,
            insecure: base.tls.insecure,
            focus: FieldId::Stem,
            errors: BTreeMap::new(),
            tried: false,
            revealed: false,
            endpoints: EndpointList::new(base.endpoints.clone()),
            confirm_discard: false,
            from_draft: false,
            base,
        }
    }

    // ---- what the view reads ----

    /// The fields shown, in order: no file name when editing, no value for a prompted secret,
    /// and of the client's credentials those its auth method uses (or that hold a value).
    pub fn fields(&self) -> Vec<FieldId> {
        let method = self.auth_method;
        let has_text = |id: FieldId| self.texts.get(&id).is_some_and(|t| !t.value().trim().is_empty());
        let asserts = matches!(method, AuthMethod::ClientSecretJwt | AuthMethod::PrivateKeyJwt);
        FieldId::ALL
            .into_iter()
            .filter(|id| match id {
                FieldId::Stem => self.path.is_none(),
                FieldId::SecretKind => method.uses_secret(),
                FieldId::SecretValue => method.uses_secret() && self.secret_kind != SecretKind::Prompt,
                FieldId::PrivateKey => method.uses_private_key() || has_text(*id) || has_text(FieldId::Certificate),
                FieldId::Certificate => method.uses_certificate() || has_text(*id),
                FieldId::AssertionAlg | FieldId::KeyId => asserts || has_text(*id),
                // A proof key only matters once DPoP is on (an alg given).
                FieldId::DpopPrivateKey => has_text(FieldId::DpopAlg) || has_text(*id),
                _ => true,
            })
            .collect()
    }

    pub fn focus(&self) -> FieldId {
        self.focus
    }

    /// The text of a text field (the secret value of the chosen kind for `SecretValue`).
    pub fn text(&self, id: FieldId) -> Option<&Input> {
        match id {
            FieldId::SecretValue => Some(&self.secret_values[self.secret_kind.index()].input),
            _ => self.texts.get(&id).map(|t| &t.input),
        }
    }

    pub fn error(&self, id: FieldId) -> Option<&str> {
        self.errors.get(&id).map(String::as_str)
    }

    pub fn secret_kind(&self) -> SecretKind {
        self.secret_kind
    }

    pub fn auth_method(&self) -> AuthMethod {
        self.auth_method
    }

    pub fn scope_match(&self) -> ScopeMatch {
        self.scope_match
    }

    /// `tls.insecure` as chosen.
    pub fn insecure(&self) -> bool {
        self.insecure
    }

    /// A literal secret is shown in clear (Ctrl-R).
    pub fn revealed(&self) -> bool {
        self.revealed
    }

    /// Whether the value shown for `id` must be masked.
    pub fn masked(&self, id: FieldId) -> bool {
        id == FieldId::SecretValue && self.secret_kind == SecretKind::Literal && !self.revealed
    }

    /// What is being edited, for the header line.
    pub fn header(&self) -> String {
        let target = format!("{}.toml", self.texts.get(&FieldId::Stem).map(TextField::value).unwrap_or_default());
        match (&self.path, &self.source_stem) {
            (Some(path), _) => {
                format!("Edit {}", path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or(target))
            }
            (None, Some(source)) => format!("Duplicate {source}.toml → {target}"),
            (None, None) if self.from_draft => format!("New profile from the draft → {target}"),
            (None, None) => format!("New profile → {target}"),
        }
    }

    /// What the form keeps from the base profile without showing it.
    pub fn kept_note(&self) -> Option<String> {
        let mut kept = Vec::new();
        if self.base.client.as_ref().is_some_and(|c| !c.extra.is_empty()) {
            kept.push("client.extra".to_owned());
        }
        if self.base.expect.hmac_secret.is_some() {
            kept.push("expect.hmac_secret".to_owned());
        }
        (!kept.is_empty()).then(|| format!("{} kept; edit them in the file", kept.join(", ")))
    }

    // ---- keys ----

    /// Which keys the form listens to now (the keymap's rows for it).
    pub fn keys(&self) -> FormKeys {
        let sub_form_asks = self.endpoints.editor.as_ref().is_some_and(|e| e.confirm_discard);
        if self.confirm_discard || sub_form_asks {
            FormKeys::Discard
        } else if self.endpoints.editor.is_some() {
            FormKeys::Endpoint
        } else if self.focus == FieldId::Endpoints {
            FormKeys::Endpoints
        } else {
            FormKeys::Fields
        }
    }

    /// Whether anything differs from where the form started (Esc then asks before discarding).
    pub fn is_edited(&self) -> bool {
        let client = self.base.client.as_ref();
        self.from_draft
            || self.texts.values().any(TextField::changed)
            || self.secret_values.iter().any(TextField::changed)
            || self.secret_kind != self.initial_kind
            || self.auth_method != client.map(|c| c.auth_method).unwrap_or_default()
            || self.scope_match != self.base.expect.scope_match
            || self.insecure != self.base.tls.insecure
            || self.endpoints.changed()
    }

    /// A key, as the keymap reads it in forms (`action`); unbound keys type into a text field.
    pub fn handle(&mut self, action: Option<Action>, key: KeyEvent) -> FormOutcome {
        if self.confirm_discard {
            // y discards; n, Esc or any other key goes back to editing.
            self.confirm_discard = false;
            return if action == Some(Action::Confirm) { FormOutcome::Cancel } else { FormOutcome::Continue };
        }
        if self.endpoints.editor.is_some() {
            self.endpoints.handle_editor(action, key);
            return FormOutcome::Continue;
        }
        if self.focus == FieldId::Endpoints && self.endpoints.handle_list(action) {
            return FormOutcome::Continue;
        }
        let kind = self.focus.kind();
        match action {
            Some(Action::Cancel) if self.is_edited() => self.confirm_discard = true,
            Some(Action::Cancel) => return FormOutcome::Cancel,
            Some(Action::Save) => return self.save(),
            Some(Action::Reveal) => self.revealed = !self.revealed,
            // Up and Down come here from the endpoint list past its ends.
            Some(Action::PrevField | Action::Up) => self.move_focus(-1),
            Some(Action::NextField | Action::Down) => self.move_focus(1),
            Some(Action::Submit) if self.focus == FieldId::Save => return self.save(),
            Some(Action::Submit) => self.move_focus(1),
            Some(Action::ChoicePrev) if kind == FieldKind::Choice => self.change_choice(-1),
            Some(Action::ChoiceNext) if kind == FieldKind::Choice => self.change_choice(1),
            // Left and Right move the cursor of a text field.
            Some(Action::ChoicePrev | Action::ChoiceNext) | None if kind == FieldKind::Text => {
                let id = self.focus;
                if let Some(field) = self.text_mut(id)
                    && field.input.handle_event(&Event::Key(key)).is_some_and(|changed| changed.value)
                {
                    self.edited(id);
                }
            }
            _ => {}
        }
        FormOutcome::Continue
    }

    /// Inserts pasted text at the cursor of the focused text field (its first line only).
    pub fn handle_paste(&mut self, text: &str) {
        if self.endpoints.editor.is_some() {
            self.endpoints.paste(text);
            return;
        }
        let id = self.focus;
        let line = text.split(['\n', '\r']).next().unwrap_or("");
        let Some(field) = self.text_mut(id) else { return };
        let mut changed = false;
        for c in line.chars().filter(|c| !c.is_control()) {
            changed |= field.input.handle(InputRequest::InsertChar(c)).is_some();
        }
        if changed {
            self.edited(id);
        }
    }

    fn text_mut(&mut self, id: FieldId) -> Option<&mut TextField> {
        match id {
            FieldId::SecretValue => Some(&mut self.secret_values[self.secret_kind.index()]),
            _ => self.texts.get_mut(&id),
        }
    }

    fn move_focus(&mut self, delta: isize) {
        self.focus = cycle(&self.fields(), self.focus, delta);
    }

    fn change_choice(&mut self, delta: isize) {
        match self.focus {
            FieldId::SecretKind => self.secret_kind = cycle(&SecretKind::ALL, self.secret_kind, delta),
            FieldId::AuthMethod => self.auth_method = cycle(&AUTH_METHODS, self.auth_method, delta),
            FieldId::ScopeMatch => self.scope_match = cycle(&SCOPE_MATCHES, self.scope_match, delta),
            FieldId::TlsInsecure => self.insecure = !self.insecure,
            _ => return,
        }
        self.revalidate();
    }

    fn edited(&mut self, id: FieldId) {
        match id {
            FieldId::Stem => self.stem_touched = true,
            // A new file's name follows the profile's name until it is typed itself.
            FieldId::Name if self.path.is_none() && !self.stem_touched => {
                let name = self.texts.get(&FieldId::Name).map(|t| t.value().trim().to_owned()).unwrap_or_default();
                let wanted = if name.is_empty() { self.source_stem.as_deref().unwrap_or("profile") } else { &name };
                let stem = free_stem_among(wanted, |s| self.taken.contains(s));
                if let Some(field) = self.texts.get_mut(&FieldId::Stem) {
                    field.input = Input::new(stem);
                }
            }
            _ => {}
        }
        self.revalidate();
    }

    fn revalidate(&mut self) {
        if self.tried {
            self.errors = self.build().err().unwrap_or_default();
        }
    }

    fn save(&mut self) -> FormOutcome {
        self.tried = true;
        match self.build() {
            Ok((stem, profile)) => {
                self.errors.clear();
                FormOutcome::Save { stem, profile }
            }
            Err(errors) => {
                if let Some(first) = errors.keys().next() {
                    self.focus = *first;
                }
                self.errors = errors;
                FormOutcome::Continue
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::profile::{ClientConfig, Expectations, IssuerConfig, SecretSource};
    use crate::core::store::profile_store::parse_profile;
    use crate::tui::keymap;
    use crate::tui::state::app::{App, Mode};
    use crate::tui::state::profiles::ProfileList;
    use crossterm::event::{KeyCode, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn secret_of(profile: &Profile) -> Option<&SecretSource> {
        profile.client.as_ref().and_then(|c| c.secret.as_ref())
    }

    fn press(form: &mut FormState, code: KeyCode) -> FormOutcome {
        handle_key(form, KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn ctrl(form: &mut FormState, c: char) -> FormOutcome {
        handle_key(form, KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
    }

    fn typ(form: &mut FormState, text: &str) {
        for c in text.chars() {
            press(form, KeyCode::Char(c));
        }
    }

    /// Moves the focus to `id` with Tab.
    fn goto(form: &mut FormState, id: FieldId) {
        for _ in 0..FieldId::ALL.len() {
            if form.focus() == id {
                return;
            }
            press(form, KeyCode::Tab);
        }
        panic!("{id:?} not reachable");
    }

    fn clear(form: &mut FormState) {
        handle_key(form, KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    }

    fn set(form: &mut FormState, id: FieldId, text: &str) {
        goto(form, id);
        clear(form);
        typ(form, text);
    }

    fn demo_item() -> ProfileItem {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("profiles/demo-reader.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let loaded = parse_profile(&text, "demo-reader.toml").map_err(|e| e.to_string());
        ProfileItem { stem: "demo-reader".into(), path, loaded, stamp: None, last: None }
    }

    fn screen(form: &FormState) -> String {
        screen_of(form, 80, 24)
    }

    fn screen_of(form: &FormState, width: u16, height: u16) -> String {
        let mut app = App::new(ProfileList::default(), 0, false);
        app.mode = Mode::Form(Box::new(form.clone()));
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| crate::tui::view::render(frame, &app)).unwrap();
        let buffer = terminal.backend().buffer();
        let mut text = String::new();
        for y in 0..buffer.area.height {
            for x in 0..buffer.area.width {
                text.push_str(buffer[(x, y)].symbol());
            }
            text.push('\n');
        }
        text
    }

    /// A key as the app delivers it: through the form's bindings in the keymap.
    fn handle_key(form: &mut FormState, key: KeyEvent) -> FormOutcome {
        form.handle(keymap::first_action(&keymap::form_rows(form.keys()), &key), key)
    }

    fn stems(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn private_key_jwt_asks_for_the_key_and_not_the_secret() {
        let dir = tempfile::tempdir().unwrap();
        let mut form = FormState::new_profile(dir.path(), stems(&[]));
        set(&mut form, FieldId::Name, "signed");
        set(&mut form, FieldId::IssuerUrl, "https://issuer.example/oidc");
        set(&mut form, FieldId::ClientId, "svc");
        assert!(form.fields().contains(&FieldId::SecretValue) && !form.fields().contains(&FieldId::PrivateKey));
        goto(&mut form, FieldId::AuthMethod);
        // post → basic → client_secret_jwt → private_key_jwt
        for _ in 0..3 {
            press(&mut form, KeyCode::Right);
        }
        assert_eq!(form.auth_method(), AuthMethod::PrivateKeyJwt);
        let fields = form.fields();
        assert!(!fields.contains(&FieldId::SecretKind) && !fields.contains(&FieldId::SecretValue), "{fields:?}");
        assert!(fields.contains(&FieldId::PrivateKey) && fields.contains(&FieldId::KeyId), "{fields:?}");
        assert!(!fields.contains(&FieldId::Certificate), "{fields:?}");
        goto(&mut form, FieldId::Save);
        assert!(matches!(press(&mut form, KeyCode::Enter), FormOutcome::Continue), "no key: not saved");
        set(&mut form, FieldId::PrivateKey, "a literal is refused");
        goto(&mut form, FieldId::Save);
        assert!(matches!(press(&mut form, KeyCode::Enter), FormOutcome::Continue));
        set(&mut form, FieldId::PrivateKey, "file:keys/client.pem");
        set(&mut form, FieldId::KeyId, "k1");
        goto(&mut form, FieldId::Save);
        let FormOutcome::Save { profile, .. } = press(&mut form, KeyCode::Enter) else { panic!("not saved") };
        let client = profile.client.unwrap();
        assert_eq!(client.auth_method, AuthMethod::PrivateKeyJwt);
        assert_eq!(client.secret, None);
        assert_eq!(client.private_key, Some(SecretSource::File("keys/client.pem".into())));
        assert_eq!(client.key_id.as_deref(), Some("k1"));
    }

    #[test]
    fn new_profile_from_keys() {
        let dir = tempfile::tempdir().unwrap();
        // The form knows taken names from the listed profiles: it never looks at the disk.
        let mut form = FormState::new_profile(dir.path(), stems(&["orders"]));
        assert_eq!(form.focus(), FieldId::Stem);
        // The file name follows the name until typed.
        set(&mut form, FieldId::Name, "Orders");
        assert_eq!(form.text(FieldId::Stem).unwrap().value(), "orders-2");
        set(&mut form, FieldId::IssuerUrl, "https://example.authing.cn/oidc");
        set(&mut form, FieldId::ClientId, "6050751aed0f29bf7723c7a8");
        set(&mut form, FieldId::SecretValue, "ORDERS_SK");
        goto(&mut form, FieldId::AuthMethod);
        press(&mut form, KeyCode::Right);
        set(&mut form, FieldId::Scopes, "order:read  order:write");
        set(&mut form, FieldId::ExpectIssuer, "https://example.authing.cn/oidc");
        set(&mut form, FieldId::ExpectAudience, "a, b");
        set(&mut form, FieldId::Algorithms, "RS256 es256");
        set(&mut form, FieldId::Leeway, "30");
        goto(&mut form, FieldId::ScopeMatch);
        press(&mut form, KeyCode::Left);
        goto(&mut form, FieldId::Save);
        let FormOutcome::Save { stem, profile } = press(&mut form, KeyCode::Enter) else { panic!("not saved") };
        assert_eq!(stem, "orders-2");
        let expected = Profile {
            name: Some("Orders".into()),
            issuer: IssuerConfig { url: Some("https://example.authing.cn/oidc".into()), ..Default::default() },
            client: Some(ClientConfig {
                id: "6050751aed0f29bf7723c7a8".into(),
                secret: Some(SecretSource::Env("ORDERS_SK".into())),
                auth_method: AuthMethod::ClientSecretBasic,
                private_key: None,
                certificate: None,
                assertion_alg: None,
                key_id: None,
                scopes: vec!["order:read".into(), "order:write".into()],
                audience: None,
                resource: None,
                extra: Default::default(),
            }),
            expect: Expectations {
                issuer: Some("https://example.authing.cn/oidc".into()),
                audience: vec!["a".into(), "b".into()],
                algorithms: vec!["RS256".into(), "ES256".into()],
                leeway_secs: 30,
                scope_claim: "scope".into(),
                scope_match: ScopeMatch::Any,
                hmac_secret: None,
                ..Default::default()
            },
            endpoints: Vec::new(),
            tls: Default::default(),
            dpop: None,
        };
        assert_eq!(profile, expected);
        // Ctrl-S saves from anywhere; an untouched new form has no client.
        let mut empty = FormState::new_profile(dir.path(), stems(&["orders"]));
        let FormOutcome::Save { profile, .. } = ctrl(&mut empty, 's') else { panic!("not saved") };
        assert_eq!(profile, Profile::default());
        assert!(matches!(press(&mut empty, KeyCode::Esc), FormOutcome::Cancel));
    }

    #[test]
    fn errors_block_saving_and_focus_the_first_bad_field() {
        let dir = tempfile::tempdir().unwrap();
        let mut form = FormState::new_profile(dir.path(), stems(&["taken"]));
        set(&mut form, FieldId::JwksUri, "ftp://keys");
        set(&mut form, FieldId::SecretValue, "SK");
        set(&mut form, FieldId::Algorithms, "RS256 HS257");
        set(&mut form, FieldId::Leeway, "ten");
        assert!(matches!(ctrl(&mut form, 's'), FormOutcome::Continue));
        assert_eq!(form.focus(), FieldId::JwksUri);
        assert!(form.error(FieldId::JwksUri).unwrap().contains("ftp"));
        assert!(form.error(FieldId::ClientId).unwrap().contains("required"));
        assert!(form.error(FieldId::Algorithms).unwrap().contains("HS257"));
        assert!(form.error(FieldId::Leeway).is_some());
        assert!(screen(&form).contains("scheme \"ftp\""));
        // Fixing a field clears its error at once; the next save focuses the next bad one.
        set(&mut form, FieldId::JwksUri, "https://issuer.example/jwks");
        assert!(form.error(FieldId::JwksUri).is_none());
        assert!(matches!(ctrl(&mut form, 's'), FormOutcome::Continue));
        assert_eq!(form.focus(), FieldId::ClientId);
        set(&mut form, FieldId::ClientId, "app");
        set(&mut form, FieldId::Algorithms, "none");
        set(&mut form, FieldId::Leeway, "5");
        assert!(matches!(ctrl(&mut form, 's'), FormOutcome::Continue));
        assert_eq!(form.focus(), FieldId::Algorithms);
        set(&mut form, FieldId::Algorithms, "RS256");
        assert!(matches!(ctrl(&mut form, 's'), FormOutcome::Save { .. }));
        // A taken or malformed file name.
        set(&mut form, FieldId::Stem, "taken");
        assert!(matches!(ctrl(&mut form, 's'), FormOutcome::Continue));
        assert_eq!(form.focus(), FieldId::Stem);
        set(&mut form, FieldId::Stem, "Not OK");
        assert!(matches!(ctrl(&mut form, 's'), FormOutcome::Continue));
        assert!(form.error(FieldId::Stem).is_some());
    }

    #[test]
    fn edit_without_changes_keeps_the_profile() {
        let item = demo_item();
        let base = item.loaded.clone().unwrap();
        let mut form = FormState::edit(&item);
        assert!(!form.fields().contains(&FieldId::Stem));
        assert_eq!(form.focus(), FieldId::Name);
        assert!(form.header().contains("demo-reader.toml"));
        // The endpoints are in the form now: the note no longer says they are kept aside.
        assert!(form.kept_note().is_none_or(|note| !note.contains("endpoint")));
        assert_eq!(form.endpoints.items().len(), base.endpoints.len());
        assert!(base.endpoints.len() >= 8, "demo-reader lost endpoints");
        goto(&mut form, FieldId::Save);
        let FormOutcome::Save { stem, profile } = press(&mut form, KeyCode::Enter) else { panic!("not saved") };
        assert_eq!(stem, "demo-reader");
        assert_eq!(profile, base);
        assert_eq!(form.path.as_deref(), Some(item.path.as_path()));
        // A duplicate is a new file with the same content under a name that tells it apart.
        let dir = tempfile::tempdir().unwrap();
        let mut copy = FormState::duplicate(&item, dir.path(), BTreeSet::new());
        assert_eq!(copy.text(FieldId::Stem).unwrap().value(), "demo-reader");
        let FormOutcome::Save { stem, profile } = ctrl(&mut copy, 's') else { panic!("not saved") };
        let renamed = Profile { name: Some(format!("{} (copy)", item.name())), ..base };
        assert_eq!((stem.as_str(), profile), ("demo-reader", renamed));
        assert!(copy.path.is_none());
    }

    #[test]
    fn secret_kind_cycles_and_keeps_each_value() {
        let item = demo_item();
        let mut form = FormState::edit(&item);
        goto(&mut form, FieldId::SecretKind);
        assert_eq!(form.secret_kind(), SecretKind::Literal);
        press(&mut form, KeyCode::Right);
        assert_eq!(form.secret_kind(), SecretKind::Env);
        assert_eq!(form.text(FieldId::SecretValue).unwrap().value(), "");
        for kind in [SecretKind::File, SecretKind::Cmd, SecretKind::Prompt] {
            press(&mut form, KeyCode::Right);
            assert_eq!(form.secret_kind(), kind);
        }
        // A prompted secret has no value line.
        assert!(!form.fields().contains(&FieldId::SecretValue));
        let FormOutcome::Save { profile, .. } = ctrl(&mut form, 's') else { panic!("not saved") };
        assert_eq!(secret_of(&profile), Some(&SecretSource::Prompt));
        press(&mut form, KeyCode::Left);
        press(&mut form, KeyCode::Left);
        assert_eq!(form.secret_kind(), SecretKind::File);
        handle_key(&mut form, KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
        form.handle_paste("~/.secrets/sk\nsecond line");
        let FormOutcome::Save { profile, .. } = ctrl(&mut form, 's') else { panic!("not saved") };
        assert_eq!(secret_of(&profile), Some(&SecretSource::File("~/.secrets/sk".into())));
        // Back on literal: the original value, untouched.
        goto(&mut form, FieldId::SecretKind);
        for _ in 0..3 {
            press(&mut form, KeyCode::Right);
        }
        assert_eq!(form.secret_kind(), SecretKind::Literal);
        let FormOutcome::Save { profile, .. } = ctrl(&mut form, 's') else { panic!("not saved") };
        assert_eq!(profile, item.loaded.unwrap());
    }

    #[test]
    fn literal_is_masked_until_revealed() {
        let item = demo_item();
        let mut form = FormState::edit(&item);
        goto(&mut form, FieldId::SecretValue);
        let shown = screen(&form);
        assert!(!shown.contains("demo-reader-secret"), "{shown}");
        assert!(shown.contains("••••"), "{shown}");
        assert!(shown.contains("plain text"), "{shown}");
        assert!(!format!("{form:?}").contains("demo-reader-secret"));
        ctrl(&mut form, 'r');
        assert!(form.revealed());
        assert!(screen(&form).contains("demo-reader-secret"));
        ctrl(&mut form, 'r');
        assert!(!screen(&form).contains("demo-reader-secret"));
    }

    #[test]
    fn esc_asks_before_discarding_edits() {
        let item = demo_item();
        // Unedited: Esc closes at once.
        let mut form = FormState::edit(&item);
        assert!(!form.is_edited());
        assert!(matches!(press(&mut form, KeyCode::Esc), FormOutcome::Cancel));
        // Edited: Esc asks; n (or Esc) goes back to editing with the edit kept; y discards.
        set(&mut form, FieldId::Leeway, "5");
        assert!(form.is_edited());
        assert!(matches!(press(&mut form, KeyCode::Esc), FormOutcome::Continue));
        assert_eq!(form.keys(), FormKeys::Discard);
        assert!(screen(&form).contains("Discard the changes to this profile?"), "{}", screen(&form));
        assert!(matches!(press(&mut form, KeyCode::Char('n')), FormOutcome::Continue));
        assert_eq!(form.text(FieldId::Leeway).unwrap().value(), "5");
        press(&mut form, KeyCode::Esc);
        assert!(matches!(press(&mut form, KeyCode::Esc), FormOutcome::Continue), "Esc at the question keeps editing");
        assert!(!form.confirm_discard);
        press(&mut form, KeyCode::Esc);
        assert!(matches!(press(&mut form, KeyCode::Char('y')), FormOutcome::Cancel));
        // A removed endpoint is an edit too; an untouched duplicate is not.
        let mut form = FormState::edit(&item);
        goto(&mut form, FieldId::Endpoints);
        assert_eq!(form.keys(), FormKeys::Endpoints);
        press(&mut form, KeyCode::Char('x'));
        assert!(form.is_edited());
        let dir = tempfile::tempdir().unwrap();
        let mut copy = FormState::duplicate(&item, dir.path(), BTreeSet::new());
        assert!(matches!(press(&mut copy, KeyCode::Esc), FormOutcome::Cancel));
    }

    #[test]
    fn endpoints_edited_in_the_form_are_saved_in_its_order() {
        let item = demo_item();
        let base = item.loaded.clone().unwrap();
        let mut form = FormState::edit(&item);
        goto(&mut form, FieldId::Endpoints);
        // ↓ selects the second endpoint, Enter edits it: method POST → PUT.
        press(&mut form, KeyCode::Down);
        press(&mut form, KeyCode::Enter);
        assert_eq!(form.keys(), FormKeys::Endpoint);
        press(&mut form, KeyCode::Tab);
        press(&mut form, KeyCode::Right);
        assert!(screen(&form).contains("‹PUT›"), "{}", screen(&form));
        ctrl(&mut form, 's');
        assert_eq!(form.keys(), FormKeys::Endpoints);
        // K moves it to the top; x removes the last one after moving there with ↓.
        press(&mut form, KeyCode::Char('K'));
        for _ in 1..base.endpoints.len() {
            press(&mut form, KeyCode::Down);
        }
        press(&mut form, KeyCode::Char('x'));
        let FormOutcome::Save { profile, .. } = ctrl(&mut form, 's') else { panic!("not saved") };
        let mut expected = base.endpoints.clone();
        expected[1].method = "PUT".into();
        expected.swap(0, 1);
        expected.pop();
        assert_eq!(profile.endpoints, expected);
        assert_eq!(Profile { endpoints: base.endpoints.clone(), ..profile }, base);
        // ↓ past the last endpoint moves on to the next field (the connection settings, then Save).
        press(&mut form, KeyCode::Down);
        assert_eq!(form.focus(), FieldId::TlsCaFile);
    }

    #[test]
    fn fits_80x24_and_scrolls_to_the_focus() {
        let dir = tempfile::tempdir().unwrap();
        let mut form = FormState::new_profile(dir.path(), BTreeSet::new());
        let top = screen(&form);
        assert!(top.contains("New profile → profile.toml"), "{top}");
        assert!(top.contains("file name"), "{top}");
        goto(&mut form, FieldId::Save);
        let bottom = screen(&form);
        assert!(bottom.contains("[ Save ]"), "{bottom}");
        assert!(bottom.contains("Esc"), "{bottom}");
        // Tiny terminals do not panic.
        for (width, height) in [(1, 1), (20, 5), (40, 10)] {
            screen_of(&form, width, height);
        }
    }
}
