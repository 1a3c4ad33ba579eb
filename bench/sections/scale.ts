/**
 * Scale of data: a few hundred real orders made through the API, cloned with SQL to 10k, 100k
 * and 1M orders with their history; at each size the reads an admin's screens make are timed
 * (median of several repetitions) and explained (EXPLAIN ANALYZE, kept in bench/results/).
 */
import { deepStrictEqual } from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { countOrdersByStatus, type StatusCounts } from '../../src/store/order-counts.js';
import { benchDatabase } from '../database.js';
import { progress } from '../progress.js';
import { addClones, keepTemplates } from '../scale/clone.js';
import { makeTemplates } from '../scale/templates.js';
import { capture, explain, READS, sample } from '../scale/queries.js';
import { keep, say, type Common, type SectionReport } from '../section.js';
import { fmt, percentile, round } from '../stats.js';

export interface ScaleOptions extends Common {
  readonly sizes: readonly number[];
  readonly repeat: number;
}

const TEMPLATES_PER_WORKFLOW = 60;
const BATCH = 50_000;

interface Timing { readonly p50: number; readonly min: number; readonly max: number; /** The statements alone, sent again as captured. */ readonly sqlP50: number }

async function timeReads(ordo: Ordo, repeat: number): Promise<{ timings: Record<string, Timing>; plans: Record<string, string> }> {
  const s = await sample(ordo.pool);
  const timings: Record<string, Timing> = {};
  const plans: Record<string, string> = {};
  for (const read of READS) {
    await read.run(ordo, s, 0); // warm: plan caches, the pages it reads
    const ms: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const started = performance.now();
      await read.run(ordo, s, i);
      ms.push(performance.now() - started);
    }
    const sent = await capture(ordo.pool, () => read.run(ordo, s, 1));
    const sqlMs: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const started = performance.now();
      for (const q of sent) await ordo.pool.query(q.text, q.values);
      sqlMs.push(performance.now() - started);
    }
    timings[read.name] = { p50: round(percentile(ms, 50), 2), min: round(Math.min(...ms), 2), max: round(Math.max(...ms), 2), sqlP50: round(percentile(sqlMs, 50), 2) };
    plans[read.name] = await explain(ordo.pool, sent);
  }
  return { timings, plans };
}

/**
 * The per-status counts come from a summary the load must keep right (bench/scale/clone.ts): fast
 * and wrong would be no result. Checked against the grouped count over the orders, every workflow.
 */
async function checkCounts(ordo: Ordo): Promise<void> {
  const res = await ordo.pool.query<{ workflow: string; status: Record<string, string>; n: number }>(
    `SELECT workflow, status, count(*)::int AS n FROM orders WHERE NOT (body ? 'removedAt') GROUP BY workflow, status`);
  const expected = new Map<string, { total: number; tracks: StatusCounts }>();
  for (const { workflow, status, n } of res.rows) {
    const w = expected.get(workflow) ?? { total: 0, tracks: {} };
    expected.set(workflow, w);
    w.total += n;
    for (const [track, state] of Object.entries(status)) (w.tracks[track] ??= {})[state] = (w.tracks[track]?.[state] ?? 0) + n;
  }
  for (const [workflow, counts] of expected) deepStrictEqual(await countOrdersByStatus(ordo.pool, workflow), counts, `per-status counts of ${workflow}`);
}

export async function runScale(opts: ScaleOptions): Promise<SectionReport> {
  const sizes = [...opts.sizes].sort((a, b) => a - b);
  const db = await benchDatabase(opts.databaseUrl);
  let ordo: Ordo | undefined;
  const bySize: Record<number, { timings: Record<string, Timing>; loadSeconds: number }> = {};
  const plans: Record<number, Record<string, string>> = {};
  try {
    ordo = await createOrdo({ databaseUrl: db.url, rateLimitPerMinute: 100_000_000, enabledGateways: ['simulated'] });
    say('making template orders through the API');
    await makeTemplates(ordo, TEMPLATES_PER_WORKFLOW);
    const templates = await keepTemplates(ordo.pool);
    let have = templates;
    for (const size of sizes) {
      const started = performance.now();
      const bar = progress(size - have);
      bar.begin(`cloning to ${fmt(size)} orders`, size - have);
      const first = have;
      await addClones(ordo.pool, size - have, first, BATCH, () => {});
      bar.end(`${fmt(size)} orders`);
      bar.stop();
      have = size;
      const loadSeconds = round((performance.now() - started) / 1000);
      say(`${fmt(size)} orders loaded in ${loadSeconds} s; timing the reads`);
      await checkCounts(ordo);
      const measured = await timeReads(ordo, opts.repeat);
      bySize[size] = { timings: measured.timings, loadSeconds };
      plans[size] = measured.plans;
    }
  } finally {
    await ordo?.close().catch(() => {});
    await db.dispose();
  }
  const largest = sizes.at(-1)!;
  const explained = sizes.map((size) => [`## ${fmt(size)} orders`, ...Object.entries(plans[size]!).map(([name, plan]) => `### ${name}\n\n\`\`\`\n${plan}\n\`\`\``)].join('\n\n')).join('\n\n');
  await writeFile(new URL('./results/scale-explain.md', new URL('..', import.meta.url)), `# EXPLAIN ANALYZE of the reads measured at scale\n\n${explained}\n`);
  const names = READS.map((r) => r.name);
  const markdown = [
    `Reads through the engine (SQL + rows to orders + presentation), median (min–max) ms of ${opts.repeat} repetitions per size after one warm-up, and in brackets the median of the same SQL statements alone (what grows with the data); ${TEMPLATES_PER_WORKFLOW * 5} real orders over the five workflows cloned with their history:`,
    '',
    `| read | ${sizes.map((s) => `${fmt(s)} orders`).join(' | ')} |`,
    `| --- | ${sizes.map(() => '---:').join(' | ')} |`,
    ...names.map((n) => `| ${n} | ${sizes.map((s) => { const t = bySize[s]!.timings[n]!; return `${fmt(t.p50)} (${fmt(t.min)}–${fmt(t.max)}) [SQL ${fmt(t.sqlP50)}]`; }).join(' | ')} |`),
    '',
    `Bulk load time: ${sizes.map((s) => `${fmt(s)}: ${bySize[s]!.loadSeconds} s`).join(', ')}. EXPLAIN ANALYZE of every read at every size: [results/scale-explain.md](results/scale-explain.md); at ${fmt(largest)}:`,
    '',
    ...names.map((n) => `<details><summary>${n}</summary>\n\n\`\`\`\n${plans[largest]![n]}\n\`\`\`\n\n</details>`),
  ].join('\n');
  return keep({ section: 'scale', markdown, figures: bySize });
}
