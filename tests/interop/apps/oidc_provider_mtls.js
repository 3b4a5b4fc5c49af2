// oidc-provider (npm, pinned) with mTLS (RFC 8705) behind its own https server on loopback: the
// server asks every connection for a client certificate (without requiring one), and three
// clients use it: tls_client_auth (a certificate of the test CA with the registered subject),
// self_signed_tls_client_auth (a self-signed certificate registered in its JWKS as x5c), and a
// client_secret_basic client whose access tokens are certificate-bound (cnf.x5t#S256).
// The TLS material is made per run by the runner (tests/interop/oidcp_mtls.py) in CERT_DIR.
//   node apps/oidc_provider_mtls.js CERT_DIR [PORT]   (0 = any free port)
'use strict';
const https = require('node:https');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

// The API its JWT access tokens are for (the mTLS API app checks this audience).
const RESOURCE = 'https://mtls-api.interop.example/';
const SCOPES = ['order:read', 'order:write'];
// The subject the runner gives the tls_client_auth client's certificate, in RFC 4514 form
// (RFC 8705 §2.1.2); a certificate of the same CA with another subject must be refused.
const SUBJECT_DN = 'CN=oidcp-mtls,O=tokdbg interop';

function certificateDir() {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node apps/oidc_provider_mtls.js CERT_DIR [PORT]');
    process.exit(2);
  }
  return dir;
}

// RFC 4514 writes the RDNs last-first, one per comma; node lists them first-last, one a line.
// The test certificates have single-valued RDNs without characters that need escaping.
function rfc4514(subject) {
  return subject.split('\n').reverse().join(',');
}

// The peer certificate of this request's TLS connection as PEM, or undefined when the client
// sent none (getPeerCertificate answers an empty object then).
function peerCertificatePem(ctx) {
  const socket = ctx.socket;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const peer = socket.getPeerCertificate();
  if (!peer || !peer.raw) return undefined;
  const body = peer.raw.toString('base64').match(/.{1,64}/g).join('\n');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

function clients(dir) {
  // self_signed_tls_client_auth registers the certificate itself: its public key as a JWK
  // with the DER in x5c (oidc-provider matches the x5t#S256 of x5c[0]).
  const selfSigned = new crypto.X509Certificate(fs.readFileSync(path.join(dir, 'self-signed.pem')));
  const selfSignedJwk = { ...selfSigned.publicKey.export({ format: 'jwk' }), x5c: [selfSigned.raw.toString('base64')] };
  const base = { grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: 'order:read' };
  return [
    { ...base, client_id: 'oidcp-mtls', token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: SUBJECT_DN },
    {
      ...base,
      client_id: 'oidcp-mtls-self-signed',
      token_endpoint_auth_method: 'self_signed_tls_client_auth',
      jwks: { keys: [selfSignedJwk] },
    },
    {
      ...base,
      client_id: 'oidcp-mtls-bound',
      token_endpoint_auth_method: 'client_secret_basic',
      client_secret: 'oidcp-mtls-bound-secret',
      tls_client_certificate_bound_access_tokens: true,
    },
  ];
}

async function main() {
  const { default: Provider, errors } = await import('oidc-provider');
  const dir = certificateDir();
  const port = Number(process.argv[3] ?? '0');
  const ca = fs.readFileSync(path.join(dir, 'ca.pem'));
  // requestCert without rejectUnauthorized: every connection is asked for a certificate, none
  // is refused at the handshake, so oidc-provider itself answers (invalid_client, a missing
  // certificate); socket.authorized then says whether the test CA issued it.
  const server = https.createServer({
    key: fs.readFileSync(path.join(dir, 'server.key')),
    cert: fs.readFileSync(path.join(dir, 'server.pem')),
    ca,
    requestCert: true,
    rejectUnauthorized: false,
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `https://127.0.0.1:${server.address().port}`;

  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signing = { ...privateKey.export({ format: 'jwk' }), kid: 'interop-oidcp-mtls-1', alg: 'RS256', use: 'sig' };

  const provider = new Provider(issuer, {
    clients: clients(dir),
    jwks: { keys: [signing] },
    scopes: SCOPES,
    // The mTLS methods are offered only when listed here (and in discovery then).
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'tls_client_auth', 'self_signed_tls_client_auth'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        tlsClientAuth: true,
        selfSignedTlsClientAuth: true,
        getCertificate: peerCertificatePem,
        certificateAuthorized: (ctx) => ctx.socket.authorized === true,
        certificateSubjectMatches: (ctx, property, expected) => {
          if (property !== 'tls_client_auth_subject_dn') return false;
          const pem = peerCertificatePem(ctx);
          return Boolean(pem) && rfc4514(new crypto.X509Certificate(pem).subject) === expected;
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resource) => {
          if (resource !== RESOURCE) throw new errors.InvalidTarget();
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
  console.log(`interop oidc_provider_mtls issuer listening ${issuer}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
