/** Approval route: an admin approves or rejects items that need it, each with a reason. */
import type { FastifyInstance } from 'fastify';
import { commandOptions, orderWriteHeaders } from '../command-options.js';
import type { Ordo } from '../../engine/ordo.js';
import { actorOf } from '../auth.js';
import { ApprovalBody, OrderIdParams, OrderView, Problem } from '../schemas.js';
import { sendOrder } from '../send-order.js';
import type { RequestTypeProvider } from '../type-provider.js';

export function approvalRoutes(app: FastifyInstance, ordo: Ordo): void {
  app.withTypeProvider<RequestTypeProvider>().post('/v1/orders/:id/approvals', {
    config: { access: 'admin' },
    schema: {
      tags: ['approvals'], summary: 'Approve or reject items that need approval, each with a reason',
      description: 'Rejected items are released. Once every item is decided: all rejected -> the order is rejected; nothing to pay (guest-list items) -> complete; else a payment link is issued for the approved items.',
      params: OrderIdParams, headers: orderWriteHeaders, body: ApprovalBody,
      response: { 200: OrderView, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem, 422: Problem },
    },
  }, async (req, reply) => {
    const opts = commandOptions(req, reply);
    return opts ? sendOrder(reply, await ordo.approvals.review(req.params.id, req.body.decisions, actorOf(req.principal), opts)) : reply;
  });
}
