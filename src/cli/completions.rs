//! `tokdbg completions SHELL`: clap's static completion script, plus profile names where a
//! profile is expected (bash, zsh, fish), read at completion time from
//! `tokdbg profiles list --names` so they follow the directory as it changes.

use clap::CommandFactory as _;
use clap_complete::Shell;

use super::args::Cli;
use super::outcome::{CmdResult, Exit};
use super::stdout::out;

/// bash: profile names after `token`, `call`, `introspect`, `revoke`, `profiles show|check` and
/// `verify --profile`,
/// honouring a `--profiles DIR` earlier on the line; clap's completion everywhere else.
const BASH_PROFILES: &str = r#"
# Profile names (tokdbg profiles list --names), then clap's completion for everything else.
_tokdbg_with_profiles() {
    local i dir=()
    case "${COMP_WORDS[COMP_CWORD-1]}" in
        token|call|introspect|revoke|show|check|--profile)
            for ((i = 1; i < COMP_CWORD - 1; i++)); do
                if [[ "${COMP_WORDS[i]}" == --profiles ]]; then dir=(--profiles "${COMP_WORDS[i+1]}"); fi
            done
            local names
            names="$("${COMP_WORDS[0]}" "${dir[@]}" profiles list --names 2>/dev/null)"
            COMPREPLY=($(compgen -W "$names" -- "${COMP_WORDS[COMP_CWORD]}"))
            return 0
            ;;
    esac
    _tokdbg "$@"
}
complete -F _tokdbg_with_profiles -o bashdefault -o default tokdbg
"#;

/// zsh: a completer for every slot clap fills with `_default` for a profile.
const ZSH_PROFILES: &str = r#"(( $+functions[_tokdbg_profiles] )) ||
_tokdbg_profiles() {
    local -a names
    names=(${(f)"$(tokdbg profiles list --names 2>/dev/null)"})
    _describe -t profiles 'profile' names
}

"#;

/// fish: profile names right after the commands that take one.
const FISH_PROFILES: &str = r#"
# Profile names (tokdbg profiles list --names).
complete -c tokdbg -n '__fish_prev_arg_in token call introspect revoke show check' -f -a '(tokdbg profiles list --names 2>/dev/null)'
complete -c tokdbg -l profile -f -r -a '(tokdbg profiles list --names 2>/dev/null)'
"#;

pub fn run(shell: Shell) -> CmdResult {
    out!("{}", script(shell));
    Ok(Exit::Ok)
}

/// The whole script for `shell`.
pub fn script(shell: Shell) -> String {
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "tokdbg", &mut buffer);
    let generated = String::from_utf8_lossy(&buffer).into_owned();
    match shell {
        Shell::Bash => generated + BASH_PROFILES,
        Shell::Fish => generated + FISH_PROFILES,
        Shell::Zsh => with_zsh_profiles(&generated),
        _ => generated,
    }
}

/// clap's zsh script with each profile slot (`:profile -- …:_default`, `--profile=[…]:PROFILE:_default`)
/// completed by `_tokdbg_profiles`, defined before the script's closing dispatch.
fn with_zsh_profiles(generated: &str) -> String {
    let mut out = String::with_capacity(generated.len() + ZSH_PROFILES.len());
    for line in generated.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let profile_slot = trimmed.starts_with("':profile -- ")
            || trimmed.starts_with("'::profile -- ")
            || (trimmed.contains("--profile=[") && trimmed.contains(":PROFILE:_default'"));
        if profile_slot {
            out.push_str(&line.replacen(":_default'", ":_tokdbg_profiles'", 1));
            continue;
        }
        if trimmed.starts_with("if [ \"$funcstack[1]\" = \"_tokdbg\" ]") {
            out.push_str(ZSH_PROFILES);
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_slot_of_the_zsh_script_completes_profile_names() {
        let zsh = script(Shell::Zsh);
        assert!(zsh.contains("_tokdbg_profiles() {"), "{zsh}");
        // token, call, introspect, revoke, profiles show, profiles check, verify --profile,
        // check-api --profile.
        assert_eq!(zsh.matches(":_tokdbg_profiles'").count(), 8, "{zsh}");
        assert!(zsh.find("_tokdbg_profiles() {") < zsh.find("if [ \"$funcstack[1]\""));
    }
}
