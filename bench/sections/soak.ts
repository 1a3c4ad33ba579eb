/**
 * Memory over time: `ordo serve` (what `npm start` runs) under the lifecycle load at 8 clients
 * for some minutes, its RSS sampled every 5 s. Reported: RSS after the warm-up, at its highest,
 * at the end, and its trend over the second half of the run (MB a minute, least squares): a
 * server that keeps something per request would show a rising trend, not a plateau.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ownDatabaseOn } from '../database.js';
import { OrdoClient } from '../http-client.js';
import { ensureBuild, startOrdoServer, type OrdoServer } from '../ordo-server.js';
import { rssMegabytes } from '../proc.js';
import { progress } from '../progress.js';
import { keep, say, type Common, type SectionReport } from '../section.js';
import { fmt, round } from '../stats.js';
import { check, lifecycle } from './lifecycle.js';

export interface SoakOptions extends Common {
  readonly minutes: number;
  readonly clients: number;
}

const SAMPLE_MS = 5000;
const WARMUP_MS = 30_000;

/** Least-squares slope of `ys` over `xs`. */
function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const num = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
  const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export async function runSoak(opts: SoakOptions): Promise<SectionReport> {
  ensureBuild(say);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ordo-bench-soak-'));
  // On --database-url, a database of the bench's own there, dropped afterwards.
  const own = opts.databaseUrl ? await ownDatabaseOn(opts.databaseUrl) : undefined;
  const totalMs = WARMUP_MS + opts.minutes * 60_000;
  const bar = progress(totalMs / 1000);
  const samples: { at: number; mb: number }[] = [];
  let lifecycles = 0;
  let server: OrdoServer | undefined;
  let client: OrdoClient | undefined;
  try {
    server = await startOrdoServer(own ? { databaseUrl: own.url } : { dataDir: path.join(tmp, 'data') });
    const pid = server.pid;
    const c = (client = new OrdoClient(server.base, server.adminKey, opts.clients));
    bar.begin(`${opts.clients} clients for ${opts.minutes} min after a 30 s warm-up`, totalMs / 1000);
    const started = performance.now();
    const sampler = setInterval(() => samples.push({ at: (performance.now() - started) / 1000, mb: rssMegabytes(pid) }), SAMPLE_MS);
    let n = 0;
    let last: string | undefined;
    try {
      await Promise.all(Array.from({ length: opts.clients }, async () => {
        while (performance.now() - started < totalMs) {
          last = await lifecycle(c, n++);
          if (performance.now() - started > WARMUP_MS) lifecycles++;
        }
      }));
    } finally {
      clearInterval(sampler);
    }
    if (last) await check(c, last);
    bar.end(`${fmt(lifecycles)} lifecycles`);
  } finally {
    await client?.close();
    await server?.stop();
    await own?.dispose();
    await rm(tmp, { recursive: true, force: true });
  }
  const measured = samples.filter((s) => s.at * 1000 >= WARMUP_MS);
  if (measured.length < 4) throw new Error('the soak ran too short to sample its memory');
  const half = measured.slice(Math.floor(measured.length / 2));
  const figures = {
    clients: opts.clients,
    minutes: opts.minutes,
    lifecyclesPerSecond: round(lifecycles / (opts.minutes * 60)),
    rssAfterWarmupMb: round(measured[0]!.mb),
    rssMaxMb: round(Math.max(...measured.map((s) => s.mb))),
    rssEndMb: round(measured.at(-1)!.mb),
    secondHalfMbPerMinute: round(slope(half.map((s) => s.at / 60), half.map((s) => s.mb)), 2),
    perMinute: Array.from({ length: opts.minutes }, (_, m) => {
      const inMinute = measured.filter((s) => s.at * 1000 >= WARMUP_MS + m * 60_000 && s.at * 1000 < WARMUP_MS + (m + 1) * 60_000);
      return inMinute.length ? round(Math.max(...inMinute.map((s) => s.mb))) : null;
    }),
  };
  const markdown = [
    `\`ordo serve\` under the HTTP lifecycle at ${opts.clients} clients for ${opts.minutes} minutes after a 30 s warm-up (${fmt(figures.lifecyclesPerSecond)} lifecycles/s), RSS sampled every 5 s:`,
    '',
    `- after the warm-up ${figures.rssAfterWarmupMb} MB, highest ${figures.rssMaxMb} MB, at the end ${figures.rssEndMb} MB;`,
    `- trend over the second half: ${figures.secondHalfMbPerMinute} MB a minute.`,
    '',
    '| minute | ' + figures.perMinute.map((_, i) => String(i + 1)).join(' | ') + ' |',
    '| --- | ' + figures.perMinute.map(() => '---:').join(' | ') + ' |',
    '| highest RSS, MB | ' + figures.perMinute.map((v) => (v === null ? '—' : String(v))).join(' | ') + ' |',
  ].join('\n');
  return keep({ section: 'soak', markdown, figures });
}
