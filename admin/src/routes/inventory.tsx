/** Inventory: tracked SKUs with on hand, reserved, available and backorders; adjust with a reason; each SKU's ledger, linked to its orders. */
import { useState } from 'react';
import { getRouteApi, Link } from '@tanstack/react-router';
import { $api } from '../api/client';
import type { SkuLevel } from '../api/types';
import { dateTime } from '../lib/format';
import { cn } from '../lib/cn';
import { ActionDialog } from '../components/action-dialog';
import { ErrorBox } from '../components/error-box';
import { Card, CardBody, CardHeader } from '../components/ui/card';
import { Input, Label } from '../components/ui/input';
import { Table, Td, Th } from '../components/ui/table';
import { Button } from '../components/ui/button';

const route = getRouteApi('/inventory');

function Adjust({ level }: { level?: SkuLevel }) {
  const [sku, setSku] = useState(level?.sku ?? '');
  const [onHand, setOnHand] = useState(level ? String(level.onHand) : '');
  const [backorders, setBackorders] = useState(level?.backorders ?? false);
  const n = Number(onHand);
  return (
    <ActionDialog label={level ? 'Adjust' : 'Track a SKU'} title={level ? `Adjust ${level.sku}` : 'Track a SKU'} reason="required" variant={level ? 'secondary' : 'primary'}
      ready={sku.trim().length > 0 && onHand.trim() !== '' && Number.isInteger(n) && n >= 0} testId={level ? `adjust-${level.sku}` : 'track-sku'}
      description={level ? `On hand ${level.onHand}, reserved ${level.reserved}: on hand never goes below what is reserved.` : 'Counts what is on the shelf; the SKU is tracked from now on.'}
      request={(reason) => ({ method: 'PUT', template: '/v1/inventory/{sku}', params: { sku: sku.trim() }, body: { onHand: n, backorders, reason } })}>
      {level ? null : <div className="space-y-1"><Label htmlFor="new-sku">SKU</Label><Input id="new-sku" value={sku} onChange={(e) => setSku(e.target.value)} /></div>}
      <div className="space-y-1"><Label htmlFor="on-hand">On hand</Label><Input id="on-hand" type="number" min={0} className="w-32" value={onHand} onChange={(e) => setOnHand(e.target.value)} /></div>
      <label className="flex items-center gap-2 text-sm"><input type="checkbox" checked={backorders} onChange={(e) => setBackorders(e.target.checked)} />Allow backorders (sell below zero)</label>
    </ActionDialog>
  );
}

function Ledger({ sku }: { sku: string }) {
  const moves = $api.useQuery('get', '/v1/inventory/{sku}/movements', { params: { path: { sku } } });
  return (
    <Card aria-labelledby="ledger-title">
      <CardHeader id="ledger-title" title={`Ledger of ${sku}, newest first`} />
      {moves.error ? <CardBody><ErrorBox error={moves.error} action="Loading the ledger" /></CardBody> : null}
      <Table>
        <thead><tr><Th>When</Th><Th>Movement</Th><Th className="text-right">Quantity</Th><Th className="text-right">On hand Δ</Th><Th className="text-right">Reserved Δ</Th><Th>Order</Th><Th>Why</Th><Th>Who</Th></tr></thead>
        <tbody>
          {moves.data?.items.map((m) => (
            <tr key={m.id}>
              <Td className="whitespace-nowrap">{dateTime(m.at)}</Td><Td>{m.kind}</Td><Td className="text-right tabular-nums">{m.quantity}</Td>
              <Td className="text-right tabular-nums">{m.onHandDelta}</Td><Td className="text-right tabular-nums">{m.reservedDelta}</Td>
              <Td>{m.orderId ? <Link to="/orders/$orderId" params={{ orderId: m.orderId }} className="text-indigo-700 underline">{m.orderId.slice(0, 8)}…</Link> : '—'}</Td>
              <Td>{m.reason ?? ''}</Td><Td className="text-xs text-slate-600">{m.actor.kind}{m.actor.id ? ` ${m.actor.id}` : ''}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}

export function InventoryPage() {
  const { sku, q } = route.useSearch();
  const navigate = route.useNavigate();
  const [cursor, setCursor] = useState<string | undefined>();
  const [text, setText] = useState(q ?? '');
  const list = $api.useQuery('get', '/v1/inventory', { params: { query: { ...(q ? { q } : {}), ...(cursor ? { cursor } : {}), limit: '50' } } });
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h1 className="text-2xl font-semibold">Inventory</h1>
        <Adjust />
      </div>
      <form role="search" className="flex items-end gap-2" onSubmit={(e) => (e.preventDefault(), setCursor(undefined), void navigate({ search: (s) => ({ ...s, q: text.trim() || undefined }) }))}>
        <div className="space-y-1"><Label htmlFor="sku-q">Find a SKU</Label><Input id="sku-q" type="search" value={text} onChange={(e) => setText(e.target.value)} /></div>
        <Button type="submit">Search</Button>
      </form>
      {list.error ? <ErrorBox error={list.error} action="Loading the inventory" /> : null}
      <Card>
        <Table>
          <thead><tr><Th>SKU</Th><Th className="text-right">On hand</Th><Th className="text-right">Reserved</Th><Th className="text-right">Available</Th><Th>Backorders</Th><Th /></tr></thead>
          <tbody>
            {list.data?.items.map((l) => (
              <tr key={l.sku} className={cn(l.sku === sku && 'bg-indigo-50')} data-testid="sku-row">
                <Td><Link to="/inventory" search={{ sku: l.sku, ...(q ? { q } : {}) }} className="font-mono text-indigo-700 underline">{l.sku}</Link></Td>
                <Td className="text-right tabular-nums">{l.onHand}</Td><Td className="text-right tabular-nums">{l.reserved}</Td>
                <Td className={cn('text-right tabular-nums', l.available < 0 && 'font-semibold text-red-700')}>{l.available}</Td>
                <Td>{l.backorders ? 'allowed' : 'no'}</Td>
                <Td><Adjust key={`${l.sku}-${l.onHand}`} level={l} /></Td>
              </tr>
            ))}
            {list.data && list.data.items.length === 0 ? <tr><td colSpan={6} className="p-6 text-center text-slate-500">No tracked SKU{q ? ' matches' : ' yet'}.</td></tr> : null}
          </tbody>
        </Table>
        <CardBody className="flex justify-between">
          <Button disabled={!cursor} onClick={() => setCursor(undefined)}>First page</Button>
          <Button disabled={!list.data?.nextCursor} onClick={() => setCursor(list.data?.nextCursor ?? undefined)}>Next page</Button>
        </CardBody>
      </Card>
      {sku ? <Ledger sku={sku} /> : <p className="text-sm text-slate-600">Choose a SKU to see its ledger.</p>}
    </div>
  );
}
