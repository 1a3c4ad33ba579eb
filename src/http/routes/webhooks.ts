/**
 * Webhook subscriptions (admin keys): make, list, change, delete, rotate the secret; the delivery
 * log with every attempt; re-send one delivery, or every failed one since a time. A secret is in
 * the answer that makes it, once.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { Ordo } from '../../engine/ordo.js';
import type { Delivery, SubscriptionWithSecret } from '../../engine/webhooks/webhook-service.js';
import type { WebhookRefusal, WebhookRefusalCode, WebhookSubscription } from '../../domain/webhooks/subscription.js';
import { MAX_URL_LENGTH } from '../../domain/webhooks/target.js';
import type { RequestTypeProvider } from '../type-provider.js';
import { problem, sendProblem } from '../problems.js';
import { Problem } from '../schemas.js';

const STATUS_OF = {
  invalid_webhook_url: 422,
  webhook_target_refused: 422,
  unknown_event_type: 422,
  webhook_not_found: 404,
  delivery_not_found: 404,
  delivery_in_progress: 409,
} as const satisfies Record<WebhookRefusalCode, number>;

const refusal = (reply: FastifyReply, r: WebhookRefusal) => sendProblem(reply, problem(STATUS_OF[r.code], r.code, r.message, r.details));

// ── Schemas ──
const strict = { additionalProperties: false } as const;
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const WEBHOOK_ID = '01a22cd0-0062-7463-ac99-4010d4babd70';
const AT = '2026-01-05T09:00:00.000Z';

// Longer than the limit is accepted by the schema so that it is refused as the engine says (422), not as malformed (400).
const Url = Type.String({ minLength: 1, maxLength: 8192, description: `http or https, at most ${MAX_URL_LENGTH} characters, on a host with public addresses only (unless ORDO_ALLOW_PRIVATE_WEBHOOKS=1)` });
const Patterns = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  minItems: 1, maxItems: 100, description: 'event types or patterns: `order.*`, `payment.settled`, `*` (docs/events.md); an unknown one is refused',
});
const Description = Type.Union([Type.String({ maxLength: 500 }), Type.Null()]);

const webhookExample = {
  id: WEBHOOK_ID, url: 'https://shop.example.com/hooks/ordo', events: ['order.*', 'payment.settled'], description: 'warehouse', enabled: true,
  disabledReason: null, failingSince: null, previousSecretUntil: null, createdAt: AT, updatedAt: AT,
};
const secretExample = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const webhookFields = {
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  events: Type.Array(Type.String()),
  description: Nullable(Type.String()),
  enabled: Type.Boolean(),
  disabledReason: Type.Union([Type.Literal('gone'), Type.Literal('failing'), Type.Null()], { description: 'why Ordo switched it off: `gone` (the endpoint answered 410) or `failing` (5 days of failures); null when on, or switched off by a person' }),
  failingSince: Nullable(Type.String({ format: 'date-time', description: 'since when every attempt failed; null once one succeeds' })),
  previousSecretUntil: Nullable(Type.String({ format: 'date-time', description: 'after a rotation, until when the previous secret signs too' })),
  createdAt: DateTime,
  updatedAt: DateTime,
};
const WebhookView = Type.Object(webhookFields, { examples: [webhookExample] });
const WebhookWithSecret = Type.Object({
  ...webhookFields,
  secret: Type.String({ description: 'the signing secret (`whsec_` and base64): shown in this answer only' }),
}, { examples: [{ ...webhookExample, secret: secretExample }] });
const WebhookList = Type.Object({ items: Type.Array(WebhookView) }, { examples: [{ items: [webhookExample] }] });

const CreateWebhookBody = Type.Object({ url: Url, events: Patterns, description: Type.Optional(Description) }, {
  ...strict, examples: [{ url: 'https://shop.example.com/hooks/ordo', events: ['order.*', 'payment.settled'], description: 'warehouse' }],
});
const PatchWebhookBody = Type.Object({
  url: Type.Optional(Url), events: Type.Optional(Patterns), enabled: Type.Optional(Type.Boolean({ description: 'switching on forgets why it was switched off' })), description: Type.Optional(Description),
}, { ...strict, examples: [{ enabled: true }] });

const attemptExample = { at: AT, status: 200, durationMs: 84, error: null, response: 'ok' };
const deliveryExample = {
  id: '01a22cd0-0062-7463-ac99-4010d4babd71', eventId: '01a22ccf-fe86-728f-86cd-c0448ce0b3d0', eventType: 'order.created', orderId: '01a22ccf-fe7d-701c-b0df-40ab3687f71c',
  sequence: 1, status: 'delivered', attempts: 1, nextAttemptAt: null, log: [attemptExample], createdAt: AT, updatedAt: AT,
};
const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const;
const DeliveryStatus = Type.Union(DELIVERY_STATUSES.map((s) => Type.Literal(s)));
const Attempt = Type.Object({
  at: DateTime,
  status: Nullable(Type.Integer({ description: 'the HTTP status; null when no answer came' })),
  durationMs: Type.Integer(),
  error: Nullable(Type.String({ description: 'why no answer came (refused target, timeout, connection lost)' })),
  response: Nullable(Type.String({ description: 'the first kilobyte of the answer' })),
});
const deliveryFields = {
  id: Type.String({ format: 'uuid' }),
  eventId: Type.String({ format: 'uuid', description: 'the event\'s id: the `webhook-id` header' }),
  eventType: Type.String(),
  orderId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'null for a store-wide event' }),
  sequence: Type.Integer(),
  status: DeliveryStatus,
  attempts: Type.Integer({ description: 'attempts in the current round (a re-send starts one)' }),
  nextAttemptAt: Nullable(Type.String({ format: 'date-time', description: 'when the next attempt is due (never before a retry of an earlier event of its order); null unless pending, and while the subscription is switched off' })),
  log: Type.Array(Attempt, { description: 'every attempt, oldest first (the last 50)' }),
  createdAt: DateTime,
  updatedAt: DateTime,
};
const DeliveryView = Type.Object(deliveryFields, { examples: [deliveryExample] });
const DeliveryPage = Type.Object({
  items: Type.Array(DeliveryView),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as `after` for older deliveries; null at the end' }),
}, { examples: [{ items: [deliveryExample], nextCursor: null }] });

const WebhookParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const DeliveryParams = Type.Object({ id: Type.String({ format: 'uuid' }), deliveryId: Type.String({ format: 'uuid' }) });
const DeliveriesQuery = Type.Object({
  status: Type.Optional(DeliveryStatus),
  limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: '1 to 100, default 50' })),
  after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'the previous page\'s nextCursor' })),
}, strict);
const RecoverBody = Type.Object({ since: Type.String({ format: 'date-time', description: 'failed deliveries of events from this time on are sent again' }) }, { ...strict, examples: [{ since: AT }] });
const Recovered = Type.Object({ requeued: Type.Integer({ description: 'how many failed deliveries were queued again' }) }, { examples: [{ requeued: 3 }] });

// ── Views ──
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const view = (s: WebhookSubscription) => ({
  id: s.id, url: s.url, events: s.events, description: s.description, enabled: s.enabled, disabledReason: s.disabledReason,
  failingSince: iso(s.failingSince), previousSecretUntil: iso(s.previousSecretUntil), createdAt: s.createdAt.toISOString(), updatedAt: s.updatedAt.toISOString(),
});
const withSecret = (w: SubscriptionWithSecret) => ({ ...view(w.subscription), secret: w.secret });
const deliveryView = (d: Delivery) => ({ ...d, nextAttemptAt: iso(d.nextAttemptAt), createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString() });

export function webhookRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();
  const tags = ['webhooks'];
  const admin = { access: 'admin' } as const;
  const common = { 400: Problem, 401: Problem, 403: Problem };

  r.post('/v1/webhooks', {
    // The answer carries the secret, which must not be kept for a replay.
    config: { ...admin, idempotent: false },
    schema: {
      tags, summary: 'Subscribe an endpoint to events',
      description: 'Deliveries are signed the Standard Webhooks way with the `secret` in this answer, shown only here. The URL must be http(s), at most 2,048 characters, on a host whose addresses are public. Idempotency-Key is ignored here: replaying would mean storing the secret.',
      body: CreateWebhookBody, response: { 201: WebhookWithSecret, ...common, 422: Problem },
    },
  }, async (req, reply) => {
    const made = await ordo.webhooks.create(req.body);
    return made.ok ? reply.code(201).send(withSecret(made.value)) : refusal(reply, made);
  });

  r.get('/v1/webhooks', {
    config: admin,
    schema: { tags, summary: 'List the webhook subscriptions', description: 'Never a secret.', response: { 200: WebhookList, 401: Problem, 403: Problem } },
  }, async () => ({ items: (await ordo.webhooks.list()).map(view) }));

  r.get('/v1/webhooks/:id', {
    config: admin,
    schema: { tags, summary: 'A webhook subscription', description: 'Never its secret.', params: WebhookParams, response: { 200: WebhookView, ...common, 404: Problem } },
  }, async (req, reply) => {
    const found = await ordo.webhooks.get(req.params.id);
    return found.ok ? view(found.value) : refusal(reply, found);
  });

  r.patch('/v1/webhooks/:id', {
    config: admin,
    schema: {
      tags, summary: 'Change a webhook subscription', description: 'The URL, the event patterns, the description, or switch it on or off. A new URL is checked as when subscribing.',
      params: WebhookParams, body: PatchWebhookBody, response: { 200: WebhookView, ...common, 404: Problem, 422: Problem },
    },
  }, async (req, reply) => {
    const changed = await ordo.webhooks.update(req.params.id, req.body);
    return changed.ok ? view(changed.value) : refusal(reply, changed);
  });

  r.delete('/v1/webhooks/:id', {
    config: admin,
    schema: { tags, summary: 'Delete a webhook subscription and its delivery log', description: 'The answer is the subscription as it was.', params: WebhookParams, response: { 200: WebhookView, ...common, 404: Problem } },
  }, async (req, reply) => {
    const found = await ordo.webhooks.get(req.params.id);
    if (!found.ok) return refusal(reply, found);
    const removed = await ordo.webhooks.remove(req.params.id);
    return removed.ok ? view(found.value) : refusal(reply, removed);
  });

  r.post('/v1/webhooks/:id/rotate-secret', {
    config: { ...admin, idempotent: false },
    schema: {
      tags, summary: 'Rotate the signing secret',
      description: 'The new secret is in this answer only. The old one keeps signing beside it for 24 hours (two signatures in `webhook-signature`), so the receiver can switch without losing a delivery.',
      params: WebhookParams, response: { 200: WebhookWithSecret, ...common, 404: Problem },
    },
  }, async (req, reply) => {
    const rotated = await ordo.webhooks.rotateSecret(req.params.id);
    return rotated.ok ? withSecret(rotated.value) : refusal(reply, rotated);
  });

  r.get('/v1/webhooks/:id/deliveries', {
    config: admin,
    schema: {
      tags, summary: 'The delivery log, newest event first', description: 'Each delivery with every attempt: time, HTTP status, duration, error, and the first kilobyte of the answer. Filter by `status`; page with `after`.',
      params: WebhookParams, querystring: DeliveriesQuery, response: { 200: DeliveryPage, ...common, 404: Problem },
    },
  }, async (req, reply) => {
    const page = await ordo.webhooks.deliveries(req.params.id, {
      limit: Number(req.query.limit ?? 50), ...(req.query.status ? { status: req.query.status } : {}), ...(req.query.after ? { after: Number(req.query.after) } : {}),
    });
    return page.ok ? { items: page.value.items.map(deliveryView), nextCursor: page.value.nextCursor === null ? null : String(page.value.nextCursor) } : refusal(reply, page);
  });

  r.post('/v1/webhooks/:id/deliveries/:deliveryId/redeliver', {
    config: admin,
    schema: {
      tags, summary: 'Send one delivery again', description: 'Queued at once with a new round of retries; 409 while an attempt of it is running.',
      params: DeliveryParams, response: { 202: DeliveryView, ...common, 404: Problem, 409: Problem },
    },
  }, async (req, reply) => {
    const queued = await ordo.webhooks.redeliver(req.params.id, req.params.deliveryId);
    return queued.ok ? reply.code(202).send(deliveryView(queued.value)) : refusal(reply, queued);
  });

  r.post('/v1/webhooks/:id/recover', {
    config: admin,
    schema: {
      tags, summary: 'Send every failed delivery again, since a time', description: 'Failed deliveries of events from `since` on are queued again, in order per order.',
      params: WebhookParams, body: RecoverBody, response: { 202: Recovered, ...common, 404: Problem },
    },
  }, async (req, reply) => {
    const recovered = await ordo.webhooks.recover(req.params.id, new Date(req.body.since));
    return recovered.ok ? reply.code(202).send(recovered.value) : refusal(reply, recovered);
  });
}
