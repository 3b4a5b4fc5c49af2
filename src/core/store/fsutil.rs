//! Safe file writes: private (0600), atomic replacement, and stamps that detect edits on disk.

use std::fs::{self, File, OpenOptions};
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use crate::core::model::bounded_read::{MAX_PROFILE_BYTES, read_regular_file};

/// The step of an atomic write that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteStep {
    /// The target is a symbolic link, which is never written through.
    Symlink,
    /// Creating the missing parent directory.
    CreateDir,
    /// The directory is one another user controls (owned by them, or world-writable without
    /// the sticky bit): they could swap the file under us.
    UnsafeDir,
    /// Creating the temporary file next to the target.
    CreateTemp,
    /// Writing and flushing the bytes to the temporary file.
    Write,
    /// Moving the temporary file over the target.
    Rename,
}

impl WriteStep {
    fn describe(self) -> &'static str {
        match self {
            WriteStep::Symlink => "it is a symbolic link, and tokdbg does not write through links",
            WriteStep::CreateDir => "cannot create the directory",
            WriteStep::UnsafeDir => "refusing to write into its directory",
            WriteStep::CreateTemp => "cannot create a temporary file in its directory",
            WriteStep::Write => "cannot write the temporary file",
            WriteStep::Rename => "cannot replace the file",
        }
    }
}

/// Why a file could not be written; the original file (if any) is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot write {}: {}: {reason}{}", .path.display(), .step.describe(), hint(*.step, .kind))]
pub struct WriteError {
    /// The file that was to be written.
    pub path: PathBuf,
    pub step: WriteStep,
    pub kind: io::ErrorKind,
    /// The operating system's message.
    pub reason: String,
}

fn hint(step: WriteStep, kind: &io::ErrorKind) -> &'static str {
    match step {
        WriteStep::Symlink => return " (edit the file it points at, or replace the link with a copy)",
        WriteStep::UnsafeDir => return "",
        _ => {}
    }
    match *kind {
        io::ErrorKind::PermissionDenied => " (is the directory read-only or owned by someone else?)",
        io::ErrorKind::ReadOnlyFilesystem => " (the file system is mounted read-only)",
        io::ErrorKind::StorageFull => " (the disk is full)",
        io::ErrorKind::NotADirectory => " (a part of the path is a file, not a directory)",
        _ => "",
    }
}

impl From<WriteError> for io::Error {
    fn from(error: WriteError) -> Self {
        io::Error::new(error.kind, error.to_string())
    }
}

/// Writes `contents` to `path` atomically: temp file in the same dir (created 0600 on unix),
/// fsync, rename over; the old file is intact if anything fails before the rename.
///
/// Creates the parent dir (0700) if missing. Never writes through a symlink: a link at `path` is
/// refused (its target stays as it is), the temp file is created exclusively without following
/// links, and the rename replaces whatever entry has the name by then, never a link's target.
/// Refuses a directory another user controls (see [`check_dir_trusted`]).
pub fn write_private_atomic(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    write_atomic_with_hook(path, contents, &|_| Ok(()))
}

/// [`write_private_atomic`] for a file that must not exist yet: the finished temp file is
/// hard-linked to `path`, which fails if anything (a symlink included) has the name by then,
/// so an existing file is never replaced, and a reader never sees half a file.
pub fn write_private_new(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    write_private(path, contents, &|_| Ok(()), Finish::Link)
}

/// How the finished temp file takes the target's name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Finish {
    /// Replace whatever has the name.
    Rename,
    /// Only if nothing has the name (a hard link, then the temp name is dropped).
    Link,
}

/// [`write_private_atomic`] with `before_rename` called on the finished temp file, so tests can
/// inject a failure at the last moment.
fn write_atomic_with_hook(
    path: &Path,
    contents: &[u8],
    before_rename: &dyn Fn(&Path) -> io::Result<()>,
) -> Result<(), WriteError> {
    write_private(path, contents, before_rename, Finish::Rename)
}

