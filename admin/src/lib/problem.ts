/** Every failure in words, with its code: an API problem (RFC 9457), a network failure, or a bug. */

export interface Described {
  readonly title: string;
  readonly detail: string;
  readonly code: string;
  readonly status?: number;
  /** Extra facts the server sent (e.g. the statuses allowed next). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

const KNOWN = new Set(['type', 'title', 'status', 'detail', 'code', 'instance']);

export function describeError(err: unknown): Described {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string' && 'detail' in err) {
    const p = err as { code: string; detail?: unknown; title?: unknown; status?: unknown };
    const extra = Object.fromEntries(Object.entries(err).filter(([k]) => !KNOWN.has(k)));
    return {
      title: typeof p.title === 'string' ? p.title : p.code,
      detail: typeof p.detail === 'string' ? p.detail : '',
      code: p.code,
      ...(typeof p.status === 'number' ? { status: p.status } : {}),
      ...(Object.keys(extra).length ? { extra } : {}),
    };
  }
  if (err instanceof TypeError) return { title: 'The server could not be reached', detail: err.message || 'network error', code: 'network_error' };
  if (err instanceof Error) return { title: 'Something went wrong', detail: err.message, code: 'client_error' };
  return { title: 'Something went wrong', detail: String(err), code: 'unknown_error' };
}
