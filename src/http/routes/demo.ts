/** The demo button: fill an empty store with a modest set of realistic orders (admin keys). */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { RequestTypeProvider } from '../type-provider.js';
import type { Ordo } from '../../engine/ordo.js';
import { problem, sendProblem } from '../problems.js';
import { Problem } from '../schemas.js';
import { makeDemo } from '../../demo/make-demo.js';

const DemoBody = Type.Object({
  orders: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'how many orders to make; default 60' })),
}, { additionalProperties: false, examples: [{ orders: 60 }] });
const DemoView = Type.Object({
  orders: Type.Integer({ description: 'orders made' }),
  skus: Type.Array(Type.String(), { description: 'the SKUs whose stock the demo tracks' }),
  refused: Type.Optional(Type.Integer({ description: 'orders whose story a refusal ended early (they stay where it found them)' })),
  refusals: Type.Optional(Type.Array(Type.String(), { description: 'which stories were refused, with the code' })),
}, { examples: [{ orders: 60, skus: ['TSHIRT-M', 'MUG', 'VINYL-PREORDER'] }] });

export function demoRoutes(app: FastifyInstance, ordo: Ordo): void {
  app.withTypeProvider<RequestTypeProvider>().post('/v1/demo', {
    config: { access: 'admin', idempotent: false, successStatus: 201 },
    // A bare `curl -X POST` sends no body: take that as {}.
    preValidation: async (req) => {
      if (req.body === undefined || req.body === null) req.body = {};
    },
    schema: {
      tags: ['operations'], summary: 'Fill an empty store with demo orders (admin)',
      description: 'Orders in every workflow and the statuses a merchant meets (paid, partially paid, awaiting a link, expired, backordered, shipped in parts, refunded, returned, modified, in review), made through the same engine calls as any client. Only on a store without orders (409 store_not_empty); `ordo demo` makes larger stores.',
      body: DemoBody, response: { 201: DemoView, 400: Problem, 401: Problem, 403: Problem, 409: Problem },
    },
  }, async (req, reply) => {
    if (await ordo.reads.hasOrders()) return sendProblem(reply, problem(409, 'store_not_empty', 'the store already has orders: the demo fills an empty store only'));
    const made = await makeDemo(ordo, { orders: req.body.orders ?? 60 });
    return reply.code(201).send(made);
  });
}
