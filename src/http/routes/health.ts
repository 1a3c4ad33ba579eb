import type { FastifyInstance } from 'fastify';
import type { Ordo } from '../../engine/ordo.js';

export function healthRoutes(app: FastifyInstance, ordo: Ordo): void {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'Liveness and database reachability' } }, async (_req, reply) => {
    const database = await ordo.ping().catch(() => false);
    return reply.code(database ? 200 : 503).send({ status: database ? 'ok' : 'unavailable', database });
  });
}
