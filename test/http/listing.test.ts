/** GET /v1/orders: filters by workflow, status and search text; cursor pages, newest first. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';
import { expectProblem, uniqueEmail } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

interface Listed {
  id: string;
  code: string;
  workflow: string;
  status: Record<string, string>;
  customer: { email?: string };
}

const createFor = async (email: string, over: Record<string, unknown> = {}): Promise<Listed> => {
  const res = await t.call('POST', '/v1/orders', orderBody({ customer: { email }, ...over }));
  expect(res.status, res.text).toBe(201);
  return res.body;
};
const list = async (query: Record<string, string>) => {
  const res = await t.call('GET', `/v1/orders?${new URLSearchParams(query).toString()}`);
  expect(res.status, res.text).toBe(200);
  return res.body as { items: Listed[]; nextCursor: string | null };
};
const ids = (items: Listed[]) => items.map((o) => o.id);

describe('filters', () => {
  it('by status, plain or qualified by its track', async () => {
    const email = uniqueEmail('status');
    const a = await createFor(email);
    const b = await createFor(email);
    const c = await createFor(email);
    await t.call('POST', `/v1/orders/${b.id}/transitions`, { to: 'cancelled' });
    await t.call('POST', `/v1/orders/${c.id}/transitions`, { to: 'paid' });
    const draft = await createFor(email, { draft: true });

    expect(ids((await list({ q: email, status: 'placed' })).items)).toEqual([c.id, a.id]);
    expect(ids((await list({ q: email, status: 'order:placed' })).items)).toEqual([c.id, a.id]);
    expect(ids((await list({ q: email, status: 'cancelled' })).items)).toEqual([b.id]);
    expect(ids((await list({ q: email, status: 'order:cancelled' })).items)).toEqual([b.id]);
    expect(ids((await list({ q: email, status: 'draft' })).items)).toEqual([draft.id]);
    expect(ids((await list({ q: email, status: 'payment:paid' })).items)).toEqual([c.id]);
    expect(ids((await list({ q: email, status: 'unpaid' })).items)).toEqual([draft.id, b.id, a.id]);
    // A state qualified with the wrong track matches nothing.
    expect((await list({ q: email, status: 'payment:placed' })).items).toEqual([]);
    expect((await list({ q: email, status: 'teleported' })).items).toEqual([]);
    for (const o of (await list({ status: 'order:placed', limit: '100' })).items) expect(o.status.order).toBe('placed');
  });

  it('by workflow', async () => {
    const email = uniqueEmail('workflow');
    const a = await createFor(email);
    const b = await createFor(email);
    expect(ids((await list({ q: email, workflow: 'standard' })).items)).toEqual([b.id, a.id]);
    expect((await list({ q: email, workflow: 'no-such-flow' })).items).toEqual([]);
    for (const o of (await list({ workflow: 'standard', limit: '100' })).items) expect(o.workflow).toBe('standard');
  });

  it('by workflow, telling two workflows apart', async (ctx) => {
    const other = (await t.ordo.workflows.list()).find((w) => w.name !== 'standard');
    if (!other) return ctx.skip();
    const email = uniqueEmail('twoflows');
    const std = await createFor(email);
    const alt = await createFor(email, { workflow: other.name });
    expect(alt.workflow).toBe(other.name);
    expect(ids((await list({ q: email, workflow: 'standard' })).items)).toEqual([std.id]);
    expect(ids((await list({ q: email, workflow: other.name })).items)).toEqual([alt.id]);
    expect(ids((await list({ q: email })).items)).toEqual([alt.id, std.id]);
  });

  it('by order code, with or without #', async () => {
    const email = uniqueEmail('code');
    await createFor(email);
    const target = await createFor(email);
    await createFor(email);
    expect(target.code).toMatch(/^#\d+$/);
    expect(ids((await list({ q: target.code })).items)).toEqual([target.id]);
    expect(ids((await list({ q: target.code.slice(1) })).items)).toEqual([target.id]);
    expect((await list({ q: '#999999999' })).items).toEqual([]);
  });

  it('by order id', async () => {
    const target = await createFor(uniqueEmail('byid'));
    expect(ids((await list({ q: target.id })).items)).toEqual([target.id]);
  });

  it('by customer email, case-insensitively, and by customer name', async () => {
    const email = uniqueEmail('email');
    const other = uniqueEmail('email');
    const mine = await createFor(email);
    await createFor(other);
    expect(ids((await list({ q: email })).items)).toEqual([mine.id]);
    expect(ids((await list({ q: email.toUpperCase() })).items)).toEqual([mine.id]);
    const named = await t.call('POST', '/v1/orders', orderBody({ customer: { email: uniqueEmail(), name: 'Grace Hopperfield' } }));
    expect(ids((await list({ q: 'hopperfield' })).items)).toEqual([named.body.id]);
  });

  it('treats LIKE wildcards in q as plain text', async () => {
    await createFor(uniqueEmail('wild'));
    expect((await list({ q: '%' })).items).toEqual([]);
    expect((await list({ q: '_' })).items).toEqual([]);
  });

  it('combines filters', async () => {
    const email = uniqueEmail('combined');
    const a = await createFor(email);
    const b = await createFor(email);
    await t.call('POST', `/v1/orders/${a.id}/transitions`, { to: 'shipped' });
    expect(ids((await list({ q: email, workflow: 'standard', status: 'fulfillment:shipped' })).items)).toEqual([a.id]);
    expect(ids((await list({ q: email, workflow: 'standard', status: 'unfulfilled' })).items)).toEqual([b.id]);
  });
});

describe('cursor pagination', () => {
  it('walks every page newest first: no duplicates, none missing, nextCursor null at the end', async () => {
    const email = uniqueEmail('pages');
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await createFor(email)).id);
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const body: { items: Listed[]; nextCursor: string | null } = await list({ q: email, limit: '3', ...(cursor ? { cursor } : {}) });
      sizes.push(body.items.length);
      seen.push(...ids(body.items));
      cursor = body.nextCursor;
      if (cursor === null) break;
      expect(cursor).toBe(body.items.at(-1)!.id);
    }
    expect(sizes).toEqual([3, 3, 1]);
    expect(cursor).toBeNull();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...created].reverse());
  });

  it('ends without an empty page when the last page is full', async () => {
    const email = uniqueEmail('fullpage');
    for (let i = 0; i < 4; i++) await createFor(email);
    const first = await list({ q: email, limit: '2' });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await list({ q: email, limit: '2', cursor: first.nextCursor! });
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
  });

  it('pages filtered lists too, keeping the filter across pages', async () => {
    const email = uniqueEmail('filteredpages');
    const keep: string[] = [];
    for (let i = 0; i < 5; i++) {
      const o = await createFor(email);
      if (i % 2 === 0) await t.call('POST', `/v1/orders/${o.id}/transitions`, { to: 'cancelled' });
      else keep.push(o.id);
    }
    const first = await list({ q: email, status: 'placed', limit: '1' });
    const second = await list({ q: email, status: 'placed', limit: '1', cursor: first.nextCursor! });
    expect([...ids(first.items), ...ids(second.items)]).toEqual([...keep].reverse());
    expect(second.nextCursor).toBeNull();
  });

  it('gives 20 by default and at most 100', async () => {
    const email = uniqueEmail('default');
    for (let i = 0; i < 21; i++) await createFor(email);
    const page = await list({ q: email });
    expect(page.items).toHaveLength(20);
    expect(page.nextCursor).not.toBeNull();
    const rest = await list({ q: email, cursor: page.nextCursor! });
    expect(rest.items).toHaveLength(1);
    expect((await list({ q: email, limit: '100' })).items).toHaveLength(21);
    expect((await list({ q: email, limit: '1' })).items).toHaveLength(1);
  });

  it('refuses a limit out of range or not a whole number (400)', async () => {
    for (const limit of ['0', '101', '-1', '1.5', 'ten', '', '1e2']) {
      const res = await t.call('GET', `/v1/orders?limit=${encodeURIComponent(limit)}`);
      expectProblem(res, 400, 'invalid_request');
    }
  });

  it('refuses a q with a NUL character with 400, not a 500', async () => {
    expectProblem(await t.call('GET', '/v1/orders?q=a%00b'), 400, 'invalid_request');
  });

  it('refuses a malformed cursor and unknown query parameters (400)', async () => {
    expectProblem(await t.call('GET', '/v1/orders?cursor=not-a-cursor'), 400, 'invalid_request');
    expectProblem(await t.call('GET', '/v1/orders?sort=asc'), 400, 'invalid_request');
  });
});
