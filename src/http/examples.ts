/**
 * Examples for the OpenAPI document: one request and one answer per operation, taken from a
 * real run (an order of two T-shirts paid by card). The contract test checks each against the
 * schema it illustrates, so an example cannot drift from the API.
 */
import * as S from './schemas.js';

const ORDER_ID = '01a22ccf-fe7d-701c-b0df-40ab3687f71c';
const LINE_ID = '01a22ccf-fe7d-701c-b0df-40ac7d232591';
const PAYMENT_ID = '01a22ccf-fe7d-701c-b0df-40a9b8d9700c';
const AT = '2026-01-05T09:00:00.000Z';
const actor = { kind: 'admin', id: 'key:01a22ccf-fde8-7a35-978e-51ba01c656b5' } as const;

const payment = {
  id: PAYMENT_ID, method: 'card', gateway: 'simulated', reference: `sim_${PAYMENT_ID}`, amount: 4493, state: 'settled',
  authorized: 4493, captured: 4493, refunded: 0, deposit: false, link: null, pendingOperation: null, createdAt: AT, updatedAt: AT,
};

export const order = {
  id: ORDER_ID, code: '#1001', workflow: 'standard', workflowVersion: 1, version: 2,
  status: { order: 'placed', payment: 'paid', fulfillment: 'unfulfilled' },
  statusLabels: { order: 'Placed', payment: 'Paid', fulfillment: 'Unfulfilled' },
  currency: 'EUR', customer: { email: 'ada@example.com', name: 'Ada' },
  lines: [{ id: LINE_ID, sku: 'TSHIRT-M', name: 'T-shirt', quantity: 2, unitPrice: 1999, total: 3998, reserved: 0, committed: 2, fulfilled: 0, cancelled: 0 }],
  shipping: { amount: 495 }, billingAddress: null, surcharges: [],
  totals: { subtotal: 3998, shipping: 495, surcharges: 0, total: 4493, paid: 4493, refunded: 0, net: 4493, refundsPending: 0, balance: 0, overpaid: 0 },
  metadata: {}, payments: [payment], refunds: [], fulfillments: [], returns: [],
  timers: [{ name: 'payment-deadline', track: 'order', dueAt: '2026-01-08T09:00:00.000Z', extended: false }],
  next: { order: ['in_review', 'cancelled', 'completed'], payment: [], fulfillment: ['shipped'] },
  createdAt: AT, updatedAt: AT, placedAt: AT,
};

const workflow = {
  name: 'standard', version: 1, label: 'Ordo standard', description: 'Order, payment and fulfillment as three tracks.', revision: 0, customStatuses: false,
  settings: { paymentDeadline: '72h' },
  tracks: [{
    id: 'order', label: 'Order', initial: 'draft',
    states: [{ id: 'draft', label: 'Draft', kind: 'temporary' }, { id: 'placed', label: 'Placed', kind: 'permanent', stock: 'reserve' }],
    transitions: [{ from: ['draft'], to: 'placed', actors: ['customer', 'admin'] }],
  }],
};

const listedKey = {
  id: '01a22cd0-0062-7463-ac99-4010d4babd6e', name: 'web shop', role: 'storefront', customerId: 'cus_42', prefix: 'ordo_sk_eiRS',
  createdAt: AT, expiresAt: null, issuedBy: null, lastUsedAt: '2026-01-05T09:00:00.000Z',
};
const price = { sku: 'TSHIRT-M', currency: 'EUR', unitPrice: 1999, updatedAt: AT };

const orderLine = { sku: 'TSHIRT-M', name: 'T-shirt', quantity: 2, unitPrice: 1999 };

