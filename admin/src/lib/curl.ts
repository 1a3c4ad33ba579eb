/** "Copy as curl": the exact request an action sends, as a command a person can run. The key stays a variable. */

export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path with its parameters filled in, e.g. /v1/orders/0190…/transitions. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Single-quoted for a POSIX shell: a ' inside becomes '\''. */
export const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

export function urlOf(req: ApiRequest, base: string): string {
  const params = Object.entries(req.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  const qs = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  return `${base.replace(/\/$/, '')}${req.path}${qs}`;
}

export function toCurl(req: ApiRequest, base: string): string {
  const parts = ['curl', '-sS'];
  if (req.method !== 'GET' && !(req.method === 'POST' && req.body !== undefined)) parts.push('-X', req.method);
  parts.push(shellQuote(urlOf(req, base)));
  parts.push('-H', '"Authorization: Bearer $KEY"');
  for (const [name, value] of Object.entries(req.headers ?? {})) parts.push('-H', shellQuote(`${name}: ${value}`));
  if (req.body !== undefined) parts.push('-H', shellQuote('content-type: application/json'), '-d', shellQuote(JSON.stringify(req.body)));
  return parts.join(' ');
}
