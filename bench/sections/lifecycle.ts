/**
 * The HTTP lifecycle: checkout with a card payment settled at once (simulated gateway), then
 * fulfil, ship, deliver: four calls to `ordo serve` in a separate process, from this process's
 * undici clients. Per client count: lifecycles/s, p50/p99 per call, the server's CPU per
 * lifecycle and RSS and the embedded PostgreSQL's CPU (from /proc), and the raw PostgreSQL
 * ceiling for the same write commits.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ownDatabaseOn } from '../database.js';
import { ceilingSeconds, createCeilingTable, minimalCommit, nextXid } from '../ceiling.js';
import { monotonicMicros, summarizeProfile, type ProfileSummary, type Window } from '../cpu-profile.js';
import { OrdoClient, type Latencies } from '../http-client.js';
import { ensureBuild, startOrdoServer, type OrdoServer } from '../ordo-server.js';
import { cpuMillis, sampleRss, treeCpuMillis } from '../proc.js';
import { progress } from '../progress.js';
import { keep, say, type Common, type SectionReport } from '../section.js';
import { percentile, round, showSpread, spread, fmt, type Spread } from '../stats.js';

export interface LifecycleOptions extends Common {
  readonly clients: readonly number[];
  readonly duration: number;
  readonly runs: number;
  readonly warmup: number;
  /** Ordo processes sharing the one database; clients are spread over them. */
  readonly servers: number;
  /** Also profile the server under the load of the last client count. */
  readonly cpuProf: boolean;
  /** Single status changes over HTTP at one client (0: skip). */
  readonly statusChanges: number;
}

interface OrderAnswer { id: string; lines: { id: string }[]; fulfillments: { id: string }[]; status: Record<string, string> }

const CHECKOUT = {
  currency: 'EUR',
  customer: { email: 'bench@example.com', name: 'Bench Buyer' },
  lines: [{ sku: 'TEE-M', name: 'T-shirt', quantity: 1, unitPrice: 1999 }],
  shipping: { amount: 495 },
  payment: { method: 'card' },
};

/** One lifecycle, four calls; the last order's state is checked once per run (see check()). */
export async function lifecycle(c: OrdoClient, n: number): Promise<string> {
  const order = (await c.call<OrderAnswer>('checkout', 'POST', '/v1/orders', CHECKOUT, 201)).json;
  const parcel = { lines: [{ lineId: order.lines[0]!.id, quantity: 1 }], carrier: 'DHL', trackingNumber: `B${n}` };
  const fulfilled = (await c.call<OrderAnswer>('fulfil', 'POST', `/v1/orders/${order.id}/fulfillments`, parcel)).json;
  const fid = fulfilled.fulfillments.at(-1)!.id;
  await c.call('ship', 'POST', `/v1/fulfillments/${fid}/transitions`, { to: 'shipped' }, 200);
  await c.call('deliver', 'POST', `/v1/fulfillments/${fid}/transitions`, { to: 'delivered' }, 200);
  return order.id;
}

/** The lifecycle must end paid and delivered: a bench of calls that did nothing would be worthless. */
export async function check(c: OrdoClient, id: string): Promise<void> {
  const { json } = await c.call<OrderAnswer>('check', 'GET', `/v1/orders/${id}`, undefined, 200);
  if (json.status.payment !== 'paid' || json.status.fulfillment !== 'delivered') throw new Error(`a lifecycle ended ${JSON.stringify(json.status)}, not paid and delivered`);
}

interface Load { readonly lifecycles: number; readonly seconds: number; readonly lastOrder: string | undefined }

/** `clients` loops, each on its server's pool, until the time is up; every lifecycle started is finished. */
async function load(pools: readonly OrdoClient[], clients: number, seconds: number): Promise<Load> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let n = 0;
  let lastOrder: string | undefined;
  await Promise.all(Array.from({ length: clients }, async (_, i) => {
    const c = pools[i % pools.length]!;
    while (performance.now() < deadline) lastOrder = await lifecycle(c, n++);
  }));
  return { lifecycles: n, seconds: (performance.now() - started) / 1000, lastOrder };
}

/** p50 and p99 of some latencies, in ms. */
export interface Tail { readonly p50: number; readonly p99: number }
const tailOf = (ms: readonly number[]): Tail => ({ p50: round(percentile(ms, 50), 2), p99: round(percentile(ms, 99), 2) });

