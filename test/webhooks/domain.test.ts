/** The pure parts: the retry schedule and Retry-After, an attempt's verdict, the signature, the address rule. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { DEFAULT_RETRY_SCHEDULE, parseRetryAfter, parseRetrySchedule, retryDelay } from '../../src/domain/webhooks/retry-schedule.js';
import { failedTooLong, judgeAttempt } from '../../src/domain/webhooks/attempt.js';
import { secretsSigningAt } from '../../src/domain/webhooks/signature.js';
import { webhookHeaders } from '../../src/engine/webhooks/sign.js';
import { addressLiteral, checkUrlForm, isPublicAddress, withoutCredentials } from '../../src/domain/webhooks/target.js';
import { checkPatterns } from '../../src/domain/webhooks/subscription.js';

const NOW = new Date('2026-03-02T09:00:00Z');

describe('the retry schedule', () => {
  it('reads durations, bare seconds included; refuses anything else', () => {
    expect(parseRetrySchedule(DEFAULT_RETRY_SCHEDULE)).toEqual([0, 5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400]);
    expect(parseRetrySchedule(' 0, 30s ,2m')).toEqual([0, 30, 120]);
    for (const bad of ['', '5x', '0s,,soon', '-5s']) expect(parseRetrySchedule(bad), bad).toBeUndefined();
  });

  it('spreads each delay by at most 10 % either way, and runs out', () => {
    const schedule = [0, 5, 300];
    expect(retryDelay(schedule, 1, 0)).toBeCloseTo(4.5);
    expect(retryDelay(schedule, 1, 0.5)).toBe(5);
    expect(retryDelay(schedule, 2, 0.999999)).toBeCloseTo(330);
    expect(retryDelay(schedule, 3, 0.5)).toBeUndefined();
  });

  it('reads Retry-After as seconds or a date, capped at a day', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120);
    expect(parseRetryAfter(new Date(NOW.getTime() + 90_000).toUTCString(), NOW)).toBe(90);
    expect(parseRetryAfter(new Date(NOW.getTime() - 90_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('999999', NOW)).toBe(86_400);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});

describe("an attempt's verdict", () => {
  const schedule = [0, 5, 300];
  const at = (s: number) => ({ kind: 'retry', at: new Date(NOW.getTime() + s * 1000) });
  it.each([
    [{ status: 200 }, 1, { kind: 'delivered' }],
    [{ status: 204 }, 3, { kind: 'delivered' }],
    [{ status: 410 }, 1, { kind: 'gone' }],
    [{ status: 500 }, 1, at(5)],
    [{ status: null }, 2, at(300)],
    [{ status: 301 }, 1, at(5)],
    [{ status: 500 }, 3, { kind: 'failed' }],
    [{ status: 429, retryAfter: '60' }, 1, at(60)],
    [{ status: 503, retryAfter: '7' }, 2, at(7)],
    [{ status: 500, retryAfter: '60' }, 1, at(5)],
    [{ status: 429, retryAfter: '60' }, 3, { kind: 'failed' }],
    [{ status: 429, retryAfter: 'later' }, 1, at(5)],
  ] as const)('%j after %i attempts: %j', (answer, attempts, verdict) => {
    expect(judgeAttempt(answer, attempts, schedule, NOW, 0.5)).toEqual(verdict);
  });

  it('switches off after five whole days of failures', () => {
    expect(failedTooLong(null, NOW)).toBe(false);
    expect(failedTooLong(new Date(NOW.getTime() - 5 * 86_400_000 + 1), NOW)).toBe(false);
    expect(failedTooLong(new Date(NOW.getTime() - 5 * 86_400_000), NOW)).toBe(true);
  });
});

describe('the signature', () => {
  const secret = `whsec_${Buffer.from('a key of thirty-two bytes, exact').toString('base64')}`;
  const previous = `whsec_${Buffer.from('the key before this one, 32 byte').toString('base64')}`;
  const body = JSON.stringify({ id: 'evt', type: 'order.created' });

  it('is v1,<base64 HMAC-SHA256 of id.timestamp.body> under the decoded key', () => {
    const headers = webhookHeaders([secret], 'evt_1', NOW, body);
    const ts = String(NOW.getTime() / 1000);
    const mac = createHmac('sha256', Buffer.from(secret.slice(6), 'base64')).update(`evt_1.${ts}.${body}`).digest('base64');
    expect(headers).toEqual({ 'webhook-id': 'evt_1', 'webhook-timestamp': ts, 'webhook-signature': `v1,${mac}` });
  });

  it('carries one signature per secret, each verifying with standardwebhooks', () => {
    const now = new Date();
    const headers = webhookHeaders([secret, previous], 'evt_2', now, body);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    for (const s of [secret, previous]) expect(new Webhook(s).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
  });

  it('signs with the previous secret until its overlap ends', () => {
    const s = { secret, previousSecret: previous, previousSecretUntil: new Date(NOW.getTime() + 1000) };
    expect(secretsSigningAt(s, NOW)).toEqual([secret, previous]);
    expect(secretsSigningAt(s, new Date(NOW.getTime() + 1000))).toEqual([secret]);
    expect(secretsSigningAt({ secret, previousSecret: null, previousSecretUntil: null }, NOW)).toEqual([secret]);
  });
});

describe('the address rule', () => {
  it.each([
    '127.0.0.1', '127.255.0.9', '10.0.0.1', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1',
    '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::a00:1', 'not an address',
  ])('refuses %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:93.184.215.14'])('accepts %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });

  it('reads the URL: http(s), at most 2,048 characters, with a host', () => {
    expect(checkUrlForm('https://hooks.example.com/a?b=1').ok).toBe(true);
    expect(checkUrlForm(`https://h.example.com/${'a'.repeat(2048 - 22)}`).ok).toBe(true);
    expect(checkUrlForm(`https://h.example.com/${'a'.repeat(2048 - 21)}`)).toMatchObject({ ok: false, reason: expect.stringMatching(/2048/) });
    for (const bad of ['hooks.example.com', 'ftp://x.example.com', 'javascript:alert(1)', 'http://', 'data:text/plain,x']) expect(checkUrlForm(bad).ok, bad).toBe(false);
  });

  it('finds an address written as the host, however it was spelled', () => {
    const host = (u: string) => addressLiteral(new URL(u).hostname);
    expect(host('http://127.1/')).toBe('127.0.0.1');
    expect(host('http://0x7f000001/')).toBe('127.0.0.1');
    expect(host('http://[::1]:8080/')).toBe('::1');
    expect(host('http://hooks.example.com/')).toBeUndefined();
  });

  it('drops credentials from a URL shown beyond its subscription', () => {
    expect(withoutCredentials('https://user:pa%20ss@hooks.example.com/x?y=1')).toBe('https://hooks.example.com/x?y=1');
  });

  it('refuses unknown event types in patterns', () => {
    expect(checkPatterns(['order.*', 'payment.settled', '*', 'webhook.disabled'])).toBeUndefined();
    expect(checkPatterns(['order.*', 'orders.*', 'payment.setled'])).toMatchObject({ code: 'unknown_event_type', details: { unknown: ['orders.*', 'payment.setled'] } });
  });
});
