/** Subscribes a receiver through the API and tells it the secret to verify with. */
import { expect } from 'vitest';
import type { Receiver } from './receiver.js';
import type { WebhookApp } from './ordo.js';

export async function subscribe(t: WebhookApp, receiver: Receiver, events: string[] = ['*'], url = receiver.url): Promise<string> {
  const made = await t.call('POST', '/v1/webhooks', { url, events });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  receiver.secrets = [made.body.secret];
  return made.body.id;
}

/** The delivery log of a subscription, through the API. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked field by field
export async function deliveries(t: WebhookApp, id: string, query = ''): Promise<any[]> {
  const res = await t.call('GET', `/v1/webhooks/${id}/deliveries${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}
