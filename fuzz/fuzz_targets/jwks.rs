//! `core::jwks::parse_key_set` on arbitrary bodies, then every key checked against every algorithm.
#![no_main]

use jsonwebtoken::Algorithm;
use libfuzzer_sys::fuzz_target;
use tokdbg::core::jwks;

const ALGORITHMS: [Algorithm; 12] = [
    Algorithm::HS256,
    Algorithm::HS384,
    Algorithm::HS512,
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

fuzz_target!(|data: &[u8]| {
    if let Ok(set) = jwks::parse_key_set("https://fuzz.example/.well-known/jwks.json", data) {
        let _ = set.kids();
        for key in &set.keys {
            for alg in ALGORITHMS {
                let _ = key.unfit_for(alg);
            }
        }
        let _ = serde_json::to_string(&set);
    }
});
