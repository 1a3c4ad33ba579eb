/** One order: a component per section, all from GET /v1/orders/{id} (and its history). */
import { getRouteApi, Link } from '@tanstack/react-router';
import { $api } from '../../api/client';
import { useWorkflowDefs } from '../../api/workflows';
import { ErrorBox } from '../../components/error-box';
import { Header } from './header';
import { Lines } from './lines';
import { Payments } from './payments';
import { Fulfillments } from './fulfillments';
import { Returns } from './returns';
import { Modification } from './modification';
import { Timers } from './timers';
import { Approvals } from './approvals';
import { Timeline } from './timeline';

const route = getRouteApi('/orders/$orderId');

export function OrderPage() {
  const { orderId } = route.useParams();
  const order = $api.useQuery('get', '/v1/orders/{id}', { params: { path: { id: orderId } } }, { refetchInterval: 15_000 });
  const defs = useWorkflowDefs();
  if (order.error) {
    return (
      <div className="space-y-3">
        <ErrorBox error={order.error} action="Loading the order" />
        <Link to="/orders" search={{}} className="text-indigo-700 underline">Back to the orders</Link>
      </div>
    );
  }
  if (!order.data) return <p className="text-slate-600" aria-live="polite">Loading the order…</p>;
  const o = order.data;
  const wf = defs.data?.get(o.workflow);
  return (
    <div className="space-y-4">
      <Header order={o} wf={wf} />
      <div className="grid gap-4 xl:grid-cols-3">
        <div className="min-w-0 space-y-4 xl:col-span-2">
          <Approvals order={o} />
          <Lines order={o} />
          <Payments order={o} />
          <Fulfillments order={o} />
          <Returns order={o} />
          <Modification order={o} />
        </div>
        <div className="min-w-0 space-y-4">
          <Timers order={o} wf={wf} />
          <Timeline order={o} />
        </div>
      </div>
    </div>
  );
}
