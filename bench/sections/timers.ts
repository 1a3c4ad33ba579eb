/**
 * Timers: many orders past their payment deadline, fired by the sweeper in one process and
 * in two processes sharing the database (each a separate Node process on the compiled build).
 * Reported: timers fired per second, from "go" until the last sweeper is done.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import type { Actor } from '../../src/domain/actor.js';
import { benchDatabase } from '../database.js';
import { ensureBuild } from '../ordo-server.js';
import { keep, say, type Common, type SectionReport } from '../section.js';
import { fmt, round, showSpread, spread, type Spread } from '../stats.js';

export interface TimersOptions extends Common {
  readonly timers: number;
  readonly runs: number;
  /** The sweeper's batch size and concurrency, to compare with its defaults (unset: the defaults). */
  readonly batch?: number;
  readonly concurrency?: number;
}

const ADMIN: Actor = { kind: 'admin', id: 'bench' };
const TEMPLATES = 200;

/** Placed, unpaid standard orders: each waits on its payment deadline. Kept as templates for clones. */
async function makeTemplates(ordo: Ordo): Promise<void> {
  for (let i = 0; i < TEMPLATES; i++) {
    const made = await ordo.orders.create({ currency: 'EUR', customer: { email: `late${i}@example.com` }, lines: [{ sku: 'MUG', quantity: 1, unitPrice: 1200 }] }, ADMIN);
    if (!made.ok) throw new Error(`making a timer template: ${made.code}: ${made.message}`);
  }
  await ordo.pool.query('CREATE TABLE bench_timer_templates AS SELECT row_number() OVER (ORDER BY id) AS t, id FROM orders');
}

/** `count` clones of the templates, each with its own timers row: all due by the same time. */
async function loadDue(pool: pg.Pool, count: number): Promise<void> {
  // One connection: the clone's transaction and its temp table must stay on it.
  const db = await pool.connect();
  try {
    await db.query('TRUNCATE timers');
    await db.query(`DELETE FROM order_history WHERE order_id NOT IN (SELECT id FROM bench_timer_templates)`);
    await db.query(`DELETE FROM outbox WHERE order_id NOT IN (SELECT id FROM bench_timer_templates)`);
    await db.query(`DELETE FROM order_search WHERE order_id NOT IN (SELECT id FROM bench_timer_templates)`);
    await db.query(`DELETE FROM order_skus WHERE order_id NOT IN (SELECT id FROM bench_timer_templates)`);
    await db.query(`DELETE FROM orders WHERE id NOT IN (SELECT id FROM bench_timer_templates)`);
    await db.query('BEGIN');
    await db.query(`CREATE TEMP TABLE clone_map ON COMMIT DROP AS
      SELECT g AS n, t.id AS template, gen_random_uuid() AS id FROM generate_series(1, $1::int) g JOIN bench_timer_templates t ON t.t = 1 + g % ${TEMPLATES}`, [count]);
    await db.query(`INSERT INTO orders (id, code, workflow, workflow_version, status, status_tags, currency, customer_id, body, version, created_at, updated_at, placed_at)
      SELECT m.id, nextval('order_code_seq'), o.workflow, o.workflow_version, o.status, o.status_tags, o.currency, o.customer_id, o.body, o.version, o.created_at, o.updated_at, o.placed_at
      FROM clone_map m JOIN orders o ON o.id = m.template`);
    await db.query('INSERT INTO order_search (order_id, search) SELECT m.id, s.search FROM clone_map m JOIN order_search s ON s.order_id = m.template');
    await db.query('INSERT INTO order_skus (sku, order_id) SELECT k.sku, m.id FROM clone_map m JOIN order_skus k ON k.order_id = m.template');
    await db.query(`INSERT INTO order_history (id, order_id, type, track, from_state, to_state, actor_kind, actor_id, reason, cause, data, at)
      SELECT h.id, m.id, h.type, h.track, h.from_state, h.to_state, h.actor_kind, h.actor_id, h.reason, h.cause, h.data, h.at FROM clone_map m JOIN order_history h ON h.order_id = m.template`);
    await db.query(`INSERT INTO timers (order_id, name, due_at)
      SELECT m.id, x.name, x."dueAt" FROM clone_map m JOIN orders o ON o.id = m.template, jsonb_to_recordset(o.body -> 'timers') AS x(name text, "dueAt" timestamptz)`);
    await db.query('COMMIT');
    await db.query('VACUUM ANALYZE orders, order_search, timers, order_history, outbox');
  } finally {
    db.release();
  }
}

