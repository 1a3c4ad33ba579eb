/**
 * Gateway callbacks are signed the Standard Webhooks way: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. The secret is a
 * `whsec_`-prefixed base64 string, or else taken as raw text.
 */
import { Webhook } from 'standardwebhooks';
import { CallbackRejected } from './port.js';

export function webhookFor(secret: string): Webhook {
  return secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(Buffer.from(secret, 'utf8').toString('base64'));
}

/** Verifies signature and timestamp (five minutes of tolerance) and returns the parsed body. */
export function verifySigned(webhook: Webhook, headers: Readonly<Record<string, string | string[] | undefined>>, rawBody: string): { id: string; body: unknown } {
  const pick = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const id = pick('webhook-id');
  const timestamp = pick('webhook-timestamp');
  const signature = pick('webhook-signature');
  if (!id || !timestamp || !signature) throw new CallbackRejected('missing webhook-id, webhook-timestamp or webhook-signature');
  try {
    const body = webhook.verify(rawBody, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature });
    return { id, body };
  } catch (err) {
    throw new CallbackRejected(err instanceof Error ? err.message : 'the signature does not check out');
  }
}

export const isUuid = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/** Text PostgreSQL can store (no U+0000, no unpaired surrogate), of 1 to `max` characters. */
// eslint-disable-next-line no-control-regex -- finding U+0000 is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const isStorableText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length >= 1 && v.length <= max && !UNSTORABLE.test(v);
