/**
 * The orders list's state, all of it in the URL: parsed from the router's search object (anything
 * a person typed or pasted), and turned into the query the API's order search takes.
 * Pure: no DOM, no imports, so it is unit-tested as is.
 */

export const VIEW_IDS = ['all', 'attention', 'awaiting_payment', 'ready_to_ship', 'in_review', 'returns'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

/** As the URL holds it (the router keeps what validation returns): plain strings only, so that URLs stay readable. */
export interface OrdersSearch {
  /** Absent: all orders. */
  readonly view?: ViewId;
  readonly workflow?: string;
  /** `track:state` pairs that must all hold, space-separated, e.g. `payment:paid fulfillment:unfulfilled`. */
  readonly status?: string;
  readonly q?: string;
  /** Creation dates, YYYY-MM-DD, both inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly cursor?: string;
}

export interface SavedView {
  readonly id: ViewId;
  readonly label: string;
  /** Alternatives of `track:state` sets, across the workflows (the API's status filter). */
  readonly status?: string;
  readonly overdue?: boolean;
  readonly returns?: 'open';
}

/** Saved views: named filters over the statuses the workflows ship with. They filter; they decide nothing. */
export const SAVED_VIEWS: readonly SavedView[] = [
  { id: 'all', label: 'All orders' },
  {
    id: 'attention', label: 'Needs attention',
    status: ['payment:unknown', 'order:unknown', 'order:PENDING_WITH_ERROR', 'order:CANCEL_PENDING', 'order:CANCELED_WITH_ERROR', 'payment:authorized', 'payment:A', 'order:PaymentAuthorized'].join(','),
  },
  {
    id: 'awaiting_payment', label: 'Awaiting payment',
    status: ['order:placed payment:unpaid', 'payment:partially_paid', 'payment:Q', 'payment:PP', 'order:awaiting_payment_link', 'order:awaiting_invoice', 'order:awaiting_onsite_payment',
      'order:awaiting_local_payment', 'order:partially_paid', 'order:PAYMENT_PENDING', 'order:ArrangingPayment', 'order:ArrangingAdditionalPayment'].join(','),
  },
  {
    id: 'ready_to_ship', label: 'Ready to ship',
    status: ['order:placed payment:paid fulfillment:unfulfilled', 'order:placed payment:paid fulfillment:partially_shipped', 'payment:P fulfilment:N', 'payment:P fulfilment:P', 'order:PaymentSettled', 'order:PartiallyShipped'].join(','),
  },
  { id: 'in_review', label: 'In review', status: ['order:in_review', 'order:FRAUD_PENDING', 'order:awaiting_approval'].join(',') },
  { id: 'returns', label: 'Returns', returns: 'open' },
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

const text = (v: unknown, max: number): string | undefined => {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  return s.length > 0 && s.length <= max ? s : undefined;
};

/** `payment:paid fulfillment:unfulfilled` (or the object the router may hand back) -> { payment: 'paid', … }. */
export function parseStatus(v: unknown): Record<string, string> | undefined {
  const pairs: [string, string][] = [];
  if (typeof v === 'string') {
    for (const part of v.split(/[\s,]+/)) {
      const [track, state, ...rest] = part.split(':');
      if (track && state && rest.length === 0 && NAME.test(track) && NAME.test(state)) pairs.push([track, state]);
    }
  } else if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [track, state] of Object.entries(v)) if (NAME.test(track) && typeof state === 'string' && NAME.test(state)) pairs.push([track, state]);
  }
  return pairs.length ? Object.fromEntries(pairs) : undefined;
}

export const formatStatus = (status: Readonly<Record<string, string>>): string =>
  Object.entries(status).map(([track, state]) => `${track}:${state}`).join(' ');

/** The status filter as track -> state. */
export const statusMap = (status: string | undefined): Record<string, string> => parseStatus(status) ?? {};

/** Whatever the URL holds -> a valid search; what cannot be read is dropped, never an error. */
export function parseOrdersSearch(raw: Record<string, unknown>): OrdersSearch {
  const view = (VIEW_IDS as readonly string[]).includes(raw.view as string) && raw.view !== 'all' ? (raw.view as ViewId) : undefined;
  const workflow = text(raw.workflow, 64);
  const status = parseStatus(raw.status);
  const q = text(raw.q, 200);
  const from = text(raw.from, 10);
  const to = text(raw.to, 10);
  const cursor = text(raw.cursor, 36);
  return {
    ...(view ? { view } : {}),
    ...(workflow && NAME.test(workflow) ? { workflow } : {}),
    ...(status ? { status: formatStatus(status) } : {}),
    ...(q ? { q } : {}),
    ...(from && DATE.test(from) ? { from } : {}),
    ...(to && DATE.test(to) ? { to } : {}),
    ...(cursor && UUID.test(cursor) ? { cursor } : {}),
  };
}

/** The URL form of a search: only what is set, the status as one readable string. */
export function serializeOrdersSearch(s: OrdersSearch): Record<string, string> {
  const out: Record<string, string> = {};
  if (s.view && s.view !== 'all') out.view = s.view;
  if (s.workflow) out.workflow = s.workflow;
  if (s.status) out.status = s.status;
  if (s.q) out.q = s.q;
  if (s.from) out.from = s.from;
  if (s.to) out.to = s.to;
  if (s.cursor) out.cursor = s.cursor;
  return out;
}

const nextDay = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
};

export interface OrderSearchQuery {
  workflow?: string;
  status?: string;
  q?: string;
  createdFrom?: string;
  createdTo?: string;
  overdue?: 'true';
  returns?: 'open';
  cursor?: string;
  limit?: string;
}

/**
 * The API query for a search. A saved view's alternatives combine with the chosen statuses: each
 * alternative gets them added, so that both must hold.
 */
export function toApiQuery(s: OrdersSearch, limit = 25): OrderSearchQuery {
  const view = SAVED_VIEWS.find((v) => v.id === (s.view ?? 'all'));
  const chosen = s.status ?? '';
  const alternatives = view?.status ? view.status.split(',').map((alt) => `${alt} ${chosen}`.trim()) : chosen ? [chosen] : [];
  return {
    ...(s.workflow ? { workflow: s.workflow } : {}),
    ...(alternatives.length ? { status: alternatives.join(',') } : {}),
    ...(s.q ? { q: s.q } : {}),
    ...(s.from ? { createdFrom: `${s.from}T00:00:00.000Z` } : {}),
    ...(s.to ? { createdTo: nextDay(s.to) } : {}),
    ...(view?.overdue ? { overdue: 'true' as const } : {}),
    ...(view?.returns ? { returns: view.returns } : {}),
    ...(s.cursor ? { cursor: s.cursor } : {}),
    limit: String(limit),
  };
}
