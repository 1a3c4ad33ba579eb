/**
 * An honest HTTP client of Ordo: a request that failed at the network level (refused, reset,
 * cut off by a crash) is sent again with the SAME Idempotency-Key and body; one without a key
 * is not, since its outcome is unknown. Every attempt is bounded in count and time.
 */
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { ADMIN_KEY, GATEWAY_SECRET, sleep } from './server.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field
export type Json = any;

export type Outcome =
  /** An HTTP answer arrived. */
  | { readonly kind: 'answer'; readonly status: number; readonly body: Json; readonly replayed: boolean; readonly attempts: number }
  /** No answer: the network failed and the request could not be retried (no key), or the retries ran out. */
  | { readonly kind: 'lost'; readonly why: string; readonly attempts: number };

export interface SendOptions {
  /** Sent as Idempotency-Key; with one, network failures are retried. */
  readonly key?: string;
  /** Extra headers (a callback's signature). */
  readonly headers?: Record<string, string>;
  /** No Authorization header (gateway callbacks are public). */
  readonly anonymous?: boolean;
  /** Retry network failures even without an Idempotency-Key (GETs; callbacks, deduplicated by webhook-id). */
  readonly retrySafe?: boolean;
  /** How long to keep retrying, in all (default 40 s: long enough for a restart). */
  readonly budgetMs?: number;
  /** How long to wait on a key still "in progress" (409 idempotency_key_in_progress) before giving up (default 5 s). */
  readonly inProgressMs?: number;
  /** Per-attempt timeout (default 20 s). */
  readonly timeoutMs?: number;
}

export class OrdoClient {
  constructor(readonly base: string) {}

  async send(method: string, url: string, body?: unknown, opts: SendOptions = {}): Promise<Outcome> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string> = {
      ...(opts.anonymous ? {} : { authorization: `Bearer ${ADMIN_KEY}` }),
      ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.key ? { 'idempotency-key': opts.key } : {}),
      ...opts.headers,
    };
    const retries = opts.key !== undefined || opts.retrySafe === true || method === 'GET';
    const started = Date.now();
    const budget = opts.budgetMs ?? 40_000;
    let inProgressSince: number | undefined;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(this.base + url, { method, headers, ...(payload !== undefined ? { body: payload } : {}), signal: AbortSignal.timeout(opts.timeoutMs ?? 20_000) });
      } catch (err) {
        const why = describe(err);
        if (!retries) return { kind: 'lost', why, attempts: attempt };
        if (Date.now() - started > budget) return { kind: 'lost', why: `gave up after ${attempt} attempts: ${why}`, attempts: attempt };
        await sleep(100 + Math.random() * 200);
        continue;
      }
      const text = await res.text().catch(() => '');
      let parsed: Json = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      // The first request with this key is still running, or died with a crashed process: an
      // honest client waits as Retry-After says, but not forever.
      if (res.status === 409 && parsed?.code === 'idempotency_key_in_progress' && opts.key) {
        inProgressSince ??= Date.now();
        if (Date.now() - inProgressSince < (opts.inProgressMs ?? 5_000) && Date.now() - started < budget) {
          await sleep(Math.min(1000, 1000 * Number(res.headers.get('retry-after') ?? 1)));
          continue;
        }
      }
      return { kind: 'answer', status: res.status, body: parsed, replayed: res.headers.get('idempotent-replayed') === 'true', attempts: attempt };
    }
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    const code = cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
    return code ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}

/** A gateway callback, signed the Standard Webhooks way with the simulated gateway's secret. */
export interface SignedCallback {
  readonly id: string;
  readonly payload: string;
  readonly headers: Record<string, string>;
}

export function signCallback(body: Record<string, unknown>, id = `evt_${randomUUID()}`): SignedCallback {
  const payload = JSON.stringify(body);
  const at = new Date();
  return {
    id,
    payload,
    headers: {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(GATEWAY_SECRET).sign(id, at, payload),
    },
  };
}

/** Sends a signed callback; a network failure is retried with the same id, timestamp and signature, as a gateway redelivers. */
export function sendCallback(client: OrdoClient, cb: SignedCallback, opts: Omit<SendOptions, 'headers' | 'anonymous' | 'retrySafe'> = {}): Promise<Outcome> {
  return client.send('POST', '/v1/gateways/simulated/events', cb.payload, { ...opts, headers: cb.headers, anonymous: true, retrySafe: true });
}

export const is2xx = (o: Outcome): o is Outcome & { kind: 'answer' } => o.kind === 'answer' && o.status >= 200 && o.status < 300;
