/** Returns: ask for one from the units sent; receive (restocks), refund or reject it. */
import { useState } from 'react';
import type { OrderView } from '../../api/types';
import { ifMatch } from '../../api/actions';
import { dateTime } from '../../lib/format';
import { ActionDialog } from '../../components/action-dialog';
import { Card, CardBody, CardHeader } from '../../components/ui/card';
import { Badge } from '../../components/ui/badge';
import { LinePicker, pickedLines, type Picked } from './line-picker';
import { returnedOf } from './lines';

const NEXT: Record<string, readonly ('received' | 'refunded' | 'rejected')[]> = { requested: ['received', 'rejected'], received: ['refunded', 'rejected'], refunded: [], rejected: [] };
const VERB = { received: 'Receive', refunded: 'Refund', rejected: 'Reject' } as const;

function NewReturn({ order }: { order: OrderView }) {
  const sentOf = (lineId: string) => order.fulfillments.filter((f) => f.state === 'shipped' || f.state === 'delivered').flatMap((f) => f.lines).filter((l) => l.lineId === lineId).reduce((n, l) => n + l.quantity, 0);
  const lines = order.lines.map((l) => ({ id: l.id, sku: l.sku, ...(l.name ? { name: l.name } : {}), left: sentOf(l.id) - returnedOf(order, l.id) })).filter((l) => l.left > 0);
  const [picked, setPicked] = useState<Picked>({});
  const chosen = pickedLines(picked);
  if (lines.length === 0) return null;
  return (
    <ActionDialog label="Ask for a return" title="Ask for a return" wide reason="required" ready={chosen.length > 0} confirm="Create return" onDone={() => setPicked({})}
      request={(reason) => ({ method: 'POST', template: '/v1/orders/{id}/returns', params: { id: order.id }, body: { lines: chosen, reason }, headers: ifMatch(order.version) })}>
      <LinePicker lines={lines} picked={picked} onChange={setPicked} idPrefix="return" />
    </ActionDialog>
  );
}

export function Returns({ order }: { order: OrderView }) {
  const skuOf = (lineId: string) => order.lines.find((l) => l.id === lineId)?.sku ?? lineId.slice(0, 8);
  return (
    <Card aria-labelledby="returns-title">
      <CardHeader id="returns-title" title={`Returns (${order.returns.length})`} actions={<NewReturn order={order} />} />
      <CardBody>
        {order.returns.length === 0 ? <p className="text-sm text-slate-600">No return.</p> : (
          <ul className="space-y-2">
            {order.returns.map((r, i) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-slate-200 p-2">
                <div className="text-sm">
                  <p className="font-medium">Return {i + 1} <Badge className="ml-1 bg-white ring-slate-300">{r.state}</Badge></p>
                  <p className="text-slate-600">{r.lines.map((l) => `${l.quantity} × ${skuOf(l.lineId)}`).join(', ')} · {r.reason} · {dateTime(r.updatedAt)}</p>
                </div>
                <div className="flex gap-1.5">
                  {(NEXT[r.state] ?? []).map((to) => (
                    <ActionDialog key={to} label={VERB[to]} title={`${VERB[to]} return ${i + 1}`} variant={to === 'rejected' ? 'danger' : 'secondary'}
                      request={() => ({ method: 'POST', template: '/v1/returns/{id}/transitions', params: { id: r.id }, body: { to }, headers: ifMatch(order.version) })} />
                  ))}
                </div>
              </li>
            ))}
          </ul>
        )}
      </CardBody>
    </Card>
  );
}
