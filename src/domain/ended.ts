/**
 * Whether the order is over for good, so that card holds it still has are let go: its main
 * status is terminal, or says so (a permanent status an admin may still leave, such as X-Cart's
 * Cancelled or a refused Nexway payment that may be retried, keeps them).
 */
export function releasesHolds(wf: WorkflowDefinition, order: Order): boolean {
  const main = wf.tracks[0]!;
  const state = stateOf(main, order.status[main.id] ?? main.initial);
  return state?.kind === 'terminal' || state?.releasesHolds === true;
}

/** Whether the order's main status holds its goods back (a review, an approval): then nothing ships yet. */
export function orderHeld(wf: WorkflowDefinition, order: Order): string | undefined {
  const main = wf.tracks[0]!;
  const here = order.status[main.id] ?? main.initial;
  return stateOf(main, here)?.holdsGoods ? here : undefined;
}

/** Whether the order's main status has ended or given its stock back (cancelled, expired, aborted): then it no longer ships, cancels or changes. */
import type { Order } from './order.js';
import type { WorkflowDefinition } from './workflow/definition.js';
import { stateOf } from './workflow/interpret.js';

export function orderEnded(wf: WorkflowDefinition, order: Order): string | undefined {
  const main = wf.tracks[0]!;
  const here = order.status[main.id] ?? main.initial;
  const state = stateOf(main, here);
  return state?.kind === 'terminal' || state?.stock === 'release' ? here : undefined;
}

/** Whether the main status gives the order's goods back: called off, whether or not for good (X-Cart's Cancelled may be left). */
export function calledOff(wf: WorkflowDefinition, order: Order): boolean {
  const main = wf.tracks[0]!;
  return stateOf(main, order.status[main.id] ?? main.initial)?.stock === 'release';
}

/** Called off for good (cancelled, expired, aborted): what it still holds is owed back. A completed order is over but not called off. */
export const calledOffForGood = (wf: WorkflowDefinition, order: Order): boolean => releasesHolds(wf, order) && calledOff(wf, order);