/** A tail over several runs: the spread of their p50s and of their p99s. */
export interface TailSpread { readonly p50: Spread; readonly p99: Spread }
const tailSpread = (tails: readonly Tail[]): TailSpread => ({ p50: spread(tails.map((t) => t.p50), 2), p99: spread(tails.map((t) => t.p99), 2) });

export interface LifecycleRun {
  readonly perSecond: number;
  readonly serverCpuMsPerLifecycle: number;
  /** The embedded PostgreSQL's, all its processes (none when the database is external). */
  readonly postgresCpuMsPerLifecycle?: number;
  readonly clientCpuMsPerLifecycle: number;
  readonly writesPerLifecycle: number;
  readonly ceilingPerSecond: number;
  readonly rssMaxMb: number;
  readonly latency: Record<string, Tail>;
}

async function measure(servers: readonly OrdoServer[], clients: number, seconds: number, xidDb: pg.Client): Promise<LifecycleRun> {
  const pools = servers.map((s) => new OrdoClient(s.base, s.adminKey, clients));
  try {
    const cpu = () => servers.reduce((sum, s) => sum + cpuMillis(s.pid), 0);
    const postmaster = servers[0]!.postmasterPid;
    const pgCpu = () => (postmaster ? treeCpuMillis(postmaster) : 0);
    const rss = servers.map((s) => sampleRss(s.pid));
    const [cpu0, pg0, xid0, own0] = [cpu(), pgCpu(), await nextXid(xidDb), process.cpuUsage()];
    const result = await load(pools, clients, seconds);
    const [cpu1, pg1, xid1, own1] = [cpu(), pgCpu(), await nextXid(xidDb), process.cpuUsage(own0)];
    const rssMax = Math.max(...rss.map((stop) => Math.max(...stop())));
    if (result.lastOrder) await check(pools[0]!, result.lastOrder);
    const writes = xid1 - xid0 - 1; // the first nextXid read is itself no write
    const ceiling = await ceilingSeconds(servers[0]!.databaseUrl, clients, Math.max(1, writes));
    const latency = Object.fromEntries([...merge(pools.map((p) => p.latencies))].map(([call, ms]) => [call, tailOf(ms)]));
    delete latency.check;
    return {
      perSecond: round(result.lifecycles / result.seconds),
      serverCpuMsPerLifecycle: round((cpu1 - cpu0) / result.lifecycles, 2),
      ...(postmaster ? { postgresCpuMsPerLifecycle: round((pg1 - pg0) / result.lifecycles, 2) } : {}),
      clientCpuMsPerLifecycle: round((own1.user + own1.system) / 1000 / result.lifecycles, 2),
      writesPerLifecycle: round(writes / result.lifecycles, 2),
      ceilingPerSecond: round(result.lifecycles / ceiling),
      rssMaxMb: round(rssMax),
      latency,
    };
  } finally {
    await Promise.allSettled(pools.map((p) => p.close()));
  }
}

function merge(all: readonly Latencies[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const l of all) for (const [call, ms] of l.byCall) out.set(call, [...(out.get(call) ?? []), ...ms]);
  return out;
}

export interface StatusChangeRun extends Tail {
  readonly count: number;
  /**
   * The machine's floor at the same moments, each taken right after a status change: an HTTP
   * request whose only work is one database ping (GET /healthz), and one minimal commit sent
   * from this process. A status change is both and more: its tail cannot be shorter than theirs.
   */
  readonly floor: { readonly healthz: Tail; readonly commit: Tail };
}

/**
 * Single status changes over HTTP, one at a time: a parcel's shipped and delivered
 * (POST /v1/fulfillments/:id/transitions) on paid orders prepared untimed beforehand, each
 * followed by the floor's two requests.
 */
async function statusChanges(server: OrdoServer, count: number): Promise<StatusChangeRun> {
  const c = new OrdoClient(server.base, server.adminKey, 1);
  const db = new pg.Client({ connectionString: server.databaseUrl });
  try {
    await db.connect();
    await createCeilingTable(db);
    const parcels: string[] = [];
    for (let i = 0; i < Math.ceil(count / 2); i++) {
      const order = (await c.call<OrderAnswer>('prepare', 'POST', '/v1/orders', CHECKOUT, 201)).json;
      const parcel = { lines: [{ lineId: order.lines[0]!.id, quantity: 1 }], carrier: 'DHL', trackingNumber: `S${i}` };
      parcels.push((await c.call<OrderAnswer>('prepare', 'POST', `/v1/orders/${order.id}/fulfillments`, parcel)).json.fulfillments.at(-1)!.id);
    }
    const commits: number[] = [];
    let done = 0;
    for (const to of ['shipped', 'delivered']) {
      for (const fid of parcels) {
        if (done++ >= count) break;
        await c.call('transition', 'POST', `/v1/fulfillments/${fid}/transitions`, { to }, 200);
        await c.call('healthz', 'GET', '/healthz', undefined, 200);
        const started = performance.now();
        await minimalCommit(db);
        commits.push(performance.now() - started);
      }
    }
    const ms = c.latencies.byCall.get('transition')!;
    return { ...tailOf(ms), count: ms.length, floor: { healthz: tailOf(c.latencies.byCall.get('healthz')!), commit: tailOf(commits) } };
  } finally {
    await c.close();
    await db.end().catch(() => {});
  }
}

