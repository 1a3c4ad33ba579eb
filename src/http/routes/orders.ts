/** Order routes: each one engine call, its result sent as JSON or as a problem. */
import type { FastifyInstance } from 'fastify';
import type { RequestTypeProvider } from '../type-provider.js';
import type { Ordo } from '../../engine/ordo.js';
import { actorOf } from '../auth.js';
import { rejectionProblem } from '../problems.js';
import { commandOptions, orderWriteHeaders } from '../command-options.js';
import { sendOrder } from '../send-order.js';
import { BasketChangeBody, CreateOrderBody, HistoryPage, ListOrdersQuery, OrderIdParams, OrderPage, OrderView as OrderViewSchema, Problem, TimerParams, TransitionBody } from '../schemas.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem, 422: Problem };
/** What a read can be refused with: it changes nothing, so no conflict or version check. */
const readProblems = { 400: Problem, 401: Problem, 404: Problem };
export function orderRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();
  const tags = ['orders'];

  r.post('/v1/orders', {
    config: { access: 'authenticated', successStatus: 201, keyCheckedByWrite: true },
    schema: { tags, summary: 'Create an order', description: 'Lines, customer, shipping and, optionally, a first payment, in one command. Stock is held as the workflow says; an unknown currency or workflow is 422, too little stock 409 insufficient_stock. The answer carries the order with its version as the ETag.', headers: orderWriteHeaders, body: CreateOrderBody, response: { 201: OrderViewSchema, ...problems } },
  }, async (req, reply) => {
    const { payment, ...order } = req.body;
    const withPayment = payment && (({ simulate, ...rest }) => ({ ...rest, ...(simulate ? { options: { simulate } } : {}) }))(payment);
    return sendOrder(reply, await ordo.payments.createOrder({ ...order, ...(withPayment ? { payment: withPayment } : {}) }, actorOf(req.principal), req.keyCheck), 201);
  });

  r.get('/v1/orders', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'List orders, newest first', description: 'Filters by status (`state` or `track:state`), workflow and a search (`q`: code, id, customer email or name). Pages with `cursor` (the previous page\'s nextCursor) and `limit`. A storefront key sees its customer\'s orders only.', querystring: ListOrdersQuery, response: { 200: OrderPage, 400: Problem, 401: Problem } },
  }, async (req) => {
    const { limit, ...rest } = req.query;
    return ordo.orders.list({ ...rest, ...(limit ? { limit: Number(limit) } : {}) }, actorOf(req.principal));
  });

  r.get('/v1/orders/:id', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Read an order', description: 'The order with its lines, totals, payments, refunds, parcels, returns, timers and `next`: the statuses this caller may move it to now. The ETag is its version.', params: OrderIdParams, response: { 200: OrderViewSchema, ...readProblems } },
  }, async (req, reply) => sendOrder(reply, await ordo.orders.get(req.params.id, actorOf(req.principal))));

  r.get('/v1/orders/:id/history', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'What happened to an order, oldest first', description: 'One entry per change: status changes, payments, stock, timers, with who did it and why; and one per message sent to the customer or staff (`notification.sent`, `notification.failed`).', params: OrderIdParams, response: { 200: HistoryPage, ...readProblems } },
  }, async (req, reply) => {
    const result = await ordo.notifications.history(req.params.id, actorOf(req.principal));
    return result.ok ? { items: result.value } : rejectionProblem(reply, result);
  });

  r.post('/v1/orders/:id/transitions', {
    config: { access: 'authenticated', keyCheckedByWrite: true },
    schema: { tags, summary: 'Change a status', description: 'Refused with 409 and the allowed next statuses when the workflow does not allow it for this caller.', params: OrderIdParams, headers: orderWriteHeaders, body: TransitionBody, response: { 200: OrderViewSchema, ...problems } },
  }, async (req, reply) => {
    const opts = commandOptions(req, reply);
    if (!opts) return reply;
    const result = await ordo.orders.execute(req.params.id, { type: 'transition', ...req.body }, actorOf(req.principal), opts);
    return sendOrder(reply, result);
  });

  r.post('/v1/orders/:id/basket', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Change the basket: add, re-count, remove lines', description: 'Only where the workflow lets the basket be edited (a cart; an editable payment link). Stock follows; basket timers restart.', params: OrderIdParams, headers: orderWriteHeaders, body: BasketChangeBody, response: { 200: OrderViewSchema, ...problems } },
  }, async (req, reply) => {
    const opts = commandOptions(req, reply);
    if (!opts) return reply;
    const result = await ordo.orders.changeBasket(req.params.id, req.body, actorOf(req.principal), opts);
    return sendOrder(reply, result);
  });

  r.post('/v1/orders/:id/timers/:name/extend', {
    config: { access: 'authenticated', keyCheckedByWrite: true },
    schema: { tags, summary: 'Ask for more time, once (pushes the timer back by its own duration)', description: 'Only for timers the workflow marks extendable, and only once: a second ask is 409 timer_already_extended.', params: TimerParams, headers: orderWriteHeaders, response: { 200: OrderViewSchema, ...problems } },
  }, async (req, reply) => {
    const opts = commandOptions(req, reply);
    if (!opts) return reply;
    const result = await ordo.orders.execute(req.params.id, { type: 'extend_timer', name: req.params.name }, actorOf(req.principal), opts);
    return sendOrder(reply, result);
  });
}
