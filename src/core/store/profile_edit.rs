//! Saving a profile edited in a form back into its TOML file, keeping comments and layout.
//!
//! Only values that changed are touched; a value replaced in place keeps the comment after it.
//! Secrets are written as their source (`env:VAR`, `file:PATH`, ...), and as plain text only when
//! they were given as a literal.

use std::path::Path;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, TableLike, Value};

use crate::core::model::profile::{ClientConfig, Endpoint, Expectations, IssuerConfig, Profile, SecretSource};
use crate::core::store::fsutil::{FileStamp, WriteError, write_private_atomic};
use crate::core::store::profile_store::{ProfileError, parse_profile};
use crate::core::store::toml_doc::{
    clear_positions, fill_endpoint, list, map, opt_str, remove_root_value, set_value, string_array, sync,
};

#[path = "profile_edit_sections.rs"]
mod sections;

/// Why a profile could not be rendered, saved or deleted. Never contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("{path}: the file changed on disk since it was loaded ({detail}); reload it, then edit again")]
    ChangedOnDisk { path: String, detail: &'static str },
    #[error("{path}:{line}:{column}: not valid TOML, so it cannot be edited in place: {message}")]
    NotToml { path: String, line: usize, column: usize, message: String },
    #[error("{path}: not UTF-8 text, so it cannot be edited in place")]
    NotUtf8 { path: String },
    #[error("{path}: cannot read: {reason}")]
    Read { path: String, reason: String },
    #[error("{field}: a literal secret that reads as a secret source (env:, file:, cmd:, prompt) cannot be saved")]
    AmbiguousLiteral { field: &'static str },
    #[error("{field} = {value} is too large for a TOML integer")]
    TooLarge { field: &'static str, value: u64 },
    #[error("the edited profile would not load: {0}")]
    WouldNotLoad(ProfileError),
    #[error("{path}: the saved text would read back differently ({fields}); nothing was written")]
    RoundTrip { path: String, fields: String },
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("{path}: cannot delete: {reason}")]
    Delete { path: String, reason: String },
}

/// Renders `profile` into `original` (the file's current text, or "" for a new file).
///
/// Values the profile has are set in place (keeping comments, order, and keys the form does not
/// edit); emptied optional fields are removed; tables left empty are dropped; endpoints are
/// matched by name, kept in the profile's order, removed ones dropped and new ones added. The
/// result is parsed back and must give an equal profile, else this is an error.
pub fn render_profile(original: &str, profile: &Profile) -> Result<String, EditError> {
    render_labeled(original, profile, "profile")
}

/// Saves `profile` to `path`, refusing with [`EditError::ChangedOnDisk`] if the file no longer
/// matches `loaded_stamp` (`None`: the file must not exist yet). Returns the new stamp.
pub fn save_profile(path: &Path, profile: &Profile, loaded_stamp: Option<&FileStamp>) -> Result<FileStamp, EditError> {
    let label = path.display().to_string();
    let read_error = |e: std::io::Error| EditError::Read { path: label.clone(), reason: e.to_string() };
    let current = FileStamp::read(path).map_err(read_error)?;
    check_unchanged(&label, current.as_ref().map(|(_, stamp)| stamp), loaded_stamp)?;
    let original = match &current {
        Some((bytes, _)) => std::str::from_utf8(bytes).map_err(|_| EditError::NotUtf8 { path: label.clone() })?,
        None => "",
    };
    let text = render_labeled(original, profile, &label)?;
    if let Some((bytes, stamp)) = &current
        && bytes.as_slice() == text.as_bytes()
    {
        return Ok(stamp.clone());
    }
    write_private_atomic(path, text.as_bytes())?;
    FileStamp::of(path).map_err(read_error)?.ok_or_else(|| EditError::Read {
        path: label.clone(),
        reason: "the file is gone right after it was written".to_owned(),
    })
}

/// Deletes a profile file, refusing if it changed on disk since it was loaded. A file that is
/// already gone is not an error.
pub fn delete_profile(path: &Path, loaded_stamp: Option<&FileStamp>) -> Result<(), EditError> {
    let label = path.display().to_string();
    let current = FileStamp::of(path).map_err(|e| EditError::Read { path: label.clone(), reason: e.to_string() })?;
    let Some(current) = current else {
        return Ok(());
    };
    check_unchanged(&label, Some(&current), loaded_stamp)?;
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(EditError::Delete { path: label, reason: e.to_string() }),
    }
}

