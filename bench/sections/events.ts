/**
 * Events out (issue 12): how fast the relay sends a backlog to a webhook endpoint, with one
 * relay process and with two, and how long an event takes from its command to the endpoint
 * at a steady rate of changes. The endpoint is a local HTTP server in a process of its own
 * (bench/webhook-receiver.mjs) that answers 200 at once.
 *
 * - Backlog: N events written in one transaction (synthetic `timer.extended` events of N/10
 *   orders, which no message is made of), while the relays already run; timed from that commit
 *   until the endpoint has received all N. Relays are `ordo relay` processes of the compiled build.
 * - Latency: `ordo serve` (its own relay), orders made beforehand; then cancellations over HTTP at
 *   a steady rate; for each, the endpoint's arrival time minus the event's `occurredAt` (the time
 *   the command decided it, a little before it committed: the figure is an upper bound).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { Pool } from 'undici';
import { entry } from '../../scripts/build-if-stale.mjs';
import { benchDatabase } from '../database.js';
import { ensureBuild, startOrdoServer } from '../ordo-server.js';
import { keep, say, type Common, type SectionReport } from '../section.js';
import { fmt, percentile, round, showSpread, spread, type Spread } from '../stats.js';

export interface EventsOptions extends Common {
  readonly backlog: number;
  readonly runs: number;
  /** Changes per second in the latency run, and for how long. */
  readonly rate: number;
  readonly seconds: number;
}

