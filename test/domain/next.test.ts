/** An order's `next`: only what the same decision would accept now, from this caller. */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { decide } from '../../src/domain/decide.js';
import { acceptedNext } from '../../src/domain/fulfillments/hand-transition.js';
import type { Fulfillment } from '../../src/domain/fulfillments/fulfillment.js';
import type { Order, StatusMap } from '../../src/domain/order.js';
import type { WorkflowDefinition } from '../../src/domain/workflow/definition.js';
import { nextStatuses } from '../../src/domain/workflow/interpret.js';
import { presets } from '../../src/workflows/index.js';
import { standard } from '../../src/workflows/standard.js';
import { LATER, line, makeOrder, NOW } from './fixtures.js';

let counter = 0;
const ids = () => `id-${++counter}`;

const admin: Actor = { kind: 'admin', id: 'key-admin' };
const customer: Actor = { kind: 'customer', id: 'key-shop', customerId: 'cust-1' };
const system: Actor = { kind: 'system', id: 'ordo' };

const parcel = (state: Fulfillment['state'], quantity = 1): Fulfillment => ({
  id: `f-${state}`, lines: [{ lineId: 'line-SKU-1', quantity }], carrier: null, trackingNumber: null, trackingUrl: null, state, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(),
});

describe('next', () => {
  it('offers a cancelled order no shipping, which would be refused', () => {
    const cancelled = makeOrder({ order: 'cancelled', payment: 'unpaid', fulfillment: 'unfulfilled' });
    // The workflow alone would allow it...
    expect(nextStatuses(standard, cancelled, admin).fulfillment).toEqual(['partially_shipped', 'shipped']);
    // ...but the goods of a cancelled order may not ship, so it is not offered.
    expect(acceptedNext(standard, cancelled, admin).fulfillment).toEqual([]);
    expect(decide(standard, cancelled, { type: 'transition', to: 'shipped' }, admin, LATER)).toMatchObject({ ok: false, code: 'fulfillment_required' });
  });

  it('offers shipping what is left, but not a partial status no parcel bears out', () => {
    const paid = makeOrder({ order: 'placed', payment: 'paid', fulfillment: 'unfulfilled' }, [line('SKU-1', 2, 1000)]);
    expect(acceptedNext(standard, paid, admin).fulfillment).toEqual(['shipped']);
    const half = makeOrder({ order: 'placed', payment: 'paid', fulfillment: 'partially_shipped' }, [line('SKU-1', 2, 1000)], { fulfillments: [parcel('shipped')] });
    // Partially delivered would need a parcel delivered; shipping the rest is made true by hand.
    expect(acceptedNext(standard, half, admin).fulfillment).toEqual(['shipped']);
  });

  it('is per caller', () => {
    const paid = makeOrder({ order: 'placed', payment: 'paid', fulfillment: 'unfulfilled' });
    expect(acceptedNext(standard, paid, customer)).toEqual({ order: [], payment: [], fulfillment: [] });
    expect(acceptedNext(standard, paid, system).order).toEqual(['cancelled', 'completed']);
  });

  it('a refusal lists as allowed what next offers', () => {
    const cancelled = makeOrder({ order: 'cancelled', payment: 'unpaid', fulfillment: 'unfulfilled' });
    const refused = decide(standard, cancelled, { type: 'transition', to: 'shipped' }, admin, LATER);
    expect(refused).toMatchObject({ ok: false, details: { track: 'fulfillment', allowed: [] } });
    const placed = makeOrder({ order: 'placed', payment: 'unpaid', fulfillment: 'unfulfilled' });
    expect(decide(standard, placed, { type: 'transition', to: 'partially_shipped' }, admin, LATER)).toMatchObject({
      ok: false, code: 'fulfillment_required', details: { track: 'fulfillment', allowed: ['shipped'] },
    });
  });

  // Every preset, every state of every track, each kind of caller: next holds exactly what decide accepts.
  const cases: { wf: WorkflowDefinition; status: StatusMap; actor: Actor }[] = [...presets.values()].flatMap((wf) =>
    wf.tracks.flatMap((track) =>
      track.states.flatMap((s) => [admin, system, customer].map((actor) => ({ wf, actor, status: { ...Object.fromEntries(wf.tracks.map((t) => [t.id, t.initial])), [track.id]: s.id } }))),
    ),
  );
  it.each(cases.map((c) => [c.wf.name, JSON.stringify(c.status), c.actor.kind, c] as const))('%s %s by %s: next is exactly what is accepted', (_w, _s, _a, { wf, status, actor }) => {
    const order: Order = makeOrder(status, [line('SKU-1', 2, 1000)], { workflow: wf.name, paid: 2000 });
    const next = acceptedNext(wf, order, actor);
    for (const track of wf.tracks) {
      for (const to of track.states.map((s) => s.id)) {
        const accepted = decide(wf, order, { type: 'transition', track: track.id, to }, actor, LATER, ids).ok;
        expect(next[track.id]!.includes(to), `${track.id} -> ${to}`).toBe(accepted);
      }
    }
  });
});
