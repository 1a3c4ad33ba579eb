/**
 * JSON schemas of the HTTP API. They validate requests (unknown fields and wrong types are
 * refused, never coerced), type the handlers, and generate the OpenAPI document.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { ACTOR_KINDS } from '../domain/actor.js';
import { MAX_QUANTITY } from '../domain/create-order.js';
import { STATE_KINDS, STOCK_EFFECTS } from '../domain/workflow/definition.js';
import { PAYMENT_METHODS, PAYMENT_STATES, REFUND_STATES } from '../domain/payments/payment.js';
import { FULFILLMENT_STATES } from '../domain/fulfillments/fulfillment.js';
import { RETURN_STATES } from '../domain/returns.js';
import { SIMULATED_OUTCOMES } from '../gateways/simulated.js';

const strict = { additionalProperties: false } as const;
const Text = (max = 200) => Type.String({ minLength: 1, maxLength: max });
const MinorUnits = (description: string) => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description });
const Id = Type.String({ format: 'uuid' });
const Enum = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Address = Type.Object({
  name: Type.Optional(Text()), line1: Type.Optional(Text()), line2: Type.Optional(Text()), city: Type.Optional(Text()),
  region: Type.Optional(Text()), postalCode: Type.Optional(Text(32)), country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
}, strict);

export const Customer = Type.Object({
  id: Type.Optional(Text()), email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })), name: Type.Optional(Text()),
}, strict);

const Shipping = Type.Object({
  amount: MinorUnits('shipping price in minor units'), method: Type.Optional(Text()), address: Type.Optional(Address),
}, strict);

const NewLine = Type.Object({
  sku: Text(100),
  name: Type.Optional(Text()),
  quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }),
  unitPrice: MinorUnits('price of one unit in minor units'),
  requiresApproval: Type.Optional(Type.Boolean({ description: 'the item needs an admin\'s approval before it is paid for (nuTickets)' })),
}, strict);

/** A line of a new order: without unitPrice it takes the SKU's price on file (a customer token must leave it out). */
const AskedLine = Type.Object({ ...NewLine.properties, unitPrice: Type.Optional(NewLine.properties.unitPrice) }, strict);

export const CreateOrderBody = Type.Object({
  workflow: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'a workflow name; default standard' })),
  currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
  customer: Type.Optional(Customer),
  lines: Type.Array(AskedLine, { maxItems: 500 }),
  shipping: Type.Optional(Shipping),
  billingAddress: Type.Optional(Address),
  draft: Type.Optional(Type.Boolean({ description: 'keep it as a cart being built' })),
  payment: Type.Optional(Type.Object({
    method: Enum(PAYMENT_METHODS),
    amount: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    deposit: Type.Optional(Type.Boolean({ description: "pay the workflow's deposit share now, the balance by balanceDueAt" })),
    capture: Type.Optional(Type.Boolean({ description: 'false: authorize only, capture later' })),
    balanceDueAt: Type.Optional(Type.String({ format: 'date-time' })),
    simulate: Type.Optional(Enum(SIMULATED_OUTCOMES)),
    expiresAt: Type.Optional(Type.String({ format: 'date-time', description: "the order's own payment deadline (a payment link's expiry, an on-site reservation's)" })),
    editable: Type.Optional(Type.Boolean({ description: 'the customer may still edit the basket through the payment link' })),
  }, strict)),
  metadata: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 50 })),
}, strict);
export type CreateOrderBody = Static<typeof CreateOrderBody>;

export const BasketChangeBody = Type.Object({
  addLines: Type.Optional(Type.Array(NewLine, { maxItems: 500 })),
  changeLines: Type.Optional(Type.Array(Type.Object({ lineId: Id, quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }) }, strict), { maxItems: 500 })),
  removeLines: Type.Optional(Type.Array(Id, { maxItems: 500 })),
}, strict);

export const TransitionBody = Type.Object({
  track: Type.Optional(Text(64)),
  to: Text(64),
  reason: Type.Optional(Text(1000)),
}, strict);
export type TransitionBody = Static<typeof TransitionBody>;

export const OrderIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const ListOrdersQuery = Type.Object({
  workflow: Type.Optional(Text(64)),
  status: Type.Optional(Type.String({ minLength: 1, maxLength: 130, description: '`state` or `track:state`' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'order code, id, or customer email/name' })),
  cursor: Type.Optional(Id),
  limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: '1 to 100, default 20' })),
}, strict);

