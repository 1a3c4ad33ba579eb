/** GET /v1/events: the event stream to pull, for integrations that poll rather than receive webhooks. */
import type { FastifyInstance } from 'fastify';
import type { Ordo } from '../../engine/ordo.js';
import { envelopeOnly } from '../../engine/events/event.js';
import { isKnownPattern } from '../../domain/event-types.js';
import type { RequestTypeProvider } from '../type-provider.js';
import { httpProblem } from '../problems.js';
import { Problem } from '../schemas.js';
import { EventPageSchema, ListEventsQuery } from '../event-schemas.js';

export function eventRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();

  r.get('/v1/events', {
    config: { access: 'admin' },
    schema: {
      tags: ['events'],
      summary: 'The event stream, in commit order',
      description:
        'Events after `after` (the `next` of the previous page; 0 or absent for the oldest kept), oldest first. ' +
        'The cursor never skips an event whose transaction committed after a later one: events get their place in the stream only once committed, one placer at a time. ' +
        'Filter with `type` (comma-separated: `order.*`, `payment.settled`) and `orderId`. Events are kept 30 days (ORDO_EVENT_RETENTION_DAYS). Admin keys.',
      querystring: ListEventsQuery,
      response: { 200: EventPageSchema, 400: Problem, 401: Problem, 403: Problem, 422: Problem },
    },
  }, async (req, reply) => {
    const types = req.query.type?.split(',').map((t) => t.trim()).filter(Boolean);
    const unknown = types?.filter((t) => !isKnownPattern(t)) ?? [];
    if (unknown.length) return httpProblem(reply, 422, 'unknown_event_type', `no event type matches ${unknown.map((t) => `'${t}'`).join(', ')}; see docs/events.md for the types`);
    const page = await ordo.events.list({
      after: Number(req.query.after ?? 0),
      limit: Number(req.query.limit ?? 100),
      ...(types?.length ? { types } : {}),
      ...(req.query.orderId ? { orderId: req.query.orderId } : {}),
    });
    return { data: page.events.map((e) => ({ ...envelopeOnly(e), cursor: String(e.position) })), next: String(page.next) };
  });
}
