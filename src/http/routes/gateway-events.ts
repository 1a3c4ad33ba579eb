/**
 * Gateway callbacks: public, authenticated by their Standard Webhooks signature over the raw
 * body. A bad signature or a stale timestamp: 401, nothing recorded. A repeat: 200, applied once.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Ordo } from '../../engine/ordo.js';
import { decodeUtf8 } from '../body-parser.js';
import { httpProblem, rejectionProblem } from '../problems.js';
import { CallbackView, Problem } from '../schemas.js';
import type { RequestTypeProvider } from '../type-provider.js';

export async function gatewayEventRoutes(app: FastifyInstance, ordo: Ordo): Promise<void> {
  await app.register(async (scope) => {
    // The signature covers the body as sent: keep it as text here, refusing bytes that are not UTF-8.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
      try {
        done(null, decodeUtf8(body as Buffer));
      } catch (err) {
        done(err as Error, undefined);
      }
    });
    scope.withTypeProvider<RequestTypeProvider>().post('/v1/gateways/:gateway/events', {
      config: { access: 'public' },
      schema: {
        tags: ['gateways'],
        summary: 'A signed callback from a payment gateway',
        description: 'Signed the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature) with ORDO_GATEWAY_SECRET_<GATEWAY>. Body: { type, paymentId, amount?, reference?, refundId? }.',
        security: [],
        params: Type.Object({ gateway: Type.String({ maxLength: 64 }) }),
        response: { 200: CallbackView, 401: Problem, 404: Problem, 409: Problem, 422: Problem },
      },
    }, async (req, reply) => {
      const outcome = await ordo.payments.callback(req.params.gateway, req.headers, typeof req.body === 'string' ? req.body : '');
      if ('unauthorized' in outcome) return httpProblem(reply, 401, 'unauthorized', `callback refused: ${outcome.unauthorized}`);
      return outcome.ok ? { status: outcome.value.status } : rejectionProblem(reply, outcome);
    });
  });
}
