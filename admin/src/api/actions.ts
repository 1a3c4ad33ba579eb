/**
 * An action the admin takes: one documented request, described once, so that the button sends
 * exactly what "Copy as curl" shows.
 */
import { client } from './client';
import type { ApiRequest } from '../lib/curl';

export interface ActionRequest {
  readonly method: ApiRequest['method'];
  /** The documented path, e.g. /v1/payments/{id}/capture. */
  readonly template: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export const fillPath = (template: string, params: Readonly<Record<string, string>> = {}) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));

export const asApiRequest = (a: ActionRequest): ApiRequest => ({
  method: a.method, path: fillPath(a.template, a.params), ...(a.body !== undefined ? { body: a.body } : {}), ...(a.headers ? { headers: a.headers } : {}),
});

/** Sends it through the typed client; the answer's JSON, or throws the problem the server sent. */
export async function perform(a: ActionRequest): Promise<unknown> {
  const request = client.request as unknown as (method: string, path: string, init: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
  const { data, error, response } = await request(a.method.toLowerCase(), a.template, {
    params: { path: a.params ?? {} }, ...(a.body !== undefined ? { body: a.body } : {}), ...(a.headers ? { headers: a.headers } : {}),
  });
  if (error !== undefined || !response.ok) throw error ?? { code: 'http_error', detail: `the server answered ${response.status}`, status: response.status };
  return data;
}

/** An order write carries the version the admin saw: a change made meanwhile is refused (412), not overwritten. */
export const ifMatch = (version: number) => ({ 'If-Match': `"${version}"` });