const Totals = Type.Object({
  subtotal: Type.Integer(), shipping: Type.Integer(), surcharges: Type.Integer(), total: Type.Integer(),
  paid: Type.Integer({ description: 'money received (captured)' }),
  refunded: Type.Integer({ description: 'money given back (settled refunds)' }),
  net: Type.Integer({ description: 'paid - refunded: what the merchant keeps' }),
  refundsPending: Type.Integer({ description: 'refunds asked of the gateway and not yet answered' }),
  balance: Type.Integer({ description: 'what the customer still owes, never below 0; a goodwill refund never raises it' }),
  overpaid: Type.Integer({ description: 'money held beyond what the order costs, not yet on its way back' }),
});

const PaymentViewSchema = Type.Object({
  id: Id, method: Type.String(), gateway: Type.String(), reference: Nullable(Type.String()), amount: Type.Integer(),
  state: Enum(PAYMENT_STATES), authorized: Type.Integer(), captured: Type.Integer(), refunded: Type.Integer(), deposit: Type.Boolean(),
  link: Nullable(Type.Object({ expiresAt: Type.String({ format: 'date-time' }), editable: Type.Boolean(), sent: Type.Integer() })),
  pendingOperation: Nullable(Type.String({ description: 'a gateway call made and not yet answered; retried with the same idempotency key' })),
  createdAt: Type.String({ format: 'date-time' }), updatedAt: Type.String({ format: 'date-time' }),
});
const FulfillmentViewSchema = Type.Object({
  id: Id, lines: Type.Array(Type.Object({ lineId: Id, quantity: Type.Integer() })), carrier: Nullable(Type.String()),
  trackingNumber: Nullable(Type.String()), trackingUrl: Nullable(Type.String()), state: Enum(FULFILLMENT_STATES),
  createdAt: Type.String({ format: 'date-time' }), updatedAt: Type.String({ format: 'date-time' }),
});
const RefundViewSchema = Type.Object({
  id: Id, paymentId: Id, amount: Type.Integer(), lines: Type.Array(Type.Object({ lineId: Id, quantity: Type.Integer() })),
  shipping: Type.Integer(), adjustment: Type.Integer(), reason: Type.String(), restock: Type.Boolean(), state: Enum(REFUND_STATES),
  reference: Nullable(Type.String()),
  overpayment: Type.Integer({ description: 'the part that gives back money the order no longer costs (a cancellation, a cheaper change); the rest is goodwill and never raises the balance' }),
  createdAt: Type.String({ format: 'date-time' }),
});

