/**
 * Workflows (loaded only when opened): each track drawn as a diagram, with the number of orders
 * in each status refreshed every few seconds, a red mark for stuck orders, a click through to the
 * filtered orders list, the stuck orders oldest first, and the workflow's settings and names.
 */
import { useState } from 'react';
import { createLazyRoute, getRouteApi, Link } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { useWorkflowDefs } from '../../api/workflows';
import { useCounts } from '../../api/counts';
import { client } from '../../api/client';
import type { StuckView } from '../../api/types';
import { cn } from '../../lib/cn';
import { dateTime, age } from '../../lib/format';
import { ErrorBox } from '../../components/error-box';
import { Card, CardBody, CardHeader } from '../../components/ui/card';
import { Input, Label } from '../../components/ui/input';
import { TrackDiagram } from './diagram';
import { Settings } from './settings';

const route = getRouteApi('/workflows');
const THRESHOLD_KEY = 'ordo.stuckAfterHours';

function useStuck(name: string | undefined, hours: number) {
  return useQuery({
    queryKey: ['stuck', name, hours],
    enabled: Boolean(name),
    refetchInterval: 5000,
    queryFn: async (): Promise<StuckView> => {
      const res = await client.GET('/v1/workflows/{name}/stuck', { params: { path: { name: name! }, query: { olderThan: String(Math.max(1, Math.round(hours * 3600))), limit: '50' } } });
      if (res.error || !res.data) throw res.error ?? new Error('no answer');
      return res.data;
    },
  });
}

function WorkflowsPage() {
  const { name: asked } = route.useSearch();
  const defs = useWorkflowDefs();
  const name = asked ?? 'standard';
  const wf = defs.data?.get(name);
  const counts = useCounts(wf?.name);
  const [hours, setHours] = useState(() => Number(localStorage.getItem(THRESHOLD_KEY)) || 24);
  const stuck = useStuck(wf?.name, hours);
  // Ages from the server's clock: a test clock may run days ahead of this browser's.
  const now = stuck.data ? Date.parse(stuck.data.now) : Date.now();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Workflows</h1>
      <nav aria-label="Workflows" className="flex gap-1 overflow-x-auto border-b border-slate-200">
        {[...(defs.data?.values() ?? [])].map((w) => (
          <Link key={w.name} to="/workflows" search={{ name: w.name }} aria-current={w.name === name ? 'page' : undefined}
            className={cn('-mb-px whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium', w.name === name ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-600 hover:text-slate-900')}>
            {w.label}
          </Link>
        ))}
      </nav>
      {defs.error ? <ErrorBox error={defs.error} action="Loading the workflows" /> : null}
      {counts.error ? <ErrorBox error={counts.error} action="Counting orders per status" /> : null}
      {stuck.error ? <ErrorBox error={stuck.error} action="Finding stuck orders" /> : null}
      {wf ? (
        <>
          <p className="text-sm text-slate-600">{wf.description}</p>
          <div className="flex flex-wrap items-end gap-3 text-sm">
            <div className="space-y-1">
              <Label htmlFor="stuck-hours">Stuck after (hours in a temporary status)</Label>
              <Input id="stuck-hours" type="number" min={0.1} step={0.5} className="w-28" value={hours}
                onChange={(e) => { const h = Number(e.target.value); if (h > 0) { setHours(h); localStorage.setItem(THRESHOLD_KEY, String(h)); } }} />
            </div>
            <p className="flex gap-3" aria-label="Colours">
              <span className="flex items-center gap-1"><i className="inline-block h-3 w-3 rounded bg-amber-200 ring-1 ring-amber-400" />temporary</span>
              <span className="flex items-center gap-1"><i className="inline-block h-3 w-3 rounded bg-emerald-200 ring-1 ring-emerald-400" />permanent</span>
              <span className="flex items-center gap-1"><i className="inline-block h-3 w-3 rounded bg-slate-300 ring-1 ring-slate-400" />terminal</span>
              <span className="flex items-center gap-1"><i className="inline-block h-3 w-3 rounded-full bg-red-600" />stuck</span>
            </p>
          </div>
          {wf.tracks.map((t) => (
            <Card key={t.id} aria-label={`${t.label} track`}>
              <CardHeader title={`${t.label} (${t.id})`} />
              <TrackDiagram workflow={wf} track={t} counts={counts.data} stuck={stuck.data} />
            </Card>
          ))}
          <Card aria-labelledby="stuck-title">
            <CardHeader id="stuck-title" title={`Stuck orders (${stuck.data?.total ?? '…'})`} />
            <CardBody>
              {stuck.data && stuck.data.items.length === 0 ? <p className="text-sm text-slate-600">No order is stuck.</p> : null}
              <ol className="space-y-1 text-sm" data-testid="stuck-list">
                {stuck.data?.items.map((s) => (
                  <li key={s.id} className="flex flex-wrap gap-2">
                    <Link to="/orders/$orderId" params={{ orderId: s.id }} className="font-medium text-indigo-700 underline">{s.code ?? s.id.slice(0, 8)}</Link>
                    <span className="text-slate-600">{Object.entries(s.status).map(([k, v]) => `${k}: ${v}`).join(' · ')}</span>
                    <span className="text-slate-600">unchanged for {age(s.since, now)} (since {dateTime(s.since)})</span>
                    {s.overdueSince ? <span className="text-red-700">timer overdue since {dateTime(s.overdueSince)}</span> : null}
                  </li>
                ))}
              </ol>
            </CardBody>
          </Card>
          <Settings workflow={wf} />
        </>
      ) : defs.isLoading ? <p>Loading…</p> : <p>No workflow named {name}.</p>}
    </div>
  );
}

export const Route = createLazyRoute('/workflows')({ component: WorkflowsPage });
