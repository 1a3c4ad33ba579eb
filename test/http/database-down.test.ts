/**
 * The API while its database is away: 503 problem+json with Retry-After (not 500), fast, and
 * 200 again on its own once the database is back. A PostgreSQL of this suite's own, to stop.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { buildServer } from '../../src/http/server.js';
import { freePort, startEmbedded, type EmbeddedServer } from '../../src/store/embedded.js';
import { migrate } from '../../src/store/migrate.js';
import { isDatabaseUnavailable } from '../../src/store/unavailable.js';

const KEY = 'database-down-admin-key';
const auth = { authorization: `Bearer ${KEY}` };

describe('a database that stops and comes back', () => {
  let dataDir: string;
  let port: number;
  let server: EmbeddedServer;
  let ordo: Ordo;
  let app: FastifyInstance;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordo-down-'));
    port = await freePort();
    server = await startEmbedded({ dataDir, port });
    await migrate(server.url);
    ordo = await createOrdo({ databaseUrl: server.url, migrate: false });
    await ordo.apiKeys.ensure(KEY, { role: 'admin', name: 'admin' });
    app = await buildServer(ordo);
  });
  afterAll(async () => {
    await app?.close();
    await ordo?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const order = { currency: 'EUR', lines: [{ sku: 'DOWN-1', quantity: 1, unitPrice: 500 }] };

  it('answers 503 database_unavailable with Retry-After while it is down, and 200 once it is back', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/orders', headers: auth })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);

    await server.stop();

    for (const request of [
      { method: 'GET', url: '/v1/orders', headers: auth },
      { method: 'POST', url: '/v1/orders', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify(order) },
    ] as const) {
      const res = await app.inject(request);
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json()).toMatchObject({ status: 503, code: 'database_unavailable' });
    }
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(503);
    expect(health.headers['retry-after']).toBe('5');
    expect(health.json()).toEqual({ status: 'unavailable', database: false });

    // Same directory, same port: the pool's URL. Nothing in the app is restarted.
    server = await startEmbedded({ dataDir, port });

    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const created = await app.inject({ method: 'POST', url: '/v1/orders', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify(order) });
    expect(created.statusCode).toBe(201);
    expect((await app.inject({ method: 'GET', url: '/v1/orders', headers: auth })).statusCode).toBe(200);
  });
});

describe('a database that accepts connections but never answers', () => {
  let hole: net.Server;
  const sockets = new Set<net.Socket>();
  let ordo: Ordo;
  let app: FastifyInstance;
  beforeAll(async () => {
    hole = net.createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
    const { port } = hole.address() as net.AddressInfo;
    ordo = await createOrdo({ databaseUrl: `postgres://ordo:ordo@127.0.0.1:${port}/ordo`, migrate: false });
    app = await buildServer(ordo);
  });
  afterAll(async () => {
    await app?.close();
    await ordo?.close();
    for (const s of sockets) s.destroy();
    hole.close();
  });

  it('fails a request within the pool connection timeout, as 503, rather than holding it', async () => {
    const started = Date.now();
    const res = await app.inject({ method: 'GET', url: '/v1/orders', headers: auth });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(Date.now() - started).toBeLessThan(7000);
  }, 15_000);

  it('answers /healthz 503 within its own limit', async () => {
    const started = Date.now();
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(503);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('isDatabaseUnavailable', () => {
  it('recognises a refused connection as node-postgres reports it', async () => {
    const client = new pg.Client({ connectionString: `postgres://ordo:ordo@127.0.0.1:${await freePort()}/ordo` });
    const err = await client.connect().then(() => undefined, (e: unknown) => e);
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['admin shutdown', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['server starting', Object.assign(new Error('the database system is starting up'), { code: '57P03' })],
    ['connection failure', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['unable to connect', Object.assign(new Error('could not connect'), { code: '08001' })],
    ['reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['terminated connection', new Error('Connection terminated unexpectedly')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['wrapped refusal', new Error('could not load the order', { cause: new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], '') })],
  ])('says yes to %s', (_name, err) => expect(isDatabaseUnavailable(err)).toBe(true));

  it.each([
    ['a syntax error', Object.assign(new Error('syntax error'), { code: '42601' })],
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a serialization failure', Object.assign(new Error('could not serialize'), { code: '40001' })],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['nothing', undefined],
  ])('says no to %s', (_name, err) => expect(isDatabaseUnavailable(err)).toBe(false));
});
