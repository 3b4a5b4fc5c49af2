//! Finding the profile directory and loading every profile in it, broken ones included.

use std::path::{Path, PathBuf};

use crate::core::model::profile::Profile;
use crate::core::store::fsutil::FileStamp;

/// Where the profile directory came from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirOrigin {
    Flag,
    Env,
    ConfigDir,
}

impl DirOrigin {
    pub fn describe(self) -> &'static str {
        match self {
            DirOrigin::Flag => "--profiles",
            DirOrigin::Env => "$TOKDBG_PROFILES",
            DirOrigin::ConfigDir => "the user config directory",
        }
    }
}

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum StoreError {
    #[error("cannot find a config directory for this user (no HOME?): pass --profiles DIR or set TOKDBG_PROFILES")]
    NoConfigDir,
    #[error("cannot read profile directory {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{path} is not a directory (from {origin})")]
    NotADirectory { path: String, origin: &'static str },
}

/// Why one profile file could not be loaded.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ProfileError {
    #[error("{path}:{line}:{column}: {message}")]
    Parse { path: String, line: usize, column: usize, message: String },
    #[error("{path}: cannot read: {reason}")]
    Io { path: String, reason: String },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// One `*.toml` file of the directory and what became of it.
#[derive(Debug, Clone)]
pub struct ProfileEntry {
    /// File stem: the profile's short name on the command line.
    pub stem: String,
    pub path: PathBuf,
    pub loaded: Result<Profile, ProfileError>,
    /// The file as read, to notice later edits on disk (`None` if it could not be read).
    pub stamp: Option<FileStamp>,
}

impl ProfileEntry {
    pub fn display_name(&self) -> &str {
        match &self.loaded {
            Ok(profile) => profile.display_name(&self.stem),
            Err(_) => &self.stem,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ProfileStore {
    pub dir: PathBuf,
    pub origin: DirOrigin,
    /// False when the directory does not exist yet (an empty store, not an error).
    pub exists: bool,
    pub entries: Vec<ProfileEntry>,
}

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum LookupError {
    #[error("no profile named \"{name}\" in {dir} (known: {known})")]
    NotFound { name: String, dir: String, known: String },
    #[error("profile \"{name}\" is broken: {error}")]
    Broken { name: String, error: ProfileError },
    #[error("\"{name}\" matches several profiles ({matches}); use the file name")]
    Ambiguous { name: String, matches: String },
}

/// `--profiles DIR`, else `$TOKDBG_PROFILES`, else `~/.config/tokdbg/profiles` (per platform).
pub fn resolve_dir(flag: Option<&Path>) -> Result<(PathBuf, DirOrigin), StoreError> {
    if let Some(dir) = flag {
        return Ok((dir.to_path_buf(), DirOrigin::Flag));
    }
    if let Some(dir) = std::env::var_os("TOKDBG_PROFILES").filter(|v| !v.is_empty()) {
        return Ok((PathBuf::from(dir), DirOrigin::Env));
    }
    let dirs = directories::ProjectDirs::from("", "", "tokdbg").ok_or(StoreError::NoConfigDir)?;
    Ok((dirs.config_dir().join("profiles"), DirOrigin::ConfigDir))
}

/// Loads every `*.toml` in `dir`, sorted by file name; a broken file is an entry with its error.
pub fn load_dir(dir: &Path, origin: DirOrigin) -> Result<ProfileStore, StoreError> {
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(ProfileStore { dir: dir.to_path_buf(), origin, exists: false, entries: Vec::new() });
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory || dir.is_file() => {
            return Err(StoreError::NotADirectory { path: dir.display().to_string(), origin: origin.describe() });
        }
        Err(e) => return Err(StoreError::Unreadable { path: dir.display().to_string(), reason: e.to_string() }),
    };
    let mut paths: Vec<PathBuf> = read
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "toml") && !is_hidden(p))
        .collect();
    paths.sort();
    let entries = paths.into_iter().map(|path| load_file(&path)).collect();
    Ok(ProfileStore { dir: dir.to_path_buf(), origin, exists: true, entries })
}

/// The profile whose file stem is `name`, read alone: what [`ProfileStore::find`] gives
/// first (a stem beats a `name`), without parsing every other file of the directory. `None`
/// when `dir` has no such entry (then only the whole store can say whether a `name` matches).
pub fn find_by_stem(dir: &Path, name: &str) -> Option<Result<(String, Profile), LookupError>> {
    let plain = !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\', '\0']);
    let path = dir.join(format!("{name}.toml"));
    // Anything with the name is an entry of `load_dir` (a directory too: then a broken one).
    if !plain || std::fs::symlink_metadata(&path).is_err() || path.file_stem().and_then(|s| s.to_str()) != Some(name) {
        return None;
    }
    let entry = load_file(&path);
    Some(match entry.loaded {
        Ok(profile) => Ok((entry.stem, profile)),
        Err(error) => Err(LookupError::Broken { name: name.to_owned(), error }),
    })
}

fn is_hidden(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'))
}

/// Loads one profile file into an entry (never fails: the error is kept in the entry).
pub fn load_file(path: &Path) -> ProfileEntry {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    // Bytes and stamp are taken together, so a later save can tell whether the file changed since.
    let (loaded, stamp) = match FileStamp::read(path) {
        Ok(Some((bytes, stamp))) => {
            let loaded = match String::from_utf8(bytes) {
                Ok(text) => parse_profile(&text, &path.display().to_string()).map(|mut profile| {
                    // tls.ca_file is relative to the profile's own directory.
                    profile.tls.base_dir = path.parent().map(Path::to_path_buf);
                    profile
                }),
                Err(e) => Err(ProfileError::Invalid {
                    path: path.display().to_string(),
                    message: format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()),
                }),
            };
            (loaded, Some(stamp))
        }
        Ok(None) => (
            Err(ProfileError::Io { path: path.display().to_string(), reason: "the file disappeared".to_owned() }),
            None,
        ),
        Err(e) => (Err(ProfileError::Io { path: path.display().to_string(), reason: e.to_string() }), None),
    };
    ProfileEntry { stem, path: path.to_path_buf(), loaded, stamp }
}

