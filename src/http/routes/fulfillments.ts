/** Fulfillment routes: ship an order in parcels, and move each parcel along. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Ordo } from '../../engine/ordo.js';
import { actorOf } from '../auth.js';
import { FulfillmentTransitionBody, NewFulfillmentBody, OrderIdParams, OrderView, Problem } from '../schemas.js';
import { sendOrder } from '../send-order.js';
import { commandOptions, orderWriteHeaders } from '../command-options.js';
import type { RequestTypeProvider } from '../type-provider.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem, 422: Problem };

export function fulfillmentRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();
  const tags = ['fulfillments'];

  r.post('/v1/orders/:id/fulfillments', {
    config: { access: 'admin', successStatus: 201, keyCheckedByWrite: true },
    schema: { tags, summary: 'Ship some quantity of some lines as one parcel', description: 'Never more than is left to fulfil; the units\' held stock is committed.', params: OrderIdParams, headers: orderWriteHeaders, body: NewFulfillmentBody, response: { 201: OrderView, ...problems } },
  }, async (req, reply) => {
    const opts = commandOptions(req, reply);
    return opts ? sendOrder(reply, await ordo.fulfillments.create(req.params.id, req.body, actorOf(req.principal), opts), 201) : reply;
  });

  r.post('/v1/fulfillments/:id/transitions', {
    config: { access: 'admin', keyCheckedByWrite: true },
    schema: { tags, summary: 'Move a parcel: pending -> shipped -> delivered, or cancelled', description: 'The order\'s status follows where its workflow reacts to parcels (all delivered: complete). A cancelled parcel\'s units can be shipped again.', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), headers: orderWriteHeaders, body: FulfillmentTransitionBody, response: { 200: OrderView, ...problems } },
  }, async (req, reply) => {
    const opts = commandOptions(req, reply);
    return opts ? sendOrder(reply, await ordo.fulfillments.transition(req.params.id, req.body.to, actorOf(req.principal), opts)) : reply;
  });
}
