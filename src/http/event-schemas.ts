/** JSON schemas of the event stream: the envelope every event has, over webhooks and GET /v1/events. */
import { Type } from 'typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const EventEnvelopeSchema = Type.Object({
  id: Type.String({ format: 'uuid', description: 'unique; the same on every delivery (the webhook-id)' }),
  type: Type.String({ description: 'a stable dotted name: see docs/events.md' }),
  orderId: Nullable(Type.String({ format: 'uuid' })),
  orderCode: Nullable(Type.String({ description: "the order's human number, '#1001', once it has one" })),
  sequence: Type.Integer({ minimum: 1, description: "the order's events are numbered 1, 2, 3…: no gap, no repeat" }),
  occurredAt: Type.String({ format: 'date-time' }),
  actor: Type.Object({ kind: Type.String(), id: Type.Union([Type.String(), Type.Null()]) }),
  data: Type.Object({}, {
    additionalProperties: true,
    description: "the event's own detail and, for an order's event, `order`: { workflow, version, status (per track), totals } after the change",
  }),
}, { additionalProperties: false, description: 'An event, as webhooks deliver it and GET /v1/events serves it.' });

/** A real event, as the example of the document. */
export const EVENT_EXAMPLE = {
  id: '01a22d12-43ef-759f-9e13-97c37019584a', type: 'order.status_changed', orderId: '01a22ccf-fe7d-701c-b0df-40ab3687f71c', orderCode: '#1001',
  sequence: 5, occurredAt: '2026-01-05T09:00:00.000Z', actor: { kind: 'admin', id: 'key:01a22ccf-fde8-7a35-978e-51ba01c656b5' },
  data: {
    track: 'fulfillment', from: 'unfulfilled', to: 'shipped',
    order: {
      workflow: 'standard', version: 3, status: { order: 'placed', payment: 'paid', fulfillment: 'shipped' },
      totals: { subtotal: 3998, shipping: 495, surcharges: 0, total: 4493, paid: 4493, refunded: 0, net: 4493, refundsPending: 0, balance: 0, overpaid: 0 },
    },
  },
};

export const EventPageSchema = Type.Object({
  data: Type.Array(Type.Object({ ...EventEnvelopeSchema.properties, cursor: Type.String({ description: "this event's place in the stream" }) }, { additionalProperties: false })),
  next: Type.String({ description: 'pass as `after` to read on; the same as `after` when nothing new came' }),
}, { additionalProperties: false, examples: [{ data: [{ ...EVENT_EXAMPLE, cursor: '1041' }], next: '1041' }] });

export const ListEventsQuery = Type.Object({
  after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'a cursor: the `next` of the previous page' })),
  limit: Type.Optional(Type.String({ pattern: '^(1000|[1-9][0-9]{0,2})$', description: '1 to 1000, default 100' })),
  type: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'comma-separated type patterns: `order.*`, `payment.settled`, `*`' })),
  orderId: Type.Optional(Type.String({ format: 'uuid' })),
}, { additionalProperties: false });
