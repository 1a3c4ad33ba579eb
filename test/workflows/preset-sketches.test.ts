/**
 * The four seed platforms as workflow data: each preset loads clean, keeps its exact state
 * ids, lets the right actors (and only them) take representative steps, reacts to the
 * events its seed describes, and draws as a Mermaid diagram.
 */
import { describe, expect, it } from 'vitest';
import type { ActorKind } from '../../src/domain/actor.js';
import { decideCreate } from '../../src/domain/create-order.js';
import { line, makeOrder } from '../domain/fixtures.js';
import { VENDURE_EDGES } from './vendure-edges.js';
import type { Order, StatusMap } from '../../src/domain/order.js';
import type { RejectionCode } from '../../src/domain/result.js';
import type { GuardFacts } from '../../src/domain/workflow/guards.js';
import type { StateDefinition, WorkflowDefinition } from '../../src/domain/workflow/definition.js';
import { react, takeTransition } from '../../src/domain/workflow/interpret.js';
import { toMermaid } from '../../src/domain/workflow/mermaid.js';
import { assertValidWorkflow, validateWorkflow, WorkflowDefinitionError } from '../../src/domain/workflow/validate.js';
import { presets } from '../../src/workflows/index.js';
import { nexway } from '../../src/workflows/nexway.js';
import { nutickets } from '../../src/workflows/nutickets.js';
import { vendure } from '../../src/workflows/vendure.js';
import { xcart } from '../../src/workflows/xcart.js';

const NOW = new Date('2025-03-01T12:00:00.000Z');

/** An order of `wf` with every track at its initial state unless `status` says otherwise. */
function orderIn(wf: WorkflowDefinition, status: StatusMap = {}, overrides: Partial<Order> = {}): Order {
  const initial = Object.fromEntries(wf.tracks.map((t) => [t.id, t.initial]));
  return makeOrder({ ...initial, ...status }, [line('SKU-1', 2, 1500, 'line-1')], { workflow: wf.name, workflowVersion: wf.version, createdAt: NOW, updatedAt: NOW, ...overrides });
}

/** [track, from, to, actor, expected]: 'ok' or the rejection code. */
type Step = readonly [track: string, from: string, to: string, actor: ActorKind, expected: 'ok' | RejectionCode];

function attempt(wf: WorkflowDefinition, [track, from, to, actor]: Step, overrides: Partial<Order> = {}) {
  return takeTransition(wf, orderIn(wf, { [track]: from }, overrides), { track, to }, { kind: actor }, NOW);
}

function expectSteps(wf: WorkflowDefinition, steps: readonly Step[], overrides: Partial<Order> = {}) {
  for (const step of steps) {
    const result = attempt(wf, step, overrides);
    const got = result.ok ? 'ok' : result.code;
    expect(got, `${step[0]}: ${step[1]} -> ${step[2]} by ${step[3]}`).toBe(step[4]);
    if (result.ok) expect(result.value.order.status[step[0]]).toBe(step[2]);
  }
}

const statusAfter = (wf: WorkflowDefinition, status: StatusMap, event: string, facts: GuardFacts = {}, overrides: Partial<Order> = {}) =>
  react(wf, orderIn(wf, status, overrides), event, facts, NOW).order.status;

const ids = (wf: WorkflowDefinition, track: string) => wf.tracks.find((t) => t.id === track)?.states.map((s) => s.id);

const EXPECTED_IDS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  xcart: {
    payment: ['Q', 'P', 'PP', 'A', 'D', 'C', 'R'],
    fulfilment: ['N', 'NB', 'P', 'S', 'D', 'WND', 'R', 'NF'],
  },
  nutickets: {
    order: [
      'active', 'processing', 'complete', 'partially_paid', 'awaiting_payment_link', 'awaiting_invoice',
      'awaiting_onsite_payment', 'awaiting_local_payment', 'awaiting_approval', 'expired', 'failed',
      'cancelled', 'rejected', 'refunded', 'partially_refunded', 'unknown',
    ],
  },
  nexway: {
    order: [
      'CREATED', 'PAYMENT_PENDING', 'PAYMENT_REFUSED', 'FRAUD_PENDING', 'PENDING', 'PENDING_WITH_ERROR',
      'PARTIAL_COMPLETED', 'COMPLETED', 'CANCEL_PENDING', 'ABORTED', 'CANCELED', 'CANCELED_WITH_ERROR', 'PARTIAL_CANCELED',
    ],
  },
  vendure: {
    order: [
      'Created', 'Draft', 'AddingItems', 'ArrangingPayment', 'PaymentAuthorized', 'PaymentSettled', 'PartiallyShipped',
      'Shipped', 'PartiallyDelivered', 'Delivered', 'Modifying', 'ArrangingAdditionalPayment', 'Cancelled',
    ],
  },
};

