//! The profile form (create, edit, duplicate): fields, validation, and the profile it yields.

use std::path::{Path, PathBuf};

use crossterm::event::KeyEvent;

use crate::core::fsutil::FileStamp;
use crate::core::profile::Profile;

use super::profiles::ProfileItem;

/// What a key did to the form.
#[derive(Debug)]
pub enum FormOutcome {
    Continue,
    Cancel,
    Save { stem: String, profile: Profile },
}

#[derive(Debug, Clone, Default)]
pub struct FormState {
    /// The file being edited; `None` for a new or duplicated profile.
    pub path: Option<PathBuf>,
    pub stamp: Option<FileStamp>,
    pub base: Profile,
}

impl FormState {
    pub fn new_profile(_dir: &Path) -> Self {
        FormState::default()
    }

    pub fn edit(item: &ProfileItem) -> Self {
        FormState { path: Some(item.path.clone()), stamp: item.stamp.clone(), base: item.loaded.clone().unwrap_or_default() }
    }

    pub fn duplicate(item: &ProfileItem, _dir: &Path) -> Self {
        FormState { path: None, stamp: None, base: item.loaded.clone().unwrap_or_default() }
    }

    pub fn handle_key(&mut self, _key: KeyEvent) -> FormOutcome {
        FormOutcome::Cancel
    }

    pub fn handle_paste(&mut self, _text: &str) {}
}
