//! Small edits of a TOML document that keep its comments and layout: set, remove and sync
//! values, fill an endpoint's table. The profile editor's toolbox.

use std::collections::BTreeMap;

use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, TableLike, Value};

use crate::core::model::profile::Endpoint;

pub(super) fn fill_endpoint(table: &mut Table, endpoint: &Endpoint, old: Option<&Endpoint>) {
    sync(table, "name", &endpoint.name, old.map(|o| &o.name), |v| Some(Value::from(v.as_str())));
    sync(table, "method", &endpoint.method, old.map(|o| &o.method), |v| Some(Value::from(v.as_str())));
    sync(table, "url", &endpoint.url, old.map(|o| &o.url), |v| Some(Value::from(v.as_str())));
    sync(table, "required_scopes", &endpoint.required_scopes, old.map(|o| &o.required_scopes), |v| list(v));
    sync(table, "headers", &endpoint.headers, old.map(|o| &o.headers), map);
    sync(table, "body", &endpoint.body, old.map(|o| &o.body), opt_str);
}

pub(super) fn clear_positions(table: &mut Table) {
    table.set_position(None);
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(sub) => clear_positions(sub),
            Item::ArrayOfTables(array) => array.iter_mut().for_each(clear_positions),
            _ => {}
        }
    }
}

/// Writes `key` unless `old` shows the file already holds `new`; `render` gives `None` for
/// "leave the key out".
pub(super) fn sync<T: PartialEq>(
    table: &mut dyn TableLike,
    key: &str,
    new: &T,
    old: Option<&T>,
    render: impl FnOnce(&T) -> Option<Value>,
) {
    if old == Some(new) {
        return;
    }
    match render(new) {
        Some(value) => set_value(table, key, value),
        None => {
            remove_value(table, key);
        }
    }
}

pub(super) fn opt_str(value: &Option<String>) -> Option<Value> {
    value.as_deref().map(Value::from)
}

pub(super) fn list(values: &[String]) -> Option<Value> {
    (!values.is_empty()).then(|| string_array(values))
}

pub(super) fn map(values: &BTreeMap<String, String>) -> Option<Value> {
    (!values.is_empty()).then(|| {
        let mut table: InlineTable = values.iter().map(|(k, v)| (k.as_str(), Value::from(v.as_str()))).collect();
        table.fmt();
        Value::InlineTable(table)
    })
}

pub(super) fn string_array(values: &[String]) -> Value {
    Value::Array(values.iter().map(String::as_str).collect::<Array>())
}

/// Sets a value, keeping the spacing and trailing comment of the one it replaces.
pub(super) fn set_value(table: &mut dyn TableLike, key: &str, mut value: Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        Some(item) => *item = Item::Value(value),
        None => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// Removes a key with the comment lines right above it; a comment block separated from it by a
/// blank line (such as a file header) moves to the next key. Returns such a block when no key
/// follows to take it.
fn remove_value(table: &mut dyn TableLike, key: &str) -> Option<String> {
    let index = table.iter().position(|(k, _)| k == key)?;
    let detached = table
        .key(key)
        .and_then(|k| k.leaf_decor().prefix())
        .and_then(|p| p.as_str())
        .map(detached_comment)
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    table.remove(key);
    let detached = detached?;
    let next = table.iter().skip(index).find(|(_, item)| item.is_value()).map(|(k, _)| k.to_owned());
    match next.as_deref().and_then(|next| table.key_mut(next)) {
        Some(mut next_key) => {
            let decor = next_key.leaf_decor_mut();
            let rest = decor.prefix().and_then(|p| p.as_str()).unwrap_or("").to_owned();
            decor.set_prefix(format!("{detached}{rest}"));
            None
        }
        None => Some(detached),
    }
}

/// A root key's detached comment (the file header) goes to the first table when no key follows.
pub(super) fn remove_root_value(doc: &mut DocumentMut, key: &str) {
    let Some(detached) = remove_value(doc.as_table_mut(), key) else {
        return;
    };
    let mut first: Option<&mut Table> = None;
    for (_, item) in doc.as_table_mut().iter_mut() {
        let candidates: Vec<&mut Table> = match item {
            Item::Table(table) if !table.is_dotted() => vec![table],
            Item::ArrayOfTables(array) => array.iter_mut().take(1).collect(),
            _ => Vec::new(),
        };
        for table in candidates {
            let earlier = first
                .as_ref()
                .is_some_and(|f| f.position().unwrap_or(isize::MAX) <= table.position().unwrap_or(isize::MAX));
            if !earlier {
                first = Some(table);
            }
        }
    }
    if let Some(table) = first {
        let decor = table.decor_mut();
        let rest = decor.prefix().and_then(|p| p.as_str()).unwrap_or("").trim_start_matches('\n').to_owned();
        decor.set_prefix(format!("{detached}{rest}"));
    }
}

/// The part of a key's prefix up to its last blank line, when it holds a comment.
fn detached_comment(prefix: &str) -> &str {
    let mut end = 0;
    let mut offset = 0;
    for line in prefix.split_inclusive('\n') {
        offset += line.len();
        if line.ends_with('\n') && line.trim().is_empty() {
            end = offset;
        }
    }
    let part = prefix.get(..end).unwrap_or("");
    if part.contains('#') { part } else { "" }
}
