/**
 * Long synchronous work shares the event loop: a placing's messages and a sweep's decisions are
 * made in slices, and I/O that arrived meanwhile (a request, a query's answer) runs between them
 * instead of after the whole batch.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/engine/clock.js';
import { newId } from '../../src/engine/ids.js';
import { Templates } from '../../src/engine/notifications/templates.js';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { Turns } from '../../src/engine/turns.js';
import { freshDatabase } from '../support/database.js';
import { admin, input, ok, uniqueSku } from '../stock/helpers.js';

/** Holds the thread for `ms`, as a heavy template or decision would. */
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('Turns', () => {
  it('lets waiting I/O run once its slice is used up', async () => {
    const turns = new Turns(0);
    let ran = false;
    setImmediate(() => (ran = true));
    await turns.share();
    expect(ran).toBe(true);
  });

  it('goes on at once within its slice', async () => {
    const turns = new Turns(60_000);
    let ran = false;
    const immediate = setImmediate(() => (ran = true));
    await turns.share();
    expect(ran).toBe(false);
    clearImmediate(immediate);
  });
});

describe('in the engine', () => {
  /** What ran in which order: 'work' for each slow step, 'io' for an immediate queued at the first. */
  let log: string[] = [];
  let armed = false;
  const step = () => {
    if (!armed) return;
    if (!log.includes('work')) setImmediate(() => log.push('io'));
    log.push('work');
    busy(1);
  };
  const arm = () => {
    log = [];
    armed = true;
  };

  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
  let ordo: Ordo;
  beforeAll(async () => {
    ordo = await createOrdo({ databaseUrl: await freshDatabase(), migrate: false, clock, newId: () => (step(), newId()) });
  });
  afterAll(() => ordo.close());

  it("renders a placing's messages in slices: I/O waiting since the first runs before the last", async () => {
    await ordo.relay.place();
    const sku = uniqueSku('TURNS');
    ok(await ordo.stock.set(sku, { onHand: 10 }, admin));
    for (let i = 0; i < 6; i++) ok(await ordo.orders.create(input([{ sku, quantity: 1 }]), admin));
    const render = Templates.prototype.render;
    const spy = vi.spyOn(Templates.prototype, 'render').mockImplementation(function (this: Templates, ...args) {
      step();
      return render.apply(this, args);
    });
    try {
      arm();
      const placed = await ordo.relay.place();
      armed = false;
      expect(placed).toBeGreaterThanOrEqual(6);
      expect(spy.mock.calls.length).toBeGreaterThanOrEqual(6);
      expect(log.indexOf('io')).toBeGreaterThan(0);
      expect(log.indexOf('io')).toBeLessThan(log.lastIndexOf('work'));
    } finally {
      spy.mockRestore();
    }
  });

  it("decides a sweep's batch in slices: I/O waiting since the first decision runs before the last", async () => {
    const sku = uniqueSku('TURNS');
    ok(await ordo.stock.set(sku, { onHand: 10 }, admin));
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(ok(await ordo.orders.create(input([{ sku, quantity: 1 }]), admin)).id);
    clock.advance(30 * 86_400);
    arm();
    // One part: the decisions of one lane, one after another.
    const swept = await ordo.sweeper.sweep(undefined, 500, 1);
    armed = false;
    expect(swept.fired).toBeGreaterThanOrEqual(6);
    for (const id of ids) expect(ok(await ordo.orders.get(id, admin)).status).toMatchObject({ order: 'cancelled' });
    expect(log.filter((e) => e === 'work').length).toBeGreaterThanOrEqual(6);
    expect(log.indexOf('io')).toBeGreaterThan(0);
    expect(log.indexOf('io')).toBeLessThan(log.lastIndexOf('work'));
  });
});
