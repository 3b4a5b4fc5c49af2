//! The profile list: entries from the profile directory, the filter, and the selection.

use std::path::PathBuf;

use crate::core::model::profile::Profile;
use crate::core::store::fsutil::FileStamp;
use crate::core::store::profile_store::ProfileStore;

/// The last outcome of a profile in this run, shown in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastOutcome {
    pub status: Option<u16>,
    pub code: String,
}

#[derive(Debug, Clone)]
pub struct ProfileItem {
    pub stem: String,
    pub path: PathBuf,
    pub loaded: Result<Profile, String>,
    /// The file as loaded, to detect edits made on disk since.
    pub stamp: Option<FileStamp>,
    pub last: Option<LastOutcome>,
}

impl ProfileItem {
    pub fn name(&self) -> &str {
        match &self.loaded {
            Ok(profile) => profile.display_name(&self.stem),
            Err(_) => &self.stem,
        }
    }

    pub fn issuer_host(&self) -> String {
        self.loaded.as_ref().ok().and_then(Profile::issuer_host).unwrap_or_default()
    }

    pub fn client_id(&self) -> &str {
        match &self.loaded {
            Ok(profile) => profile.client.as_ref().map(|c| c.id.as_str()).unwrap_or(""),
            Err(_) => "",
        }
    }

    fn matches(&self, filter: &str) -> bool {
        if filter.is_empty() {
            return true;
        }
        let needle = filter.to_lowercase();
        [self.stem.as_str(), self.name(), self.client_id()].iter().any(|h| h.to_lowercase().contains(&needle))
            || self.issuer_host().to_lowercase().contains(&needle)
    }
}

/// The list shows names, so it is sorted by name (ignoring case), then by file stem.
fn by_name(a: &ProfileItem, b: &ProfileItem) -> std::cmp::Ordering {
    a.name().to_lowercase().cmp(&b.name().to_lowercase()).then_with(|| a.stem.cmp(&b.stem))
}

/// What a reload found, by file stem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reload {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

impl Reload {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// "changed demo-reader; new orders" for the status line.
    pub fn summary(&self) -> String {
        [("new", &self.added), ("changed", &self.changed), ("removed", &self.removed)]
            .iter()
            .filter(|(_, stems)| !stems.is_empty())
            .map(|(what, stems)| format!("{what} {}", stems.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[derive(Debug, Clone, Default)]
pub struct ProfileList {
    pub items: Vec<ProfileItem>,
    pub filter: String,
    /// Indexes of `items` that pass the filter, in order.
    pub visible: Vec<usize>,
    /// Position in `visible`.
    pub cursor: usize,
    pub dir: PathBuf,
    pub dir_exists: bool,
}

impl ProfileList {
    pub fn from_store(store: &ProfileStore) -> Self {
        let items = store
            .entries
            .iter()
            .map(|entry| ProfileItem {
                stem: entry.stem.clone(),
                path: entry.path.clone(),
                loaded: entry.loaded.clone().map_err(|e| e.to_string()),
                stamp: entry.stamp.clone(),
                last: None,
            })
            .collect();
        let mut list = ProfileList { items, dir: store.dir.clone(), dir_exists: store.exists, ..Default::default() };
        list.items.sort_by(by_name);
        list.refilter();
        list
    }

    /// Filters again and selects `stem` if it is still visible (indexes change when sorting).
    fn refilter_keeping(&mut self, stem: Option<&str>) {
        self.visible = (0..self.items.len()).filter(|&i| self.items[i].matches(&self.filter)).collect();
        self.cursor = stem
            .and_then(|stem| self.visible.iter().position(|&i| self.items[i].stem == stem))
            .unwrap_or(0)
            .min(self.visible.len().saturating_sub(1));
    }

    pub fn refilter(&mut self) {
        let selected = self.selected_index();
        self.visible = (0..self.items.len()).filter(|&i| self.items[i].matches(&self.filter)).collect();
        self.cursor = selected.and_then(|s| self.visible.iter().position(|&i| i == s)).unwrap_or(0);
    }

    pub fn set_filter(&mut self, filter: &str) {
        self.filter = filter.to_owned();
        self.refilter();
    }

    /// Index into `items` of the selected profile.
    pub fn selected_index(&self) -> Option<usize> {
        self.visible.get(self.cursor).copied()
    }

    pub fn selected(&self) -> Option<&ProfileItem> {
        self.selected_index().map(|i| &self.items[i])
    }

    pub fn selected_mut(&mut self) -> Option<&mut ProfileItem> {
        self.selected_index().map(|i| &mut self.items[i])
    }

    pub fn by_stem_mut(&mut self, stem: &str) -> Option<&mut ProfileItem> {
        self.items.iter_mut().find(|i| i.stem == stem)
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            return;
        }
        let last = self.visible.len() as isize - 1;
        self.cursor = (self.cursor as isize + delta).clamp(0, last) as usize;
    }

    pub fn select_stem(&mut self, stem: &str) {
        if let Some(i) = self.items.iter().position(|item| item.stem == stem) {
            if !self.visible.contains(&i) {
                self.filter.clear();
                self.refilter();
            }
            if let Some(pos) = self.visible.iter().position(|&v| v == i) {
                self.cursor = pos;
            }
        }
    }

    /// Inserts or replaces a profile (after a save), keeping the list sorted by stem.
    pub fn upsert(&mut self, item: ProfileItem) {
        match self.items.iter_mut().find(|i| i.stem == item.stem) {
            Some(existing) => {
                let last = existing.last.take();
                *existing = ProfileItem { last, ..item };
            }
            None => {
                self.items.push(item);
            }
        }
        let selected = self.selected().map(|i| i.stem.clone());
        self.items.sort_by(by_name);
        self.refilter_keeping(selected.as_deref());
    }

    /// Takes the directory as read again: the selection, the filter and each profile's last
    /// outcome stay; returns what changed.
    pub fn reload(&mut self, store: &ProfileStore) -> Reload {
        let selected = self.selected().map(|i| i.stem.clone());
        let fresh = ProfileList::from_store(store);
        let mut reload = Reload::default();
        for item in &fresh.items {
            match self.items.iter().find(|old| old.stem == item.stem) {
                None => reload.added.push(item.stem.clone()),
                Some(old) if old.stamp != item.stamp || old.loaded.is_err() != item.loaded.is_err() => {
                    reload.changed.push(item.stem.clone())
                }
                Some(_) => {}
            }
        }
        reload.removed = self
            .items
            .iter()
            .filter(|old| !fresh.items.iter().any(|i| i.stem == old.stem))
            .map(|i| i.stem.clone())
            .collect();
        let cursor = self.cursor;
        let items = fresh
            .items
            .into_iter()
            .map(|mut item| {
                item.last = self.items.iter().find(|old| old.stem == item.stem).and_then(|old| old.last.clone());
                item
            })
            .collect();
        self.items = items;
        self.dir_exists = fresh.dir_exists;
        self.visible = (0..self.items.len()).filter(|&i| self.items[i].matches(&self.filter)).collect();
        self.cursor = selected
            .and_then(|stem| self.visible.iter().position(|&i| self.items[i].stem == stem))
            .unwrap_or_else(|| cursor.min(self.visible.len().saturating_sub(1)));
        reload
    }

    /// Removes a profile; the selection stays where it was (the next row moves up into it).
    pub fn remove(&mut self, stem: &str) {
        let cursor = self.cursor;
        self.items.retain(|i| i.stem != stem);
        self.visible = (0..self.items.len()).filter(|&i| self.items[i].matches(&self.filter)).collect();
        self.cursor = cursor.min(self.visible.len().saturating_sub(1));
    }
}
