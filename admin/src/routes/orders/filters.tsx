/** The orders list's filters: workflow, one status per track (with how many orders are in each), dates, text. */
import { useEffect, useState } from 'react';
import type { Workflow } from '../../api/types';
import { useCounts } from '../../api/counts';
import { countOf } from '../../lib/counts';
import { formatStatus, statusMap, type OrdersSearch } from '../../lib/search';
import { Button } from '../../components/ui/button';
import { Input, Label, Select } from '../../components/ui/input';
import { IconSearch } from '../../components/icons';

export function Filters({ search, defs, onChange }: { search: OrdersSearch; defs: Map<string, Workflow> | undefined; onChange: (s: Partial<OrdersSearch>) => void }) {
  const [q, setQ] = useState(search.q ?? '');
  useEffect(() => setQ(search.q ?? ''), [search.q]);
  const wf = search.workflow ? defs?.get(search.workflow) : undefined;
  const counts = useCounts(wf?.name);
  const setStatus = (track: string, state: string) => {
    const next = statusMap(search.status);
    if (state) next[track] = state;
    else delete next[track];
    onChange({ status: Object.keys(next).length ? formatStatus(next) : undefined, cursor: undefined });
  };
  return (
    <div className="flex flex-wrap items-end gap-3">
      <form role="search" className="flex min-w-60 flex-1 items-end gap-2" onSubmit={(e) => (e.preventDefault(), onChange({ q: q.trim() || undefined, cursor: undefined }))}>
        <div className="flex-1 space-y-1">
          <Label htmlFor="order-q">Search</Label>
          <Input id="order-q" type="search" className="w-full" placeholder="Code, email, name, payment reference, SKU" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <Button type="submit" aria-label="Search"><IconSearch /></Button>
      </form>
      <div className="space-y-1">
        <Label htmlFor="order-workflow">Workflow</Label>
        <Select id="order-workflow" value={search.workflow ?? ''} onChange={(e) => onChange({ workflow: e.target.value || undefined, status: undefined, cursor: undefined })}>
          <option value="">All workflows</option>
          {[...(defs?.values() ?? [])].map((w) => <option key={w.name} value={w.name}>{w.label}</option>)}
        </Select>
      </div>
      {wf?.tracks.map((t) => (
        <div key={t.id} className="space-y-1">
          <Label htmlFor={`order-status-${t.id}`}>{t.label}</Label>
          <Select id={`order-status-${t.id}`} value={statusMap(search.status)[t.id] ?? ''} onChange={(e) => setStatus(t.id, e.target.value)}>
            <option value="">Any</option>
            {t.states.map((s) => (
              <option key={s.id} value={s.id}>{s.label}{counts.data ? ` (${countOf(counts.data, t.id, s.id)})` : ''}</option>
            ))}
          </Select>
        </div>
      ))}
      {!wf && search.status ? (
         <p className="text-sm text-slate-600">Status: {search.status} <Button size="sm" variant="ghost" onClick={() => onChange({ status: undefined })}>clear</Button></p>
      ) : null}
      <div className="space-y-1">
        <Label htmlFor="order-from">Created from</Label>
        <Input id="order-from" type="date" value={search.from ?? ''} onChange={(e) => onChange({ from: e.target.value || undefined, cursor: undefined })} />
      </div>
      <div className="space-y-1">
        <Label htmlFor="order-to">to</Label>
        <Input id="order-to" type="date" value={search.to ?? ''} onChange={(e) => onChange({ to: e.target.value || undefined, cursor: undefined })} />
      </div>
    </div>
  );
}