describe.each([xcart, nutickets, nexway, vendure])('preset $name', (wf) => {
  it('validates with no findings and is registered', () => {
    expect(validateWorkflow(wf)).toEqual([]);
    expect(presets.get(wf.name)).toBe(wf);
  });

  it('keeps exactly the seed state ids on each track', () => {
    const expected = EXPECTED_IDS[wf.name]!;
    expect(wf.tracks.map((t) => t.id)).toEqual(Object.keys(expected));
    for (const [track, states] of Object.entries(expected)) expect(ids(wf, track)).toEqual(states);
  });

  it('draws a Mermaid state diagram naming every state', () => {
    const diagram = toMermaid(wf);
    expect(diagram.startsWith('stateDiagram-v2\n')).toBe(true);
    for (const track of wf.tracks) for (const s of track.states) expect(diagram).toContain(`${track.id}_${s.id}`);
  });
});

describe('xcart', () => {
  it('places an order at creation, since its first status (Q) already means checked out', () => {
    const created = decideCreate(xcart, { currency: 'USD', lines: [{ sku: 'A', quantity: 1, unitPrice: 100 }] }, { id: 'o', lineIds: ['l'], actor: { kind: 'admin' }, now: NOW });
    expect(created.ok && created.value.order.status).toEqual({ payment: 'Q', fulfilment: 'N' });
    expect(created.ok && created.value.order.placedAt).toEqual(NOW);
  });

  const statesOf = (track: string): readonly StateDefinition[] => xcart.tracks.find((t) => t.id === track)!.states;
  const code = (track: string) => statesOf(track).map((s) => s.code);

  it('uses the letter codes as ids and never ends an order for good', () => {
    expect(code('payment')).toEqual(ids(xcart, 'payment'));
    expect(code('fulfilment')).toEqual(ids(xcart, 'fulfilment'));
    expect(xcart.tracks.flatMap((t) => t.states).filter((s) => s.kind === 'terminal')).toEqual([]);
    expect(statesOf('fulfilment').find((s) => s.id === 'NB')?.customerAlias).toBe('N');
  });

  it('holds stock on Q and A, sells it on P, gives it back on R, C and D, leaves it on PP', () => {
    const stock = Object.fromEntries(statesOf('payment').map((s) => [s.id, s.stock]));
    expect(stock).toEqual({ Q: 'reserve', A: 'reserve', P: 'commit', R: 'release', C: 'release', D: 'release', PP: 'none' });
  });

  it('lets an admin set any payment status except A and D', () => {
    expectSteps(xcart, [
      ['payment', 'Q', 'P', 'admin', 'ok'],
      ['payment', 'D', 'Q', 'admin', 'ok'],
      ['payment', 'R', 'PP', 'admin', 'ok'],
      ['payment', 'P', 'C', 'admin', 'ok'],
      ['payment', 'Q', 'A', 'admin', 'transition_forbidden_for_actor'],
      ['payment', 'Q', 'D', 'admin', 'transition_forbidden_for_actor'],
      ['payment', 'P', 'D', 'admin', 'transition_not_allowed'],
      ['payment', 'Q', 'P', 'customer', 'transition_forbidden_for_actor'],
    ]);
  });

  it('lets a gateway move Q or A to P, PP or D, and refund P to R or PP', () => {
    expectSteps(xcart, [
      ['payment', 'Q', 'A', 'gateway', 'ok'],
      ['payment', 'A', 'P', 'gateway', 'ok'],
      ['payment', 'Q', 'PP', 'gateway', 'ok'],
      ['payment', 'A', 'D', 'gateway', 'ok'],
      ['payment', 'P', 'R', 'gateway', 'ok'],
      ['payment', 'P', 'PP', 'gateway', 'ok'],
      ['payment', 'C', 'P', 'gateway', 'transition_forbidden_for_actor'],
      ['payment', 'D', 'P', 'gateway', 'transition_forbidden_for_actor'],
    ]);
  });

  it('lets an admin set any fulfilment status but NB, which only the system assigns', () => {
    expectSteps(xcart, [
      ['fulfilment', 'N', 'S', 'admin', 'ok'],
      ['fulfilment', 'D', 'R', 'admin', 'ok'],
      ['fulfilment', 'NB', 'N', 'admin', 'ok'],
      ['fulfilment', 'N', 'NB', 'admin', 'transition_forbidden_for_actor'],
      ['fulfilment', 'N', 'NB', 'system', 'ok'],
    ]);
  });

  it('follows gateway answers on the payment track', () => {
    expect(statusAfter(xcart, {}, 'payment.authorized')).toEqual({ payment: 'A', fulfilment: 'N' });
    expect(statusAfter(xcart, { payment: 'A' }, 'payment.settled').payment).toBe('P');
    expect(statusAfter(xcart, { payment: 'P' }, 'payment.partially_refunded').payment).toBe('PP');
    expect(statusAfter(xcart, { payment: 'P' }, 'payment.refunded').payment).toBe('R');
  });

  it('marks a declined order Not finished (add-on) unless it has already moved on', () => {
    expect(statusAfter(xcart, {}, 'payment.declined')).toEqual({ payment: 'D', fulfilment: 'NF' });
    expect(statusAfter(xcart, { fulfilment: 'NB' }, 'payment.declined').fulfilment).toBe('NF');
    // A late decline on a paid order changes neither track.
    expect(statusAfter(xcart, { payment: 'P' }, 'payment.declined')).toEqual({ payment: 'P', fulfilment: 'N' });
    expect(statusAfter(xcart, { payment: 'A', fulfilment: 'S' }, 'payment.declined')).toEqual({ payment: 'D', fulfilment: 'S' });
  });

  it('backorders a new order whose item ran out', () => {
    expect(statusAfter(xcart, {}, 'stock.backordered').fulfilment).toBe('NB');
  });
});