/** The servers, each on the first one's database: its own embedded one, or a database the bench made. */
async function startServers(opts: LifecycleOptions, dataDir: string, cpuProfDir?: string): Promise<{ servers: OrdoServer[]; dispose: () => Promise<void> }> {
  const own = opts.databaseUrl ? await ownDatabaseOn(opts.databaseUrl) : undefined;
  const servers: OrdoServer[] = [];
  const dispose = async () => {
    for (const s of servers.reverse()) await s.stop();
    await own?.dispose();
  };
  try {
    const first = await startOrdoServer({ ...(own ? { databaseUrl: own.url } : { dataDir }), ...(cpuProfDir ? { cpuProfDir } : {}) });
    servers.push(first);
    for (let i = 1; i < opts.servers; i++) servers.push(await startOrdoServer({ databaseUrl: first.databaseUrl }));
    return { servers, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

export interface LifecycleFigures {
  readonly servers: number;
  readonly byClients: Record<string, { runs: LifecycleRun[]; perSecond: Spread; ceilingPerSecond: Spread; serverCpuMs: Spread; postgresCpuMs?: Spread; clientCpuMs: Spread; rssMaxMb: Spread; writesPerLifecycle: number; latency: Record<string, TailSpread> }>;
  readonly statusChange?: TailSpread & { count: number; floor: { healthz: TailSpread; commit: TailSpread } };
  readonly profile?: ProfileSummary;
}

export async function runLifecycle(opts: LifecycleOptions): Promise<SectionReport> {
  ensureBuild(say);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ordo-bench-lifecycle-'));
  // BENCH_CPU_PROF_KEEP=<dir>: the profile is written there and kept, to be read function by function.
  const profDir = opts.cpuProf ? process.env.BENCH_CPU_PROF_KEEP ?? path.join(tmp, 'profile') : undefined;
  const { servers, dispose } = await startServers(opts, path.join(tmp, 'data'), profDir);
  const xidDb = new pg.Client({ connectionString: servers[0]!.databaseUrl });
  const figures: { -readonly [K in keyof LifecycleFigures]: LifecycleFigures[K] } = { servers: opts.servers, byClients: {} };
  const bar = progress(opts.clients.length * (opts.warmup + opts.runs * opts.duration));
  let window: Window | undefined;
  try {
    await xidDb.connect();
    for (const clients of opts.clients) {
      bar.begin(`warm-up, ${clients} client(s)`, opts.warmup);
      await measure(servers, clients, opts.warmup, xidDb);
      bar.end('warm');
      const runs: LifecycleRun[] = [];
      const from = monotonicMicros();
      for (let i = 0; i < opts.runs; i++) {
        bar.begin(`${clients} client(s), run ${i + 1}/${opts.runs}`, opts.duration);
        const run = await measure(servers, clients, opts.duration, xidDb);
        runs.push(run);
        bar.end(`${fmt(run.perSecond)} lifecycles/s`);
      }
      // The profile covers the measured runs of the last client count: the load, not the start-up.
      window = { from, to: monotonicMicros() };
      const calls = Object.keys(runs[0]!.latency);
      figures.byClients[clients] = {
        runs,
        perSecond: spread(runs.map((r) => r.perSecond)),
        ceilingPerSecond: spread(runs.map((r) => r.ceilingPerSecond)),
        serverCpuMs: spread(runs.map((r) => r.serverCpuMsPerLifecycle), 2),
        ...(runs.every((r) => r.postgresCpuMsPerLifecycle !== undefined) ? { postgresCpuMs: spread(runs.map((r) => r.postgresCpuMsPerLifecycle!), 2) } : {}),
        clientCpuMs: spread(runs.map((r) => r.clientCpuMsPerLifecycle), 2),
        rssMaxMb: spread(runs.map((r) => r.rssMaxMb)),
        writesPerLifecycle: round(runs.reduce((s, r) => s + r.writesPerLifecycle, 0) / runs.length, 2),
        latency: Object.fromEntries(calls.map((call) => [call, tailSpread(runs.map((r) => r.latency[call]!))])),
      };
    }
    bar.stop();
    if (opts.statusChanges > 0) {
      say(`${opts.statusChanges} status changes over HTTP, one client, ${opts.runs} runs`);
      const runs: StatusChangeRun[] = [];
      for (let i = 0; i < opts.runs; i++) runs.push(await statusChanges(servers[0]!, opts.statusChanges));
      figures.statusChange = {
        ...tailSpread(runs), count: opts.statusChanges,
        floor: { healthz: tailSpread(runs.map((r) => r.floor.healthz)), commit: tailSpread(runs.map((r) => r.floor.commit)) },
      };
    }
  } finally {
    bar.stop();
    await xidDb.end().catch(() => {});
    await dispose();
  }
  if (profDir) {
    const file = (await readdir(profDir)).find((f) => f.endsWith('.cpuprofile'));
    if (file) figures.profile = await summarizeProfile(path.join(profDir, file), window);
  }
  await rm(tmp, { recursive: true, force: true });
  return keep({ section: opts.servers > 1 ? `lifecycle-${opts.servers}-servers` : 'lifecycle', markdown: lifecycleMarkdown(figures, opts), figures });
}

export function lifecycleMarkdown(f: LifecycleFigures, opts: LifecycleOptions): string {
  const lines = [
    `HTTP lifecycle (checkout with card settled, fulfil, ship, deliver), ${f.servers} Ordo process(es) on one PostgreSQL, median (min–max) of ${opts.runs} runs of ${opts.duration} s:`,
    '',
    '| clients | lifecycles/s | raw pg ceiling, same commits | Ordo CPU ms / lifecycle | PostgreSQL CPU ms / lifecycle | client CPU ms / lifecycle | server RSS MB (max) | write commits / lifecycle |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...Object.entries(f.byClients).map(([c, x]) => `| ${c} | ${showSpread(x.perSecond)} | ${showSpread(x.ceilingPerSecond)} | ${showSpread(x.serverCpuMs)} | ${x.postgresCpuMs ? showSpread(x.postgresCpuMs) : '— (external)'} | ${showSpread(x.clientCpuMs)} | ${showSpread(x.rssMaxMb)} | ${x.writesPerLifecycle} |`),
    '',
    '| clients | call | p50 ms | p99 ms |',
    '| ---: | --- | ---: | ---: |',
    ...Object.entries(f.byClients).flatMap(([c, x]) => Object.entries(x.latency).map(([call, l]) => `| ${c} | ${call} | ${showSpread(l.p50)} | ${showSpread(l.p99)} |`)),
  ];
  if (f.statusChange) {
    const sc = f.statusChange;
    lines.push('', `One parcel status change over HTTP (POST /v1/fulfillments/:id/transitions, shipped or delivered), 1 client, ${sc.count} changes per run, each followed by the machine's floor: a GET /healthz (an HTTP request whose only work is a database ping) and one minimal commit (one INSERT, sent by the bench):`, '',
      '| request | p50 ms | p99 ms |', '| --- | ---: | ---: |',
      `| status change | ${showSpread(sc.p50)} | ${showSpread(sc.p99)} |`,
      `| floor: GET /healthz | ${showSpread(sc.floor.healthz.p50)} | ${showSpread(sc.floor.healthz.p99)} |`,
      `| floor: one minimal commit | ${showSpread(sc.floor.commit.p50)} | ${showSpread(sc.floor.commit.p99)} |`);
  }
  if (f.profile) {
    lines.push('', `Server CPU profile under the last load (--cpu-prof, ${fmt(f.profile.totalMs)} ms of CPU outside idle during the measured runs of the last client count; the ceiling's runs in between are idle time for the server):`, '',
      '| where (self time) | ms | share |', '| --- | ---: | ---: |',
      ...f.profile.byPlace.slice(0, 10).map((p) => `| ${p.name} | ${fmt(p.ms)} | ${(p.share * 100).toFixed(1)} % |`), '',
      '| function (self time) | ms | share |', '| --- | ---: | ---: |',
      ...f.profile.byFunction.slice(0, 15).map((p) => `| \`${p.name}\` | ${fmt(p.ms)} | ${(p.share * 100).toFixed(1)} % |`));
  }
  return lines.join('\n');
}
