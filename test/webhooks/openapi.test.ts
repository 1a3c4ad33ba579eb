/** The webhook operations in the OpenAPI document: described, with examples, admin only, their refusals listed. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWebhookApp, type WebhookApp } from './support/ordo.js';

let t: WebhookApp;
beforeAll(async () => {
  t = await startWebhookApp();
});
afterAll(() => t?.close());

it('documents every webhook operation with a description, examples and its problems', async () => {
  const doc = (await t.call('GET', '/openapi.json')).body;
  const ops = Object.entries(doc.paths as Record<string, Record<string, { description?: string; responses: Record<string, { content?: Record<string, { schema?: { examples?: unknown[] }; example?: unknown; examples?: unknown }> }>; requestBody?: { content: Record<string, { examples?: unknown; example?: unknown }> } }>>)
    .filter(([path]) => path.startsWith('/v1/webhooks'))
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ label: `${method.toUpperCase()} ${path}`, op })));
  expect(ops.map((o) => o.label).sort()).toEqual([
    'DELETE /v1/webhooks/{id}', 'GET /v1/webhooks', 'GET /v1/webhooks/{id}', 'GET /v1/webhooks/{id}/deliveries', 'PATCH /v1/webhooks/{id}',
    'POST /v1/webhooks', 'POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', 'POST /v1/webhooks/{id}/recover', 'POST /v1/webhooks/{id}/rotate-secret',
  ]);
  for (const { label, op } of ops) {
    expect(op.description, label).toEqual(expect.any(String));
    const success = Object.entries(op.responses).find(([s]) => Number(s) < 300)![1];
    expect(Object.values(success.content ?? {}).some((m) => m.example !== undefined || m.examples !== undefined || m.schema?.examples !== undefined), `${label} answer example`).toBe(true);
    if (op.requestBody) expect(Object.values(op.requestBody.content).some((m) => m.example !== undefined || m.examples !== undefined), `${label} request example`).toBe(true);
    expect(op.responses['403'], `${label}: admin keys only`).toBeDefined();
  }
  const create = doc.paths['/v1/webhooks'].post;
  expect(create.responses['422'].content['application/problem+json']).toBeDefined();
});
