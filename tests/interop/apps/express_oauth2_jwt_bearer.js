// express-oauth2-jwt-bearer (Auth0's SDK), with its own error answers (Express's default handler).
'use strict';
const express = require('express');
const { auth, requiredScopes, claimIncludes } = require('express-oauth2-jwt-bearer');
const { settings, routes, announce } = require('./common');

const s = settings();
const app = express();
for (const r of routes(s)) {
  const c = r.config;
  const guard = c.secret
    ? auth({ issuer: c.issuer, audience: c.audience, secret: c.secret, tokenSigningAlg: 'HS256' })
    : auth({ issuer: c.issuer, audience: c.audience, jwksUri: c.jwksUri, tokenSigningAlg: 'RS256' });
  // requiredScopes reads `scope`; an API that looks for `scp` uses claimIncludes.
  const scopes = r.scopeClaim === 'scope' ? requiredScopes(r.scope) : claimIncludes(r.scopeClaim, r.scope);
  app[r.method.toLowerCase()](r.path, guard, scopes, (req, res) => res.json({ ok: true, path: r.path }));
}
const server = app.listen(s.port, '127.0.0.1', () => announce('express_oauth2_jwt_bearer', server.address().port));
