/**
 * Changing the basket: adding, re-counting and removing lines while the workflow lets the
 * basket be edited (a cart, or nuTickets' editable payment link). Stock follows at once:
 * the current states' stock effects are applied again to the new lines, and what removed
 * lines held goes back. Timers that restart on a basket change do.
 */
import type { Actor } from './actor.js';
import { MAX_QUANTITY, type NewOrderLine } from './new-line.js';
import type { Decision } from './decision.js';
import type { Order, OrderLine } from './order.js';
import { accept, reject, type Result } from './result.js';
import { applyStockEffect, type StockMovement } from './stock.js';
import { restartOnBasketChange } from './timers.js';
import { totalsOf } from './totals.js';
import type { WorkflowDefinition } from './workflow/definition.js';
import { stateOf } from './workflow/interpret.js';

export interface BasketChange {
  readonly addLines?: readonly NewOrderLine[];
  readonly changeLines?: readonly { readonly lineId: string; readonly quantity: number }[];
  readonly removeLines?: readonly string[];
}

/** Whether the order's current states let its basket be edited, and by whom. */
export function basketEditable(wf: WorkflowDefinition, order: Order, actor: Actor): boolean {
  if (actor.kind !== 'customer' && actor.kind !== 'admin') return false;
  return wf.tracks.some((track) => {
    const editable = stateOf(track, order.status[track.id] ?? track.initial)?.basket;
    return editable === 'editable' || (editable === 'editableIfAllowed' && order.basketEditable === true);
  });
}

export interface LineChanges {
  readonly lines: readonly OrderLine[];
  readonly movements: readonly StockMovement[];
  readonly added: readonly OrderLine[];
  readonly counts: ReadonlyMap<string, number>;
  readonly removed: ReadonlySet<string>;
}

/**
 * Adds, re-counts and removes lines; stock follows: what removed lines held goes back, and
 * the rest is brought to what the current states ask for. Units already sent in a parcel
 * cannot be counted away (that is a return).
 */
export function changeLines(wf: WorkflowDefinition, order: Order, change: BasketChange, newLineIds: readonly string[]): Result<LineChanges> {
  const known = new Map(order.lines.map((l) => [l.id, l]));
  const unknown = [...(change.changeLines ?? []).map((c) => c.lineId), ...(change.removeLines ?? [])].filter((id) => !known.has(id));
  if (unknown.length > 0) return reject('line_not_found', `the order has no line ${unknown.join(', ')}`, { lineIds: unknown });
  const bad = [...(change.addLines ?? []).map((l) => l.quantity), ...(change.changeLines ?? []).map((c) => c.quantity)]
    .some((q) => !Number.isInteger(q) || q < 1 || q > MAX_QUANTITY);
  if (bad) return reject('validation_failed', `quantities must be whole numbers from 1 to ${MAX_QUANTITY}`);
  const sentBelow = [...(change.changeLines ?? []).map((c) => [c.lineId, c.quantity] as const), ...(change.removeLines ?? []).map((id) => [id, 0] as const)]
    .find(([id, q]) => q < (known.get(id)!.fulfilled ?? 0));
  if (sentBelow) return reject('line_already_sent', `line ${sentBelow[0]} has ${known.get(sentBelow[0])!.fulfilled} unit(s) in parcels; send them back with a return instead`, { lineId: sentBelow[0] });

  const removed = new Set(change.removeLines ?? []);
  const counts = new Map((change.changeLines ?? []).map((c) => [c.lineId, c.quantity]));
  const gone = order.lines.filter((l) => removed.has(l.id));
  const kept = order.lines.filter((l) => !removed.has(l.id)).map((l) => (counts.has(l.id) ? { ...l, quantity: counts.get(l.id)! } : l));
  const added: OrderLine[] = (change.addLines ?? []).map((l, i) => ({ id: newLineIds[i]!, sku: l.sku, ...(l.name ? { name: l.name } : {}), quantity: l.quantity, unitPrice: l.unitPrice }));

  const movements: StockMovement[] = [...applyStockEffect(gone, 'release').movements];
  let lines: readonly OrderLine[] = [...kept, ...added];
  for (const track of wf.tracks) {
    const effect = stateOf(track, order.status[track.id] ?? track.initial)?.stock ?? 'none';
    const applied = applyStockEffect(lines, effect);
    lines = applied.lines;
    movements.push(...applied.movements);
  }
  return accept({ lines, movements, added, counts, removed });
}

/** A payment link still waiting asks for the basket as it now is (nuTickets' editable link). */
function linkFollowsBasket(order: Order, now: Date): Order {
  const link = order.payments.find((p) => p.link && p.state === 'pending');
  if (!link) return order;
  const others = order.payments.filter((p) => p !== link).reduce((n, p) => n + (p.state === 'pending' || p.state === 'unknown' ? p.amount : p.state === 'authorized' ? p.authorized - p.captured : 0), 0);
  const amount = Math.max(totalsOf(order).balance - others, 0);
  return { ...order, payments: order.payments.map((p) => (p === link ? { ...p, amount, updatedAt: now.toISOString() } : p)) };
}

export function decideBasketChange(wf: WorkflowDefinition, order: Order, change: BasketChange, newLineIds: readonly string[], actor: Actor, now: Date): Result<Decision> {
  if (!basketEditable(wf, order, actor)) return reject('basket_not_editable', `the basket of an order in ${JSON.stringify(order.status)} cannot be changed`);
  const changed = changeLines(wf, order, change, newLineIds);
  if (!changed.ok) return changed;
  const { lines, movements, added, counts, removed } = changed.value;
  const edited: Order = { ...order, lines, timers: restartOnBasketChange(wf, order.timers, now), version: order.version + 1, updatedAt: now };
  const next = linkFollowsBasket(edited, now);
  try {
    totalsOf(next);
  } catch {
    return reject('amount_out_of_range', 'the order total is larger than Ordo can hold exactly');
  }
  return accept({
    order: next,
    events: [{ type: 'order.basket_changed', data: { added: added.map((l) => l.id), changed: [...counts.keys()], removed: [...removed] } }],
    movements,
  });
}