fn write_private(
    path: &Path,
    contents: &[u8],
    before_rename: &dyn Fn(&Path) -> io::Result<()>,
    finish: Finish,
) -> Result<(), WriteError> {
    let fail = |step: WriteStep| {
        move |e: io::Error| WriteError { path: path.to_path_buf(), step, kind: e.kind(), reason: e.to_string() }
    };
    if fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink()) {
        let pointee = fs::read_link(path).map(|p| format!("it points at {}", p.display()));
        let reason = pointee.unwrap_or_else(|e| e.to_string());
        return Err(fail(WriteStep::Symlink)(io::Error::new(io::ErrorKind::AlreadyExists, reason)));
    }
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        create_private_dir(&dir).map_err(fail(WriteStep::CreateDir))?;
    }
    check_dir_trusted(&dir).map_err(fail(WriteStep::UnsafeDir))?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let (temp_path, file) = create_temp(&dir, &file_name, &COUNTER).map_err(fail(WriteStep::CreateTemp))?;
    let result = fill(file, contents)
        .map_err(fail(WriteStep::Write))
        .and_then(|()| before_rename(&temp_path).map_err(fail(WriteStep::Write)))
        .and_then(|()| match finish {
            Finish::Rename => fs::rename(&temp_path, path).map_err(fail(WriteStep::Rename)),
            Finish::Link => fs::hard_link(&temp_path, path).map_err(fail(WriteStep::Rename)),
        });
    if result.is_err() || finish == Finish::Link {
        let _ = fs::remove_file(&temp_path);
    }
    result?;
    sync_dir(&dir);
    Ok(())
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// A new hidden `.NAME.PID.N.tmp` file beside the target (N from `counter`), readable by its
/// owner only; a name that is taken (by anything, a symlink included) is skipped, never opened.
fn create_temp(dir: &Path, file_name: &str, counter: &AtomicU64) -> io::Result<(PathBuf, File)> {
    let mut last_error = None;
    for _ in 0..16 {
        let n = counter.fetch_add(1, Ordering::Relaxed);
        let temp_path = dir.join(format!(".{file_name}.{}.{n}.tmp", std::process::id()));
        match create_exclusive(&temp_path) {
            Ok(file) => return Ok((temp_path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_error.unwrap_or_else(|| io::Error::other("no free temporary file name")))
}

/// Creates a new file 0600 (on unix) for writing: fails if anything, a dangling symlink
/// included, already has the name (O_EXCL); O_NOFOLLOW is a second guard against a link.
pub fn create_exclusive(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

/// Refuses a directory another user controls: owned by someone other than us or root, or
/// writable by everyone without the sticky bit (anyone could then replace our files in it).
/// Group-writable directories are allowed: shared profile repositories use them on purpose.
pub fn check_dir_trusted(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = fs::metadata(dir)?;
        if let Err(why) = dir_trust(meta.uid(), meta.mode(), current_uid()) {
            return Err(io::Error::new(io::ErrorKind::PermissionDenied, format!("{}: {why}", dir.display())));
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The effective user id of this process.
#[cfg(unix)]
pub fn current_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// The rule of [`check_dir_trusted`] over a directory's owner and mode bits.
#[cfg(unix)]
fn dir_trust(owner: u32, mode: u32, me: u32) -> Result<(), String> {
    const WORLD_WRITABLE: u32 = 0o002;
    const STICKY: u32 = 0o1000;
    if owner != me && owner != 0 {
        return Err(format!("it belongs to another user (uid {owner})"));
    }
    if mode & WORLD_WRITABLE != 0 && mode & STICKY == 0 {
        return Err("anyone may write to it (world-writable without the sticky bit)".to_owned());
    }
    Ok(())
}

fn fill(mut file: File, contents: &[u8]) -> io::Result<()> {
    file.write_all(contents)?;
    file.sync_all()
}

/// Makes the rename durable; best effort (some systems cannot open directories).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// A fingerprint of a file as loaded (length, mtime and a hash of the bytes) to detect that it
/// changed on disk since. Only meaningful within one run of the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    modified: Option<SystemTime>,
    hash: u64,
}

impl FileStamp {
    /// The stamp of the file at `path` now; `None` when the file does not exist.
    pub fn of(path: &Path) -> io::Result<Option<FileStamp>> {
        Ok(FileStamp::read(path)?.map(|(_, stamp)| stamp))
    }

    /// The file's bytes and their stamp, taken together; `None` when the file does not exist.
    /// Only a regular file (a symlink to one is followed) of at most [`MAX_PROFILE_BYTES`].
    pub fn read(path: &Path) -> io::Result<Option<(Vec<u8>, FileStamp)>> {
        let mut attempts = 0;
        loop {
            let before = match fs::metadata(path) {
                Ok(meta) => meta,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(e),
            };
            // A profile may be a FIFO or a link to /dev/zero planted by someone else: only a
            // regular file, opened without blocking, and at most the cap.
            let bytes = match read_regular_file(path, MAX_PROFILE_BYTES)? {
                Some(bytes) => bytes,
                None => return Ok(None),
            };
            let after = match fs::metadata(path) {
                Ok(meta) => meta,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(e),
            };
            let modified = after.modified().ok();
            attempts += 1;
            // A writer between the two looks: read again so the bytes match the metadata.
            if (before.len() != after.len() || before.modified().ok() != modified) && attempts < 3 {
                continue;
            }
            let stamp = FileStamp { len: bytes.len() as u64, modified, hash: hash_bytes(&bytes) };
            return Ok(Some((bytes, stamp)));
        }
    }
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_file_is_written_whole_and_private_and_never_over_another() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("draft.toml");
        write_private_new(&path, b"name = \"x\"\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"name = \"x\"\n");
        #[cfg(unix)]
        assert_eq!(mode(&path), 0o600);
        let error = write_private_new(&path, b"other").unwrap_err();
        assert_eq!(error.kind, io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), b"name = \"x\"\n");
        // No temp file is left behind either way.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            let link = dir.path().join("link.toml");
            std::os::unix::fs::symlink(dir.path().join("elsewhere"), &link).unwrap();
            assert!(write_private_new(&link, b"x").is_err());
            assert!(!dir.path().join("elsewhere").exists());
        }
    }

    #[test]
    fn writes_new_file_and_missing_parent_privately() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/deeper/p.toml");
        write_private_atomic(&path, b"name = \"x\"\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"name = \"x\"\n");
        #[cfg(unix)]
        {
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(&dir.path().join("sub")), 0o700);
        }
    }

    #[test]
    fn replaces_existing_file_and_makes_it_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        }
        write_private_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        #[cfg(unix)]
        assert_eq!(mode(&path), 0o600);
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers.len(), 1, "temp files left behind: {leftovers:?}");
    }

    #[test]
    fn failure_before_rename_leaves_old_file_intact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        fs::write(&path, b"original \x00 bytes").unwrap();
        let err = write_atomic_with_hook(&path, b"replacement", &|temp| {
            assert!(temp.exists());
            Err(io::Error::other("injected failure"))
        })
        .unwrap_err();
        assert_eq!(fs::read(&path).unwrap(), b"original \x00 bytes");
        assert!(err.to_string().contains("injected failure"), "{err}");
        assert!(err.to_string().contains("p.toml"), "{err}");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "temp file not cleaned up: {names:?}");
    }

    #[test]
    fn parent_that_is_a_file_gives_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("file"), "x").unwrap();
        let err = write_private_atomic(&dir.path().join("file/p.toml"), b"x").unwrap_err();
        assert_eq!(err.step, WriteStep::CreateDir);
        let message = err.to_string();
        assert!(message.contains("file/p.toml") && message.contains("cannot create the directory"), "{message}");
    }

    #[cfg(unix)]
    #[test]
    fn read_only_directory_gives_a_clear_error() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let ro = dir.path().join("ro");
        fs::create_dir(&ro).unwrap();
        let path = ro.join("p.toml");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o500)).unwrap();
        // Root ignores directory permissions: nothing to check then.
        let privileged = File::create(ro.join("probe")).is_ok();
        let result = write_private_atomic(&path, b"new");
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o700)).unwrap();
        if privileged {
            return;
        }
        let err = result.unwrap_err();
        assert_eq!(err.step, WriteStep::CreateTemp);
        assert_eq!(err.kind, io::ErrorKind::PermissionDenied);
        assert!(err.to_string().contains("read-only"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
    }

    #[cfg(unix)]
    #[test]
    fn symlink_at_the_target_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        let link = dir.path().join("link.toml");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let err = write_private_atomic(&link, b"new").unwrap_err();
        assert_eq!(err.step, WriteStep::Symlink);
        let message = err.to_string();
        assert!(message.contains("symbolic link") && message.contains("real.toml"), "{message}");
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "no temp file left behind");
    }

    #[cfg(unix)]
    #[test]
    fn symlink_planted_just_before_the_rename_is_replaced_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let path = dir.path().join("p.toml");
        write_atomic_with_hook(&path, b"new", &|_| std::os::unix::fs::symlink(&victim, &path)).unwrap();
        assert!(fs::symlink_metadata(&path).unwrap().file_type().is_file(), "the link was replaced");
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    }

    #[cfg(unix)]
    #[test]
    fn dangling_symlink_at_the_target_is_refused_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(elsewhere.join("planted"), &link).unwrap();
        assert_eq!(write_private_atomic(&link, b"new").unwrap_err().step, WriteStep::Symlink);
        assert!(!elsewhere.join("planted").exists());
    }

    #[cfg(unix)]
    #[test]
    fn temp_names_taken_by_symlinks_are_skipped_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let pid = std::process::id();
        for n in 0..2 {
            std::os::unix::fs::symlink(&victim, dir.path().join(format!(".p.toml.{pid}.{n}.tmp"))).unwrap();
        }
        let counter = AtomicU64::new(0);
        let (temp, mut file) = create_temp(dir.path(), "p.toml", &counter).unwrap();
        assert_eq!(temp, dir.path().join(format!(".p.toml.{pid}.2.tmp")));
        file.write_all(b"new").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(mode(&temp), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn exclusive_create_refuses_a_symlink_to_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let link = dir.path().join("new.toml");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        assert_eq!(create_exclusive(&link).unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    }

    #[cfg(unix)]
    #[test]
    fn world_writable_directory_without_sticky_bit_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let open = dir.path().join("open");
        fs::create_dir(&open).unwrap();
        fs::set_permissions(&open, fs::Permissions::from_mode(0o777)).unwrap();
        let err = write_private_atomic(&open.join("p.toml"), b"x").unwrap_err();
        assert_eq!(err.step, WriteStep::UnsafeDir);
        assert!(err.to_string().contains("world-writable"), "{err}");
        assert_eq!(fs::read_dir(&open).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn world_writable_directory_with_sticky_bit_is_accepted() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared");
        fs::create_dir(&shared).unwrap();
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o1777)).unwrap();
        write_private_atomic(&shared.join("p.toml"), b"x").unwrap();
        assert_eq!(mode(&shared.join("p.toml")), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn dir_trust_own_private_directory() {
        assert_eq!(dir_trust(1000, 0o40700, 1000), Ok(()));
    }

    #[cfg(unix)]
    #[test]
    fn dir_trust_root_owned_sticky_tmp() {
        assert_eq!(dir_trust(0, 0o41777, 1000), Ok(()));
    }

    #[cfg(unix)]
    #[test]
    fn dir_trust_group_writable_shared_directory() {
        assert_eq!(dir_trust(1000, 0o42770, 1000), Ok(()));
    }

    #[cfg(unix)]
    #[test]
    fn dir_trust_refuses_another_users_directory() {
        let why = dir_trust(1001, 0o40700, 1000).unwrap_err();
        assert!(why.contains("another user (uid 1001)"), "{why}");
    }

    #[cfg(unix)]
    #[test]
    fn dir_trust_refuses_another_users_directory_even_for_root() {
        assert!(dir_trust(1001, 0o40755, 0).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn dir_trust_refuses_world_writable_without_sticky() {
        assert!(dir_trust(1000, 0o40777, 1000).unwrap_err().contains("world-writable"));
    }

    #[test]
    fn stamp_detects_changes_and_absence() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        assert_eq!(FileStamp::of(&path).unwrap(), None);
        fs::write(&path, "one").unwrap();
        let first = FileStamp::of(&path).unwrap().unwrap();
        assert_eq!(FileStamp::of(&path).unwrap().as_ref(), Some(&first));
        // Same length, and possibly the same mtime: the hash still tells.
        fs::write(&path, "two").unwrap();
        assert_ne!(FileStamp::of(&path).unwrap().as_ref(), Some(&first));
        let (bytes, stamp) = FileStamp::read(&path).unwrap().unwrap();
        assert_eq!(bytes, b"two");
        assert_eq!(FileStamp::of(&path).unwrap(), Some(stamp));
    }
}