/// Parses profile text; errors carry the 1-based line and column of the problem.
pub fn parse_profile(text: &str, path: &str) -> Result<Profile, ProfileError> {
    let profile: Profile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|span| line_col(text, span.start)).unwrap_or((1, 1));
        ProfileError::Parse { path: path.to_owned(), line, column, message: first_line(e.message()) }
    })?;
    validate(&profile).map_err(|message| ProfileError::Invalid { path: path.to_owned(), message })?;
    Ok(profile)
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_owned()
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, column)
}

/// Checks a profile's values beyond their types: URLs parse, names are unique, etc.
fn validate(profile: &Profile) -> Result<(), String> {
    let check_url = |field: &str, value: &Option<String>| -> Result<(), String> {
        match value {
            Some(v) => check_http_url(v).map(|_| ()).map_err(|e| format!("{field} = \"{v}\": {e}")),
            None => Ok(()),
        }
    };
    check_url("issuer.url", &profile.issuer.url)?;
    check_url("issuer.token_endpoint", &profile.issuer.token_endpoint)?;
    check_url("issuer.jwks_uri", &profile.issuer.jwks_uri)?;
    check_url("issuer.introspection_endpoint", &profile.issuer.introspection_endpoint)?;
    check_url("issuer.revocation_endpoint", &profile.issuer.revocation_endpoint)?;
    if let Some(missing) = profile.client.as_ref().and_then(|client| client.missing_credential()) {
        return Err(missing.to_string());
    }
    if let Some(problem) = profile.dpop.as_ref().and_then(|dpop| dpop.problem()) {
        return Err(problem);
    }
    if profile.expect.algorithms.is_empty() {
        return Err("expect.algorithms is empty: list the algorithms the API accepts, e.g. [\"RS256\"]".to_owned());
    }
    for alg in &profile.expect.algorithms {
        if !alg.eq_ignore_ascii_case("none") && alg.parse::<jsonwebtoken::Algorithm>().is_err() {
            return Err(format!(
                "expect.algorithms: unknown algorithm \"{alg}\" (known: HS256 HS384 HS512 RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 EdDSA)"
            ));
        }
    }
    if profile.expect.scope_claim.trim().is_empty() {
        return Err("expect.scope_claim is empty".to_owned());
    }
    let mut seen = std::collections::HashSet::new();
    for (i, endpoint) in profile.endpoints.iter().enumerate() {
        if endpoint.name.trim().is_empty() {
            return Err(format!("endpoints[{i}].name is empty"));
        }
        if !seen.insert(endpoint.name.as_str()) {
            return Err(format!("endpoints[{i}]: the name \"{}\" is used twice", endpoint.name));
        }
        check_http_url(&endpoint.url).map_err(|e| format!("endpoints[{i}].url = \"{}\": {e}", endpoint.url))?;
        if endpoint.method.parse::<reqwest::Method>().is_err() || endpoint.method.is_empty() {
            return Err(format!("endpoints[{i}].method = \"{}\" is not an HTTP method", endpoint.method));
        }
    }
    Ok(())
}

