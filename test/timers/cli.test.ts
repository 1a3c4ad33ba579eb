/** `ordo sweep [--at]` and `ordo check stock`, run as child processes against a database prepared in-process. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clock.js';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { freshDatabase } from '../support/database.js';
import { admin, history, input, ok, uniqueSku } from '../stock/helpers.js';
import { runOrdo } from '../support/cli.js';

const run = (args: string[], databaseUrl: string) => runOrdo(args, { DATABASE_URL: databaseUrl });

const START = new Date('2026-03-01T12:00:00.000Z');
const HOUR = 3600 * 1000;
const iso = (ms: number) => new Date(START.getTime() + ms).toISOString();

describe('ordo sweep', () => {
  let url: string;
  let ordo: Ordo;
  let orderId: string;
  beforeAll(async () => {
    url = await freshDatabase();
    ordo = await createOrdo({ databaseUrl: url, migrate: false, clock: new ManualClock(START) });
    const sku = uniqueSku('CLI-SWEEP');
    ok(await ordo.stock.set(sku, { onHand: 3 }, admin));
    orderId = ok(await ordo.orders.create(input([{ sku, quantity: 2 }]), admin)).id;
  });
  afterAll(() => ordo.close());

  it('--at before the deadline fires nothing; --at after it fires the timer once and the order is cancelled', async () => {
    const early = await run(['sweep', '--at', iso(71 * HOUR)], url);
    expect(early.code).toBe(0);
    expect(early.stdout).toMatch(/^fired 0 timer\(s\) due by 2026-03-04T11:00:00\.000Z$/m);
    expect(ok(await ordo.orders.get(orderId, admin)).status.order).toBe('placed');

    const due = await run(['sweep', '--at', iso(73 * HOUR)], url);
    expect(due.code, due.stderr).toBe(0);
    expect(due.stdout).toMatch(/^fired 1 timer\(s\) due by 2026-03-04T13:00:00\.000Z$/m);
    const after = ok(await ordo.orders.get(orderId, admin));
    expect(after.status.order).toBe('cancelled');
    expect(after.lines[0]).toMatchObject({ reserved: 0, committed: 0 });
    const fired = (await history(ordo.pool, orderId)).filter((h) => h.type === 'timer.fired');
    expect(fired).toHaveLength(1);
    // The firing happened at the --at time.
    expect((await ordo.pool.query<{ at: Date }>("SELECT at FROM order_history WHERE order_id = $1 AND type = 'timer.fired'", [orderId])).rows[0]!.at.toISOString()).toBe(iso(73 * HOUR));

    const again = await run(['sweep', '--at', iso(80 * HOUR)], url);
    expect(again.stdout).toMatch(/^fired 0 timer\(s\)/m);
  });

  it.each(['yesterday', '2026-13-45T99:00:00Z', ''])('a bad --at (%j) prints one line and exits 1', async (at) => {
    const res = await run(['sweep', '--at', at], url);
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^ordo: --at must be /);
    expect(res.stdout).toBe('');
  });
});

describe('ordo check stock', () => {
  it('reports every SKU consistent and exits 0; exits 1 naming the SKU once a row is corrupted', async () => {
    const url = await freshDatabase();
    const ordo = await createOrdo({ databaseUrl: url, migrate: false, clock: new ManualClock(START) });
    try {
      const a = uniqueSku('CLI-A');
      const b = uniqueSku('CLI-B');
      ok(await ordo.stock.set(a, { onHand: 5 }, admin));
      ok(await ordo.stock.set(b, { onHand: 2 }, admin));
      const o = ok(await ordo.orders.create(input([{ sku: a, quantity: 2 }, { sku: b, quantity: 1 }]), admin));
      ok(await ordo.orders.execute(o.id, { type: 'transition', track: 'payment', to: 'paid' }, admin));

      const good = await run(['check', 'stock'], url);
      expect(good.code, good.stderr).toBe(0);
      expect(good.stdout.trim()).toBe('2 SKU(s) checked, 0 inconsistent');

      await ordo.pool.query('UPDATE inventory SET on_hand = on_hand + 1 WHERE sku = $1', [b]);
      const bad = await run(['check', 'stock'], url);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain(`${b}: on hand 2 (ledger 1), reserved 0 (ledger 0)`);
      expect(bad.stdout).not.toContain(`${a}:`);
      expect(bad.stdout.trim().split('\n').at(-1)).toBe('2 SKU(s) checked, 1 inconsistent');
    } finally {
      await ordo.close();
    }
  });
});
