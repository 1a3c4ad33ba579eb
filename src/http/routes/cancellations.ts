/** Cancellation route: all of an order, or some units of some lines. */
import type { FastifyInstance } from 'fastify';
import type { Ordo } from '../../engine/ordo.js';
import { actorOf } from '../auth.js';
import { CancellationBody, OrderIdParams, OrderView, Problem } from '../schemas.js';
import { sendOrder } from '../send-order.js';
import type { RequestTypeProvider } from '../type-provider.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };

export function cancellationRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();
  r.post('/v1/orders/:id/cancellations', {
    config: { access: 'admin' },
    schema: {
      tags: ['cancellations'], summary: 'Cancel the whole order, or some units of some lines',
      description: 'Units not yet sent let go of their stock; sent ones are restocked if restock is true. Totals follow. Nothing is refunded unless refund is true.',
      params: OrderIdParams, body: CancellationBody, response: { 200: OrderView, ...problems },
    },
  }, async (req, reply) => sendOrder(reply, await ordo.cancellations.cancel(req.params.id, req.body, actorOf(req.principal))));
}
