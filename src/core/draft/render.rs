//! Collects a draft's values with their origins and renders them as a commented TOML profile.

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

use super::{Draft, ValueSource};

/// A value of a draft.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftValue {
    Text(String),
    List(Vec<String>),
    Flag(bool),
    /// An inline table of strings (`headers`, `extra`).
    Map(Vec<(String, String)>),
}

impl From<&str> for DraftValue {
    fn from(text: &str) -> Self {
        DraftValue::Text(text.to_owned())
    }
}

impl From<String> for DraftValue {
    fn from(text: String) -> Self {
        DraftValue::Text(text)
    }
}

impl From<Vec<String>> for DraftValue {
    fn from(list: Vec<String>) -> Self {
        DraftValue::List(list)
    }
}

impl From<Vec<(String, String)>> for DraftValue {
    fn from(pairs: Vec<(String, String)>) -> Self {
        DraftValue::Map(pairs)
    }
}

impl From<bool> for DraftValue {
    fn from(flag: bool) -> Self {
        DraftValue::Flag(flag)
    }
}

impl DraftValue {
    fn to_toml(&self) -> Value {
        match self {
            DraftValue::Text(text) => Value::from(text.as_str()),
            DraftValue::List(list) => Value::Array(list.iter().map(String::as_str).collect::<Array>()),
            DraftValue::Flag(flag) => Value::from(*flag),
            DraftValue::Map(pairs) => {
                let mut table = toml_edit::InlineTable::new();
                for (key, value) in pairs {
                    table.insert(key, Value::from(value.as_str()));
                }
                Value::InlineTable(table)
            }
        }
    }

    fn to_json(&self) -> serde_json::Value {
        match self {
            DraftValue::Text(text) => serde_json::Value::from(text.as_str()),
            DraftValue::List(list) => serde_json::Value::from(list.clone()),
            DraftValue::Flag(flag) => serde_json::Value::from(*flag),
            DraftValue::Map(pairs) => serde_json::Value::Object(
                pairs.iter().map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str()))).collect(),
            ),
        }
    }
}

struct Entry {
    key: String,
    value: DraftValue,
    comment: String,
}

/// The draft being built: tables in the order a profile reads best, endpoints last.
pub struct DraftBuilder {
    name: String,
    title: Vec<String>,
    tables: Vec<(String, Vec<Entry>)>,
    endpoints: Vec<Vec<Entry>>,
    sources: Vec<ValueSource>,
    notes: Vec<String>,
}

/// The order of a profile's tables ("" is the top level).
const TABLE_ORDER: [&str; 6] = ["", "issuer", "client", "expect", "tls", "dpop"];

