/**
 * Payments: each with its state and amounts, and the money actions its state admits (capture,
 * in full or in part, and void for an authorization; settle for money paid outside a gateway;
 * resolve for an unknown answer); refunds made, and a refund of an amount or of lines.
 */
import { useState } from 'react';
import type { OrderView } from '../../api/types';
import { ifMatch } from '../../api/actions';
import { money, parseMoney, dateTime } from '../../lib/format';
import { ActionDialog } from '../../components/action-dialog';
import { Card, CardBody, CardHeader } from '../../components/ui/card';
import { Input, Label, Select } from '../../components/ui/input';
import { Table, Td, Th } from '../../components/ui/table';
import { Badge } from '../../components/ui/badge';

type Payment = OrderView['payments'][number];
const OFFLINE = new Set(['invoice', 'onsite', 'local', 'manual']);

function AmountField({ id, label, value, onChange, hint }: { id: string; label: string; value: string; onChange: (v: string) => void; hint: string }) {
  return (
    <div className="space-y-1">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} inputMode="decimal" className="w-40" value={value} onChange={(e) => onChange(e.target.value)} placeholder="all" />
      <p className="text-xs text-slate-500">{hint}</p>
    </div>
  );
}

function PaymentActions({ order, p }: { order: OrderView; p: Payment }) {
  const [amount, setAmount] = useState('');
  const cents = amount.trim() ? parseMoney(amount) : undefined;
  const valid = !amount.trim() || cents !== undefined;
  const m = (n: number) => money(n, order.currency);
  const headers = ifMatch(order.version);
  return (
    <div className="flex flex-wrap gap-1.5">
      {p.state === 'authorized' ? (
        <>
          <ActionDialog label="Capture" title="Capture the payment" testId={`capture-${p.id}`} ready={valid}
            description={`Authorized ${m(p.authorized)}, captured ${m(p.captured)}. Leave the amount empty to capture all that is left.`}
            request={() => ({ method: 'POST', template: '/v1/payments/{id}/capture', params: { id: p.id }, body: cents ? { amount: cents } : {}, headers })}>
            <AmountField id={`capture-amount-${p.id}`} label="Amount" value={amount} onChange={setAmount} hint={`A part (e.g. ${(p.authorized / 200).toFixed(2)}) captures only that.`} />
          </ActionDialog>
          {p.captured === 0 ? <ActionDialog label="Void" variant="danger" title="Void the authorization" description="The hold on the customer's card is released." request={() => ({ method: 'POST', template: '/v1/payments/{id}/void', params: { id: p.id }, headers })} /> : null}
        </>
      ) : null}
      {p.state === 'pending' && OFFLINE.has(p.method) ? (
        <ActionDialog label="Settle" title="Record money received" testId={`settle-${p.id}`} ready={valid} description={`${p.method}: ${m(p.amount)} asked.`}
          request={() => ({ method: 'POST', template: '/v1/payments/{id}/settle', params: { id: p.id }, body: cents ? { amount: cents } : {}, headers })}>
          <AmountField id={`settle-amount-${p.id}`} label="Amount received" value={amount} onChange={setAmount} hint="Empty: all of it." />
        </ActionDialog>
      ) : null}
      {p.state === 'unknown' ? (
        <>
          <ActionDialog label="Resolve: settled" title="The gateway shows it settled" request={() => ({ method: 'POST', template: '/v1/payments/{id}/resolve', params: { id: p.id }, body: { outcome: 'settled' }, headers })} />
          <ActionDialog label="Resolve: failed" title="The gateway shows it failed" request={() => ({ method: 'POST', template: '/v1/payments/{id}/resolve', params: { id: p.id }, body: { outcome: 'failed' }, headers })} />
        </>
      ) : null}
    </div>
  );
}

