/** An error in words, with its code and status: what every failed call shows, never a blank screen. */
import { describeError } from '../lib/problem';
import { IconAlert } from './icons';

export function ErrorBox({ error, action }: { error: unknown; action?: string }) {
  const d = describeError(error);
  const allowed = d.extra?.allowed ?? d.extra?.allowedNext;
  return (
    <div role="alert" className="flex gap-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
      <IconAlert className="mt-0.5 shrink-0" />
      <div className="min-w-0">
        <p className="font-semibold">{action ? `${action}: ` : ''}{d.title}</p>
        {d.detail ? <p className="break-words">{d.detail}</p> : null}
        <p className="mt-1 font-mono text-xs text-red-700" data-testid="error-code">code: {d.code}{d.status ? ` · HTTP ${d.status}` : ''}</p>
        {allowed !== undefined ? <p className="mt-1 text-xs">Allowed now: {JSON.stringify(allowed)}</p> : null}
      </div>
    </div>
  );
}