export const OrderView = Type.Object({
  id: Id,
  code: Nullable(Type.String({ description: 'human order number, e.g. #1001; null until numbered (X-Cart numbers an order once it is finished)' })),
  workflow: Type.String(),
  workflowVersion: Type.Integer(),
  version: Type.Integer({ description: 'increases with every change; send it back in If-Match' }),
  status: Type.Record(Type.String(), Type.String(), { description: 'track -> state' }),
  statusLabels: Type.Record(Type.String(), Type.String(), { description: "track -> the state's name, as the merchant calls it" }),
  currency: Type.String(),
  customer: Customer,
  lines: Type.Array(Type.Object({
    id: Id, sku: Type.String(), name: Type.Optional(Type.String()), quantity: Type.Integer(), unitPrice: Type.Integer(), total: Type.Integer(),
    reserved: Type.Integer({ description: 'units held in stock for this line' }), committed: Type.Integer({ description: 'units taken from stock' }),
    fulfilled: Type.Integer({ description: 'units in parcels that are not cancelled' }), cancelled: Type.Integer({ description: 'units cancelled after checkout' }),
    approval: Type.Optional(Type.Object({ state: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]), reason: Type.Optional(Type.String()) })),
  })),
  shipping: Nullable(Shipping),
  billingAddress: Nullable(Address),
  surcharges: Type.Array(Type.Object({ id: Type.String(), description: Type.String(), amount: Type.Integer() })),
  totals: Totals,
  metadata: Type.Record(Type.String(), Type.Unknown()),
  payments: Type.Array(PaymentViewSchema),
  refunds: Type.Array(RefundViewSchema),
  fulfillments: Type.Array(FulfillmentViewSchema),
  returns: Type.Array(Type.Object({
    id: Id, lines: Type.Array(Type.Object({ lineId: Id, quantity: Type.Integer() })), reason: Type.String(), state: Enum(RETURN_STATES),
    restocked: Type.Integer(), createdAt: Type.String({ format: 'date-time' }), updatedAt: Type.String({ format: 'date-time' }),
  })),
  timers: Type.Array(Type.Object({ name: Type.String(), track: Type.String(), dueAt: Type.String({ format: 'date-time' }), extended: Type.Boolean() }), { description: 'what the order waits on' }),
  next: Type.Record(Type.String(), Type.Array(Type.String()), { description: 'track -> the statuses this caller may move it to' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  placedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const OrderPage = Type.Object({ items: Type.Array(OrderView), nextCursor: Nullable(Id) });

export const HistoryEntry = Type.Object({
  id: Id,
  type: Type.String(),
  track: Nullable(Type.String()),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  actor: Type.Object({ kind: Enum(ACTOR_KINDS), id: Nullable(Type.String()) }),
  reason: Nullable(Type.String()),
  cause: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
  at: Type.String({ format: 'date-time' }),
});
export const HistoryPage = Type.Object({ items: Type.Array(HistoryEntry) });

export const Problem = Type.Object({
  type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.String(), code: Type.String(),
  instance: Type.Optional(Type.String()),
}, { additionalProperties: true, description: 'RFC 9457 problem details; `code` is stable' });

const Guard = Type.Object({ kind: Type.String() }, { additionalProperties: true });
const Froms = Type.Union([Type.Array(Type.String()), Type.Literal('*')]);
export const Workflow = Type.Object({
  name: Type.String(), version: Type.Integer(), label: Type.String(), description: Type.String(),
  revision: Type.Integer({ description: "revision of this deployment's changes to the shipped workflow; 0 as shipped" }),
  customStatuses: Type.Boolean({ description: 'whether the merchant may add statuses of its own' }),
  settings: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  settingNotes: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'what each setting is for, and where its default comes from' })),
  tracks: Type.Array(Type.Object({
    id: Type.String(), label: Type.String(), initial: Type.String(),
    states: Type.Array(Type.Object({
      id: Type.String(), label: Type.String(), code: Type.Optional(Type.String()), kind: Enum(STATE_KINDS),
      stock: Type.Optional(Enum(STOCK_EFFECTS)), customerAlias: Type.Optional(Type.String()),
      description: Type.Optional(Type.String()), placed: Type.Optional(Type.Boolean()),
      basket: Type.Optional(Type.Union([Type.Literal('editable'), Type.Literal('editableIfAllowed')])),
      custom: Type.Optional(Type.Boolean({ description: "one of the merchant's own statuses" })),
    })),
    transitions: Type.Array(Type.Object({
      from: Froms, to: Type.String(), actors: Type.Array(Enum(ACTOR_KINDS)), guards: Type.Optional(Type.Array(Guard)), description: Type.Optional(Type.String()),
    })),
    reactions: Type.Optional(Type.Array(Type.Object({
      on: Type.String(), from: Froms, to: Type.String(), guards: Type.Optional(Type.Array(Guard)), description: Type.Optional(Type.String()),
    }))),
    timers: Type.Optional(Type.Array(Type.Object({
      name: Type.String(), state: Type.String(), after: Type.Optional(Type.String()), at: Type.Optional(Type.String()), fire: Type.String(),
      extendable: Type.Optional(Type.Boolean()), backoff: Type.Optional(Type.Object({ factor: Type.Number(), max: Type.String() })), restartOnBasketChange: Type.Optional(Type.String()), description: Type.Optional(Type.String()),
    }))),
  })),
});
const SettingValue = Type.Union([Type.String({ maxLength: 32 }), Type.Number(), Type.Boolean()]);
export const SettingChanges = Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]{0,63}$' }), Nullable(SettingValue), {
  minProperties: 1,
  description: 'settings to change; null puts the default back',
});
export const StatusName = Type.Object({ label: Text(64) }, strict);

export const WorkflowList = Type.Object({
  items: Type.Array(Type.Object({ name: Type.String(), version: Type.Integer(), label: Type.String(), description: Type.String(), tracks: Type.Array(Type.String()) })),
});

