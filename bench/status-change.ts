/**
 * Status changes per second: Ordo's engine in-process against the raw PostgreSQL ceiling for
 * the same transaction shape, on the same database, tables and seeded orders, side by side.
 *
 *   npm run bench -- status-change [--duration 5 --runs 5 --clients 8 --warmup 3 --database-url URL]
 *   (or BENCH_DURATION, BENCH_RUNS, BENCH_CLIENTS, BENCH_WARMUP)
 *
 * See bench/README.md for what is measured and the latest figures.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { createOrdo, type Ordo } from '../src/engine/ordo.js';
import type { Actor } from '../src/domain/actor.js';
import { benchDatabase } from './database.js';
import { progress, type Progress } from './progress.js';
import type { SectionReport } from './section.js';

const ADMIN: Actor = { kind: 'admin', id: 'bench' };

/**
 * What every seeded order goes through: six status changes an admin may take in the standard
 * workflow, each yielding exactly one history and one outbox row. An admin holds the order for
 * review and accepts it, three times over (the goods' track moves only with parcels now), then
 * records the payment, whose stock effect (commit) takes the engine's transaction path.
 */
const STEPS = [
  { track: 'order', to: 'in_review' },
  { track: 'order', to: 'placed' },
  { track: 'order', to: 'in_review' },
  { track: 'order', to: 'placed' },
  { track: 'order', to: 'in_review' },
  { track: 'payment', to: 'paid' },
] as const;
type Step = (typeof STEPS)[number];

/** Orders are seeded for this multiple of the fastest rate seen so far, so that no client runs dry. */
const HEADROOM = 2;
const WARMUP_ORDERS_PER_CLIENT = 250;

type Side = 'ordo' | 'raw';
/** One status change on one order by one of the concurrent clients. */
type Change = (client: number, orderId: string, step: Step) => Promise<void>;

export interface StatusChangeOptions {
  readonly durationSeconds: number;
  readonly runs: number;
  readonly clients: number;
  readonly warmupSeconds: number;
  /** A server to create the bench's own database on (else embedded PostgreSQL in a temp dir). */
  readonly databaseUrl?: string;
}

/** Through the engine's public API, whatever it does per command; any refusal ends the benchmark. */
const ordoChange = (ordo: Ordo): Change => async (_client, id, step) => {
  const result = await ordo.orders.execute(id, { type: 'transition', track: step.track, to: step.to }, ADMIN);
  if (!result.ok) throw new Error(`Ordo refused ${step.track} -> ${step.to} on ${id}: ${result.code}: ${result.message}`);
};

/**
 * The ceiling: the smallest honest transaction for the same change, one statement per round
 * trip, prepared, on a connection per client: lock, update with version, history, outbox, commit.
 */
const rawChange = (clients: readonly pg.Client[]): Change => async (client, id, step) => {
  const db = clients[client]!;
  await db.query('BEGIN');
  try {
    const locked = await db.query<{ status: Record<string, string>; version: number; workflow: string }>({
      name: 'raw_lock', text: 'SELECT status, version, workflow FROM orders WHERE id = $1 FOR UPDATE', values: [id],
    });
    const row = locked.rows[0];
    if (!row) throw new Error(`raw: no order ${id}`);
    const from = row.status[step.track]!;
    const status = { ...row.status, [step.track]: step.to };
    const tags = Object.entries(status).flatMap(([track, state]) => [state, `${track}:${state}`]);
    const now = new Date();
    const updated = await db.query({
      name: 'raw_update',
      // The order counts its events: the outbox row takes the next number (migration 012).
      text: 'UPDATE orders SET status = $3, status_tags = $4, version = version + 1, updated_at = $5, events = events + 1 WHERE id = $1 AND version = $2 RETURNING events, code',
      values: [id, row.version, JSON.stringify(status), tags, now],
    });
    if (updated.rowCount !== 1) throw new Error(`raw: order ${id} moved on under its lock`);
    const { events, code } = updated.rows[0] as { events: number; code: number | null };
    await db.query({
      name: 'raw_history',
      text: `INSERT INTO order_history (id, order_id, type, track, from_state, to_state, actor_kind, actor_id, at)
             VALUES ($1, $2, 'order.status_changed', $3, $4, $5, 'admin', 'bench', $6)`,
      values: [uuidv7(), id, step.track, from, step.to, now],
    });
    const payload = { orderId: id, workflow: row.workflow, version: row.version + 1, status, actor: { kind: 'admin', id: 'bench' }, track: step.track, from, to: step.to };
    await db.query({
      name: 'raw_outbox',
      text: `INSERT INTO outbox (id, order_id, type, payload, created_at, sequence, order_code) VALUES ($1, $2, 'order.status_changed', $3, $4, $5, $6)`,
      values: [uuidv7(), id, JSON.stringify(payload), now, events, code],
    });
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => {});
    throw err;
  }
};

