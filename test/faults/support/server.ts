/**
 * A real `ordo serve` child process on a database of its own, that a suite may SIGKILL and
 * start again on the same port, as an orchestrator restarts a crashed container.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { freePort } from '../../../src/store/embedded.js';
import { afterAll, beforeAll } from 'vitest';
import { OrdoClient } from './client.js';
import { entry } from '../../../scripts/build-if-stale.mjs';

export const ADMIN_KEY = 'faults-admin-key-0123456789';
export const GATEWAY_SECRET = 'whsec_' + Buffer.from('fault-suite-secret-of-the-simulated-gateway').toString('base64');

const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface OrdoProcess {
  readonly base: string;
  readonly databaseUrl: string;
  /** A pool of the test's own on the same database, to check it directly. */
  readonly db: pg.Pool;
  /** How many times the server was killed so far. */
  readonly kills: number;
  start(): Promise<void>;
  /** SIGKILL: no shutdown code runs, as in a crash or an OOM kill. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM and wait: for the final checks, on a database nobody writes to any more. */
  stop(): Promise<void>;
  /** Stops the server, drops the pool and the scratch directory. */
  close(): Promise<void>;
  /** The running (or last) server process's stderr, for failure messages. */
  log(): string;
}

/** A fresh database on the fault run's PostgreSQL. */
export async function freshDatabase(): Promise<string> {
  const serverUrl = inject('faultsPgUrl');
  const name = `ordo_faults_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function ordoProcess(): Promise<OrdoProcess> {
  const databaseUrl = await freshDatabase();
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordo-faults-serve-'));
  const base = `http://127.0.0.1:${port}`;
  const db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  db.on('error', () => {});
  let child: ChildProcess | undefined;
  let kills = 0;
  let stderr = '';

  const exited = (c: ChildProcess) =>
    new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));

  const start = async () => {
    if (child) throw new Error('the Ordo server is already running');
    // FAULTS_LOG_LEVEL=info shows the server's request log, to follow a failure request by request.
    const c = spawn(process.execPath, [entry, 'serve'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', ORDO_ADMIN_KEY: ADMIN_KEY,
        ORDO_GATEWAY_SECRET_SIMULATED: GATEWAY_SECRET, ORDO_DATA_DIR: dataDir, LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'warn', ORDO_CLOCK: 'system', ORDO_FRAUD_AMOUNT_ABOVE: '', ORDO_FRAUD_EMAIL_DOMAINS: '',
      },
      stdio: ['ignore', process.env.FAULTS_LOG_LEVEL ? 'inherit' : 'ignore', 'pipe'],
    });
    child = c;
    // This process's own output: what a failed start printed comes first.
    stderr = '';
    c.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-20_000);
    });
    // Ready when it answers /healthz; a server that dies while starting fails the suite at once.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (c.exitCode !== null || c.signalCode !== null) throw new Error(`ordo serve exited while starting (${c.exitCode ?? c.signalCode}):\n${tail(stderr)}`);
      const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
      if (ok) return;
      await sleep(50);
    }
    throw new Error(`ordo serve did not answer /healthz within 60 s:\n${tail(stderr)}`);
  };

  const signal = async (sig: NodeJS.Signals) => {
    const c = child;
    if (!c) return;
    child = undefined;
    if (c.exitCode === null && c.signalCode === null) c.kill(sig);
    await exited(c);
  };

  return {
    base,
    databaseUrl,
    db,
    get kills() {
      return kills;
    },
    start,
    kill: async () => {
      kills++;
      await signal('SIGKILL');
    },
    stop: () => signal('SIGTERM'),
    close: async () => {
      await signal('SIGKILL');
      await db.end();
      await rm(dataDir, { recursive: true, force: true });
    },
    log: () => tail(stderr),
  };
}

/** The start and the end of a long stderr: an error's message comes first, its stack last. */
const tail = (text: string) => (text.length <= 4000 ? text : `${text.slice(0, 2000)}\n...\n${text.slice(-2000)}`);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * An Ordo server process for the suite: started before its tests, closed after them. `ready`
 * hears the process and a client of it, for the suite's own variables.
 */
export function useOrdoProcess(ready: (ordo: OrdoProcess, http: OrdoClient) => void): void {
  let started: OrdoProcess | undefined;
  beforeAll(async () => {
    started = await ordoProcess();
    await started.start();
    ready(started, new OrdoClient(started.base));
  });
  afterAll(async () => {
    await started?.close();
  });
}
