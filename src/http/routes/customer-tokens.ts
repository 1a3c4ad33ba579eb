/** Customer tokens: a storefront issues a short-lived token a customer's browser or app uses for its own orders. */
import type { FastifyInstance } from 'fastify';
import type { RequestTypeProvider } from '../type-provider.js';
import type { Ordo } from '../../engine/ordo.js';
import { principalOf } from '../auth.js';
import { rejectionProblem } from '../problems.js';
import { ApiKeyIdParams, CustomerTokenBody, CustomerTokenView, ListedKey, Problem } from '../schemas.js';
import { listedKey } from './api-keys.js';

export function customerTokenRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();
  const tags = ['api keys'];

  r.post('/v1/customer-tokens', {
    // The token is a secret: never stored, so never replayed.
    config: { access: 'storefront', idempotent: false },
    schema: { tags, summary: 'Issue a customer token', description: 'For one customer, for ttl seconds (60 to 86400, default 3600). The token sees and acts on that customer\'s orders only, as the workflow\'s customer, and never sets a price.', body: CustomerTokenBody, response: { 201: CustomerTokenView, 400: Problem, 401: Problem, 403: Problem, 422: Problem } },
  }, async (req, reply) => {
    const issued = await ordo.apiKeys.issueCustomerToken(principalOf(req.principal), req.body.customerId, req.body.ttl);
    if (!issued.ok) return rejectionProblem(reply, issued);
    return reply.code(201).send({ id: issued.value.id, token: issued.value.key, customerId: req.body.customerId, expiresAt: issued.value.expiresAt!.toISOString() });
  });

  r.delete('/v1/customer-tokens/:id', {
    config: { access: 'storefront' },
    schema: { tags, summary: 'Revoke a customer token this key issued (an admin: any)', description: 'The token stops working at once; the answer is the token as listed, never its secret.', params: ApiKeyIdParams, response: { 200: ListedKey, 401: Problem, 403: Problem, 404: Problem } },
  }, async (req, reply) => {
    const revoked = await ordo.apiKeys.revokeCustomerToken(principalOf(req.principal), req.params.id);
    return revoked.ok ? listedKey(revoked.value) : rejectionProblem(reply, revoked);
  });
}