interface Receiver {
  readonly url: string;
  ask<T>(what: 'count' | 'latencies' | 'reset'): Promise<T>;
  stop(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const child = fork(fileURLToPath(new URL('../webhook-receiver.mjs', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [{ port }] = (await once(child, 'message')) as [{ port: number }];
  let queue = Promise.resolve<unknown>(undefined);
  const ask = <T>(what: string) => (queue = queue.then(async () => {
    child.send(what);
    return ((await once(child, 'message')) as [T])[0];
  })) as Promise<T>;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    ask,
    stop: async () => {
      child.send('stop');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

const waitFor = async (check: () => Promise<boolean>, what: string, ms = 600_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

function startRelay(databaseUrl: string): ChildProcess {
  const env = { ...process.env, DATABASE_URL: databaseUrl, ORDO_ALLOW_PRIVATE_WEBHOOKS: '1' };
  const child = spawn(process.execPath, [entry, 'relay'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return child;
}

async function relaying(child: ChildProcess): Promise<void> {
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => ((out += String(d)), out.includes('relay running') && resolve()));
    child.on('exit', (code) => reject(new Error(`ordo relay exited ${code}: ${out}`)));
  });
  child.stdout!.resume();
}

/** One backlog run: the relays run idle, the backlog commits at once, the endpoint counts. */
async function backlogRun(db: pg.Pool, databaseUrl: string, receiver: Receiver, processes: number, events: number): Promise<number> {
  await db.query('TRUNCATE outbox, webhook_deliveries');
  await receiver.ask('reset');
  const relays = Array.from({ length: processes }, () => startRelay(databaseUrl));
  try {
    await Promise.all(relays.map(relaying));
    const perOrder = 10;
    const client = await db.connect();
    let started: number;
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO outbox (id, order_id, type, payload, created_at, sequence)
         SELECT gen_random_uuid(), o.id, 'timer.extended', jsonb_build_object('actor', jsonb_build_object('kind', 'system', 'id', null), 'data', jsonb_build_object('name', 'basket', 'dueAt', now())), now(), s
         FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, $1::int)) o, generate_series(1, $2::int) s`,
        [Math.ceil(events / perOrder), perOrder],
      );
      await client.query("SELECT pg_notify('ordo_events', '')");
      await client.query('COMMIT');
      started = performance.now();
    } finally {
      client.release();
    }
    const total = Math.ceil(events / perOrder) * perOrder;
    await waitFor(async () => (await receiver.ask<{ received: number }>('count')).received >= total, `${total} deliveries`);
    return round(total / ((performance.now() - started) / 1000));
  } finally {
    for (const r of relays) r.kill('SIGINT');
    await Promise.all(relays.map((r) => (r.exitCode === null ? once(r, 'exit') : undefined)));
  }
}

/** The latency run: cancellations at a steady rate through `ordo serve`; the endpoint's arrival minus occurredAt. */
async function latencyRun(databaseUrl: string, receiver: Receiver, rate: number, seconds: number): Promise<{ p50: number; p99: number; max: number; n: number }> {
  process.env.ORDO_ALLOW_PRIVATE_WEBHOOKS = '1';
  const server = await startOrdoServer({ databaseUrl });
  const http = new Pool(server.base, { connections: 16 });
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await http.request({ method, path, headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
    return JSON.parse(text);
  };
  try {
    const count = rate * seconds;
    say(`latency: making ${fmt(count)} orders to cancel`);
    const ids: string[] = [];
    for (let i = 0; i < count; i += 16) {
      const made = await Promise.all(Array.from({ length: Math.min(16, count - i) }, () =>
        call('POST', '/v1/orders', { currency: 'EUR', customer: { email: 'bench@example.com' }, lines: [{ sku: 'MUG', quantity: 1, unitPrice: 1200 }] })));
      ids.push(...made.map((o: { id: string }) => o.id));
    }
    await waitFor(async () => (await receiver.ask<{ received: number }>('count')).received >= 2 * count, 'the orders\' own events');
    await receiver.ask('reset');
    say(`latency: ${rate} cancellations a second for ${seconds} s`);
    const started = performance.now();
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(call('POST', `/v1/orders/${ids[i]}/transitions`, { to: 'cancelled' }));
    }
    await Promise.all(pending);
    await waitFor(async () => (await receiver.ask<{ latencies: number[] }>('latencies')).latencies.length >= count, 'the cancellations\' deliveries', 120_000);
    const { latencies } = await receiver.ask<{ latencies: number[] }>('latencies');
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), n: latencies.length };
  } finally {
    await http.close();
    await server.stop();
  }
}

export async function runEvents(opts: EventsOptions): Promise<SectionReport> {
  ensureBuild(say);
  const base = await benchDatabase(opts.databaseUrl);
  const receiver = await startReceiver();
  const backlog: Record<number, { runs: number[]; perSecond: Spread }> = {};
  const latency: { p50: number; p99: number; max: number; n: number }[] = [];
  try {
    // The schema, and a subscription to every event at the local endpoint.
    const { createOrdo } = await import('../../src/engine/ordo.js');
    const ordo = await createOrdo({ databaseUrl: base.url, webhooks: { allowPrivateTargets: true } });
    try {
      const made = await ordo.webhooks.create({ url: receiver.url, events: ['*'], description: 'bench' });
      if (!made.ok) throw new Error(`making the bench's subscription: ${made.message}`);
      for (const processes of [1, 2]) {
        const runs: number[] = [];
        for (let i = 0; i < opts.runs; i++) {
          say(`backlog of ${fmt(opts.backlog)} events, ${processes} relay process(es), run ${i + 1}/${opts.runs}`);
          const perSecond = await backlogRun(ordo.pool, base.url, receiver, processes, opts.backlog);
          say(`  ${fmt(perSecond)} events/s delivered`);
          runs.push(perSecond);
        }
        backlog[processes] = { runs, perSecond: spread(runs) };
      }
      await ordo.pool.query('TRUNCATE outbox, webhook_deliveries');
    } finally {
      await ordo.close();
    }
    for (let i = 0; i < opts.runs; i++) {
      await receiver.ask('reset');
      const run = await latencyRun(base.url, receiver, opts.rate, opts.seconds);
      say(`  commit to endpoint: p50 ${run.p50} ms, p99 ${run.p99} ms (${run.n} events)`);
      latency.push(run);
    }
  } finally {
    await receiver.stop();
    await base.dispose();
  }
  const p50 = spread(latency.map((l) => l.p50));
  const p99 = spread(latency.map((l) => l.p99));
  const markdown = [
    `Webhook deliveries to a local endpoint (a separate process answering 200), median (min–max) of ${opts.runs} runs:`,
    '',
    '| what | measured | aim |',
    '| --- | --- | --- |',
    ...Object.entries(backlog).map(([p, r]) => `| backlog of ${fmt(opts.backlog)} events, ${p} relay process${p === '1' ? '' : 'es'} | ${showSpread(r.perSecond, ' events/s')} | ≥ 5,000 events/s |`),
    `| decision to endpoint at ${opts.rate} changes/s, p50 | ${showSpread(p50, ' ms')} | |`,
    `| decision to endpoint at ${opts.rate} changes/s, p99 | ${showSpread(p99, ' ms')} | ≤ 100 ms |`,
  ].join('\n');
  return keep({ section: 'events', markdown, figures: { backlog, latency } });
}
