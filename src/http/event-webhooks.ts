/**
 * The OpenAPI document's `webhooks`: one entry per event type, with the envelope and the
 * schema of its `data`, and the Standard Webhooks headers every delivery carries. Made from
 * the catalogue in the domain, so a new type cannot be left out.
 */
import { Type, type TSchema } from 'typebox';
import { EVENT_TYPES } from '../domain/event-types.js';
import { EventEnvelopeSchema } from './event-schemas.js';

const open = { additionalProperties: true } as const;
const Id = Type.String({ format: 'uuid' });
const Lines = Type.Array(Type.Object({ lineId: Id, quantity: Type.Integer() }, open));
const Transition = { from: Type.String(), to: Type.String() };
const Maybe = Type.Union([Type.String(), Type.Null()]);

const OrderSummary = Type.Object({
  workflow: Type.String(),
  version: Type.Integer({ description: "the order's version after the change (the ETag)" }),
  status: Type.Record(Type.String(), Type.String(), { description: 'status per track' }),
  totals: Type.Object({
    subtotal: Type.Integer(), shipping: Type.Integer(), surcharges: Type.Integer(), total: Type.Integer(), paid: Type.Integer(), refunded: Type.Integer(),
    net: Type.Integer(), refundsPending: Type.Integer(), balance: Type.Integer(), overpaid: Type.Integer(),
  }, { ...open, description: 'money in minor units, as the order view has it' }),
}, open);

/** What `data` holds for each family of types, beside the order summary. */
function detailOf(type: string): Record<string, TSchema> {
  const [family] = type.split('.');
  if (type === 'order.status_changed') return { track: Type.String(), ...Transition, reason: Type.Optional(Type.String()), cause: Type.Optional(Type.String({ description: 'the event that made a reaction take this step' })) };
  if (type === 'payment.created' || type === 'payment_link.sent') return { paymentId: Id, method: Type.String(), amount: Type.Integer(), state: Type.String(), deposit: Type.Boolean(), link: Type.Optional(Type.Object({ expiresAt: Type.String({ format: 'date-time' }) }, open)) };
  if (type === 'payment_link.resent') return { paymentId: Id, sent: Type.Integer(), expiresAt: Type.String({ format: 'date-time' }) };
  if (type === 'refund.created') return { refundId: Id, paymentId: Id, amount: Type.Integer(), reason: Type.String(), lines: Lines };
  if (type === 'fulfillment.created') return { fulfillmentId: Id, lines: Lines, carrier: Type.Optional(Maybe), trackingNumber: Type.Optional(Maybe) };
  if (type === 'return.created') return { returnId: Id, lines: Lines, reason: Type.String() };
  if (type === 'order.modified') return { difference: Type.Integer({ description: 'new total minus old; negative: money back' }), totalBefore: Type.Integer(), totalAfter: Type.Integer() };
  if (type === 'order.lines_cancelled') return { reason: Type.String(), lines: Lines, shippingCancelled: Type.Integer(), restock: Type.Boolean() };
  if (type === 'timer.fired') return { name: Type.String(), event: Type.String(), dueAt: Type.String({ format: 'date-time' }) };
  if (type === 'timer.extended') return { name: Type.String(), dueAt: Type.String({ format: 'date-time' }) };
  if (type === 'stock.backordered') return { skus: Type.Array(Type.String()) };
  if (type === 'webhook.disabled') return { subscriptionId: Id, url: Type.String(), reason: Type.String() };
  if (family === 'payment' && !type.includes('_') ) return { paymentId: Id, ...Transition, authorized: Type.Integer(), captured: Type.Integer(), refunded: Type.Integer() };
  if (type === 'payment.partially_refunded') return { paymentId: Id, ...Transition, authorized: Type.Integer(), captured: Type.Integer(), refunded: Type.Integer() };
  if (family === 'refund' && type !== 'refund.amount_mismatch') return { refundId: Id, paymentId: Id, ...Transition, amount: Type.Integer() };
  if (family === 'fulfillment') return { fulfillmentId: Id, ...Transition };
  if (family === 'return') return { returnId: Id, ...Transition };
  return {};
}

const HEADERS = [
  { name: 'webhook-id', description: "the event's id: the same on every retry; receivers deduplicate by it" },
  { name: 'webhook-timestamp', description: 'seconds since the epoch when this attempt was signed' },
  { name: 'webhook-signature', description: "`v1,<base64 HMAC-SHA256 of '{id}.{timestamp}.{body}'>`, with the subscription's secret; two, space-separated, while a rotated secret still signs" },
].map((h) => ({ in: 'header', required: true, schema: { type: 'string' }, ...h }));

export function eventWebhooks(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(EVENT_TYPES).map(([type, summary]) => {
    const data = Type.Object({ ...detailOf(type), ...(type.startsWith('webhook.') ? {} : { order: OrderSummary }) }, open);
    const schema = Type.Object({ ...EventEnvelopeSchema.properties, type: Type.Literal(type), data }, { additionalProperties: false });
    return [type, {
      post: {
        operationId: `event_${type.replace(/\W/g, '_')}`,
        tags: ['events'],
        summary,
        description: `Sent to subscriptions whose patterns match \`${type}\` (and served by GET /v1/events). At least once, in order per order; verify the signature before trusting the body.`,
        parameters: HEADERS,
        requestBody: { required: true, content: { 'application/json': { schema } } },
        responses: {
          '200': { description: 'Any 2xx: delivered. A 410 switches the subscription off; 429 or 503 with Retry-After delays the retry; anything else is retried with backoff.' },
        },
      },
    }];
  }));
}
