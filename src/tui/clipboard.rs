//! Copying out of a terminal: the OSC 52 escape sequence, and a private file as the fallback.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use base64::Engine as _;

use crate::core::store::fsutil::write_private_atomic;

/// Terminals commonly refuse OSC 52 sequences much over 100 KB (xterm, tmux and others cap it).
pub const OSC52_MAX_BYTES: usize = 100_000;

/// Whether we run inside tmux, which needs its passthrough wrapping for OSC 52.
pub fn in_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// The OSC 52 sequence that asks the terminal to set the clipboard: `ESC ] 52 ; c ; base64 BEL`.
///
/// Inside tmux it is sent twice: plain, which tmux takes into its buffer (and on to the outer
/// terminal) with `set-clipboard on`, and wrapped in the passthrough `ESC P tmux; ... ESC \`
/// with every ESC doubled, which reaches the outer terminal with `allow-passthrough on`. tmux
/// 3.3+ drops the wrapped form by default, so it is never the only one.
pub fn osc52_sequence(text: &str, in_tmux: bool) -> String {
    let payload = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let sequence = format!("\x1b]52;c;{payload}\x07");
    if in_tmux { format!("{sequence}\x1bPtmux;{}\x1b\\", sequence.replace('\x1b', "\x1b\x1b")) } else { sequence }
}

/// How long `tmux load-buffer` may take before it is given up on (the loop waits for it).
const TMUX_TIMEOUT: Duration = Duration::from_secs(2);

/// Puts `text` into tmux's paste buffer with `tmux load-buffer -w -` (`-w` also sets the outer
/// terminal's clipboard where tmux may, 3.2+), whatever tmux's clipboard options; falls back to
/// plain `load-buffer` for an older tmux. The text goes through stdin, never the command line.
pub fn tmux_load_buffer(text: &str) -> Result<(), String> {
    let attempt = |args: &[&str]| -> Result<(), String> {
        use std::io::Write as _;
        use std::process::{Command, Stdio};
        let mut child = Command::new("tmux")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run tmux: {e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(text.as_bytes()).map_err(|e| format!("cannot write to tmux: {e}"))?;
        }
        let started = std::time::Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(status)) if status.success() => return Ok(()),
                Ok(Some(status)) => return Err(format!("tmux load-buffer failed ({status})")),
                Ok(None) if started.elapsed() > TMUX_TIMEOUT => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err("tmux did not answer".to_owned());
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                Err(error) => return Err(format!("tmux: {error}")),
            }
        }
    };
    attempt(&["load-buffer", "-w", "-"]).or_else(|_| attempt(&["load-buffer", "-"]))
}

/// Whether `text` is small enough to send through OSC 52 (see [`OSC52_MAX_BYTES`]).
pub fn fits_osc52(text: &str, in_tmux: bool) -> bool {
    osc52_sequence(text, in_tmux).len() <= OSC52_MAX_BYTES
}

/// Writes `text` to a 0600 file under the user's cache dir
/// (e.g. `~/.cache/tokdbg/clipboard/<name>-<unix time>.txt`) and returns its path: the fallback
/// when the terminal may refuse OSC 52 or the user asked for a file.
pub fn write_fallback(name: &str, text: &str) -> std::io::Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "tokdbg").ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::NotFound, "no cache directory for this user (is HOME set?)")
    })?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    write_fallback_in(&dirs.cache_dir().join("clipboard"), name, text, now)
}

/// A fallback file older than this is removed when the next one is written: it holds a
/// token or a command with one, and nobody needs yesterday's copy.
pub const FALLBACK_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// [`write_fallback`] into `dir` at time `now`: `<name>-<now>.txt`, or `-2`, `-3`, ... if taken.
/// Then removes the directory's fallback files older than [`FALLBACK_MAX_AGE`].
pub fn write_fallback_in(dir: &Path, name: &str, text: &str, now: u64) -> std::io::Result<PathBuf> {
    let base = format!("{}-{now}", file_safe(name));
    let mut path = dir.join(format!("{base}.txt"));
    let mut n = 2;
    while std::fs::symlink_metadata(&path).is_ok() {
        path = dir.join(format!("{base}-{n}.txt"));
        n += 1;
    }
    write_private_atomic(&path, text.as_bytes())?;
    // Best effort: a file that cannot be removed stays, and the copy still succeeded.
    remove_stale_fallbacks(dir, &path, SystemTime::now());
    Ok(path)
}

