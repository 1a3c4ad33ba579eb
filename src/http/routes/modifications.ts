/** Modification route: change a placed order, or preview the change. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Ordo } from '../../engine/ordo.js';
import { actorOf } from '../auth.js';
import { rejectionProblem } from '../problems.js';
import { ModificationBody, ModificationPreview, OrderIdParams, OrderView, Problem } from '../schemas.js';
import { sendOrder } from '../send-order.js';
import { commandOptions, orderWriteHeaders } from '../command-options.js';
import type { RequestTypeProvider } from '../type-provider.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem, 422: Problem };

export function modificationRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();
  r.post('/v1/orders/:id/modifications', {
    config: { access: 'admin' },
    schema: {
      tags: ['modifications'], summary: 'Change a placed order (dryRun previews)',
      description: 'Quantities, lines, surcharges (negative: a discount), addresses. More to pay: the order waits for a payment covering it; less: the difference is refunded against its payments.',
      params: OrderIdParams, headers: orderWriteHeaders, body: ModificationBody, response: { 200: Type.Union([OrderView, ModificationPreview]), ...problems },
    },
  }, async (req, reply) => {
    const { dryRun, ...change } = req.body;
    const actor = actorOf(req.principal);
    if (!dryRun) {
      const opts = commandOptions(req, reply);
      return opts ? sendOrder(reply, await ordo.modifications.apply(req.params.id, change, actor, opts)) : reply;
    }
    const preview = await ordo.modifications.preview(req.params.id, change, actor);
    return preview.ok ? preview.value : rejectionProblem(reply, preview);
  });
}
