/**
 * Issue 10, crash after commit: POST /v1/orders with a card payment and an Idempotency-Key;
 * the server dies after the order committed and before it answered. The client's retry (same
 * key, same body) after the restart must get the order that committed, never a second order
 * or a second charge, also once the key's takeover window (ABANDONED_AFTER_SECONDS) has passed.
 *
 * The kill is placed with database locks, not with luck: the test holds a lock the server's
 * next step needs, waits until the order row is visible, and kills the server while it waits.
 *   - before the charge: SHARE lock on the simulated gateway's books, so its INSERT (the money
 *     moving) blocks right after the order committed;
 *   - after the charge: then a row lock on the order, the gateway lock let go, and the kill once
 *     the gateway's books show the charge, so the server dies recording the gateway's answer.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { OrdoClient } from './support/client.js';
import { is2xx } from './support/client.js';
import { ADMIN_KEY, useOrdoProcess, sleep, type OrdoProcess } from './support/server.js';

let ordo: OrdoProcess;
let http: OrdoClient;
useOrdoProcess((o, h) => {
  ordo = o;
  http = h;
});

type Stage = 'before the charge' | 'after the charge';

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${ordo.log()}`);
    await sleep(5);
  }
}

const one = async <T extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<T | undefined> => (await ordo.db.query<T>(sql, values)).rows[0];

/** Sends the create, kills the server at `stage` of it, and starts it again; returns what committed. */
async function crashDuringCreate(stage: Stage, label: string) {
  const key = `crash-${randomUUID()}`;
  const email = `${label}-${randomUUID().slice(0, 8)}@faults.example`;
  const body = {
    currency: 'EUR',
    customer: { email },
    // An untracked SKU: the order commits in one statement, and nothing but the locks below holds it up.
    lines: [{ sku: 'CRASH-UNTRACKED', quantity: 1, unitPrice: 2500 }],
    payment: { method: 'card' },
    metadata: { faultKey: key },
  };
  const gatewayLock = new pg.Client({ connectionString: ordo.databaseUrl });
  const orderLock = new pg.Client({ connectionString: ordo.databaseUrl });
  await gatewayLock.connect();
  await orderLock.connect();
  try {
    await gatewayLock.query('BEGIN');
    await gatewayLock.query('LOCK TABLE simulated_gateway_operations IN SHARE MODE');
    // The first attempt, by hand: it must die with the server, not be answered.
    const first = fetch(`${ordo.base}/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    }).then((r) => `answered ${r.status}`, (err: unknown) => `failed: ${err instanceof Error ? err.message : String(err)}`);
    const committed = await until('the order row', () => one<{ id: string; intent_key: string | null }>(
      `SELECT id, body->'payments'->0->'intent'->>'key' AS intent_key FROM orders WHERE body->'metadata'->>'faultKey' = $1`, [key]));
    if (stage === 'after the charge') {
      await orderLock.query('BEGIN');
      await orderLock.query('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [committed.id]);
      await gatewayLock.query('COMMIT');
      expect(committed.intent_key, 'the order committed with its gateway call recorded as an intent').toBeTruthy();
      await until('the charge in the gateway\'s books', () => one('SELECT 1 AS x FROM simulated_gateway_operations WHERE key = $1', [committed.intent_key]));
    }
    await ordo.kill();
    expect(await first, 'the first attempt got no answer: the kill landed between commit and answer').toMatch(/^failed/);
    return { key, email, body, orderId: committed.id };
  } finally {
    await gatewayLock.query('ROLLBACK').catch(() => {});
    await orderLock.query('ROLLBACK').catch(() => {});
    await gatewayLock.end();
    await orderLock.end();
    await ordo.start();
  }
}

/** Lets the server's recovery finish the gateway call now instead of 30 s on, and waits for it. */
async function finishGatewayCalls(email: string): Promise<void> {
  await ordo.db.query(`UPDATE payments SET intent_at = intent_at - interval '1 minute' WHERE intent_at IS NOT NULL AND order_id IN (SELECT order_id FROM order_search WHERE search LIKE $1)`, [`%${email}%`]);
  await until('recovery of the unanswered gateway call', () => one(`SELECT 1 AS x WHERE NOT EXISTS (SELECT 1 FROM payments p JOIN order_search s ON s.order_id = p.order_id WHERE s.search LIKE $1 AND p.intent_at IS NOT NULL)`, [`%${email}%`]));
}

/** One order for this customer and key, charged once, its payment captured once. */
async function expectChargedOnce(key: string, email: string, orderId: string): Promise<void> {
  const orders = await ordo.db.query<{ id: string; key: string | null; captured: number }>(
    `SELECT id, body->'metadata'->>'faultKey' AS key, (SELECT coalesce(sum((p->>'captured')::int), 0) FROM jsonb_array_elements(body->'payments') p)::int AS captured
     FROM orders WHERE id IN (SELECT order_id FROM order_search WHERE search LIKE $1)`, [`%${email}%`]);
  expect(orders.rows.map((r) => r.id), `orders of ${email} (key ${key})`).toEqual([orderId]);
  const charges = await ordo.db.query<{ n: number; amount: number }>(
    `SELECT count(*)::int AS n, coalesce(sum(amount), 0)::int AS amount FROM simulated_gateway_operations g
     WHERE g.operation = 'charge' AND g.result->>'reference' IN (SELECT 'sim_' || p.id FROM payments p WHERE p.order_id IN (SELECT order_id FROM order_search WHERE search LIKE $1))`, [`%${email}%`]);
  expect(charges.rows[0], 'charges at the gateway').toEqual({ n: 1, amount: 2500 });
  expect(orders.rows[0]!.captured, 'captured on the order').toBe(2500);
}

describe('killed between the commit and the answer of POST /v1/orders', () => {
  for (const stage of ['before the charge', 'after the charge'] as const) {
    it(`${stage}: the retry with the same key and body answers the committed order`, async () => {
      const { key, email, body, orderId } = await crashDuringCreate(stage, 'crash-retry');
      // An honest client: same key, same body; it waits a while on "still in progress".
      const retry = await http.send('POST', '/v1/orders', body, { key, inProgressMs: 10_000 });
      await finishGatewayCalls(email);
      // Soft: the database checks below say whether a second order or charge came of it, too.
      expect.soft(retry.kind === 'answer' ? `${retry.status} ${JSON.stringify(retry.body).slice(0, 300)}` : retry.why).toMatch(/^2\d\d /);
      expect.soft(is2xx(retry) && retry.body.id, 'the order the retry answered').toBe(orderId);
      await expectChargedOnce(key, email, orderId);
    });

    it(`${stage}: the retry after the takeover window still answers the committed order`, async () => {
      const { key, email, body, orderId } = await crashDuringCreate(stage, 'crash-takeover');
      // ABANDONED_AFTER_SECONDS (300) have passed, as far as the key's row can tell.
      const aged = await ordo.db.query(`UPDATE idempotency_keys SET created_at = created_at - interval '10 minutes' WHERE key = $1`, [key]);
      expect(aged.rowCount, 'the idempotency key row of the first attempt').toBe(1);
      const retry = await http.send('POST', '/v1/orders', body, { key, inProgressMs: 10_000 });
      await finishGatewayCalls(email);
      // Soft: the database checks below say whether a second order or charge came of it, too.
      expect.soft(retry.kind === 'answer' ? `${retry.status} ${JSON.stringify(retry.body).slice(0, 300)}` : retry.why).toMatch(/^2\d\d /);
      expect.soft(is2xx(retry) && retry.body.id, 'the order the retry answered').toBe(orderId);
      await expectChargedOnce(key, email, orderId);
    });
  }
});
