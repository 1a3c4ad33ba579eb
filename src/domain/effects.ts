/**
 * What entering states does besides the status itself: the stock effect of every state
 * entered, in the order entered, and the timers of the tracks that moved.
 */
import type { StatusChanged } from './events.js';
import type { Order } from './order.js';
import { applyStockEffect, type StockMovement } from './stock.js';
import { forgetFirings, scheduleTimers } from './timers.js';
import type { WorkflowDefinition } from './workflow/definition.js';
import { stateOf, trackOf } from './workflow/interpret.js';

export interface Entered {
  readonly track: string;
  readonly state: string;
}

export function applyEffects(wf: WorkflowDefinition, order: Order, entered: readonly Entered[], now: Date): { order: Order; movements: StockMovement[] } {
  let lines = order.lines;
  const movements: StockMovement[] = [];
  for (const e of entered) {
    const track = trackOf(wf, e.track);
    const effect = (track && stateOf(track, e.state)?.stock) ?? 'none';
    const applied = applyStockEffect(lines, effect);
    lines = applied.lines;
    movements.push(...applied.movements);
  }
  let withLines: Order = { ...order, lines };
  for (const e of entered) withLines = forgetFirings(wf, withLines, e.track, e.state);
  const touched = new Set(entered.map((e) => e.track));
  return { order: touched.size > 0 ? { ...withLines, timers: scheduleTimers(wf, withLines, touched, now) } : withLines, movements };
}

export const enteredBy = (changes: readonly StatusChanged[]): Entered[] => changes.map((c) => ({ track: c.track, state: c.to }));
