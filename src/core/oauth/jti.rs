//! Unique ids for the JWTs tokdbg signs (client assertions, DPoP proofs): 128 bits from the
//! operating system's generator.
//!
//! Not aws-lc's generator: its first use seeds a CPU-jitter entropy source (about 420 million
//! instructions, ~60–90 ms on the benchmark machine), which every token request paid for the
//! `jti` alone. The OS generator costs one system call.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// 16 random bytes, base64url. Without any randomness (no supported platform lacks it) the
/// time and a per-process counter keep ids unique within this process: a debugging request
/// is not worth failing over it.
pub fn random_jti() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let count = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        bytes[..8].copy_from_slice(&crate::core::clock::now_unix().to_be_bytes());
        bytes[8..].copy_from_slice(&count.to_be_bytes());
    }
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_128_bits_and_differ() {
        let (a, b) = (random_jti(), random_jti());
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).unwrap().len(), 16);
        assert_ne!(a, b);
    }
}
