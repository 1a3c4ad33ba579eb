/**
 * GET /metrics (Prometheus text) and the request-latency histogram behind it. A scraper
 * authenticates with an admin key, or with ORDO_METRICS_TOKEN when the deployment sets one
 * (so that Prometheus need not hold a key that can change orders).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Ordo } from '../engine/ordo.js';
import { httpProblem } from './problems.js';
import { Problem } from './schemas.js';

const METRICS_EXAMPLE = '# HELP ordo_commands_total Order commands by type and result (ok, or the refusal code)\n# TYPE ordo_commands_total counter\nordo_commands_total{type="transition",result="ok"} 42\n';

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function registerMetrics(app: FastifyInstance, ordo: Ordo, token = process.env.ORDO_METRICS_TOKEN || undefined): void {
  app.addHook('onResponse', async (request, reply) => {
    // Routes by their pattern, never the raw URL: ids would make a series per order.
    const route = request.routeOptions.url ?? 'unmatched';
    ordo.metrics.request(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  app.get('/metrics', {
    config: { access: 'public' },
    schema: {
      tags: ['operations'],
      summary: 'Prometheus metrics',
      description: 'Commands by type and result, HTTP latency by route, outbox lag, webhook deliveries and messages pending and failed, timers due and overdue, database pool use, gateway call latency. Bearer: an admin key, or ORDO_METRICS_TOKEN when set.',
      response: { 200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string', examples: [METRICS_EXAMPLE] } } } }, 401: Problem, 403: Problem },
    },
  }, async (request, reply) => {
    const given = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!given) return httpProblem(reply.header('www-authenticate', 'Bearer'), 401, 'unauthorized', 'send an admin key, or the metrics token, as Authorization: Bearer <key>');
    if (!(token && sameSecret(given, token))) {
      const principal = await ordo.apiKeys.authenticate(given);
      if (!principal) return httpProblem(reply.header('www-authenticate', 'Bearer error="invalid_token"'), 401, 'unauthorized', 'the key is not valid');
      if (principal.role !== 'admin') return httpProblem(reply, 403, 'forbidden', 'metrics need an admin key or the metrics token');
    }
    return reply.type(ordo.metrics.contentType).send(await ordo.metrics.text());
  });
}
