//! Profile files on disk: loading a directory, editing a file, writing it safely.

pub mod fsutil;
pub mod profile_edit;
pub mod profile_store;
pub(crate) mod toml_doc;
