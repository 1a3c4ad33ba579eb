/** Items that need an admin's approval (nuTickets): approve or reject each, with a reason. */
import { useState } from 'react';
import type { OrderView } from '../../api/types';
import { ifMatch } from '../../api/actions';
import { ActionDialog } from '../../components/action-dialog';
import { Card, CardBody, CardHeader } from '../../components/ui/card';
import { Input } from '../../components/ui/input';

export function Approvals({ order }: { order: OrderView }) {
  const pending = order.lines.filter((l) => l.approval?.state === 'pending');
  const [decisions, setDecisions] = useState<Record<string, { approved: boolean; reason: string }>>({});
  if (pending.length === 0) return null;
  const list = pending.map((l) => ({ lineId: l.id, approved: decisions[l.id]?.approved ?? true, reason: decisions[l.id]?.reason ?? '' }));
  const ready = list.every((d) => d.reason.trim().length > 0);
  return (
    <Card aria-labelledby="approvals-title" className="border-amber-300">
      <CardHeader id="approvals-title" title={`Approvals (${pending.length} waiting)`} actions={
        <ActionDialog label="Review items" title="Approve or reject items" ready={ready} variant="primary" confirm="Send decisions" wide
          request={() => ({ method: 'POST', template: '/v1/orders/{id}/approvals', params: { id: order.id }, body: { decisions: list.map((d) => ({ ...d, reason: d.reason.trim() })) }, headers: ifMatch(order.version) })}>
          <ul className="space-y-2">
            {pending.map((l) => {
              const d = decisions[l.id] ?? { approved: true, reason: '' };
              return (
                <li key={l.id} className="flex flex-wrap items-center gap-2 text-sm">
                  <span className="min-w-40 flex-1">{l.quantity} × {l.name ?? l.sku}</span>
                  <label className="flex items-center gap-1"><input type="radio" name={`approve-${l.id}`} checked={d.approved} onChange={() => setDecisions({ ...decisions, [l.id]: { ...d, approved: true } })} />Approve</label>
                  <label className="flex items-center gap-1"><input type="radio" name={`approve-${l.id}`} checked={!d.approved} onChange={() => setDecisions({ ...decisions, [l.id]: { ...d, approved: false } })} />Reject</label>
                  <Input aria-label={`Reason for ${l.sku}`} placeholder="Reason" value={d.reason} onChange={(e) => setDecisions({ ...decisions, [l.id]: { ...d, reason: e.target.value } })} />
                </li>
              );
            })}
          </ul>
        </ActionDialog>
      } />
      <CardBody><ul className="text-sm">{pending.map((l) => <li key={l.id}>{l.quantity} × {l.name ?? l.sku}: waiting for approval</li>)}</ul></CardBody>
    </Card>
  );
}
