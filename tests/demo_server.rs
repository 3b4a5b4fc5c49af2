//! The embedded demo issuer + API over real HTTP: every answer the demo exists to show.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::Algorithm;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokdbg::demo::{APP_ID, DemoCounters, DemoKey, DemoServer, sign_hmac_token, sign_token};

type TestResult = Result<(), Box<dyn std::error::Error>>;
/// Form fields of a token request.
type Form<'a> = Vec<(&'a str, &'a str)>;

async fn start() -> Result<DemoServer, Box<dyn std::error::Error>> {
    Ok(DemoServer::start("127.0.0.1:0".parse()?).await?)
}

fn http() -> reqwest::Client {
    // A proxy from the environment must not intercept 127.0.0.1.
    reqwest::Client::builder().no_proxy().build().unwrap_or_default()
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// The token endpoint's answer: status, `Cache-Control`, `WWW-Authenticate`, JSON body.
struct TokenAnswer {
    status: StatusCode,
    cache_control: Option<String>,
    challenge: Option<String>,
    body: Value,
}

async fn token_request(request: reqwest::RequestBuilder) -> TokenAnswer {
    let response = request.send().await.expect("token endpoint reachable");
    let header = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (cache_control, challenge) = (header("cache-control"), header("www-authenticate"));
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    TokenAnswer { status, cache_control, challenge, body }
}

async fn post_token(server: &DemoServer, form: &[(&str, &str)]) -> TokenAnswer {
    let url = format!("{}/token", server.issuer());
    token_request(http().post(url).form(form)).await
}

async fn client_token(server: &DemoServer, id: &str, secret: &str, scope: Option<&str>) -> TokenAnswer {
    let mut form = vec![("grant_type", "client_credentials"), ("client_id", id), ("client_secret", secret)];
    form.extend(scope.map(|scope| ("scope", scope)));
    post_token(server, &form).await
}

async fn access_token(server: &DemoServer, id: &str) -> String {
    let answer = client_token(server, id, &format!("{id}-secret"), None).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body["access_token"].as_str().unwrap_or_default().to_owned()
}

fn part(token: &str, index: usize) -> Value {
    let segment = token.split('.').nth(index).unwrap_or_default();
    let bytes = URL_SAFE_NO_PAD.decode(segment).unwrap_or_default();
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

/// An API answer: status, `WWW-Authenticate`, `Content-Type`, body text.
async fn call(server: &DemoServer, path: &str, authorization: Option<&str>) -> (StatusCode, String, String, String) {
    let mut request = http().get(format!("{}{path}", server.base_url()));
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    let response = request.send().await.expect("api reachable");
    let header = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let (challenge, content_type) = (header("www-authenticate"), header("content-type"));
    (response.status(), challenge, content_type, response.text().await.unwrap_or_default())
}

async fn express_error(server: &DemoServer, path: &str, authorization: Option<&str>) -> (StatusCode, Value, String) {
    let (status, challenge, _, body) = call(server, path, authorization).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null), challenge)
}

fn claims(server: &DemoServer) -> Value {
    json!({ "iss": server.issuer(), "aud": APP_ID, "sub": "test", "scope": "order:read",
            "iat": now(), "exp": now() + 600 })
}

fn with(mut base: Value, changes: Value) -> Value {
    if let (Some(base), Some(changes)) = (base.as_object_mut(), changes.as_object()) {
        base.extend(changes.clone());
    }
    base
}

fn rs1(claims: &Value) -> String {
    format!("Bearer {}", sign_token(claims, Algorithm::RS256, DemoKey::Rsa1, Some("demo-rsa-1")))
}

