/** Payment routes: add a payment, capture, void, settle or resolve one, refund, resend payment links. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ordo } from '../../engine/ordo.js';
import { actorOf } from '../auth.js';
import { rejectionProblem } from '../problems.js';
import { sendOrder } from '../send-order.js';
import { commandOptions, orderWriteHeaders } from '../command-options.js';
import { CaptureBody, NewPaymentBody, OrderIdParams, OrderView as OrderViewSchema, PaymentIdParams, PaymentList, Problem, RefundBody, ResendAllView, ResolveBody, SettleBody } from '../schemas.js';
import type { RequestTypeProvider } from '../type-provider.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem, 422: Problem };
const headers = orderWriteHeaders;

/** `curl -X POST .../settle` sends no body at all: take that as `{}`, as the routes without a body schema do. */
const noBodyIsEmpty = async (req: FastifyRequest) => {
  if (req.body === undefined || req.body === null) req.body = {};
};

export function paymentRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();
  const tags = ['payments'];

  r.post('/v1/orders/:id/payments', {
    config: { access: 'authenticated', successStatus: 201 },
    schema: {
      tags, summary: 'Add a payment', headers, params: OrderIdParams, body: NewPaymentBody, response: { 201: OrderViewSchema, ...problems },
      description: 'card: charged (or authorized) through the gateway at once; payment_link: a link with an expiry; invoice, onsite: paid outside and recorded by an admin; local: completed by the gateway or an admin; manual (admin): money already received. With deposit: the workflow\'s share now, the balance by its deadline.',
    },
  }, async (req, reply) => {
    const opts = commandOptions(req, reply);
    if (!opts) return reply;
    const { simulate, ...rest } = req.body;
    return sendOrder(reply, await ordo.payments.add(req.params.id, { ...rest, ...(simulate ? { simulate } : {}) }, actorOf(req.principal), opts), 201);
  });

  r.get('/v1/orders/:id/payments', {
    config: { access: 'authenticated' },
    schema: { tags, summary: "An order's payments and refunds", description: 'The same payments and refunds the order carries, on their own.', params: OrderIdParams, response: { 200: PaymentList, 400: Problem, 401: Problem, 404: Problem } },
  }, async (req, reply) => {
    const order = await ordo.orders.get(req.params.id, actorOf(req.principal));
    return order.ok ? { items: order.value.payments, refunds: order.value.refunds } : rejectionProblem(reply, order);
  });

  r.post('/v1/payments/:id/capture', {
    config: { access: 'admin' },
    preValidation: noBodyIsEmpty,
    schema: { tags, summary: 'Capture an authorized payment, in full or in part', description: 'Default: all that was authorized. Never more (422 capture_exceeds_authorized); only an authorized payment (409 payment_not_capturable).', headers, params: PaymentIdParams, body: CaptureBody, response: { 200: OrderViewSchema, ...problems } },
  }, async (req, reply) => {
    const opts = commandOptions(req, reply);
    return opts ? sendOrder(reply, await ordo.payments.capture(req.params.id, req.body?.amount, actorOf(req.principal), opts)) : reply;
  });

  r.post('/v1/payments/:id/void', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Release an authorization nothing was captured on', description: 'The gateway releases the hold; the order goes back to awaiting payment where its workflow says so.', headers, params: PaymentIdParams, response: { 200: OrderViewSchema, ...problems } },
  }, async (req, reply) => {
    const opts = commandOptions(req, reply);
    return opts ? sendOrder(reply, await ordo.payments.void(req.params.id, actorOf(req.principal), opts)) : reply;
  });

  r.post('/v1/payments/:id/settle', {
    config: { access: 'admin' },
    preValidation: noBodyIsEmpty,
    schema: { tags, summary: 'Record money received outside a gateway (invoice, on-site, local)', description: 'Default: the whole payment. A part leaves the rest owed.', headers, params: PaymentIdParams, body: SettleBody, response: { 200: OrderViewSchema, ...problems } },
  }, async (req, reply) => {
    const opts = commandOptions(req, reply);
    return opts ? sendOrder(reply, await ordo.payments.settle(req.params.id, req.body?.amount, actorOf(req.principal), opts)) : reply;
  });

  r.post('/v1/payments/:id/resolve', {
    config: { access: 'admin' },
    preValidation: noBodyIsEmpty,
    schema: { tags, summary: 'Resolve an unknown gateway answer after checking the gateway', description: 'For a payment in state unknown only (409 payment_not_resolvable otherwise): say what the gateway shows.', headers, params: PaymentIdParams, body: ResolveBody, response: { 200: OrderViewSchema, ...problems } },
  }, async (req, reply) => {
    const opts = commandOptions(req, reply);
    return opts ? sendOrder(reply, await ordo.payments.resolve(req.params.id, req.body.outcome, actorOf(req.principal), opts)) : reply;
  });

  r.post('/v1/orders/:id/refunds', {
    config: { access: 'admin', successStatus: 201 },
    schema: {
      tags, summary: 'Refund: an amount, or lines, shipping and an adjustment', headers, params: OrderIdParams, body: RefundBody, response: { 201: OrderViewSchema, ...problems },
      description: 'Against one payment (paymentId, else one that can cover it); never more than it captured. Offline payments are refunded by hand and recorded as done. restock puts the lines back in stock.',
    },
  }, async (req, reply) => {
    const opts = commandOptions(req, reply);
    return opts ? sendOrder(reply, await ordo.payments.refund(req.params.id, req.body, actorOf(req.principal), opts), 201) : reply;
  });

  r.post('/v1/orders/:id/payment-links/resend', {
    config: { access: 'admin' },
    schema: { tags, summary: "Send the order's payment link again (a reminder)", description: 'Only while a link awaits payment (409 no_payment_link); the notification goes out again.', headers, params: OrderIdParams, response: { 200: OrderViewSchema, ...problems } },
  }, async (req, reply) => sendOrder(reply, await ordo.payments.resendLink(req.params.id, actorOf(req.principal))));

  r.post('/v1/payment-links/resend', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Send every payment link still awaiting payment again', description: 'A reminder to every customer with a link not yet paid; the answer lists the orders.', headers, response: { 200: ResendAllView, 401: Problem, 403: Problem } },
  }, async (req) => {
    const orders = await ordo.payments.resendAllLinks(actorOf(req.principal));
    return { resent: orders.length, orders };
  });
}
