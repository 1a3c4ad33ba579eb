/** What the order waits on, with due times; extend where the workflow allows; with a test clock, move time on. */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { OrderView, Workflow } from '../../api/types';
import { ifMatch, perform } from '../../api/actions';
import { useTestClock } from '../../api/workflows';
import { dateTime, relative } from '../../lib/format';
import { ActionDialog } from '../../components/action-dialog';
import { Button } from '../../components/ui/button';
import { Card, CardBody, CardHeader } from '../../components/ui/card';
import { Input, Label } from '../../components/ui/input';
import { ErrorBox } from '../../components/error-box';
import { IconClock } from '../../components/icons';

function ClockControl() {
  const [seconds, setSeconds] = useState('3600');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const queries = useQueryClient();
  const advance = async (s: number) => {
    setError(null);
    try {
      const answer = (await perform({ method: 'POST', template: '/v1/clock/advance', body: { seconds: s } })) as { now: string; fired: number };
      setNote(`Test clock now ${dateTime(answer.now)}; ${answer.fired} timer(s) fired.`);
      await queries.invalidateQueries();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="space-y-2 border-t border-slate-100 pt-3" onSubmit={(e) => (e.preventDefault(), void advance(Number(seconds)))}>
      <p className="text-sm font-semibold">Test clock</p>
      <div className="flex flex-wrap items-end gap-2">
        <div className="space-y-1"><Label htmlFor="clock-seconds">Seconds</Label><Input id="clock-seconds" type="number" min={1} className="w-28" value={seconds} onChange={(e) => setSeconds(e.target.value)} /></div>
        <Button type="submit" data-testid="clock-advance">Advance</Button>
        {[['+1h', 3600], ['+1d', 86_400], ['+7d', 604_800]].map(([label, s]) => <Button key={label} size="sm" variant="ghost" onClick={() => void advance(Number(s))}>{label}</Button>)}
      </div>
      {note ? <p className="text-sm text-slate-700" aria-live="polite">{note}</p> : null}
      {error ? <ErrorBox error={error} action="Advance the clock" /> : null}
    </form>
  );
}

export function Timers({ order, wf }: { order: OrderView; wf: Workflow | undefined }) {
  const testClock = useTestClock();
  const now = Date.now();
  const extendable = (name: string) => wf?.tracks.some((t) => t.timers?.some((x) => x.name === name && x.extendable)) ?? false;
  return (
    <Card aria-labelledby="timers-title">
      <CardHeader id="timers-title" title="Timers" />
      <CardBody className="space-y-3">
        {order.timers.length === 0 ? <p className="text-sm text-slate-600">The order waits on no timer.</p> : (
          <ul className="space-y-2" data-testid="timers">
            {order.timers.map((t) => (
              <li key={`${t.track}:${t.name}`} className="flex flex-wrap items-center justify-between gap-2 text-sm">
                <span className="flex items-center gap-1.5"><IconClock /><span className="font-medium">{t.name}</span> <span className="text-slate-500">({t.track})</span></span>
                <span title={t.dueAt}>due {dateTime(t.dueAt)} <span className="text-slate-500">({relative(t.dueAt, now)})</span>{t.extended ? ' · extended' : ''}</span>
                {extendable(t.name) && !t.extended ? (
                  <ActionDialog label="Extend" title={`Extend ${t.name}`} description="Pushes the timer back by its own duration, once."
                    request={() => ({ method: 'POST', template: '/v1/orders/{id}/timers/{name}/extend', params: { id: order.id, name: t.name }, headers: ifMatch(order.version) })} />
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {testClock.data ? <ClockControl /> : null}
      </CardBody>
    </Card>
  );
}