/** Empties the tables, then creates `perClient` placed orders for each client through the engine. */
async function seed(ordo: Ordo, clients: number, perClient: number): Promise<string[][]> {
  await ordo.pool.query('TRUNCATE orders, order_history, outbox, order_search, order_skus CASCADE');
  const input = {
    currency: 'EUR',
    customer: { id: 'cus_bench', email: 'bench@example.com', name: 'Bench Customer' },
    lines: [{ sku: 'TEE-M', name: 'T-shirt', quantity: 2, unitPrice: 1990 }, { sku: 'MUG', name: 'Mug', quantity: 1, unitPrice: 890 }],
  };
  return Promise.all(Array.from({ length: clients }, async () => {
    const ids: string[] = [];
    for (let i = 0; i < perClient; i++) {
      const created = await ordo.orders.create(input, ADMIN);
      if (!created.ok) throw new Error(`seeding: ${created.code}: ${created.message}`);
      ids.push(created.value.id);
    }
    return ids;
  }));
}

const rowCount = async (pool: pg.Pool) =>
  (await pool.query<{ n: number }>('SELECT (SELECT count(*) FROM order_history) + (SELECT count(*) FROM outbox) AS n')).rows[0]!.n;

/**
 * Each client walks its own orders through STEPS until the time is up (no two clients share an
 * order, so nothing conflicts). Every change started is awaited and counted, and the elapsed
 * time runs until the last one ends. A failure stops every client and is rethrown.
 */
async function timed(change: Change, orders: readonly string[][], seconds: number, mayRunDry: boolean) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let failed = false;
  const results = await Promise.allSettled(orders.map(async (mine, client) => {
    let n = 0;
    for (const id of mine) {
      for (const step of STEPS) {
        if (failed || performance.now() >= deadline) return n;
        try {
          await change(client, id, step);
        } catch (err) {
          failed = true;
          throw err;
        }
        n++;
      }
    }
    if (!mayRunDry) throw new Error(`client ${client} ran out of seeded orders after ${n} changes; raise HEADROOM`);
    return n;
  }));
  const elapsed = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
  const changes = results.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value : 0), 0);
  // This process's CPU per change (the database's is not in it): what the engine costs on top of the driver.
  return { changes, seconds: round(elapsed, 3), perSecond: round(changes / elapsed, 1), nodeCpuMicrosPerChange: Math.round((user + system) / changes) };
}

interface RunResult {
  readonly changes: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly nodeCpuMicrosPerChange: number;
}

interface Bench {
  readonly ordo: Ordo;
  readonly changes: Record<Side, Change>;
  readonly clients: number;
  readonly progress: Progress;
}