#[tokio::test]
async fn discovery_lives_under_oidc_only() -> TestResult {
    let server = start().await?;
    let doc: Value =
        http().get(format!("{}/.well-known/openid-configuration", server.issuer())).send().await?.json().await?;
    assert_eq!(doc["issuer"], json!(server.issuer()));
    assert_eq!(doc["token_endpoint"], json!(format!("{}/token", server.issuer())));
    assert_eq!(doc["jwks_uri"], json!(format!("{}/.well-known/jwks.json", server.issuer())));
    assert_eq!(
        doc["token_endpoint_auth_methods_supported"],
        json!([
            "client_secret_basic",
            "client_secret_post",
            "client_secret_jwt",
            "private_key_jwt",
            "tls_client_auth",
            "self_signed_tls_client_auth"
        ])
    );
    assert_eq!(doc["token_endpoint_auth_signing_alg_values_supported"], json!(["RS256", "PS256", "HS256"]));
    // RFC 8705 §5: the mTLS token endpoint is the same server over https.
    let alias = json!(format!("{}/oidc/token", server.tls_base_url()));
    assert_eq!(doc["mtls_endpoint_aliases"]["token_endpoint"], alias);
    assert_eq!(doc["tls_client_certificate_bound_access_tokens"], true);
    assert!(doc["grant_types_supported"].as_array().is_some_and(|g| g.contains(&json!("client_credentials"))));
    assert!(doc["id_token_signing_alg_values_supported"].as_array().is_some_and(|a| a.contains(&json!("RS256"))));
    assert!(doc["scopes_supported"].as_array().is_some_and(|s| s.contains(&json!("order:read"))));
    for root in ["/.well-known/openid-configuration", "/.well-known/jwks.json"] {
        let status = http().get(format!("{}{root}", server.base_url())).send().await?.status();
        assert_eq!(status, StatusCode::NOT_FOUND, "{root}");
    }
    assert_eq!(server.issuer(), format!("http://{}/oidc", server.addr()));
    Ok(())
}

#[tokio::test]
async fn jwks_publishes_rsa_and_ec_keys_and_rotates() -> TestResult {
    let server = start().await?;
    let jwks_url = format!("{}/.well-known/jwks.json", server.issuer());
    let kids = |set: &Value| -> Vec<String> {
        set["keys"].as_array().into_iter().flatten().filter_map(|k| k["kid"].as_str().map(str::to_owned)).collect()
    };
    let set: Value = http().get(&jwks_url).send().await?.json().await?;
    assert_eq!(kids(&set), ["demo-rsa-1", "demo-ec-1"]);
    assert!(set["keys"].as_array().is_some_and(|keys| keys.iter().all(|k| k["use"] == "sig")));
    assert_eq!(set["keys"][0]["alg"], "RS256");

    server.rotate_keys(false);
    let token = access_token(&server, "demo-reader").await;
    assert_eq!(part(&token, 0)["kid"], "demo-rsa-2");
    let set: Value = http().get(&jwks_url).send().await?.json().await?;
    assert_eq!(kids(&set), ["demo-rsa-2", "demo-rsa-1", "demo-ec-1"]);
    let (status, ..) = call(&server, "/api/protected", Some(&format!("Bearer {token}"))).await;
    assert_eq!(status, StatusCode::OK);
    // A token from before the rotation still passes while demo-rsa-1 is published...
    let old = rs1(&claims(&server));
    assert_eq!(call(&server, "/api/protected", Some(&old)).await.0, StatusCode::OK);
    // ...and fails once it is retired.
    server.rotate_keys(true);
    let set: Value = http().get(&jwks_url).send().await?.json().await?;
    assert_eq!(kids(&set), ["demo-rsa-2", "demo-ec-1"]);
    let (_, body, _) = express_error(&server, "/api/protected", Some(&old)).await;
    assert_eq!(body["message"], "secret or public key must be provided");
    Ok(())
}

