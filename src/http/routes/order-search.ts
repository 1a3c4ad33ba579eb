/**
 * What the admin screens ask of many orders at once: a search with every filter (statuses of
 * several tracks together, dates, payment reference, SKU), the orders that look stuck, and the
 * SKUs whose stock is tracked. Admin keys only; reads only.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { RequestTypeProvider } from '../type-provider.js';
import type { Ordo } from '../../engine/ordo.js';
import { formatOrderCode } from '../../domain/order.js';
import { actorOf } from '../auth.js';
import { problem, sendProblem } from '../problems.js';
import { OrderPage, Problem } from '../schemas.js';

const Limit = Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: '1 to 100, default 20' });
const Time = (description: string) => Type.String({ format: 'date-time', description });

export const SearchOrdersQuery = Type.Object({
  workflow: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  status: Type.Optional(Type.String({
    minLength: 1, maxLength: 2000,
    description: 'Alternatives separated by commas, any of which matches; each is one or more `track:state` (or `state`) separated by spaces (`+` in a URL), all of which must hold. E.g. `payment:paid+fulfillment:unfulfilled,payment:P+fulfilment:N`.',
  })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'order code, id, customer email, name or id (any part), payment reference or SKU (whole)' })),
  createdFrom: Type.Optional(Time('orders created at or after this time')),
  createdTo: Type.Optional(Time('orders created before this time')),
  overdue: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'true: only orders with a timer that is due and has not fired' })),
  returns: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('any')], { description: 'open: only orders with a return requested or received and not yet closed; any: with any return' })),
  cursor: Type.Optional(Type.String({ format: 'uuid' })),
  limit: Type.Optional(Limit),
}, { additionalProperties: false });

/** `a+b,c` -> [['a','b'],['c']]: the status filter's alternatives, each a set of tags that must all hold. */
export const parseStatusFilter = (text: string): string[][] =>
  text.split(',').map((alt) => alt.trim().split(/\s+/).filter(Boolean)).filter((alt) => alt.length > 0);

const StuckQuery = Type.Object({
  olderThan: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,8}$', description: 'seconds an order may sit in a temporary status before it counts as stuck; default 86400 (a day)' })),
  limit: Type.Optional(Limit),
}, { additionalProperties: false });

const StuckView = Type.Object({
  workflow: Type.String(),
  now: Type.String({ format: 'date-time', description: "the server's time (its test clock's, when it runs one): what the ages are counted from" }),
  olderThan: Type.Integer({ description: 'the threshold used, in seconds' }),
  total: Type.Integer({ description: 'how many orders of the workflow are stuck' }),
  byStatus: Type.Array(Type.Object({ track: Type.String(), status: Type.String(), count: Type.Integer() }), { description: 'stuck orders per temporary status they sit in (an order counts once per track)' }),
  items: Type.Array(Type.Object({
    id: Type.String({ format: 'uuid' }), code: Type.Union([Type.String(), Type.Null()]), status: Type.Record(Type.String(), Type.String()),
    since: Type.String({ format: 'date-time', description: 'its last change' }),
    overdueSince: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'when its oldest overdue timer came due; null if none is overdue' }),
  }), { description: 'the stuck orders, oldest first' }),
}, {
  examples: [{
    workflow: 'standard', now: '2026-01-06T10:00:00.000Z', olderThan: 86400, total: 1, byStatus: [{ track: 'order', status: 'placed', count: 1 }],
    items: [{ id: '01a22ccf-fe7d-701c-b0df-40ab3687f71c', code: '#1001', status: { order: 'placed', payment: 'unpaid', fulfillment: 'unfulfilled' }, since: '2026-01-05T09:00:00.000Z', overdueSince: null }],
  }],
});

const SkuListQuery = Type.Object({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'part of a SKU' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'the previous page\'s nextCursor' })),
  limit: Type.Optional(Limit),
}, { additionalProperties: false });
const SkuList = Type.Object({
  items: Type.Array(Type.Object({ sku: Type.String(), onHand: Type.Integer(), reserved: Type.Integer(), available: Type.Integer(), backorders: Type.Boolean() })),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
}, { examples: [{ items: [{ sku: 'MUG', onHand: 40, reserved: 2, available: 38, backorders: false }, { sku: 'TSHIRT-M', onHand: 5, reserved: 0, available: 5, backorders: true }], nextCursor: 'TSHIRT-M' }] });

export function orderSearchRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();

  r.get('/v1/orders/search', {
    config: { access: 'admin' },
    schema: {
      tags: ['orders'], summary: 'Search orders with every filter, newest first (admin)',
      description: 'What GET /v1/orders does, and more: statuses of several tracks together, any of several such sets, a creation date range, orders with an overdue timer, and a search that also finds a payment\'s gateway reference and a SKU. Pages with `cursor` and `limit`, newest first: by creation time when `createdFrom` or `createdTo` is given.',
      querystring: SearchOrdersQuery, response: { 200: OrderPage, 400: Problem, 401: Problem, 403: Problem },
    },
  }, async (req) => {
    const { limit, status, createdFrom, createdTo, overdue, ...rest } = req.query;
    return ordo.reads.search({
      ...rest, limit: limit ? Number(limit) : 20,
      ...(status ? { statuses: parseStatusFilter(status) } : {}),
      ...(createdFrom ? { createdFrom: new Date(createdFrom) } : {}),
      ...(createdTo ? { createdTo: new Date(createdTo) } : {}),
      ...(overdue === 'true' ? { overdue: true } : {}),
    }, actorOf(req.principal));
  });

  r.get('/v1/workflows/:name/stuck', {
    config: { access: 'admin' },
    schema: {
      tags: ['workflows'], summary: "A workflow's stuck orders, oldest first (admin)",
      description: 'An order is stuck when it sits in a temporary status unchanged for longer than `olderThan` seconds, or waits on a timer that is due and has not fired. Counted per status, and listed by their last change, oldest first.',
      params: Type.Object({ name: Type.String({ maxLength: 64 }) }), querystring: StuckQuery,
      response: { 200: StuckView, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
    },
  }, async (req, reply) => {
    const found = await ordo.reads.stuck(req.params.name, Number(req.query.olderThan ?? 86_400), Number(req.query.limit ?? 50));
    if (!found) return sendProblem(reply, problem(404, 'unknown_workflow', `there is no workflow '${req.params.name}'`));
    return {
      workflow: found.workflow, now: found.now.toISOString(), olderThan: found.olderThan, total: found.total, byStatus: found.byStatus,
      items: found.rows.map((row) => ({ id: row.id, code: formatOrderCode(row.code), status: row.status, since: row.updatedAt.toISOString(), overdueSince: row.overdueSince?.toISOString() ?? null })),
    };
  });

  r.get('/v1/inventory', {
    config: { access: 'admin' },
    schema: {
      tags: ['inventory'], summary: 'The SKUs whose stock is tracked, by SKU (admin)',
      description: 'Each with on hand, reserved, available and whether it allows backorders. Pages with `cursor` (the last SKU of the previous page) and `limit`.',
      querystring: SkuListQuery, response: { 200: SkuList, 400: Problem, 401: Problem, 403: Problem },
    },
  }, async (req) => ordo.reads.skus({
    ...(req.query.q ? { q: req.query.q } : {}), ...(req.query.cursor ? { cursor: req.query.cursor } : {}),
    limit: req.query.limit ? Number(req.query.limit) : 50,
  }));
}