/// An absolute http(s) URL, or a message saying what is wrong with it.
pub fn check_http_url(value: &str) -> Result<url::Url, String> {
    // "localhost:4455/x" parses with the scheme "localhost", "127.0.0.1:4455/x" not at all: a
    // URL typed without its scheme, which is what the hint says.
    let no_scheme = !value.contains("://");
    let hint = || {
        if no_scheme { format!(": add http:// or https:// (did you mean http://{value}?)") } else { String::new() }
    };
    let parsed = url::Url::parse(value).map_err(|e| format!("not a URL ({e}){}", hint()))?;
    match parsed.scheme() {
        "http" | "https" => {}
        other => return Err(format!("scheme \"{other}\" is not http or https{}", hint())),
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("the URL has no host".to_owned());
    }
    Ok(parsed)
}

impl ProfileStore {
    /// Finds a profile by file stem, else by its `name` (case-insensitive).
    pub fn find(&self, name: &str) -> Result<(&ProfileEntry, &Profile), LookupError> {
        let by_stem = self.entries.iter().find(|e| e.stem == name);
        let entry = match by_stem {
            Some(entry) => entry,
            None => {
                let matches: Vec<&ProfileEntry> = self
                    .entries
                    .iter()
                    .filter(|e| matches!(&e.loaded, Ok(p) if p.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name))))
                    .collect();
                match matches.as_slice() {
                    [one] => *one,
                    [] => {
                        let known: Vec<&str> = self.entries.iter().map(|e| e.stem.as_str()).collect();
                        return Err(LookupError::NotFound {
                            name: name.to_owned(),
                            dir: self.dir.display().to_string(),
                            known: if known.is_empty() { "none".to_owned() } else { known.join(", ") },
                        });
                    }
                    many => {
                        return Err(LookupError::Ambiguous {
                            name: name.to_owned(),
                            matches: many.iter().map(|e| e.stem.as_str()).collect::<Vec<_>>().join(", "),
                        });
                    }
                }
            }
        };
        match &entry.loaded {
            Ok(profile) => Ok((entry, profile)),
            Err(error) => Err(LookupError::Broken { name: name.to_owned(), error: error.clone() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_names_line_and_column() {
        let text = "name = \"x\"\n[issuer]\nurl = 42\n";
        match parse_profile(text, "p.toml") {
            Err(ProfileError::Parse { line, column, message, .. }) => {
                assert_eq!(line, 3);
                assert_eq!(column, 7);
                assert!(message.contains("string"), "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unknown_key_is_an_error_not_ignored() {
        let err = parse_profile("[expect]\nscope_clam = \"scp\"\n", "p.toml").unwrap_err();
        assert!(err.to_string().contains("scope_clam"), "{err}");
    }

    #[test]
    fn bad_values_are_reported() {
        let err = parse_profile("[issuer]\nurl = \"ftp://x\"\n", "p.toml").unwrap_err();
        assert!(err.to_string().contains("issuer.url"), "{err}");
        let err = parse_profile("[expect]\nalgorithms = [\"RS257\"]\n", "p.toml").unwrap_err();
        assert!(err.to_string().contains("RS257"), "{err}");
    }

    #[test]
    fn broken_file_does_not_hide_the_others() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("good.toml"), "name = \"Good one\"\n").unwrap();
        std::fs::write(dir.path().join("bad.toml"), "name = \n").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
        let store = load_dir(dir.path(), DirOrigin::Flag).unwrap();
        assert_eq!(store.entries.len(), 2);
        assert!(store.find("good").is_ok());
        assert!(store.find("good one").is_ok());
        assert!(matches!(store.find("bad"), Err(LookupError::Broken { .. })));
        assert!(matches!(store.find("nope"), Err(LookupError::NotFound { .. })));
    }

    #[test]
    fn a_stem_is_found_alone_as_the_store_finds_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("good.toml"), "name = \"bad\"\n").unwrap();
        std::fs::write(dir.path().join("bad.toml"), "name = \n").unwrap();
        let (stem, profile) = find_by_stem(dir.path(), "good").unwrap().unwrap();
        assert_eq!((stem.as_str(), profile.name.as_deref()), ("good", Some("bad")));
        // The stem beats good.toml's `name = "bad"`, and a broken file is that file's error.
        assert!(matches!(find_by_stem(dir.path(), "bad"), Some(Err(LookupError::Broken { .. }))));
        let store = load_dir(dir.path(), DirOrigin::Flag).unwrap();
        assert!(matches!(store.find("bad"), Err(LookupError::Broken { .. })));
        // No such file, a name match only, or a name that is not a plain stem: the store decides.
        for name in ["nope", "", ".hidden", "../good", "sub/good"] {
            assert!(find_by_stem(dir.path(), name).is_none(), "{name}");
        }
    }

    #[test]
    fn missing_dir_is_an_empty_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = load_dir(&dir.path().join("absent"), DirOrigin::Flag).unwrap();
        assert!(!store.exists);
        assert!(store.entries.is_empty());
    }
}
