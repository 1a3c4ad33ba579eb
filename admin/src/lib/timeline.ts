/**
 * The order's timeline, from the server's history as it is: entries a merchant rarely needs
 * (gateway call bookkeeping, stock holds, timers set) are folded into one line per run.
 */

export interface TimelineEntry {
  readonly id: string;
  readonly type: string;
  readonly at: string;
}

export type TimelineItem<E extends TimelineEntry> =
  | { readonly kind: 'entry'; readonly entry: E }
  | { readonly kind: 'folded'; readonly id: string; readonly entries: readonly E[] };

const MINOR_TYPES = new Set(['payment.operation_requested', 'payment.operation_answered', 'order.numbered', 'order.completion_steps', 'payment_link.expiring']);
const NOTABLE_STOCK = new Set(['stock.short', 'stock.backordered']);
const NOTABLE_TIMER = new Set(['timer.fired', 'timer.extended']);

export function isMinor(type: string): boolean {
  if (MINOR_TYPES.has(type)) return true;
  if (type.startsWith('stock.')) return !NOTABLE_STOCK.has(type);
  if (type.startsWith('timer.')) return !NOTABLE_TIMER.has(type);
  return false;
}

/** Runs of two or more minor entries become one folded item; a lone minor entry stays as it is. */
export function foldTimeline<E extends TimelineEntry>(entries: readonly E[]): TimelineItem<E>[] {
  const out: TimelineItem<E>[] = [];
  let run: E[] = [];
  const flush = () => {
    if (run.length === 1) out.push({ kind: 'entry', entry: run[0]! });
    else if (run.length > 1) out.push({ kind: 'folded', id: `fold-${run[0]!.id}`, entries: run });
    run = [];
  };
  for (const entry of entries) {
    if (isMinor(entry.type)) run.push(entry);
    else {
      flush();
      out.push({ kind: 'entry', entry });
    }
  }
  flush();
  return out;
}

/** `payment.operation_requested` -> `Payment operation requested`. */
export const describeType = (type: string): string => {
  const words = type.replace(/[._]/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};