describe('nutickets', () => {
  it('lets each actor take only its own steps', () => {
    expectSteps(nutickets, [
      ['order', 'active', 'processing', 'customer', 'ok'],
      // An admin may take any step a customer may (issue 6), acting for the customer at the box office.
      ['order', 'active', 'processing', 'admin', 'ok'],
      ['order', 'processing', 'complete', 'gateway', 'ok'],
      ['order', 'processing', 'failed', 'gateway', 'ok'],
      ['order', 'processing', 'complete', 'customer', 'transition_forbidden_for_actor'],
      ['order', 'processing', 'unknown', 'system', 'ok'],
      ['order', 'unknown', 'complete', 'admin', 'ok'],
      ['order', 'unknown', 'expired', 'admin', 'ok'],
      ['order', 'active', 'awaiting_payment_link', 'admin', 'ok'],
      ['order', 'active', 'awaiting_payment_link', 'customer', 'transition_forbidden_for_actor'],
      ['order', 'active', 'awaiting_invoice', 'customer', 'ok'],
      ['order', 'active', 'awaiting_invoice', 'admin', 'ok'],
      ['order', 'awaiting_invoice', 'complete', 'admin', 'ok'],
      ['order', 'awaiting_invoice', 'complete', 'gateway', 'transition_forbidden_for_actor'],
      ['order', 'active', 'awaiting_onsite_payment', 'admin', 'ok'],
      ['order', 'active', 'awaiting_local_payment', 'customer', 'ok'],
      ['order', 'awaiting_local_payment', 'complete', 'gateway', 'ok'],
      ['order', 'active', 'awaiting_approval', 'customer', 'ok'],
      ['order', 'awaiting_approval', 'rejected', 'admin', 'ok'],
      ['order', 'awaiting_approval', 'awaiting_payment_link', 'admin', 'ok'],
      ['order', 'complete', 'refunded', 'admin', 'ok'],
      ['order', 'complete', 'partially_refunded', 'admin', 'ok'],
      // The customer may cancel only where the company turned customerCancellation on (it is off as shipped).
      ['order', 'complete', 'cancelled', 'customer', 'guard_failed'],
      ['order', 'expired', 'active', 'admin', 'transition_not_allowed'],
      ['order', 'active', 'expired', 'customer', 'transition_not_allowed'],
    ]);
  });

  it('does not let the basket restart its own timer by re-entering it (more time is granted once, by extension)', () => {
    expect(attempt(nutickets, ['order', 'active', 'active', 'customer', 'transition_not_allowed']).ok).toBe(false);
    const basket = nutickets.tracks[0]!.timers!.find((t) => t.name === 'basket')!;
    expect(basket).toMatchObject({ state: 'active', after: 'basketTimeout', extendable: true, restartOnBasketChange: 'basketTimeout' });
  });

  it('sends a new order down the route of its payment method', () => {
    const route = (method: string) => statusAfter(nutickets, {}, 'order.created', { paymentMethod: method }).order;
    expect(route('card')).toBe('processing');
    expect(route('payment_link')).toBe('awaiting_payment_link');
    expect(route('invoice')).toBe('awaiting_invoice');
    expect(route('onsite')).toBe('awaiting_onsite_payment');
    expect(route('local')).toBe('awaiting_local_payment');
    expect(statusAfter(nutickets, {}, 'order.created').order).toBe('active');
  });

  it('expires an idle basket and an unpaid payment link, and releases what they held', () => {
    const timers = Object.fromEntries((nutickets.tracks[0]!.timers ?? []).map((t) => [t.state, [t.at ?? null, t.after ? nutickets.settings[t.after] : null]]));
    expect(timers).toEqual({
      active: [null, '10m'],
      awaiting_payment_link: ['payment', '72h'],
      awaiting_onsite_payment: ['payment', null],
      partially_paid: ['deposit', null],
    });
    expect(statusAfter(nutickets, {}, 'timer.basket_expired').order).toBe('expired');
    expect(statusAfter(nutickets, { order: 'awaiting_payment_link' }, 'timer.payment_link_expired').order).toBe('expired');
    expect(nutickets.tracks[0]!.states.find((s) => s.id === 'expired')?.stock).toBe('release');
    // A local payment never expires on its own.
    expect(statusAfter(nutickets, { order: 'awaiting_local_payment' }, 'timer.payment_link_expired').order).toBe('awaiting_local_payment');
  });

  it('completes a deposit order only once the balance is covered, and cancels it at the deadline', () => {
    expect(statusAfter(nutickets, {}, 'payment.partially_paid').order).toBe('partially_paid');
    expect(statusAfter(nutickets, { order: 'partially_paid' }, 'payment.settled', {}, { paid: 1000 }).order).toBe('partially_paid');
    expect(statusAfter(nutickets, { order: 'partially_paid' }, 'payment.settled', {}, { paid: 3000 }).order).toBe('complete');
    expect(statusAfter(nutickets, { order: 'partially_paid' }, 'timer.deposit_deadline').order).toBe('cancelled');
  });
});