/** Schema -> an instance of it. */
export const EXAMPLES = new Map<unknown, unknown>([
  [S.OrderView, order],
  [S.OrderPage, { items: [order], nextCursor: null }],
  [S.HistoryPage, { items: [{ id: '01a22ccf-fe86-728f-86cd-c0448ce0b3cf', type: 'order.status_changed', track: 'order', from: 'draft', to: 'placed', actor, reason: null, cause: 'order.created', data: {}, at: AT }] }],
  [S.Workflow, workflow],
  [S.WorkflowList, { items: [{ name: 'standard', version: 1, label: 'Ordo standard', description: 'Order, payment and fulfillment as three tracks.', tracks: ['order', 'payment', 'fulfillment'] }] }],
  [S.ApiKeyView, { id: '01a22cd0-0062-7463-ac99-4010d4babd6e', name: 'web shop', role: 'storefront', customerId: 'cus_42', prefix: 'ordo_sk_eiRS', createdAt: AT, key: 'ordo_sk_eiRSqO6r1POGsbJ4NvEHM7iqnUFpoMdL' }],
  [S.InventoryView, { sku: 'TSHIRT-M', onHand: 40, reserved: 2, available: 38, backorders: false }],
  [S.MovementList, { items: [{ id: '01a22cd0-0062-7463-ac99-4010d4babd6d', kind: 'adjust', quantity: 40, onHandDelta: 40, reservedDelta: 0, orderId: null, lineId: null, reason: 'stock count', actor, at: AT }] }],
  [S.PaymentList, { items: [payment], refunds: [] }],
  [S.ResendAllView, { resent: 1, orders: [ORDER_ID] }],
  [S.CallbackView, { status: 'applied' }],
  [S.ClockView, { now: '2026-01-05T09:01:00.000Z', fired: 0, stale: 0, failed: 0 }],
  [S.CreateOrderBody, { currency: 'EUR', customer: { email: 'ada@example.com', name: 'Ada' }, lines: [orderLine], shipping: { amount: 495 }, payment: { method: 'card' } }],
  [S.TransitionBody, { to: 'cancelled', reason: 'the customer changed their mind' }],
  [S.BasketChangeBody, { addLines: [{ sku: 'CAP', quantity: 1, unitPrice: 1500 }], changeLines: [{ lineId: LINE_ID, quantity: 3 }] }],
  [S.NewPaymentBody, { method: 'payment_link', expiresAt: '2026-01-06T09:00:00.000Z' }],
  [S.CaptureBody, { amount: 4000 }],
  [S.ResolveBody, { outcome: 'settled' }],
  [S.RefundBody, { lines: [{ lineId: LINE_ID, quantity: 1 }], reason: 'one shirt arrived torn', restock: false }],
  [S.NewFulfillmentBody, { lines: [{ lineId: LINE_ID, quantity: 2 }], carrier: 'DHL', trackingNumber: 'JD014600006281234567' }],
  [S.FulfillmentTransitionBody, { to: 'shipped' }],
  [S.CancellationBody, { reason: 'out of stock at the supplier', refund: true }],
  [S.NewReturnBody, { lines: [{ lineId: LINE_ID, quantity: 1 }], reason: 'too small' }],
  [S.ReturnTransitionBody, { to: 'received', restock: true }],
  [S.ModificationBody, { changeLines: [{ lineId: LINE_ID, quantity: 1 }], note: 'the customer keeps one shirt' }],
  [S.ApprovalBody, { decisions: [{ lineId: LINE_ID, approved: true, reason: 'seat confirmed' }] }],
  [S.SetInventoryBody, { onHand: 40, reason: 'stock count' }],
  [S.SettingChanges, { paymentDeadline: '48h' }],
  [S.StatusName, { label: 'Awaiting pickup' }],
  [S.CreateApiKeyBody, { role: 'storefront', name: 'web shop', customerId: 'cus_42' }],
  [S.AdvanceClockBody, { seconds: 86400 }],
  [S.ListedKey, listedKey],
  [S.ApiKeyList, { items: [listedKey] }],
  [S.CustomerTokenBody, { customerId: 'cus_42', ttl: 3600 }],
  [S.CustomerTokenView, { id: '01a22cd0-0062-7463-ac99-4010d4babd70', token: 'ordo_ct_Zk3vQ9xW1pLr8sTq2mNc', customerId: 'cus_42', expiresAt: '2026-01-05T10:00:00.000Z' }],
  [S.SetPriceBody, { currency: 'EUR', unitPrice: 1999 }],
  [S.PriceView, price],
  [S.SkuPrices, { sku: 'TSHIRT-M', prices: [price] }],
]);

/** Path parameters by name. */
export const PARAM_EXAMPLES: Readonly<Record<string, string>> = {
  id: ORDER_ID, sku: 'TSHIRT-M', name: 'standard', track: 'order', status: 'placed', gateway: 'simulated',
};

/** A signed callback's body, which the route reads as text (it checks the signature over it). */
export const CALLBACK_EXAMPLE = { type: 'payment.settled', paymentId: PAYMENT_ID, amount: 4493, reference: 'ch_3PqR' };
