// fastify + @fastify/jwt + get-jwks, as get-jwks's README wires them; fastify's default error answers.
'use strict';
const Fastify = require('fastify');
const fastifyJwt = require('@fastify/jwt');
const buildGetJwks = require('get-jwks');
const { settings, routes, announce } = require('./common');

const s = settings();
const app = Fastify({ logger: false });
for (const r of routes(s)) {
  const c = r.config;
  // Each route is its own encapsulated plugin, so each gets its own @fastify/jwt settings.
  app.register(async (scope) => {
    let secret = c.secret;
    if (!secret) {
      // get-jwks fetches `${domain}/.well-known/jwks.json`; the domain is where this API thinks the keys are.
      const domain = c.jwksUri.replace(/\.well-known\/jwks\.json$/, '');
      const getJwks = buildGetJwks();
      secret = (request, token) => getJwks.getPublicKey({ kid: token.header.kid, alg: token.header.alg, domain });
    }
    scope.register(fastifyJwt, {
      secret,
      decode: { complete: true },
      verify: { allowedIss: c.issuer, allowedAud: c.audience, algorithms: c.algorithms },
    });
    scope.route({
      method: r.method,
      url: r.path,
      onRequest: async (request, reply) => {
        await request.jwtVerify();
        const claim = request.user[r.scopeClaim];
        const granted = Array.isArray(claim) ? claim : String(claim ?? '').split(' ');
        if (!granted.includes(r.scope)) {
          reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: `Insufficient scope: ${r.scope} required` });
        }
      },
      handler: async () => ({ ok: true, path: r.path }),
    });
  });
}
app.listen({ port: s.port, host: '127.0.0.1' }).then(() => announce('fastify_jwt', app.server.address().port));
