// express-jwt 8 + jwks-rsa + express-jwt-authz, set up as their READMEs show, on loopback.
'use strict';
const express = require('express');
const { expressjwt } = require('express-jwt');
const jwksRsa = require('jwks-rsa');
const jwtAuthz = require('express-jwt-authz');
const { settings, routes, announce } = require('./common');

const s = settings();
const app = express();
for (const r of routes(s)) {
  const c = r.config;
  const secret = c.secret ?? jwksRsa.expressJwtSecret({ jwksUri: c.jwksUri, cache: true, rateLimit: false });
  const guard = expressjwt({ secret, issuer: c.issuer, audience: c.audience, algorithms: c.algorithms });
  // express-jwt 8 puts the claims on req.auth; express-jwt-authz reads req.user unless told.
  const authz = jwtAuthz([r.scope], { customUserKey: 'auth', customScopeKey: r.scopeClaim });
  app[r.method.toLowerCase()](r.path, guard, authz, (req, res) => res.json({ ok: true, path: r.path }));
}
// The error handler of express-jwt's README, answering with the error's own code and message.
app.use((err, req, res, next) => {
  if (err.name === 'UnauthorizedError') {
    res.status(err.status).json({ error: err.code, message: err.message });
  } else {
    next(err);
  }
});
const server = app.listen(s.port, '127.0.0.1', () => announce('express_jwt', server.address().port));