#[tokio::test]
async fn every_client_gets_its_token() -> TestResult {
    let server = start().await?;
    let reader = client_token(&server, "demo-reader", "demo-reader-secret", Some("order:read")).await;
    assert_eq!(reader.status, StatusCode::OK);
    assert_eq!(reader.cache_control.as_deref(), Some("no-store"));
    assert_eq!((reader.body["token_type"].clone(), reader.body["expires_in"].clone()), (json!("Bearer"), json!(3600)));
    let token = reader.body["access_token"].as_str().unwrap_or_default();
    let (header, claims) = (part(token, 0), part(token, 1));
    assert_eq!(
        (header["alg"].clone(), header["typ"].clone(), header["kid"].clone()),
        (json!("RS256"), json!("JWT"), json!("demo-rsa-1"))
    );
    for (name, value) in [
        ("iss", json!(server.issuer())),
        ("sub", json!("demo-reader")),
        ("aud", json!(APP_ID)),
        ("azp", json!("demo-reader")),
        ("client_id", json!("demo-reader")),
        ("scope", json!("order:read")),
    ] {
        assert_eq!(claims[name], value, "{name}");
    }
    assert_eq!(claims["exp"].as_i64().zip(claims["iat"].as_i64()).map(|(e, i)| e - i), Some(3600));
    assert!(claims["jti"].is_string());

    // (client, requested scope) -> (alg, kid, granted scope, expires_in)
    let cases = [
        ("demo-reader", None, "RS256", json!("demo-rsa-1"), "order:read", 3600),
        ("demo-writer", None, "RS256", json!("demo-rsa-1"), "order:read order:write", 3600),
        ("demo-es256", None, "ES256", json!("demo-ec-1"), "order:read order:write", 3600),
        ("demo-hs256", None, "HS256", Value::Null, "order:read", 3600),
        ("demo-shortlived", None, "RS256", json!("demo-rsa-1"), "order:read", 5),
        ("demo-noscope", Some("order:read"), "RS256", json!("demo-rsa-1"), "", 3600),
    ];
    for (id, scope, alg, kid, granted, expires_in) in cases {
        let answer = client_token(&server, id, &format!("{id}-secret"), scope).await;
        assert_eq!(answer.status, StatusCode::OK, "{id}: {}", answer.body);
        assert_eq!(answer.body["scope"], json!(granted), "{id}");
        assert_eq!(answer.body["expires_in"], json!(expires_in), "{id}");
        let token = answer.body["access_token"].as_str().unwrap_or_default();
        assert_eq!((part(token, 0)["alg"].clone(), part(token, 0)["kid"].clone()), (json!(alg), kid), "{id}");
        assert_eq!(part(token, 1)["scope"], json!(granted), "{id}");
    }
    let noscope = client_token(&server, "demo-noscope", "demo-noscope-secret", Some("order:read")).await;
    assert_eq!(noscope.body["rejected_scope"], "order:read");

    let hs = access_token(&server, "demo-hs256").await;
    let mut validation = jsonwebtoken::Validation::new(Algorithm::HS256);
    validation.set_audience(&[APP_ID]);
    let key = jsonwebtoken::DecodingKey::from_secret(b"demo-hs256-secret");
    assert!(jsonwebtoken::decode::<Value>(&hs, &key, &validation).is_ok());

    let skewed = client_token(&server, "demo-skewed", "demo-skewed-secret", None).await;
    assert_eq!(skewed.body["expires_in"], 3600);
    let skewed_claims = part(skewed.body["access_token"].as_str().unwrap_or_default(), 1);
    assert!(skewed_claims["exp"].as_i64().is_some_and(|exp| exp <= now() - 3599));

    let scp = part(&access_token(&server, "demo-scp").await, 1);
    assert_eq!((scp["scp"].clone(), scp.get("scope").cloned()), (json!(["order:read"]), None));

    for (name, value, aud) in
        [("audience", "https://api.demo.local/orders", "https://api.demo.local/orders"), ("resource", APP_ID, APP_ID)]
    {
        let answer = post_token(
            &server,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "demo-reader"),
                ("client_secret", "demo-reader-secret"),
                (name, value),
            ],
        )
        .await;
        assert_eq!(part(answer.body["access_token"].as_str().unwrap_or_default(), 1)["aud"], aud);
    }
    Ok(())
}

