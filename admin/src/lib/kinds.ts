/** A status's kind and name, as its workflow says, and the colour each kind is shown in. */
import type { StateKind, Workflow } from '../api/types';

export const KIND_STYLE: Record<StateKind, string> = {
  temporary: 'bg-amber-100 text-amber-900 ring-amber-300',
  permanent: 'bg-emerald-100 text-emerald-900 ring-emerald-300',
  terminal: 'bg-slate-200 text-slate-800 ring-slate-400',
};
export const KIND_LABEL: Record<StateKind, string> = { temporary: 'temporary', permanent: 'permanent', terminal: 'terminal' };

export function stateOf(wf: Workflow | undefined, track: string, state: string) {
  return wf?.tracks.find((t) => t.id === track)?.states.find((s) => s.id === state);
}