describe('nexway', () => {
  const kinds = Object.fromEntries(nexway.tracks[0]!.states.map((s) => [s.id, s.kind]));

  it("keeps Nexway's temporary/permanent marks and ends nothing for good", () => {
    const permanent = ['PAYMENT_REFUSED', 'COMPLETED', 'ABORTED', 'CANCELED', 'CANCELED_WITH_ERROR'];
    for (const [id, kind] of Object.entries(kinds)) expect(kind, id).toBe(permanent.includes(id) ? 'permanent' : 'temporary');
  });

  it('retries a refused payment and still lets a completed order be withdrawn from', () => {
    expectSteps(nexway, [
      ['order', 'PAYMENT_REFUSED', 'PENDING', 'gateway', 'ok'],
      ['order', 'PAYMENT_REFUSED', 'PAYMENT_PENDING', 'customer', 'ok'],
      ['order', 'COMPLETED', 'CANCEL_PENDING', 'customer', 'ok'],
      ['order', 'COMPLETED', 'CANCEL_PENDING', 'admin', 'ok'],
      ['order', 'CANCEL_PENDING', 'CANCELED', 'system', 'ok'],
      ['order', 'CANCEL_PENDING', 'CANCELED', 'customer', 'transition_forbidden_for_actor'],
      ['order', 'FRAUD_PENDING', 'PENDING', 'admin', 'ok'],
      ['order', 'FRAUD_PENDING', 'PENDING', 'customer', 'transition_forbidden_for_actor'],
      ['order', 'ABORTED', 'PENDING', 'gateway', 'transition_not_allowed'],
      ['order', 'CANCELED', 'CANCEL_PENDING', 'admin', 'transition_not_allowed'],
    ]);
  });

  it('aborts an unpaid asynchronous payment, cancels an unreviewed fraud case after 6 days, retries repairs', () => {
    expect(nexway.settings.fraudReviewTimeout).toBe('6d');
    expect(statusAfter(nexway, { order: 'PAYMENT_PENDING' }, 'timer.payment_timeout').order).toBe('ABORTED');
    expect(statusAfter(nexway, { order: 'FRAUD_PENDING' }, 'timer.fraud_review_expired').order).toBe('CANCELED');
    expect(statusAfter(nexway, { order: 'PENDING_WITH_ERROR' }, 'timer.repair_retry').order).toBe('PENDING');
    expect(statusAfter(nexway, { order: 'PAYMENT_REFUSED' }, 'payment.settled').order).toBe('PENDING');
  });
});

