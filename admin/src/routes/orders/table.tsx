/** The orders table (TanStack Table): code, created, customer, total, a badge per track, age; rows selectable for bulk changes. */
import { useMemo } from 'react';
import { Link } from '@tanstack/react-router';
import { flexRender } from '@tanstack/react-table';
import { getCoreRowModel, useLegacyTable, type LegacyColumnDef } from '@tanstack/react-table/legacy';
import type { OrderView, Workflow } from '../../api/types';
import { age, dateTime, money } from '../../lib/format';
import { StatusBadges } from '../../components/status-badge';

export function OrdersTable({ orders, defs, loading, selected, onSelect }: {
  orders: readonly OrderView[]; defs: Map<string, Workflow> | undefined; loading: boolean; selected: ReadonlySet<string>; onSelect: (s: ReadonlySet<string>) => void;
}) {
  const now = Date.now();
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  };
  const all = orders.length > 0 && orders.every((o) => selected.has(o.id));
  const columns = useMemo<LegacyColumnDef<OrderView, unknown>[]>(() => [
    {
      id: 'select',
      header: () => <input type="checkbox" aria-label="Select all orders on this page" checked={all} onChange={() => onSelect(all ? new Set() : new Set(orders.map((o) => o.id)))} />,
      cell: ({ row }) => <input type="checkbox" aria-label={`Select order ${row.original.code ?? row.original.id}`} checked={selected.has(row.original.id)} onChange={() => toggle(row.original.id)} />,
    },
    {
      id: 'code', header: 'Order',
      cell: ({ row }) => (
        <Link to="/orders/$orderId" params={{ orderId: row.original.id }} className="font-medium text-indigo-700 underline-offset-2 hover:underline" data-testid="order-link">
          {row.original.code ?? `${row.original.id.slice(0, 8)}…`}
        </Link>
      ),
    },
    { id: 'created', header: 'Created', cell: ({ row }) => <span className="whitespace-nowrap">{dateTime(row.original.createdAt)}</span> },
    { id: 'customer', header: 'Customer', cell: ({ row }) => <span className="block max-w-56 truncate">{row.original.customer.name ?? row.original.customer.email ?? row.original.customer.id ?? '—'}</span> },
    { id: 'total', header: 'Total', cell: ({ row }) => <span className="whitespace-nowrap tabular-nums">{money(row.original.totals.total, row.original.currency)}</span> },
    { id: 'status', header: 'Status', cell: ({ row }) => <StatusBadges wf={defs?.get(row.original.workflow)} status={row.original.status} labels={row.original.statusLabels} /> },
    { id: 'workflow', header: 'Workflow', cell: ({ row }) => <span className="text-slate-600">{defs?.get(row.original.workflow)?.label ?? row.original.workflow}</span> },
    { id: 'age', header: 'Age', cell: ({ row }) => <span className="tabular-nums text-slate-600" title={row.original.createdAt}>{age(row.original.createdAt, now)}</span> },
  ], [orders, defs, selected, all]);
  const table = useLegacyTable({ data: orders as OrderView[], columns, getCoreRowModel: getCoreRowModel(), getRowId: (o) => o.id });
  return (
    <div className="w-full overflow-x-auto">
      <table className="w-full border-collapse text-sm" aria-busy={loading}>
        <thead>
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id}>
              {g.headers.map((h) => (
                <th key={h.id} scope="col" className="border-b border-slate-200 bg-slate-50 px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                  {h.isPlaceholder ? null : flexRender(h.column.columnDef.header, h.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((r) => (
            <tr key={r.id} className={selected.has(r.id) ? 'bg-indigo-50' : 'hover:bg-slate-50'} data-testid="order-row">
              {r.getAllCells().map((c) => <td key={c.id} className="border-b border-slate-100 px-3 py-2 align-middle">{flexRender(c.column.columnDef.cell, c.getContext())}</td>)}
            </tr>
          ))}
          {loading ? <tr><td colSpan={columns.length} className="p-6 text-center text-slate-500">Loading…</td></tr> : null}
          {!loading && orders.length === 0 ? <tr><td colSpan={columns.length} className="p-6 text-center text-slate-500">No orders match.</td></tr> : null}
        </tbody>
      </table>
    </div>
  );
}