impl DraftBuilder {
    /// A draft saved as `name.toml`; `title` opens the file as comment lines.
    pub fn new(name: &str, title: &[String]) -> DraftBuilder {
        DraftBuilder {
            name: name.to_owned(),
            title: title.to_vec(),
            tables: TABLE_ORDER.iter().map(|t| ((*t).to_owned(), Vec::new())).collect(),
            endpoints: Vec::new(),
            sources: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Sets `table.key` (a table of [`TABLE_ORDER`]) found in `source`.
    pub fn set(&mut self, table: &str, key: &str, value: impl Into<DraftValue>, source: &str) {
        let value = value.into();
        let field = if table.is_empty() { key.to_owned() } else { format!("{table}.{key}") };
        self.sources.push(ValueSource { field, value: value.to_json(), source: one_line(source) });
        let entries = self.table(table);
        entries.retain(|entry| entry.key != key);
        entries.push(Entry { key: key.to_owned(), value, comment: format!("from {}", one_line(source)) });
    }

    /// Writes `table.key` as a value the user must replace, with what to put there; it is a
    /// note too, and not a source (nothing was found).
    pub fn fill_in(&mut self, table: &str, key: &str, value: impl Into<DraftValue>, what: &str) {
        let entries = self.table(table);
        entries.retain(|entry| entry.key != key);
        entries.push(Entry {
            key: key.to_owned(),
            value: value.into(),
            comment: format!("FILL IN: {}", one_line(what)),
        });
        let field = if table.is_empty() { key.to_owned() } else { format!("{table}.{key}") };
        self.notes.push(format!("fill in {field}: {what}"));
    }

    /// Starts a new `[[endpoints]]` entry; returns its index for [`DraftBuilder::set_endpoint`].
    pub fn add_endpoint(&mut self) -> usize {
        self.endpoints.push(Vec::new());
        self.endpoints.len() - 1
    }

    pub fn set_endpoint(&mut self, index: usize, key: &str, value: impl Into<DraftValue>, source: &str) {
        let value = value.into();
        self.sources.push(ValueSource {
            field: format!("endpoints[{index}].{key}"),
            value: value.to_json(),
            source: one_line(source),
        });
        if let Some(entries) = self.endpoints.get_mut(index) {
            entries.retain(|entry| entry.key != key);
            entries.push(Entry { key: key.to_owned(), value, comment: format!("from {}", one_line(source)) });
        }
    }

    pub fn note(&mut self, text: impl Into<String>) {
        let text = one_line(&text.into());
        if !self.notes.contains(&text) {
            self.notes.push(text);
        }
    }

    /// Whether `table.key` was set (found or to fill in).
    pub fn has(&self, table: &str, key: &str) -> bool {
        self.tables.iter().any(|(name, entries)| name == table && entries.iter().any(|e| e.key == key))
    }

    fn table(&mut self, table: &str) -> &mut Vec<Entry> {
        if let Some(index) = self.tables.iter().position(|(name, _)| name == table) {
            return &mut self.tables[index].1;
        }
        self.tables.push((table.to_owned(), Vec::new()));
        let last = self.tables.len() - 1;
        &mut self.tables[last].1
    }

    pub fn finish(self) -> Draft {
        let mut document = DocumentMut::new();
        for (name, entries) in &self.tables {
            if entries.is_empty() {
                continue;
            }
            if name.is_empty() {
                fill(document.as_table_mut(), entries);
            } else {
                let mut table = Table::new();
                fill(&mut table, entries);
                document.insert(name, Item::Table(table));
            }
        }
        if !self.endpoints.is_empty() {
            let mut array = ArrayOfTables::new();
            for entries in &self.endpoints {
                let mut table = Table::new();
                fill(&mut table, entries);
                array.push(table);
            }
            document.insert("endpoints", Item::ArrayOfTables(array));
        }
        let title: String = self.title.iter().map(|line| format!("# {}\n", one_line(line))).collect();
        let body = document.to_string();
        let profile_toml = if title.is_empty() { body } else { format!("{title}\n{body}") };
        Draft { name: self.name, profile_toml, sources: self.sources, notes: self.notes }
    }
}

fn fill(table: &mut Table, entries: &[Entry]) {
    for entry in entries {
        table.insert(&entry.key, Item::Value(entry.value.to_toml()));
        if let Some(mut key) = table.key_mut(&entry.key) {
            key.leaf_decor_mut().set_prefix(format!("# {}\n", entry.comment));
        }
    }
}

/// Text for a comment or a note: one line, no control, bidi or format characters (the
/// origin often quotes a server's words).
fn one_line(text: &str) -> String {
    let flat: String = text.chars().map(|c| if c == '\n' || c == '\r' || c == '\t' { ' ' } else { c }).collect();
    crate::core::safe_text::visible_line(&flat).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_rendered_in_profile_order_with_their_origin_above() {
        let mut draft = DraftBuilder::new("api", &["Drafted by tokdbg init".to_owned()]);
        draft.set("expect", "issuer", "https://as.example", "the metadata's issuer");
        draft.set("issuer", "url", "https://as.example", "authorization_servers[0]");
        draft.fill_in("client", "id", "", "your app's client id");
        let endpoint = draft.add_endpoint();
        draft.set_endpoint(endpoint, "url", "https://api.example/orders", "the URL given");
        let draft = draft.finish();
        let issuer = draft.profile_toml.find("[issuer]").unwrap();
        let client = draft.profile_toml.find("[client]").unwrap();
        let expect = draft.profile_toml.find("[expect]").unwrap();
        let endpoints = draft.profile_toml.find("[[endpoints]]").unwrap();
        assert!(draft.profile_toml.starts_with("# Drafted by tokdbg init\n"), "{}", draft.profile_toml);
        assert!(issuer < client && client < expect && expect < endpoints, "{}", draft.profile_toml);
        assert!(draft.profile_toml.contains("# from authorization_servers[0]\nurl = \"https://as.example\""));
        assert!(draft.profile_toml.contains("# FILL IN: your app's client id\nid = \"\""));
        assert_eq!(draft.sources.len(), 3);
        assert_eq!(draft.notes, ["fill in client.id: your app's client id"]);
    }

    #[test]
    fn a_hostile_origin_cannot_break_out_of_its_comment() {
        let mut draft = DraftBuilder::new("api", &[]);
        draft.set("issuer", "url", "https://as.example", "realm \"x\"\n[client]\nid = \"evil\"\u{202e}");
        let draft = draft.finish();
        let parsed: toml::Table = toml::from_str(&draft.profile_toml).unwrap();
        assert!(parsed.get("client").is_none(), "{}", draft.profile_toml);
        assert!(!draft.profile_toml.contains('\u{202e}'));
    }
}
