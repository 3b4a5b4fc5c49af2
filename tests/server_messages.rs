//! Every captured server answer under `tests/fixtures/<dialect>/*.http`, read by the interpreter as a named case.
//!
//! A fixture is a raw HTTP response (status line, headers, blank line, body)
//! after a few `# key: value` lines that say what the reading must be:
//!
//! * `# kind:` the reason's `kind`, and `# dialect:` the dialect credited
//!   (`none` when nothing was recognised); both required;
//! * `# source:`, `# message:`: the verdict's fields of that name;
//! * any other key (`detail`, `expected`, `scopes`): the reason's field of that
//!   name (`none` for null; scopes space-separated);
//! * `# sent-token: no`: the request carried no token (default: it did);
//! * `# note:`: where the answer comes from; not checked.
//!
//! The directory names the stack that sent the answer; the credited dialect may
//! differ (Spring's bare challenge is RFC 6750's). Run one case with
//! `cargo test --test main server_messages::<dialect>_<file stem>`.

use rstest::rstest;
use serde_json::Value;
use tokdbg::core::probe::www_authenticate::bearer;
use tokdbg::core::server_message::interpret_answer;

use crate::support::captured::{fixtures_dir, parse};

/// A verdict field as a fixture writes it.
fn shown(value: &Value) -> String {
    match value {
        Value::Null => "none".to_owned(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    }
}

#[rstest]
#[case::aspnet_audience_is_invalid("aspnet/audience_is_invalid.http")]
#[case::aspnet_idx10205_issuer("aspnet/idx10205_issuer.http")]
#[case::aspnet_idx10214_audience("aspnet/idx10214_audience.http")]
#[case::aspnet_idx10214_audiences_list("aspnet/idx10214_audiences_list.http")]
#[case::aspnet_idx10214_pii_hidden("aspnet/idx10214_pii_hidden.http")]
#[case::aspnet_idx10222_not_yet_valid("aspnet/idx10222_not_yet_valid.http")]
#[case::aspnet_idx10223_expired("aspnet/idx10223_expired.http")]
#[case::aspnet_idx10501_no_key("aspnet/idx10501_no_key.http")]
#[case::aspnet_idx10503_signature("aspnet/idx10503_signature.http")]
#[case::aspnet_idx10511_signature("aspnet/idx10511_signature.http")]
#[case::aspnet_idx10634_algorithm("aspnet/idx10634_algorithm.http")]
#[case::aspnet_idx12741_malformed("aspnet/idx12741_malformed.http")]
#[case::aspnet_idx20803_discovery_500("aspnet/idx20803_discovery_500.http")]
#[case::aspnet_issuer_is_invalid("aspnet/issuer_is_invalid.http")]
#[case::aspnet_not_valid_before("aspnet/not_valid_before.http")]
#[case::aspnet_signature_is_invalid("aspnet/signature_is_invalid.http")]
#[case::aspnet_signature_key_not_found("aspnet/signature_key_not_found.http")]
#[case::aspnet_token_expired_at_challenge("aspnet/token_expired_at_challenge.http")]
#[case::authlib_basic_scheme("authlib/basic_scheme.http")]
#[case::authlib_expired("authlib/expired.http")]
#[case::authlib_hs256_token("authlib/hs256_token.http")]
#[case::authlib_insufficient_scope("authlib/insufficient_scope.http")]
#[case::authlib_malformed("authlib/malformed.http")]
#[case::authlib_no_token("authlib/no_token.http")]
#[case::authlib_tampered_signature("authlib/tampered_signature.http")]
#[case::authlib_unknown_kid("authlib/unknown_kid.http")]
#[case::authlib_wrong_audience("authlib/wrong_audience.http")]
#[case::authlib_wrong_issuer("authlib/wrong_issuer.http")]
#[case::aws_api_gateway_audience_not_valid("aws_api_gateway/audience_not_valid.http")]
#[case::aws_api_gateway_no_token_unauthorized("aws_api_gateway/no_token_unauthorized.http")]
#[case::aws_api_gateway_tokenstring_contains_bearer("aws_api_gateway/tokenstring_contains_bearer.http")]
#[case::django_oauth_toolkit_basic_scheme("django_oauth_toolkit/basic_scheme.http")]
#[case::django_oauth_toolkit_expired("django_oauth_toolkit/expired.http")]
#[case::django_oauth_toolkit_insufficient_scope("django_oauth_toolkit/insufficient_scope.http")]
#[case::django_oauth_toolkit_insufficient_scope_listed("django_oauth_toolkit/insufficient_scope_listed.http")]
#[case::django_oauth_toolkit_no_token("django_oauth_toolkit/no_token.http")]
#[case::django_oauth_toolkit_other_resource("django_oauth_toolkit/other_resource.http")]
#[case::django_oauth_toolkit_unknown_token("django_oauth_toolkit/unknown_token.http")]
#[case::envoy_alg_not_supported("envoy/alg_not_supported.http")]
#[case::envoy_audiences_not_allowed("envoy/audiences_not_allowed.http")]
#[case::envoy_issuer_not_configured("envoy/issuer_not_configured.http")]
#[case::envoy_jwks_no_key_for_kid("envoy/jwks_no_key_for_kid.http")]
#[case::envoy_jwks_remote_fetch_failed("envoy/jwks_remote_fetch_failed.http")]
#[case::envoy_jwt_is_expired("envoy/jwt_is_expired.http")]
#[case::envoy_jwt_is_missing("envoy/jwt_is_missing.http")]
#[case::envoy_jwt_verification_fails("envoy/jwt_verification_fails.http")]
#[case::envoy_not_three_sections("envoy/not_three_sections.http")]
#[case::envoy_not_yet_valid("envoy/not_yet_valid.http")]
#[case::envoy_rbac_access_denied("envoy/rbac_access_denied.http")]
#[case::express_jwt_array_body("express_jwt/array_body.http")]
#[case::express_jwt_audience_invalid_demo("express_jwt/audience_invalid_demo.http")]
#[case::express_jwt_audience_invalid_one("express_jwt/audience_invalid_one.http")]
#[case::express_jwt_audience_invalid_two("express_jwt/audience_invalid_two.http")]
#[case::express_jwt_authz_insufficient_scope("express_jwt/authz_insufficient_scope.http")]
#[case::express_jwt_authz_scope_read_from_req_user("express_jwt/authz_scope_read_from_req_user.http")]
#[case::express_jwt_bad_format_code_field("express_jwt/bad_format_code_field.http")]
#[case::express_jwt_body_beats_bare_challenge("express_jwt/body_beats_bare_challenge.http")]
#[case::express_jwt_credentials_bad_format("express_jwt/credentials_bad_format.http")]
#[case::express_jwt_credentials_bad_scheme("express_jwt/credentials_bad_scheme.http")]
#[case::express_jwt_credentials_required("express_jwt/credentials_required.http")]
#[case::express_jwt_errors_array("express_jwt/errors_array.http")]
#[case::express_jwt_expired_default_error_page("express_jwt/expired_default_error_page.http")]
#[case::express_jwt_expired_inner_expired_at("express_jwt/expired_inner_expired_at.http")]
#[case::express_jwt_insufficient_scope_json("express_jwt/insufficient_scope_json.http")]
#[case::express_jwt_interop_api_hs256_only("express_jwt/interop_api_hs256_only.http")]
#[case::express_jwt_interop_api_reads_scp("express_jwt/interop_api_reads_scp.http")]
#[case::express_jwt_interop_es256_at_rs256("express_jwt/interop_es256_at_rs256.http")]
#[case::express_jwt_interop_expired("express_jwt/interop_expired.http")]
#[case::express_jwt_interop_hs256_token("express_jwt/interop_hs256_token.http")]
#[case::express_jwt_interop_no_token("express_jwt/interop_no_token.http")]
#[case::express_jwt_interop_scope_gap("express_jwt/interop_scope_gap.http")]
#[case::express_jwt_interop_tampered("express_jwt/interop_tampered.http")]
#[case::express_jwt_interop_unknown_kid("express_jwt/interop_unknown_kid.http")]
#[case::express_jwt_interop_wrong_audience("express_jwt/interop_wrong_audience.http")]
#[case::express_jwt_interop_wrong_issuer("express_jwt/interop_wrong_issuer.http")]
#[case::express_jwt_interop_wrong_jwks_url("express_jwt/interop_wrong_jwks_url.http")]
#[case::express_jwt_invalid_algorithm_for_alg_none("express_jwt/invalid_algorithm_for_alg_none.http")]
#[case::express_jwt_invalid_signature("express_jwt/invalid_signature.http")]
#[case::express_jwt_invalid_token_three_garbage_segments("express_jwt/invalid_token_three_garbage_segments.http")]
#[case::express_jwt_issuer_invalid("express_jwt/issuer_invalid.http")]
#[case::express_jwt_issuer_invalid_demo("express_jwt/issuer_invalid_demo.http")]
#[case::express_jwt_issuer_url_holds_audience("express_jwt/issuer_url_holds_audience.http")]
#[case::express_jwt_json_string_body("express_jwt/json_string_body.http")]
#[case::express_jwt_jwks_error_401("express_jwt/jwks_error_401.http")]
#[case::express_jwt_jwks_error_default_500_page("express_jwt/jwks_error_default_500_page.http")]
#[case::express_jwt_jwks_no_key_matches("express_jwt/jwks_no_key_matches.http")]
#[case::express_jwt_jwks_rate_limit_500("express_jwt/jwks_rate_limit_500.http")]
#[case::express_jwt_jwks_signing_key_503("express_jwt/jwks_signing_key_503.http")]
#[case::express_jwt_jwks_signing_key_not_found("express_jwt/jwks_signing_key_not_found.http")]
#[case::express_jwt_jwt_expired("express_jwt/jwt_expired.http")]
#[case::express_jwt_jwt_malformed("express_jwt/jwt_malformed.http")]
#[case::express_jwt_jwt_not_active("express_jwt/jwt_not_active.http")]
#[case::express_jwt_jwt_signature_required("express_jwt/jwt_signature_required.http")]
#[case::express_jwt_no_token_text("express_jwt/no_token_text.http")]
#[case::express_jwt_secret_or_public_key_for_hs256("express_jwt/secret_or_public_key_for_hs256.http")]
#[case::express_jwt_secret_or_public_key_text("express_jwt/secret_or_public_key_text.http")]
#[case::express_jwt_unauthorized_error_serialized("express_jwt/unauthorized_error_serialized.http")]
#[case::express_oauth2_jwt_bearer_interop_api_hs256_only("express_oauth2_jwt_bearer/interop_api_hs256_only.http")]
#[case::express_oauth2_jwt_bearer_interop_api_reads_scp("express_oauth2_jwt_bearer/interop_api_reads_scp.http")]
#[case::express_oauth2_jwt_bearer_interop_es256_at_rs256("express_oauth2_jwt_bearer/interop_es256_at_rs256.http")]
#[case::express_oauth2_jwt_bearer_interop_expired("express_oauth2_jwt_bearer/interop_expired.http")]
#[case::express_oauth2_jwt_bearer_interop_hs256_token("express_oauth2_jwt_bearer/interop_hs256_token.http")]
#[case::express_oauth2_jwt_bearer_interop_no_token("express_oauth2_jwt_bearer/interop_no_token.http")]
#[case::express_oauth2_jwt_bearer_interop_scope_gap("express_oauth2_jwt_bearer/interop_scope_gap.http")]
#[case::express_oauth2_jwt_bearer_interop_tampered("express_oauth2_jwt_bearer/interop_tampered.http")]
#[case::express_oauth2_jwt_bearer_interop_unknown_kid("express_oauth2_jwt_bearer/interop_unknown_kid.http")]
#[case::express_oauth2_jwt_bearer_interop_wrong_audience("express_oauth2_jwt_bearer/interop_wrong_audience.http")]
#[case::express_oauth2_jwt_bearer_interop_wrong_issuer("express_oauth2_jwt_bearer/interop_wrong_issuer.http")]
#[case::express_oauth2_jwt_bearer_interop_wrong_jwks_url("express_oauth2_jwt_bearer/interop_wrong_jwks_url.http")]
#[case::fastify_jwt_interop_api_hs256_only("fastify_jwt/interop_api_hs256_only.http")]
#[case::fastify_jwt_interop_api_reads_scp("fastify_jwt/interop_api_reads_scp.http")]
#[case::fastify_jwt_interop_es256_at_rs256("fastify_jwt/interop_es256_at_rs256.http")]
#[case::fastify_jwt_interop_expired("fastify_jwt/interop_expired.http")]
#[case::fastify_jwt_interop_hs256_token("fastify_jwt/interop_hs256_token.http")]
#[case::fastify_jwt_interop_no_token("fastify_jwt/interop_no_token.http")]
#[case::fastify_jwt_interop_scope_gap("fastify_jwt/interop_scope_gap.http")]
#[case::fastify_jwt_interop_tampered("fastify_jwt/interop_tampered.http")]
#[case::fastify_jwt_interop_unknown_kid("fastify_jwt/interop_unknown_kid.http")]
#[case::fastify_jwt_interop_wrong_audience("fastify_jwt/interop_wrong_audience.http")]
#[case::fastify_jwt_interop_wrong_issuer("fastify_jwt/interop_wrong_issuer.http")]
#[case::fastify_jwt_interop_wrong_jwks_url("fastify_jwt/interop_wrong_jwks_url.http")]
#[case::generic_graph_expired_or_not_yet_valid("generic/graph_expired_or_not_yet_valid.http")]
#[case::generic_html_500_title("generic/html_500_title.http")]
#[case::generic_html_entity_in_phrase("generic/html_entity_in_phrase.http")]
#[case::generic_html_h1_before_paragraph("generic/html_h1_before_paragraph.http")]
#[case::generic_invalid_token_text("generic/invalid_token_text.http")]
#[case::generic_jwt_expired_in_a_500("generic/jwt_expired_in_a_500.http")]
#[case::generic_kid_not_found_in_jwks("generic/kid_not_found_in_jwks.http")]
#[case::generic_missing_authorization_header("generic/missing_authorization_header.http")]
#[case::generic_oauth_style_not_active("generic/oauth_style_not_active.http")]
#[case::generic_plain_text_first_line("generic/plain_text_first_line.http")]
#[case::generic_revoked_by_admin("generic/revoked_by_admin.http")]
#[case::generic_unable_to_fetch_jwks_500("generic/unable_to_fetch_jwks_500.http")]
#[case::generic_unrecognized_json("generic/unrecognized_json.http")]
#[case::go_bearer_format("go/bearer_format.http")]
#[case::go_invalid_audience("go/invalid_audience.http")]
#[case::go_invalid_issuer("go/invalid_issuer.http")]
#[case::go_invalid_number_of_segments("go/invalid_number_of_segments.http")]
#[case::go_keyfunc_error("go/keyfunc_error.http")]
#[case::go_no_token_present("go/no_token_present.http")]
#[case::go_not_valid_yet("go/not_valid_yet.http")]
#[case::go_signature_verification_error("go/signature_verification_error.http")]
#[case::go_signing_method_hs256("go/signing_method_hs256.http")]
#[case::go_signing_method_rs256("go/signing_method_rs256.http")]
#[case::go_token_expired("go/token_expired.http")]
#[case::go_token_malformed("go/token_malformed.http")]
#[case::go_v5_empty_key_set("go/v5_empty_key_set.http")]
#[case::go_v5_expired_and_audience("go/v5_expired_and_audience.http")]
#[case::go_v5_hmac_key_type("go/v5_hmac_key_type.http")]
#[case::go_v5_invalid_type_for_claim("go/v5_invalid_type_for_claim.http")]
#[case::go_v5_keyfunc_kid_unknown("go/v5_keyfunc_kid_unknown.http")]
#[case::go_v5_none_not_allowed("go/v5_none_not_allowed.http")]
#[case::go_v5_not_valid_yet("go/v5_not_valid_yet.http")]
#[case::go_v5_required_claim_missing("go/v5_required_claim_missing.http")]
#[case::go_v5_rsa_verification_error("go/v5_rsa_verification_error.http")]
#[case::go_v5_signing_method_not_valid("go/v5_signing_method_not_valid.http")]
#[case::go_v5_used_before_issued("go/v5_used_before_issued.http")]
#[case::hapi_auth_jwt2_expired("hapi_auth_jwt2/expired.http")]
#[case::hapi_auth_jwt2_hs256_token_500("hapi_auth_jwt2/hs256_token_500.http")]
#[case::hapi_auth_jwt2_insufficient_scope("hapi_auth_jwt2/insufficient_scope.http")]
#[case::hapi_auth_jwt2_invalid_token_format("hapi_auth_jwt2/invalid_token_format.http")]
#[case::hapi_auth_jwt2_no_token("hapi_auth_jwt2/no_token.http")]
#[case::hapi_auth_jwt2_tampered_signature("hapi_auth_jwt2/tampered_signature.http")]
#[case::hapi_auth_jwt2_unknown_kid_500("hapi_auth_jwt2/unknown_kid_500.http")]
#[case::hapi_auth_jwt2_wrong_audience("hapi_auth_jwt2/wrong_audience.http")]
#[case::hapi_auth_jwt2_wrong_issuer("hapi_auth_jwt2/wrong_issuer.http")]
#[case::koa_jwt_debug_hs256_token("koa_jwt/debug_hs256_token.http")]
#[case::koa_jwt_debug_interop_api_hs256_only("koa_jwt/debug_interop_api_hs256_only.http")]
#[case::koa_jwt_debug_interop_es256_at_rs256("koa_jwt/debug_interop_es256_at_rs256.http")]
#[case::koa_jwt_debug_interop_expired("koa_jwt/debug_interop_expired.http")]
#[case::koa_jwt_debug_interop_hs256_token("koa_jwt/debug_interop_hs256_token.http")]
#[case::koa_jwt_debug_interop_no_token("koa_jwt/debug_interop_no_token.http")]
#[case::koa_jwt_debug_interop_tampered("koa_jwt/debug_interop_tampered.http")]
#[case::koa_jwt_debug_interop_unknown_kid("koa_jwt/debug_interop_unknown_kid.http")]
#[case::koa_jwt_debug_interop_wrong_audience("koa_jwt/debug_interop_wrong_audience.http")]
#[case::koa_jwt_debug_interop_wrong_issuer("koa_jwt/debug_interop_wrong_issuer.http")]
#[case::koa_jwt_debug_interop_wrong_jwks_url("koa_jwt/debug_interop_wrong_jwks_url.http")]
#[case::koa_jwt_debug_no_token("koa_jwt/debug_no_token.http")]
#[case::koa_jwt_debug_unknown_kid("koa_jwt/debug_unknown_kid.http")]
#[case::koa_jwt_debug_wrong_audience("koa_jwt/debug_wrong_audience.http")]
#[case::koa_jwt_interop_api_hs256_only("koa_jwt/interop_api_hs256_only.http")]
#[case::koa_jwt_interop_es256_at_rs256("koa_jwt/interop_es256_at_rs256.http")]
#[case::koa_jwt_interop_expired("koa_jwt/interop_expired.http")]
#[case::koa_jwt_interop_hs256_token("koa_jwt/interop_hs256_token.http")]
#[case::koa_jwt_interop_no_token("koa_jwt/interop_no_token.http")]
#[case::koa_jwt_interop_tampered("koa_jwt/interop_tampered.http")]
#[case::koa_jwt_interop_unknown_kid("koa_jwt/interop_unknown_kid.http")]
#[case::koa_jwt_interop_wrong_audience("koa_jwt/interop_wrong_audience.http")]
#[case::koa_jwt_interop_wrong_issuer("koa_jwt/interop_wrong_issuer.http")]
#[case::koa_jwt_interop_wrong_jwks_url("koa_jwt/interop_wrong_jwks_url.http")]
#[case::kong_bad_token_invalid_alg("kong/bad_token_invalid_alg.http")]
#[case::kong_bad_token_invalid_json("kong/bad_token_invalid_json.http")]
#[case::kong_exp_token_expired("kong/exp_token_expired.http")]
#[case::kong_invalid_algorithm("kong/invalid_algorithm.http")]
#[case::kong_invalid_key_secret("kong/invalid_key_secret.http")]
#[case::kong_invalid_signature("kong/invalid_signature.http")]
#[case::kong_nbf_not_valid_yet("kong/nbf_not_valid_yet.http")]
#[case::kong_no_credentials_for_iss("kong/no_credentials_for_iss.http")]
#[case::kong_no_credentials_for_kid("kong/no_credentials_for_kid.http")]
#[case::kong_no_mandatory_custom_claim("kong/no_mandatory_custom_claim.http")]
#[case::kong_no_mandatory_iss("kong/no_mandatory_iss.http")]
#[case::kong_no_token_unauthorized("kong/no_token_unauthorized.http")]
#[case::kong_token_unauthorized_names_nothing("kong/token_unauthorized_names_nothing.http")]
#[case::nginx_invalid_token("nginx/invalid_token.http")]
#[case::nginx_no_token("nginx/no_token.http")]
#[case::nginx_require_failed_403("nginx/require_failed_403.http")]
#[case::passport_jwt_custom_callback_expired("passport_jwt/custom_callback_expired.http")]
#[case::passport_jwt_custom_callback_unknown_kid("passport_jwt/custom_callback_unknown_kid.http")]
#[case::passport_jwt_custom_callback_wrong_issuer("passport_jwt/custom_callback_wrong_issuer.http")]
#[case::passport_jwt_expired("passport_jwt/expired.http")]
#[case::passport_jwt_hs256_token("passport_jwt/hs256_token.http")]
#[case::passport_jwt_no_token("passport_jwt/no_token.http")]
#[case::passport_jwt_tampered_signature("passport_jwt/tampered_signature.http")]
#[case::passport_jwt_unknown_kid("passport_jwt/unknown_kid.http")]
#[case::passport_jwt_wrong_audience("passport_jwt/wrong_audience.http")]
#[case::passport_jwt_wrong_issuer("passport_jwt/wrong_issuer.http")]
#[case::pyjwt_interop_api_hs256_only("pyjwt/interop_api_hs256_only.http")]
#[case::pyjwt_interop_api_reads_scp("pyjwt/interop_api_reads_scp.http")]
#[case::pyjwt_interop_es256_at_rs256("pyjwt/interop_es256_at_rs256.http")]
#[case::pyjwt_interop_expired("pyjwt/interop_expired.http")]
#[case::pyjwt_interop_hs256_token("pyjwt/interop_hs256_token.http")]
#[case::pyjwt_interop_no_token("pyjwt/interop_no_token.http")]
#[case::pyjwt_interop_scope_gap("pyjwt/interop_scope_gap.http")]
#[case::pyjwt_interop_tampered("pyjwt/interop_tampered.http")]
#[case::pyjwt_interop_unknown_kid("pyjwt/interop_unknown_kid.http")]
#[case::pyjwt_interop_wrong_audience("pyjwt/interop_wrong_audience.http")]
#[case::pyjwt_interop_wrong_issuer("pyjwt/interop_wrong_issuer.http")]
#[case::pyjwt_interop_wrong_jwks_url("pyjwt/interop_wrong_jwks_url.http")]
#[case::rfc6750_bare_challenge_realm_no_token("rfc6750/bare_challenge_realm_no_token.http")]
#[case::rfc6750_bare_challenge_with_token("rfc6750/bare_challenge_with_token.http")]
#[case::rfc6750_example_access_token_expired("rfc6750/example_access_token_expired.http")]
#[case::rfc6750_insufficient_scope_code_unhelpful_body("rfc6750/insufficient_scope_code_unhelpful_body.http")]
#[case::rfc6750_invalid_token_bare("rfc6750/invalid_token_bare.http")]
#[case::rfc6750_invalid_token_unusual_description("rfc6750/invalid_token_unusual_description.http")]
#[case::spring_another_algorithm_expected("spring/another_algorithm_expected.http")]
#[case::spring_aud_claim_not_equal("spring/aud_claim_not_equal.http")]
#[case::spring_aud_claim_not_valid("spring/aud_claim_not_valid.http")]
#[case::spring_base64url_parts("spring/base64url_parts.http")]
#[case::spring_basic_header_is_no_token("spring/basic_header_is_no_token.http")]
#[case::spring_bearer_token_malformed("spring/bearer_token_malformed.http")]
#[case::spring_expired_at_challenge_outranks_body("spring/expired_at_challenge_outranks_body.http")]
#[case::spring_full_authentication_required("spring/full_authentication_required.http")]
#[case::spring_insufficient_scope("spring/insufficient_scope.http")]
#[case::spring_invalid_header_json("spring/invalid_header_json.http")]
#[case::spring_invalid_jwt_serialization("spring/invalid_jwt_serialization.http")]
#[case::spring_invalid_signature("spring/invalid_signature.http")]
#[case::spring_iss_claim("spring/iss_claim.http")]
#[case::spring_jwt_expired_at("spring/jwt_expired_at.http")]
#[case::spring_jwt_used_before("spring/jwt_used_before.http")]
#[case::spring_malformed_payload("spring/malformed_payload.http")]
#[case::spring_malformed_token("spring/malformed_token.http")]
#[case::spring_no_token_bare_challenge("spring/no_token_bare_challenge.http")]
#[case::spring_problem_detail_expired("spring/problem_detail_expired.http")]
#[case::spring_rfc_insufficient_scope_description("spring/rfc_insufficient_scope_description.http")]
#[case::spring_unsupported_algorithm_none("spring/unsupported_algorithm_none.http")]
fn reads_the_captured_answer(#[case] path: &str) {
    let text = std::fs::read_to_string(fixtures_dir().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let fixture = parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    for required in ["kind", "dialect"] {
        assert!(fixture.expect.iter().any(|(k, _)| k == required), "{path}: no `# {required}:` line");
    }
    let challenge = bearer(&fixture.www_authenticate);
    let verdict =
        interpret_answer(fixture.status, challenge.as_ref(), &fixture.headers, &fixture.body, fixture.sent_token);
    let json = serde_json::to_value(&verdict).unwrap_or_default();
    for (key, want) in &fixture.expect {
        let got = match key.as_str() {
            "kind" => &json["reason"]["kind"],
            "dialect" | "source" | "message" => &json[key.as_str()],
            field => &json["reason"][field],
        };
        assert_eq!(shown(got), *want, "{path}: {key} (verdict: {json})");
    }
}

/// A fixture nobody listed above would never run: every file must be a case.
#[test]
fn every_fixture_file_is_a_case() {
    let listed = include_str!("server_messages.rs");
    let mut files = 0;
    for dir in std::fs::read_dir(fixtures_dir()).into_iter().flatten().flatten() {
        for file in std::fs::read_dir(dir.path()).into_iter().flatten().flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".http") {
                continue;
            }
            files += 1;
            let dialect = dir.file_name().to_string_lossy().into_owned();
            let path = format!("{dialect}/{name}");
            let stem = name.trim_end_matches(".http");
            let case = format!("#[case::{dialect}_{stem}(\"{path}\")]");
            assert!(listed.contains(&case), "add {case} to tests/server_messages.rs");
        }
    }
    assert!(files > 0, "no fixtures found under {}", fixtures_dir().display());
}