interface Swept { fired: number; stale: number; failed: number; seconds: number }

/** Starts `processes` sweepers, lets them go at once, and waits for all; timers fired per second overall. */
async function sweepWith(processes: number, databaseUrl: string, at: Date, opts: TimersOptions): Promise<{ fired: number; perSecond: number }> {
  const worker = fileURLToPath(new URL('../sweep-worker.mjs', import.meta.url));
  // BENCH_SWEEP_PROF=<dir>: each sweeper writes a CPU profile there (where a firing's time goes).
  const execArgv = process.env.BENCH_SWEEP_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SWEEP_PROF}`] : [];
  const children = Array.from({ length: processes }, () => fork(worker, [databaseUrl, at.toISOString(), String(opts.batch ?? ''), String(opts.concurrency ?? '')], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  await Promise.all(children.map((c) => once(c, 'message')));
  const started = performance.now();
  const results = children.map((c) => once(c, 'message').then(([m]) => m as Swept));
  for (const c of children) c.send('go');
  const swept = await Promise.all(results);
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(children.map((c) => (c.exitCode === null ? once(c, 'exit') : undefined)));
  const fired = swept.reduce((s, r) => s + r.fired, 0);
  const failed = swept.reduce((s, r) => s + r.failed, 0);
  if (failed > 0) throw new Error(`${failed} timer firings were refused`);
  return { fired, perSecond: round(fired / seconds) };
}

export async function runTimers(opts: TimersOptions): Promise<SectionReport> {
  ensureBuild(say);
  const db = await benchDatabase(opts.databaseUrl);
  let ordo: Ordo | undefined;
  const byProcesses: Record<number, { runs: number[]; perSecond: Spread }> = {};
  try {
    ordo = await createOrdo({ databaseUrl: db.url });
    await makeTemplates(ordo);
    const latest = await ordo.pool.query<{ at: Date }>('SELECT max(due_at) AS at FROM timers');
    const at = new Date(latest.rows[0]!.at.getTime() + 60_000);
    await ordo.pool.query('TRUNCATE timers'); // the templates' own timers stay unfired: only clones are swept
    for (const processes of [1, 2]) {
      const runs: number[] = [];
      for (let i = 0; i < opts.runs; i++) {
        say(`loading ${fmt(opts.timers)} due timers; ${processes} sweeping process(es), run ${i + 1}/${opts.runs}`);
        await loadDue(ordo.pool, opts.timers);
        const { fired, perSecond } = await sweepWith(processes, db.url, at, opts);
        if (fired !== opts.timers) throw new Error(`${fired} timers fired of ${opts.timers} due`);
        say(`  ${fmt(perSecond)} fired/s`);
        runs.push(perSecond);
      }
      byProcesses[processes] = { runs, perSecond: spread(runs) };
    }
  } finally {
    await ordo?.close().catch(() => {});
    await db.dispose();
  }
  const markdown = [
    `${fmt(opts.timers)} due timers (standard orders past their payment deadline, each firing cancels its order), swept by the compiled build in separate processes${opts.batch || opts.concurrency ? ` (batch ${opts.batch ?? 'default'}, concurrency ${opts.concurrency ?? 'default'})` : ''}, median (min–max) of ${opts.runs} runs:`,
    '',
    ...Object.entries(byProcesses).map(([p, r]) => `- ${p} process${p === '1' ? '' : 'es'}: ${showSpread(r.perSecond, ' fired/s')}`),
  ].join('\n');
  return keep({ section: 'timers', markdown, figures: byProcesses });
}
