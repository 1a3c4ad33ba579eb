/**
 * What a template sees: the order, its status names as the workflow (and the merchant) calls
 * them, money already written out in the order's currency, and the detail of the event that
 * called for the message. Customers see customer-facing names (X-Cart's NB reads as New).
 */
import { formatOrderCode, type Order } from '../order.js';
import { totalsOf } from '../totals.js';
import type { WorkflowDefinition } from '../workflow/definition.js';
import { stateOf } from '../workflow/interpret.js';
import { summaryOf, type EventFacts } from './event-facts.js';
import type { Audience, MessageName } from './messages.js';
import { moneyText } from './money-text.js';

export type MessageView = Readonly<Record<string, unknown>>;

export function messageView(message: MessageName, audience: Audience, event: EventFacts, order: Order, wf: WorkflowDefinition): MessageView {
  const money = (minor: unknown) => (typeof minor === 'number' ? moneyText(minor, order.currency) : null);
  const summary = summaryOf(event);
  const status = summary.status ?? order.status;
  const totals = summary.totals ?? totalsOf(order);
  const label = (track: string, state: unknown) => {
    const def = wf.tracks.find((t) => t.id === track);
    const s = def && typeof state === 'string' ? stateOf(def, state) : undefined;
    const shown = audience === 'customer' && s?.customerAlias && def ? (stateOf(def, s.customerAlias) ?? s) : s;
    return shown?.label ?? (typeof state === 'string' ? state : null);
  };
  const lineName = (lineId: unknown) => {
    const line = order.lines.find((l) => l.id === lineId);
    return line ? (line.name ?? line.sku) : String(lineId);
  };
  const d = event.data;
  return {
    message,
    workflow: { name: wf.name, label: wf.label },
    order: {
      id: order.id,
      code: formatOrderCode(order.code),
      reference: formatOrderCode(order.code) ?? order.id,
      currency: order.currency,
      customer: { name: order.customer.name ?? null, email: order.customer.email ?? null },
      lines: order.lines.filter((l) => l.quantity > 0).map((l) => ({
        sku: l.sku, name: l.name ?? l.sku, quantity: l.quantity, unitPrice: money(l.unitPrice), total: money(l.unitPrice * l.quantity),
      })),
      totals: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, money(v)])),
      status: Object.fromEntries(Object.entries(status).map(([track, state]) => [track, label(track, state)])),
      placedAt: order.placedAt?.toISOString() ?? null,
    },
    event: { id: event.id, type: event.type, occurredAt: event.occurredAt },
    change: event.type === 'order.status_changed'
      ? { track: d.track, from: label(String(d.track), d.from), to: label(String(d.track), d.to), reason: d.reason ?? null }
      : null,
    payment: paymentOf(d, order, money),
    refund: d.refundId ? refundOf(d, order, money) : null,
    fulfillment: d.fulfillmentId ? fulfillmentOf(String(d.fulfillmentId), order, lineName) : null,
    decisions: Array.isArray(d.decisions)
      ? (d.decisions as { lineId: string; approved: boolean; reason?: string }[]).map((x) => ({ item: lineName(x.lineId), approved: x.approved, reason: x.reason ?? null }))
      : null,
    skus: Array.isArray(d.skus) ? d.skus : null,
    amount: money(d.amount),
    reason: typeof d.reason === 'string' ? d.reason : typeof d.why === 'string' ? d.why : null,
  };
}

function paymentOf(d: Readonly<Record<string, unknown>>, order: Order, money: (m: unknown) => string | null) {
  const p = order.payments.find((x) => x.id === d.paymentId);
  if (!p) return null;
  const link = (d.link as { expiresAt?: string } | undefined) ?? p.link;
  const expiresAt = typeof d.expiresAt === 'string' ? d.expiresAt : (link?.expiresAt ?? null);
  return { id: p.id, method: p.method, amount: money(p.amount), state: p.state, reference: p.reference, deposit: p.deposit, expiresAt };
}

function refundOf(d: Readonly<Record<string, unknown>>, order: Order, money: (m: unknown) => string | null) {
  const r = order.refunds.find((x) => x.id === d.refundId);
  return { id: String(d.refundId), amount: money(d.amount ?? r?.amount), reason: r?.reason ?? null };
}

function fulfillmentOf(id: string, order: Order, lineName: (id: string) => string) {
  const f = order.fulfillments.find((x) => x.id === id);
  if (!f) return null;
  return { id, carrier: f.carrier, trackingNumber: f.trackingNumber, trackingUrl: f.trackingUrl, items: f.lines.map((l) => ({ name: lineName(l.lineId), quantity: l.quantity })) };
}