export const CreateApiKeyBody = Type.Object({
  role: Enum(['admin', 'storefront'] as const),
  name: Text(),
  customerId: Type.Optional(Text()),
}, strict);
export const ApiKeyView = Type.Object({
  id: Id, name: Type.String(), role: Type.String(), customerId: Nullable(Type.String()), prefix: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  key: Type.String({ description: 'the secret; shown only in this answer' }),
});

export const Sku = Type.Object({ sku: Type.String({ minLength: 1, maxLength: 100 }) });
export const InventoryView = Type.Object({
  sku: Type.String(), onHand: Type.Integer(), reserved: Type.Integer(),
  available: Type.Integer({ description: 'onHand - reserved; below zero only for SKUs that allow backorders' }), backorders: Type.Boolean(),
});
export const SetInventoryBody = Type.Object({
  onHand: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
  backorders: Type.Optional(Type.Boolean()),
  reason: Type.Optional(Text(500)),
}, strict);
export const MovementList = Type.Object({
  items: Type.Array(Type.Object({
    id: Id, kind: Type.String(), quantity: Type.Integer(), onHandDelta: Type.Integer(), reservedDelta: Type.Integer(),
    orderId: Nullable(Type.String()), lineId: Nullable(Type.String()), reason: Nullable(Type.String()),
    actor: Type.Object({ kind: Type.String(), id: Nullable(Type.String()) }), at: Type.String({ format: 'date-time' }),
  })),
});
export const AdvanceClockBody = Type.Object({ seconds: Type.Integer({ minimum: 1, maximum: 10 * 365 * 86_400 }) }, strict);
export const ClockView = Type.Object({ now: Type.String({ format: 'date-time' }), fired: Type.Integer(), stale: Type.Integer(), failed: Type.Integer() });
export const TimerParams = Type.Object({ id: Type.String({ maxLength: 64 }), name: Type.String({ maxLength: 64 }) });

const NewPaymentFields = {
  method: Enum(PAYMENT_METHODS),
  amount: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'default: what is still owed' })),
  deposit: Type.Optional(Type.Boolean({ description: "the workflow's deposit share of the total; the balance is due by balanceDueAt" })),
  capture: Type.Optional(Type.Boolean({ description: 'false: authorize only, capture later' })),
  expiresAt: Type.Optional(Type.String({ format: 'date-time', description: "a payment link's own expiry; an on-site reservation's" })),
  editable: Type.Optional(Type.Boolean({ description: 'a payment link through which the customer may still edit the basket' })),
  balanceDueAt: Type.Optional(Type.String({ format: 'date-time' })),
  simulate: Type.Optional(Enum(SIMULATED_OUTCOMES)),
};
export const NewPaymentBody = Type.Object(NewPaymentFields, { additionalProperties: false });
export const PaymentIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const CaptureBody = Type.Object({ amount: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })) }, { additionalProperties: false });
export const SettleBody = CaptureBody;
export const ResolveBody = Type.Object({ outcome: Type.Union([Type.Literal('settled'), Type.Literal('failed')]) }, { additionalProperties: false });
export const RefundBody = Type.Object({
  paymentId: Type.Optional(Id),
  amount: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  lines: Type.Optional(Type.Array(Type.Object({ lineId: Id, quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }) }, { additionalProperties: false }), { maxItems: 500 })),
  shipping: Type.Optional(Type.Union([Type.Boolean(), Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })], { description: 'true: all of it; a number: that much' })),
  adjustment: Type.Optional(Type.Integer({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER })),
  reason: Type.String({ minLength: 1, maxLength: 1000 }),
  restock: Type.Optional(Type.Boolean({ description: 'put the refunded lines back in stock' })),
  simulate: Type.Optional(Enum(SIMULATED_OUTCOMES)),
}, { additionalProperties: false });
export const PaymentList = Type.Object({ items: Type.Array(PaymentViewSchema), refunds: Type.Array(RefundViewSchema) });
export const ResendAllView = Type.Object({ resent: Type.Integer(), orders: Type.Array(Id) });
export const CallbackView = Type.Object({ status: Type.Union([Type.Literal('applied'), Type.Literal('duplicate'), Type.Literal('ignored'), Type.Literal('refused')]) });

