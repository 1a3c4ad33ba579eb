/** Return routes: ask to send units back; receive, refund or reject the return. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Ordo } from '../../engine/ordo.js';
import { actorOf } from '../auth.js';
import { NewReturnBody, OrderIdParams, OrderView, Problem, ReturnTransitionBody } from '../schemas.js';
import { sendOrder } from '../send-order.js';
import { commandOptions, orderWriteHeaders } from '../command-options.js';
import type { RequestTypeProvider } from '../type-provider.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem, 422: Problem };

export function returnRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();
  r.post('/v1/orders/:id/returns', {
    config: { access: 'authenticated', successStatus: 201 },
    schema: { tags: ['returns'], summary: 'Ask to send sent units back (an RMA)', description: 'Only units that were sent, and not more than were (422 return_exceeds_sent). A customer may ask for its own order.', params: OrderIdParams, headers: orderWriteHeaders, body: NewReturnBody, response: { 201: OrderView, ...problems } },
  }, async (req, reply) => {
    const opts = commandOptions(req, reply);
    return opts ? sendOrder(reply, await ordo.returns.create(req.params.id, req.body, actorOf(req.principal), opts), 201) : reply;
  });

  r.post('/v1/returns/:id/transitions', {
    config: { access: 'admin' },
    schema: {
      tags: ['returns'], summary: 'Move a return: requested -> received (restocks) -> refunded, or rejected',
      description: 'refunded pays back the returned lines against the order\'s payments first.',
      params: Type.Object({ id: Type.String({ maxLength: 64 }) }), headers: orderWriteHeaders, body: ReturnTransitionBody, response: { 200: OrderView, ...problems },
    },
  }, async (req, reply) => {
    const opts = commandOptions(req, reply);
    if (!opts) return reply;
    const { to, ...rest } = req.body;
    return sendOrder(reply, await ordo.returns.transition(req.params.id, to, rest, actorOf(req.principal), opts));
  });
}
