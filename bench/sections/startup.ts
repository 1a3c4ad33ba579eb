/**
 * Start-up: from spawning `node scripts/start.mjs` (what `npm start` runs) to the first 200 on
 * /healthz, on a fresh data directory (initdb included) and on one an earlier start left.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { root } from '../../scripts/build-if-stale.mjs';
import { freePort } from '../../src/store/embedded.js';
import { ensureBuild } from '../ordo-server.js';
import { keep, say, type SectionReport } from '../section.js';
import { showSpread, spread } from '../stats.js';

export interface StartupOptions { readonly runs: number }

/** Seconds until /healthz answered 200, or 'compiled' if the start compiled first; the server is stopped again afterwards. */
async function timeStart(dataDir: string): Promise<number | 'compiled'> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, ORDO_DATA_DIR: dataDir, PORT: String(port), ORDO_ADMIN_KEY: 'bench-startup-key', LOG_LEVEL: 'warn', ORDO_CLOCK: 'system' };
  delete env.DATABASE_URL;
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += String(d)));
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err = (err + String(d)).slice(-2000)));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  let ended = false;
  void closed.then(() => (ended = true));
  try {
    for (;;) {
      if (ended) throw new Error(`npm start ended before answering /healthz: ${err.trim().split('\n').pop() ?? ''}`);
      const ok = await request(`http://127.0.0.1:${port}/healthz`).then(async (res) => (await res.body.dump(), res.statusCode === 200), () => false);
      if (ok) return out.includes('compiling Ordo') ? 'compiled' : (performance.now() - started) / 1000;
      await sleep(10);
    }
  } finally {
    child.kill('SIGINT');
    await closed;
  }
}

/**
 * A start that compiled (a source changed meanwhile: someone is editing) is not a normal start:
 * it is measured again, on a fresh directory again if that is the case measured.
 */
async function normalStart(dir: string, fresh: boolean): Promise<number> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (fresh) await rm(dir, { recursive: true, force: true });
    const seconds = await timeStart(dir);
    if (seconds !== 'compiled') return seconds;
    say('that start compiled first (a source changed): measuring it again');
  }
  throw new Error('every start compiled first: the sources keep changing');
}

export async function runStartup(opts: StartupOptions): Promise<SectionReport> {
  // Compiled first, so that no start here compiles (unless a source changes meanwhile).
  ensureBuild(say);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ordo-bench-startup-'));
  const fresh: number[] = [];
  const existing: number[] = [];
  try {
    for (let i = 0; i < opts.runs; i++) {
      say(`start ${i + 1}/${opts.runs}: fresh data directory, then the same one again`);
      const dir = path.join(tmp, `data-${i}`);
      fresh.push(await normalStart(dir, true));
      existing.push(await normalStart(dir, false));
      await rm(dir, { recursive: true, force: true });
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const figures = { fresh: spread(fresh, 2), existing: spread(existing, 2), freshRuns: fresh, existingRuns: existing };
  const markdown = [
    `\`npm start\` (node scripts/start.mjs, build up to date) until /healthz answers 200, median (min–max) of ${opts.runs} starts:`,
    '',
    `- existing data directory: ${showSpread(figures.existing, ' s')}`,
    `- fresh data directory (initdb, migrations): ${showSpread(figures.fresh, ' s')}`,
  ].join('\n');
  return keep({ section: 'startup', markdown, figures });
}
