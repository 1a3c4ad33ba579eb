/**
 * `ordo serve` as `npm start` runs it (the build's bundle, else its modules), as a separate
 * process on a data directory of its own (embedded PostgreSQL) or on a database the bench
 * created: what the HTTP benches load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildIfStale, startEntry } from '../scripts/build-if-stale.mjs';
import { livePostmaster } from '../src/store/embedded-owner.js';
import { freePort } from '../src/store/embedded.js';

export interface OrdoServer {
  readonly pid: number;
  readonly base: string;
  readonly adminKey: string;
  /** The database it runs on (for the ceiling, the counts, a second server). */
  readonly databaseUrl: string;
  /** The embedded PostgreSQL's postmaster, when it runs one (its CPU is read from /proc). */
  readonly postmasterPid?: number;
  /** SIGINT, and waits for it to end (its embedded server with it). */
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Its own embedded PostgreSQL here; or */
  readonly dataDir?: string;
  /** an existing database (a second server on the first one's). */
  readonly databaseUrl?: string;
  /** Writes a V8 CPU profile into this directory when it stops. */
  readonly cpuProfDir?: string;
}

let built = false;
/** The build the servers run; compiled again only when a source is newer (scripts/build-if-stale.mjs). */
export function ensureBuild(say: (line: string) => void): void {
  if (built) return;
  buildIfStale(say);
  built = true;
}

export async function startOrdoServer(opts: ServeOptions): Promise<OrdoServer> {
  const port = await freePort();
  const adminKey = `bench-${randomBytes(12).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    ORDO_ADMIN_KEY: adminKey,
    ORDO_CLOCK: 'system',
    LOG_LEVEL: 'warn',
    // The per-key limit (300 a minute by default) would refuse a load generator within a second.
    ORDO_RATE_LIMIT: '100000000',
    ORDO_GATEWAYS: 'simulated',
  };
  delete env.DATABASE_URL;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  if (opts.dataDir) env.ORDO_DATA_DIR = opts.dataDir;
  const flags = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
  const child = spawn(process.execPath, [...flags, startEntry(), 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  await serving(child, closed);
  const databaseUrl = opts.databaseUrl ?? (await embeddedUrl(opts.dataDir!));
  const postmasterPid = opts.databaseUrl ? undefined : (await livePostmaster(opts.dataDir!))?.pid;
  return {
    pid: child.pid!,
    base: `http://127.0.0.1:${port}`,
    adminKey,
    databaseUrl,
    ...(postmasterPid ? { postmasterPid } : {}),
    stop: async () => {
      child.kill('SIGINT');
      await closed;
    },
  };
}

/** Resolves once it says it serves (it prints where its admin key is), rejects if it ends first. */
async function serving(child: ChildProcess, closed: Promise<number | null>): Promise<void> {
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out = (out + String(d)).slice(-4000)));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => ((out += String(d)), out.includes('Admin key') && resolve()));
    void closed.then((code) => reject(new Error(`ordo serve exited ${code} before serving: ${out.trim().split('\n').pop() ?? ''}`)));
  });
  // Keep draining its output, so that a full pipe never blocks it.
  child.stdout!.resume();
}

/** The embedded server's URL, which the Ordo running it records beside its data. */
async function embeddedUrl(dataDir: string): Promise<string> {
  const owner = JSON.parse(await readFile(path.join(dataDir, 'owner.json'), 'utf8')) as { databaseUrl: string };
  return owner.databaseUrl;
}
