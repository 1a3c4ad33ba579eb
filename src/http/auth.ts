/**
 * Bearer-key authentication and the route's access rule, before any handler runs. Every check
 * reads the database, so a revoked key or token is refused at once by every process; on a route
 * whose write checks the key itself (`keyCheckedByWrite`), a key this process read lately is
 * checked by that write, and read before the answer otherwise (key-check.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable, type Ordo } from '../engine/ordo.js';
import type { Principal } from '../engine/api-key-service.js';
import { DATABASE_UNAVAILABLE, databaseUnavailableHeaders, httpProblem, INTERNAL_ERROR, problem, sendProblem, type ProblemBody } from './problems.js';
import './context.js';

export function registerAuth(app: FastifyInstance, ordo: Ordo): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('keyCheck', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access ?? 'public';
    if (access === 'public') return;
    const header = request.headers.authorization;
    const key = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!key) return httpProblem(reply.header('www-authenticate', 'Bearer'), 401, 'unauthorized', 'send an API key as Authorization: Bearer <key>');
    // With an Idempotency-Key the request writes its claim first: the key is read before it.
    const known = request.routeOptions.config.keyCheckedByWrite && request.headers['idempotency-key'] === undefined ? ordo.apiKeys.known(key) : undefined;
    const principal: Principal | undefined = known?.principal ?? (await ordo.apiKeys.authenticate(key));
    if (!principal) return invalidKey(reply);
    request.keyCheck = known?.check;
    if (access === 'admin' && principal.role !== 'admin') return httpProblem(reply, 403, 'forbidden', 'this needs an admin key');
    if (access === 'storefront' && principal.role === 'customer') return httpProblem(reply, 403, 'forbidden', 'this needs a storefront or admin key, not a customer token');
    request.principal = principal;
  });
  // Only on the routes that may skip the key's read: no hook to run on every other request.
  app.addHook('onRoute', (route) => {
    if (!route.config?.keyCheckedByWrite) return;
    const own = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
    route.onSend = [...own, keyCheckedAnswer] as typeof route.onSend;
  });
}

/**
 * Whatever the answer (a refusal, a 404, an order), it goes out only to a key that was live when
 * the request came: proven by the write, or read now.
 */
async function keyCheckedAnswer(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  const check = request.keyCheck;
  if (!check) return payload;
  let answer: ProblemBody;
  try {
    if (await check.live()) return payload;
    answer = INVALID_KEY;
    invalidKeyHeaders(reply);
  } catch (err) {
    // The key could not be read: the answer is the failure, as if the read had come first.
    if (isDatabaseUnavailable(err)) databaseUnavailableHeaders(reply);
    else request.log.error(err);
    answer = isDatabaseUnavailable(err) ? DATABASE_UNAVAILABLE : INTERNAL_ERROR;
  }
  // Nothing of the answer it replaces: not even the order's version or place.
  reply.removeHeader('etag').removeHeader('location').code(answer.status).type('application/problem+json');
  return JSON.stringify(answer);
}

const INVALID_KEY = problem(401, 'unauthorized', 'the API key is not valid');
const invalidKeyHeaders = (reply: FastifyReply) => reply.header('www-authenticate', 'Bearer error="invalid_token"');
const invalidKey = (reply: FastifyReply) => sendProblem(invalidKeyHeaders(reply), INVALID_KEY);

export const principalOf = (principal: Principal | undefined): Principal => {
  if (!principal) throw new Error('route reached without authentication');
  return principal;
};

export const actorOf = (principal: Principal | undefined) => {
  if (!principal) throw new Error('route reached without authentication');
  return principal.actor;
};
