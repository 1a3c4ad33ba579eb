/**
 * The order's header: code, a badge per track, and the status changes this admin may make now,
 * exactly the order's `next`, each asking for a reason. A review (in review, fraud pending) is
 * called out, with the same buttons: accepting or rejecting is a status change the engine offers.
 */
import { Link } from '@tanstack/react-router';
import type { OrderView, Workflow } from '../../api/types';
import { ifMatch } from '../../api/actions';
import { stateOf } from '../../lib/kinds';
import { dateTime, money } from '../../lib/format';
import { StatusBadges } from '../../components/status-badge';
import { ActionDialog } from '../../components/action-dialog';

export function Header({ order, wf }: { order: OrderView; wf: Workflow | undefined }) {
  const moves = Object.entries(order.next).flatMap(([track, states]) => states.map((to) => ({ track, to })));
  const reviewing = Object.entries(order.status).some(([track, s]) => /review|FRAUD_PENDING/i.test(s) && stateOf(wf, track, s)?.kind === 'temporary');
  return (
    <header className="space-y-3">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600"><Link to="/orders" search={{}} className="underline">Orders</Link> / {order.code ?? order.id}</nav>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <h1 className="text-2xl font-semibold" data-testid="order-code">{order.code ?? 'Order (not numbered yet)'}</h1>
          <p className="text-sm text-slate-600">{wf?.label ?? order.workflow} · created {dateTime(order.createdAt)} · {order.customer.name ?? order.customer.email ?? order.customer.id ?? 'no customer'} · {money(order.totals.total, order.currency)} · version {order.version}</p>
          <div data-testid="order-status"><StatusBadges wf={wf} status={order.status} labels={order.statusLabels} /></div>
        </div>
        <div className="flex max-w-full flex-wrap gap-2" aria-label="Status changes allowed now" role="group" data-testid="transitions">
          {moves.length === 0 ? <span className="text-sm text-slate-500">No status change is open to you now.</span> : null}
          {moves.map(({ track, to }) => {
            const label = stateOf(wf, track, to)?.label ?? to;
            return (
              <ActionDialog key={`${track}:${to}`} label={`${Object.keys(order.status).length > 1 ? `${track} → ` : '→ '}${label}`} title={`Move ${track} to ${label}`} reason="required" confirm="Change status"
                testId={`transition-${track}-${to}`} variant={stateOf(wf, track, to)?.kind === 'terminal' ? 'danger' : 'secondary'}
                request={(reason) => ({ method: 'POST', template: '/v1/orders/{id}/transitions', params: { id: order.id }, body: { track, to, reason }, headers: ifMatch(order.version) })} />
            );
          })}
        </div>
      </div>
      {reviewing ? (
        <p role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          This order waits for a review: accept or reject it with the status changes above, giving the reason.
        </p>
      ) : null}
    </header>
  );
}