/// A file stem that is safe and free in `dir`: lowercase `[a-z0-9-_]` derived from a display
/// name, with `-2`, `-3`, ... added if `STEM.toml` is taken.
pub fn free_stem(dir: &Path, wanted: &str) -> String {
    free_stem_among(wanted, |stem| std::fs::symlink_metadata(dir.join(format!("{stem}.toml"))).is_ok())
}

/// [`free_stem`] against stems known to be taken, without looking at the disk (the TUI's
/// `update` is pure; the save refuses a file that appeared meanwhile).
pub fn free_stem_among(wanted: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = slug(wanted);
    if !taken(&base) {
        return base;
    }
    (2u32..).map(|n| format!("{base}-{n}")).find(|stem| !taken(stem)).unwrap_or(base)
}

fn slug(wanted: &str) -> String {
    const MAX_LEN: usize = 64;
    let mut out = String::new();
    for c in wanted.trim().chars().flat_map(char::to_lowercase) {
        let keep = c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-';
        let c = if keep { c } else { '-' };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        if out.len() >= MAX_LEN {
            break;
        }
        out.push(c);
    }
    let trimmed = out.trim_end_matches(['-', '_']).trim_start_matches('_');
    let stem = if trimmed.is_empty() { "profile" } else { trimmed };
    // Names Windows reserves for devices cannot be file names there.
    const RESERVED: [&str; 22] = [
        "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1",
        "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    ];
    if RESERVED.contains(&stem) { format!("{stem}-profile") } else { stem.to_owned() }
}

fn check_unchanged(path: &str, current: Option<&FileStamp>, loaded: Option<&FileStamp>) -> Result<(), EditError> {
    let detail = match (current, loaded) {
        (None, None) => return Ok(()),
        (Some(now), Some(then)) if now == then => return Ok(()),
        (Some(_), Some(_)) => "it was modified since it was loaded",
        (None, Some(_)) => "it was deleted since it was loaded",
        (Some(_), None) => "a file of that name exists now",
    };
    Err(EditError::ChangedOnDisk { path: path.to_owned(), detail })
}

fn render_labeled(original: &str, profile: &Profile, label: &str) -> Result<String, EditError> {
    check_literals(profile)?;
    let mut doc: DocumentMut = original.parse().map_err(|e: toml_edit::TomlError| {
        let (line, column) = e.span().map(|span| line_col(original, span.start)).unwrap_or((1, 1));
        EditError::NotToml {
            path: label.to_owned(),
            line,
            column,
            message: e.message().lines().next().unwrap_or("").trim().to_owned(),
        }
    })?;
    // What the file means now: a field equal to it is left alone, formatting and all.
    let before: Option<Profile> = toml::from_str(original).ok();
    let fresh = doc.as_table().is_empty();
    let mut editor = Editor { doc: &mut doc, before: before.as_ref(), fresh, created_section: false };
    editor.name(&profile.name);
    editor.issuer(&profile.issuer);
    editor.client(profile.client.as_ref());
    editor.dpop(profile.dpop.as_ref());
    editor.tls(&profile.tls);
    editor.expect(&profile.expect)?;
    editor.endpoints(&profile.endpoints);
    if editor.created_section {
        order_root(&mut doc);
    }

    let text = doc.to_string();
    let back = parse_profile(&text, label).map_err(EditError::WouldNotLoad)?;
    if back != *profile {
        return Err(EditError::RoundTrip {
            path: label.to_owned(),
            fields: differing_fields(profile, &back).join(", "),
        });
    }
    Ok(text)
}

/// A literal secret such as `env:X` would come back as a source: refuse instead of changing it.
fn check_literals(profile: &Profile) -> Result<(), EditError> {
    let ambiguous = |source: &SecretSource| match source {
        SecretSource::Literal(secret) => !SecretSource::parse(secret.expose()).is_literal(),
        _ => false,
    };
    if let Some(client) = &profile.client {
        for (source, field) in [
            (&client.secret, "client.secret"),
            (&client.private_key, "client.private_key"),
            (&client.certificate, "client.certificate"),
        ] {
            if source.as_ref().is_some_and(ambiguous) {
                return Err(EditError::AmbiguousLiteral { field });
            }
        }
    }
    if profile.dpop.as_ref().and_then(|d| d.private_key.as_ref()).is_some_and(ambiguous) {
        return Err(EditError::AmbiguousLiteral { field: "dpop.private_key" });
    }
    if profile.expect.hmac_secret.as_ref().is_some_and(ambiguous) {
        return Err(EditError::AmbiguousLiteral { field: "expect.hmac_secret" });
    }
    Ok(())
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, column)
}

