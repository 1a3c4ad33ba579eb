/**
 * Every message has its plain-text and HTML template, and each renders for every workflow with
 * a subject; the HTML escapes what the order's data holds, the text keeps it as written.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageView } from '../../src/domain/notifications/message-view.js';
import { audienceOf, MESSAGES } from '../../src/domain/notifications/messages.js';
import type { Order } from '../../src/domain/order.js';
import { Templates, TEMPLATES_DIR } from '../../src/engine/notifications/templates.js';
import { presets } from '../../src/workflows/index.js';

const order = (workflow: string): Order => ({
  id: '01a22ccf-fe7d-701c-b0df-40ab3687f71c', code: 1042, workflow, workflowVersion: 1, currency: 'JPY',
  status: Object.fromEntries(presets.get(workflow)!.tracks.map((t) => [t.id, t.initial])),
  customer: { email: 'kim@example.com', name: 'Kim <script>alert(1)</script>' },
  lines: [{ id: 'l1', sku: 'TEA', name: 'Tea & "biscuits"', quantity: 3, unitPrice: 450 }],
  shipping: null, billingAddress: null, surcharges: [], paid: 1350, refunded: 0,
  payments: [{ id: 'p1', method: 'payment_link', gateway: 'simulated', reference: null, amount: 1350, state: 'pending', authorized: 0, captured: 0, refunded: 0, deposit: false, options: {}, link: { expiresAt: '2026-01-08T09:00:00.000Z', editable: false, sent: 1 }, createdAt: '', updatedAt: '' }],
  refunds: [{ id: 'r1', paymentId: 'p1', amount: 450, reason: 'one broken' } as never],
  fulfillments: [{ id: 'f1', lines: [{ lineId: 'l1', quantity: 3 }], carrier: 'Yamato', trackingNumber: 'YT1', trackingUrl: null, state: 'shipped', createdAt: '', updatedAt: '' }],
  returns: [], metadata: {}, deadlines: {}, timers: [], version: 3,
  createdAt: new Date('2026-01-05T09:00:00Z'), updatedAt: new Date('2026-01-05T09:00:00Z'), placedAt: new Date('2026-01-05T09:00:00Z'),
});

const facts = {
  id: 'e1', type: 'order.status_changed', occurredAt: '2026-01-05T09:00:00.000Z',
  data: { track: 'order', from: 'a', to: 'b', reason: 'because', paymentId: 'p1', refundId: 'r1', amount: 450, fulfillmentId: 'f1', skus: ['TEA'], decisions: [{ lineId: 'l1', approved: true, reason: 'ok' }] },
};

describe('the templates', () => {
  it.each(MESSAGES)('%s has a plain-text and an HTML template in default/', (message) => {
    expect(existsSync(path.join(TEMPLATES_DIR, 'default', `${message}.txt.liquid`))).toBe(true);
    expect(existsSync(path.join(TEMPLATES_DIR, 'default', `${message}.html.liquid`))).toBe(true);
  });

  it('every message renders for every workflow, with a subject, money in the order\'s currency, and the HTML escaped', async () => {
    const templates = new Templates();
    for (const wf of presets.values()) {
      for (const message of MESSAGES) {
        const r = await templates.render(wf.name, message, messageView(message, audienceOf(message), facts, order(wf.name), wf));
        const where = `${wf.name}/${message}`;
        expect(r.subject.length, where).toBeGreaterThan(5);
        expect(r.subject, where).not.toContain('{{');
        expect(r.text, where).not.toMatch(/\{\{|\{%/);
        expect(r.html, where).not.toContain('<script>');
        if (r.text.includes('Kim')) {
          expect(r.text, where).toContain('Kim <script>alert(1)</script>');
          expect(r.html, where).toContain('Kim &lt;script&gt;alert(1)&lt;/script&gt;');
        }
      }
    }
    const confirmation = await templates.render('standard', 'order_confirmation', messageView('order_confirmation', 'customer', facts, order('standard'), presets.get('standard')!));
    expect(confirmation.subject).toBe('Your order #1042 is confirmed');
    expect(confirmation.text).toContain('3 x Tea & "biscuits": ¥1,350');
    expect(confirmation.html).toContain('3 x Tea &amp; &#34;biscuits&#34;');
  });

  it('a workflow\'s own template wins over the default one; a name that is not a plain folder name gets the defaults', async () => {
    const templates = new Templates();
    const view = messageView('payment_refused', 'customer', facts, order('nexway'), presets.get('nexway')!);
    expect((await templates.render('nexway', 'payment_refused', view)).text).toContain('try again');
    expect((await templates.render('../nexway', 'payment_refused', view)).text).not.toContain('try again');
  });
});
