/** The logic that lives in the admin UI: URL search params, saved views, timeline folding, curl, counts, errors. */
import { describe, expect, it } from 'vitest';
import { parseOrdersSearch, parseStatus, serializeOrdersSearch, statusMap, toApiQuery } from '../../admin/src/lib/search.js';
import { foldTimeline, isMinor } from '../../admin/src/lib/timeline.js';
import { shellQuote, toCurl } from '../../admin/src/lib/curl.js';
import { readCounts } from '../../admin/src/lib/counts.js';
import { describeError } from '../../admin/src/lib/problem.js';
import { age, parseMoney } from '../../admin/src/lib/format.js';

describe('orders search params', () => {
  it('reads what the URL holds and drops what it cannot read', () => {
    expect(parseOrdersSearch({ view: 'ready_to_ship', workflow: 'standard', status: 'payment:paid fulfillment:unfulfilled', q: ' ada ', from: '2026-01-02', to: 'soon', cursor: 'not-a-uuid' }))
      .toEqual({ view: 'ready_to_ship', workflow: 'standard', status: 'payment:paid fulfillment:unfulfilled', q: 'ada', from: '2026-01-02' });
    expect(parseOrdersSearch({ view: 'everything', workflow: 'no such!', q: '' })).toEqual({});
    expect(parseOrdersSearch({ view: 'all', status: { payment: 'paid' } })).toEqual({ status: 'payment:paid' });
    expect(parseStatus('payment:paid,bad,order:placed:x')).toEqual({ payment: 'paid' });
    expect(parseStatus({ payment: 'paid', order: 3 })).toEqual({ payment: 'paid' });
  });

  it('writes the URL back so that reading it again gives the same search', () => {
    const s = parseOrdersSearch({ view: 'in_review', workflow: 'xcart', status: 'payment:Q', q: 'x@y.z', from: '2026-01-01', to: '2026-01-31', cursor: '0190a3b2-0000-7000-8000-000000000000' });
    expect(parseOrdersSearch(serializeOrdersSearch(s))).toEqual(s);
    expect(serializeOrdersSearch({})).toEqual({});
    expect(statusMap('payment:paid order:placed')).toEqual({ payment: 'paid', order: 'placed' });
  });

  it('turns a search into the API query: a view\'s alternatives each take the chosen statuses; dates cover whole days', () => {
    const q = toApiQuery({ view: 'in_review', status: 'payment:unpaid', from: '2026-01-01', to: '2026-01-31' }, 10);
    expect(q.status).toBe('order:in_review payment:unpaid,order:FRAUD_PENDING payment:unpaid,order:awaiting_approval payment:unpaid');
    expect(q.createdFrom).toBe('2026-01-01T00:00:00.000Z');
    expect(q.createdTo).toBe('2026-02-01T00:00:00.000Z');
    expect(q.limit).toBe('10');
    expect(toApiQuery({ view: 'returns' })).toMatchObject({ returns: 'open' });
    expect(toApiQuery({ status: 'order:placed' }).status).toBe('order:placed');
  });
});

describe('the timeline', () => {
  const e = (id: string, type: string) => ({ id, type, at: '2026-01-01T00:00:00Z' });
  it('folds runs of minor entries, and keeps a lone one as it is', () => {
    const items = foldTimeline([e('1', 'order.created'), e('2', 'stock.reserved'), e('3', 'timer.started'), e('4', 'order.status_changed'), e('5', 'payment.operation_requested'), e('6', 'refund.created')]);
    expect(items.map((i) => (i.kind === 'entry' ? i.entry.id : i.entries.map((x) => x.id).join('+')))).toEqual(['1', '2+3', '4', '5', '6']);
  });
  it('keeps what a merchant must see', () => {
    expect(isMinor('stock.short')).toBe(false);
    expect(isMinor('timer.fired')).toBe(false);
    expect(isMinor('stock.reserved')).toBe(true);
  });
});

describe('copy as curl', () => {
  it('renders the request with the key as a variable and the body quoted for the shell', () => {
    const curl = toCurl({ method: 'POST', path: '/v1/orders/abc/transitions', body: { to: 'cancelled', reason: "customer's call" }, headers: { 'If-Match': '"3"' } }, 'http://127.0.0.1:3000/');
    expect(curl).toBe(`curl -sS 'http://127.0.0.1:3000/v1/orders/abc/transitions' -H "Authorization: Bearer $KEY" -H 'If-Match: "3"' -H 'content-type: application/json' -d '{"to":"cancelled","reason":"customer'\\''s call"}'`);
    expect(toCurl({ method: 'DELETE', path: '/v1/api-keys/k1' }, 'http://h')).toBe(`curl -sS -X DELETE 'http://h/v1/api-keys/k1' -H "Authorization: Bearer $KEY"`);
    expect(toCurl({ method: 'GET', path: '/v1/orders', query: { q: 'a b', cursor: undefined } }, 'http://h')).toContain(`'http://h/v1/orders?q=a+b'`);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe('counts', () => {
  it('reads the counts route\'s map, and a list too', () => {
    expect(readCounts({ workflow: 'standard', total: 3, tracks: { order: { placed: 2 }, payment: { paid: 1 } } })).toEqual({ order: { placed: 2 }, payment: { paid: 1 } });
    expect(readCounts({ items: [{ track: 'order', status: 'placed', count: 2 }, { track: 'order', status: 'placed', count: 1 }] })).toEqual({ order: { placed: 3 } });
    expect(readCounts('nonsense')).toEqual({});
  });
});

describe('errors and formats', () => {
  it('puts every failure in words with a code', () => {
    expect(describeError({ type: 'x', title: 'Transition not allowed', status: 409, detail: 'no', code: 'transition_not_allowed', allowed: ['a'] }))
      .toEqual({ title: 'Transition not allowed', detail: 'no', code: 'transition_not_allowed', status: 409, extra: { allowed: ['a'] } });
    expect(describeError(new TypeError('Failed to fetch')).code).toBe('network_error');
    expect(describeError('??').code).toBe('unknown_error');
  });
  it('reads amounts and ages', () => {
    expect(parseMoney('12,5')).toBe(1250);
    expect(parseMoney('12.345')).toBeUndefined();
    expect(age('2026-01-01T00:00:00Z', Date.parse('2026-01-03T01:00:00Z'))).toBe('2d');
  });
});
