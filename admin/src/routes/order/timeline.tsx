/**
 * The timeline, as the server's history states it: who, what, when and why, newest first, minor
 * entries folded. Below, the events the order sent out and its notifications, once the server has them.
 */
import { useQuery } from '@tanstack/react-query';
import type { HistoryEntry, OrderView } from '../../api/types';
import { $api, client } from '../../api/client';
import { describeType, foldTimeline } from '../../lib/timeline';
import { dateTime } from '../../lib/format';
import { Card, CardBody, CardHeader } from '../../components/ui/card';
import { ErrorBox } from '../../components/error-box';

function Entry({ e }: { e: HistoryEntry }) {
  const data = Object.keys(e.data).length ? JSON.stringify(e.data) : '';
  return (
    <li className="border-l-2 border-indigo-300 pl-3" data-testid="timeline-entry" data-type={e.type}>
      <p className="text-sm"><span className="font-medium">{describeType(e.type)}</span>{e.track ? <span className="text-slate-600"> · {e.track}: {e.from ?? '∅'} → {e.to ?? '∅'}</span> : null}</p>
      <p className="text-xs text-slate-500"><time dateTime={e.at}>{dateTime(e.at)}</time> · {e.actor.kind}{e.actor.id ? ` ${e.actor.id}` : ''}{e.cause ? ` · cause: ${e.cause}` : ''}</p>
      {e.reason ? <p className="text-sm text-slate-800">“{e.reason}”</p> : null}
      {data ? <details className="text-xs text-slate-500"><summary className="cursor-pointer">details</summary><pre className="whitespace-pre-wrap break-all">{data}</pre></details> : null}
    </li>
  );
}

/** The events the order sent out (admin keys), newest last; none when the server cannot say. */
function useEvents(orderId: string) {
  return useQuery({
    queryKey: ['order-events', orderId], retry: false,
    queryFn: async () => (await client.GET('/v1/events', { params: { query: { orderId, limit: '200' } } })).data?.data ?? [],
  });
}

export function Timeline({ order }: { order: OrderView }) {
  const history = $api.useQuery('get', '/v1/orders/{id}/history', { params: { path: { id: order.id } } });
  const events = useEvents(order.id);
  const notifications = $api.useQuery('get', '/v1/orders/{id}/notifications', { params: { path: { id: order.id } } }, { retry: false });
  const items = foldTimeline([...(history.data?.items ?? [])].reverse());
  return (
    <Card aria-labelledby="timeline-title">
      <CardHeader id="timeline-title" title="Timeline" />
      <CardBody>
        {history.error ? <ErrorBox error={history.error} action="Loading the history" /> : null}
        <ol className="space-y-3" data-testid="timeline">
          {items.map((it) => it.kind === 'entry' ? <Entry key={it.entry.id} e={it.entry} /> : (
            <li key={it.id}>
              <details className="text-sm text-slate-600">
                <summary className="cursor-pointer">{it.entries.length} minor entries ({[...new Set(it.entries.map((e) => describeType(e.type)))].join(', ')})</summary>
                <ol className="mt-2 space-y-2">{it.entries.map((e) => <Entry key={e.id} e={e} />)}</ol>
              </details>
            </li>
          ))}
        </ol>
        {events.data?.length ? (
          <details className="mt-4 text-sm"><summary className="cursor-pointer font-medium">Events sent out ({events.data.length})</summary>
            <ul className="mt-1 space-y-1 text-xs">{events.data.map((e) => <li key={e.id}>#{e.sequence} {e.type} · {dateTime(e.occurredAt)}</li>)}</ul>
          </details>
        ) : null}
        {notifications.data?.items.length ? (
          <details className="mt-2 text-sm"><summary className="cursor-pointer font-medium">Notifications ({notifications.data.items.length})</summary>
            <ul className="mt-1 space-y-1 text-xs">{notifications.data.items.map((n) => <li key={n.id}>{n.subject} · to {n.audience} {n.recipient} · {n.status}{n.lastError ? ` (${n.lastError})` : ''}</li>)}</ul>
          </details>
        ) : null}
      </CardBody>
    </Card>
  );
}
