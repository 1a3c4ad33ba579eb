/** The lines with what happened to their units, and the totals. Returned and refunded units are read from the order's returns and refunds. */
import type { OrderView } from '../../api/types';
import { money } from '../../lib/format';
import { Card, CardBody, CardHeader } from '../../components/ui/card';
import { Table, Td, Th } from '../../components/ui/table';

export const returnedOf = (o: OrderView, lineId: string) =>
  o.returns.filter((r) => r.state !== 'rejected').flatMap((r) => r.lines).filter((l) => l.lineId === lineId).reduce((n, l) => n + l.quantity, 0);
export const refundedOf = (o: OrderView, lineId: string) =>
  o.refunds.filter((r) => r.state !== 'failed').flatMap((r) => r.lines).filter((l) => l.lineId === lineId).reduce((n, l) => n + l.quantity, 0);

export function Lines({ order }: { order: OrderView }) {
  const t = order.totals;
  const m = (n: number) => money(n, order.currency);
  return (
    <Card aria-labelledby="lines-title">
      <CardHeader id="lines-title" title={`Lines (${order.lines.length})`} />
      <Table>
        <thead>
          <tr>
            <Th>SKU</Th><Th>Item</Th><Th className="text-right">Ordered</Th><Th className="text-right">Reserved</Th><Th className="text-right">Fulfilled</Th>
            <Th className="text-right">Cancelled</Th><Th className="text-right">Returned</Th><Th className="text-right">Refunded</Th><Th className="text-right">Price</Th><Th className="text-right">Total</Th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((l) => (
            <tr key={l.id}>
              <Td className="font-mono text-xs">{l.sku}</Td><Td>{l.name ?? '—'}{l.approval ? <span className="ml-1 text-xs text-slate-500">(approval {l.approval.state})</span> : null}</Td>
              <Td className="text-right tabular-nums">{l.quantity}</Td><Td className="text-right tabular-nums">{l.reserved}</Td><Td className="text-right tabular-nums">{l.fulfilled}</Td>
              <Td className="text-right tabular-nums">{l.cancelled}</Td><Td className="text-right tabular-nums">{returnedOf(order, l.id)}</Td><Td className="text-right tabular-nums">{refundedOf(order, l.id)}</Td>
              <Td className="text-right tabular-nums">{m(l.unitPrice)}</Td><Td className="text-right tabular-nums">{m(l.total)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <CardBody>
        <dl className="ml-auto grid max-w-sm grid-cols-2 gap-x-4 gap-y-1 text-sm" data-testid="totals">
          <dt>Subtotal</dt><dd className="text-right tabular-nums">{m(t.subtotal)}</dd>
          <dt>Shipping</dt><dd className="text-right tabular-nums">{m(t.shipping)}</dd>
          <dt>Surcharges</dt><dd className="text-right tabular-nums">{m(t.surcharges)}</dd>
          <dt className="font-semibold">Total</dt><dd className="text-right font-semibold tabular-nums" data-testid="total">{m(t.total)}</dd>
          <dt>Paid</dt><dd className="text-right tabular-nums" data-testid="paid">{m(t.paid)}</dd>
          <dt>Refunded</dt><dd className="text-right tabular-nums" data-testid="refunded">{m(t.refunded)}</dd>
          {t.refundsPending ? <><dt>Refunds pending</dt><dd className="text-right tabular-nums">{m(t.refundsPending)}</dd></> : null}
          <dt>Balance due</dt><dd className="text-right tabular-nums" data-testid="balance">{m(t.balance)}</dd>
          {t.overpaid ? <><dt>Overpaid</dt><dd className="text-right tabular-nums">{m(t.overpaid)}</dd></> : null}
        </dl>
        {order.surcharges.length ? <ul className="mt-2 text-sm text-slate-600">{order.surcharges.map((s) => <li key={s.id}>{s.description}: {m(s.amount)}</li>)}</ul> : null}
      </CardBody>
    </Card>
  );
}
