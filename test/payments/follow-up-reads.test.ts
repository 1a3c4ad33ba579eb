/**
 * A command that calls the gateway (a checkout with a card) answers with the order as the
 * gateway's answer left it, without reading the order back: the gateway's answer is recorded on
 * the order as the checkout answered it, and the recording's own answer is used. An order that
 * moved on meanwhile is read again by the recording's version check.
 * (A call that fails is answered from a fresh read: recovery.test.ts.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';
import { statementsOf } from '../support/statements.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(() => t.close());

it('a checkout with a card settled at once never reads the order: the gateway\'s answer is recorded on the order as answered', async () => {
  let answer: Awaited<ReturnType<TestApp['call']>> | undefined;
  const sent = await statementsOf(async () => { answer = await t.call('POST', '/v1/orders', orderBody({ payment: { method: 'card' } })); });
  expect(answer!.status).toBe(201);
  expect(answer!.body.status.payment).toBe('paid');
  expect(sent.filter((q) => q === 'ordo_find_order')).toHaveLength(0);
  expect(sent.filter((q) => q === 'ordo_find_order_for_command')).toHaveLength(0);
  // The answer is exactly what a fresh read shows.
  const read = await t.call('GET', `/v1/orders/${answer!.body.id}`);
  expect(answer!.body).toEqual(read.body);
});
