/** The rules alone (pure): which messages an event calls for, per workflow, without a database. */
import { describe, expect, it } from 'vitest';
import { messagesFor } from '../../src/domain/notifications/messages-for.js';
import type { EventFacts } from '../../src/domain/notifications/event-facts.js';
import type { Order } from '../../src/domain/order.js';
import { presets } from '../../src/workflows/index.js';

const wf = (name: string) => presets.get(name)!;
const order = (over: Partial<Order> = {}) => ({ id: 'o1', workflow: 'standard', placedAt: new Date(), payments: [], status: {}, ...over }) as unknown as Order;
const changed = (track: string, from: string, to: string, cause?: string): EventFacts =>
  ({ id: 'e1', type: 'order.status_changed', occurredAt: '2026-01-05T09:00:00.000Z', data: { track, from, to, ...(cause ? { cause } : {}) } });
const names = (event: EventFacts, name: string, o = order()) => messagesFor(event, o, wf(name)).map((m) => `${m.audience}:${m.message}@${m.key}`);

describe('which messages an event calls for', () => {
  it.each([
    ['standard', changed('order', 'draft', 'placed'), ['customer:order_confirmation@order']],
    ['standard', changed('order', 'draft', 'in_review'), ['staff:review_needed@e1']],
    ['standard', changed('order', 'in_review', 'placed'), ['customer:order_confirmation@order', 'customer:fraud_review_outcome@e1']],
    ['standard', changed('order', 'placed', 'cancelled', 'timer.payment_timeout'), ['customer:order_expired@e1']],
    ['nutickets', changed('order', 'awaiting_payment_link', 'complete'), ['customer:order_confirmation@order']],
    ['nutickets', changed('order', 'active', 'awaiting_payment_link'), []],
    ['nexway', changed('order', 'PENDING', 'COMPLETED'), []],
    ['nexway', changed('order', 'CANCEL_PENDING', 'CANCELED'), []],
    ['nexway', changed('order', 'PAYMENT_PENDING', 'ABORTED', 'timer.payment_timeout'), ['customer:order_aborted@e1']],
    ['xcart', changed('fulfilment', 'N', 'NB'), []],
    ['xcart', changed('payment', 'Q', 'C'), ['customer:order_cancelled@e1']],
  ])('%s: %j', (name, event, expected) => {
    expect(names(event, name)).toEqual(expected);
  });

  it('a basket that lapsed before it was ever placed is told to nobody', () => {
    expect(names(changed('order', 'active', 'expired', 'timer.basket_expired'), 'nutickets', order({ placedAt: null }))).toEqual([]);
  });

  it('X-Cart confirms at checkout; a draft is not confirmed; Nexway never from the stream', () => {
    const created = (draft: boolean, status: Record<string, string>): EventFacts => ({ id: 'e0', type: 'order.created', occurredAt: '', data: { draft, status } });
    expect(names(created(false, { payment: 'Q', fulfilment: 'N' }), 'xcart')).toEqual(['customer:order_confirmation@order']);
    expect(names(created(true, { order: 'draft' }), 'standard')).toEqual([]);
    expect(names(created(false, { order: 'CREATED' }), 'nexway')).toEqual([]);
  });

  it('payment received only for money that came after the checkout', () => {
    const settled: EventFacts = { id: 'e2', type: 'payment.settled', occurredAt: '', data: { paymentId: 'p1', order: { status: { order: 'placed' } } } };
    expect(names(settled, 'standard', order({ payments: [{ id: 'p1', method: 'invoice' }] as never }))).toEqual(['customer:payment_received@e2']);
    expect(names(settled, 'standard', order({ payments: [{ id: 'p1', method: 'card' }] as never }))).toEqual([]);
    const completes = { ...settled, data: { ...settled.data, order: { status: { order: 'complete' } } } };
    expect(names(completes, 'nutickets', order({ payments: [{ id: 'p1', method: 'payment_link' }] as never }))).toEqual([]);
  });

  it('staff hear of backorders and of gateway answers nobody could read', () => {
    expect(names({ id: 'e3', type: 'stock.backordered', occurredAt: '', data: { skus: ['LP'] } }, 'xcart')).toEqual(['staff:backorder_notice@e3']);
    expect(names({ id: 'e4', type: 'payment.unknown', occurredAt: '', data: {} }, 'nutickets')).toEqual(['staff:review_needed@e4']);
  });
});
