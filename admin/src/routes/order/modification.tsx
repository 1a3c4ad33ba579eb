/**
 * Change a placed order: quantities, a new line, a surcharge or discount, a note. The server's
 * dry run is shown first (new totals and the difference); only then can it be applied.
 */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ModificationPreview, OrderView } from '../../api/types';
import { ifMatch, perform, type ActionRequest } from '../../api/actions';
import { money, parseMoney } from '../../lib/format';
import { Button } from '../../components/ui/button';
import { Card, CardBody, CardHeader } from '../../components/ui/card';
import { Input, Label } from '../../components/ui/input';
import { ErrorBox } from '../../components/error-box';
import { CopyCurl } from '../../components/action-dialog';

export function Modification({ order }: { order: OrderView }) {
  const [open, setOpen] = useState(false);
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [sku, setSku] = useState('');
  const [qty, setQty] = useState('1');
  const [price, setPrice] = useState('');
  const [surcharge, setSurcharge] = useState('');
  const [surchargeText, setSurchargeText] = useState('');
  const [note, setNote] = useState('');
  const [preview, setPreview] = useState<ModificationPreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const queries = useQueryClient();
  const m = (n: number) => money(n, order.currency);

  const change = () => {
    const changeLines = order.lines.flatMap((l) => {
      const q = Number(quantities[l.id]);
      return quantities[l.id] !== undefined && Number.isInteger(q) && q >= 1 && q !== l.quantity ? [{ lineId: l.id, quantity: q }] : [];
    });
    const removeLines = order.lines.filter((l) => quantities[l.id] === '0').map((l) => l.id);
    const unitPrice = parseMoney(price);
    const addLines = sku.trim() && unitPrice !== undefined && Number(qty) >= 1 ? [{ sku: sku.trim(), quantity: Number(qty), unitPrice }] : [];
    const amount = surcharge.trim() ? Math.round(Number(surcharge.replace(',', '.')) * 100) : undefined;
    const surcharges = amount !== undefined && Number.isFinite(amount) && amount !== 0 ? [{ description: surchargeText.trim() || (amount < 0 ? 'discount' : 'surcharge'), amount }] : [];
    return {
      ...(changeLines.length ? { changeLines } : {}), ...(removeLines.length ? { removeLines } : {}), ...(addLines.length ? { addLines } : {}),
      ...(surcharges.length ? { surcharges } : {}), ...(note.trim() ? { note: note.trim() } : {}),
    };
  };
  const body = change();
  const empty = Object.keys(body).filter((k) => k !== 'note').length === 0;
  const request = (dryRun: boolean): ActionRequest => ({ method: 'POST', template: '/v1/orders/{id}/modifications', params: { id: order.id }, body: { ...(dryRun ? { dryRun: true } : {}), ...body }, headers: ifMatch(order.version) });

  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await perform(request(dryRun));
      if (dryRun) setPreview(answer as ModificationPreview);
      else {
        setPreview(null);
        setQuantities({});
        setSku(''); setPrice(''); setSurcharge(''); setSurchargeText(''); setNote('');
        setOpen(false);
        await queries.invalidateQueries();
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const edited = () => setPreview(null);

  return (
    <Card aria-labelledby="modify-title">
      <CardHeader id="modify-title" title="Modify the order" actions={<Button size="sm" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="modify-toggle">{open ? 'Close' : 'Modify…'}</Button>} />
      {open ? (
        <CardBody className="space-y-4">
          <form onSubmit={(e) => (e.preventDefault(), void run(true))} className="space-y-4" onChange={edited}>
            <fieldset className="space-y-2">
              <legend className="text-sm font-semibold">Quantities (0 removes the line)</legend>
              <div className="max-h-64 space-y-1 overflow-auto">
                {order.lines.map((l) => (
                  <label key={l.id} className="flex items-center gap-2 text-sm">
                    <input type="number" min={0} className="h-8 w-20 rounded border border-slate-300 px-1 text-right" value={quantities[l.id] ?? String(l.quantity)}
                      onChange={(e) => setQuantities({ ...quantities, [l.id]: e.target.value })} data-testid={`modify-qty-${l.sku}`} />
                    <span className="font-mono text-xs">{l.sku}</span> {l.name ?? ''}
                  </label>
                ))}
              </div>
            </fieldset>
            <fieldset className="flex flex-wrap items-end gap-2">
              <legend className="mb-1 text-sm font-semibold">Add a line</legend>
              <div className="space-y-1"><Label htmlFor="add-sku">SKU</Label><Input id="add-sku" className="w-36" value={sku} onChange={(e) => setSku(e.target.value)} /></div>
              <div className="space-y-1"><Label htmlFor="add-qty">Quantity</Label><Input id="add-qty" type="number" min={1} className="w-20" value={qty} onChange={(e) => setQty(e.target.value)} /></div>
              <div className="space-y-1"><Label htmlFor="add-price">Unit price</Label><Input id="add-price" inputMode="decimal" className="w-28" value={price} onChange={(e) => setPrice(e.target.value)} placeholder="12.00" /></div>
            </fieldset>
            <fieldset className="flex flex-wrap items-end gap-2">
              <legend className="mb-1 text-sm font-semibold">Surcharge or discount</legend>
              <div className="space-y-1"><Label htmlFor="surcharge-text">Description</Label><Input id="surcharge-text" value={surchargeText} onChange={(e) => setSurchargeText(e.target.value)} /></div>
              <div className="space-y-1"><Label htmlFor="surcharge-amount">Amount (negative: discount)</Label><Input id="surcharge-amount" inputMode="decimal" className="w-28" value={surcharge} onChange={(e) => setSurcharge(e.target.value)} placeholder="-3.00" /></div>
            </fieldset>
            <div className="space-y-1"><Label htmlFor="modify-note">Note</Label><Input id="modify-note" className="w-full" value={note} onChange={(e) => setNote(e.target.value)} /></div>
            <Button type="submit" disabled={busy || empty} data-testid="modify-preview">Preview the change</Button>
          </form>
          {error ? <ErrorBox error={error} action="Modify" /> : null}
          {preview ? (
            <div className="space-y-3 rounded-md border border-indigo-200 bg-indigo-50 p-3" data-testid="modify-preview-result">
              <h3 className="text-sm font-semibold">Preview: nothing is changed yet</h3>
              <table className="text-sm">
                <thead><tr><th className="pr-4 text-left font-medium" /><th className="pr-4 text-right font-medium">Before</th><th className="text-right font-medium">After</th></tr></thead>
                <tbody>
                  {(['subtotal', 'surcharges', 'total', 'balance'] as const).map((k) => (
                    <tr key={k}><td className="pr-4 capitalize">{k}</td><td className="pr-4 text-right tabular-nums">{m(preview.before[k])}</td><td className="text-right tabular-nums">{m(preview.after[k])}</td></tr>
                  ))}
                </tbody>
              </table>
              <p className="text-sm font-medium" data-testid="modify-difference">Difference: {preview.difference >= 0 ? '+' : ''}{m(preview.difference)}{preview.difference > 0 ? ' (the customer pays more)' : preview.difference < 0 ? ' (refunded against the payments)' : ''}</p>
              <CopyCurl request={request(false)} />
              <Button variant="primary" disabled={busy} onClick={() => void run(false)} data-testid="modify-apply">Apply the change</Button>
            </div>
          ) : null}
        </CardBody>
      ) : null}
    </Card>
  );
}
