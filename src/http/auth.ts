/**
 * Bearer-key authentication and the route's access rule, before any handler runs. Every check
 * reads the database (no cache), so a revoked key or token is refused at once by every process.
 */
import type { FastifyInstance } from 'fastify';
import type { Ordo } from '../engine/ordo.js';
import type { Principal } from '../engine/api-key-service.js';
import { httpProblem } from './problems.js';
import './context.js';

export function registerAuth(app: FastifyInstance, ordo: Ordo): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access ?? 'public';
    if (access === 'public') return;
    const header = request.headers.authorization;
    const key = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!key) return httpProblem(reply.header('www-authenticate', 'Bearer'), 401, 'unauthorized', 'send an API key as Authorization: Bearer <key>');
    const principal: Principal | undefined = await ordo.apiKeys.authenticate(key);
    if (!principal) return httpProblem(reply.header('www-authenticate', 'Bearer error="invalid_token"'), 401, 'unauthorized', 'the API key is not valid');
    if (access === 'admin' && principal.role !== 'admin') return httpProblem(reply, 403, 'forbidden', 'this needs an admin key');
    if (access === 'storefront' && principal.role === 'customer') return httpProblem(reply, 403, 'forbidden', 'this needs a storefront or admin key, not a customer token');
    request.principal = principal;
  });
}

export const principalOf = (principal: Principal | undefined): Principal => {
  if (!principal) throw new Error('route reached without authentication');
  return principal;
};

export const actorOf = (principal: Principal | undefined) => {
  if (!principal) throw new Error('route reached without authentication');
  return principal.actor;
};
