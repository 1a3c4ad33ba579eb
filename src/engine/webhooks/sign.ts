/**
 * Deliveries are signed the Standard Webhooks way: `webhook-signature` holds `v1,<base64
 * HMAC-SHA256 of "id.timestamp.body">` under each secret that signs now, space-separated.
 */
import { createHmac } from 'node:crypto';

/** The three headers of a delivery; `timestamp` is the attempt's time (receivers refuse old ones). */
export function webhookHeaders(secrets: readonly string[], id: string, timestamp: Date, body: string): Record<string, string> {
  const seconds = Math.floor(timestamp.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(seconds),
    'webhook-signature': secrets.map((s) => `v1,${sign(s, `${id}.${seconds}.${body}`)}`).join(' '),
  };
}

/** Node's own HMAC (the scheme is that simple): the pure-JS hash of the reference library costs a relay a tenth of its time. */
const sign = (secret: string, content: string) =>
  createHmac('sha256', Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64')).update(content).digest('base64');
