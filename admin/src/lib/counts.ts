/**
 * Orders per track and status of one workflow, from GET /v1/workflows/{name}/counts. Read
 * tolerantly: a map track -> status -> count (under `counts` or `tracks`, or the body itself),
 * or a list of { track, status, count }.
 */
export type Counts = Readonly<Record<string, Readonly<Record<string, number>>>>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fromList(list: readonly unknown[]): Counts {
  const out: Record<string, Record<string, number>> = {};
  for (const item of list) {
    if (!isRecord(item)) continue;
    const { track, status, state, count } = item as { track?: unknown; status?: unknown; state?: unknown; count?: unknown };
    const s = typeof status === 'string' ? status : typeof state === 'string' ? state : undefined;
    if (typeof track === 'string' && s !== undefined && typeof count === 'number') (out[track] ??= {})[s] = (out[track]?.[s] ?? 0) + count;
  }
  return out;
}

function fromMap(map: Record<string, unknown>): Counts | undefined {
  const out: Record<string, Record<string, number>> = {};
  for (const [track, states] of Object.entries(map)) {
    if (Array.isArray(states)) {
      const listed = fromList(states.map((s: unknown) => (isRecord(s) ? { track, ...s } : s)));
      if (listed[track]) out[track] = { ...listed[track] };
      continue;
    }
    if (!isRecord(states)) continue;
    const numbers = Object.entries(states).filter((e): e is [string, number] => typeof e[1] === 'number');
    if (numbers.length) out[track] = Object.fromEntries(numbers);
  }
  return Object.keys(out).length ? out : undefined;
}

export function readCounts(body: unknown): Counts {
  if (Array.isArray(body)) return fromList(body);
  if (!isRecord(body)) return {};
  for (const key of ['counts', 'tracks', 'items']) {
    const inner = body[key];
    if (Array.isArray(inner)) return fromList(inner);
    if (isRecord(inner)) return fromMap(inner) ?? {};
  }
  return fromMap(body) ?? {};
}

export const countOf = (counts: Counts, track: string, status: string): number => counts[track]?.[status] ?? 0;
