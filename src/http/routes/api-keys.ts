/** API key routes: an admin makes, lists and revokes keys; a secret is in the answer that makes it, once. */
import type { FastifyInstance } from 'fastify';
import type { RequestTypeProvider } from '../type-provider.js';
import type { Ordo } from '../../engine/ordo.js';
import type { ApiKeyRecord } from '../../engine/api-key-service.js';
import { rejectionProblem } from '../problems.js';
import { ApiKeyIdParams, ApiKeyList, ApiKeyView, CreateApiKeyBody, ListedKey, Problem } from '../schemas.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A key as listed: never its secret or hash. */
export const listedKey = (k: ApiKeyRecord) => ({
  id: k.id, name: k.name, role: k.role, customerId: k.customerId, prefix: k.prefix, createdAt: k.createdAt.toISOString(),
  expiresAt: iso(k.expiresAt), issuedBy: k.issuedBy, lastUsedAt: iso(k.lastUsedAt),
});

export function apiKeyRoutes(app: FastifyInstance, ordo: Ordo): void {
  const r = app.withTypeProvider<RequestTypeProvider>();
  const tags = ['api keys'];

  r.post('/v1/api-keys', {
    // The answer carries the secret, which is never stored: no Idempotency-Key replay here.
    config: { access: 'admin', idempotent: false },
    schema: { tags, summary: 'Make an API key', description: 'The secret is in this answer only. A storefront key without customerId acts for any customer it names; with one, for that customer only. Idempotency-Key is ignored here: replaying would mean storing the secret.', body: CreateApiKeyBody, response: { 201: ApiKeyView, 400: Problem, 401: Problem, 403: Problem, 422: Problem } },
  }, async (req, reply) => {
    const issued = await ordo.apiKeys.create(req.body);
    return reply.code(201).send({ ...issued, createdAt: issued.createdAt.toISOString() });
  });

  r.get('/v1/api-keys', {
    config: { access: 'admin' },
    schema: { tags, summary: 'List the live keys and customer tokens', description: 'Never a secret or its hash. lastUsedAt moves at most once a minute.', response: { 200: ApiKeyList, 401: Problem, 403: Problem } },
  }, async () => ({ items: (await ordo.apiKeys.list()).map(listedKey) }));

  r.delete('/v1/api-keys/:id', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Revoke a key or customer token, at once in every process', description: 'The answer is the key as listed, never its secret; a revoked key is 401 from then on.', params: ApiKeyIdParams, response: { 200: ListedKey, 401: Problem, 403: Problem, 404: Problem } },
  }, async (req, reply) => {
    const revoked = await ordo.apiKeys.revoke(req.params.id);
    return revoked.ok ? listedKey(revoked.value) : rejectionProblem(reply, revoked);
  });
}