const ROOT_ORDER: [&str; 7] = ["name", "issuer", "client", "dpop", "tls", "expect", "endpoints"];

/// Puts a newly created section in its usual place (it follows the section before it).
fn order_root(doc: &mut DocumentMut) {
    let rank = |key: &str| ROOT_ORDER.iter().position(|k| *k == key).unwrap_or(ROOT_ORDER.len());
    doc.as_table_mut().sort_values_by(|k1, _, k2, _| rank(k1.get()).cmp(&rank(k2.get())));
}

struct Editor<'a> {
    doc: &'a mut DocumentMut,
    /// The profile the original text held, when it parsed: equal fields are left alone.
    before: Option<&'a Profile>,
    /// The original had no keys at all: settings with defaults are spelled out, as in a template.
    fresh: bool,
    created_section: bool,
}

impl Editor<'_> {
    fn name(&mut self, name: &Option<String>) {
        if self.before.is_some_and(|b| b.name == *name) {
            return;
        }
        match name {
            Some(name) => set_value(self.doc.as_table_mut(), "name", Value::from(name.as_str())),
            None => remove_root_value(self.doc, "name"),
        }
    }

    fn issuer(&mut self, issuer: &IssuerConfig) {
        let old = self.before.map(|b| &b.issuer);
        if old == Some(issuer) {
            return;
        }
        self.section("issuer", |table| {
            sync(table, "url", &issuer.url, old.map(|o| &o.url), opt_str);
            sync(table, "token_endpoint", &issuer.token_endpoint, old.map(|o| &o.token_endpoint), opt_str);
            sync(table, "jwks_uri", &issuer.jwks_uri, old.map(|o| &o.jwks_uri), opt_str);
            let introspection = &issuer.introspection_endpoint;
            sync(table, "introspection_endpoint", introspection, old.map(|o| &o.introspection_endpoint), opt_str);
            let revocation = &issuer.revocation_endpoint;
            sync(table, "revocation_endpoint", revocation, old.map(|o| &o.revocation_endpoint), opt_str);
        });
    }

    fn client(&mut self, client: Option<&ClientConfig>) {
        let old = self.before.and_then(|b| b.client.as_ref());
        let Some(client) = client else {
            self.doc.as_table_mut().remove("client");
            return;
        };
        if old == Some(client) {
            return;
        }
        self.section("client", |table| {
            sync(table, "id", &client.id, old.map(|o| &o.id), |v| Some(Value::from(v.as_str())));
            let source = |v: &Option<SecretSource>| v.as_ref().map(|s| Value::from(s.to_profile_text()));
            sync(table, "secret", &client.secret, old.map(|o| &o.secret), source);
            sync(table, "auth_method", &client.auth_method, old.map(|o| &o.auth_method), |v| {
                Some(Value::from(v.as_str()))
            });
            sync(table, "private_key", &client.private_key, old.map(|o| &o.private_key), source);
            sync(table, "certificate", &client.certificate, old.map(|o| &o.certificate), source);
            sync(table, "assertion_alg", &client.assertion_alg, old.map(|o| &o.assertion_alg), opt_str);
            sync(table, "key_id", &client.key_id, old.map(|o| &o.key_id), opt_str);
            sync(table, "scopes", &client.scopes, old.map(|o| &o.scopes), |v| list(v));
            sync(table, "audience", &client.audience, old.map(|o| &o.audience), opt_str);
            sync(table, "resource", &client.resource, old.map(|o| &o.resource), opt_str);
            sync(table, "extra", &client.extra, old.map(|o| &o.extra), map);
        });
    }

    fn expect(&mut self, expect: &Expectations) -> Result<(), EditError> {
        let old = if self.fresh { None } else { self.before.map(|b| &b.expect) };
        if old == Some(expect) {
            return Ok(());
        }
        let leeway = i64::try_from(expect.leeway_secs)
            .map_err(|_| EditError::TooLarge { field: "expect.leeway_secs", value: expect.leeway_secs })?;
        self.section("expect", |table| {
            sync(table, "issuer", &expect.issuer, old.map(|o| &o.issuer), opt_str);
            sync(table, "audience", &expect.audience, old.map(|o| &o.audience), |v| match v.as_slice() {
                [] => None,
                [one] => Some(Value::from(one.as_str())),
                many => Some(string_array(many)),
            });
            sync(table, "algorithms", &expect.algorithms, old.map(|o| &o.algorithms), |v| Some(string_array(v)));
            sync(table, "leeway_secs", &expect.leeway_secs, old.map(|o| &o.leeway_secs), |_| Some(Value::from(leeway)));
            sync(table, "scope_claim", &expect.scope_claim, old.map(|o| &o.scope_claim), |v| {
                Some(Value::from(v.as_str()))
            });
            sync(table, "scope_match", &expect.scope_match, old.map(|o| &o.scope_match), |v| {
                Some(Value::from(v.as_str()))
            });
            sync(table, "hmac_secret", &expect.hmac_secret, old.map(|o| &o.hmac_secret), |v| {
                v.as_ref().map(|source| Value::from(source.to_profile_text()))
            });
        });
        Ok(())
    }

    /// Endpoints matched by name: a kept one keeps its table (comments, unknown layout), in the
    /// profile's order; the others are dropped or added.
    fn endpoints(&mut self, endpoints: &[Endpoint]) {
        let before = self.before.map(|b| b.endpoints.as_slice());
        if before == Some(endpoints) {
            return;
        }
        let root = self.doc.as_table_mut();
        if endpoints.is_empty() {
            root.remove("endpoints");
            return;
        }
        let old_tables: Vec<Table> = match root.get_mut("endpoints") {
            Some(Item::ArrayOfTables(array)) => std::mem::take(array).into_iter().collect(),
            _ => Vec::new(),
        };
        // The parsed endpoints came from these very tables, in this order.
        let old_models: Vec<Option<&Endpoint>> = match before {
            Some(models) if models.len() == old_tables.len() => models.iter().map(Some).collect(),
            _ => vec![None; old_tables.len()],
        };
        let mut old: Vec<Option<(Table, Option<&Endpoint>)>> =
            old_tables.into_iter().zip(old_models).map(Some).collect();

        let mut array = ArrayOfTables::new();
        let mut kept_positions = Vec::new();
        for endpoint in endpoints {
            let found = old.iter().position(|slot| {
                slot.as_ref().is_some_and(|(table, _)| table.get("name").and_then(Item::as_str) == Some(&endpoint.name))
            });
            let (mut table, model) = found.and_then(|i| old[i].take()).unwrap_or_default();
            if found.is_some() {
                kept_positions.push(table.position());
            }
            fill_endpoint(&mut table, endpoint, model);
            array.push(table);
        }
        // Kept tables display by their old positions: if the order changed, let them follow the tree.
        let in_order = kept_positions.windows(2).all(|w| matches!((w[0], w[1]), (Some(a), Some(b)) if a < b));
        if !in_order {
            for table in array.iter_mut() {
                clear_positions(table);
            }
        }
        match root.get_mut("endpoints") {
            Some(item) => *item = Item::ArrayOfTables(array),
            None => {
                root.insert("endpoints", Item::ArrayOfTables(array));
            }
        }
    }

    /// Runs `fill` on the section `key`, creating it if missing and dropping it if left empty
    /// (unless it was empty already).
    fn section(&mut self, key: &str, fill: impl FnOnce(&mut dyn TableLike)) {
        let root = self.doc.as_table_mut();
        let had_items = root.get(key).and_then(Item::as_table_like).map(|t| !t.is_empty());
        if had_items.is_none() {
            root.insert(key, Item::Table(Table::new()));
            self.created_section = true;
        }
        let Some(table) = root.get_mut(key).and_then(Item::as_table_like_mut) else {
            return;
        };
        fill(table);
        if table.is_empty() && had_items != Some(false) {
            root.remove(key);
        }
    }
}

