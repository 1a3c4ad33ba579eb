/**
 * Real mail: Ordo with ORDO_SMTP_URL's setting sends through nodemailer to an SMTP server run
 * in-process on loopback (the smtp-server package); what arrived is read off the wire. A server
 * that answers 5xx makes the message retry on its schedule and end `failed`; a message sent again
 * because its sender died before recording it carries the same Message-ID as the first copy.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageIdOf } from '../../src/engine/notifications/message-id.js';
import { smtpNotifier } from '../../src/engine/notifications/smtp-notifier.js';
import { claimDueNotifications } from '../../src/store/notifications.js';
import type { TestApp } from '../support/app.js';
import { uniqueEmail } from '../http/helpers.js';
import { ok, startNotifyingApp, type Json } from './support.js';

interface Arrival { readonly from: string; readonly to: string[]; readonly raw: string }

/** An SMTP server on loopback that keeps what arrives, or refuses every message with 554 while `refusing`. */
async function mailServer() {
  const arrived: Arrival[] = [];
  const state = { refusing: false, refusals: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (!state.refusing) return callback();
      state.refusals++;
      callback(Object.assign(new Error('554 5.7.1 message refused'), { responseCode: 554 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        arrived.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { arrived, state, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A header's value from a raw message (unfolded). */
const header = (raw: string, name: string) => new RegExp(`^${name}:[ \\t]*(.*(?:\\r\\n[ \\t].*)*)`, 'mi').exec(raw)?.[1]?.replace(/\r\n[ \t]+/g, ' ').trim();

let mail: Awaited<ReturnType<typeof mailServer>>;
let t: TestApp;
beforeAll(async () => {
  mail = await mailServer();
  // Short retries for the failure test: 60 s, then 120 s, then failed (three attempts).
  t = await startNotifyingApp({ smtpUrl: mail.url, mailFrom: 'Ordo Shop <shop@example.com>', notificationRetrySchedule: [60, 120] });
});
afterAll(async () => {
  await t.close();
  await mail.close();
});

const place = async (email: string) =>
  ok(await t.call('POST', '/v1/orders', { currency: 'EUR', customer: { email, name: 'Ada' }, lines: [{ sku: 'MUG', name: 'Mug', quantity: 1, unitPrice: 1200 }], payment: { method: 'card' } }));
const notifications = async (id: string): Promise<Json[]> => ok(await t.call('GET', `/v1/orders/${id}/notifications`)).items;

describe('SMTP', () => {
  it('the confirmation arrives at the server: From, To, Subject, a deterministic Message-ID, text and HTML', async () => {
    const email = uniqueEmail('smtp');
    const o = await place(email);
    await t.ordo.relay.drain();
    const [m] = mail.arrived.filter((a) => a.to.includes(email));
    expect(m).toBeDefined();
    expect(m!.from).toBe('shop@example.com');
    expect(header(m!.raw, 'From')).toBe('Ordo Shop <shop@example.com>');
    expect(header(m!.raw, 'To')).toBe(email);
    expect(header(m!.raw, 'Subject')).toBe(`Your order ${o.code} is confirmed`);
    expect(header(m!.raw, 'Message-ID')).toBe(messageIdOf({ orderId: o.id, eventId: 'order', message: 'order_confirmation', recipient: email }));
    expect(header(m!.raw, 'X-Ordo-Order')).toBe(o.id);
    expect(m!.raw).toMatch(/Content-Type: text\/plain/);
    expect(m!.raw).toMatch(/Content-Type: text\/html/);
    expect(m!.raw).toContain('1 x Mug: =E2=82=AC12.00');
    const [stored] = await notifications(o.id);
    expect(stored).toMatchObject({ status: 'sent', attempts: 1, recipient: email });
  });

  it('a server answering 5xx: the message is retried on its schedule, then failed', async () => {
    mail.state.refusing = true;
    mail.state.refusals = 0;
    try {
      const email = uniqueEmail('refused');
      const o = await place(email);
      await t.ordo.relay.drain();
      expect((await notifications(o.id))[0]).toMatchObject({ status: 'pending', attempts: 1 });
      expect((await notifications(o.id))[0].lastError).toMatch(/554/);
      t.clock.advance(61 * 1.1);
      await t.ordo.relay.drain();
      expect((await notifications(o.id))[0]).toMatchObject({ status: 'pending', attempts: 2 });
      t.clock.advance(121 * 1.1);
      await t.ordo.relay.drain();
      const [last] = await notifications(o.id);
      expect(last).toMatchObject({ status: 'failed', attempts: 3, nextAttemptAt: null });
      expect(mail.state.refusals).toBe(3);
      expect(mail.arrived.filter((a) => a.to.includes(email))).toEqual([]);
      expect(await t.ordo.notifications.counts()).toMatchObject({ failed: 1 });
    } finally {
      mail.state.refusing = false;
    }
  });

  it('a sender that died after sending: once its lease lapses the message is sent again, with the same Message-ID', async () => {
    const email = uniqueEmail('crash');
    const o = await place(email);
    await t.ordo.relay.place();
    // A relay claims the message, hands it to the server, and dies before recording that.
    const claimed = (await claimDueNotifications(t.ordo.pool, t.ordo.dialect, t.clock.now(), 10, randomUUID(), 120)).filter((n) => n.recipient === email);
    expect(claimed).toHaveLength(1);
    const n = claimed[0]!;
    await smtpNotifier({ url: mail.url, from: 'shop@example.com' }).send({ id: n.id, orderId: n.orderId, message: n.message, to: n.recipient, subject: n.subject, text: n.text, html: n.html, messageId: messageIdOf(n) });
    // While its lease holds nobody else sends it.
    await t.ordo.relay.drain();
    expect(mail.arrived.filter((a) => a.to.includes(email))).toHaveLength(1);
    t.clock.advance(121);
    await t.ordo.relay.drain();
    const copies = mail.arrived.filter((a) => a.to.includes(email));
    expect(copies).toHaveLength(2);
    const ids = copies.map((c) => header(c.raw, 'Message-ID'));
    expect(ids[0]).toBe(messageIdOf({ orderId: o.id, eventId: 'order', message: 'order_confirmation', recipient: email }));
    expect(ids[1]).toBe(ids[0]);
    expect((await notifications(o.id))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });
});
