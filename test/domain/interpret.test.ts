import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { decideCreate } from '../../src/domain/create-order.js';
import { decide } from '../../src/domain/decide.js';
import type { OrderLine, StatusMap } from '../../src/domain/order.js';
import type { RejectionCode } from '../../src/domain/result.js';
import type { WorkflowDefinition } from '../../src/domain/workflow/definition.js';
import { nextStatuses, takeTransition } from '../../src/domain/workflow/interpret.js';
import { assertValidWorkflow } from '../../src/domain/workflow/validate.js';
import { standard } from '../../src/workflows/standard.js';
import { LATER, line, makeOrder, NOW } from './fixtures.js';

const admin: Actor = { kind: 'admin', id: 'key-admin' };
const customer: Actor = { kind: 'customer', id: 'key-shop', customerId: 'cust-1' };
const gateway: Actor = { kind: 'gateway', id: 'stripe' };
const system: Actor = { kind: 'system', id: 'ordo' };
let counter = 0;
/** Ids for what a decision makes (a parcel shipped by hand). */
const ids = () => `id-${++counter}`;

const placed: StatusMap = { order: 'placed', payment: 'unpaid', fulfillment: 'unfulfilled' };

interface Row {
  readonly name: string;
  readonly from: StatusMap;
  readonly actor: Actor;
  readonly to: string;
  readonly track?: string;
  readonly paid?: number;
  readonly lines?: readonly OrderLine[];
  readonly expected: 'ok' | RejectionCode;
  /** For 'ok': the status map afterwards. For a rejection: details it must carry. */
  readonly status?: StatusMap;
  readonly details?: Readonly<Record<string, unknown>>;
}

const table: readonly Row[] = [
  { name: 'admin cancels a placed order', from: placed, actor: admin, to: 'cancelled', expected: 'ok', status: { ...placed, order: 'cancelled' } },
  { name: 'customer cancels a placed order nothing is paid on', from: placed, actor: customer, to: 'cancelled', expected: 'ok', status: { ...placed, order: 'cancelled' } },
  {
    name: 'customer cannot cancel a placed order money was paid on',
    from: { ...placed, payment: 'partially_paid' }, actor: customer, to: 'cancelled', paid: 500,
    expected: 'guard_failed',
    details: { track: 'order', from: 'placed', to: 'cancelled', failed: ['money has already been paid on the order', 'payment is not unpaid or failed'] },
  },
  {
    name: 'customer cannot mark the payment paid',
    from: placed, actor: customer, to: 'paid',
    expected: 'transition_forbidden_for_actor',
    details: { track: 'payment', from: 'unpaid', to: 'paid', allowed: [], actors: ['gateway', 'system', 'admin'] },
  },
  { name: 'gateway marks the payment paid', from: placed, actor: gateway, to: 'paid', expected: 'ok', status: { ...placed, payment: 'paid' } },
  { name: 'admin records money received outside the gateway', from: placed, actor: admin, to: 'paid', track: 'payment', expected: 'ok', status: { ...placed, payment: 'paid' } },
  {
    name: 'admin cannot void an unpaid payment (not from unpaid)',
    from: placed, actor: admin, to: 'voided',
    expected: 'transition_not_allowed',
    details: { track: 'payment', from: 'unpaid', to: 'voided', allowed: ['paid'] },
  },
  {
    name: 'completed -> placed is not allowed',
    from: { order: 'completed', payment: 'paid', fulfillment: 'delivered' }, actor: admin, to: 'placed',
    expected: 'transition_not_allowed',
    details: { track: 'order', from: 'completed', to: 'placed', allowed: [] },
  },
  {
    name: 'placed -> draft is not allowed, and says what is',
    from: placed, actor: admin, to: 'draft',
    expected: 'transition_not_allowed',
    details: { track: 'order', from: 'placed', to: 'draft', allowed: ['in_review', 'cancelled'] },
  },
  { name: 'an unknown status', from: placed, actor: admin, to: 'lost_in_space', expected: 'unknown_status' },
  { name: 'a status not on the named track', from: placed, actor: admin, to: 'paid', track: 'order', expected: 'unknown_status', details: { track: 'order' } },
  { name: 'an unknown track', from: placed, actor: admin, to: 'paid', track: 'money', expected: 'unknown_track', details: { tracks: ['order', 'payment', 'fulfillment'] } },
  {
    name: 'admin cannot complete an order that is not paid',
    from: placed, actor: admin, to: 'completed',
    expected: 'guard_failed',
    details: { track: 'order', failed: ['payment is not paid or partially_refunded'] },
  },
  {
    name: 'admin completes a paid order',
    from: { ...placed, payment: 'paid' }, actor: admin, to: 'completed',
    expected: 'ok', status: { order: 'completed', payment: 'paid', fulfillment: 'unfulfilled' },
  },
  {
    name: 'customer cannot place a draft with no lines',
    from: { order: 'draft', payment: 'unpaid', fulfillment: 'unfulfilled' }, actor: customer, to: 'placed', lines: [],
    expected: 'guard_failed',
    details: { failed: ['the order has no lines'] },
  },
  {
    name: 'customer places a draft with lines',
    from: { order: 'draft', payment: 'unpaid', fulfillment: 'unfulfilled' }, actor: customer, to: 'placed',
    expected: 'ok', status: { order: 'placed', payment: 'unpaid', fulfillment: 'unfulfilled' },
  },
  { name: 'system ships an order', from: placed, actor: system, to: 'shipped', expected: 'ok', status: { ...placed, fulfillment: 'shipped' } },
  {
    name: 'gateway cannot ship an order',
    from: placed, actor: gateway, to: 'shipped',
    expected: 'transition_forbidden_for_actor',
    details: { actors: ['admin', 'system'] },
  },
];