describe('vendure', () => {
  it("has exactly the edges of Vendure's default order process", () => {
    const table = VENDURE_EDGES;
    const track = vendure.tracks[0]!;
    const edges = new Set<string>();
    for (const t of [...track.transitions, ...(track.reactions ?? [])]) {
      for (const f of t.from === '*' ? ids(vendure, 'order')! : t.from) edges.add(`${f} -> ${t.to}`);
    }
    const expected = Object.entries(table).flatMap(([from, tos]) => tos.map((to) => `${from} -> ${to}`));
    expect([...edges].sort()).toEqual(expected.sort());
  });

  it('makes a new order a cart, or a draft when asked', () => {
    expect(statusAfter(vendure, {}, 'order.created', { draft: false }).order).toBe('AddingItems');
    expect(statusAfter(vendure, {}, 'order.created', { draft: true }).order).toBe('Draft');
  });

  it('checks out only a cart with lines, a customer and shipping', () => {
    const shipped = { shipping: { amount: 500 } };
    expectSteps(vendure, [
      ['order', 'AddingItems', 'ArrangingPayment', 'customer', 'ok'],
      ['order', 'ArrangingPayment', 'AddingItems', 'customer', 'ok'],
      ['order', 'Draft', 'ArrangingPayment', 'admin', 'ok'],
      ['order', 'Draft', 'ArrangingPayment', 'customer', 'transition_forbidden_for_actor'],
      ['order', 'AddingItems', 'PaymentSettled', 'admin', 'transition_not_allowed'],
    ], shipped);
    expectSteps(vendure, [['order', 'AddingItems', 'ArrangingPayment', 'customer', 'guard_failed']], { ...shipped, lines: [] });
    expectSteps(vendure, [['order', 'AddingItems', 'ArrangingPayment', 'customer', 'guard_failed']], { ...shipped, customer: {} });
    expectSteps(vendure, [['order', 'AddingItems', 'ArrangingPayment', 'customer', 'guard_failed']]);
  });

  it('settles only when payments cover the total, and places the order then', () => {
    expectSteps(vendure, [
      ['order', 'ArrangingPayment', 'PaymentSettled', 'gateway', 'guard_failed'],
      ['order', 'ArrangingPayment', 'PaymentSettled', 'customer', 'transition_forbidden_for_actor'],
    ]);
    const settled = attempt(vendure, ['order', 'ArrangingPayment', 'PaymentSettled', 'gateway', 'ok'], { paid: 3000 });
    expect(settled.ok && settled.value.order.placedAt).toEqual(NOW);
    expect(statusAfter(vendure, { order: 'ArrangingPayment' }, 'payment.settled', {}, { paid: 2999 }).order).toBe('ArrangingPayment');
    expect(statusAfter(vendure, { order: 'PaymentAuthorized' }, 'payment.settled', {}, { paid: 3000 }).order).toBe('PaymentSettled');
  });

  it('follows its fulfillments and never leaves Cancelled', () => {
    expect(statusAfter(vendure, { order: 'PaymentSettled' }, 'fulfillment.partially_shipped').order).toBe('PartiallyShipped');
    expect(statusAfter(vendure, { order: 'PartiallyShipped' }, 'fulfillment.shipped').order).toBe('Shipped');
    expect(statusAfter(vendure, { order: 'Shipped' }, 'fulfillment.delivered').order).toBe('Delivered');
    expectSteps(vendure, [
      ['order', 'Delivered', 'Cancelled', 'admin', 'ok'],
      ['order', 'Cancelled', 'AddingItems', 'admin', 'transition_not_allowed'],
    ]);
  });

  it('asks for more money after a dearer modification and returns once it is covered', () => {
    expectSteps(vendure, [
      ['order', 'PaymentSettled', 'Modifying', 'admin', 'ok'],
      ['order', 'Modifying', 'Cancelled', 'admin', 'transition_not_allowed'],
      ['order', 'Modifying', 'ArrangingAdditionalPayment', 'admin', 'ok'],
      ['order', 'Modifying', 'Shipped', 'admin', 'guard_failed'],
      ['order', 'ArrangingAdditionalPayment', 'Cancelled', 'admin', 'ok'],
    ], { paid: 2000 });
    expectSteps(vendure, [
      ['order', 'Modifying', 'PaymentSettled', 'admin', 'ok'],
      // Back to Shipped only if the fulfillments say so: nothing has shipped here.
      ['order', 'Modifying', 'Shipped', 'admin', 'guard_failed'],
      ['order', 'Modifying', 'ArrangingAdditionalPayment', 'admin', 'guard_failed'],
      ['order', 'ArrangingAdditionalPayment', 'PaymentSettled', 'gateway', 'ok'],
    ], { paid: 3000 });
    const shipped = { id: 'f-1', lines: [{ lineId: 'line-1', quantity: 2 }], carrier: null, trackingNumber: null, trackingUrl: null, state: 'shipped' as const, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() };
    expectSteps(vendure, [
      ['order', 'Modifying', 'Shipped', 'admin', 'ok'],
      ['order', 'Modifying', 'PartiallyShipped', 'admin', 'guard_failed'],
    ], { paid: 3000, fulfillments: [shipped] });
  });
});

