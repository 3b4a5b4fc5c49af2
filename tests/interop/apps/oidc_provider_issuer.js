// oidc-provider (npm, pinned) as a second real issuer on loopback: client_credentials on, one
// resource indicator (and a second API's) for which it mints RS256 JWT access tokens, and six clients: one per
// secret method, one without the client_credentials grant, one whose requests name no resource, so that
// its access tokens are opaque (reference) ones, explained by introspection and revocable, and one per
// client assertion method (private_key_jwt with the public half of a committed test key; client_secret_jwt).
//   node apps/oidc_provider_issuer.js [PORT]   (0 = any free port)
'use strict';
const http = require('node:http');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

// The API the tokens are for, and another one (a token for it is the wrong audience at the
// first); resource indicators must be absolute URIs.
const RESOURCE = 'https://api.interop.example/';
const OTHER_RESOURCE = 'https://other-api.interop.example/';
const SCOPES = ['order:read', 'order:write'];

// Each client's secret is its id + "-secret", as in the demo issuer's profiles.
const CLIENTS = [
  { client_id: 'oidcp-basic', token_endpoint_auth_method: 'client_secret_basic', scope: 'order:read order:write' },
  { client_id: 'oidcp-post', token_endpoint_auth_method: 'client_secret_post', scope: 'order:read' },
  {
    client_id: 'oidcp-no-grant',
    token_endpoint_auth_method: 'client_secret_post',
    scope: 'order:read',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: ['http://127.0.0.1/callback'],
  },
  { client_id: 'oidcp-opaque', token_endpoint_auth_method: 'client_secret_basic', scope: 'order:read' },
  // RFC 9449: every token of this client must be DPoP-bound (a proof on each token request).
  { client_id: 'oidcp-dpop', token_endpoint_auth_method: 'client_secret_post', scope: 'order:read', dpop_bound_access_tokens: true },
].map((c) => ({ grant_types: ['client_credentials'], response_types: [], redirect_uris: [], ...c, client_secret: `${c.client_id}-secret` }));

// The client assertion methods. The private_key_jwt client registers the public half of a
// committed test fixture (tokdbg signs with its private half); the client_secret_jwt one a
// secret long enough for HS256 (RFC 7518 §3.2: at least the hash size).
const ASSERTION_KEY = path.join(__dirname, '../../fixtures/client_keys/rsa-pkcs8.pem');
const publicJwk = { ...crypto.createPublicKey(fs.readFileSync(ASSERTION_KEY)).export({ format: 'jwk' }), use: 'sig' };
CLIENTS.push(
  {
    client_id: 'oidcp-pkjwt',
    token_endpoint_auth_method: 'private_key_jwt',
    jwks: { keys: [publicJwk] },
    scope: 'order:read',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  },
  {
    client_id: 'oidcp-csjwt',
    token_endpoint_auth_method: 'client_secret_jwt',
    client_secret: 'oidcp-csjwt-secret-long-enough-for-hs256-assertions',
    scope: 'order:read',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  },
);

async function main() {
  const { default: Provider, errors } = await import('oidc-provider');
  const port = Number(process.argv[2] ?? '0');
  // The issuer URL needs the port, so the server listens before the provider exists.
  const server = http.createServer();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;

  // A fresh signing key each run: tokdbg reads it from the JWKS like any API would.
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signing = { ...privateKey.export({ format: 'jwk' }), kid: 'interop-oidcp-1', alg: 'RS256', use: 'sig' };

  const provider = new Provider(issuer, {
    clients: CLIENTS,
    jwks: { keys: [signing] },
    scopes: SCOPES,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // RFC 7662 and RFC 7009, both with client authentication (at /token/introspection and
      // /token/revocation, named in discovery).
      introspection: { enabled: true },
      revocation: { enabled: true },
      // DPoP with server nonces required, so tokdbg's use_dpop_nonce retry is exercised; it only
      // changes requests that carry a DPoP proof.
      dPoP: { enabled: true, nonceSecret: crypto.randomBytes(32), requireNonce: () => true },
      resourceIndicators: {
        enabled: true,
        // No resource for the opaque client: oidc-provider then issues a reference token.
        defaultResource: (ctx, client) => (client && client.clientId === 'oidcp-opaque' ? undefined : RESOURCE),
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resource) => {
          if (resource !== RESOURCE && resource !== OTHER_RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: SCOPES.join(' '),
            audience: resource,
            accessTokenTTL: 300,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  });
  server.on('request', provider.callback());
  // The runner waits for this exact line to learn the issuer.
  console.log(`interop oidc_provider issuer listening ${issuer}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
