import type { FastifyInstance } from 'fastify';
import type { Ordo } from '../../engine/ordo.js';
import { DATABASE_RETRY_AFTER } from '../problems.js';

// A probe must answer in time even when the database hangs rather than refuses.
const PING_LIMIT_MS = 2000;

export function healthRoutes(app: FastifyInstance, ordo: Ordo): void {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'Liveness and database reachability' } }, async (_req, reply) => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, PING_LIMIT_MS, false)));
    const database = await Promise.race([ordo.ping().catch(() => false), timedOut]).finally(() => clearTimeout(timer));
    if (!database) reply.header('retry-after', String(DATABASE_RETRY_AFTER));
    return reply.code(database ? 200 : 503).send({ status: database ? 'ok' : 'unavailable', database });
  });
}
