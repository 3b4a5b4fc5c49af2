//! Opening a profile file in the user's editor (`$VISUAL`, `$EDITOR`, else `vi`).

use std::path::Path;
use std::process::{Command, Stdio};

/// The editor command line the user chose: `$VISUAL`, else `$EDITOR`, else `vi`. It may carry
/// arguments (`code -w`), so it is run by `sh`, with the file as its last argument.
pub fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|value| value.trim().to_owned())
        .find(|value| !value.is_empty())
        .unwrap_or_else(|| "vi".to_owned())
}

/// Runs the editor on `path` and waits for it. With `interactive`, the editor gets this
/// terminal (the caller has handed it over); otherwise (tests, a scripted editor) its input is
/// empty. Blocking: the loop waits, as it would for any program in the foreground.
pub fn run_editor(path: &Path, interactive: bool) -> Result<(), String> {
    let editor = editor_command();
    let mut command = Command::new("sh");
    // `$0` is "sh"; the path is `$1`, passed as an argument, never spliced into the script.
    command.arg("-c").arg(format!("{editor} \"$1\"")).arg("sh").arg(path);
    if !interactive {
        command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    }
    let mut wait = move || command.status();
    let status = match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(&mut wait),
        _ => wait(),
    };
    match status {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("the editor `{editor}` ended with {status}; the file is read again as it is")),
        Err(error) => Err(format!("cannot run the editor `{editor}` (set $VISUAL or $EDITOR): {error}")),
    }
}
