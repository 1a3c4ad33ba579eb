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
