import type { FastifyInstance } from 'fastify';
import type { Ordo } from '../../engine/ordo.js';
import { Type } from 'typebox';
import { DATABASE_RETRY_AFTER } from '../problems.js';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  database: Type.Boolean({ description: 'whether the database answered' }),
}, { examples: [{ status: 'ok', database: true }] });

// A probe must answer in time even when the database hangs rather than refuses.
const PING_LIMIT_MS = 2000;

export function healthRoutes(app: FastifyInstance, ordo: Ordo): void {
  app.get('/healthz', {
    schema: {
      tags: ['operations'], summary: 'Liveness and database reachability',
      description: 'Needs no key. 200 when the database answers a ping within two seconds; 503 with Retry-After when it does not.',
      security: [],
      response: { 200: Health, 503: Health },
    },
  }, async (_req, reply) => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, PING_LIMIT_MS, false)));
    const database = await Promise.race([ordo.ping().catch(() => false), timedOut]).finally(() => clearTimeout(timer));
    if (!database) reply.header('retry-after', String(DATABASE_RETRY_AFTER));
    return reply.code(database ? 200 : 503).send({ status: database ? 'ok' : 'unavailable', database });
  });
}