/// The dotted names of the fields where two profiles differ (never their values).
fn differing_fields(want: &Profile, got: &Profile) -> Vec<&'static str> {
    let mut fields = Vec::new();
    let mut check = |differs: bool, name: &'static str| {
        if differs {
            fields.push(name);
        }
    };
    check(want.name != got.name, "name");
    check(want.issuer != got.issuer, "issuer");
    match (&want.client, &got.client) {
        (Some(a), Some(b)) => {
            check(a.id != b.id, "client.id");
            check(a.secret != b.secret, "client.secret");
            check(a.auth_method != b.auth_method, "client.auth_method");
            check(a.private_key != b.private_key, "client.private_key");
            check(a.certificate != b.certificate, "client.certificate");
            check(a.assertion_alg != b.assertion_alg, "client.assertion_alg");
            check(a.key_id != b.key_id, "client.key_id");
            check(a.scopes != b.scopes, "client.scopes");
            check(a.audience != b.audience, "client.audience");
            check(a.resource != b.resource, "client.resource");
            check(a.extra != b.extra, "client.extra");
        }
        (a, b) => check(a.is_some() != b.is_some(), "client"),
    }
    check(want.dpop != got.dpop, "dpop");
    check(want.tls != got.tls, "tls");
    check(want.expect != got.expect, "expect");
    check(want.endpoints != got.endpoints, "endpoints");
    if fields.is_empty() {
        fields.push("profile");
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table of the endpoint named `name` in `text`, from its `[[endpoints]]` line to the next.
    fn table_of<'a>(text: &'a str, name: &str) -> &'a str {
        text.split("[[endpoints]]")
            .find(|table| table.contains(&format!("name = \"{name}\"")))
            .unwrap_or_else(|| panic!("no endpoint {name}:\n{text}"))
    }

    #[test]
    fn endpoint_edits_leave_the_other_endpoints_byte_identical() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/demo-reader.toml");
        let text = std::fs::read_to_string(path).unwrap();
        // A comment inside an endpoint, as people write them.
        let text = text.replace(
            "name = \"write orders\"\n",
            "name = \"write orders\"\n# needs order:write, which demo-reader lacks\n",
        );
        let mut profile = parse_profile(&text, "demo-reader.toml").unwrap();
        let names: Vec<String> = profile.endpoints.iter().map(|e| e.name.clone()).collect();
        // What the form does: one method changed (with a multi-line body), one moved up, one removed.
        profile.endpoints[0].method = "POST".into();
        profile.endpoints[0].body = Some("{\n  \"item\": \"tea\"\n}".into());
        let moved = profile.endpoints.remove(3);
        profile.endpoints.insert(1, moved);
        let removed = profile.endpoints.remove(4);

        let out = render_profile(&text, &profile).unwrap();
        assert_eq!(parse_profile(&out, "out.toml").unwrap(), profile);
        let head = |t: &str| t.split("[[endpoints]]").next().unwrap().to_owned();
        assert_eq!(head(&out), head(&text), "everything above the endpoints stays as it was");
        for name in names.iter().filter(|n| **n != removed.name && **n != profile.endpoints[0].name) {
            let (before, after) = (table_of(&text, name), table_of(&out, name));
            // The last table of a file has no blank line after it.
            assert_eq!(before.trim_end(), after.trim_end(), "{name} changed:\n{out}");
        }
        assert!(!out.contains(&format!("name = \"{}\"", removed.name)), "{out}");
        assert!(table_of(&out, "read orders").contains("method = \"POST\""), "{out}");
        let order: Vec<usize> =
            profile.endpoints.iter().map(|e| out.find(&format!("name = \"{}\"", e.name)).unwrap()).collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "the file has the form's order:\n{out}");
    }
}
