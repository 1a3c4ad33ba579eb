/** Small builders for domain tests: each test makes the order it needs, nothing is shared. */
import type { Order, OrderLine, StatusMap } from '../../src/domain/order.js';

export const NOW = new Date('2025-03-01T12:00:00.000Z');
export const LATER = new Date('2025-03-01T12:05:00.000Z');

export const line = (sku: string, quantity: number, unitPrice: number, id = `line-${sku}`): OrderLine => ({ id, sku, quantity, unitPrice });

/** The standard workflow's initial status on every track. */
export const standardInitial: StatusMap = { order: 'draft', payment: 'unpaid', fulfillment: 'unfulfilled' };

/** An order in `status` with `lines`; anything else may be overridden. */
export function makeOrder(status: StatusMap, lines: readonly OrderLine[] = [line('SKU-1', 1, 1000)], overrides: Partial<Order> = {}): Order {
  return {
    id: 'order-1',
    code: 1001,
    workflow: 'standard',
    workflowVersion: 1,
    status,
    currency: 'EUR',
    customer: { id: 'cust-1', email: 'ann@example.com' },
    lines,
    shipping: null,
    billingAddress: null,
    surcharges: [],
    paid: 0,
    refunded: 0,
    payments: [],
    refunds: [],
    fulfillments: [],
    returns: [],
    metadata: {},
    deadlines: {},
    timers: [],
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
    placedAt: null,
    ...overrides,
  };
}