#[tokio::test]
async fn token_errors_follow_rfc_6749() -> TestResult {
    let server = start().await?;
    let base =
        [("grant_type", "client_credentials"), ("client_id", "demo-reader"), ("client_secret", "demo-reader-secret")];
    let with_param = |name, value| -> Vec<(&str, &str)> { base.iter().copied().chain([(name, value)]).collect() };
    let cases: Vec<(Form, u16, &str)> = vec![
        (
            vec![("grant_type", "client_credentials"), ("client_id", "demo-reader"), ("client_secret", "nope")],
            401,
            "invalid_client",
        ),
        (
            vec![("grant_type", "client_credentials"), ("client_id", "nobody"), ("client_secret", "x")],
            401,
            "invalid_client",
        ),
        (vec![("grant_type", "client_credentials")], 401, "invalid_client"),
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", "demo-basic"),
                ("client_secret", "demo-basic-secret"),
            ],
            401,
            "invalid_client",
        ),
        (base[1..].to_vec(), 400, "unsupported_grant_type"),
        (vec![("grant_type", "password"), base[1], base[2]], 400, "unsupported_grant_type"),
        (
            vec![base[0], ("client_id", "demo-nogrant"), ("client_secret", "demo-nogrant-secret")],
            400,
            "unauthorized_client",
        ),
        (with_param("audience", "https://wrong.example/api"), 400, "invalid_target"),
        (with_param("resource", "https://wrong.example/api"), 400, "invalid_target"),
        (with_param("scope", "order:write"), 400, "invalid_scope"),
        (
            vec![
                base[0],
                ("client_id", "demo-strict"),
                ("client_secret", "demo-strict-secret"),
                ("scope", "order:delete"),
            ],
            400,
            "invalid_scope",
        ),
        (with_param("grant_type", "client_credentials"), 400, "invalid_request"),
    ];
    for (form, status, error) in cases {
        let answer = post_token(&server, &form).await;
        assert_eq!((answer.status.as_u16(), answer.body["error"].as_str()), (status, Some(error)), "{form:?}");
        assert!(answer.body["error_description"].is_string(), "{form:?}");
        assert_eq!(answer.cache_control.as_deref(), Some("no-store"));
        assert_eq!(answer.challenge, None, "post auth has no challenge");
    }
    let as_post =
        post_token(&server, &[base[0], ("client_id", "demo-basic"), ("client_secret", "demo-basic-secret")]).await;
    assert!(as_post.body["error_description"].as_str().is_some_and(|d| d.contains("client_secret_basic")));

    let url = format!("{}/token", server.issuer());
    let json_body = token_request(http().post(&url).json(&json!({ "grant_type": "client_credentials" }))).await;
    assert_eq!(
        (json_body.status, json_body.body["error"].clone()),
        (StatusCode::BAD_REQUEST, json!("invalid_request"))
    );
    let wrong_basic = http().post(&url).basic_auth("demo-reader", Some("nope")).form(&[base[0]]);
    let wrong_basic = token_request(wrong_basic).await;
    assert_eq!(
        (wrong_basic.status, wrong_basic.challenge.as_deref()),
        (StatusCode::UNAUTHORIZED, Some("Basic realm=\"demo\""))
    );
    Ok(())
}

