/**
 * The route schemas' validators and serializers that the build compiles (compiled-schemas.ts)
 * answer exactly as the ones Fastify compiles at start, and a schema the build did not see, or
 * compilers other than the build's, are compiled at start instead.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompiledSchemas, recordingSchemas, writeCompiledSchemas } from '../../src/http/compiled-schemas.js';
import { buildServer } from '../../src/http/server.js';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';

let tmp: string;
let t: TestApp;
let built: FastifyInstance;
let counts: { precompiled: number; compiledHere: number };

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'ordo-compiled-schemas-'));
  await writeCompiledSchemas(path.join(tmp, 'server'));
  t = await startTestApp();
  const compilers = precompiledSchemas(path.join(tmp, 'server'));
  built = await buildServer(t.ordo, { schemaCompilers: compilers });
  counts = compilers.counts;
}, 120_000);
afterAll(async () => {
  await built?.close();
  await t?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('the server on the compiled schemas', () => {
  it('compiles none of its schemas at start', () => {
    expect(counts.compiledHere).toBe(0);
    expect(counts.precompiled).toBeGreaterThan(100);
  });

  it('answers as the server that compiles them: the same statuses, headers and bodies', async () => {
    const key = { authorization: `Bearer ${t.adminKey}` };
    const json = { ...key, 'content-type': 'application/json' };
    const created = await t.call('POST', '/v1/orders', orderBody({ payment: { method: 'card', capture: false } }));
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    const requests: { method: 'GET' | 'POST' | 'PATCH'; url: string; headers?: Record<string, string>; payload?: unknown }[] = [
      { method: 'GET', url: `/v1/orders/${id}`, headers: key },
      { method: 'GET', url: '/v1/orders?limit=2', headers: key },
      { method: 'GET', url: '/v1/orders/search?limit=1&overdue=true', headers: key },
      { method: 'GET', url: `/v1/orders/${id}/payments`, headers: key },
      { method: 'GET', url: '/v1/orders?limit=zero', headers: key },
      { method: 'GET', url: '/v1/orders/not-a-uuid', headers: key },
      { method: 'GET', url: '/v1/workflows', headers: key },
      { method: 'GET', url: '/v1/workflows/standard', headers: key },
      { method: 'GET', url: '/v1/workflows/standard?format=svg', headers: key },
      { method: 'GET', url: `/v1/orders/${id}/history`, headers: key },
      { method: 'GET', url: '/healthz' },
      { method: 'GET', url: '/openapi.json' },
      { method: 'POST', url: '/v1/orders', headers: json, payload: orderBody({ lines: [{ sku: 'X', quantity: '2', unitPrice: 1 }] }) },
      { method: 'POST', url: '/v1/orders', headers: json, payload: orderBody({ unknown: true, currency: 'euro', customer: { email: 'not an email' } }) },
      { method: 'POST', url: `/v1/orders/${id}/transitions`, headers: { ...json, 'if-match': '"99"' }, payload: { to: 'cancelled' } },
      { method: 'POST', url: `/v1/orders/${id}/transitions`, headers: json, payload: { to: 42 } },
      { method: 'PATCH', url: '/v1/workflows/standard/settings', headers: json, payload: { nope: 1 } },
    ];
    for (const r of requests) {
      const options = { method: r.method, url: r.url, headers: r.headers ?? {}, ...(r.payload === undefined ? {} : { payload: JSON.stringify(r.payload) }) };
      const [compiledAtStart, compiledAtBuild] = [await t.app.inject(options), await built.inject(options)];
      const what = `${r.method} ${r.url}`;
      expect(compiledAtBuild.statusCode, what).toBe(compiledAtStart.statusCode);
      expect(compiledAtBuild.headers['content-type'], what).toBe(compiledAtStart.headers['content-type']);
      expect(compiledAtBuild.body, what).toBe(compiledAtStart.body);
    }
  });
});

describe('what the build did not compile is compiled at start', () => {
  const ajv = { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } };
  const app = async (maxLength: number, dir: string, compilers = precompiledSchemas(dir)) => {
    const a = Fastify({ ajv, schemaController: { compilersFactory: compilers } });
    a.post('/echo', {
      schema: {
        body: { type: 'object', properties: { name: { type: 'string', maxLength } }, required: ['name'], additionalProperties: false },
        headers: { type: 'object', properties: { 'X-Tag': { type: 'string', maxLength: 3 } } },
        response: { 200: { type: 'object', properties: { name: { type: 'string' }, tag: { anyOf: [{ type: 'string' }, { type: 'null' }] } } } },
      },
    }, async (req) => ({ name: (req.body as { name: string }).name, tag: req.headers['x-tag'] ?? null, dropped: true }));
    await a.ready();
    return { app: a, compilers };
  };
  const send = (a: FastifyInstance, name: string, tag?: string) =>
    a.inject({ method: 'POST', url: '/echo', payload: { name }, headers: tag === undefined ? {} : { 'x-tag': tag } });

  let dir: string;
  beforeAll(async () => {
    dir = path.join(tmp, 'echo');
    const recording = recordingSchemas();
    const made = await app(5, dir, recording.compilers as never);
    await made.app.close();
    expect(await recording.write(dir)).toEqual({ validators: 2, serializers: 1 });
  });

  it('the same schemas come from the build, and behave as compiled ones', async () => {
    const { app: a, compilers } = await app(5, dir);
    expect(compilers.counts).toEqual({ precompiled: 3, compiledHere: 0 });
    expect((await send(a, 'abcde', 'ab')).json()).toEqual({ name: 'abcde', tag: 'ab' });
    expect((await send(a, 'abcdef')).statusCode).toBe(400);
    // Header names are matched lower-cased, as Fastify does with its own compiler.
    expect((await send(a, 'abc', 'abcd')).statusCode).toBe(400);
    await a.close();
  });

  it('a schema changed since the build is compiled at start, and its change holds', async () => {
    const { app: a, compilers } = await app(8, dir);
    expect(compilers.counts).toEqual({ precompiled: 2, compiledHere: 1 });
    expect((await send(a, 'abcdefgh')).statusCode).toBe(200);
    expect((await send(a, 'abcdefghi')).statusCode).toBe(400);
    await a.close();
  });

  it('code from other compiler versions is not used', async () => {
    const copy = path.join(tmp, 'echo-other');
    await cp(dir, copy, { recursive: true });
    const index = JSON.parse(await readFile(path.join(copy, 'index.json'), 'utf8'));
    await writeFile(path.join(copy, 'index.json'), JSON.stringify({ ...index, toolchain: `${index.toolchain} ajv@0.0.1` }));
    const { app: a, compilers } = await app(5, copy);
    expect(compilers.counts).toEqual({ precompiled: 0, compiledHere: 3 });
    expect((await send(a, 'abcdef')).statusCode).toBe(400);
    await a.close();
  });

  it('a compiled file gone after the start is compiled when first needed', async () => {
    const copy = path.join(tmp, 'echo-gone');
    await cp(dir, copy, { recursive: true });
    const { app: a, compilers } = await app(5, copy);
    expect(compilers.counts.precompiled).toBe(3);
    for (const file of await readdir(copy)) if (file.startsWith('validators-')) await rm(path.join(copy, file));
    expect((await send(a, 'abcde')).statusCode).toBe(200);
    expect((await send(a, 'abcdef')).statusCode).toBe(400);
    await a.close();
  });
});
