//! `core::profile_store::parse_profile` on arbitrary TOML; a profile that parses must
//! serialize back with `toml::to_string`, and that text must parse as a profile again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokdbg::core::profile::Profile;
use tokdbg::core::profile_store;

fuzz_target!(|data: &[u8]| {
    // Profile files that are not UTF-8 are refused before parsing (load_file).
    let Ok(text) = std::str::from_utf8(data) else { return };
    match profile_store::parse_profile(text, "fuzz.toml") {
        Ok(profile) => {
            let _ = profile.display_name("fuzz");
            let written = toml::to_string(&profile).expect("a loaded profile serializes");
            let _reread: Profile = toml::from_str(&written).expect("a serialized profile reads back");
            let _ = toml::to_string_pretty(&profile);
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