describe('standard workflow: transition table', () => {
  it.each(table)('$name', ({ from, actor, to, track, paid, lines, expected, status, details }) => {
    const order = makeOrder(from, lines ?? [line('SKU-1', 1, 1000)], { paid: paid ?? 0 });
    const result = decide(standard, order, { type: 'transition', to, ...(track ? { track } : {}) }, actor, LATER, ids);
    if (expected === 'ok') {
      expect(result.ok ? null : result).toBeNull();
      if (!result.ok) return;
      expect(result.value.order.status).toEqual(status);
    } else {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.code).toBe(expected);
      if (details) expect(result.details).toMatchObject(details);
    }
  });
});

describe('resolving the track', () => {
  /** Two tracks that share the state id 'done'. */
  const twoTracks: WorkflowDefinition = assertValidWorkflow({
    name: 'two',
    version: 1,
    label: 'Two tracks',
    description: '',
    settings: {},
    tracks: ['left', 'right'].map((id) => ({
      id,
      label: id,
      initial: 'open',
      states: [
        { id: 'open', label: 'Open', kind: 'permanent' as const },
        { id: 'done', label: 'Done', kind: 'terminal' as const },
      ],
      transitions: [{ from: ['open'], to: 'done', actors: ['admin' as const] }],
    })),
  });
  const order = makeOrder({ left: 'open', right: 'open' }, [], { workflow: 'two' });

  it('asks for the track when the status is on several tracks', () => {
    const result = decide(twoTracks, order, { type: 'transition', to: 'done' }, admin, LATER, ids);
    expect(result).toMatchObject({ ok: false, code: 'track_required', details: { tracks: ['left', 'right'] } });
  });

  it('moves only the named track', () => {
    const result = decide(twoTracks, order, { type: 'transition', track: 'right', to: 'done' }, admin, LATER, ids);
    expect(result.ok && result.value.order.status).toEqual({ left: 'open', right: 'done' });
  });
});

