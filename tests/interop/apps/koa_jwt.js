// koa + koa-jwt + jwks-rsa with koa-jwt's defaults (debug off: every failure is "Authentication Error"),
// or, with KOA_JWT_DEBUG=1 (apps/koa_jwt_debug.js), `debug: true`: jsonwebtoken's own messages.
'use strict';
const Koa = require('koa');
const compose = require('koa-compose');
const koaJwt = require('koa-jwt');
const jwksRsa = require('jwks-rsa');
const { settings, routes, announce } = require('./common');

const s = settings();
const debug = process.env.KOA_JWT_DEBUG === '1';
const handlers = new Map();
for (const r of routes(s)) {
  const c = r.config;
  const secret = c.secret ?? jwksRsa.koaJwtSecret({ jwksUri: c.jwksUri, cache: true, rateLimit: false });
  const guard = koaJwt({ secret, issuer: c.issuer, audience: c.audience, algorithms: c.algorithms, debug });
  // koa-jwt checks no scopes; apps add a few lines like these.
  const scopes = async (ctx, next) => {
    const claim = ctx.state.user[r.scopeClaim];
    const granted = Array.isArray(claim) ? claim : String(claim ?? '').split(' ');
    ctx.assert(granted.includes(r.scope), 403, 'Insufficient scope');
    await next();
  };
  const ok = async (ctx) => {
    ctx.body = { ok: true, path: r.path };
  };
  handlers.set(`${r.method} ${r.path}`, compose([guard, scopes, ok]));
}
const app = new Koa();
app.use(async (ctx, next) => {
  const handler = handlers.get(`${ctx.method} ${ctx.path}`);
  if (handler) {
    await handler(ctx, next);
  }
});
const server = app.listen(s.port, '127.0.0.1', () => announce(debug ? 'koa_jwt_debug' : 'koa_jwt', server.address().port));