function RefundAction({ order }: { order: OrderView }) {
  const [amount, setAmount] = useState('');
  const [paymentId, setPaymentId] = useState('');
  const [restock, setRestock] = useState(false);
  const cents = parseMoney(amount);
  const refundable = order.payments.filter((p) => p.captured - p.refunded > 0);
  return (
    <ActionDialog label="Refund" title="Refund money" reason="required" testId="refund" ready={cents !== undefined && cents > 0} confirm="Refund"
      description={`Paid ${money(order.totals.paid, order.currency)}, refunded ${money(order.totals.refunded, order.currency)}.`}
      request={(reason) => ({
        method: 'POST', template: '/v1/orders/{id}/refunds', params: { id: order.id },
        body: { amount: cents ?? 0, reason, ...(paymentId ? { paymentId } : {}), ...(restock ? { restock } : {}) }, headers: ifMatch(order.version),
      })}>
      <div className="space-y-1">
        <Label htmlFor="refund-amount">Amount</Label>
        <Input id="refund-amount" inputMode="decimal" className="w-40" value={amount} onChange={(e) => setAmount(e.target.value)} required />
      </div>
      <div className="space-y-1">
        <Label htmlFor="refund-payment">Against</Label>
        <Select id="refund-payment" value={paymentId} onChange={(e) => setPaymentId(e.target.value)}>
          <option value="">A payment that can cover it</option>
          {refundable.map((p) => <option key={p.id} value={p.id}>{p.method} · {money(p.captured - p.refunded, order.currency)} refundable</option>)}
        </Select>
      </div>
      <label className="flex items-center gap-2 text-sm"><input type="checkbox" checked={restock} onChange={(e) => setRestock(e.target.checked)} />Put the refunded lines back in stock</label>
    </ActionDialog>
  );
}

function AddPayment({ order }: { order: OrderView }) {
  const [method, setMethod] = useState('manual');
  return (
    <ActionDialog label="Add payment" title="Add a payment" description={`Still owed: ${money(order.totals.balance, order.currency)}.`}
      request={() => ({ method: 'POST', template: '/v1/orders/{id}/payments', params: { id: order.id }, body: { method }, headers: ifMatch(order.version) })}>
      <div className="space-y-1">
        <Label htmlFor="payment-method">Method</Label>
        <Select id="payment-method" value={method} onChange={(e) => setMethod(e.target.value)}>
          {['manual', 'invoice', 'payment_link', 'card', 'onsite', 'local'].map((m) => <option key={m} value={m}>{m}</option>)}
        </Select>
      </div>
    </ActionDialog>
  );
}

export function Payments({ order }: { order: OrderView }) {
  const m = (n: number) => money(n, order.currency);
  return (
    <Card aria-labelledby="payments-title">
      <CardHeader id="payments-title" title="Payments" actions={<>{order.totals.balance > 0 ? <AddPayment order={order} /> : null}{order.totals.paid - order.totals.refunded > 0 ? <RefundAction order={order} /> : null}</>} />
      {order.payments.length === 0 ? <CardBody className="text-sm text-slate-600">No payment yet.</CardBody> : (
        <Table>
          <thead><tr><Th>Method</Th><Th>State</Th><Th className="text-right">Amount</Th><Th className="text-right">Authorized</Th><Th className="text-right">Captured</Th><Th className="text-right">Refunded</Th><Th>Reference</Th><Th>Actions</Th></tr></thead>
          <tbody>
            {order.payments.map((p) => (
              <tr key={p.id} data-testid="payment-row">
                <Td>{p.method}{p.deposit ? ' (deposit)' : ''}</Td>
                <Td><Badge className="bg-white ring-slate-300">{p.state}</Badge>{p.pendingOperation ? <span className="ml-1 text-xs text-amber-700">{p.pendingOperation} pending</span> : null}{p.link ? <span className="ml-1 text-xs text-slate-500">link until {dateTime(p.link.expiresAt)}</span> : null}</Td>
                <Td className="text-right tabular-nums">{m(p.amount)}</Td><Td className="text-right tabular-nums">{m(p.authorized)}</Td>
                <Td className="text-right tabular-nums" data-testid="captured">{m(p.captured)}</Td><Td className="text-right tabular-nums">{m(p.refunded)}</Td>
                <Td className="max-w-40 truncate font-mono text-xs">{p.reference ?? '—'}</Td>
                <Td><PaymentActions order={order} p={p} /></Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {order.refunds.length ? (
        <CardBody>
          <h3 className="mb-1 text-sm font-semibold">Refunds</h3>
          <ul className="space-y-1 text-sm" data-testid="refunds">
            {order.refunds.map((r) => <li key={r.id}>{m(r.amount)} · {r.state} · {r.reason}{r.restock ? ' · restocked' : ''} · {dateTime(r.createdAt)}</li>)}
          </ul>
        </CardBody>
      ) : null}
    </Card>
  );
}