/** One timed run of one side on freshly seeded orders, checked against what it wrote. */
async function run(ctx: Bench, side: Side, label: string, seconds: number, perClient: number, warmup = false): Promise<RunResult> {
  ctx.progress.note(`seeding for ${label}`);
  const orders = await seed(ctx.ordo, ctx.clients, perClient);
  const before = await rowCount(ctx.ordo.pool);
  ctx.progress.begin(label, seconds);
  const result = await timed(ctx.changes[side], orders, seconds, warmup);
  // Every change counted must have left exactly one history and one outbox row, no more, no less.
  const written = (await rowCount(ctx.ordo.pool)) - before;
  if (written !== 2 * result.changes) throw new Error(`${label}: ${result.changes} changes counted but ${written} history + outbox rows written`);
  ctx.progress.end(`${label}: ${fmt(result.perSecond)}/s`);
  return result;
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const summary = (runs: readonly RunResult[]) => {
  const rates = runs.map((r) => r.perSecond);
  return {
    median: round(median(rates), 1),
    min: Math.min(...rates),
    max: Math.max(...rates),
    nodeCpuMicrosPerChange: Math.round(median(runs.map((r) => r.nodeCpuMicrosPerChange))),
    runs,
  };
};

export async function runStatusChange(opts: StatusChangeOptions): Promise<SectionReport> {
  const loadAtStart = os.loadavg().map((l) => round(l, 2));
  const db = await benchDatabase(opts.databaseUrl);
  let ordo: Ordo | undefined;
  const rawClients: pg.Client[] = [];
  let bar: Progress | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanUp = () => (cleaning ??= (async () => {
    bar?.stop();
    await Promise.allSettled(rawClients.map((c) => c.end()));
    await ordo?.close().catch(() => {});
    await db.dispose();
  })());
  // Ctrl-C must not leave a PostgreSQL server or a database behind.
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  try {
    ordo = await createOrdo({ databaseUrl: db.url, poolSize: opts.clients });
    for (let i = 0; i < opts.clients; i++) {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      rawClients.push(client);
    }
    const changes: Record<Side, Change> = { ordo: ordoChange(ordo), raw: rawChange(rawClients) };
    bar = progress(2 * opts.warmupSeconds + 2 * opts.runs * opts.durationSeconds);
    const ctx: Bench = { ordo, changes, clients: opts.clients, progress: bar };

    // Warm-up: JIT, connection and plan caches, table files; it also sizes the seed for the runs.
    let fastest = 0;
    for (const side of ['ordo', 'raw'] as const) {
      fastest = Math.max(fastest, (await run(ctx, side, `warm-up ${side}`, opts.warmupSeconds, WARMUP_ORDERS_PER_CLIENT, true)).perSecond);
    }

    const results: Record<Side, RunResult[]> = { ordo: [], raw: [] };
    for (let i = 0; i < opts.runs; i++) {
      // Alternate which side goes first (ABBA), so that drift over time (WAL, checkpoints, caches) hits both alike.
      for (const side of i % 2 === 0 ? (['ordo', 'raw'] as const) : (['raw', 'ordo'] as const)) {
        const perClient = Math.ceil((fastest * opts.durationSeconds * HEADROOM) / opts.clients / STEPS.length);
        const r = await run(ctx, side, `${side} run ${i + 1}/${opts.runs}`, opts.durationSeconds, perClient);
        fastest = Math.max(fastest, r.perSecond);
        results[side].push(r);
      }
    }
    bar.stop();
    bar = undefined;

    const settings = await ordo.pool.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'shared_buffers', 'max_connections')`,
    );
    const pgInfo = Object.fromEntries(settings.rows.map((r) => [r.name, r.setting]));
    const ordoSummary = summary(results.ordo);
    const rawSummary = summary(results.raw);
    const ratio = ordoSummary.median / rawSummary.median;
    const report = {
      benchmark: 'status-change',
      date: new Date().toISOString(),
      unit: 'status changes per second',
      options: { ...opts, databaseUrl: undefined, stepsPerOrder: STEPS.length },
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        os: `${os.type()} ${os.release()} ${os.arch()}`,
        // Others on the machine skew the figures: the load when the runs began says whether they did.
        loadAverageAtStart: loadAtStart,
        node: process.version,
        postgres: pgInfo.server_version,
        database: db.kind,
        postgresSettings: pgInfo,
      },
      ordo: ordoSummary,
      raw: rawSummary,
      ratio: round(ratio, 3),
    };
    const out = new URL('./results/status-change.json', import.meta.url);
    await mkdir(new URL('.', out), { recursive: true });
    await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);

    const line = (name: string, s: ReturnType<typeof summary>) =>
      `  ${name.padEnd(18)} ${fmt(s.median).padStart(7)}/s   (min ${fmt(s.min)}, max ${fmt(s.max)}; Node CPU ${s.nodeCpuMicrosPerChange} µs/change)`;
    const text = [
      `status changes per second, ${opts.clients} clients, median of ${opts.runs} runs of ${opts.durationSeconds} s`,
      `(PostgreSQL ${pgInfo.server_version} ${db.kind}, Node ${process.version}, ${os.cpus().length} CPUs)`,
      line('Ordo engine', ordoSummary),
      line('raw pg ceiling', rawSummary),
      `  ratio Ordo / ceiling: ${ratio.toFixed(2)}`,
      `results: ${path.relative(process.cwd(), fileURLToPath(out))}`,
    ].join('\n');
    const markdown = [
      `In-process status changes per second (engine vs raw pg ceiling, same transaction shape), ${opts.clients} clients, median (min–max) of ${opts.runs} runs of ${opts.durationSeconds} s:`,
      '',
      '| side | changes/s | Node CPU µs / change |',
      '| --- | ---: | ---: |',
      `| Ordo engine | ${fmt(ordoSummary.median)} (${fmt(ordoSummary.min)}–${fmt(ordoSummary.max)}) | ${ordoSummary.nodeCpuMicrosPerChange} |`,
      `| raw pg ceiling | ${fmt(rawSummary.median)} (${fmt(rawSummary.min)}–${fmt(rawSummary.max)}) | ${rawSummary.nodeCpuMicrosPerChange} |`,
      `| **ratio** | **${ratio.toFixed(2)}** | |`,
    ].join('\n');
    return { section: 'status-change', markdown, figures: report, text };
  } finally {
    await cleanUp();
  }
}
