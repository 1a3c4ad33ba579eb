/** On an empty store: fill it with demo orders (POST /v1/demo), then show them. */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { perform } from '../../api/actions';
import { Button } from '../../components/ui/button';
import { ErrorBox } from '../../components/error-box';

export function DemoButton() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const queries = useQueryClient();
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await perform({ method: 'POST', template: '/v1/demo', body: { orders: 60 } });
      await queries.invalidateQueries();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="space-y-2">
      <Button variant="primary" onClick={() => void run()} disabled={busy}>{busy ? 'Making demo orders…' : 'Fill with demo orders'}</Button>
      {busy ? <div className="mx-auto h-2 w-64 overflow-hidden rounded bg-slate-200" role="progressbar" aria-label="Making demo orders"><div className="h-full w-1/3 animate-pulse bg-indigo-500" /></div> : null}
      {error ? <ErrorBox error={error} action="Demo orders" /> : null}
    </div>
  );
}
