// A resource server for certificate-bound tokens (RFC 8705 §3) on loopback https: it asks for a
// client certificate, verifies the RS256 JWT access token against the mTLS issuer's JWKS (issuer,
// audience, expiry) with node's own crypto, and checks the token's cnf.x5t#S256 against the
// certificate presented on the connection; then the order:read scope.
//   node apps/mtls_api.js ISSUER_URL CERT_DIR [PORT]   (0 = any free port)
'use strict';
const https = require('node:https');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const AUDIENCE = 'https://mtls-api.interop.example/';
const REQUIRED_SCOPE = 'order:read';

const [issuer, dir, port = '0'] = process.argv.slice(2);
if (!issuer || !dir) {
  console.error('usage: node apps/mtls_api.js ISSUER_URL CERT_DIR [PORT]');
  process.exit(2);
}
const ca = fs.readFileSync(path.join(dir, 'ca.pem'));

// The issuer's keys, fetched over https trusting the test CA, at most once every 10 s.
let jwks = { at: 0, keys: [] };
function fetchJwks() {
  return new Promise((resolve, reject) => {
    const req = https.get(`${issuer}/jwks`, { ca, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => {
        try {
          resolve(JSON.parse(body).keys || []);
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('JWKS request timed out')));
    req.on('error', reject);
  });
}

async function keyFor(kid) {
  if (!jwks.keys.some((k) => k.kid === kid) && Date.now() - jwks.at > 10000) {
    jwks = { at: Date.now(), keys: await fetchJwks() };
  }
  const jwk = jwks.keys.find((k) => k.kid === kid);
  return jwk && crypto.createPublicKey({ key: jwk, format: 'jwk' });
}

function b64json(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

// The token's claims, or an Error whose message is the reason it is refused.
async function verify(token) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('jwt malformed');
  const header = b64json(parts[0]);
  const claims = b64json(parts[1]);
  if (header.alg !== 'RS256') throw new Error('invalid algorithm');
  const key = await keyFor(header.kid);
  if (!key) throw new Error('no key in the JWKS for this kid');
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  if (!crypto.verify('RSA-SHA256', signed, key, Buffer.from(parts[2], 'base64url'))) throw new Error('invalid signature');
  if (claims.iss !== issuer) throw new Error('unexpected "iss" claim value');
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(AUDIENCE)) throw new Error('unexpected "aud" claim value');
  if (typeof claims.exp !== 'number' || claims.exp <= Date.now() / 1000) throw new Error('"exp" claim timestamp check failed');
  return claims;
}

// RFC 8705 §3.1: base64url SHA-256 of the DER of the certificate presented.
function presentedThumbprint(socket) {
  const peer = socket.getPeerCertificate();
  return peer && peer.raw ? crypto.createHash('sha256').update(peer.raw).digest('base64url') : undefined;
}

function answer(res, status, body, challenge) {
  const headers = { 'Content-Type': 'application/json' };
  if (challenge) headers['WWW-Authenticate'] = challenge;
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}

function refuse(res, status, error, description) {
  const challenge = error
    ? `Bearer realm="interop-mtls", error="${error}", error_description="${description}"`
    : 'Bearer realm="interop-mtls"';
  answer(res, status, error ? { error, error_description: description } : { error: 'unauthorized' }, challenge);
}

async function handle(req, res) {
  if (req.method !== 'GET' || req.url !== '/api/protected') return answer(res, 404, { error: 'not_found' });
  const [scheme, token] = (req.headers.authorization || '').split(' ');
  if (!/^bearer$/i.test(scheme || '') || !token) return refuse(res, 401);
  let claims;
  try {
    claims = await verify(token);
  } catch (err) {
    return refuse(res, 401, 'invalid_token', err.message);
  }
  const bound = claims.cnf && claims.cnf['x5t#S256'];
  if (bound) {
    const presented = presentedThumbprint(req.socket);
    if (!presented) return refuse(res, 401, 'invalid_token', 'certificate-bound token presented without a client certificate');
    if (presented !== bound) return refuse(res, 401, 'invalid_token', 'client certificate does not match the token cnf x5t#S256');
  }
  const scopes = String(claims.scope || '').split(' ');
  if (!scopes.includes(REQUIRED_SCOPE)) return refuse(res, 403, 'insufficient_scope', `scope ${REQUIRED_SCOPE} required`);
  return answer(res, 200, { ok: true, client_id: claims.client_id, bound: Boolean(bound) });
}

const server = https.createServer({
  key: fs.readFileSync(path.join(dir, 'server.key')),
  cert: fs.readFileSync(path.join(dir, 'server.pem')),
  ca,
  requestCert: true,
  rejectUnauthorized: false,
});
server.on('request', (req, res) => {
  handle(req, res).catch((err) => answer(res, 500, { error: 'server_error', error_description: err.message }));
});
server.listen(Number(port), '127.0.0.1', () => {
  // The runner waits for this exact line to learn the port.
  console.log(`interop mtls_api listening https://127.0.0.1:${server.address().port}`);
});
