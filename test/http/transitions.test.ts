/** POST /v1/orders/{id}/transitions: allowed changes, typed refusals, If-Match, and races. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';
import { expectProblem, historyRows, outboxRows } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const placeOrder = async (): Promise<string> => {
  const res = await t.call('POST', '/v1/orders', orderBody());
  expect(res.status).toBe(201);
  return res.body.id;
};
const transition = (id: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
  t.call('POST', `/v1/orders/${id}/transitions`, body, headers ? { headers } : {});
const read = async (id: string) => (await t.call('GET', `/v1/orders/${id}`)).body;

/** The order, its history and its outbox are exactly as they were. */
async function expectUnchanged(id: string, before: { version: number; status: Record<string, string>; history: number; outbox: number }) {
  const now = await read(id);
  expect(now.version).toBe(before.version);
  expect(now.status).toEqual(before.status);
  expect(await historyRows(t, id)).toHaveLength(before.history);
  expect(await outboxRows(t, id)).toHaveLength(before.outbox);
}
const snapshot = async (id: string) => {
  const o = await read(id);
  return { version: o.version as number, status: o.status as Record<string, string>, history: (await historyRows(t, id)).length, outbox: (await outboxRows(t, id)).length };
};

describe('allowed transitions', () => {
  it('lets an admin cancel a placed order: 200, version 2, ETag "2"', async () => {
    const id = await placeOrder();
    const res = await transition(id, { to: 'cancelled', reason: 'out of stock' });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({ id, version: 2, status: { order: 'cancelled', payment: 'unpaid', fulfillment: 'unfulfilled' } });
    expect(res.body.next.order).toEqual([]);
    const again = await t.call('GET', `/v1/orders/${id}`);
    expect(again.body.version).toBe(2);
    expect(again.body.status.order).toBe('cancelled');
    expect(again.headers.etag).toBe('"2"');
  });

  it('finds the track from the status when no track is named, and takes a named one', async () => {
    const id = await placeOrder();
    const shipped = await transition(id, { to: 'shipped' });
    expect(shipped.status).toBe(200);
    expect(shipped.body.status.fulfillment).toBe('shipped');
    const delivered = await transition(id, { track: 'fulfillment', to: 'delivered' });
    expect(delivered.status).toBe(200);
    expect(delivered.body.version).toBe(3);
    expect(delivered.body.status).toEqual({ order: 'placed', payment: 'unpaid', fulfillment: 'delivered' });
  });

  it('runs the reactions a change triggers: paid and delivered completes the order', async () => {
    const id = await placeOrder();
    await transition(id, { track: 'fulfillment', to: 'shipped' });
    await transition(id, { track: 'fulfillment', to: 'delivered' });
    const paid = await transition(id, { track: 'payment', to: 'paid' });
    expect(paid.status).toBe(200);
    expect(paid.body.status).toEqual({ order: 'completed', payment: 'paid', fulfillment: 'delivered' });
    // One command, one version step, even though two statuses changed.
    expect(paid.body.version).toBe(4);
  });

  it('places a draft by hand and records when', async () => {
    const draft = await t.call('POST', '/v1/orders', orderBody({ draft: true }));
    t.clock.advance(60);
    const res = await transition(draft.body.id, { to: 'placed' });
    expect(res.status).toBe(200);
    expect(res.body.status.order).toBe('placed');
    expect(res.body.placedAt).toBe(t.clock.now().toISOString());
    expect(res.body.updatedAt).toBe(t.clock.now().toISOString());
    expect(res.body.createdAt).toBe(draft.body.createdAt);
  });
});

describe('refused transitions change nothing', () => {
  it('refuses a change the workflow does not allow: 409 transition_not_allowed with the allowed next statuses', async () => {
    const id = await placeOrder();
    const before = await snapshot(id);
    const res = await transition(id, { track: 'order', to: 'draft' });
    expectProblem(res, 409, 'transition_not_allowed');
    expect(res.body).toMatchObject({ track: 'order', from: 'placed', to: 'draft', allowed: ['in_review', 'cancelled'] });
    expect(before.version).toBe(1);
    await expectUnchanged(id, before);
  });

  it('lists no next statuses out of a terminal state', async () => {
    const id = await placeOrder();
    await transition(id, { to: 'cancelled' });
    const before = await snapshot(id);
    const res = await transition(id, { to: 'placed' });
    expectProblem(res, 409, 'transition_not_allowed');
    expect(res.body).toMatchObject({ from: 'cancelled', to: 'placed', allowed: [] });
    await expectUnchanged(id, before);
  });

  it('refuses a transition whose guard does not hold: 409 guard_failed', async () => {
    const id = await placeOrder();
    const before = await snapshot(id);
    const res = await transition(id, { to: 'completed' });
    expectProblem(res, 409, 'guard_failed');
    expect(res.body.detail).toContain('payment');
    await expectUnchanged(id, before);
  });

  it('refuses an unknown status (422 unknown_status)', async () => {
    const id = await placeOrder();
    const before = await snapshot(id);
    expectProblem(await transition(id, { to: 'teleported' }), 422, 'unknown_status');
    const onWrongTrack = await transition(id, { track: 'order', to: 'paid' });
    expectProblem(onWrongTrack, 422, 'unknown_status');
    expect(onWrongTrack.body.statuses).toEqual(['draft', 'awaiting_approval', 'in_review', 'placed', 'completed', 'cancelled']);
    await expectUnchanged(id, before);
  });

  it('refuses an unknown track (422 unknown_track)', async () => {
    const id = await placeOrder();
    const before = await snapshot(id);
    const res = await transition(id, { track: 'shipping', to: 'shipped' });
    expectProblem(res, 422, 'unknown_track');
    expect(res.body.tracks).toEqual(['order', 'payment', 'fulfillment']);
    await expectUnchanged(id, before);
  });

  it('refuses malformed bodies with 400', async () => {
    const id = await placeOrder();
    const before = await snapshot(id);
    expectProblem(await transition(id, {}), 400, 'invalid_request');
    expectProblem(await transition(id, { to: 'cancelled', force: true }), 400, 'invalid_request');
    expectProblem(await transition(id, { to: 7 }), 400, 'invalid_request');
    expectProblem(await transition(id, { to: '' }), 400, 'invalid_request');
    expectProblem(await transition(id, { to: 'cancelled', reason: 'x'.repeat(1001) }), 400, 'invalid_request');
    await expectUnchanged(id, before);
  });

  it('answers 404 for an order that does not exist, whatever the id looks like', async () => {
    expectProblem(await transition('01890000-0000-7000-8000-000000000000', { to: 'cancelled' }), 404, 'order_not_found');
    expectProblem(await transition('not-an-id', { to: 'cancelled' }), 404, 'order_not_found');
  });
});

