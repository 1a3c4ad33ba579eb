/**
 * A command on an order this process answered with is decided on that order, without reading it
 * again. That is only ever a shortcut: the save holds only if the stored order is still at that
 * version and the workflow's changes at that revision, and a refusal is never answered from it.
 * Each case below would answer something else than a fresh read does if one of those were missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { statementsOf } from '../support/statements.js';
import { admin, input, ok, uniqueSku } from '../stock/helpers.js';

let t: TestApp;
let other: Ordo;
beforeAll(async () => {
  t = await startTestApp();
  // Another Ordo process on the same database.
  other = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false, clock: t.ordo.clock });
});
afterAll(async () => {
  await other.close();
  await t.close();
});

const newOrder = async () => ok(await t.ordo.orders.create(input([{ sku: uniqueSku('KEPT'), quantity: 1 }]), admin));
const toOrder = (to: string) => ({ type: 'transition', track: 'order', to }) as const;
/** The command's reads and writes of the order (a write moving stock, as a cancellation does, is a write too). */
const commandStatements = (sent: string[]) => sent.flatMap((q) => (q.startsWith('ordo_find_order') ? ['read'] : q.startsWith('ordo_update_order') ? ['write'] : []));

describe('an order this process answered with', () => {
  it('is changed without being read again', async () => {
    const order = await newOrder();
    let answer: Awaited<ReturnType<typeof newOrder>> | undefined;
    const sent = await statementsOf(async () => {
      answer = ok(await t.ordo.orders.execute(order.id, toOrder('in_review'), admin));
    });
    expect(commandStatements(sent)).toEqual(['write']);
    expect(answer!.status.order).toBe('in_review');
    expect(answer!.version).toBe(order.version + 1);
  });

  it('changed by another process since, is read and decided again: the answer is the order as committed', async () => {
    const order = await newOrder();
    ok(await other.orders.execute(order.id, toOrder('in_review'), admin));
    let answer: Awaited<ReturnType<typeof newOrder>> | undefined;
    const sent = await statementsOf(async () => {
      answer = ok(await t.ordo.orders.execute(order.id, toOrder('cancelled'), admin));
    });
    // The save on the kept version wrote nothing; the order as stored was read and decided on.
    expect(commandStatements(sent)).toEqual(['write', 'read', 'write']);
    expect(answer!.status.order).toBe('cancelled');
    expect(answer!.version).toBe(order.version + 2);
    const history = ok(await t.ordo.orders.history(order.id, admin));
    expect(history.filter((h) => h.type === 'order.status_changed' && h.track === 'order').map((h) => `${h.from}>${h.to}`).slice(-2)).toEqual(['placed>in_review', 'in_review>cancelled']);
  });

  it('is never the ground of a refusal: a command it would refuse is decided again on the order as stored', async () => {
    const order = await newOrder();
    // Back to placed is a move from in review only: refused on the kept order (placed), allowed on the stored one.
    ok(await other.orders.execute(order.id, toOrder('in_review'), admin));
    const answer = ok(await t.ordo.orders.execute(order.id, toOrder('placed'), admin));
    expect(answer.status.order).toBe('placed');
    expect(answer.version).toBe(order.version + 2);
  });

  it('is not decided on a workflow whose changes moved on: a status renamed since shows in the answer', async () => {
    const order = await newOrder();
    const label = (await t.call('GET', '/v1/workflows/standard')).body.tracks[0].states.find((s: { id: string }) => s.id === 'in_review').label as string;
    const renamed = await t.call('PUT', '/v1/workflows/standard/statuses/order/in_review', { label: 'Being checked' });
    expect(renamed.status, renamed.text).toBe(200);
    try {
      const answer = ok(await t.ordo.orders.execute(order.id, toOrder('in_review'), admin));
      expect(answer.statusLabels.order).toBe('Being checked');
    } finally {
      expect((await t.call('PUT', '/v1/workflows/standard/statuses/order/in_review', { label })).status).toBe(200);
    }
  });
});

describe('a parcel of an order this process answered with', () => {
  it('is moved without looking up its order', async () => {
    const order = await newOrder();
    const packed = ok(await t.ordo.fulfillments.create(order.id, { lines: [{ lineId: order.lines[0]!.id, quantity: 1 }], carrier: 'DHL' }, admin));
    const parcel = packed.fulfillments[0]!.id;
    let answer: Awaited<ReturnType<typeof newOrder>> | undefined;
    const sent = await statementsOf(async () => {
      answer = ok(await t.ordo.fulfillments.transition(parcel, 'shipped', admin));
    });
    // Before, the route's parcel id was looked up in order_refs (ordo_ref_order) first.
    expect(sent.filter((q) => !q.includes('pg_notify'))).toEqual(['ordo_update_order']);
    expect(answer!.fulfillments[0]).toMatchObject({ id: parcel, state: 'shipped' });
  });
});