describe('reactions', () => {
  const createCtx = { id: 'order-9', lineIds: ['l-1', 'l-2'], actor: admin, now: NOW };
  const input = { currency: 'EUR', lines: [{ sku: 'A', quantity: 2, unitPrice: 1250 }, { sku: 'B', quantity: 1, unitPrice: 300 }] };

  it('places an order created with lines at once, with placedAt and both events', () => {
    const result = decideCreate(standard, input, createCtx);
    if (!result.ok) throw new Error(result.message);
    const { order, events } = result.value;
    expect(order.status).toEqual({ order: 'placed', payment: 'unpaid', fulfillment: 'unfulfilled' });
    expect(order.placedAt).toEqual(NOW);
    expect(events).toEqual([
      { type: 'order.created', data: { status: { order: 'draft', payment: 'unpaid', fulfillment: 'unfulfilled' }, draft: false } },
      { type: 'order.status_changed', track: 'order', from: 'draft', to: 'placed', cause: 'order.created' },
    ]);
  });

  it('keeps an order created as a draft in draft, not placed', () => {
    const result = decideCreate(standard, { ...input, draft: true }, createCtx);
    if (!result.ok) throw new Error(result.message);
    expect(result.value.order.status.order).toBe('draft');
    expect(result.value.order.placedAt).toBeNull();
    expect(result.value.events).toEqual([
      { type: 'order.created', data: { status: { order: 'draft', payment: 'unpaid', fulfillment: 'unfulfilled' }, draft: true } },
    ]);
  });

  it('keeps an order created without lines in draft', () => {
    const result = decideCreate(standard, { currency: 'EUR', lines: [] }, { ...createCtx, lineIds: [] });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.order.status.order).toBe('draft');
    expect(result.value.events).toHaveLength(1);
  });

  it('completes the order when payment.paid is entered while fulfillment is delivered', () => {
    const order = makeOrder({ order: 'placed', payment: 'partially_paid', fulfillment: 'delivered' }, undefined, { placedAt: NOW });
    const result = decide(standard, order, { type: 'transition', to: 'paid' }, gateway, LATER, ids);
    if (!result.ok) throw new Error(result.message);
    expect(result.value.order.status).toEqual({ order: 'completed', payment: 'paid', fulfillment: 'delivered' });
    expect(result.value.events).toEqual([
      { type: 'order.status_changed', track: 'payment', from: 'partially_paid', to: 'paid' },
      { type: 'order.status_changed', track: 'order', from: 'placed', to: 'completed', cause: 'entered:payment.paid' },
    ]);
  });

  it('leaves the order placed when payment.paid is entered before delivery', () => {
    const order = makeOrder({ order: 'placed', payment: 'unpaid', fulfillment: 'shipped' });
    const result = decide(standard, order, { type: 'transition', to: 'paid' }, gateway, LATER, ids);
    if (!result.ok) throw new Error(result.message);
    expect(result.value.order.status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'shipped' });
    expect(result.value.events).toHaveLength(1);
  });

  it('completes a paid order when fulfillment.delivered is entered', () => {
    const order = makeOrder({ order: 'placed', payment: 'paid', fulfillment: 'shipped' });
    const result = decide(standard, order, { type: 'transition', to: 'delivered' }, system, LATER, ids);
    if (!result.ok) throw new Error(result.message);
    expect(result.value.order.status.order).toBe('completed');
    // Delivered by hand delivers the goods too (see test/fulfillment/hand-transitions.test.ts).
    expect(result.value.events.filter((e) => e.type === 'order.status_changed')[1]).toEqual({ type: 'order.status_changed', track: 'order', from: 'placed', to: 'completed', cause: 'entered:fulfillment.delivered' });
  });

  it('sets placedAt when an admin places a draft, and never moves it afterwards', () => {
    const draft = makeOrder({ order: 'draft', payment: 'unpaid', fulfillment: 'unfulfilled' });
    const result = decide(standard, draft, { type: 'transition', to: 'placed' }, admin, LATER, ids);
    expect(result.ok && result.value.order.placedAt).toEqual(LATER);

    const alreadyPlaced = makeOrder({ order: 'draft', payment: 'unpaid', fulfillment: 'unfulfilled' }, undefined, { placedAt: NOW });
    const again = decide(standard, alreadyPlaced, { type: 'transition', to: 'placed' }, admin, LATER, ids);
    expect(again.ok && again.value.order.placedAt).toEqual(NOW);
  });

  it('follows a chain of reactions across tracks to its end, recording each cause', () => {
    const chain: WorkflowDefinition = assertValidWorkflow({
      name: 'chain',
      version: 1,
      label: 'Chain',
      description: '',
      settings: {},
      tracks: [
        {
          id: 'x',
          label: 'X',
          initial: 's0',
          states: [0, 1, 2, 3].map((i) => ({ id: `s${i}`, label: `S${i}`, kind: 'permanent' as const })),
          transitions: [{ from: ['s0'], to: 's1', actors: ['admin'] }],
          reactions: [
            { on: 'entered:x.s1', from: ['s1'], to: 's2' },
            { on: 'entered:y.on', from: ['s2'], to: 's3' },
          ],
        },
        {
          id: 'y',
          label: 'Y',
          initial: 'off',
          states: [
            { id: 'off', label: 'Off', kind: 'permanent' },
            { id: 'on', label: 'On', kind: 'permanent' },
          ],
          transitions: [],
          reactions: [{ on: 'entered:x.s2', from: ['off'], to: 'on' }],
        },
      ],
    });
    const order = makeOrder({ x: 's0', y: 'off' }, [], { workflow: 'chain' });
    const result = decide(chain, order, { type: 'transition', to: 's1' }, admin, LATER, ids);
    if (!result.ok) throw new Error(result.message);
    expect(result.value.order.status).toEqual({ x: 's3', y: 'on' });
    expect(result.value.events).toEqual([
      { type: 'order.status_changed', track: 'x', from: 's0', to: 's1' },
      { type: 'order.status_changed', track: 'x', from: 's1', to: 's2', cause: 'entered:x.s1' },
      { type: 'order.status_changed', track: 'y', from: 'off', to: 'on', cause: 'entered:x.s2' },
      { type: 'order.status_changed', track: 'x', from: 's2', to: 's3', cause: 'entered:y.on' },
    ]);
  });

  it('throws when reactions loop', () => {
    const loop: WorkflowDefinition = {
      name: 'loop',
      version: 1,
      label: 'Loop',
      description: '',
      settings: {},
      tracks: [
        {
          id: 't',
          label: 'T',
          initial: 'a',
          states: [
            { id: 'a', label: 'A', kind: 'permanent' },
            { id: 'b', label: 'B', kind: 'temporary' },
            { id: 'c', label: 'C', kind: 'temporary' },
          ],
          transitions: [{ from: ['a'], to: 'b', actors: ['admin'] }],
          reactions: [
            { on: 'entered:t.b', from: ['b'], to: 'c' },
            { on: 'entered:t.c', from: ['c'], to: 'b' },
          ],
        },
      ],
    };
    const order = makeOrder({ t: 'a' }, [], { workflow: 'loop' });
    expect(() => decide(loop, order, { type: 'transition', to: 'b' }, admin, LATER, ids)).toThrow("workflow 'loop': reactions loop on 'entered:t.");
  });
});

