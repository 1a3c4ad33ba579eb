/**
 * Stock as the order sees it. Each line remembers how many of its units it holds reserved
 * and how many it has taken from stock (committed). Entering a state applies the state's
 * stock effect as a target, not a step: "reserve" means "hold every unit not yet taken",
 * so entering a state twice, or by another path, never holds twice.
 */
import type { OrderLine } from './order.js';
import type { StockEffect } from './workflow/definition.js';

export const MOVEMENT_KINDS = ['adjust', 'reserve', 'release', 'commit', 'sale', 'restock'] as const;
/**
 * adjust: an admin counted the shelf; reserve/release: held for an order or let go;
 * commit: a held unit is sold; sale: a unit sold without being held first; restock: a sold unit came back.
 */
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export interface StockMovement {
  readonly sku: string;
  readonly kind: MovementKind;
  readonly quantity: number;
  readonly lineId?: string;
}

/** What a movement does to a SKU's on-hand and reserved counts. */
export function movementDeltas(kind: MovementKind, q: number): { readonly onHand: number; readonly reserved: number } {
  switch (kind) {
    case 'adjust':
    case 'restock':
      return { onHand: q, reserved: 0 };
    case 'reserve':
      return { onHand: 0, reserved: q };
    case 'release':
      return { onHand: 0, reserved: -q };
    case 'commit':
      return { onHand: -q, reserved: -q };
    case 'sale':
      return { onHand: -q, reserved: 0 };
    default:
      return kind satisfies never;
  }
}

export const reservedOf = (l: OrderLine) => l.reserved ?? 0;
export const committedOf = (l: OrderLine) => l.committed ?? 0;

/** Brings every line to what `effect` asks for; returns the new lines and the movements that get them there. */
export function applyStockEffect(lines: readonly OrderLine[], effect: StockEffect): { lines: OrderLine[]; movements: StockMovement[] } {
  const movements: StockMovement[] = [];
  const move = (l: OrderLine, kind: MovementKind, quantity: number) => {
    if (quantity > 0) movements.push({ sku: l.sku, kind, quantity, lineId: l.id });
  };
  const next = lines.map((l): OrderLine => {
    if (effect === 'none') return l;
    const reserved = reservedOf(l);
    const fulfilled = l.fulfilled ?? 0;
    // Sold units beyond what the line still wants (it was made smaller) go back, unless they were sent.
    const excess = Math.max(0, committedOf(l) - Math.max(l.quantity, fulfilled));
    move(l, 'restock', excess);
    const committed = committedOf(l) - excess;
    switch (effect) {
      case 'reserve': {
        const target = Math.max(0, l.quantity - committed);
        move(l, target > reserved ? 'reserve' : 'release', Math.abs(target - reserved));
        return { ...l, reserved: target, committed };
      }
      case 'commit': {
        const fromHeld = Math.min(reserved, Math.max(0, l.quantity - committed));
        move(l, 'commit', fromHeld);
        move(l, 'release', reserved - fromHeld);
        move(l, 'sale', Math.max(0, l.quantity - committed - fromHeld));
        return { ...l, reserved: 0, committed: Math.max(committed, l.quantity) };
      }
      case 'release': {
        // Units that left in a parcel are not on the shelf: only what is still here goes back.
        const shipped = Math.min(committed, fulfilled);
        move(l, 'release', reserved);
        move(l, 'restock', committed - shipped);
        return { ...l, reserved: 0, committed: shipped };
      }
      default:
        return effect satisfies never;
    }
  });
  return { lines: next, movements };
}

/** Refunded lines taken back into stock: units sold come back on the shelf, units still held are let go. */
export function restockLines<O extends { readonly lines: readonly OrderLine[] }>(order: O, returned: readonly { readonly lineId: string; readonly quantity: number }[]) {
  const movements: StockMovement[] = [];
  const lines = order.lines.map((l) => {
    const back = returned.filter((r) => r.lineId === l.id).reduce((n, r) => n + r.quantity, 0);
    if (back === 0) return l;
    const restocked = Math.min(back, committedOf(l));
    const released = Math.min(back - restocked, reservedOf(l));
    if (restocked > 0) movements.push({ sku: l.sku, kind: 'restock', quantity: restocked, lineId: l.id });
    if (released > 0) movements.push({ sku: l.sku, kind: 'release', quantity: released, lineId: l.id });
    return { ...l, committed: committedOf(l) - restocked, reserved: reservedOf(l) - released };
  });
  return { order: { ...order, lines } as O, movements };
}

/** A SKU's stock as the engine read it, locked, inside the command's transaction. */
export interface StockLevel {
  readonly sku: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly backorders: boolean;
}

export interface Shortage {
  readonly sku: string;
  readonly requested: number;
  readonly available: number;
}

/**
 * Whether the movements fit the stock: a SKU may not go below zero available unless it
 * allows backorders, in which case it is reported as backordered. SKUs with no level are
 * not tracked and always fit.
 */
export function checkStock(movements: readonly StockMovement[], levels: ReadonlyMap<string, StockLevel>): { shortages: Shortage[]; backordered: string[] } {
  const taken = new Map<string, number>();
  for (const m of movements) {
    const d = movementDeltas(m.kind, m.quantity);
    taken.set(m.sku, (taken.get(m.sku) ?? 0) - (d.onHand - d.reserved));
  }
  const shortages: Shortage[] = [];
  const backordered: string[] = [];
  for (const [sku, take] of taken) {
    const level = levels.get(sku);
    if (!level || take <= 0) continue;
    const available = level.onHand - level.reserved;
    if (available - take >= 0) continue;
    if (level.backorders) backordered.push(sku);
    else shortages.push({ sku, requested: take, available: Math.max(available, 0) });
  }
  return { shortages, backordered };
}