#[tokio::test]
async fn basic_credentials_are_form_urlencoded_first() -> TestResult {
    let server = start().await?;
    let url = format!("{}/token", server.issuer());
    let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let (id, secret) = ("demo+special", "s3cret:with%chars&more");
    let grant = [("grant_type", "client_credentials")];
    let encoded = http().post(&url).basic_auth(encode(id), Some(encode(secret))).form(&grant);
    let answer = token_request(encoded).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(part(answer.body["access_token"].as_str().unwrap_or_default(), 1)["sub"], id);
    // Unencoded, the '+' decodes to a space: a different (unknown) client.
    let raw = token_request(http().post(&url).basic_auth(id, Some(secret)).form(&grant)).await;
    assert_eq!(raw.body["error"], "invalid_client");
    let basic = http().post(&url).basic_auth("demo-basic", Some("demo-basic-secret")).form(&grant);
    assert_eq!(token_request(basic).await.status, StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn the_api_fails_as_express_jwt_does() -> TestResult {
    let server = start().await?;
    let good = claims(&server);
    let b64 = |text: &str| URL_SAFE_NO_PAD.encode(text);
    let none = format!("Bearer {}.{}.", b64(r#"{"alg":"none","typ":"JWT"}"#), b64(&good.to_string()));
    let hs = format!("Bearer {}", sign_hmac_token(&good, Algorithm::HS256, b"demo-hs256-secret"));
    let unknown_kid =
        format!("Bearer {}", sign_token(&good, Algorithm::RS256, DemoKey::RsaStranger, Some("demo-rsa-old")));
    let forged = format!("Bearer {}", sign_token(&good, Algorithm::RS256, DemoKey::RsaStranger, Some("demo-rsa-1")));
    let expired = rs1(&with(good.clone(), json!({ "iat": now() - 7200, "exp": now() - 3600 })));
    let early = rs1(&with(good.clone(), json!({ "nbf": now() + 600 })));
    let wrong_aud = rs1(&with(good.clone(), json!({ "aud": "demo-reader" })));
    let wrong_iss = rs1(&with(good.clone(), json!({ "iss": format!("{}/", server.issuer()) })));
    let cases: Vec<(Option<&str>, &str, String)> = vec![
        (None, "credentials_required", "No authorization token was found".into()),
        (Some("Basic ZGVtbzp4"), "credentials_bad_scheme", "Format is Authorization: Bearer [token]".into()),
        (Some("Bearer"), "credentials_bad_format", "Format is Authorization: Bearer [token]".into()),
        (Some("Bearer garbage"), "invalid_token", "jwt malformed".into()),
        (Some(&none), "invalid_token", "invalid algorithm".into()),
        (Some(&hs), "invalid_token", "secret or public key must be provided".into()),
        (Some(&unknown_kid), "invalid_token", "secret or public key must be provided".into()),
        (Some(&forged), "invalid_token", "invalid signature".into()),
        (Some(&expired), "invalid_token", "jwt expired".into()),
        (Some(&early), "invalid_token", "jwt not active".into()),
        (Some(&wrong_aud), "invalid_token", "jwt audience invalid. expected: demo-app".into()),
        (Some(&wrong_iss), "invalid_token", format!("jwt issuer invalid. expected: {}", server.issuer())),
    ];
    for (authorization, code, message) in cases {
        let (status, body, challenge) = express_error(&server, "/api/protected", authorization).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{message}");
        assert_eq!(body, json!({ "error": code, "message": message }));
        assert_eq!(challenge, "", "express-jwt sends no WWW-Authenticate");
    }

    let reader = format!("Bearer {}", access_token(&server, "demo-reader").await);
    let (status, _, _, body) = call(&server, "/api/protected", Some(&reader)).await;
    let body: Value = serde_json::from_str(&body)?;
    assert_eq!(
        (status, body["caller"].clone(), body["scopes"].clone()),
        (StatusCode::OK, json!("demo-reader"), json!(["order:read"]))
    );
    let write =
        http().post(format!("{}/api/orders", server.base_url())).header("authorization", &reader).send().await?;
    assert_eq!(write.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        write.headers().get("www-authenticate").and_then(|v| v.to_str().ok()),
        Some("Bearer scope=\"order:write\", error=\"Insufficient scope\"")
    );
    assert_eq!(write.text().await?, "Insufficient scope");
    let writer = format!("Bearer {}", access_token(&server, "demo-writer").await);
    let created = http()
        .post(format!("{}/api/orders", server.base_url()))
        .header("authorization", &writer)
        .json(&json!({ "item": "tea" }))
        .send()
        .await?;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(created.json::<Value>().await?["order"]["request"]["item"], "tea");

    for id in ["demo-noscope", "demo-scp"] {
        let token = client_token(&server, id, &format!("{id}-secret"), Some("order:read")).await;
        let auth = format!("Bearer {}", token.body["access_token"].as_str().unwrap_or_default());
        let (status, challenge, ..) = call(&server, "/api/protected", Some(&auth)).await;
        assert_eq!(
            (status, challenge.as_str()),
            (StatusCode::FORBIDDEN, "Bearer scope=\"order:read\", error=\"Insufficient scope\""),
            "{id}"
        );
    }
    let es = format!("Bearer {}", access_token(&server, "demo-es256").await);
    assert_eq!(call(&server, "/api/protected", Some(&es)).await.0, StatusCode::OK);
    assert_eq!(call(&server, "/api/public", None).await.0, StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn misconfigured_routes_deny_good_tokens() -> TestResult {
    let server = start().await?;
    let reader = format!("Bearer {}", access_token(&server, "demo-reader").await);
    let (status, body, _) = express_error(&server, "/api/misconfigured/issuer", Some(&reader)).await;
    let typo = format!("jwt issuer invalid. expected: {}/odic", server.base_url());
    assert_eq!((status, body["message"].clone()), (StatusCode::UNAUTHORIZED, json!(typo)));
    let (status, body, _) = express_error(&server, "/api/misconfigured/audience", Some(&reader)).await;
    assert_eq!(
        (status, body["message"].clone()),
        (StatusCode::UNAUTHORIZED, json!("jwt audience invalid. expected: demo-reader"))
    );
    let (status, challenge, _, body) = call(&server, "/api/misconfigured/scope-key", Some(&reader)).await;
    assert_eq!(
        (status, challenge.as_str(), body.as_str()),
        (StatusCode::FORBIDDEN, "Bearer scope=\"order:read\", error=\"Insufficient scope\"", "Insufficient scope")
    );
    let (status, _, content_type, body) = call(&server, "/api/misconfigured/jwks", Some(&reader)).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(content_type.starts_with("text/html"));
    assert!(body.starts_with("<!DOCTYPE html>") && body.contains("<pre>JwksError: Not Found</pre>"), "{body}");
    // Without a token the 401 comes before any key fetch.
    assert_eq!(call(&server, "/api/misconfigured/jwks", None).await.0, StatusCode::UNAUTHORIZED);
    Ok(())
}

#[tokio::test]
async fn the_rfc6750_route_answers_with_bearer_challenges() -> TestResult {
    let server = start().await?;
    let path = "/api/rfc6750/protected";
    let (status, challenge, _, body) = call(&server, path, None).await;
    assert_eq!((status, challenge.as_str(), body.as_str()), (StatusCode::UNAUTHORIZED, "Bearer", ""));
    let expired = rs1(&with(claims(&server), json!({ "exp": now() - 3600 })));
    let forged =
        format!("Bearer {}", sign_token(&claims(&server), Algorithm::RS256, DemoKey::RsaStranger, Some("demo-rsa-1")));
    let wrong_iss = rs1(&with(claims(&server), json!({ "iss": "https://elsewhere/oidc" })));
    let wrong_aud = rs1(&with(claims(&server), json!({ "aud": "demo-reader" })));
    for (token, description) in [
        (expired, "An error occurred while attempting to decode the Jwt: Jwt expired at "),
        (forged, "An error occurred while attempting to decode the Jwt: Signed JWT rejected: Invalid signature"),
        (wrong_iss, "An error occurred while attempting to decode the Jwt: The iss claim is not valid"),
        (
            wrong_aud,
            "An error occurred while attempting to decode the Jwt: This aud claim is not equal to the configured audience",
        ),
    ] {
        let (status, challenge, _, body) = call(&server, path, Some(&token)).await;
        assert_eq!((status, body.as_str()), (StatusCode::UNAUTHORIZED, ""));
        let prefix = format!("Bearer error=\"invalid_token\", error_description=\"{description}");
        assert!(challenge.starts_with(&prefix), "{challenge}");
        assert!(challenge.ends_with("error_uri=\"https://tools.ietf.org/html/rfc6750#section-3.1\""));
    }
    let noscope = client_token(&server, "demo-noscope", "demo-noscope-secret", Some("order:read")).await;
    let auth = format!("Bearer {}", noscope.body["access_token"].as_str().unwrap_or_default());
    let (status, challenge, ..) = call(&server, path, Some(&auth)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        challenge,
        "Bearer error=\"insufficient_scope\", error_description=\"The request requires higher privileges than provided by the access token.\", error_uri=\"https://tools.ietf.org/html/rfc6750#section-3.1\""
    );
    let reader = format!("Bearer {}", access_token(&server, "demo-reader").await);
    assert_eq!(call(&server, path, Some(&reader)).await.0, StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn counters_count_each_kind_and_shutdown_stops() -> TestResult {
    let server = start().await?;
    assert_eq!(server.counters(), DemoCounters::default());
    http().get(format!("{}/.well-known/openid-configuration", server.issuer())).send().await?;
    http().get(format!("{}/.well-known/jwks.json", server.issuer())).send().await?;
    let token = access_token(&server, "demo-reader").await;
    call(&server, "/api/protected", Some(&format!("Bearer {token}"))).await;
    call(&server, "/api/public", None).await;
    assert_eq!(server.counters(), DemoCounters { discovery: 1, jwks: 1, token: 1, api: 2 });
    let base = server.base_url();
    server.shutdown().await;
    assert!(http().get(format!("{base}/api/public")).send().await.is_err());
    Ok(())
}

#[test]
fn demo_profiles_parse_and_point_at_the_server() -> TestResult {
    let base = "http://127.0.0.1:39999";
    let profiles = tokdbg::demo::demo_profiles(base);
    assert_eq!(profiles.len(), crate::support::demo_profile_count());
    for (stem, text) in &profiles {
        assert!(stem.starts_with("demo"));
        assert!(!text.contains("127.0.0.1:4455"), "{stem}");
        let profile: tokdbg::core::model::profile::Profile =
            toml::from_str(text).map_err(|e| format!("{stem}: {e}"))?;
        assert!(profile.endpoints.iter().any(|e| e.name == "read orders"), "{stem}");
        // The https profiles reach the same server over TLS (same port).
        let tls_base = base.replacen("http://", "https://", 1);
        assert!(profile.endpoints.iter().all(|e| e.url.starts_with(base) || e.url.starts_with(&tls_base)), "{stem}");
        assert_eq!(profile.expect.audience, [APP_ID], "{stem}");
    }
    let dir = tempfile::tempdir()?;
    let target = dir.path().join("nested");
    tokdbg::demo::write_demo_profiles(&target, base)?;
    let written = std::fs::read_to_string(target.join("demo-reader.toml"))?;
    assert!(written.contains(&format!("{base}/oidc")));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(target.join("demo-scp.toml"))?.permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    Ok(())
}
