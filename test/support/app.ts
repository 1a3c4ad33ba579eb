/** A real Ordo (engine + HTTP) on a fresh database, and small helpers to call it. */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { ManualClock } from '../../src/engine/clock.js';
import { createOrdo, type Ordo, type OrdoOptions } from '../../src/engine/ordo.js';
import { buildServer } from '../../src/http/server.js';
import { freshDatabase } from './database.js';

export interface TestApp {
  readonly ordo: Ordo;
  readonly app: FastifyInstance;
  readonly clock: ManualClock;
  readonly adminKey: string;
  /** An HTTP request through the whole Fastify stack; `key` defaults to the admin key. */
  call(method: InjectOptions['method'], url: string, body?: unknown, opts?: { key?: string | null; headers?: Record<string, string> }): Promise<Reply>;
  storefrontKey(customerId: string): Promise<string>;
  close(): Promise<void>;
}

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked field by field
  readonly body: any;
  readonly text: string;
}

export interface TestAppOptions {
  /** Callback secrets per gateway (e.g. `{ simulated: 'whsec_...' }`); default: ORDO_GATEWAY_SECRET_<GATEWAY> from the environment, as createOrdo does. */
  readonly gatewaySecrets?: Readonly<Record<string, string>>;
  /** Fraud screening rules or a screener, as createOrdo takes them. */
  readonly fraud?: OrdoOptions['fraud'];
  /** The statement forms: suites that race run with both, since plain PostgreSQL runs the Citus ones too. */
  readonly statements?: OrdoOptions['statements'];
  /** 0: every command decided under the order's row lock, the path a hot order takes. */
  readonly optimisticAttempts?: number;
  /** Where messages go (default: stored, nothing leaves); `handingOn` sends them, as SMTP would. */
  readonly notifier?: OrdoOptions['notifier'];
}

/** A notifier that hands each message on (to nowhere): messages take the claim-and-send path, as with SMTP. */
export const handingOn = { name: 'handing-on', send: async () => {} } as const;

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const clock = new ManualClock(new Date('2026-01-05T09:00:00Z'));
  const ordo = await createOrdo({
    databaseUrl: await freshDatabase(), migrate: false, clock, poolSize: 20,
    ...(options.gatewaySecrets ? { gatewaySecrets: options.gatewaySecrets } : {}),
    ...(options.fraud ? { fraud: options.fraud } : {}),
    ...(options.statements ? { statements: options.statements } : {}),
    ...(options.optimisticAttempts !== undefined ? { optimisticAttempts: options.optimisticAttempts } : {}),
    ...(options.notifier ? { notifier: options.notifier } : {}),
  });
  const app = await buildServer(ordo);
  const adminKey = 'test-admin-key';
  await ordo.apiKeys.ensure(adminKey, { role: 'admin', name: 'test admin' });
  const call = injector(app, adminKey);
  return {
    ordo,
    app,
    clock,
    adminKey,
    call,
    storefrontKey: async (customerId) => (await ordo.apiKeys.create({ role: 'storefront', name: `shop for ${customerId}`, customerId })).key,
    close: async () => {
      await app.close();
      await ordo.close();
    },
  };
}

/** HTTP requests through the whole Fastify stack of `app`, with `adminKey` unless told otherwise; JSON bodies parsed. */
export function injector(app: FastifyInstance, adminKey: string): TestApp['call'] {
  return async (method, url, body, opts = {}) => {
    const key = opts.key === undefined ? adminKey : opts.key;
    const res = await app.inject({
      method,
      url,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, headers: res.headers, body: parsed, text: res.body };
  };
}

/** A small valid order body; override what a test cares about. */
export const orderBody = (over: Record<string, unknown> = {}) => ({
  currency: 'EUR',
  customer: { email: 'ada@example.com', name: 'Ada' },
  lines: [{ sku: 'TSHIRT-M', name: 'T-shirt', quantity: 2, unitPrice: 1999 }],
  shipping: { amount: 495 },
  ...over,
});
