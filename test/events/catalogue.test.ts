/**
 * The event types are documented where consumers look (the OpenAPI document's `webhooks`,
 * docs/events.md), and real events match the schema documented for their type.
 */
import { readFile } from 'node:fs/promises';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/domain/event-types.js';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';

// CommonJS modules: their default export is one level down under ESM.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape differs by loader
const Ajv2020 = ((Ajv2020Module as any).default ?? Ajv2020Module) as typeof Ajv2020Module.default;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape differs by loader
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as typeof addFormatsModule.default;

let t: TestApp;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is read field by field
let doc: any;
beforeAll(async () => {
  t = await startTestApp();
  doc = (await t.call('GET', '/openapi.json')).body;
});
afterAll(async () => {
  await t.close();
});

describe('the event catalogue', () => {
  it('the OpenAPI document has a webhook entry for every event type, with its headers', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual(Object.keys(EVENT_TYPES).sort());
    const settled = doc.webhooks['payment.settled'].post;
    expect(settled.parameters.map((p: { name: string }) => p.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
    expect(settled.requestBody.content['application/json'].schema.properties.type.const).toBe('payment.settled');
  });

  it('docs/events.md lists every event type', async () => {
    const page = await readFile(new URL('../../docs/events.md', import.meta.url), 'utf8');
    const missing = Object.keys(EVENT_TYPES).filter((type) => !page.includes(`\`${type}\``));
    expect(missing).toEqual([]);
  });

  it('events of a whole order life match the schema documented for their type', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const start = (await t.call('GET', '/v1/events?limit=1000')).body.next;
    const o = (await t.call('POST', '/v1/orders', orderBody({ payment: { method: 'card' } }))).body;
    const line = o.lines[0];
    const parcel = (await t.call('POST', `/v1/orders/${o.id}/fulfillments`, { lines: [{ lineId: line.id, quantity: 1 }], carrier: 'UPS' })).body.fulfillments[0];
    await t.call('POST', `/v1/fulfillments/${parcel.id}/transitions`, { to: 'shipped' });
    await t.call('POST', `/v1/fulfillments/${parcel.id}/transitions`, { to: 'delivered' });
    await t.call('POST', `/v1/orders/${o.id}/cancellations`, { lines: [{ lineId: line.id, quantity: 1 }], reason: 'out of stock', refund: true });
    await t.call('POST', `/v1/orders/${o.id}/returns`, { lines: [{ lineId: line.id, quantity: 1 }], reason: 'too small' });
    await t.call('POST', `/v1/orders/${o.id}/modifications`, { addLines: [{ sku: 'SOCKS', quantity: 1, unitPrice: 500 }], note: 'socks too' });
    const link = (await t.call('POST', '/v1/orders', orderBody({ payment: { method: 'payment_link' } }))).body;
    await t.call('POST', `/v1/orders/${link.id}/payment-links/resend`, {});
    const events = (await t.call('GET', `/v1/events?after=${start}&limit=1000`)).body.data;
    const types = new Set<string>(events.map((e: { type: string }) => e.type));
    expect([...types]).toEqual(expect.arrayContaining(['order.created', 'payment.settled', 'fulfillment.created', 'fulfillment.shipped', 'fulfillment.delivered', 'order.lines_cancelled', 'refund.created', 'return.created', 'order.modified', 'payment_link.sent']));
    for (const event of events) {
      const { cursor: _cursor, ...envelope } = event;
      const schema = doc.webhooks[event.type].post.requestBody.content['application/json'].schema;
      const valid = ajv.validate(schema, envelope);
      expect(valid, `${event.type}: ${ajv.errorsText()}\n${JSON.stringify(envelope.data)}`).toBe(true);
    }
  });
});
