/** /openapi.json describes every route with its schemas; /docs renders it; /healthz answers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdo } from '../../src/engine/ordo.js';
import { buildServer } from '../../src/http/server.js';
import { freePort } from '../../src/store/embedded.js';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is checked field by field
type Doc = any;
let doc: Doc;
beforeAll(async () => {
  const res = await t.call('GET', '/openapi.json', undefined, { key: null });
  expect(res.status).toBe(200);
  doc = res.body;
});

const ROUTES: Array<[string, string]> = [
  ['/v1/orders', 'post'],
  ['/v1/orders', 'get'],
  ['/v1/orders/{id}', 'get'],
  ['/v1/orders/{id}/history', 'get'],
  ['/v1/orders/{id}/transitions', 'post'],
  ['/v1/workflows', 'get'],
  ['/v1/workflows/{name}', 'get'],
  ['/v1/api-keys', 'post'],
  ['/healthz', 'get'],
];

const jsonBody = (path: string, method: string) => doc.paths[path][method].requestBody?.content?.['application/json']?.schema;

describe('/openapi.json', () => {
  it('is an OpenAPI 3.1 document, served without a key', async () => {
    const res = await t.call('GET', '/openapi.json', undefined, { key: null });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'Ordo', version: expect.any(String) });
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('lists every route', () => {
    for (const [path, method] of ROUTES) {
      expect(doc.paths[path], path).toBeDefined();
      expect(doc.paths[path][method], `${method.toUpperCase()} ${path}`).toBeDefined();
      expect(doc.paths[path][method].summary, `${method.toUpperCase()} ${path}`).toEqual(expect.any(String));
    }
    // Fastify's :param syntax never leaks into the document.
    expect(Object.keys(doc.paths).filter((p) => p.includes(':'))).toEqual([]);
  });

  it('gives the request body schema of POST /v1/orders', () => {
    const schema = jsonBody('/v1/orders', 'post');
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(schema.required).toEqual(expect.arrayContaining(['currency', 'lines']));
    expect(schema.properties.currency).toMatchObject({ type: 'string', pattern: '^[A-Z]{3}$' });
    // unitPrice may be left out: the line then takes the price on file (a customer token must leave it out).
    expect(schema.properties.lines.items.required).toEqual(expect.arrayContaining(['sku', 'quantity']));
    expect(schema.properties.lines.items.properties.unitPrice).toBeDefined();
    expect(schema.properties.lines.items.properties.quantity).toMatchObject({ type: 'integer', minimum: 1 });
    expect(schema.properties.lines.items.properties.unitPrice).toMatchObject({ type: 'integer', minimum: 0 });
    expect(doc.paths['/v1/orders'].post.responses['201']).toBeDefined();
  });

  it('gives the request body schema of transitions, and its refusals', () => {
    const schema = jsonBody('/v1/orders/{id}/transitions', 'post');
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false, required: ['to'] });
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['reason', 'to', 'track']));
    const op = doc.paths['/v1/orders/{id}/transitions'].post;
    for (const status of ['200', '409', '412', '422']) expect(op.responses[status], status).toBeDefined();
    const params = op.parameters.map((p: { in: string; name: string }) => `${p.in}:${p.name}`);
    expect(params).toEqual(expect.arrayContaining(['path:id', 'header:if-match', 'header:idempotency-key']));
  });

  it('gives the request body schema of POST /v1/api-keys', () => {
    const schema = jsonBody('/v1/api-keys', 'post');
    expect(schema.required).toEqual(expect.arrayContaining(['role', 'name']));
    expect(JSON.stringify(schema.properties.role)).toContain('storefront');
    expect(schema.properties.customerId).toBeDefined();
  });

  it('gives the query parameters of GET /v1/orders', () => {
    const params = doc.paths['/v1/orders'].get.parameters.filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['cursor', 'limit', 'q', 'status', 'workflow']));
  });

  it('gives the path parameters of the order and workflow routes', () => {
    for (const [path, name] of [['/v1/orders/{id}', 'id'], ['/v1/orders/{id}/history', 'id'], ['/v1/workflows/{name}', 'name']] as const) {
      const params = doc.paths[path].get.parameters.filter((p: { in: string }) => p.in === 'path');
      expect(params, path).toEqual([expect.objectContaining({ name, required: true })]);
    }
  });
});

describe('/docs', () => {
  it('renders an HTML page (200 after redirects), without a key', async () => {
    let url = '/docs';
    let res = await t.call('GET', url, undefined, { key: null });
    for (let hops = 0; hops < 5 && res.status >= 300 && res.status < 400; hops++) {
      url = new URL(String(res.headers.location), `http://localhost${url}`).pathname;
      res = await t.call('GET', url, undefined, { key: null });
    }
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toMatch(/<html/i);
  });
});

describe('/healthz', () => {
  it('answers 200 {status: ok} without a key, having reached the database', async () => {
    const res = await t.call('GET', '/healthz', undefined, { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: true });
  });

  it('answers 503 when the database cannot be reached', async () => {
    const port = await freePort();
    const ordo = await createOrdo({ databaseUrl: `postgres://ordo:ordo@127.0.0.1:${port}/nowhere`, migrate: false });
    const app = await buildServer(ordo);
    try {
      const res = await app.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'unavailable', database: false });
    } finally {
      await app.close();
      await ordo.close();
    }
  });
});

describe('the document says the truth about errors (issue 11)', () => {
  const operations = () => Object.entries(doc.paths as Record<string, Record<string, Doc>>).flatMap(([path, ms]) => Object.entries(ms).map(([m, op]) => ({ label: `${m.toUpperCase()} ${path}`, op })));

  it('lists every error as application/problem+json with the problem schema and its codes', () => {
    for (const { label, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses as Record<string, Doc>)) {
        if (Number(status) < 400 || label === 'GET /healthz' && status === '503') continue;
        expect(Object.keys(response.content ?? {}), `${label} ${status}`).toEqual(['application/problem+json']);
        const schema = response.content['application/problem+json'].schema;
        expect(schema.required, `${label} ${status}`).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']));
        expect(schema.properties.code.enum ?? schema.properties.code.examples, `${label} ${status}`).toEqual(expect.arrayContaining([expect.any(String)]));
      }
    }
  });

  it('lists the statuses any route can answer', () => {
    for (const { label, op } of operations()) {
      for (const status of ['400', '431', '500']) expect(op.responses[status], `${label} ${status}`).toBeDefined();
      if (label.includes('{')) expect(op.responses['414'], `${label} 414`).toBeDefined();
      if (op.security === undefined) for (const status of ['401', '503']) expect(op.responses[status], `${label} ${status}`).toBeDefined();
      if (op.parameters?.some((p: Doc) => p.name === 'if-match')) expect(op.responses['412'], `${label} 412`).toBeDefined();
    }
    const create = doc.paths['/v1/orders'].post.responses;
    expect(create['415'].content['application/problem+json'].schema.properties.code.enum).toEqual(['unsupported_media_type']);
    expect(create['503'].content['application/problem+json'].schema.properties.code.enum).toEqual(['database_unavailable']);
    expect(doc.paths['/v1/api-keys'].post.responses['403'].content['application/problem+json'].schema.properties.code.enum).toContain('forbidden');
  });

  it('needs no key for /healthz and the gateway callbacks', () => {
    expect(doc.paths['/healthz'].get.security).toEqual([]);
    expect(doc.paths['/v1/gateways/{gateway}/events'].post.security).toEqual([]);
    expect(doc.paths['/v1/orders'].get.security).toBeUndefined();
  });

  it('describes every operation, with an example answer, and an example request where it takes a body', () => {
    for (const { label, op } of operations()) {
      expect(op.description, label).toEqual(expect.any(String));
      const success = Object.entries(op.responses as Record<string, Doc>).find(([s]) => Number(s) < 300)![1];
      const media = Object.values(success.content ?? {}) as Doc[];
      expect(media.some((m) => m.example !== undefined || m.examples !== undefined || m.schema?.examples !== undefined), `${label} answer`).toBe(true);
      const body = Object.values(op.requestBody?.content ?? {}) as Doc[];
      if (body.length > 0) expect(body.some((m) => m.example !== undefined || m.examples !== undefined), `${label} request`).toBe(true);
    }
  });
});
