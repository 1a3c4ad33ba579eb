/**
 * A button that opens a dialog for one action: its fields, a reason when asked for one, the
 * request as curl (copyable), and the answer: done, or the error in words with its code.
 */
import { useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { asApiRequest, perform, type ActionRequest } from '../api/actions';
import { toCurl } from '../lib/curl';
import { Button, type ButtonProps } from './ui/button';
import { Dialog } from './ui/dialog';
import { Label, Textarea } from './ui/input';
import { ErrorBox } from './error-box';
import { IconCopy } from './icons';

export function CopyCurl({ request }: { request: ActionRequest }) {
  const [copied, setCopied] = useState(false);
  const text = toCurl(asApiRequest(request), window.location.origin);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <details className="mt-3 rounded-md border border-slate-200 bg-slate-50 text-xs">
      <summary className="cursor-pointer px-2 py-1.5 font-medium text-slate-700">Copy as curl</summary>
      <pre className="max-h-40 overflow-auto whitespace-pre-wrap break-all px-2 pb-2 font-mono" data-testid="curl">{text}</pre>
      <div className="px-2 pb-2">
        <Button size="sm" onClick={() => void copy()}><IconCopy />{copied ? 'Copied' : 'Copy'}</Button>
      </div>
    </details>
  );
}

export interface ActionProps {
  readonly label: ReactNode;
  readonly title: string;
  readonly description?: ReactNode;
  /** The request, from the reason typed (empty when none is asked). */
  readonly request: (reason: string) => ActionRequest;
  readonly reason?: 'required' | 'optional' | 'none';
  readonly children?: ReactNode;
  /** False while the fields do not make a request yet. */
  readonly ready?: boolean;
  readonly onDone?: (answer: unknown) => void;
  readonly variant?: ButtonProps['variant'];
  readonly size?: ButtonProps['size'];
  readonly confirm?: string;
  readonly wide?: boolean;
  readonly testId?: string;
}

export function ActionDialog({ label, title, description, request, reason = 'none', children, ready = true, onDone, variant, size = 'sm', confirm, wide, testId }: ActionProps) {
  const [open, setOpen] = useState(false);
  const [why, setWhy] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const queries = useQueryClient();
  const missingReason = reason === 'required' && why.trim() === '';
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await perform(request(why.trim()));
      await queries.invalidateQueries();
      setOpen(false);
      setWhy('');
      onDone?.(answer);
    } catch (err) {
      setError(err);
      await queries.invalidateQueries();
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button variant={variant} size={size} onClick={() => (setOpen(true), setError(null))} data-testid={testId}>{label}</Button>
      <Dialog open={open} onOpenChange={setOpen} title={title} description={description} wide={wide}>
        <form onSubmit={(e) => (e.preventDefault(), void submit())} className="space-y-3">
          {children}
          {reason !== 'none' ? (
            <div className="space-y-1">
              <Label htmlFor="action-reason">Reason{reason === 'required' ? '' : ' (optional)'}</Label>
              <Textarea id="action-reason" value={why} onChange={(e) => setWhy(e.target.value)} required={reason === 'required'} maxLength={1000} placeholder="Why? It goes into the order's history." />
            </div>
          ) : null}
          {error ? <ErrorBox error={error} action={title} /> : null}
          {ready && !missingReason ? <CopyCurl request={request(why.trim())} /> : null}
          <div className="flex justify-end gap-2 pt-1">
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" variant={variant === 'danger' ? 'danger' : 'primary'} disabled={busy || !ready || missingReason}>{busy ? 'Working…' : confirm ?? 'Confirm'}</Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
