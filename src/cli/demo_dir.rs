//! The demo's profile directory: fresh and private (random name, 0700) in the temp dir, and the
//! sweep that removes the ones killed runs left behind, touching nothing it did not create.

use std::io;
use std::path::{Path, PathBuf};

/// Every demo directory is `tokdbg-demo-<pid>-<random>` (older versions: `tokdbg-demo-<pid>`).
const PREFIX: &str = "tokdbg-demo-";

/// Letters and digits after the pid: guessing the name is hopeless, and would not help anyway
/// (the directory is created with O_EXCL semantics, so a planted one is never reused).
const RANDOM_CHARS: usize = 12;

/// The demo's private profile directory, removed with its contents when dropped
/// (`remove_dir_all`, which does not follow symlinks; see [`remove_stale_in`]).
pub(crate) struct DemoDir(tempfile::TempDir);

impl DemoDir {
    /// Creates a new directory in `base` that did not exist before (mkdir fails on any existing
    /// name, a symlink included), readable by this user only. Refuses a `base` another user
    /// controls, where the directory could be renamed away and replaced under us.
    pub(crate) fn create_in(base: &Path) -> io::Result<DemoDir> {
        crate::core::store::fsutil::check_dir_trusted(base)?;
        let prefix = format!("{PREFIX}{}-", std::process::id());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).rand_bytes(RANDOM_CHARS);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            builder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        let dir = builder.tempdir_in(base)?;
        // The mode above passes through the umask; make it exactly 0700 whatever the umask is.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(DemoDir(dir))
    }

    pub(crate) fn path(&self) -> &Path {
        self.0.path()
    }
}

