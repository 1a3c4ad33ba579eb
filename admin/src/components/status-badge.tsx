/** One badge per track: the status's name, coloured by its kind (temporary, permanent, terminal). */
import type { Workflow } from '../api/types';
import { KIND_STYLE, stateOf } from '../lib/kinds';
import { cn } from '../lib/cn';
import { Badge } from './ui/badge';

export function StatusBadge({ wf, track, state, label }: { wf: Workflow | undefined; track: string; state: string; label?: string }) {
  const def = stateOf(wf, track, state);
  const kind = def?.kind;
  return (
    <Badge className={cn(kind ? KIND_STYLE[kind] : 'bg-white text-slate-700 ring-slate-300')} title={`${track}: ${state}${kind ? ` (${kind})` : ''}`} data-track={track} data-state={state}>
      <span className="text-[10px] uppercase tracking-wide opacity-60">{track}</span>
      {label ?? def?.label ?? state}
    </Badge>
  );
}

export function StatusBadges({ wf, status, labels }: { wf: Workflow | undefined; status: Record<string, string>; labels?: Record<string, string> }) {
  return (
    <span className="flex flex-wrap gap-1">
      {Object.entries(status).map(([track, state]) => <StatusBadge key={track} wf={wf} track={track} state={state} {...(labels?.[track] ? { label: labels[track] } : {})} />)}
    </span>
  );
}
