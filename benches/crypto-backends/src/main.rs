//! The signature-check floor of jsonwebtoken's two crypto backends (aws_lc_rs, which tokdbg uses,
//! and rust_crypto), same keys and tokens: `cargo run --release --features aws -- ../../src/demo/keys`.
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use std::time::Instant;

fn main() {
    let keys = std::env::args().nth(1).expect("path to src/demo/keys");
    let read = |name: &str| std::fs::read(format!("{keys}/{name}")).expect("key file");
    let claims = serde_json::json!({"iss": "https://issuer.bench.test/oidc", "sub": "demo-reader", "aud": "demo-app",
        "scope": "openid order:read order:list", "iat": 1_800_000_000, "exp": 1_800_003_600, "jti": "0f8c2a4e-5b1d-4c7e-9a3f-2d6b8e1c4a70"});
    let cases: Vec<(&str, Algorithm, EncodingKey, DecodingKey)> = vec![
        (
            "RS256",
            Algorithm::RS256,
            EncodingKey::from_rsa_pem(&read("rsa1.pem")).unwrap(),
            DecodingKey::from_rsa_pem(&read("rsa1.pub.pem")).unwrap(),
        ),
        (
            "PS256",
            Algorithm::PS256,
            EncodingKey::from_rsa_pem(&read("rsa2.pem")).unwrap(),
            DecodingKey::from_rsa_pem(&read("rsa2.pub.pem")).unwrap(),
        ),
        (
            "ES256",
            Algorithm::ES256,
            EncodingKey::from_ec_pem(&read("ec256.pem")).unwrap(),
            DecodingKey::from_ec_pem(&read("ec256.pub.pem")).unwrap(),
        ),
        (
            "EdDSA",
            Algorithm::EdDSA,
            EncodingKey::from_ed_pem(&read("ed25519.pem")).unwrap(),
            DecodingKey::from_ed_pem(&read("ed25519.pub.pem")).unwrap(),
        ),
        (
            "HS256",
            Algorithm::HS256,
            EncodingKey::from_secret(b"bench-hmac-secret-of-32-bytes-ok"),
            DecodingKey::from_secret(b"bench-hmac-secret-of-32-bytes-ok"),
        ),
    ];
    let backend = if cfg!(feature = "aws") { "aws_lc_rs" } else { "rust_crypto" };
    for (name, alg, enc, dec) in cases {
        let token = jsonwebtoken::encode(&Header::new(alg), &claims, &enc).unwrap();
        let (message, signature) = token.rsplit_once('.').unwrap();
        assert!(jsonwebtoken::crypto::verify(signature, message.as_bytes(), &dec, alg).unwrap());
        // 41 batches of ~50 ms; the median batch's per-verification time.
        let mut per = Vec::new();
        let probe = Instant::now();
        let mut n = 0u32;
        while probe.elapsed().as_millis() < 50 {
            let _ = jsonwebtoken::crypto::verify(signature, message.as_bytes(), &dec, alg);
            n += 1;
        }
        for _ in 0..41 {
            let t = Instant::now();
            for _ in 0..n {
                std::hint::black_box(
                    jsonwebtoken::crypto::verify(std::hint::black_box(signature), message.as_bytes(), &dec, alg)
                        .unwrap(),
                );
            }
            per.push(t.elapsed().as_secs_f64() * 1e6 / n as f64);
        }
        per.sort_by(f64::total_cmp);
        println!("{backend:<12} {name}  verify median {:8.2} µs  IQR [{:.2} .. {:.2}]", per[20], per[10], per[30]);
    }
}
