//! Reading an API's tree for `check-api`: the files a parser knows, within limits (depth,
//! entries, file size and count), skipping dependency and build directories, never
//! following a symlink, so a checkout cannot make tokdbg read outside it or forever.

use std::path::{Path, PathBuf};

use crate::core::model::bounded_read::read_regular_file;

use super::{ApiSetting, classify, parse_file};

/// What a walk may do.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_depth: usize,
    /// Directory entries looked at, in all.
    pub max_entries: usize,
    /// Files read and parsed.
    pub max_files: usize,
    /// A larger file is skipped (config and entry points are small).
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 12, max_entries: 20_000, max_files: 500, max_file_bytes: 512 * 1024 }
    }
}

/// Directories never entered: dependencies, build output (ASP.NET's `bin`/`obj` hold copies
/// of appsettings), virtual environments, VCS data.
const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    ".git",
    ".hg",
    ".svn",
    "target",
    "venv",
    ".venv",
    "env",
    "__pycache__",
    ".tox",
    "bin",
    "obj",
    "dist",
    "build",
    ".next",
    ".gradle",
    ".idea",
];

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walked {
    pub settings: Vec<ApiSetting>,
    /// Files read and parsed.
    pub files_read: usize,
    /// What was skipped or cut short, in words.
    pub notes: Vec<String>,
}

/// Reads `root` (a file, or a directory walked in name order).
pub fn walk(root: &Path, limits: Limits) -> std::io::Result<Walked> {
    let mut walked = Walked::default();
    let meta = std::fs::metadata(root)?;
    if meta.is_file() {
        let name = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // A file named on the command line is read even if its name is unusual: as what it
        // looks like, else as JS (the quick start's snippets are bare code).
        let as_name = if classify(&name).is_some() { name } else { format!("{name}.js") };
        read_one(root, &root.display().to_string(), &as_name, limits, &mut walked);
        return Ok(walked);
    }
    let mut stack: Vec<(PathBuf, usize)> = vec![(root.to_path_buf(), 0)];
    let mut entries_seen = 0usize;
    let (mut links, mut too_deep) = (0usize, 0usize);
    while let Some((dir, depth)) = stack.pop() {
        let Ok(reader) = std::fs::read_dir(&dir) else {
            walked.notes.push(format!("cannot read the directory {}", dir.display()));
            continue;
        };
        let mut entries: Vec<std::fs::DirEntry> = reader.filter_map(Result::ok).collect();
        entries.sort_by_key(|entry| entry.file_name());
        let mut subdirs = Vec::new();
        for entry in entries {
            entries_seen += 1;
            if entries_seen > limits.max_entries {
                walked.notes.push(format!("stopped after {} directory entries", limits.max_entries));
                return Ok(finish(walked, links, too_deep));
            }
            // file_type does not follow links: a link is never entered nor read.
            let Ok(kind) = entry.file_type() else { continue };
            let name = entry.file_name().to_string_lossy().into_owned();
            if kind.is_symlink() {
                links += 1;
            } else if kind.is_dir() {
                if SKIPPED_DIRS.contains(&name.as_str()) {
                    continue;
                }
                if depth + 1 > limits.max_depth {
                    too_deep += 1;
                } else {
                    subdirs.push((entry.path(), depth + 1));
                }
            } else if kind.is_file() && classify(&name).is_some() {
                if walked.files_read >= limits.max_files {
                    walked.notes.push(format!("read the first {} files only", limits.max_files));
                    return Ok(finish(walked, links, too_deep));
                }
                let path = entry.path();
                read_one(&path, &path.display().to_string(), &name, limits, &mut walked);
            }
        }
        // Depth first, in name order: the stack pops the first name first.
        stack.extend(subdirs.into_iter().rev());
    }
    Ok(finish(walked, links, too_deep))
}

fn finish(mut walked: Walked, links: usize, too_deep: usize) -> Walked {
    if links > 0 {
        walked.notes.push(format!("{links} symbolic link(s) not followed"));
    }
    if too_deep > 0 {
        walked.notes.push(format!("{too_deep} directorie(s) deeper than the depth limit not read"));
    }
    walked
}

fn read_one(path: &Path, shown: &str, name: &str, limits: Limits, walked: &mut Walked) {
    match read_regular_file(path, limits.max_file_bytes) {
        Ok(Some(bytes)) => {
            walked.files_read += 1;
            let text = String::from_utf8_lossy(&bytes);
            walked.settings.extend(parse_file(shown, name, &text));
        }
        Ok(None) => {}
        Err(error) => walked.notes.push(format!("skipped {shown}: {error}")),
    }
}
