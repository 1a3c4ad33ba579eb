/**
 * What browsers and busy clients meet before auth: CORS for the origins a deployment allows
 * (customer tokens used from a shop's pages), and rate limits on the routes a customer token
 * may call, per key and per client address. Limits are counted in each process's memory: they
 * protect a process, and need not agree across processes.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { Ordo } from '../engine/ordo.js';
import { httpProblem } from './problems.js';

const bearer = (request: FastifyRequest) => request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];

export async function registerCors(app: FastifyInstance, ordo: Ordo): Promise<void> {
  // None by default: without an allowed origin a browser page elsewhere cannot read any answer.
  if (ordo.access.corsOrigins.length === 0) return;
  await app.register(cors, {
    origin: [...ordo.access.corsOrigins],
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match'],
    exposedHeaders: ['etag', 'location', 'retry-after'],
    maxAge: 600,
  });
}

export async function registerRateLimits(app: FastifyInstance, ordo: Ordo): Promise<void> {
  await app.register(rateLimit, { global: false });
  const per = (keyOf: (r: FastifyRequest) => string) => app.createRateLimit({ max: ordo.access.rateLimitPerMinute, timeWindow: 60_000, keyGenerator: keyOf });
  const byAddress = per((r) => `ip:${r.ip}`);
  // Counted under a digest: no secret is kept in the limiter's memory.
  const byKey = per((r) => `key:${createHash('sha256').update(bearer(r) ?? '').digest('base64url')}`);
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.access !== 'authenticated') return;
    for (const limit of bearer(request) ? [byAddress, byKey] : [byAddress]) {
      const verdict = await limit(request);
      if (!verdict.isAllowed && verdict.isExceeded) {
        return httpProblem(reply.header('retry-after', String(verdict.ttlInSeconds)), 429, 'rate_limited', `more than ${verdict.max} requests a minute; retry after ${verdict.ttlInSeconds} s`);
      }
    }
  });
}