/// Removes the stale fallback files of `dir`; `fresh` is the file just written, whose owner is
/// the current user. Returns how many were removed.
///
/// Only regular files named as [`write_fallback_in`] names them, owned by that user and older
/// than [`FALLBACK_MAX_AGE`]; nothing when `dir` is a symlink or someone else's. Entries are
/// examined with `lstat`, so a symlink is never followed (and never removed).
fn remove_stale_fallbacks(dir: &Path, fresh: &Path, now: SystemTime) -> usize {
    let Ok(me) = std::fs::symlink_metadata(fresh) else { return 0 };
    let Ok(dir_meta) = std::fs::symlink_metadata(dir) else { return 0 };
    if !dir_meta.is_dir() || !same_owner(&dir_meta, &me) {
        return 0;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_str().is_some_and(is_fallback_name) {
            continue;
        }
        // DirEntry::metadata does not follow symlinks.
        let Ok(meta) = entry.metadata() else { continue };
        let old = meta
            .modified()
            .ok()
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age > FALLBACK_MAX_AGE);
        if meta.file_type().is_file() && same_owner(&meta, &me) && old && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(unix)]
fn same_owner(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.uid() == b.uid()
}

#[cfg(not(unix))]
fn same_owner(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    true
}

/// Whether `name` is one [`write_fallback_in`] gives: `<[A-Za-z0-9_-]+>-<digits>.txt`
/// (the digits being the time, or the `-2`, `-3` suffix after it).
pub fn is_fallback_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".txt") else { return false };
    let Some((head, tail)) = stem.rsplit_once('-') else { return false };
    !head.is_empty()
        && !tail.is_empty()
        && tail.bytes().all(|b| b.is_ascii_digit())
        && head.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// `name` reduced to `[A-Za-z0-9_-]` (other runs become one `-`), never empty.
fn file_safe(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 48 {
            break;
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() { "clip".to_owned() } else { trimmed.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_plain() {
        // base64("hello") = aGVsbG8=
        assert_eq!(osc52_sequence("hello", false), "\x1b]52;c;aGVsbG8=\x07");
        assert_eq!(osc52_sequence("", false), "\x1b]52;c;\x07");
    }

    #[test]
    fn osc52_in_tmux_is_sent_plain_and_wrapped_with_escs_doubled() {
        let both = osc52_sequence("hello", true);
        let plain = "\x1b]52;c;aGVsbG8=\x07";
        // Plain first: tmux 3.3+ drops the passthrough unless allow-passthrough is on.
        let wrapped = both.strip_prefix(plain).unwrap();
        assert_eq!(wrapped, "\x1bPtmux;\x1b\x1b]52;c;aGVsbG8=\x07\x1b\\");
        // Only the passthrough's own ESCs are single: the opening one and the closing `ESC \`.
        let inner = wrapped.strip_prefix("\x1bPtmux;").and_then(|s| s.strip_suffix("\x1b\\")).unwrap();
        assert!(!inner.replace("\x1b\x1b", "").contains('\x1b'));
    }

    #[test]
    fn payload_is_base64_so_control_characters_cannot_escape() {
        let hostile = "a\x07b\x1b]0;title\x07\n";
        let sequence = osc52_sequence(hostile, false);
        let payload = sequence.strip_prefix("\x1b]52;c;").and_then(|s| s.strip_suffix('\x07')).unwrap();
        assert!(payload.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)));
        let decoded = base64::engine::general_purpose::STANDARD.decode(payload).unwrap();
        assert_eq!(decoded, hostile.as_bytes());
    }

    #[test]
    fn size_limit() {
        assert!(fits_osc52("short", false));
        assert!(!fits_osc52(&"x".repeat(OSC52_MAX_BYTES), false));
    }

    #[test]
    fn fallback_names_are_recognised() {
        for name in ["access-token-demo-1700000000.txt", "access-token-demo-1700000000-2.txt", "x-1.txt", "clip-1.txt"]
        {
            assert!(is_fallback_name(name), "{name}");
        }
        for name in ["notes.txt", "-1.txt", "x-.txt", "x-1.txt.bak", "x-1a.txt", "a b-1.txt", ".x-1.txt", "x-1"] {
            assert!(!is_fallback_name(name), "{name}");
        }
    }

    #[test]
    fn fallback_file_is_private_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let clip = dir.path().join("clipboard");
        let first = write_fallback_in(&clip, "access token (demo)", "eyJ.x.y", 1_700_000_000).unwrap();
        assert_eq!(first, clip.join("access-token-demo-1700000000.txt"));
        assert_eq!(std::fs::read_to_string(&first).unwrap(), "eyJ.x.y");
        let second = write_fallback_in(&clip, "access token (demo)", "other", 1_700_000_000).unwrap();
        assert_eq!(second, clip.join("access-token-demo-1700000000-2.txt"));
        assert_eq!(std::fs::read_to_string(&first).unwrap(), "eyJ.x.y");
        let odd = write_fallback_in(&clip, "../../x", "z", 1).unwrap();
        assert_eq!(odd, clip.join("x-1.txt"));
        assert_eq!(write_fallback_in(&clip, "∅", "z", 1).unwrap(), clip.join("clip-1.txt"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&first).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(std::fs::metadata(&clip).unwrap().permissions().mode() & 0o777, 0o700);
        }
    }
}
