/**
 * A status change for several orders at once. The statuses offered are those the engine allows
 * now for at least one selected order (their `next`); each order is asked on its own, and the
 * answer is reported per order: changed, or refused and why.
 */
import { useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { OrderView, Workflow } from '../../api/types';
import { perform, ifMatch } from '../../api/actions';
import { describeError } from '../../lib/problem';
import { stateOf } from '../../lib/kinds';
import { Button } from '../../components/ui/button';
import { Input, Label, Select } from '../../components/ui/input';

interface Outcome { readonly id: string; readonly code: string | null; readonly ok: boolean; readonly text: string }

export function BulkTransition({ orders, defs, onDone }: { orders: readonly OrderView[]; defs: Map<string, Workflow> | undefined; onDone: () => void }) {
  const options = useMemo(() => {
    const seen = new Map<string, string>();
    for (const o of orders) for (const [track, states] of Object.entries(o.next)) for (const s of states) {
      seen.set(`${track}:${s}`, `${track}: ${stateOf(defs?.get(o.workflow), track, s)?.label ?? s}`);
    }
    return [...seen];
  }, [orders, defs]);
  const [target, setTarget] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const queries = useQueryClient();
  const run = async () => {
    const [track, to] = target.split(':') as [string, string];
    setBusy(true);
    const results: Outcome[] = [];
    for (const o of orders) {
      try {
        await perform({ method: 'POST', template: '/v1/orders/{id}/transitions', params: { id: o.id }, body: { track, to, reason }, headers: ifMatch(o.version) });
        results.push({ id: o.id, code: o.code, ok: true, text: 'changed' });
      } catch (err) {
        const d = describeError(err);
        results.push({ id: o.id, code: o.code, ok: false, text: `${d.detail || d.title} (${d.code})` });
      }
      setOutcomes([...results]);
    }
    setBusy(false);
    await queries.invalidateQueries();
    if (results.every((r) => r.ok)) onDone();
  };
  return (
    <section aria-label="Bulk status change" className="space-y-3 rounded-lg border border-indigo-200 bg-indigo-50 p-3">
      <form className="flex flex-wrap items-end gap-2" onSubmit={(e) => (e.preventDefault(), void run())}>
        <p className="w-full text-sm font-medium">{orders.length} selected: change their status</p>
        <div className="space-y-1">
          <Label htmlFor="bulk-target">Move to</Label>
          <Select id="bulk-target" value={target} onChange={(e) => setTarget(e.target.value)} required>
            <option value="">Choose a status…</option>
            {options.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </Select>
        </div>
        <div className="min-w-48 flex-1 space-y-1">
          <Label htmlFor="bulk-reason">Reason</Label>
          <Input id="bulk-reason" className="w-full" value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={1000} />
        </div>
        <Button type="submit" variant="primary" disabled={busy || !target || !reason.trim()}>{busy ? 'Working…' : 'Apply to each'}</Button>
      </form>
      {options.length === 0 ? <p className="text-sm text-slate-600">The engine allows no status change on these orders now.</p> : null}
      {outcomes.length ? (
        <ul className="space-y-1 text-sm" aria-live="polite" data-testid="bulk-results">
          {outcomes.map((r) => (
            <li key={r.id} className={r.ok ? 'text-emerald-800' : 'text-red-800'}>
              <Link to="/orders/$orderId" params={{ orderId: r.id }} className="font-medium underline">{r.code ?? r.id.slice(0, 8)}</Link>: {r.ok ? 'changed' : `refused — ${r.text}`}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
