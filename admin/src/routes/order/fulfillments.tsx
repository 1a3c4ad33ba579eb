/** Parcels: make one from the units still left to send; ship, deliver or cancel each as its state admits. */
import { useState } from 'react';
import type { OrderView } from '../../api/types';
import { ifMatch } from '../../api/actions';
import { dateTime } from '../../lib/format';
import { ActionDialog } from '../../components/action-dialog';
import { Card, CardBody, CardHeader } from '../../components/ui/card';
import { Input, Label } from '../../components/ui/input';
import { Badge } from '../../components/ui/badge';
import { LinePicker, pickedLines, type Picked } from './line-picker';

const NEXT: Record<string, readonly ('shipped' | 'delivered' | 'cancelled')[]> = { pending: ['shipped', 'delivered', 'cancelled'], shipped: ['delivered', 'cancelled'], delivered: [], cancelled: [] };
const VERB = { shipped: 'Ship', delivered: 'Deliver', cancelled: 'Cancel' } as const;

function NewParcel({ order }: { order: OrderView }) {
  const lines = order.lines.map((l) => ({ id: l.id, sku: l.sku, ...(l.name ? { name: l.name } : {}), left: l.quantity - l.fulfilled - l.cancelled })).filter((l) => l.left > 0);
  const [picked, setPicked] = useState<Picked>({});
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const chosen = pickedLines(picked);
  if (lines.length === 0) return null;
  return (
    <ActionDialog label="Create parcel" title="Create a parcel" wide testId="create-parcel" ready={chosen.length > 0} confirm="Create parcel" onDone={() => setPicked({})}
      description="Choose the units that go in this parcel; what is left can go in another."
      request={() => ({
        method: 'POST', template: '/v1/orders/{id}/fulfillments', params: { id: order.id },
        body: { lines: chosen, ...(carrier.trim() ? { carrier: carrier.trim() } : {}), ...(tracking.trim() ? { trackingNumber: tracking.trim() } : {}) }, headers: ifMatch(order.version),
      })}>
      <LinePicker lines={lines} picked={picked} onChange={setPicked} idPrefix="parcel" />
      <div className="flex flex-wrap gap-3">
        <div className="space-y-1"><Label htmlFor="parcel-carrier">Carrier</Label><Input id="parcel-carrier" value={carrier} onChange={(e) => setCarrier(e.target.value)} /></div>
        <div className="space-y-1"><Label htmlFor="parcel-tracking">Tracking number</Label><Input id="parcel-tracking" value={tracking} onChange={(e) => setTracking(e.target.value)} /></div>
      </div>
    </ActionDialog>
  );
}

export function Fulfillments({ order }: { order: OrderView }) {
  const skuOf = (lineId: string) => order.lines.find((l) => l.id === lineId)?.sku ?? lineId.slice(0, 8);
  return (
    <Card aria-labelledby="parcels-title">
      <CardHeader id="parcels-title" title={`Parcels (${order.fulfillments.length})`} actions={<NewParcel order={order} />} />
      <CardBody>
        {order.fulfillments.length === 0 ? <p className="text-sm text-slate-600">Nothing sent yet.</p> : (
          <ul className="space-y-2" data-testid="parcels">
            {order.fulfillments.map((f, i) => (
              <li key={f.id} className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-slate-200 p-2" data-testid="parcel">
                <div className="text-sm">
                  <p className="font-medium">Parcel {i + 1} <Badge className="ml-1 bg-white ring-slate-300" data-testid="parcel-state">{f.state}</Badge></p>
                  <p className="text-slate-600">{f.lines.map((l) => `${l.quantity} × ${skuOf(l.lineId)}`).join(', ')}{f.carrier ? ` · ${f.carrier}` : ''}{f.trackingNumber ? ` ${f.trackingNumber}` : ''} · {dateTime(f.updatedAt)}</p>
                </div>
                <div className="flex gap-1.5">
                  {(NEXT[f.state] ?? []).map((to) => (
                    <ActionDialog key={to} label={VERB[to]} title={`${VERB[to]} parcel ${i + 1}`} variant={to === 'cancelled' ? 'danger' : 'secondary'} testId={`parcel-${i + 1}-${to}`}
                      request={() => ({ method: 'POST', template: '/v1/fulfillments/{id}/transitions', params: { id: f.id }, body: { to }, headers: ifMatch(order.version) })} />
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
