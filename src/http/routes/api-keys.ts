/** API key routes: an admin makes keys; the secret is in the answer once. */
import type { FastifyInstance } from 'fastify';
import type { RequestTypeProvider } from '../type-provider.js';
import type { Ordo } from '../../engine/ordo.js';
import { httpProblem } from '../problems.js';
import { ApiKeyView, CreateApiKeyBody, Problem } from '../schemas.js';

export function apiKeyRoutes(app: FastifyInstance, ordo: Ordo): void {
  app.withTypeProvider<RequestTypeProvider>().post('/v1/api-keys', {
    // The answer carries the secret, which is never stored: no Idempotency-Key replay here.
    config: { access: 'admin', idempotent: false },
    schema: { tags: ['api keys'], summary: 'Make an API key', description: 'The secret is in this answer only. Idempotency-Key is ignored here: replaying would mean storing the secret.', body: CreateApiKeyBody, response: { 201: ApiKeyView, 400: Problem, 401: Problem, 403: Problem, 422: Problem } },
  }, async (req, reply) => {
    if (req.body.role === 'storefront' && !req.body.customerId) return httpProblem(reply, 422, 'invalid_request', 'a storefront key acts for one customer: give customerId');
    const issued = await ordo.apiKeys.create(req.body);
    return reply.code(201).send({ ...issued, createdAt: issued.createdAt.toISOString() });
  });
}