export const NewFulfillmentBody = Type.Object({
  lines: Type.Array(Type.Object({ lineId: Id, quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }) }, { additionalProperties: false }), { minItems: 1, maxItems: 500 }),
  carrier: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  trackingNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  trackingUrl: Type.Optional(Type.String({ format: 'uri', maxLength: 2000 })),
}, { additionalProperties: false });
export const FulfillmentTransitionBody = Type.Object({ to: Enum(FULFILLMENT_STATES) }, { additionalProperties: false });

export const CancellationBody = Type.Object({
  lines: Type.Optional(Type.Array(Type.Object({ lineId: Id, quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }) }, { additionalProperties: false }), { minItems: 1, maxItems: 500, description: 'omitted: everything, shipping included' })),
  cancelShipping: Type.Optional(Type.Boolean()),
  reason: Type.String({ minLength: 1, maxLength: 1000 }),
  restock: Type.Optional(Type.Boolean({ description: 'put units that already left back in stock' })),
  refund: Type.Optional(Type.Boolean({ description: 'refund what was paid beyond the new total, in the same call' })),
}, { additionalProperties: false });

export const NewReturnBody = Type.Object({
  lines: Type.Array(Type.Object({ lineId: Id, quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }) }, { additionalProperties: false }), { minItems: 1, maxItems: 500 }),
  reason: Type.String({ minLength: 1, maxLength: 1000 }),
}, { additionalProperties: false });
export const ReturnTransitionBody = Type.Object({
  to: Enum(RETURN_STATES),
  restock: Type.Optional(Type.Boolean({ description: 'on receiving: the units are resellable and go back in stock (default true)' })),
}, { additionalProperties: false });

export const ModificationBody = Type.Object({
  dryRun: Type.Optional(Type.Boolean({ description: 'show the new totals and the difference; write nothing' })),
  addLines: Type.Optional(Type.Array(NewLine, { maxItems: 500 })),
  changeLines: Type.Optional(Type.Array(Type.Object({ lineId: Id, quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }) }, { additionalProperties: false }), { maxItems: 500 })),
  removeLines: Type.Optional(Type.Array(Id, { maxItems: 500 })),
  surcharges: Type.Optional(Type.Array(Type.Object({
    description: Type.String({ minLength: 1, maxLength: 200 }),
    amount: Type.Integer({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER, description: 'negative: a discount' }),
  }, { additionalProperties: false }), { maxItems: 50 })),
  shippingAddress: Type.Optional(Address),
  billingAddress: Type.Optional(Address),
  note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
}, { additionalProperties: false });
export const ModificationPreview = Type.Object({ dryRun: Type.Literal(true), before: Totals, after: Totals, difference: Type.Integer(), order: OrderView });

export const ApprovalBody = Type.Object({
  decisions: Type.Array(Type.Object({
    lineId: Id,
    approved: Type.Boolean(),
    reason: Type.String({ minLength: 1, maxLength: 1000 }),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 500 }),
}, { additionalProperties: false });

// Who may do what (issue 11): key listing, customer tokens, prices on file.
export const ApiKeyIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const ListedKey = Type.Object({
  id: Id, name: Type.String(), role: Enum(['admin', 'storefront', 'customer'] as const), customerId: Nullable(Type.String()), prefix: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Nullable(Type.String({ format: 'date-time', description: 'customer tokens only' })),
  issuedBy: Nullable(Type.String({ description: 'the key that issued a customer token' })),
  lastUsedAt: Nullable(Type.String({ format: 'date-time', description: 'to the minute' })),
});
export const ApiKeyList = Type.Object({ items: Type.Array(ListedKey) });
export const CustomerTokenBody = Type.Object({
  customerId: Text(),
  ttl: Type.Optional(Type.Integer({ minimum: 60, maximum: 86_400, description: 'seconds the token lives; default 3600' })),
}, strict);
export const CustomerTokenView = Type.Object({
  id: Id, token: Type.String({ description: 'the secret; shown only in this answer' }), customerId: Type.String(), expiresAt: Type.String({ format: 'date-time' }),
});
export const SetPriceBody = Type.Object({
  currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
  unitPrice: MinorUnits('price of one unit in minor units'),
}, strict);
export const PriceView = Type.Object({ sku: Type.String(), currency: Type.String(), unitPrice: Type.Integer(), updatedAt: Type.String({ format: 'date-time' }) });
export const SkuPrices = Type.Object({ sku: Type.String(), prices: Type.Array(PriceView) });
