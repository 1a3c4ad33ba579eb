/** An order's customer and staff messages: what went out, or would have, and where each stands. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AUDIENCES } from '../../domain/notifications/messages.js';
import type { Ordo } from '../../engine/ordo.js';
import { actorOf } from '../auth.js';
import { rejectionProblem } from '../problems.js';
import { OrderIdParams, Problem } from '../schemas.js';
import type { RequestTypeProvider } from '../type-provider.js';

const At = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const Notification = Type.Object({
  id: Type.String({ format: 'uuid' }),
  message: Type.String({ description: 'what it tells, e.g. order_confirmation, payment_link_sent, backorder_notice (templates/README.md)' }),
  audience: Type.Union(AUDIENCES.map((a) => Type.Literal(a)), { description: 'customer, or staff (the store admin, ORDO_STAFF_EMAIL)' }),
  recipient: Type.String({ description: 'the address it goes to' }),
  subject: Type.String(),
  text: Type.String({ description: 'the plain-text body' }),
  html: Type.String({ description: 'the HTML body' }),
  status: Type.Union(['pending', 'sending', 'sent', 'failed'].map((s) => Type.Literal(s)), { description: 'sent: handed to the notifier (with no SMTP set up, kept here only); failed: every attempt failed' }),
  attempts: Type.Integer({ minimum: 0 }),
  nextAttemptAt: Nullable(Type.String({ format: 'date-time', description: 'when a pending message is tried (again)' })),
  lastError: Nullable(Type.String({ description: 'why the last attempt failed' })),
  sentAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: At,
  eventId: Type.String({ description: 'the event that called for it, or its own key: `order` (the confirmation, once per order), `expiry:<time>` (a payment link reminder), `step:<name>` (a completion step)' }),
});

const EXAMPLE = {
  id: '01a22ccf-fe7d-701c-b0df-40ab3687f7a0', message: 'order_confirmation', audience: 'customer', recipient: 'ada@example.com',
  subject: 'Your order #1001 is confirmed', text: 'Hello Ada,\n\nThank you for your order #1001.\n', html: '<p>Hello Ada,</p>\n<p>Thank you for your order #1001.</p>\n',
  status: 'sent', attempts: 1, nextAttemptAt: null, lastError: null, sentAt: '2026-01-05T09:00:01.000Z', createdAt: '2026-01-05T09:00:00.000Z', eventId: 'order',
};

const NotificationList = Type.Object({ items: Type.Array(Notification) }, { examples: [{ items: [EXAMPLE] }] });

export function notificationRoutes(app: FastifyInstance, ordo: Ordo): void {
  app.withTypeProvider<RequestTypeProvider>().get('/v1/orders/:id/notifications', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['orders'], summary: "An order's messages to its customer and to staff, oldest first",
      description: 'Every message the order\'s events called for (confirmation, payment links and reminders, payment instructions, payments, refunds, shipping, cancellation, approvals, reviews; backorders and reviews for staff), rendered from the templates, with its sending status. Admin keys see all; a customer sees the messages to the customer of its own orders.',
      params: OrderIdParams,
      response: { 200: NotificationList, 400: Problem, 401: Problem, 404: Problem },
    },
  }, async (req, reply) => {
    const result = await ordo.notifications.list(req.params.id, actorOf(req.principal));
    return result.ok ? { items: result.value } : rejectionProblem(reply, result);
  });
}
