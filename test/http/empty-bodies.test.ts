/**
 * Issue 11: a payment action sent with no body at all (`curl -X POST .../settle`) is taken as
 * `{}`, as the action routes without a body schema take it; a body that is there is still checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const order = async (payment: Record<string, unknown>) => {
  const r = await t.call('POST', '/v1/orders', { currency: 'EUR', lines: [{ sku: 'EMPTY-BODY', quantity: 1, unitPrice: 1200 }], payment });
  expect(r.status, r.text).toBe(201);
  return r.body as { id: string; payments: { id: string }[] };
};
/** No body and no content-type: what curl sends for `-X POST` without `-d`. */
const bare = (url: string) => t.call('POST', url);

describe('payment actions with no body', () => {
  it('settle records the whole amount', async () => {
    const o = await order({ method: 'invoice' });
    const r = await bare(`/v1/payments/${o.payments[0]!.id}/settle`);
    expect(r.status, r.text).toBe(200);
    expect(r.body.payments[0]).toMatchObject({ state: 'settled', captured: 1200 });
  });

  it('capture takes the whole authorization', async () => {
    const o = await order({ method: 'card', capture: false });
    const r = await bare(`/v1/payments/${o.payments[0]!.id}/capture`);
    expect(r.status, r.text).toBe(200);
    expect(r.body.payments[0]).toMatchObject({ state: 'settled', captured: 1200 });
  });

  it('void releases the authorization', async () => {
    const o = await order({ method: 'card', capture: false });
    const r = await bare(`/v1/payments/${o.payments[0]!.id}/void`);
    expect(r.status, r.text).toBe(200);
    expect(r.body.payments[0].state).toBe('voided');
  });

  it('resolve still needs its outcome, and says so', async () => {
    const o = await order({ method: 'card', simulate: 'unknown' });
    const r = await bare(`/v1/payments/${o.payments[0]!.id}/resolve`);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('invalid_request');
    expect(r.body.detail).toMatch(/outcome/);
  });

  it('resend, for one order and for all', async () => {
    const o = await order({ method: 'payment_link' });
    expect((await bare(`/v1/orders/${o.id}/payment-links/resend`)).status).toBe(200);
    expect((await bare('/v1/payment-links/resend')).status).toBe(200);
  });

  it('a body that is there is still checked', async () => {
    const o = await order({ method: 'invoice' });
    const r = await t.call('POST', `/v1/payments/${o.payments[0]!.id}/settle`, { amount: 'all' });
    expect(r.status).toBe(400);
  });
});
