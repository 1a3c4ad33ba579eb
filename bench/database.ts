/**
 * The database a benchmark runs on: a throwaway embedded PostgreSQL in a temp dir, or, with
 * --database-url, a database of its own on that server. Either way it is gone afterwards, and
 * no database the bench did not create is ever written to.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbedded } from '../src/store/embedded.js';

export interface BenchDatabase {
  readonly url: string;
  readonly kind: 'embedded' | 'external';
  /** Stops the embedded server and removes its data, or drops the external database. */
  dispose(): Promise<void>;
}

export async function benchDatabase(serverUrl?: string): Promise<BenchDatabase> {
  if (serverUrl) return ownDatabaseOn(serverUrl);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordo-bench-'));
  const removeDir = () => rm(dataDir, { recursive: true, force: true });
  try {
    const server = await startEmbedded({ dataDir, persistent: false, database: 'ordo_bench' });
    return {
      url: server.url,
      kind: 'embedded',
      dispose: async () => {
        await server.stop();
        await removeDir();
      },
    };
  } catch (err) {
    await removeDir();
    throw err;
  }
}

/** A database `ordo_bench_<random>` of our own on that server, so that nobody's data is touched. */
export async function ownDatabaseOn(serverUrl: string): Promise<BenchDatabase> {
  const name = `ordo_bench_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // WITH (FORCE): a server that failed to stop must not keep the database from going.
  return { url: url.toString(), kind: 'external', dispose: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function onServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