/// The pid in a demo directory's name, if the name is one this program gives.
fn pid_in_name(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(PREFIX)?;
    let (pid, random) = match rest.split_once('-') {
        Some((pid, random)) => (pid, Some(random)),
        None => (rest, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(pid) || random.is_some_and(|r| r.is_empty() || !r.bytes().all(|b| b.is_ascii_alphanumeric())) {
        return None;
    }
    pid.parse().ok().filter(|&pid| pid > 0)
}

/// Removes from `base` the demo directories of runs that were killed, and returns them. Only
/// entries that are real directories (not symlinks), owned by this user, named like ours, and
/// whose process no longer exists. A process that is alive keeps its directory however old it
/// is: the pid check is exact where it applies, and a long demo session must keep its profiles.
///
/// `remove_dir_all` is symlink-safe (Rust 1.58.1+, CVE-2022-21658): it unlinks links inside
/// instead of descending, and a link swapped in for the directory itself is removed, not
/// followed. Outside unix (no owner to check) nothing is swept.
pub(crate) fn remove_stale_in(base: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let Ok(entries) = std::fs::read_dir(base) else { return removed };
        let me = crate::core::store::fsutil::current_uid();
        for entry in entries.flatten() {
            let Some(pid) = entry.file_name().to_str().and_then(pid_in_name) else { continue };
            // symlink_metadata: the entry itself, never what a link points at.
            let Ok(meta) = std::fs::symlink_metadata(entry.path()) else { continue };
            if !meta.file_type().is_dir() || meta.uid() != me || !process_gone(pid) {
                continue;
            }
            if std::fs::remove_dir_all(entry.path()).is_ok() {
                removed.push(entry.path());
            }
        }
    }
    #[cfg(not(unix))]
    let _ = base;
    removed
}

/// Whether no process has this pid (signal 0 checks without sending anything). A pid beyond
/// `i32` is not one we wrote, and 0 or negative values would address process groups.
#[cfg(unix)]
fn process_gone(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    if pid <= 0 {
        return false;
    }
    // SAFETY: kill with signal 0 only checks that the pid exists and may be signalled.
    let result = unsafe { libc::kill(pid, 0) };
    result == -1 && io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};

    fn mode(path: &Path) -> u32 {
        fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
    }

    /// A pid that belonged to a process that has exited (and was reaped).
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert!(process_gone(pid), "pid {pid} was reused at once; run again");
        pid
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn created_directory_is_private_fresh_and_unpredictable() {
        let base = tempfile::tempdir().unwrap();
        let first = DemoDir::create_in(base.path()).unwrap();
        let second = DemoDir::create_in(base.path()).unwrap();
        assert_ne!(first.path(), second.path());
        for dir in [&first, &second] {
            let name = dir.path().file_name().unwrap().to_str().unwrap();
            let random = name.strip_prefix(&format!("{PREFIX}{}-", std::process::id())).unwrap();
            assert_eq!(random.len(), RANDOM_CHARS, "{name}");
            assert_eq!(mode(dir.path()), 0o700);
            assert_eq!(fs::metadata(dir.path()).unwrap().uid(), crate::core::store::fsutil::current_uid());
        }
        let path = first.path().to_path_buf();
        drop(first);
        assert!(!path.exists(), "removed when dropped");
    }

    #[test]
    fn demo_profiles_in_it_are_0600() {
        let base = tempfile::tempdir().unwrap();
        let dir = DemoDir::create_in(base.path()).unwrap();
        crate::demo::write_demo_profiles(dir.path(), "http://127.0.0.1:9").unwrap();
        let files = names(dir.path());
        // The profiles and the demo TLS files (CA, client certificates and keys) they read.
        assert_eq!(
            files.len(),
            crate::demo::demo_profiles("http://127.0.0.1:9").len() + crate::demo::DEMO_TLS_FILES.len()
        );
        for file in files {
            assert_eq!(mode(&dir.path().join(&file)), 0o600, "{file}");
        }
    }

    #[test]
    fn demo_profiles_are_not_written_through_a_planted_symlink() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("demo");
        fs::create_dir(&dir).unwrap();
        let victim = base.path().join("bashrc");
        fs::write(&victim, "precious").unwrap();
        std::os::unix::fs::symlink(&victim, dir.join("demo-reader.toml")).unwrap();
        let err = crate::demo::write_demo_profiles(&dir, "http://127.0.0.1:9").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    }

    #[test]
    fn refuses_a_base_directory_anyone_may_write_to() {
        let base = tempfile::tempdir().unwrap();
        fs::set_permissions(base.path(), fs::Permissions::from_mode(0o777)).unwrap();
        let err = DemoDir::create_in(base.path()).err().unwrap();
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
        assert!(names(base.path()).is_empty());
    }

    #[test]
    fn accepts_a_sticky_shared_base_like_tmp() {
        let base = tempfile::tempdir().unwrap();
        fs::set_permissions(base.path(), fs::Permissions::from_mode(0o1777)).unwrap();
        assert!(DemoDir::create_in(base.path()).is_ok());
    }

    #[test]
    fn sweep_removes_directories_of_dead_runs_old_and_new_names() {
        let base = tempfile::tempdir().unwrap();
        let pid = dead_pid();
        for name in [format!("{PREFIX}{pid}"), format!("{PREFIX}{pid}-Ab3xYz")] {
            let dir = base.path().join(name);
            fs::create_dir(&dir).unwrap();
            fs::write(dir.join("demo-reader.toml"), "x").unwrap();
        }
        assert_eq!(remove_stale_in(base.path()).len(), 2);
        assert!(names(base.path()).is_empty());
    }

    #[test]
    fn sweep_keeps_the_directory_of_a_live_run() {
        let base = tempfile::tempdir().unwrap();
        let live = DemoDir::create_in(base.path()).unwrap();
        assert!(remove_stale_in(base.path()).is_empty());
        assert!(live.path().is_dir());
    }

    #[test]
    fn sweep_never_follows_a_symlink_named_like_a_demo_dir() {
        let base = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        fs::write(elsewhere.path().join("keep.txt"), "precious").unwrap();
        let link = base.path().join(format!("{PREFIX}{}", dead_pid()));
        std::os::unix::fs::symlink(elsewhere.path(), &link).unwrap();
        assert!(remove_stale_in(base.path()).is_empty());
        assert_eq!(fs::read_to_string(elsewhere.path().join("keep.txt")).unwrap(), "precious");
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is left alone");
    }

    #[test]
    fn sweep_does_not_follow_symlinks_inside_a_stale_directory() {
        let base = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        fs::write(elsewhere.path().join("keep.txt"), "precious").unwrap();
        let stale = base.path().join(format!("{PREFIX}{}", dead_pid()));
        fs::create_dir(&stale).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), stale.join("inner")).unwrap();
        assert_eq!(remove_stale_in(base.path()), [stale]);
        assert_eq!(fs::read_to_string(elsewhere.path().join("keep.txt")).unwrap(), "precious");
    }

    #[test]
    fn sweep_ignores_names_that_are_not_its_own() {
        let base = tempfile::tempdir().unwrap();
        let pid = dead_pid();
        let others = [
            format!("{PREFIX}x{pid}"),
            format!("{PREFIX}{pid}-"),
            format!("{PREFIX}{pid}-a.b"),
            format!("x{PREFIX}{pid}"),
        ];
        for name in &others {
            fs::create_dir(base.path().join(name)).unwrap();
        }
        fs::create_dir(base.path().join(format!("{PREFIX}0"))).unwrap();
        fs::write(base.path().join(format!("{PREFIX}{pid}-file")), "a regular file").unwrap();
        assert!(remove_stale_in(base.path()).is_empty());
        assert_eq!(names(base.path()).len(), others.len() + 2);
    }

    #[test]
    fn sweep_ignores_a_directory_owned_by_another_user() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join(format!("{PREFIX}{}", dead_pid()));
        fs::create_dir(&dir).unwrap();
        if std::os::unix::fs::chown(&dir, Some(crate::core::store::fsutil::current_uid() + 4242), None).is_err() {
            eprintln!("note: not root, cannot give a directory to another user; skipping");
            return;
        }
        assert!(remove_stale_in(base.path()).is_empty());
        assert!(dir.is_dir());
    }

    #[test]
    fn names_with_pids() {
        assert_eq!(pid_in_name("tokdbg-demo-123"), Some(123));
        assert_eq!(pid_in_name("tokdbg-demo-123-aZ9"), Some(123));
        assert_eq!(pid_in_name("tokdbg-demo-0"), None);
        assert_eq!(pid_in_name("tokdbg-demo-99999999999"), None);
        assert_eq!(pid_in_name("tokdbg-demo--1"), None);
    }
}
