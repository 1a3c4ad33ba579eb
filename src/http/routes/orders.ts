/** Order routes: each one engine call, its result sent as JSON or as a problem. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestTypeProvider } from '../type-provider.js';
import { Type } from 'typebox';
import type { Ordo } from '../../engine/ordo.js';
import { actorOf } from '../auth.js';
import { httpProblem, rejectionProblem } from '../problems.js';
import { sendOrder } from '../send-order.js';
import { BasketChangeBody, CreateOrderBody, HistoryPage, ListOrdersQuery, OrderIdParams, OrderPage, OrderView as OrderViewSchema, Problem, TimerParams, TransitionBody } from '../schemas.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem, 422: Problem };
const writeHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ description: 'send the same key to retry safely; the first answer comes back' })),
  'if-match': Type.Optional(Type.String({ description: 'the order version you last saw; refused with 412 if it moved on' })),
});

/** If-Match carries the order's version, quoted or not (`3`, `"3"`, `W/"3"`); `*` matches any version. */
export function parseIfMatch(header: string | undefined): number | undefined | 'invalid' {
  if (header === undefined || header.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  return m ? Number(m[1]) : 'invalid';
}


export function orderRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();
  const tags = ['orders'];

  r.post('/v1/orders', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Create an order', headers: writeHeaders, body: CreateOrderBody, response: { 201: OrderViewSchema, ...problems } },
  }, async (req, reply) => {
    const { payment, ...order } = req.body;
    const withPayment = payment && (({ simulate, ...rest }) => ({ ...rest, ...(simulate ? { options: { simulate } } : {}) }))(payment);
    return sendOrder(reply, await ordo.payments.createOrder({ ...order, ...(withPayment ? { payment: withPayment } : {}) }, actorOf(req.principal)), 201);
  });

  r.get('/v1/orders', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'List orders, newest first', querystring: ListOrdersQuery, response: { 200: OrderPage, ...problems } },
  }, async (req) => {
    const { limit, ...rest } = req.query;
    return ordo.orders.list({ ...rest, ...(limit ? { limit: Number(limit) } : {}) }, actorOf(req.principal));
  });

  r.get('/v1/orders/:id', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Read an order', params: OrderIdParams, response: { 200: OrderViewSchema, ...problems } },
  }, async (req, reply) => sendOrder(reply, await ordo.orders.get(req.params.id, actorOf(req.principal))));

  r.get('/v1/orders/:id/history', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'What happened to an order, oldest first', params: OrderIdParams, response: { 200: HistoryPage, ...problems } },
  }, async (req, reply) => {
    const result = await ordo.orders.history(req.params.id, actorOf(req.principal));
    return result.ok ? { items: result.value } : rejectionProblem(reply, result);
  });

  r.post('/v1/orders/:id/transitions', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Change a status', description: 'Refused with 409 and the allowed next statuses when the workflow does not allow it for this caller.', params: OrderIdParams, headers: writeHeaders, body: TransitionBody, response: { 200: OrderViewSchema, ...problems } },
  }, async (req, reply) => {
    const expected = ifMatch(req, reply);
    if (expected === 'sent') return reply;
    const result = await ordo.orders.execute(req.params.id, { type: 'transition', ...req.body }, actorOf(req.principal), expected === undefined ? {} : { expectedVersion: expected });
    return sendOrder(reply, result);
  });

  r.post('/v1/orders/:id/basket', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Change the basket: add, re-count, remove lines', description: 'Only where the workflow lets the basket be edited (a cart; an editable payment link). Stock follows; basket timers restart.', params: OrderIdParams, headers: writeHeaders, body: BasketChangeBody, response: { 200: OrderViewSchema, ...problems } },
  }, async (req, reply) => {
    const expected = ifMatch(req, reply);
    if (expected === 'sent') return reply;
    const result = await ordo.orders.changeBasket(req.params.id, req.body, actorOf(req.principal), expected === undefined ? {} : { expectedVersion: expected });
    return sendOrder(reply, result);
  });

  r.post('/v1/orders/:id/timers/:name/extend', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Ask for more time, once (pushes the timer back by its own duration)', params: TimerParams, headers: writeHeaders, response: { 200: OrderViewSchema, ...problems } },
  }, async (req, reply) => {
    const expected = ifMatch(req, reply);
    if (expected === 'sent') return reply;
    const result = await ordo.orders.execute(req.params.id, { type: 'extend_timer', name: req.params.name }, actorOf(req.principal), expected === undefined ? {} : { expectedVersion: expected });
    return sendOrder(reply, result);
  });
}

function ifMatch(req: FastifyRequest, reply: FastifyReply): number | undefined | 'sent' {
  const header = req.headers['if-match'];
  const parsed = parseIfMatch(Array.isArray(header) ? header[0] : header);
  if (parsed !== 'invalid') return parsed;
  httpProblem(reply, 400, 'invalid_request', 'If-Match must be the order version, e.g. "3"');
  return 'sent';
}
