/** GET /v1/workflows and /v1/workflows/{name}: the statuses, who may move them, as JSON or Mermaid. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectProblem } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

interface Track {
  id: string;
  initial: string;
  states: Array<{ id: string; kind: string }>;
  transitions: Array<{ from: string[] | '*'; to: string; actors: string[] }>;
}

const REQUIRED = {
  order: ['draft', 'placed', 'completed', 'cancelled'],
  payment: ['unpaid', 'authorized', 'partially_paid', 'paid', 'partially_refunded', 'refunded', 'voided', 'failed', 'unknown'],
  fulfillment: ['unfulfilled', 'partially_shipped', 'shipped', 'partially_delivered', 'delivered', 'returned'],
};

describe('GET /v1/workflows', () => {
  it('lists the standard workflow with its tracks', async () => {
    const res = await t.call('GET', '/v1/workflows');
    expect(res.status).toBe(200);
    const standard = res.body.items.find((w: { name: string }) => w.name === 'standard');
    expect(standard).toMatchObject({ name: 'standard', version: 1, tracks: ['order', 'payment', 'fulfillment'] });
    expect(standard.label).toEqual(expect.any(String));
    expect(standard.description.length).toBeGreaterThan(0);
    expect(new Set(res.body.items.map((w: { name: string }) => w.name)).size).toBe(res.body.items.length);
  });
});

describe('GET /v1/workflows/standard', () => {
  it('has the three tracks with at least the state ids the issue asks for', async () => {
    const res = await t.call('GET', '/v1/workflows/standard');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ name: 'standard', version: 1 });
    const tracks = res.body.tracks as Track[];
    expect(tracks.map((tr) => tr.id)).toEqual(['order', 'payment', 'fulfillment']);
    for (const [id, states] of Object.entries(REQUIRED)) {
      const track = tracks.find((tr) => tr.id === id)!;
      expect(track.states.map((s) => s.id), id).toEqual(expect.arrayContaining(states));
      for (const s of track.states) expect(['temporary', 'permanent', 'terminal']).toContain(s.kind);
    }
    expect(tracks.map((tr) => tr.initial)).toEqual(['draft', 'unpaid', 'unfulfilled']);
  });

  it('says who may take each transition: admins cancel placed orders, customers never mark them paid', async () => {
    const tracks = (await t.call('GET', '/v1/workflows/standard')).body.tracks as Track[];
    const order = tracks.find((tr) => tr.id === 'order')!;
    const payment = tracks.find((tr) => tr.id === 'payment')!;
    const cancel = order.transitions.filter((tr) => tr.to === 'cancelled' && tr.from !== '*' && tr.from.includes('placed'));
    expect(cancel.flatMap((tr) => tr.actors)).toContain('admin');
    const toPaid = payment.transitions.filter((tr) => tr.to === 'paid');
    expect(toPaid.length).toBeGreaterThan(0);
    expect(toPaid.flatMap((tr) => tr.actors)).not.toContain('customer');
    expect(toPaid.flatMap((tr) => tr.actors)).toContain('admin');
  });

  it('?format=json is the same as no format', async () => {
    const plain = await t.call('GET', '/v1/workflows/standard');
    const json = await t.call('GET', '/v1/workflows/standard?format=json');
    expect(json.status).toBe(200);
    expect(json.body).toEqual(plain.body);
  });

  it('?format=mermaid is a Mermaid state diagram as text', async () => {
    const res = await t.call('GET', '/v1/workflows/standard?format=mermaid');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/vnd\.mermaid/);
    expect(res.text.startsWith('stateDiagram-v2')).toBe(true);
    expect(res.text).toBe(await t.ordo.workflows.mermaid('standard'));
    for (const states of Object.values(REQUIRED)) for (const s of states) expect(res.text).toContain(s);
    expect(res.text).toMatch(/order_placed --> order_cancelled/);
  });

  it('refuses an unknown format (400)', async () => {
    expectProblem(await t.call('GET', '/v1/workflows/standard?format=svg'), 400, 'invalid_request');
  });
});

describe('unknown workflows', () => {
  it('answer 404 problem+json, as JSON or Mermaid', async () => {
    const res = await t.call('GET', '/v1/workflows/no-such-flow');
    expectProblem(res, 404, 'unknown_workflow');
    expect(res.body.detail).toContain('no-such-flow');
    expectProblem(await t.call('GET', '/v1/workflows/no-such-flow?format=mermaid'), 404, 'unknown_workflow');
  });
});
