/** Cancellation route: all of an order, or some units of some lines. */
import type { FastifyInstance } from 'fastify';
import type { Ordo } from '../../engine/ordo.js';
import { actorOf } from '../auth.js';
import { CancellationBody, OrderIdParams, OrderView, Problem } from '../schemas.js';
import { sendOrder } from '../send-order.js';
import { commandOptions, orderWriteHeaders } from '../command-options.js';
import type { RequestTypeProvider } from '../type-provider.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem, 422: Problem };

export function cancellationRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();
  r.post('/v1/orders/:id/cancellations', {
    config: { access: 'admin' },
    schema: {
      tags: ['cancellations'], summary: 'Cancel the whole order, or some units of some lines',
      description: 'Units not yet sent let go of their stock; sent ones are restocked if restock is true. Totals follow. With refund: true (or where the workflow refunds cancellations) what the order no longer costs is refunded in the same command, or the cancellation is refused whole; without, the answer\'s totals and the history say the money is kept.',
      params: OrderIdParams, headers: orderWriteHeaders, body: CancellationBody, response: { 200: OrderView, ...problems },
    },
  }, async (req, reply) => {
    const opts = commandOptions(req, reply);
    return opts ? sendOrder(reply, await ordo.cancellations.cancel(req.params.id, req.body, actorOf(req.principal), opts)) : reply;
  });
}
