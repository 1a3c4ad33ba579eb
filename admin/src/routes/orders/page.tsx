/**
 * Orders: saved views as tabs, filters (workflow, each track's status with counts, dates, text),
 * a table with a badge per track, cursor pages, and a bulk status change reported per order.
 * All of the list's state is in the URL.
 */
import { useMemo, useState } from 'react';
import { getRouteApi, Link } from '@tanstack/react-router';
import { $api } from '../../api/client';
import { useWorkflowDefs } from '../../api/workflows';
import { SAVED_VIEWS, serializeOrdersSearch, toApiQuery, type OrdersSearch } from '../../lib/search';
import { cn } from '../../lib/cn';
import { ErrorBox } from '../../components/error-box';
import { Card } from '../../components/ui/card';
import { Button } from '../../components/ui/button';
import { Filters } from './filters';
import { OrdersTable } from './table';
import { BulkTransition } from './bulk';
import { DemoButton } from './demo-button';

const route = getRouteApi('/orders');

export function OrdersPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const defs = useWorkflowDefs();
  const query = toApiQuery(search);
  const orders = $api.useQuery('get', '/v1/orders/search', { params: { query } }, { refetchInterval: 10_000 });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const go = (next: Partial<OrdersSearch>) => {
    setSelected(new Set());
    void navigate({ search: () => serializeOrdersSearch({ ...search, ...next }) });
  };
  const items = useMemo(() => orders.data?.items ?? [], [orders.data]);
  const empty = !orders.isLoading && items.length === 0 && !search.q && !search.workflow && !search.status && !search.view && !search.cursor && !search.from && !search.to;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Orders</h1>
      </div>
      <nav aria-label="Saved views" className="flex gap-1 overflow-x-auto border-b border-slate-200">
        {SAVED_VIEWS.map((v) => (
          <Link key={v.id} to="/orders" search={serializeOrdersSearch({ ...search, view: v.id, cursor: undefined })}
            className={cn('-mb-px whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium', (search.view ?? 'all') === v.id ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-600 hover:text-slate-900')}
            aria-current={(search.view ?? 'all') === v.id ? 'page' : undefined}>
            {v.label}
          </Link>
        ))}
      </nav>
      <Filters search={search} defs={defs.data} onChange={go} />
      {defs.error ? <ErrorBox error={defs.error} action="Loading the workflows" /> : null}
      {orders.error ? <ErrorBox error={orders.error} action="Loading the orders" /> : null}
      {selected.size > 0 ? <BulkTransition orders={items.filter((o) => selected.has(o.id))} defs={defs.data} onDone={() => setSelected(new Set())} /> : null}
      <Card>
        {empty ? (
          <div className="space-y-3 p-6 text-center">
            <p className="text-slate-600">There are no orders yet.</p>
            <DemoButton />
          </div>
        ) : (
          <OrdersTable orders={items} defs={defs.data} loading={orders.isLoading} selected={selected} onSelect={setSelected} />
        )}
      </Card>
      <div className="flex items-center justify-between gap-2">
        <Button disabled={!search.cursor} onClick={() => go({ cursor: undefined })}>First page</Button>
        <span className="text-sm text-slate-600" aria-live="polite">{orders.isFetching ? 'Loading…' : `${items.length} order${items.length === 1 ? '' : 's'} on this page`}</span>
        <Button disabled={!orders.data?.nextCursor} onClick={() => go({ cursor: orders.data?.nextCursor ?? undefined })}>Next page</Button>
      </div>
    </div>
  );
}
