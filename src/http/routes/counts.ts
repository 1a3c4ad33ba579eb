/** GET /v1/workflows/{name}/counts: how many orders are in each status of each track, for a back office's tabs. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Ordo } from '../../engine/ordo.js';
import { problem, sendProblem } from '../problems.js';
import type { RequestTypeProvider } from '../type-provider.js';
import { Problem } from '../schemas.js';

const StatusCounts = Type.Object({
  workflow: Type.String(),
  total: Type.Integer({ minimum: 0, description: 'orders of this workflow, removed ones left out' }),
  tracks: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer({ minimum: 0 })), {
    description: 'per track, the number of orders in each status; a status no order is in is not listed',
  }),
}, { examples: [{ workflow: 'standard', total: 3, tracks: { order: { placed: 2, completed: 1 }, payment: { unpaid: 1, paid: 2 }, fulfillment: { unfulfilled: 2, delivered: 1 } } }] });

export function countRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();
  r.get('/v1/workflows/:name/counts', {
    config: { access: 'admin' },
    schema: {
      tags: ['workflows'],
      summary: 'How many orders are in each status',
      description: "Per track of the workflow, the number of its orders in each status, exact as of the moment it is read (kept as counts that every change of status updates, not counted order by order); each order counts once per track. A status of the merchant's own is counted like any other.",
      params: Type.Object({ name: Type.String({ maxLength: 64 }) }),
      response: { 200: StatusCounts, 401: Problem, 403: Problem, 404: Problem },
    },
  }, async (req, reply) => {
    const counts = await ordo.reads.counts(req.params.name);
    if (!counts) return sendProblem(reply, problem(404, 'unknown_workflow', `there is no workflow '${req.params.name}'`));
    return { workflow: req.params.name, ...counts };
  });
}
