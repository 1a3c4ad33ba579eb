/**
 * A real Ordo (engine + HTTP) on a fresh database with the notification options a suite needs,
 * and helpers to read what it made. Like test/support/app.ts, which takes no notifier options.
 */
import { ManualClock } from '../../src/engine/clock.js';
import { createOrdo, type OrdoOptions } from '../../src/engine/ordo.js';
import { buildServer } from '../../src/http/server.js';
import { injector, type Reply, type TestApp } from '../support/app.js';
import { freshDatabase } from '../support/database.js';

export const STAFF = 'shop-admin@example.com';

export async function startNotifyingApp(options: Partial<OrdoOptions> = {}): Promise<TestApp> {
  const clock = new ManualClock(new Date('2026-01-05T09:00:00Z'));
  const ordo = await createOrdo({ databaseUrl: await freshDatabase(), migrate: false, clock, poolSize: 10, staffEmail: STAFF, ...options });
  const app = await buildServer(ordo);
  const adminKey = 'test-admin-key';
  await ordo.apiKeys.ensure(adminKey, { role: 'admin', name: 'test admin' });
  const call = injector(app, adminKey);
  return {
    ordo, app, clock, adminKey, call,
    storefrontKey: async (customerId) => (await ordo.apiKeys.create({ role: 'storefront', name: `shop for ${customerId}`, customerId })).key,
    close: async () => {
      await app.close();
      await ordo.close();
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are checked field by field
export type Json = any;

/** The reply's body, failing the test with the problem when the call was refused. */
export function ok(res: Reply): Json {
  if (res.status >= 300) throw new Error(`${res.status}: ${res.text}`);
  return res.body;
}

/** Runs the relay once, then lists the order's messages as the API shows them. */
export async function messagesOf(t: TestApp, orderId: string): Promise<Json[]> {
  await t.ordo.relay.drain();
  return ok(await t.call('GET', `/v1/orders/${orderId}/notifications`)).items;
}

export const named = (items: Json[], message: string): Json[] => items.filter((n) => n.message === message);
