/**
 * An Ordo (engine and HTTP) on a database of its own, for the webhook suites: a manual clock,
 * private targets allowed (the receiver is on loopback) and short attempts, unless told otherwise.
 */
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../../src/engine/clock.js';
import { createOrdo, type Ordo } from '../../../src/engine/ordo.js';
import type { WebhookOptions } from '../../../src/engine/webhooks/settings.js';
import { buildServer } from '../../../src/http/server.js';
import type { StatementsSetting } from '../../../src/store/dialect.js';
import { injector } from '../../support/app.js';
import { freshDatabase } from '../../support/database.js';

export const ADMIN_KEY = 'webhooks-admin-key';
export const admin = { kind: 'admin', id: 'webhook-tests' } as const;

export interface WebhookApp {
  readonly ordo: Ordo;
  readonly app: FastifyInstance;
  readonly clock: ManualClock;
  readonly databaseUrl: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked field by field
  call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface WebhookAppOptions {
  readonly databaseUrl?: string;
  readonly clock?: ManualClock;
  readonly webhooks?: WebhookOptions;
  readonly statements?: StatementsSetting;
}

/** Retries in these suites: fast enough to walk with the manual clock. */
export const TEST_SCHEDULE = '0s,5s,5m,30m';

export async function startWebhookApp(options: WebhookAppOptions = {}): Promise<WebhookApp> {
  const databaseUrl = options.databaseUrl ?? (await freshDatabase());
  const clock = options.clock ?? new ManualClock(new Date('2026-03-02T09:00:00Z'));
  const ordo = await createOrdo({
    databaseUrl, migrate: false, clock, poolSize: 10,
    ...(options.statements ? { statements: options.statements } : {}),
    webhooks: { allowPrivateTargets: true, attemptTimeoutMs: 1000, retrySchedule: TEST_SCHEDULE, random: () => 0.5, ...options.webhooks },
  });
  const app = await buildServer(ordo);
  await ordo.apiKeys.ensure(ADMIN_KEY, { role: 'admin', name: 'webhook tests' });
  return {
    ordo, app, clock, databaseUrl,
    call: injector(app, ADMIN_KEY),
    close: async () => {
      await app.close();
      await ordo.close();
    },
  };
}

/** An order, then `changes` status changes on it (placed and back out of review), each an event. */
export async function orderWithEvents(ordo: Ordo, changes = 0): Promise<string> {
  const made = await ordo.orders.create({ currency: 'EUR', customer: { email: 'ada@example.com' }, lines: [{ sku: 'HOOK-MUG', quantity: 1, unitPrice: 1200 }] }, admin);
  if (!made.ok) throw new Error(made.message);
  for (let i = 0; i < changes; i++) {
    const r = await ordo.orders.execute(made.value.id, { type: 'transition', track: 'order', to: i % 2 === 0 ? 'in_review' : 'placed', reason: `change ${i}` }, admin);
    if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  }
  return made.value.id;
}

/** The stream's events of an order, in sequence order. */
export async function eventsOf(ordo: Ordo, orderId: string): Promise<{ id: string; sequence: number; type: string }[]> {
  return (await ordo.pool.query('SELECT id, sequence, type FROM outbox WHERE order_id = $1 ORDER BY sequence', [orderId])).rows;
}

export async function deliveryRows(ordo: Ordo, subscriptionId: string) {
  return (await ordo.pool.query('SELECT * FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY position', [subscriptionId])).rows;
}