describe('nextStatuses', () => {
  it.each([
    { who: 'admin', actor: admin, next: { order: ['in_review', 'cancelled'], payment: ['paid'], fulfillment: ['partially_shipped', 'shipped'] } },
    { who: 'customer', actor: customer, next: { order: ['cancelled'], payment: [], fulfillment: [] } },
    { who: 'gateway', actor: gateway, next: { order: [], payment: ['authorized', 'partially_paid', 'paid', 'failed', 'unknown'], fulfillment: [] } },
    { who: 'system', actor: system, next: { order: ['cancelled'], payment: ['authorized', 'partially_paid', 'paid', 'failed', 'unknown'], fulfillment: ['partially_shipped', 'shipped'] } },
  ])('lists what a $who may do with a placed, unpaid order', ({ actor, next }) => {
    expect(nextStatuses(standard, makeOrder(placed), actor)).toEqual(next);
  });

  it('leaves out transitions whose guards do not hold', () => {
    const paidOn = makeOrder({ ...placed, payment: 'partially_paid' }, undefined, { paid: 100 });
    expect(nextStatuses(standard, paidOn, customer).order).toEqual([]);
    const paid = makeOrder({ ...placed, payment: 'paid' });
    expect(nextStatuses(standard, paid, admin).order).toEqual(['in_review', 'cancelled', 'completed']);
  });

  it('offers nothing from a terminal state', () => {
    const done = makeOrder({ order: 'cancelled', payment: 'voided', fulfillment: 'returned' });
    expect(nextStatuses(standard, done, admin)).toEqual({ order: [], payment: [], fulfillment: [] });
  });
});

describe('decide', () => {
  it('bumps the version by one and sets updatedAt, leaving the input untouched', () => {
    const order = makeOrder(placed, undefined, { version: 7, updatedAt: NOW });
    const result = decide(standard, order, { type: 'transition', to: 'cancelled', reason: 'customer asked' }, admin, LATER, ids);
    if (!result.ok) throw new Error(result.message);
    expect(result.value.order.version).toBe(8);
    expect(result.value.order.updatedAt).toEqual(LATER);
    expect(result.value.order.createdAt).toEqual(NOW);
    expect(result.value.events).toEqual([{ type: 'order.status_changed', track: 'order', from: 'placed', to: 'cancelled', reason: 'customer asked' }]);
    expect(order.version).toBe(7);
    expect(order.status.order).toBe('placed');
  });

  it('returns a rejection carrying a message and no new order', () => {
    const order = makeOrder({ order: 'completed', payment: 'paid', fulfillment: 'delivered' }, undefined, { version: 3 });
    const result = decide(standard, order, { type: 'transition', to: 'placed' }, admin, LATER, ids);
    expect(result).toEqual({
      ok: false,
      code: 'transition_not_allowed',
      message: "Order cannot go from 'completed' to 'placed'",
      details: { track: 'order', from: 'completed', to: 'placed', allowed: [] },
    });
  });
});

describe('an admin acting for a customer', () => {
  it('may take any transition a customer may, besides its own', () => {
    const draft = makeOrder({ order: 'draft', payment: 'unpaid', fulfillment: 'unfulfilled' });
    const onlyCustomers: WorkflowDefinition = {
      ...standard,
      tracks: [{ ...standard.tracks[0]!, transitions: [{ from: ['draft'], to: 'placed', actors: ['customer'] }, { from: ['draft', 'placed'], to: 'cancelled', actors: ['system'] }, { from: ['placed'], to: 'completed', actors: ['system'] }] }, standard.tracks[1]!, standard.tracks[2]!],
    };
    expect(takeTransition(onlyCustomers, draft, { track: 'order', to: 'placed' }, { kind: 'admin' }, NOW).ok).toBe(true);
    expect(takeTransition(onlyCustomers, draft, { track: 'order', to: 'placed' }, { kind: 'gateway' }, NOW)).toMatchObject({ ok: false, code: 'transition_forbidden_for_actor' });
    expect(nextStatuses(onlyCustomers, draft, { kind: 'admin' }).order).toEqual(['placed']);
  });
});
