// express + passport + passport-jwt + jwks-rsa with passport-jwt's defaults (jsonwebtoken's:
// no leeway, exp optional, iat not compared with the clock). Used by the presets section
// (presets.py), which sends it tokens with chosen times; only the correct route is mounted.
'use strict';
const express = require('express');
const passport = require('passport');
const { Strategy: JwtStrategy, ExtractJwt } = require('passport-jwt');
const jwksRsa = require('jwks-rsa');
const { settings, routes, announce } = require('./common');

const s = settings();
const app = express();
const r = routes(s).find((route) => route.path === '/api/protected');
const c = r.config;
passport.use(
  new JwtStrategy(
    {
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: jwksRsa.passportJwtSecret({ jwksUri: c.jwksUri, cache: true, rateLimit: false }),
      issuer: c.issuer,
      audience: c.audience,
      algorithms: c.algorithms,
    },
    (claims, done) => done(null, claims),
  ),
);
app.use(passport.initialize());
// passport-jwt checks no scopes; apps add a few lines like these.
app.get(r.path, passport.authenticate('jwt', { session: false }), (req, res) => {
  const claim = req.user[r.scopeClaim];
  const granted = Array.isArray(claim) ? claim : String(claim ?? '').split(' ');
  if (!granted.includes(r.scope)) {
    return res.status(403).json({ message: 'Insufficient scope' });
  }
  res.json({ ok: true, path: r.path });
});
const server = app.listen(s.port, '127.0.0.1', () => announce('passport_jwt', server.address().port));
