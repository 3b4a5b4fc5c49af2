//! Reading a file someone else may have planted: only a regular file, never blocking on open,
//! never more than a cap. A FIFO named `x.toml` would otherwise hang the reader and a symlink
//! to `/dev/zero` would read until memory runs out.
//!
//! Symlinks are followed, but only to a regular file: a committed `profiles/a.toml -> b.toml`
//! keeps working, a link to a device, FIFO, socket or directory is refused.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// At most this many bytes of a profile file are read; a profile is a few hundred bytes.
pub const MAX_PROFILE_BYTES: u64 = 1024 * 1024;
/// At most this many bytes of a `file:` secret source are read.
pub const MAX_SECRET_FILE_BYTES: u64 = 64 * 1024;

/// Reads `path` in full when it is a regular file of at most `cap` bytes.
///
/// `Ok(None)` when the file does not exist. Any other refusal is an `io::Error` whose message
/// says why in words (`not a regular file (a FIFO)`, `larger than 1 MiB`).
pub fn read_regular_file(path: &Path, cap: u64) -> io::Result<Option<Vec<u8>>> {
    // The type is checked before opening: opening a FIFO for reading blocks until a writer
    // appears, and some devices have side effects on open.
    match std::fs::metadata(path) {
        Ok(meta) => refuse_unless_regular(&meta)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    }
    let file = match open_nonblocking(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    // The path may have been swapped between the check and the open: check what was opened.
    refuse_unless_regular(&file.metadata()?)?;
    let mut bytes = Vec::new();
    // One byte more than the cap tells "exactly at the cap" from "over it".
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {} (the limit for this kind of file)", human_size(cap)),
        ));
    }
    Ok(Some(bytes))
}

fn refuse_unless_regular(meta: &std::fs::Metadata) -> io::Result<()> {
    if meta.is_file() {
        return Ok(());
    }
    Err(io::Error::new(io::ErrorKind::InvalidInput, format!("not a regular file ({})", describe_type(meta))))
}

/// Opens for reading with `O_NONBLOCK` on unix, so even a FIFO slipped in after the type check
/// cannot block the open (regular files ignore the flag for reads).
fn open_nonblocking(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

fn describe_type(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// `1 MiB`, `64 KiB`, or bytes.
pub fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file_up_to_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_regular_file(&path, 5).unwrap().unwrap(), b"12345");
        let err = read_regular_file(&path, 4).unwrap_err();
        assert!(err.to_string().contains("larger than 4 bytes"), "{err}");
    }

    #[test]
    fn a_missing_file_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_regular_file(&dir.path().join("absent"), 10).unwrap().is_none());
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_regular_file(dir.path(), 10).unwrap_err();
        assert!(err.to_string().contains("not a regular file (a directory)"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_a_regular_file_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("real"), b"x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("link")).unwrap();
        assert_eq!(read_regular_file(&dir.path().join("link"), 10).unwrap().unwrap(), b"x");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_dev_zero_is_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("evil.toml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let err = read_regular_file(&link, MAX_PROFILE_BYTES).unwrap_err();
        assert!(err.to_string().contains("a character device"), "{err}");
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_size(MAX_PROFILE_BYTES), "1 MiB");
        assert_eq!(human_size(MAX_SECRET_FILE_BYTES), "64 KiB");
        assert_eq!(human_size(10), "10 bytes");
    }
}