describe('a broken copy of a preset', () => {
  const withTrack = (wf: WorkflowDefinition, change: (t: WorkflowDefinition['tracks'][number]) => WorkflowDefinition['tracks'][number]): WorkflowDefinition => ({
    ...wf,
    tracks: wf.tracks.map((t, i) => (i === 0 ? change(t) : t)),
  });

  it('is refused for a temporary state with no way out', () => {
    const broken = withTrack(nexway, (t) => ({
      ...t,
      transitions: t.transitions.filter((x) => x.to !== 'CANCELED' && x.to !== 'CANCELED_WITH_ERROR' && x.to !== 'PARTIAL_CANCELED'),
      reactions: (t.reactions ?? []).filter((r) => r.on !== 'cancellation.processed'),
    }));
    expect(validateWorkflow(broken)).toContain("track 'order': temporary state 'CANCEL_PENDING' has no way out");
    expect(() => assertValidWorkflow(broken)).toThrow(WorkflowDefinitionError);
  });

  it('is refused for a timer whose event nothing handles', () => {
    const broken = withTrack(nutickets, (t) => ({ ...t, reactions: (t.reactions ?? []).filter((r) => r.on !== 'timer.basket_expired') }));
    expect(validateWorkflow(broken)).toContain("track 'order': timer 'basket' fires 'timer.basket_expired' in 'active', but no reaction handles it there or on another track (a timer into nowhere)");
  });

  it('is refused for a timer waiting on a missing setting, or a terminal state with a way out', () => {
    const noSetting = { ...nexway, settings: { ...nexway.settings, repairRetry: 'soon' } };
    expect(validateWorkflow(noSetting)).toContain("track 'order': timer 'repair' waits for setting 'repairRetry', which is not a duration like 10m");
    const leaky = withTrack(vendure, (t) => ({ ...t, states: t.states.map((s) => (s.id === 'Delivered' ? { ...s, kind: 'terminal' as const } : s)) }));
    expect(validateWorkflow(leaky)).toEqual(["track 'order': terminal state 'Delivered' has a way out (to Cancelled)"]);
  });

  it('is refused for an unknown state in a guard or transition', () => {
    const typo = withTrack(xcart, (t) => ({ ...t, transitions: [...t.transitions, { from: ['Q'], to: 'X', actors: ['admin'], guards: [{ kind: 'statusIn', track: 'fulfilment', states: ['Z'] }] }] }));
    const problems = validateWorkflow(typo);
    expect(problems.some((p) => p.includes("names unknown state 'X'"))).toBe(true);
    expect(problems.some((p) => p.includes("unknown state 'fulfilment.Z'"))).toBe(true);
  });
});
