// The configuration every interop API shares: where the demo issuer is, and the routes
// each stack mounts (the correct one and its misconfigured copies).
'use strict';

// The issuer URL comes first on the command line, then the port (0 = any free one).
function settings() {
  const [issuer, port = '0'] = process.argv.slice(2);
  if (!issuer) {
    console.error('usage: node <app>.js ISSUER_URL [PORT]');
    process.exit(2);
  }
  const origin = new URL(issuer).origin;
  return {
    issuer,
    port: Number(port),
    // Another issuer (oidc-provider) names its own audience and JWKS path through these.
    audience: process.env.INTEROP_AUDIENCE || 'demo-app',
    jwksUri: process.env.INTEROP_JWKS_URI || `${issuer}/.well-known/jwks.json`,
    // Each misconfigured copy changes exactly one setting, the way a slip in a config file would.
    wrongIssuer: `${origin}/odic`,
    wrongAudience: 'https://api.example.com',
    wrongJwksUri: `${origin}/.well-known/jwks.json`,
    sharedSecret: 'interop-hs256-shared-secret-of-32-bytes!',
  };
}

// Path → (settings override, scope claim, required scope), for every route a stack serves.
function routes(s) {
  const base = { issuer: s.issuer, audience: s.audience, jwksUri: s.jwksUri, algorithms: ['RS256'] };
  return [
    { method: 'GET', path: '/api/protected', config: base, scopeClaim: 'scope', scope: 'order:read' },
    { method: 'POST', path: '/api/orders', config: base, scopeClaim: 'scope', scope: 'order:write' },
    { method: 'GET', path: '/api/misconfigured/issuer', config: { ...base, issuer: s.wrongIssuer }, scopeClaim: 'scope', scope: 'order:read' },
    { method: 'GET', path: '/api/misconfigured/audience', config: { ...base, audience: s.wrongAudience }, scopeClaim: 'scope', scope: 'order:read' },
    { method: 'GET', path: '/api/misconfigured/hs256', config: { ...base, algorithms: ['HS256'], secret: s.sharedSecret }, scopeClaim: 'scope', scope: 'order:read' },
    { method: 'GET', path: '/api/misconfigured/jwks', config: { ...base, jwksUri: s.wrongJwksUri }, scopeClaim: 'scope', scope: 'order:read' },
    { method: 'GET', path: '/api/misconfigured/scp', config: base, scopeClaim: 'scp', scope: 'order:read' },
  ];
}

// The runner waits for this exact line to learn the port.
function announce(stack, port) {
  console.log(`interop ${stack} listening http://127.0.0.1:${port}`);
}

module.exports = { settings, routes, announce };