describe('If-Match', () => {
  it('refuses a stale version, quoted or not, with 412 version_mismatch and changes nothing', async () => {
    const id = await placeOrder();
    expect((await transition(id, { track: 'payment', to: 'paid' })).body.version).toBe(2);
    const before = await snapshot(id);
    for (const ifMatch of ['"1"', '1', 'W/"1"']) {
      const res = await transition(id, { to: 'cancelled' }, { 'if-match': ifMatch });
      expectProblem(res, 412, 'version_mismatch');
      expect(res.body).toMatchObject({ currentVersion: 2, expectedVersion: 1 });
      await expectUnchanged(id, before);
    }
    // A version from the future is just as stale.
    expectProblem(await transition(id, { to: 'cancelled' }, { 'if-match': '"3"' }), 412, 'version_mismatch');
    await expectUnchanged(id, before);
  });

  it('applies the change when If-Match is the current version, quoted or not', async () => {
    const id = await placeOrder();
    const first = await transition(id, { track: 'fulfillment', to: 'shipped' }, { 'if-match': '"1"' });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    const second = await transition(id, { track: 'fulfillment', to: 'delivered' }, { 'if-match': '2' });
    expect(second.status).toBe(200);
    expect(second.body.version).toBe(3);
    expect(second.headers.etag).toBe('"3"');
    // The ETag of one answer is the If-Match of the next.
    const third = await transition(id, { to: 'cancelled' }, { 'if-match': String(second.headers.etag) });
    expect(third.status).toBe(200);
    expect(third.body.version).toBe(4);
  });

  it('takes If-Match: * as "whatever version the order is at"', async () => {
    const id = await placeOrder();
    await transition(id, { track: 'fulfillment', to: 'shipped' });
    const res = await transition(id, { to: 'cancelled' }, { 'if-match': '*' });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(3);
  });

  it('refuses a malformed If-Match with 400 and changes nothing', async () => {
    const id = await placeOrder();
    const before = await snapshot(id);
    for (const ifMatch of ['abc', '"one"', '-1', '1.5', '"1", "2"', '']) {
      const res = await transition(id, { to: 'cancelled' }, { 'if-match': ifMatch });
      expectProblem(res, 400, 'invalid_request');
      expect(res.body.detail).toContain('If-Match');
    }
    await expectUnchanged(id, before);
  });
});

describe('concurrent transitions', () => {
  it('with the same If-Match: exactly one applies, the others get 412, one history row is added', async () => {
    const id = await placeOrder();
    const historyBefore = (await historyRows(t, id)).length;
    const outboxBefore = (await outboxRows(t, id)).length;
    const results = await Promise.all(Array.from({ length: 10 }, () => transition(id, { to: 'cancelled' }, { 'if-match': '"1"' })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412, 412, 412, 412, 412, 412]);
    for (const r of results.filter((x) => x.status === 412)) expect(r.body.code).toBe('version_mismatch');
    const after = await read(id);
    expect(after.version).toBe(2);
    expect(after.status.order).toBe('cancelled');
    expect(await historyRows(t, id)).toHaveLength(historyBefore + 1);
    expect(await outboxRows(t, id)).toHaveLength(outboxBefore + 1);
  });

  it('without If-Match on different tracks: all apply, the version rises by exactly the number applied', async () => {
    const id = await placeOrder();
    const historyBefore = (await historyRows(t, id)).length;
    // Changes that do not depend on each other (shipping would on the order not being cancelled or held).
    const results = await Promise.all([
      transition(id, { track: 'payment', to: 'paid' }),
      transition(id, { track: 'fulfillment', to: 'shipped' }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    // Each answer saw a distinct version: no two of them were saved over the same one.
    expect(results.map((r) => r.body.version).sort()).toEqual([2, 3]);
    const after = await read(id);
    expect(after.version).toBe(3);
    expect(after.status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'shipped' });
    const added = (await historyRows(t, id)).slice(historyBefore).filter((r) => r.track !== null);
    expect(added.map((r) => `${r.track}:${r.from_state}->${r.to_state}`).sort()).toEqual([
      'fulfillment:unfulfilled->shipped',
      'payment:unpaid->paid',
    ]);
  });

  it('without If-Match on the same change: one applies, the rest are refused by the workflow, none lost or doubled', async () => {
    const id = await placeOrder();
    const results = await Promise.all(Array.from({ length: 6 }, () => transition(id, { to: 'cancelled' })));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ code: 'transition_not_allowed', from: 'cancelled' });
    }
    expect((await read(id)).version).toBe(2);
    expect((await historyRows(t, id)).filter((r) => r.to_state === 'cancelled')).toHaveLength(1);
  });
});
