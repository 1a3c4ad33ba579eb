/**
 * Pick quantities of lines, up to what is left of each: select all / none, and a long order stays
 * quick (a virtual list draws only the rows in view).
 */
import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Button } from '../../components/ui/button';

export interface Pickable { readonly id: string; readonly sku: string; readonly name?: string; readonly left: number }
export type Picked = Readonly<Record<string, number>>;

export const pickedLines = (picked: Picked) => Object.entries(picked).filter(([, q]) => q > 0).map(([lineId, quantity]) => ({ lineId, quantity }));

export function LinePicker({ lines, picked, onChange, idPrefix }: { lines: readonly Pickable[]; picked: Picked; onChange: (p: Picked) => void; idPrefix: string }) {
  const parent = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({ count: lines.length, getScrollElement: () => parent.current, estimateSize: () => 44, overscan: 8 });
  const total = Object.values(picked).reduce((a, b) => a + b, 0);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <Button size="sm" onClick={() => onChange(Object.fromEntries(lines.map((l) => [l.id, l.left])))}>Select all</Button>
        <Button size="sm" onClick={() => onChange({})}>Select none</Button>
        <span className="text-sm text-slate-600" aria-live="polite">{total} unit{total === 1 ? '' : 's'} of {lines.length} line{lines.length === 1 ? '' : 's'}</span>
      </div>
      <div ref={parent} className="max-h-80 overflow-auto rounded-md border border-slate-200" data-testid={`${idPrefix}-lines`}>
        <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
          {rows.getVirtualItems().map((v) => {
            const l = lines[v.index]!;
            const q = picked[l.id] ?? 0;
            return (
              <div key={l.id} className="absolute left-0 right-0 flex items-center gap-2 border-b border-slate-100 px-2" style={{ top: v.start, height: v.size }}>
                <input type="checkbox" aria-label={`Include ${l.sku}`} checked={q > 0} onChange={(e) => onChange({ ...picked, [l.id]: e.target.checked ? l.left : 0 })} />
                <span className="min-w-0 flex-1 truncate text-sm"><span className="font-mono text-xs">{l.sku}</span> {l.name ?? ''}</span>
                <label className="flex items-center gap-1 text-xs text-slate-600">
                  <span className="sr-only">Quantity of {l.sku}</span>
                  <input type="number" min={0} max={l.left} value={q} className="h-8 w-16 rounded border border-slate-300 px-1 text-right text-sm" data-testid={`${idPrefix}-qty-${l.sku}`}
                    onChange={(e) => onChange({ ...picked, [l.id]: Math.max(0, Math.min(l.left, Number(e.target.value) || 0)) })} />
                  of {l.left}
                </label>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
