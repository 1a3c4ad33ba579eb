/** The demo data (issue 13): every workflow, the statuses a merchant meets, through the engine's own calls. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('the demo', () => {
  it('fills an empty store through the API button, in every workflow', async () => {
    const res = await t.call('POST', '/v1/demo', { orders: 30 });
    expect(res.status, res.text).toBe(201);
    expect(res.body.orders).toBe(30);
    const counts = await t.ordo.pool.query<{ workflow: string; n: number }>('SELECT workflow, count(*)::int AS n FROM orders GROUP BY workflow');
    expect(counts.rows.map((r) => r.workflow).sort()).toEqual(['nexway', 'nutickets', 'standard', 'vendure', 'xcart']);
    const tags = (await t.ordo.pool.query<{ tag: string }>('SELECT DISTINCT unnest(status_tags) AS tag FROM orders')).rows.map((r) => r.tag);
    for (const tag of ['payment:paid', 'payment:authorized', 'fulfillment:partially_shipped', 'fulfillment:delivered', 'order:in_review', 'order:awaiting_payment_link', 'fulfilment:NB']) {
      expect(tags, tag).toContain(tag);
    }
    expect((await t.call('POST', '/v1/demo', {})).status).toBe(409);
  }, 120_000);
});
